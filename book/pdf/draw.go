package pdf

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/bindery-books/bindery/book/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Drawing is the last stage: the pages, with their items placed, are
// drawn with fpdf.

// fpdf font names and styles of each face.
func pdfFont(f font.Face) (family, style string) {
	family = [...]string{"serif", "sans", "mono", "math"}[f.Family]
	if f.Family == font.Math {
		return family, ""
	}
	return family, [...]string{"", "B", "I", "BI"}[f.Style]
}

// draw renders the pages with fpdf.
func (w *writer) draw(out io.Writer, pages []*Page, frontCount int) error {
	f := w.newFPDF(frontCount)
	use := fontUser(f)
	links := w.linkTargets(f, pages)
	g := w.g
	for _, p := range pages {
		f.AddPage()
		if p.blank {
			continue
		}
		left := g.Left(p.num)
		w.drawFrames(f, p, left)
		for _, pl := range p.items {
			w.drawOps(f, use, links, pl.it.Ops, left, g.Top+pl.y)
		}
		w.drawNotes(f, use, links, p, left)
		if !p.opening {
			w.drawHead(f, use, p, left)
		}
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return f.Output(out)
}

// newFPDF starts a document of the book's page size with its metadata,
// dated by the book (never the clock), and its page labels.
func (w *writer) newFPDF(frontCount int) *fpdf.Fpdf {
	g := w.g
	m := w.b.Meta
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "pt", Size: fpdf.SizeType{Wd: g.PageW, Ht: g.PageH}})
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(0, 0, 0)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	t := w.b.Modified.UTC()
	f.SetCreationDate(t)
	f.SetModificationDate(t)
	f.SetTitle(m.Title, true)
	if len(m.Authors) > 0 {
		f.SetAuthor(strings.Join(m.Authors, ", "), true)
	}
	if m.Description != "" {
		f.SetSubject(m.Description, true)
	}
	if len(m.Tags) > 0 {
		f.SetKeywords(strings.Join(m.Tags, ", "), true)
	}
	creator := "Bindery"
	if w.cfg.Version != "" {
		creator += " " + w.cfg.Version
	}
	f.SetCreator(creator, true)
	f.SetProducer(creator+" with go-pdf/fpdf", true)
	lang := cmp.Or(m.Language, "en")
	// Page labels make viewers show the printed folios (i, ii, … then 1,
	// 2, …). fpdf writes the language into the catalog verbatim, so the
	// labels ride along after it; the trailing key closes the string fpdf
	// opens.
	f.SetLang(fmt.Sprintf("%s) /PageLabels << /Nums [0 << /S /r >> %d << /S /D >>] >> /BinderyLang (%s", pdfString(lang), frontCount, pdfString(lang)))
	return f
}

// fontUser returns a function that sets a face and size, registering the
// face's font the first time it is used.
func fontUser(f *fpdf.Fpdf) func(font.Face, float64) {
	registered := map[font.Face]bool{}
	return func(face font.Face, size float64) {
		face = fontFace(face)
		fam, st := pdfFont(face)
		if !registered[face] {
			// A copy: fpdf's subsetter rewrites composite glyphs in the
			// bytes it is given, which would change the shared font data
			// under the next PDF (and under font's metrics).
			f.AddUTF8FontFromBytes(fam, st, bytes.Clone(face.TTF()))
			registered[face] = true
		}
		f.SetFont(fam, st, size)
	}
}

// linkTargets gives every anchor of the pages a link target, before any
// page is drawn, so links may point forward.
func (w *writer) linkTargets(f *fpdf.Fpdf, pages []*Page) map[string]int {
	links := map[string]int{}
	for _, p := range pages {
		for _, pl := range p.items {
			for _, op := range pl.it.Ops {
				if a, ok := op.(*anchorOp); ok {
					if _, seen := links[a.Key]; !seen {
						id := f.AddLink()
						f.SetLink(id, w.g.Top+pl.y+a.Y, p.num)
						links[a.Key] = id
					}
				}
			}
		}
		w.noteAnchors(p, links, f)
	}
	return links
}

// fontFace maps a face to one fpdf can register: Math has one style.
func fontFace(f font.Face) font.Face {
	if f.Family == font.Math {
		return font.Face{Family: font.Math}
	}
	return f
}

// pdfString escapes a string for a PDF literal.
func pdfString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", "", "\n", "")
	var b strings.Builder
	for _, c := range r.Replace(s) {
		if c < 127 && c >= 32 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// notePositions returns the top of each note on a page, from the top of
// the text block: notes are stacked at the foot.
func (w *writer) notePositions(p *Page) []float64 {
	h := notesHeight(p.notes)
	y := w.g.TextH - h
	var ys []float64
	for _, n := range p.notes {
		ys = append(ys, y)
		for _, it := range n.Items {
			y += it.H
		}
	}
	return ys
}

func (w *writer) noteAnchors(p *Page, links map[string]int, f *fpdf.Fpdf) {
	for i, y := range w.notePositions(p) {
		for _, it := range p.notes[i].Items {
			for _, op := range it.Ops {
				if a, ok := op.(*anchorOp); ok {
					if _, seen := links[a.Key]; !seen {
						id := f.AddLink()
						f.SetLink(id, w.g.Top+y+a.Y, p.num)
						links[a.Key] = id
					}
				}
			}
			y += it.H
		}
	}
}

// drawFrames draws the boxes behind runs of items: for each frame on the
// page, from the top of its first item to the bottom of its last, with
// its padding.
func (w *writer) drawFrames(f *fpdf.Fpdf, p *Page, left float64) {
	type extent struct {
		top, bottom float64
		set         bool
	}
	var order []*Frame
	ext := map[*Frame]*extent{}
	for _, pl := range p.items {
		for j, fr := range pl.it.Frames {
			e, ok := ext[fr]
			if !ok {
				e = &extent{}
				ext[fr] = e
				order = append(order, fr)
			}
			pt, pb := 0.0, 0.0
			for _, inner := range pl.it.Frames[j:] {
				pt += inner.PadTop
				pb += inner.PadBottom
			}
			top := pl.y - pt
			bottom := pl.y + pl.it.H + pb
			if !e.set {
				e.top, e.bottom, e.set = top, bottom, true
			}
			e.top = min(e.top, top)
			e.bottom = max(e.bottom, bottom)
		}
	}
	for _, fr := range order {
		e := ext[fr]
		x := left + fr.X
		y := w.g.Top + e.top
		h := e.bottom - e.top
		if fr.Fill != nil {
			setFill(f, *fr.Fill)
			f.Rect(x, y, fr.W, h, "F")
		}
		if fr.Border != nil {
			setDraw(f, *fr.Border)
			f.SetLineWidth(0.6)
			f.Rect(x, y, fr.W, h, "D")
		}
		if fr.Bar != nil {
			setFill(f, *fr.Bar)
			f.Rect(x, y, fr.BarW, h, "F")
		}
		if fr.Rules != nil {
			setDraw(f, *fr.Rules)
			f.SetLineWidth(0.8)
			f.Line(x, y, x+fr.W, y)
			f.Line(x, y+h, x+fr.W, y+h)
		}
	}
}

func setFill(f *fpdf.Fpdf, c rgb) { f.SetFillColor(int(c.R), int(c.G), int(c.B)) }
func setDraw(f *fpdf.Fpdf, c rgb) { f.SetDrawColor(int(c.R), int(c.G), int(c.B)) }
func setText(f *fpdf.Fpdf, c rgb) { f.SetTextColor(int(c.R), int(c.G), int(c.B)) }

// drawOps draws an item's operations with its top left at (left, top).
func (w *writer) drawOps(f *fpdf.Fpdf, use func(font.Face, float64), links map[string]int, ops []Op, left, top float64) {
	for _, op := range ops {
		switch o := op.(type) {
		case *textOp:
			use(o.Face, o.Size)
			setText(f, o.Color)
			f.Text(left+o.X, top+o.Y, o.S)
		case *glyphOp:
			drawGlyph(f, o, left, top)
		case *rectOp:
			if style := paint(f, o.Fill, o.Stroke, o.LineW); style != "" {
				f.Rect(left+o.X, top+o.Y, o.W, o.H, style)
			}
		case *lineOp:
			setDraw(f, o.Color)
			f.SetLineWidth(o.W)
			f.Line(left+o.X1, top+o.Y1, left+o.X2, top+o.Y2)
		case *linkOp:
			if o.Anchor != "" {
				if id, ok := links[o.Anchor]; ok {
					f.Link(left+o.X, top+o.Y, o.W, o.H, id)
				}
			} else if o.URL != "" {
				f.LinkString(left+o.X, top+o.Y, o.W, o.H, o.URL)
			}
		case *anchorOp:
			if o.Title != "" {
				use(sans, 10) // bookmarks take the current font's encoding: UTF-8
				f.Bookmark(o.Title, o.Level, top+o.Y)
			}
		case *imageOp:
			data, kind := o.Pic.Print()
			opts := fpdf.ImageOptions{ImageType: kind}
			if f.GetImageInfo(o.Pic.Name) == nil {
				f.RegisterImageOptionsReader(o.Pic.Name, opts, bytes.NewReader(data))
			}
			f.ImageOptions(o.Pic.Name, left+o.X, top+o.Y, o.W, o.H, false, opts, 0, "")
		case *pathOp:
			drawPath(f, o, left, top)
		default:
			panic(fmt.Sprintf("pdf: unknown op %T", op))
		}
	}
}

// paint sets the fill and stroke colours and returns fpdf's style string
// for them: "F", "D", "FD", or "" when there is nothing to paint.
func paint(f *fpdf.Fpdf, fill, stroke *rgb, lineW float64) string {
	style := ""
	if fill != nil {
		setFill(f, *fill)
		style += "F"
	}
	if stroke != nil {
		setDraw(f, *stroke)
		f.SetLineWidth(cmp.Or(lineW, 0.5))
		style += "D"
	}
	return style
}

func drawPath(f *fpdf.Fpdf, o *pathOp, left, top float64) {
	style := paint(f, o.Fill, o.Stroke, o.LineW)
	if style == "" {
		return
	}
	if len(o.Dash) > 0 {
		f.SetDashPattern(o.Dash, 0)
	}
	f.SetLineCapStyle("round")
	f.SetLineJoinStyle("round")
	for _, s := range o.Segs {
		switch s.Op {
		case 'M':
			f.MoveTo(left+s.Pts[0], top+s.Pts[1])
		case 'L':
			f.LineTo(left+s.Pts[0], top+s.Pts[1])
		case 'C':
			f.CurveBezierCubicTo(left+s.Pts[0], top+s.Pts[1], left+s.Pts[2], top+s.Pts[3], left+s.Pts[4], top+s.Pts[5])
		case 'Z':
			f.ClosePath()
		}
	}
	if o.Close {
		f.ClosePath()
	}
	f.DrawPath(style)
	if len(o.Dash) > 0 {
		f.SetDashPattern(nil, 0)
	}
	f.SetLineCapStyle("butt")
	f.SetLineJoinStyle("miter")
}

// drawGlyph draws a rune fpdf cannot set as text from its outline.
func drawGlyph(f *fpdf.Fpdf, o *glyphOp, left, top float64) {
	m := font.MetricsOf(o.Face)
	var buf sfnt.Buffer
	gi, err := m.Font.GlyphIndex(&buf, o.R)
	if err != nil || gi == 0 {
		return
	}
	segs, err := m.Font.LoadGlyph(&buf, gi, fixed.I(m.UnitsPerEm), nil)
	if err != nil {
		return
	}
	k := o.Size / float64(m.UnitsPerEm)
	x0, y0 := left+o.X, top+o.Y
	pt := func(p fixed.Point26_6) (float64, float64) {
		return x0 + float64(p.X)/64*k, y0 + float64(p.Y)/64*k
	}
	setFill(f, o.Color)
	cx, cy := 0.0, 0.0
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if cx != 0 || cy != 0 {
				f.ClosePath()
			}
			cx, cy = pt(s.Args[0])
			f.MoveTo(cx, cy)
		case sfnt.SegmentOpLineTo:
			cx, cy = pt(s.Args[0])
			f.LineTo(cx, cy)
		case sfnt.SegmentOpQuadTo:
			qx, qy := pt(s.Args[0])
			ex, ey := pt(s.Args[1])
			// A quadratic as a cubic.
			f.CurveBezierCubicTo(cx+2.0/3*(qx-cx), cy+2.0/3*(qy-cy), ex+2.0/3*(qx-ex), ey+2.0/3*(qy-ey), ex, ey)
			cx, cy = ex, ey
		case sfnt.SegmentOpCubeTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			cx, cy = pt(s.Args[2])
			f.CurveBezierCubicTo(ax, ay, bx, by, cx, cy)
		}
	}
	f.ClosePath()
	f.DrawPath("f")
}

// drawNotes sets a page's footnotes at its foot under a short rule.
func (w *writer) drawNotes(f *fpdf.Fpdf, use func(font.Face, float64), links map[string]int, p *Page, left float64) {
	if len(p.notes) == 0 {
		return
	}
	ys := w.notePositions(p)
	rule := w.g.Top + ys[0] - w.st.Leading*0.55
	setDraw(f, ruleGrey)
	f.SetLineWidth(0.5)
	f.Line(left, rule, left+w.g.TextW*0.3, rule)
	for i, n := range p.notes {
		y := ys[i]
		for _, it := range n.Items {
			w.drawOps(f, use, links, it.Ops, left, w.g.Top+y)
			y += it.H
		}
	}
}

// drawHead draws the running head and the folio. In a two-sided book the
// verso head is the book's title and the recto head the chapter's, each
// on the outer side; otherwise the chapter's title is centred.
func (w *writer) drawHead(f *fpdf.Fpdf, use func(font.Face, float64), p *Page, left float64) {
	g := w.g
	size := w.st.Small * 0.92
	head := "Contents"
	if p.chapter != nil {
		head = p.chapter.Title
	}
	recto := p.num%2 == 1
	if g.TwoSide && !recto {
		head = w.b.Meta.Title
	}
	face := serifItal
	// Fit the head on one line.
	for measure(face, size, head) > g.TextW*0.8 && len([]rune(head)) > 4 {
		r := []rune(head)
		head = strings.TrimRight(string(r[:len(r)-2]), " ,;:") + "…"
	}
	hw := measure(face, size, head)
	x := left + (g.TextW-hw)/2
	if g.TwoSide {
		if recto {
			x = left + g.TextW - hw
		} else {
			x = left
		}
	}
	w.drawText(f, use, x, g.HeadBase, face, size, grey, head)
	fs := w.st.Small
	fw := measure(sans, fs, p.folio)
	fx := left + (g.TextW-fw)/2
	if g.TwoSide {
		if recto {
			fx = left + g.TextW - fw
		} else {
			fx = left
		}
	}
	w.drawText(f, use, fx, g.FootBase, sans, fs, black, p.folio)
}

// drawText sets a string that may hold characters its face lacks, face by
// face through the fallback chain.
func (w *writer) drawText(f *fpdf.Fpdf, use func(font.Face, float64), x, y float64, face font.Face, size float64, c rgb, s string) {
	tx := &typesetter{warn: func(string, ...any) {}}
	ws := tx.words([]span{{st: style{Face: face, Size: size, Color: c}, text: s}})
	it := setLine(ws, lineSpan{from: 0, to: len(ws)}, lineStyle{Width: 1e6, Lead: size, Face: face, Size: size})
	for _, op := range it.Ops {
		shiftOp(op, 0, -it.Base)
	}
	w.drawOps(f, use, nil, it.Ops, x, y)
}
