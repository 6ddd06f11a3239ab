package pdfdoc

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/bindery-books/bindery/book/font"
)

// Color is an RGB colour.
type Color struct{ R, G, B uint8 }

// Black is the colour of text.
var Black = Color{}

// Cap is the shape of the ends of stroked lines.
type Cap int

const (
	ButtCap Cap = iota
	RoundCap
	SquareCap
)

// Join is the shape of the corners of stroked paths.
type Join int

const (
	MiterJoin Join = iota
	RoundJoin
	BevelJoin
)

// Paint says how a path, rectangle or line is painted.
type Paint struct {
	// Fill and Stroke are the colours of the inside and the outline; nil
	// paints neither.
	Fill, Stroke *Color
	// LineWidth is the width of the outline; zero means 0.5 points.
	LineWidth float64
	// Dash is the dash pattern (lengths of dashes and gaps) starting at
	// DashPhase; empty for a solid line.
	Dash      []float64
	DashPhase float64
	Cap       Cap
	Join      Join
	// EvenOdd fills with the even-odd rule instead of non-zero winding.
	EvenOdd bool
}

// Page is a page being drawn. Calls draw in order, later over earlier.
type Page struct {
	d     *Document
	index int
	w, h  float64
	c     []byte // the content stream

	inText bool
	// The graphics state as the content stream last set it.
	font      *docFont
	size      float64
	fill      string // the colour operator last written, as text
	stroke    string
	fillC     Color // the colours fill and stroke set, when they are set
	strokeC   Color
	lineW     float64
	dash      string
	cap, join int

	fonts  []*docFont
	images []*Image
	annots []ref

	// marked holds the open marked-content sequences, innermost last:
	// the element of each, nil for an artifact or a span.
	marked       []*Elem
	mcids        []ref // the structure element of each MCID on the page
	structParent int   // the page's key in the parent tree; -1 if none
	closed       bool
}

// resetState sets the tracked graphics state to the PDF defaults.
func (p *Page) resetState() {
	p.font, p.size = nil, 0
	p.fill, p.stroke = "0 g", "0 G"
	p.lineW, p.dash = 1, "[] 0 d"
	p.cap, p.join = 0, 0
}

// Index returns the page's index in the document, from 0.
func (p *Page) Index() int { return p.index }

// Size returns the page's width and height in points.
func (p *Page) Size() (w, h float64) { return p.w, p.h }

// y converts a y of the layout (down from the top) to PDF space (up from
// the bottom).
func (p *Page) y(y float64) float64 { return p.h - y }

func (p *Page) num(v float64) { p.c = appendNum(p.c, v, 3); p.c = append(p.c, ' ') }

func (p *Page) op(s string) { p.c = append(p.c, s...); p.c = append(p.c, '\n') }

func (p *Page) beginText() {
	if !p.inText {
		p.op("BT")
		p.inText = true
	}
}

func (p *Page) endText() {
	if p.inText {
		p.op("ET")
		p.inText = false
	}
}

// colorOp returns the operator that sets c: "g"/"G" for greys, else "rg"/"RG".
func colorOp(c Color, stroke bool) string {
	var b []byte
	if c.R == c.G && c.G == c.B {
		b = appendNum(b, float64(c.R)/255, 4)
		if stroke {
			return string(b) + " G"
		}
		return string(b) + " g"
	}
	for i, v := range []uint8{c.R, c.G, c.B} {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendNum(b, float64(v)/255, 4)
	}
	if stroke {
		return string(b) + " RG"
	}
	return string(b) + " rg"
}

func (p *Page) setFill(c Color) {
	if p.fill != "" && c == p.fillC {
		return
	}
	if op := colorOp(c, false); op != p.fill {
		p.op(op)
		p.fill, p.fillC = op, c
	}
}

func (p *Page) setStroke(c Color) {
	if p.stroke != "" && c == p.strokeC {
		return
	}
	if op := colorOp(c, true); op != p.stroke {
		p.op(op)
		p.stroke, p.strokeC = op, c
	}
}

// Run is a run of glyphs in one font, size and colour, as shaping gives
// them: each glyph's advance moves the pen, kerning included.
type Run struct {
	Font  *font.Font
	Size  float64
	Color Color
	// X and Y are the pen's start on the baseline, from the page's top left.
	X, Y   float64
	Glyphs []font.Glyph
	// Text is the source text the glyphs' Start and End index: copying
	// the glyphs out of the PDF gives this text.
	Text string
	// Scale widens (above 1) or narrows (below) the glyphs and their
	// advances, as a typesetter's font expansion does; zero means 1.
	Scale float64
}

// Glyphs draws a run of glyphs. A glyph's advance may differ from its
// width in the font (kerning, justified spaces): the difference is written
// as a TJ adjustment. Glyphs with an offset are placed on their own.
func (p *Page) Glyphs(r Run) {
	if len(r.Glyphs) == 0 || r.Size <= 0 {
		return
	}
	if r.Font == nil {
		if p.d.err == nil {
			p.d.err = fmt.Errorf("pdfdoc: page %d: a glyph run without a font", p.index+1)
		}
		return
	}
	f := p.d.useFont(r.Font)
	p.useFont(f)
	whole := f.register(r.Glyphs, r.Text)
	p.beginText()
	// A run whose glyphs do not give its text back in order (a vowel
	// sign drawn before its consonant, a glyph that stands for other text
	// elsewhere), or that places marks on its letters, carries its text
	// as ActualText: readers that assemble words from glyph positions
	// would cut it at its marks. Right-to-left runs are left to the
	// readers' reordering.
	actual := false
	if r.Text != "" && (len(r.Glyphs) < 2 || r.Glyphs[0].Start <= r.Glyphs[len(r.Glyphs)-1].Start) {
		actual = !whole
		for _, g := range r.Glyphs {
			actual = actual || g.XOffset != 0 || g.YOffset != 0
		}
	}
	if actual {
		p.beginActual(r.Text)
		defer p.endActual()
	}
	if f != p.font || r.Size != p.size {
		p.c = append(p.c, '/')
		p.c = append(p.c, f.name...)
		p.c = append(p.c, ' ')
		p.num(r.Size)
		p.op("Tf")
		p.font, p.size = f, r.Size
	}
	p.setFill(r.Color)
	gs := r.Glyphs
	if actual {
		// Readers spread ActualText over the glyphs from where the first
		// one drawn starts to where the last one drawn ends: marks placed
		// over the last letter are drawn before it, so the span ends
		// where the run does.
		n := len(gs)
		tail := n
		for tail > 0 && (gs[tail-1].XOffset != 0 || gs[tail-1].YOffset != 0) {
			tail--
		}
		if tail > 0 && tail < n {
			scale := r.Scale
			if scale <= 0 {
				scale = 1
			}
			x := r.X
			for _, g := range gs[:tail-1] {
				x += g.Advance * scale
			}
			p.glyphs(f, r, gs[:tail-1], r.X)
			p.glyphs(f, r, gs[tail:], x+gs[tail-1].Advance*scale)
			p.glyphs(f, r, gs[tail-1:tail], x)
			return
		}
	}
	p.glyphs(f, r, gs, r.X)
}

// glyphs draws the glyphs gs of run r with the pen starting at x.
func (p *Page) glyphs(f *docFont, r Run, gs []font.Glyph, x float64) {
	k := 1000 / r.Size // points to thousandths of an em
	scale := r.Scale
	if scale <= 0 {
		scale = 1
	}
	for i := 0; i < len(gs); {
		g := gs[i]
		if g.XOffset != 0 || g.YOffset != 0 {
			// An offset glyph (a mark): placed on its own.
			p.tm(x+g.XOffset*scale, p.y(r.Y)+g.YOffset, scale)
			p.c = append(p.c, '(')
			p.c = appendCode(p.c, g.ID)
			p.op(") Tj")
			x += g.Advance * scale
			i++
			continue
		}
		// A stretch of glyphs without offsets: one TJ.
		p.tm(x, p.y(r.Y), scale)
		p.c = append(p.c, "[("...)
		ideal, drawn := 0.0, 0.0 // pen positions in thousandths of an em
		for ; i < len(gs) && gs[i].XOffset == 0 && gs[i].YOffset == 0; i++ {
			g := gs[i]
			if diff := drawn - ideal; math.Abs(diff) >= 0.5 {
				adj := math.Round(diff)
				p.c = append(p.c, ')')
				p.c = strconv.AppendInt(p.c, int64(adj), 10)
				p.c = append(p.c, '(')
				drawn -= adj
			}
			p.c = appendCode(p.c, g.ID)
			drawn += f.width(g.ID)
			ideal += g.Advance * k
			x += g.Advance * scale
		}
		p.op(")] TJ")
	}
}

// Rotated draws what fn draws on the page turned a quarter turn
// counterclockwise about (cx, cy), from the page's top left: a drawing too
// wide for the page is set across it, to be read with the book turned.
func (p *Page) Rotated(cx, cy float64, fn func()) {
	p.endText()
	saved := p.graphicsState()
	p.c = append(p.c, "q\n"...)
	// In PDF space the centre is (px, py); the rotation about it maps
	// (x, y) to (px+py-y, py-px+x).
	px, py := cx, p.y(cy)
	p.c = append(p.c, "0 1 -1 0 "...)
	p.num(px + py)
	p.num(py - px)
	p.op("cm")
	fn()
	p.endText()
	p.c = append(p.c, "Q\n"...)
	p.setGraphicsState(saved) // what Q brings back
}

// Clipped draws what fn draws clipped to the rectangle whose top left
// corner is (x, y), from the page's top left, and which is w × h: the
// piece of a drawing that goes on one page. Called within Rotated, the
// rectangle is turned with what it clips.
func (p *Page) Clipped(x, y, w, h float64, fn func()) {
	p.endText()
	saved := p.graphicsState()
	p.c = append(p.c, "q\n"...)
	p.num(x)
	p.num(p.y(y + h))
	p.num(w)
	p.num(h)
	p.op("re W n")
	fn()
	p.endText()
	p.c = append(p.c, "Q\n"...)
	p.setGraphicsState(saved) // what Q brings back
}

// graphicsState is the state a q saves and a Q restores, as the page
// tracks it.
type graphicsState struct {
	font           *docFont
	size           float64
	fill, stroke   string
	fillC, strokeC Color
	lineW          float64
	dash           string
	cap, join      int
}

func (p *Page) graphicsState() graphicsState {
	return graphicsState{p.font, p.size, p.fill, p.stroke, p.fillC, p.strokeC, p.lineW, p.dash, p.cap, p.join}
}

func (p *Page) setGraphicsState(g graphicsState) {
	p.font, p.size, p.fill, p.stroke, p.fillC, p.strokeC, p.lineW, p.dash, p.cap, p.join = g.font, g.size, g.fill, g.stroke, g.fillC, g.strokeC, g.lineW, g.dash, g.cap, g.join
}

// tm sets the text matrix to a translation to (x, y) in PDF space, with a
// horizontal scale.
func (p *Page) tm(x, y, scale float64) {
	if scale == 1 {
		p.c = append(p.c, "1 0 0 1 "...)
	} else {
		p.num(scale)
		p.c = append(p.c, "0 0 1 "...)
	}
	p.num(x)
	p.num(y)
	p.op("Tm")
}

// appendCode appends the two bytes of a glyph code to a literal string,
// escaped where the string syntax needs it: half the size of hex, and
// faster to compress.
func appendCode(b []byte, id uint16) []byte {
	for _, c := range [2]byte{byte(id >> 8), byte(id)} {
		switch c {
		case '(', ')', '\\':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return b
}

func appendHex4(b []byte, v uint16) []byte {
	const hex = "0123456789ABCDEF"
	return append(b, hex[v>>12], hex[v>>8&15], hex[v>>4&15], hex[v&15])
}

// Text shapes s in f at size points with the given features and draws it
// with its pen starting at (x, y) on the baseline. It returns the width.
func (p *Page) Text(f *font.Font, size float64, c Color, x, y float64, s string, feat font.Features) float64 {
	return p.TextScaled(f, size, c, x, y, s, feat, 1)
}

// TextScaled is Text with the glyphs widened or narrowed by scale (see
// Run.Scale).
func (p *Page) TextScaled(f *font.Font, size float64, c Color, x, y float64, s string, feat font.Features, scale float64) float64 {
	gs := f.AppendShape(p.d.glyphs[:0], s, size, feat, 0)
	return p.drawShaped(f, size, c, x, y, s, gs, scale)
}

// WordSpace is TextScaled of a word followed by a space, left to right.
// The two are shaped apart, so the word is the one the line breaker
// measured (shaped once, then cached) and no kerning reaches across the
// space, which is invisible and which no glyph follows in the run.
func (p *Page) WordSpace(f *font.Font, size float64, c Color, x, y float64, word string, feat font.Features, scale float64) float64 {
	gs := f.AppendShape(p.d.glyphs[:0], word, size, feat, 0)
	gs = f.AppendShape(gs, " ", size, feat, len(word))
	return p.drawShaped(f, size, c, x, y, word+" ", gs, scale)
}

// drawShaped draws the glyphs gs shaped from s and returns their width.
func (p *Page) drawShaped(f *font.Font, size float64, c Color, x, y float64, s string, gs []font.Glyph, scale float64) float64 {
	p.d.glyphs = gs // kept for the next run: Glyphs holds on to none
	p.Glyphs(Run{Font: f, Size: size, Color: c, X: x, Y: y, Glyphs: gs, Text: s, Scale: scale})
	w := 0.0
	for _, g := range gs {
		w += g.Advance
	}
	return w * scale
}

// Path is a path of straight and curved segments, in the coordinates of
// the page (from its top left, y down).
type Path struct {
	ops []pathOp
}

type pathOp struct {
	op  byte // 'm', 'l', 'c', 'h'
	pts [6]float64
}

// MoveTo starts a new subpath at (x, y).
func (pa *Path) MoveTo(x, y float64) { pa.ops = append(pa.ops, pathOp{op: 'm', pts: [6]float64{x, y}}) }

// LineTo adds a straight segment to (x, y).
func (pa *Path) LineTo(x, y float64) { pa.ops = append(pa.ops, pathOp{op: 'l', pts: [6]float64{x, y}}) }

// CurveTo adds a cubic Bézier curve with control points (x1, y1) and
// (x2, y2), ending at (x, y).
func (pa *Path) CurveTo(x1, y1, x2, y2, x, y float64) {
	pa.ops = append(pa.ops, pathOp{op: 'c', pts: [6]float64{x1, y1, x2, y2, x, y}})
}

// Close closes the current subpath with a straight segment to its start.
func (pa *Path) Close() { pa.ops = append(pa.ops, pathOp{op: 'h'}) }

// paint sets the colours and line style of pt and returns the painting
// operator, or "" when pt paints nothing.
func (p *Page) paint(pt Paint) string {
	if pt.Fill == nil && pt.Stroke == nil {
		return ""
	}
	p.endText()
	if pt.Fill != nil {
		p.setFill(*pt.Fill)
	}
	if pt.Stroke != nil {
		p.setStroke(*pt.Stroke)
		w := pt.LineWidth
		if w == 0 {
			w = 0.5
		}
		if w != p.lineW {
			p.num(w)
			p.op("w")
			p.lineW = w
		}
		var b []byte
		b = append(b, '[')
		for i, v := range pt.Dash {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendNum(b, v, 3)
		}
		b = append(b, "] "...)
		b = appendNum(b, pt.DashPhase, 3)
		b = append(b, " d"...)
		if dash := string(b); dash != p.dash {
			p.op(dash)
			p.dash = dash
		}
		if int(pt.Cap) != p.cap {
			p.op(strconv.Itoa(int(pt.Cap)) + " J")
			p.cap = int(pt.Cap)
		}
		if int(pt.Join) != p.join {
			p.op(strconv.Itoa(int(pt.Join)) + " j")
			p.join = int(pt.Join)
		}
	}
	switch {
	case pt.Fill != nil && pt.Stroke != nil && pt.EvenOdd:
		return "B*"
	case pt.Fill != nil && pt.Stroke != nil:
		return "B"
	case pt.Fill != nil && pt.EvenOdd:
		return "f*"
	case pt.Fill != nil:
		return "f"
	}
	return "S"
}

// Path paints a path.
func (p *Page) Path(pa *Path, pt Paint) {
	op := p.paint(pt)
	if op == "" || len(pa.ops) == 0 {
		return
	}
	for _, o := range pa.ops {
		n := 2
		switch o.op {
		case 'c':
			n = 6
		case 'h':
			n = 0
		}
		for j := 0; j < n; j += 2 {
			p.num(o.pts[j])
			p.num(p.y(o.pts[j+1]))
		}
		p.op(string(o.op))
	}
	p.op(op)
}

// Rect paints the rectangle with its top left corner at (x, y).
func (p *Page) Rect(x, y, w, h float64, pt Paint) {
	op := p.paint(pt)
	if op == "" {
		return
	}
	p.num(x)
	p.num(p.y(y + h))
	p.num(w)
	p.num(h)
	p.op("re")
	p.op(op)
}

// Line strokes a straight line from (x1, y1) to (x2, y2) with pt's stroke.
func (p *Page) Line(x1, y1, x2, y2 float64, pt Paint) {
	pt.Fill = nil
	var pa Path
	pa.MoveTo(x1, y1)
	pa.LineTo(x2, y2)
	p.Path(&pa, pt)
}

// Image draws img scaled into the box with its top left corner at (x, y).
func (p *Page) Image(img *Image, x, y, w, h float64) {
	p.endText()
	p.useImage(img)
	p.op("q")
	p.num(w)
	p.c = append(p.c, "0 0 "...)
	p.num(h)
	p.num(x)
	p.num(p.y(y + h))
	p.op("cm")
	p.c = append(p.c, '/')
	p.c = append(p.c, img.name...)
	p.op(" Do")
	p.op("Q")
}

func (p *Page) useFont(f *docFont) {
	for _, g := range p.fonts {
		if g == f {
			return
		}
	}
	p.fonts = append(p.fonts, f)
}

func (p *Page) useImage(img *Image) {
	for _, g := range p.images {
		if g == img {
			return
		}
	}
	p.images = append(p.images, img)
}

// Target is where a link goes: a URI, a named destination, or a place in
// the document (page index and y from the page's top), tried in that
// order.
type Target struct {
	URI  string
	Name string
	Page int
	Y    float64
}

// Link is a clickable area of a page.
type Link struct {
	// X, Y, W and H are the area, from the page's top left.
	X, Y, W, H float64
	Target
	// Contents describes the link for assistive technology; PDF/UA wants
	// it on every link.
	Contents string
	// Elem is the Link structure element the annotation belongs to, in a
	// tagged document.
	Elem *Elem
}

// pendingLink is a link annotation waiting for its target page.
type pendingLink struct {
	r    ref
	page int
	l    Link
	key  int // the annotation's parent tree key, -1 if none
}

// AddLink makes an area of the page a link. A link to a page not yet
// begun is written when the document is closed.
func (p *Page) AddLink(l Link) {
	pl := pendingLink{r: p.d.o.reserve(), page: p.index, l: l, key: -1}
	if l.Elem != nil {
		pl.key = p.d.structTree().addObjr(l.Elem, p.index, pl.r)
	}
	p.annots = append(p.annots, pl.r)
	if l.URI == "" && l.Name == "" && (l.Page >= len(p.d.sizes) || p.d.sizes[l.Page][1] == 0) {
		p.d.pageRef(l.Page)
		p.d.pending = append(p.d.pending, pl)
		return
	}
	if err := p.d.writeLink(pl); err != nil && p.d.err == nil {
		p.d.err = err
	}
}

// writeLink writes a link annotation.
func (d *Document) writeLink(pl pendingLink) error {
	l := pl.l
	h := d.sizes[pl.page][1]
	var b []byte
	b = append(b, "<< /Type /Annot /Subtype /Link /Rect ["...)
	for i, v := range []float64{l.X, h - l.Y - l.H, l.X + l.W, h - l.Y} {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendNum(b, v, 2)
	}
	b = append(b, "] /Border [0 0 0]"...)
	switch {
	case l.URI != "":
		b = append(b, " /A << /S /URI /URI "...)
		b = appendLiteral(b, uriASCII(l.URI))
		b = append(b, " >>"...)
	case l.Name != "":
		b = append(b, " /Dest "...)
		b = appendLiteral(b, l.Name)
	default:
		if l.Page < 0 || l.Page >= len(d.sizes) || d.sizes[l.Page][1] == 0 {
			return fmt.Errorf("pdfdoc: link on page %d to page %d, which does not exist", pl.page+1, l.Page+1)
		}
		b = append(b, " /Dest "...)
		b = d.appendDest(b, destination{l.Page, l.Y})
	}
	if l.Contents != "" {
		b = append(b, " /Contents "...)
		b = appendText(b, l.Contents)
	}
	if pl.key >= 0 {
		b = fmt.Appendf(b, " /StructParent %d", pl.key)
	}
	b = append(b, " /P "...)
	b = appendRef(b, d.kids[pl.page])
	b = append(b, " >>"...)
	d.o.object(pl.r, b)
	return nil
}

// uriASCII percent-encodes the bytes of a URI outside printable ASCII: a
// URI in a PDF is 7-bit ASCII.
func uriASCII(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7F {
			b = fmt.Appendf(b, "%%%02X", c)
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// Dest names a destination at y on this page, for links with a Name
// target (from any page, before or after this one). The first
// destination of a name wins.
func (p *Page) Dest(name string, y float64) {
	if _, ok := p.d.dests[name]; !ok {
		p.d.dests[name] = destination{p.index, y}
	}
}

// Close finishes the page and writes it to the output.
func (p *Page) Close() error {
	d := p.d
	if p.closed {
		return errors.New("pdfdoc: page closed twice")
	}
	if len(p.marked) != 0 {
		return fmt.Errorf("pdfdoc: page %d: %d marked-content sequences left open", p.index+1, len(p.marked))
	}
	p.endText()
	p.closed = true
	d.open = nil
	d.done++
	content := d.o.reserve()
	d.o.stream(content, nil, p.c, true) // copies p.c
	d.spare, p.c = p.c[:0], nil
	var b []byte
	b = append(b, "<< /Type /Page /Parent "...)
	b = appendRef(b, d.pages)
	b = append(b, " /MediaBox [0 0 "...)
	b = appendNum(b, p.w, 3)
	b = append(b, ' ')
	b = appendNum(b, p.h, 3)
	b = append(b, "] /Resources <<"...)
	if len(p.fonts) > 0 {
		b = append(b, " /Font <<"...)
		for _, f := range p.fonts {
			b = append(b, " /"...)
			b = append(b, f.name...)
			b = append(b, ' ')
			b = appendRef(b, f.r)
		}
		b = append(b, " >>"...)
	}
	if len(p.images) > 0 {
		b = append(b, " /XObject <<"...)
		for _, img := range p.images {
			b = append(b, " /"...)
			b = append(b, img.name...)
			b = append(b, ' ')
			b = appendRef(b, img.r)
		}
		b = append(b, " >>"...)
	}
	b = append(b, " >> /Contents "...)
	b = appendRef(b, content)
	if len(p.annots) > 0 {
		b = append(b, " /Annots ["...)
		for i, a := range p.annots {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendRef(b, a)
		}
		b = append(b, ']')
	}
	if p.structParent >= 0 {
		b = fmt.Appendf(b, " /StructParents %d", p.structParent)
		d.structTree().pageDone(p.structParent, p.mcids)
	}
	if d.cfg.Tagged {
		b = append(b, " /Tabs /S"...)
	}
	b = append(b, " >>"...)
	d.o.object(d.kids[p.index], b)
	// Links from earlier pages to this one can be written now.
	kept := d.pending[:0]
	for _, l := range d.pending {
		if l.l.Page == p.index {
			if err := d.writeLink(l); err != nil {
				return err
			}
			continue
		}
		kept = append(kept, l)
	}
	d.pending = kept
	return d.o.err
}
