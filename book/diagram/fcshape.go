package diagram

import (
	"fmt"
	"math"
)

// shapeSize returns the outer size of a node shape around a label.
func shapeSize(shape string, l *label) (float64, float64) {
	tw, th := l.w, l.h
	if l.empty() {
		tw, th = 0, fontSize*lineHeight
	}
	w, h := tw+2*nodePadX, th+2*nodePad
	switch shape {
	case "stadium":
		w += h / 2
	case "subroutine":
		w += 12
	case "odd":
		w += h / 4
	case "circle":
		d := math.Hypot(tw, th) + nodePad
		return d, d
	case "doublecircle":
		d := math.Hypot(tw, th) + nodePad + 8
		return d, d
	case "diamond":
		s := tw + th + 2*nodePad
		return s, s
	case "hexagon", "lean-right", "lean-left", "trapezoid", "inv-trapezoid":
		w += h / 2
	case "cylinder":
		rx := w / 2
		ry := rx / (2.5 + w/50)
		h += 2 * ry
	case "text":
		w, h = tw+4, th+4
	}
	return w, h
}

func dotShape(shape string) string {
	switch shape {
	case "circle", "doublecircle":
		return "circle"
	case "diamond":
		return "diamond"
	}
	return "box"
}

// drawShape draws a node's shape and label: one case per shape.
func drawShape(b *builder, l *fcLaid, th *theme, doc *document) {
	st := l.style
	fill, stroke := ptr(th.nodeFill), ptr(th.nodeStroke)
	if st.fill != nil || st.fillNone {
		fill = st.fill
	}
	if st.stroke != nil || st.strokeNone {
		stroke = st.stroke
	}
	paint := Paint{Fill: fill, Stroke: stroke, Width: orDefault(st.width, strokeThin), Dash: st.dash}
	n := l.g
	x, y, w, h := n.x-n.w/2, n.y-n.h/2, n.w, n.h
	switch l.n.shape {
	case "round":
		b.path(rectPath(x, y, w, h, 5), paint)
	case "stadium":
		b.path(rectPath(x, y, w, h, h/2), paint)
	case "subroutine":
		b.path(rectPath(x, y, w, h, 0), paint)
		line := Paint{Stroke: paint.Stroke, Width: paint.Width}
		b.line(x+6, y, x+6, y+h, line)
		b.line(x+w-6, y, x+w-6, y+h, line)
	case "cylinder":
		rx := w / 2
		ry := rx / (2.5 + w/50)
		k := kappa
		var pb pathBuilder
		pb.move(x, y+ry).
			cubic(x, y+ry-ry*k, x+rx-rx*k, y, x+rx, y).
			cubic(x+rx+rx*k, y, x+w, y+ry-ry*k, x+w, y+ry).
			line(x+w, y+h-ry).
			cubic(x+w, y+h-ry+ry*k, x+rx+rx*k, y+h, x+rx, y+h).
			cubic(x+rx-rx*k, y+h, x, y+h-ry+ry*k, x, y+h-ry).close()
		b.path(pb.p, paint)
		var rim pathBuilder
		rim.move(x, y+ry).
			cubic(x, y+ry+ry*k, x+rx-rx*k, y+2*ry, x+rx, y+2*ry).
			cubic(x+rx+rx*k, y+2*ry, x+w, y+ry+ry*k, x+w, y+ry)
		b.path(rim.p, Paint{Stroke: paint.Stroke, Width: paint.Width})
		y += ry
		h -= ry
	case "circle":
		b.path(ellipsePath(n.x, n.y, w/2, h/2), paint)
	case "doublecircle":
		b.path(ellipsePath(n.x, n.y, w/2, h/2), paint)
		b.path(ellipsePath(n.x, n.y, w/2-4, h/2-4), Paint{Stroke: paint.Stroke, Width: paint.Width})
	case "diamond":
		b.path(polygon(Point{n.x, y}, Point{x + w, n.y}, Point{n.x, y + h}, Point{x, n.y}), paint)
	case "hexagon":
		m := h / 4
		b.path(polygon(Point{x + m, y}, Point{x + w - m, y}, Point{x + w, n.y}, Point{x + w - m, y + h}, Point{x + m, y + h}, Point{x, n.y}), paint)
	case "lean-right":
		m := h / 4
		b.path(polygon(Point{x + m, y}, Point{x + w, y}, Point{x + w - m, y + h}, Point{x, y + h}), paint)
	case "lean-left":
		m := h / 4
		b.path(polygon(Point{x, y}, Point{x + w - m, y}, Point{x + w, y + h}, Point{x + m, y + h}), paint)
	case "trapezoid":
		m := h / 4
		b.path(polygon(Point{x + m, y}, Point{x + w - m, y}, Point{x + w, y + h}, Point{x, y + h}), paint)
	case "inv-trapezoid":
		m := h / 4
		b.path(polygon(Point{x, y}, Point{x + w, y}, Point{x + w - m, y + h}, Point{x + m, y + h}), paint)
	case "odd":
		m := h / 4
		b.path(polygon(Point{x, y}, Point{x + w, y}, Point{x + w, y + h}, Point{x, y + h}, Point{x + m, n.y}), paint)
	case "text":
	default:
		b.path(rectPath(x, y, w, h, 0), paint)
	}
	col := th.nodeText
	if st.color != nil {
		col = *st.color
	}
	if l.n.shape != "text" {
		doc.checkContrast(st, fill, col, fmt.Sprintf("node %q", l.n.id))
	}
	cx := x + w/2
	if l.n.shape == "odd" {
		cx += h / 8
	}
	b.text(l.lbl, cx, y+h/2-l.lbl.h/2, col, Middle)
}
