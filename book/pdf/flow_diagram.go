package pdf

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/diagram"
	"github.com/bindery-books/bindery/book/font"
)

// diagram draws a mermaid diagram as vector graphics, scaled to the
// measure and to the page so it stays on one page; one that could not be
// drawn is set as code.
func (c *converter) diagram(n *book.Diagram) {
	d := n.Drawing
	if d == nil || d.Width <= 0 || d.Height <= 0 {
		s := c.w.st
		c.vspace(s.Para)
		c.within("P", func() {
			c.setText([]span{{st: style{Face: sansItal, Size: s.Small, Color: grey}, text: n.Note}},
				lineStyle{X: c.x, Width: c.width, Align: alignLeft, Lead: s.Small * 1.35, Face: sansItal, Size: s.Small}, "note")
		})
		c.keep = 1
		c.codeBlock(n.Code.Lang, n.Code.Line, n.Code.Tokens())
		return
	}
	s := c.w.st
	// Record at full size, then fit what was drawn, not the box the
	// diagram claims: a label may reach past it.
	rec := &recorder{}
	d.Draw(rec)
	x0, y0, x1, y1 := rec.extent(d.Width, d.Height)
	dw, dh := x1-x0, y1-y0
	textH := c.w.g.TextH
	small := rec.minTextSize()
	scale := min(1, c.width/dw, textH*0.8/dh)
	rotate := false
	if small*scale < minDiagramText {
		// Text too small for print: give the drawing the whole height of
		// a page, or set it across the page if that makes it larger.
		upright := min(1, c.width/dw, textH*0.98/dh)
		across := min(1, textH*0.98/dw, c.width/dh)
		scale = upright
		if across > upright*1.1 {
			scale, rotate = across, true
		}
		// Still too small: cut it into pieces that are read at the
		// size it needs, unless that is larger than its own.
		if k := min(1, minDiagramText/small); small > 0 && small*max(upright, across) < minDiagramText && k > max(upright, across) {
			for _, op := range rec.ops {
				transform(op, -x0, -y0, k)
			}
			c.split(rec.ops, dw*k, dh*k, cmp.Or(d.Alt, "Diagram"))
			return
		}
	}
	w, h := dw*scale, dh*scale
	for _, op := range rec.ops {
		transform(op, -x0, -y0, scale)
		if t, ok := op.(*textOp); ok {
			t.Space = true // labels read apart, not run together
		}
	}
	ops := rec.ops
	itemH := h
	if rotate {
		// Drawn upright centred on the item's centre, then turned: its
		// width runs down the page.
		itemH = w
		cx, cy := c.x+c.width/2, w/2
		for _, op := range ops {
			shiftOp(op, cx-w/2, cy-h/2)
		}
		ops = []Op{&rotateOp{CX: cx, CY: cy, Ops: ops}}
	} else {
		for _, op := range ops {
			shiftOp(op, c.x+(c.width-w)/2, 0)
		}
	}
	c.vspace(s.Para * 1.6)
	fig := c.open("Figure")
	fig.Alt = cmp.Or(d.Alt, "Diagram")
	c.emit(&Item{H: itemH, Kind: "diagram", Float: c.floatable(), Ops: ops})
	c.close(fig)
	c.vspace(s.Para * 1.6)
}

// minDiagramText is the smallest text a diagram should have in print, in
// points.
const minDiagramText = 8.0

// extent returns the box that holds everything recorded and the w × h box
// the drawing claims.
func (r *recorder) extent(w, h float64) (x0, y0, x1, y1 float64) {
	x0, y0, x1, y1 = 0, 0, w, h
	for _, op := range r.ops {
		if bx0, by0, bx1, by1, ok := opBounds(op); ok {
			x0, y0 = min(x0, bx0), min(y0, by0)
			x1, y1 = max(x1, bx1), max(y1, by1)
		}
	}
	return
}

// minTextSize returns the size of the smallest text recorded, or 0 when
// there is none.
func (r *recorder) minTextSize() float64 {
	size := 0.0
	for _, op := range r.ops {
		if t, ok := op.(*textOp); ok && (size == 0 || t.Size < size) {
			size = t.Size
		}
	}
	return size
}

// opBounds returns the box a diagram's op covers: a text from its face's
// ascent to its descent, a path with half its line width around it.
func opBounds(op Op) (x0, y0, x1, y1 float64, ok bool) {
	switch o := op.(type) {
	case *textOp:
		m := font.MetricsOf(o.Face)
		return o.X, o.Y - float64(m.Ascent)/1000*o.Size, o.X + measure(o.Face, o.Size, o.S), o.Y - float64(m.Descent)/1000*o.Size, true
	case *pathOp:
		pad := o.LineW / 2
		x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, sg := range o.Segs {
			for k := 0; k+1 < len(sg.Pts); k += 2 {
				x0, y0 = min(x0, sg.Pts[k]-pad), min(y0, sg.Pts[k+1]-pad)
				x1, y1 = max(x1, sg.Pts[k]+pad), max(y1, sg.Pts[k+1]+pad)
			}
		}
		return x0, y0, x1, y1, x0 <= x1
	}
	return 0, 0, 0, 0, false
}

// transform moves an op by dx, dy, then scales it about the origin.
func transform(op Op, dx, dy, k float64) {
	switch o := op.(type) {
	case *textOp:
		o.X, o.Y, o.Size = (o.X+dx)*k, (o.Y+dy)*k, o.Size*k
	case *pathOp:
		for i := range o.Segs {
			for j := 0; j+1 < len(o.Segs[i].Pts); j += 2 {
				o.Segs[i].Pts[j] = (o.Segs[i].Pts[j] + dx) * k
				o.Segs[i].Pts[j+1] = (o.Segs[i].Pts[j+1] + dy) * k
			}
		}
		o.LineW *= k
		for i := range o.Dash {
			o.Dash[i] *= k
		}
	default:
		panic(fmt.Sprintf("pdf: transform: unexpected op %T in a diagram", op))
	}
}

// recorder is a diagram.Canvas that records the drawing as flow ops, in
// the drawing's own coordinates.
type recorder struct {
	ops []Op
}

func (r *recorder) pt(p diagram.Point) (float64, float64) { return p.X, p.Y }

func color(c *diagram.Color) *rgb {
	if c == nil {
		return nil
	}
	return &rgb{c.R, c.G, c.B}
}

func (r *recorder) Path(p diagram.Path, paint diagram.Paint) {
	op := &pathOp{Fill: color(paint.Fill), Stroke: color(paint.Stroke), LineW: paint.Width, Dash: slices.Clone(paint.Dash)}
	for _, s := range p.Segs {
		switch s.Kind {
		case diagram.MoveTo, diagram.LineTo:
			x, y := r.pt(s.Pts[0])
			k := byte('M')
			if s.Kind == diagram.LineTo {
				k = 'L'
			}
			op.Segs = append(op.Segs, pathSeg{Op: k, Pts: []float64{x, y}})
		case diagram.CubicTo:
			x1, y1 := r.pt(s.Pts[0])
			x2, y2 := r.pt(s.Pts[1])
			x3, y3 := r.pt(s.Pts[2])
			op.Segs = append(op.Segs, pathSeg{Op: 'C', Pts: []float64{x1, y1, x2, y2, x3, y3}})
		case diagram.Close:
			op.Segs = append(op.Segs, pathSeg{Op: 'Z'})
		}
	}
	if op.Fill == nil && op.Stroke == nil || len(op.Segs) == 0 {
		return
	}
	r.ops = append(r.ops, op)
}

func (r *recorder) Text(x, y float64, s string, st diagram.TextStyle) {
	size := st.Size
	px, py := x, y
	w := measure(st.Face, size, s)
	switch st.Anchor {
	case diagram.Middle:
		px -= w / 2
	case diagram.End:
		px -= w
	}
	r.ops = append(r.ops, &textOp{X: px, Y: py, Face: st.Face, Size: size, Color: rgb{st.Color.R, st.Color.G, st.Color.B}, S: s})
}
