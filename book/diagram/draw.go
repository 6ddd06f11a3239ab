package diagram

import (
	"math"

	"github.com/bindery-books/bindery/book/font"
)

// builder collects a drawing list.
type builder struct {
	ops   []Op
	group int // last text group number
}

// kappa places Bézier control points to approximate a quarter circle.
const kappa = 0.5522847498

func (b *builder) path(p Path, paint Paint) {
	if len(p.Segs) == 0 || paint.Fill == nil && paint.Stroke == nil {
		return
	}
	b.ops = append(b.ops, Op{Kind: OpPath, Path: p, Paint: paint})
}

func ptr(c Color) *Color { return &c }

// pathBuilder builds one path.
type pathBuilder struct{ p Path }

func (pb *pathBuilder) move(x, y float64) *pathBuilder {
	pb.p.Segs = append(pb.p.Segs, Seg{Kind: MoveTo, Pts: [3]Point{{x, y}}})
	return pb
}

func (pb *pathBuilder) line(x, y float64) *pathBuilder {
	pb.p.Segs = append(pb.p.Segs, Seg{Kind: LineTo, Pts: [3]Point{{x, y}}})
	return pb
}

func (pb *pathBuilder) cubic(x1, y1, x2, y2, x, y float64) *pathBuilder {
	pb.p.Segs = append(pb.p.Segs, Seg{Kind: CubicTo, Pts: [3]Point{{x1, y1}, {x2, y2}, {x, y}}})
	return pb
}

func (pb *pathBuilder) close() *pathBuilder {
	pb.p.Segs = append(pb.p.Segs, Seg{Kind: Close})
	return pb
}

// polygon returns a closed path through pts.
func polygon(pts ...Point) Path {
	var pb pathBuilder
	for i, p := range pts {
		if i == 0 {
			pb.move(p.X, p.Y)
		} else {
			pb.line(p.X, p.Y)
		}
	}
	return pb.close().p
}

// rectPath returns a rectangle with corners of radius r.
func rectPath(x, y, w, h, r float64) Path {
	r = min(r, w/2, h/2)
	if r <= 0 {
		return polygon(Point{x, y}, Point{x + w, y}, Point{x + w, y + h}, Point{x, y + h})
	}
	k := r * kappa
	var pb pathBuilder
	pb.move(x+r, y).line(x+w-r, y).
		cubic(x+w-r+k, y, x+w, y+r-k, x+w, y+r).line(x+w, y+h-r).
		cubic(x+w, y+h-r+k, x+w-r+k, y+h, x+w-r, y+h).line(x+r, y+h).
		cubic(x+r-k, y+h, x, y+h-r+k, x, y+h-r).line(x, y+r).
		cubic(x, y+r-k, x+r-k, y, x+r, y).close()
	return pb.p
}

// ellipsePath returns an ellipse centred on (cx, cy).
func ellipsePath(cx, cy, rx, ry float64) Path {
	kx, ky := rx*kappa, ry*kappa
	var pb pathBuilder
	pb.move(cx+rx, cy).
		cubic(cx+rx, cy+ky, cx+kx, cy+ry, cx, cy+ry).
		cubic(cx-kx, cy+ry, cx-rx, cy+ky, cx-rx, cy).
		cubic(cx-rx, cy-ky, cx-kx, cy-ry, cx, cy-ry).
		cubic(cx+kx, cy-ry, cx+rx, cy-ky, cx+rx, cy).close()
	return pb.p
}

// line draws a straight line.
func (b *builder) line(x0, y0, x1, y1 float64, paint Paint) {
	var pb pathBuilder
	pb.move(x0, y0).line(x1, y1)
	paint.Fill = nil
	b.path(pb.p, paint)
}

// text draws a label centred on cx with its first line's top at top.
// anchor Start or End puts the lines' left or right edge at cx instead.
func (b *builder) text(l *label, cx, top float64, col Color, anchor Anchor) {
	if l == nil {
		return
	}
	lh := l.size * lineHeight
	for i, ln := range l.lines {
		// The baseline sits so that the line's x-height and caps are
		// centred in its line box.
		y := top + float64(i)*lh + lh/2 + 0.36*l.size
		b.textLine(ln, l.size, cx, y, col, anchor)
	}
}

// textLine draws one line of runs at baseline y.
func (b *builder) textLine(ln textLine, size, x, y float64, col Color, anchor Anchor) {
	var runs textLine
	for _, r := range ln {
		if r.s != "" {
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		return
	}
	if len(runs) == 1 {
		b.ops = append(b.ops, Op{Kind: OpText, X: x, Y: y, Text: runs[0].s,
			Style: TextStyle{Face: faceOf(runs[0].st), Size: size, Color: col, Anchor: anchor}})
		return
	}
	// Several runs: each placed from the left; the SVG writes them as one
	// <text> anchored like the line, so that other fonts keep the alignment.
	w := lineWidth(runs, size)
	left := x
	switch anchor {
	case Middle:
		left = x - w/2
	case End:
		left = x - w
	}
	b.group++
	for _, r := range runs {
		b.ops = append(b.ops, Op{Kind: OpText, X: left, Y: y, Text: r.s,
			Style: TextStyle{Face: faceOf(r.st), Size: size, Color: col, Anchor: Start},
			group: b.group, lineX: x, lineAnchor: anchor})
		left += font.Width(faceOf(r.st), size, r.s)
	}
}

// arrowhead draws a filled triangle with its tip at tip, pointing away
// from "from".
func (b *builder) arrowhead(tip, from Point, length, half float64, col Color) {
	dx, dy := tip.X-from.X, tip.Y-from.Y
	d := math.Hypot(dx, dy)
	if d < 1e-6 {
		return
	}
	ux, uy := dx/d, dy/d
	bx, by := tip.X-ux*length, tip.Y-uy*length
	b.path(polygon(tip, Point{bx - uy*half, by + ux*half}, Point{bx + uy*half, by - ux*half}),
		Paint{Fill: ptr(col), Stroke: ptr(col), Width: 0.5})
}

// marker draws an edge end marker of kind at tip, the edge arriving from "from".
func (b *builder) marker(kind int, tip, from Point, col Color, width float64) {
	switch kind {
	case markArrow:
		b.arrowhead(tip, from, arrowLen, arrowLen/2, col)
	case markCircle:
		dx, dy := tip.X-from.X, tip.Y-from.Y
		d := math.Hypot(dx, dy)
		if d < 1e-6 {
			return
		}
		r := 3.5
		cx, cy := tip.X-dx/d*r, tip.Y-dy/d*r
		b.path(ellipsePath(cx, cy, r, r), Paint{Fill: ptr(colWhite), Stroke: ptr(col), Width: width})
	case markCross:
		dx, dy := tip.X-from.X, tip.Y-from.Y
		d := math.Hypot(dx, dy)
		if d < 1e-6 {
			return
		}
		ux, uy := dx/d, dy/d
		s := 3.5
		cx, cy := tip.X-ux*s, tip.Y-uy*s
		var pb pathBuilder
		pb.move(cx-s*(ux-uy)*0.7, cy-s*(uy+ux)*0.7).line(cx+s*(ux-uy)*0.7, cy+s*(uy+ux)*0.7)
		pb.move(cx-s*(ux+uy)*0.7, cy-s*(uy-ux)*0.7).line(cx+s*(ux+uy)*0.7, cy+s*(uy-ux)*0.7)
		b.path(pb.p, Paint{Stroke: ptr(col), Width: max(width, 1.5)})
	}
}

// bezierPath turns a dot spline (start, then triples) into a path.
func bezierPath(pts []Point) Path {
	var pb pathBuilder
	if len(pts) == 0 {
		return pb.p
	}
	pb.move(pts[0].X, pts[0].Y)
	for i := 1; i+2 < len(pts); i += 3 {
		pb.cubic(pts[i].X, pts[i].Y, pts[i+1].X, pts[i+1].Y, pts[i+2].X, pts[i+2].Y)
	}
	return pb.p
}

// translate moves every op by (dx, dy).
func (b *builder) translate(dx, dy float64) {
	for i := range b.ops {
		op := &b.ops[i]
		switch op.Kind {
		case OpText:
			op.X += dx
			op.Y += dy
			op.lineX += dx
		case OpPath:
			segs := make([]Seg, len(op.Path.Segs))
			for k, s := range op.Path.Segs {
				for j := range s.Pts {
					s.Pts[j].X += dx
					s.Pts[j].Y += dy
				}
				segs[k] = s
			}
			op.Path.Segs = segs
		}
	}
}

// opsBounds returns the box that holds every op: paths with half their
// stroke width, text from its ascent to its descent.
func opsBounds(ops []Op) (x0, y0, x1, y1 float64, ok bool) {
	x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	grow := func(x, y float64) {
		x0, y0 = min(x0, x), min(y0, y)
		x1, y1 = max(x1, x), max(y1, y)
	}
	for i := range ops {
		op := &ops[i]
		switch op.Kind {
		case OpText:
			tx0, ty0, tx1, ty1 := textBox(op)
			grow(tx0, ty0)
			grow(tx1, ty1)
		case OpPath:
			pad := 0.0
			if op.Paint.Stroke != nil {
				pad = op.Paint.Width / 2
			}
			for _, s := range op.Path.Segs {
				n := 1
				switch s.Kind {
				case Close:
					n = 0
				case CubicTo:
					n = 3
				}
				for _, p := range s.Pts[:n] {
					grow(p.X-pad, p.Y-pad)
					grow(p.X+pad, p.Y+pad)
				}
			}
		}
	}
	return x0, y0, x1, y1, x0 <= x1
}

// textBox returns the box a text op covers: its advance across, its
// face's ascent and descent up and down.
func textBox(op *Op) (x0, y0, x1, y1 float64) {
	w := font.Width(op.Style.Face, op.Style.Size, op.Text)
	x0 = op.X
	switch op.Style.Anchor {
	case Middle:
		x0 -= w / 2
	case End:
		x0 -= w
	}
	m := font.MetricsOf(op.Style.Face)
	return x0, op.Y - float64(m.Ascent)/1000*op.Style.Size, x0 + w, op.Y - float64(m.Descent)/1000*op.Style.Size
}
