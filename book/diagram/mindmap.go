package diagram

import (
	"fmt"
	"math"
	"strings"
)

// mindmap is a parsed mindmap: a tree written by indentation.
type mindmap struct {
	doc  *document
	root *mmNode
}

// Mindmap node shapes.
const (
	mmDefault = iota
	mmRect
	mmRounded
	mmCircle
	mmCloud
	mmBang
	mmHexagon
)

type mmNode struct {
	text     string
	shape    int
	indent   int
	parent   *mmNode
	children []*mmNode
	line     int

	// Layout.
	lbl     *label
	w, h    float64
	x, y    float64 // centre
	span    float64 // the height of the subtree
	section int     // the first-level branch it belongs to; -1 for the root
}

// mmShapes are the delimiters of node shapes, longest first.
var mmShapes = []struct {
	open, close string
	shape       int
}{
	{"((", "))", mmCircle}, {"))", "((", mmBang}, {"{{", "}}", mmHexagon},
	{"[", "]", mmRect}, {"(", ")", mmRounded}, {")", "(", mmCloud},
}

func parseMindmap(doc *document) (*mindmap, error) {
	mm := &mindmap{doc: doc}
	if rest := strings.TrimSpace(doc.headerRest()); rest != "" {
		return nil, &ParseError{Line: doc.lines[doc.header].num, Msg: fmt.Sprintf("unexpected %q", snippet(rest))}
	}
	var last *mmNode
	count := 0
	lines := doc.body()
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		s := ln.text
		// A quoted text may go on over the next lines.
		if strings.Count(s, `"`)%2 == 1 {
			acc := s
			for j := i + 1; j < len(lines) && j <= i+12; j++ {
				if acc += "\n" + lines[j].text; strings.Count(acc, `"`)%2 == 0 {
					s, i = acc, j
					break
				}
			}
		}
		if strings.HasPrefix(s, "::icon(") {
			continue // icons need icon fonts: left out
		}
		if strings.HasPrefix(s, ":::") {
			continue // classes refer to style sheets mindmaps do not have here
		}
		if k := strings.Index(s, ":::"); k > 0 {
			s = strings.TrimSpace(s[:k])
		}
		if k := strings.Index(s, "::icon("); k > 0 {
			s = strings.TrimSpace(s[:k])
		}
		n, err := parseMMNode(s, ln)
		if err != nil {
			return nil, err
		}
		if count++; count > maxNodes {
			return nil, &ParseError{Line: ln.num, Msg: "diagram too large"}
		}
		if mm.root == nil {
			mm.root = n
			last = n
			continue
		}
		// The parent: the nearest node above indented less.
		p := last
		for p != nil && p.indent >= n.indent {
			p = p.parent
		}
		if p == nil {
			return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("%q is not inside the root %q: a mindmap has one root", snippet(n.text), snippet(mm.root.text))}
		}
		n.parent = p
		p.children = append(p.children, n)
		last = n
	}
	if mm.root == nil {
		return nil, &ParseError{Line: doc.lines[doc.header].num, Msg: "mindmap has no root"}
	}
	return mm, nil
}

// parseMMNode reads "id", "id[text]", "(text)", "id))bang((" and the like.
func parseMMNode(s string, ln srcLine) (*mmNode, error) {
	n := &mmNode{indent: ln.indent, line: ln.num}
	for _, sh := range mmShapes {
		k := strings.Index(s, sh.open)
		if k < 0 || !strings.HasSuffix(s, sh.close) || len(s) < k+len(sh.open)+len(sh.close) {
			continue
		}
		// The shape must open before any other shape's delimiter.
		if j := strings.IndexAny(s, "[({)"); j >= 0 && j < k {
			continue
		}
		n.text, n.shape = strings.TrimSpace(s[k+len(sh.open):len(s)-len(sh.close)]), sh.shape
		break
	}
	if n.text == "" && n.shape == mmDefault {
		n.text = s
	}
	n.text = mmUnquote(n.text)
	if strings.TrimSpace(n.text) == "" {
		return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("empty node %q", snippet(s))}
	}
	return n, nil
}

// mmUnquote takes the quotes off "text" and keeps "`markdown`" marked.
func mmUnquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// Mindmap sizes, points.
const (
	mmText   = 12.0
	mmWrap   = 150.0
	mmPadX   = 10.0
	mmPadY   = 6.0
	mmColGap = 36.0
	mmRowGap = 10.0
)

// mmColors are the fills of the first-level branches.
var mmColors = []Color{
	{0xD6, 0xD6, 0xFF}, {0xFF, 0xFF, 0xB3}, {0xC7, 0xF5, 0xC0}, {0xFF, 0xD0, 0xDA},
	{0xC8, 0xE6, 0xFF}, {0xFF, 0xDD, 0xB8}, {0xE4, 0xD2, 0xFF}, {0xC4, 0xF2, 0xEA},
	{0xFF, 0xF0, 0x99}, {0xEA, 0xDB, 0xCB}, {0xDA, 0xE0, 0xE8}, {0xF5, 0xCF, 0xF5},
}

func (mm *mindmap) draw() (*Drawing, error) {
	mm.measure(mm.root, -1)
	kids := mm.root.children
	// Split the branches between the right and the left, balancing their
	// heights; the right gets the first ones, as a clock reads.
	total := 0.0
	for _, c := range kids {
		total += c.span + mmRowGap
	}
	k, acc := 0, 0.0
	for k < len(kids) && acc+kids[k].span/2 < total/2 {
		acc += kids[k].span + mmRowGap
		k++
	}
	k = max(k, min(1, len(kids)))
	right, left := kids[:k], kids[k:]
	mm.place(right, 1)
	mm.place(left, -1)
	root := mm.root
	root.x, root.y = 0, 0
	// Each side is centred on the root, starting beside it.
	shift := func(ns []*mmNode, dx float64) {
		var walk func(n *mmNode)
		walk = func(n *mmNode) {
			n.x += dx
			for _, c := range n.children {
				walk(c)
			}
		}
		for _, n := range ns {
			walk(n)
		}
	}
	shift(right, root.w/2+mmColGap)
	shift(left, -root.w/2-mmColGap)
	b := &builder{}
	mm.paintEdges(b, root)
	mm.paintNode(b, root)
	// The drawing is centred on the root: finish measures it.
	d := finish(b, 0, 0, mm.doc, "mindmap")
	d.Alt = mm.alt()
	return d, nil
}

// measure labels each node and works out the height of each subtree.
func (mm *mindmap) measure(n *mmNode, section int) {
	n.section = section
	n.lbl = wrappedLabel(n.text, mmText, mmWrap)
	if n.parent == nil {
		restyle(n.lbl, true, false)
	}
	n.w, n.h = n.lbl.w+2*mmPadX, n.lbl.h+2*mmPadY
	switch n.shape {
	case mmCircle:
		d := math.Hypot(n.lbl.w, n.lbl.h) + mmPadY
		n.w, n.h = d, d
	case mmCloud, mmBang:
		n.w, n.h = n.w+16, n.h+12
	case mmHexagon:
		n.w += n.h / 2
	}
	kids := 0.0
	for i, c := range n.children {
		s := section
		if n.parent == nil {
			s = i
		}
		mm.measure(c, s)
		kids += c.span
	}
	if len(n.children) > 0 {
		kids += mmRowGap * float64(len(n.children)-1)
	}
	n.span = max(n.h, kids)
}

// place lays branches out to one side (dir 1 right, -1 left) from x 0,
// centred on y 0.
func (mm *mindmap) place(ns []*mmNode, dir float64) {
	total := 0.0
	for _, n := range ns {
		total += n.span + mmRowGap
	}
	total -= mmRowGap
	// Column widths by depth.
	var widths []float64
	var depthW func(n *mmNode, d int)
	depthW = func(n *mmNode, d int) {
		if d >= len(widths) {
			widths = append(widths, 0)
		}
		widths[d] = max(widths[d], n.w)
		for _, c := range n.children {
			depthW(c, d+1)
		}
	}
	for _, n := range ns {
		depthW(n, 0)
	}
	colX := make([]float64, len(widths)+1)
	for d, w := range widths {
		colX[d+1] = colX[d] + w + mmColGap
	}
	var put func(n *mmNode, d int, top float64)
	put = func(n *mmNode, d int, top float64) {
		n.x = dir * (colX[d] + n.w/2)
		n.y = top + n.span/2
		kids := -mmRowGap
		for _, c := range n.children {
			kids += c.span + mmRowGap
		}
		y := top + (n.span-kids)/2
		for _, c := range n.children {
			put(c, d+1, y)
			y += c.span + mmRowGap
		}
	}
	y := -total / 2
	for _, n := range ns {
		put(n, 0, y)
		y += n.span + mmRowGap
	}
}

func (n *mmNode) fill() Color {
	if n.section < 0 {
		return colNodeFill
	}
	return mmColors[n.section%len(mmColors)]
}

// paintEdges paints the curves from each node to its children, thinner
// further from the root, under the nodes.
func (mm *mindmap) paintEdges(b *builder, n *mmNode) {
	for _, c := range n.children {
		dir := 1.0
		if c.x < n.x {
			dir = -1
		}
		x0, x1 := n.x+dir*n.w/2, c.x-dir*c.w/2
		if n.parent == nil {
			x0 = n.x + dir*n.w/2*0.8
		}
		mid := (x0 + x1) / 2
		var pb pathBuilder
		pb.move(x0, n.y).cubic(mid, n.y, mid, c.y, x1, c.y)
		width := max(1, 4-float64(depth(c)))
		b.path(pb.p, Paint{Stroke: ptr(darkenTo(c.fill(), 3)), Width: width})
		mm.paintEdges(b, c)
	}
}

func depth(n *mmNode) int {
	d := 0
	for ; n.parent != nil; n = n.parent {
		d++
	}
	return d
}

// paintNode paints a node in its shape, then its children.
func (mm *mindmap) paintNode(b *builder, n *mmNode) {
	fill := n.fill()
	paint := Paint{Fill: ptr(fill), Stroke: ptr(darkenTo(fill, 3)), Width: strokeThin}
	x, y, w, h := n.x-n.w/2, n.y-n.h/2, n.w, n.h
	switch n.shape {
	case mmRect:
		b.path(rectPath(x, y, w, h, 0), paint)
	case mmRounded:
		b.path(rectPath(x, y, w, h, 8), paint)
	case mmCircle:
		b.path(ellipsePath(n.x, n.y, w/2, h/2), paint)
	case mmHexagon:
		m := h / 4
		b.path(polygon(Point{x + m, y}, Point{x + w - m, y}, Point{x + w, n.y}, Point{x + w - m, y + h}, Point{x + m, y + h}, Point{x, n.y}), paint)
	case mmCloud:
		b.path(cloudPath(x, y, w, h), paint)
	case mmBang:
		b.path(bangPath(x, y, w, h), paint)
	default:
		b.path(rectPath(x, y, w, h, 5), Paint{Fill: ptr(fill)})
		b.line(x, y+h, x+w, y+h, Paint{Stroke: ptr(darkenTo(fill, 3)), Width: 1.5})
	}
	b.text(n.lbl, n.x, n.y-n.lbl.h/2, colText, Middle)
	for _, c := range n.children {
		mm.paintNode(b, c)
	}
}

// cloudPath returns a cloud around a box: bumps along its edges.
func cloudPath(x, y, w, h float64) Path {
	var pts []Point
	nx, ny := max(2, int(w/24)), max(1, int(h/24))
	for i := 0; i < nx; i++ {
		pts = append(pts, Point{x + w*float64(i)/float64(nx), y})
	}
	for i := 0; i < ny; i++ {
		pts = append(pts, Point{x + w, y + h*float64(i)/float64(ny)})
	}
	for i := 0; i < nx; i++ {
		pts = append(pts, Point{x + w - w*float64(i)/float64(nx), y + h})
	}
	for i := 0; i < ny; i++ {
		pts = append(pts, Point{x, y + h - h*float64(i)/float64(ny)})
	}
	cx, cy := x+w/2, y+h/2
	var pb pathBuilder
	pb.move(pts[0].X, pts[0].Y)
	for i := range pts {
		a, c := pts[i], pts[(i+1)%len(pts)]
		// Bulge outwards, away from the centre.
		mx, my := (a.X+c.X)/2, (a.Y+c.Y)/2
		dx, dy := mx-cx, my-cy
		d := math.Hypot(dx, dy)
		bulge := 7.0
		ox, oy := dx/d*bulge, dy/d*bulge
		pb.cubic(a.X+ox, a.Y+oy, c.X+ox, c.Y+oy, c.X, c.Y)
	}
	return pb.close().p
}

// bangPath returns a burst around a box: spikes along its edges.
func bangPath(x, y, w, h float64) Path {
	cx, cy := x+w/2, y+h/2
	n := 16
	var pts []Point
	for i := range 2 * n {
		a := float64(i) * math.Pi / float64(n)
		rx, ry := w/2+6, h/2+6
		if i%2 == 1 {
			rx, ry = w/2-2, h/2-2
		}
		pts = append(pts, Point{cx + rx*math.Cos(a), cy + ry*math.Sin(a)})
	}
	return polygon(pts...)
}

// alt describes the tree: each branch with what it holds in parentheses.
func (mm *mindmap) alt() string {
	var desc func(n *mmNode) string
	desc = func(n *mmNode) string {
		s := n.lbl.plain()
		if len(n.children) == 0 {
			return s
		}
		var cs []string
		for _, c := range n.children {
			cs = append(cs, desc(c))
		}
		return s + " (" + strings.Join(cs, ", ") + ")"
	}
	var parts []string
	for _, c := range mm.root.children {
		parts = append(parts, desc(c))
	}
	kind := "Mindmap of " + mm.root.lbl.plain()
	return altText(mm.doc, kind, parts)
}
