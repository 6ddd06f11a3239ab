package pdf

import (
	"cmp"
	"fmt"
	"slices"
)

// Splitting a diagram. A drawing whose smallest text stays under
// minDiagramText even on a page of its own, upright or turned, is set at
// the scale that makes that text minDiagramText (never larger than its
// own) and cut into pieces, each at most a page's text block with a label
// over it. The cuts go across the whole drawing, and each piece overlaps
// the next by seamOverlap at least, so that what a cut passes through is
// whole on one side of it. The cuts fall in the gaps between the drawing's
// labels and boxes where there are gaps: a label is drawn in the pieces
// that hold it whole, and every label is whole in one of them. Down the
// page the pieces are as long as a page can hold, the last taking the
// rest; across it they share the drawing evenly. A piece that shows
// nothing the others do not is left out, and each is trimmed down the page
// to what it shows. The pieces are set upright, or turned a quarter when
// that takes clearly fewer pages and no two turned pieces would share a
// page (stacked, they would read right to left once the book is turned).
//
// Each piece is drawn clipped to its box, as an item of its own that
// floats like a figure: the pieces keep their order, pieces shorter than a
// page share one, and the chapter's text goes on around them. Its label
// says which part it is ("Figure continued: part 2 of 3"), with a small
// map of the pieces when the drawing is cut both ways. All the pieces are
// content of the one Figure, with the diagram's description; their labels
// are artifacts.

// seamOverlap is how much of a split diagram each piece repeats of the
// piece before it, in points.
const seamOverlap = 20

// artifactPiece marks the label over a piece of a split diagram: it is
// there for the pages, like a table's header repeated.
var artifactPiece = &Tag{Type: "Artifact", Artifact: "Pagination"}

// band is the stretch [a, b] of a drawing along one of its axes.
type band struct{ a, b float64 }

// tile is one piece of a split diagram: the bands of the drawing it
// shows across and down, its row and column in the grid of bands (from
// 1), and the ops it draws, by index.
type tile struct {
	x, y     band
	row, col int
	ops      []int
}

func (t tile) rect() rect { return rect{t.x.a, t.y.a, t.x.b, t.y.b} }

// splitPlan is how a diagram is cut: the bands across its width and down
// its height, and whether its pieces are set across the page (turned a
// quarter, the drawing's width running up the page).
type splitPlan struct {
	turned bool
	xs, ys []band
}

// along returns the length of a piece down the page.
func (p splitPlan) along(t tile) float64 {
	if p.turned {
		return t.x.b - t.x.a
	}
	return t.y.b - t.y.a
}

// tiles returns the pieces of a plan row by row, each row left to right
// (the order a reader goes through the drawing), with the ops each draws:
// the texts whole in it, the paths that reach into it. A piece that shows
// nothing the others do not is left out; a piece is trimmed down the page
// to what it shows.
func (p splitPlan) tiles(ops []Op) []tile {
	const eps = 0.01
	var ts []tile
	holders := map[int]int{} // the pieces each text is whole in
	for r, y := range p.ys {
		for c, x := range p.xs {
			t := tile{x: x, y: y, row: r + 1, col: c + 1}
			for i, op := range ops {
				x0, y0, x1, y1, ok := opBounds(op)
				if !ok {
					continue
				}
				if _, text := op.(*textOp); text {
					if x0 < x.a-eps || x1 > x.b+eps || y0 < y.a-eps || y1 > y.b+eps {
						continue
					}
					holders[i]++
				} else if x1 < x.a || x0 > x.b || y1 < y.a || y0 > y.b {
					continue
				}
				t.ops = append(t.ops, i)
			}
			ts = append(ts, t)
		}
	}
	var kept []tile
	for _, t := range ts {
		// What only this piece shows: a text whole in no other piece
		// kept, a line outside the stretches it shares with the pieces
		// beside it.
		own := t.rect()
		if t.col > 1 {
			own.x0 = p.xs[t.col-2].b
		}
		if t.col < len(p.xs) {
			own.x1 = p.xs[t.col].a
		}
		if t.row > 1 {
			own.y0 = p.ys[t.row-2].b
		}
		if t.row < len(p.ys) {
			own.y1 = p.ys[t.row].a
		}
		needed := false
		for _, i := range t.ops {
			switch o := ops[i].(type) {
			case *textOp:
				needed = needed || holders[i] == 1
			case *pathOp:
				if own.x0 < own.x1 && own.y0 < own.y1 && !p.frame(o, t) {
					_, in := outlineIn(o, own)
					needed = needed || in
				}
			}
		}
		if !needed {
			for _, i := range t.ops {
				if _, text := ops[i].(*textOp); text {
					holders[i]--
				}
			}
			continue
		}
		// Trimmed down the page to the texts and lines it shows.
		r := t.rect()
		show := emptyRect()
		grow := func(b rect) { show = show.union(b) }
		for _, i := range t.ops {
			switch o := ops[i].(type) {
			case *textOp:
				x0, y0, x1, y1, _ := opBounds(o)
				grow(rect{x0, y0, x1, y1})
			case *pathOp:
				if b, in := outlineIn(o, r); in && !p.frame(o, t) {
					grow(b)
				}
			}
		}
		const margin = 2
		switch {
		case show.x0 > show.x1:
		case p.turned:
			t.x = band{max(t.x.a, show.x0-margin), min(t.x.b, show.x1+margin)}
		default:
			t.y = band{max(t.y.a, show.y0-margin), min(t.y.b, show.y1+margin)}
		}
		kept = append(kept, t)
	}
	return kept
}

// frame reports whether a path is a frame around other things in piece t
// (a subgraph's box): a filled shape longer down the page than half the
// piece. It is drawn, but neither keeps a piece nor keeps a piece tall.
func (p splitPlan) frame(o *pathOp, t tile) bool {
	if o.Fill == nil || !closed(o) {
		return false
	}
	x0, y0, x1, y1, _ := opBounds(o)
	if p.turned {
		return x1-x0 > (t.x.b-t.x.a)/2
	}
	return y1-y0 > (t.y.b-t.y.a)/2
}

// outlineIn returns the part of a path's outline (curves flattened, with
// half its line width around it) that is inside r, as the box that holds
// it, and whether there is any.
func outlineIn(o *pathOp, r rect) (rect, bool) {
	pad := o.LineW / 2
	in := emptyRect()
	found := false
	line := func(x0, y0, x1, y1 float64) {
		ax, ay, bx, by, ok := clipLine(x0, y0, x1, y1, r)
		if !ok {
			return
		}
		found = true
		in.grow(min(ax, bx)-pad, min(ay, by)-pad)
		in.grow(max(ax, bx)+pad, max(ay, by)+pad)
	}
	var cx, cy, sx, sy float64
	for _, sg := range o.Segs {
		pt := sg.Pts
		switch sg.Op {
		case 'M':
			cx, cy = pt[0], pt[1]
			sx, sy = cx, cy
		case 'L':
			line(cx, cy, pt[0], pt[1])
			cx, cy = pt[0], pt[1]
		case 'C':
			const steps = 8
			px, py := cx, cy
			for k := 1; k <= steps; k++ {
				t := float64(k) / steps
				u := 1 - t
				x := u*u*u*cx + 3*u*u*t*pt[0] + 3*u*t*t*pt[2] + t*t*t*pt[4]
				y := u*u*u*cy + 3*u*u*t*pt[1] + 3*u*t*t*pt[3] + t*t*t*pt[5]
				line(px, py, x, y)
				px, py = x, y
			}
			cx, cy = pt[4], pt[5]
		case 'Z':
			line(cx, cy, sx, sy)
			cx, cy = sx, sy
		}
	}
	if o.Close {
		line(cx, cy, sx, sy)
	}
	in = rect{max(in.x0, r.x0), max(in.y0, r.y0), min(in.x1, r.x1), min(in.y1, r.y1)}
	return in, found
}

// clipLine returns the part of the line from (x0, y0) to (x1, y1) inside
// r (Liang and Barsky's clipping), and whether there is any.
func clipLine(x0, y0, x1, y1 float64, r rect) (ax, ay, bx, by float64, ok bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := x1-x0, y1-y0
	for _, e := range [4][2]float64{{-dx, x0 - r.x0}, {dx, r.x1 - x0}, {-dy, y0 - r.y0}, {dy, r.y1 - y0}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return 0, 0, 0, 0, false
		}
	}
	return x0 + t0*dx, y0 + t0*dy, x0 + t1*dx, y0 + t1*dy, true
}

// split sets a diagram across pages: ops draw it at the scale it is read
// at, w × h from the origin; alt describes it.
func (c *converter) split(ops []Op, w, h float64, alt string) {
	s := c.w.st
	labelH := s.Small * 2
	plan, tiles := c.planSplit(ops, w, h, labelH)
	for _, op := range ops {
		if t, ok := op.(*textOp); ok {
			t.Space = true // labels read apart, not run together
		}
	}
	c.vspace(s.Para * 1.6)
	fig := c.open("Figure")
	fig.Alt = alt
	for k, t := range tiles {
		kind := "diagram"
		if k > 0 {
			kind = "diagram-part"
			c.vspace(s.Para)
		}
		label := pieceLabel(k+1, len(tiles), t, len(plan.ys), len(plan.xs))
		if len(tiles) == 1 {
			// All it shows is in one piece, which needs no label.
			label, labelH = "", 0
		}
		it := &Item{H: labelH + plan.along(t), Kind: kind, Float: c.floatable()}
		it.Ops = c.pieceOps(plan, tiles, t, ops, labelH, label)
		c.emit(it)
	}
	c.close(fig)
	c.vspace(s.Para * 1.6)
}

// planSplit cuts a diagram (ops, w × h from the origin, at the scale it
// is read at) into pieces, with labelH over each for its label: upright,
// or turned when that takes clearly fewer pages and no two turned pieces
// would share one.
func (c *converter) planSplit(ops []Op, w, h, labelH float64) (splitPlan, []tile) {
	down := c.w.g.TextH - labelH
	xt, yt, xb, yb := obstacles(ops)
	// Down the page the pieces fill pages, the last taking what is left;
	// across it they share the drawing evenly.
	plan := splitPlan{xs: cutBands(w, c.width, seamOverlap, xt, xb, false), ys: cutBands(h, down, seamOverlap, yt, yb, true)}
	tiles := plan.tiles(ops)
	turned := splitPlan{turned: true, xs: cutBands(w, down, seamOverlap, xt, xb, true), ys: cutBands(h, c.width, seamOverlap, yt, yb, false)}
	if tt := turned.tiles(ops); !c.stack(turned, tt, labelH) && c.pagesFor(turned, tt, labelH) < c.pagesFor(plan, tiles, labelH)-0.25 {
		plan, tiles = turned, tt
	}
	return plan, tiles
}

// stack reports whether two pieces of a plan that follow each other fit on
// a page together. Turned pieces that would are set upright instead: on a
// page, turned, they would read right to left.
func (c *converter) stack(p splitPlan, ts []tile, labelH float64) bool {
	for i := 1; i < len(ts); i++ {
		if 2*labelH+p.along(ts[i-1])+c.w.st.Para+p.along(ts[i]) <= c.w.g.TextH {
			return true
		}
	}
	return false
}

// pagesFor returns about how many pages the pieces of a plan fill, stacked
// as floats stack them: whole pages, and the part of the last one used.
func (c *converter) pagesFor(p splitPlan, ts []tile, labelH float64) float64 {
	textH, gap := c.w.g.TextH, c.w.st.Para
	pages, y := 1.0, 0.0
	for _, t := range ts {
		h := labelH + p.along(t)
		switch {
		case y == 0:
			y = h
		case y+gap+h <= textH:
			y += gap + h
		default:
			pages++
			y = h
		}
	}
	return pages - 1 + y/textH
}

// pieceLabel is the label over piece k of n, in row and column of a
// drawing cut into rows × cols pieces.
func pieceLabel(k, n int, t tile, rows, cols int) string {
	s := fmt.Sprintf("Figure in %d parts: part 1", n)
	if k > 1 {
		s = fmt.Sprintf("Figure continued: part %d of %d", k, n)
	}
	if rows > 1 && cols > 1 {
		s += fmt.Sprintf(", row %d, column %d", t.row, t.col)
	}
	return s
}

// pieceOps draws piece t of a split diagram, one of ts, clipped to the
// piece, under its label when there is one. A piece of a drawing cut
// across starts at the left of the measure, a piece of a drawing cut only
// down the page is centred; turned, the drawing's top is to the left, its
// left at the foot.
func (c *converter) pieceOps(p splitPlan, ts []tile, t tile, ops []Op, labelH float64, label string) []Op {
	pw, ph := t.x.b-t.x.a, t.y.b-t.y.a
	in := make([]Op, len(t.ops))
	for k, i := range t.ops {
		in[k] = cloneOp(ops[i])
	}
	var drawn Op
	var left float64 // the left of the piece on the page
	if p.turned {
		// Upright, centred on (cx, cy), then turned about it: pw runs
		// up the page, ph across it.
		cx := c.x + c.width/2
		if len(p.ys) > 1 {
			cx = c.x + ph/2
		}
		cy := labelH + pw/2
		x, y := cx-pw/2, cy-ph/2
		for _, op := range in {
			shiftOp(op, x-t.x.a, y-t.y.a)
		}
		drawn = &rotateOp{CX: cx, CY: cy, Ops: []Op{&clipOp{X: x, Y: y, W: pw, H: ph, Ops: in}}}
		left = cx - ph/2
	} else {
		left = c.x
		if len(p.xs) == 1 {
			left += (c.width - pw) / 2
		}
		for _, op := range in {
			shiftOp(op, left-t.x.a, labelH-t.y.a)
		}
		drawn = &clipOp{X: left, Y: labelH, W: pw, H: ph, Ops: in}
	}
	if label == "" {
		return []Op{drawn}
	}
	s := c.w.st
	lops, lw := c.w.labelOps(left, s.Small*1.1, sans, s.Small, grey, label, false, artifactPiece)
	if len(p.xs) > 1 && len(p.ys) > 1 {
		lops = append(lops, locator(p, ts, t, left+lw+s.Small*0.6, labelH-s.Small*0.5, c.x+c.width)...)
	}
	return append(lops, drawn)
}

// locator draws a small map of the pieces ts of a drawing cut both ways,
// as they lie on the page, with the piece t filled, from x with its foot
// at bottom: a reader sees where the piece goes. It draws nothing when
// the map would reach past right.
func locator(p splitPlan, ts []tile, t tile, x, bottom, right float64) []Op {
	across, down := len(p.xs), len(p.ys) // cells across and down the page
	cell := func(t tile) (col, row int) {
		if p.turned {
			// The drawing's rows run across the page, its columns up it.
			return t.row, len(p.xs) + 1 - t.col
		}
		return t.col, t.row
	}
	if p.turned {
		across, down = down, across
	}
	pitch := min(6, (bottom-1)/float64(down))
	size := pitch * 0.8
	if x+float64(across)*pitch > right {
		return nil
	}
	var ops []Op
	for _, u := range ts {
		c, r := cell(u)
		x0, y0 := x+float64(c-1)*pitch, bottom-float64(down-r+1)*pitch
		o := &pathOp{Stroke: &grey, LineW: 0.4, Tag: artifactPiece, Close: true, Segs: []pathSeg{
			{Op: 'M', Pts: []float64{x0, y0}}, {Op: 'L', Pts: []float64{x0 + size, y0}},
			{Op: 'L', Pts: []float64{x0 + size, y0 + size}}, {Op: 'L', Pts: []float64{x0, y0 + size}}}}
		if u.row == t.row && u.col == t.col {
			o.Fill = &grey
		}
		ops = append(ops, o)
	}
	return ops
}

// cloneOp returns a copy of a diagram's op that can be moved without
// moving the original.
func cloneOp(op Op) Op {
	switch o := op.(type) {
	case *textOp:
		t := *o
		return &t
	case *pathOp:
		p := *o
		p.Segs = make([]pathSeg, len(o.Segs))
		for i, sg := range o.Segs {
			p.Segs[i] = pathSeg{Op: sg.Op, Pts: slices.Clone(sg.Pts)}
		}
		p.Dash = slices.Clone(o.Dash)
		return &p
	}
	panic(fmt.Sprintf("pdf: cloneOp: unexpected op %T in a diagram", op))
}

// obstacles returns what a cut through a drawing should not pass through,
// across (x) and down (y): its texts, with a little room around them, and
// its boxes (filled closed paths).
func obstacles(ops []Op) (xt, yt, xb, yb []band) {
	for _, op := range ops {
		x0, y0, x1, y1, ok := opBounds(op)
		if !ok {
			continue
		}
		switch o := op.(type) {
		case *textOp:
			const pad = 2
			xt = append(xt, band{x0 - pad, x1 + pad})
			yt = append(yt, band{y0 - pad, y1 + pad})
		case *pathOp:
			if o.Fill == nil || !closed(o) {
				continue
			}
			const pad = 1
			xb = append(xb, band{x0 - pad, x1 + pad})
			yb = append(yb, band{y0 - pad, y1 + pad})
		}
	}
	return
}

// closed reports whether a path is closed: a shape rather than a line.
func closed(o *pathOp) bool {
	return o.Close || slices.ContainsFunc(o.Segs, func(s pathSeg) bool { return s.Op == 'Z' })
}

// cutBands cuts the stretch [0, e] of a drawing into bands at most length
// long, each overlapping the next by overlap at least. texts and boxes are
// the stretches of the drawing's labels and boxes (filled shapes) along
// it. A cut is the end b of a band and the start of the next, overlap or
// more before b: a text the end passes through must start after the next
// band does, so that it is whole in that one; a text the start passes
// through then ends before b, whole in this one. The bands lose as few
// texts as can be (none, unless a text is longer than a band), are as few
// as can be with that, and of those, the cuts pass through the fewest
// texts and boxes (a text a cut passes through is drawn on one side only)
// with bands about as long as each other, or, when fill, with each band
// as long as it can be but the last.
func cutBands(e, length, overlap float64, texts, boxes []band, fill bool) []band {
	if e <= length {
		return []band{{0, e}}
	}
	var small []band
	for _, b := range boxes {
		if b.b-b.a <= length/2 {
			small = append(small, b)
		}
	}
	cs := &cutter{e: e, length: length, overlap: overlap, fill: fill, texts: texts, boxes: small, memo: map[float64]*cutting{}}
	// The places where what a cut passes through changes.
	var ends []float64
	for _, bs := range [][]band{texts, small} {
		for _, t := range bs {
			for _, x := range []float64{t.a, t.b} {
				if x > 0 && x < e {
					ends = append(ends, x)
				}
			}
		}
	}
	slices.Sort(ends)
	for _, x := range slices.Compact(ends) {
		cs.ends = append(cs.ends, cs.at(x))
	}
	var bs []band
	a := 0.0
	for c := cs.from(a); c.next != nil; c = c.next {
		bs = append(bs, band{a, c.b})
		a = c.start
	}
	return append(bs, band{a, e})
}

// cutter finds the best way to cut a stretch into bands (see cutBands).
type cutter struct {
	e, length, overlap float64
	fill               bool
	texts, boxes       []band
	ends               []cut // the cuts at the ends of texts and boxes, in order
	memo               map[float64]*cutting
}

// cut is a band's end b, with the two places the next band may start: at
// whole, overlap before b or before the texts b passes through, which
// holds those whole; or overlap before b, which loses lost of them. The
// weights are what a cut passes through at b, at whole and at b-overlap.
type cut struct {
	b, whole                      float64
	lost                          int
	atB, atWhole, atOverlapBefore float64
}

// at returns the cut at b.
func (cs *cutter) at(b float64) cut {
	c := cut{b: b, whole: b - cs.overlap}
	for _, t := range cs.texts {
		if t.a < b && b < t.b {
			c.whole = min(c.whole, t.a)
			if t.a < b-cs.overlap {
				c.lost++
			}
		}
	}
	c.atB, c.atWhole, c.atOverlapBefore = cs.crossings(b), cs.crossings(c.whole), cs.crossings(b-cs.overlap)
	return c
}

// cutting is the best way to cut what is left of a stretch from a band's
// start: the band's end b and the next band's start, and the cutting from
// there (nil: the band is the last); the texts it loses, its bands, and
// its cost.
type cutting struct {
	b, start float64
	next     *cutting
	lost     int
	bands    int
	cost     float64
}

// better reports whether c is a better cutting than d.
func (c *cutting) better(d *cutting) bool {
	switch {
	case c.lost != d.lost:
		return c.lost < d.lost
	case c.bands != d.bands:
		return c.bands < d.bands
	}
	return c.cost < d.cost
}

// from returns the best cutting of [a, e].
func (cs *cutter) from(a float64) *cutting {
	if c, ok := cs.memo[a]; ok {
		return c
	}
	bandCost := func(l float64) float64 {
		if cs.fill {
			return -(l / cs.length) * (l / cs.length)
		}
		return (l / cs.length) * (l / cs.length)
	}
	if cs.e-a <= cs.length {
		c := &cutting{bands: 1, cost: bandCost(cs.e - a)}
		cs.memo[a] = c
		return c
	}
	var best cutting
	found := false
	try := func(k cut) {
		b := k.b
		for _, v := range []struct {
			start, weight float64
			lost          int
		}{{k.whole, k.atWhole, 0}, {b - cs.overlap, k.atOverlapBefore, k.lost}} {
			if v.start <= a || v.lost > 0 && k.whole > a {
				continue // no headway; or losing texts it need not lose
			}
			rest := cs.from(v.start)
			c := cutting{b: b, start: v.start, next: rest, lost: v.lost + rest.lost, bands: 1 + rest.bands,
				cost: bandCost(b-a) + k.atB + v.weight + (b-cs.overlap-v.start)/cs.length + rest.cost}
			if !found || c.better(&best) {
				best, found = c, true
			}
		}
	}
	lo, _ := slices.BinarySearchFunc(cs.ends, a+cs.overlap, func(c cut, x float64) int { return cmp.Compare(c.b, x) })
	for _, k := range cs.ends[lo:] {
		if k.b > a+cs.length {
			break
		}
		if k.b > a+cs.overlap {
			try(k)
		}
	}
	try(cs.at(a + cs.length))
	if !cs.fill {
		// Where m bands after this one would share the rest evenly,
		// none shorter than half a band.
		for m := 1; ; m++ {
			b := a + (cs.e-a+float64(m)*cs.overlap)/float64(m+1)
			if b-a < cs.length/2 {
				break
			}
			if b <= a+cs.length {
				try(cs.at(b))
			}
		}
	}
	cs.memo[a] = &best
	return &best
}

// crossings weighs what a cut at x passes through: a text counts 1, a box
// a half, a small one (an arrowhead) less.
func (cs *cutter) crossings(x float64) float64 {
	c := 0.0
	for _, t := range cs.texts {
		if t.a < x && x < t.b {
			c++
		}
	}
	for _, t := range cs.boxes {
		if t.a < x && x < t.b {
			c += min(0.5, (t.b-t.a)/24)
		}
	}
	return c
}
