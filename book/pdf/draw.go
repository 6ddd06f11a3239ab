package pdf

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/pdf/pdfdoc"
)

// Drawing is the last stage: the pages, with their items placed, are
// drawn with pdfdoc, which places glyphs by id as shaping gives them
// (kerning, ligatures), embeds subsets of the fonts with a map back to the
// text, and writes each page as it is finished.

// drawer draws the pages of one PDF: the body's, a chunk at a time (a
// chapter's pages, a part's), then the front matter's, which go first.
type drawer struct {
	w      *writer
	doc    *pdfdoc.Document
	page   *pdfdoc.Page
	images map[string]*pdfdoc.Image // by picture name
	// tg builds the structure tree (draw_tags.go); nil in an untagged PDF.
	tg *tagger
	// outline holds the outline's entries until the document is closed:
	// the body's, then, from frontAt on, the front matter's, which go
	// first.
	outline []pdfdoc.OutlineItem
	frontAt int
}

// newDrawer starts the PDF written into out.
func (w *writer) newDrawer(out io.Writer) (*drawer, error) {
	doc, err := pdfdoc.New(out, w.docConfig())
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	d := &drawer{w: w, doc: doc, images: map[string]*pdfdoc.Image{}}
	if !w.cfg.Untagged {
		d.tg = newTagger(doc, w.tags().root)
	}
	return d, nil
}

// draw draws pages that hold all the content of their structure elements:
// a chunk of the body, or the front matter.
func (d *drawer) draw(pages []*Page) error {
	if d.tg != nil {
		d.tg.attach(pages)
	}
	g := d.w.g
	for _, p := range pages {
		d.page = d.doc.NewPage(g.PageW, g.PageH)
		if !p.blank {
			left := g.Left(p.num)
			d.artifact(artifactLayout)
			d.frames(p, left)
			for _, pl := range p.items {
				d.item(pl.it, pl.head, left, g.Top+pl.y)
			}
			d.notes(p, left)
			if !p.opening {
				d.head(p, left)
			}
		}
		d.endMarks()
		if err := d.page.Close(); err != nil {
			return fmt.Errorf("pdf: %w", err)
		}
	}
	if d.tg != nil {
		d.tg.release()
	}
	return nil
}

// startFront begins the front matter, drawn after the body: its pages,
// its outline entries and its structure elements go before the body's.
func (d *drawer) startFront() {
	d.frontAt = len(d.outline)
	if d.tg != nil {
		d.tg.front = true
	}
}

// close finishes the PDF of body pages and then front pages: the front
// matter goes first, labelled in roman numerals, the body in arabic.
func (d *drawer) close(body, front int) error {
	doc := d.doc
	for _, it := range append(d.outline[d.frontAt:], d.outline[:d.frontAt]...) {
		// The outline's levels follow the book's nesting, so no entry
		// is more than one level below the one before it.
		_ = doc.AddOutline(it)
	}
	labels := []pdfdoc.LabelRange{{First: 0, Style: pdfdoc.RomanLower}}
	if front > 0 {
		labels = append(labels, pdfdoc.LabelRange{First: front, Style: pdfdoc.Decimal})
	} else {
		labels[0].Style = pdfdoc.Decimal
	}
	if err := doc.SetLabels(labels); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := doc.MoveToFront(body); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := doc.Close(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// docConfig returns the document's metadata, dated by the book (never the
// clock). The page labels are given when the document is closed.
func (w *writer) docConfig() pdfdoc.Config {
	m := w.b.Meta
	creator := "Bindery"
	if w.cfg.Version != "" {
		creator += " " + w.cfg.Version
	}
	t := w.b.Modified.UTC()
	return pdfdoc.Config{
		Info: pdfdoc.Info{
			Title:    m.Title,
			Author:   strings.Join(m.Authors, ", "),
			Subject:  m.Description,
			Keywords: strings.Join(m.Tags, ", "),
			Creator:  creator,
			Producer: creator,
			Lang:     cmp.Or(m.Language, "en"),
			Created:  t,
			Modified: t,
		},
		Tagged: !w.cfg.Untagged,
	}
}

func pdfColor(c rgb) pdfdoc.Color { return pdfdoc.Color{R: c.R, G: c.G, B: c.B} }

func pdfColorPtr(c *rgb) *pdfdoc.Color {
	if c == nil {
		return nil
	}
	pc := pdfColor(*c)
	return &pc
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

// frames draws the boxes behind runs of items: for each frame on the page,
// from the top of its first item to the bottom of its last, with its
// padding.
func (d *drawer) frames(p *Page, left float64) {
	type extent struct{ top, bottom float64 }
	var order []*Frame
	ext := map[*Frame]*extent{}
	for _, pl := range p.items {
		for j, fr := range pl.it.Frames {
			pt, pb := 0.0, 0.0
			for _, inner := range pl.it.Frames[j:] {
				pt += inner.PadTop
				pb += inner.PadBottom
			}
			top, bottom := pl.y-pt, pl.y+pl.it.H+pb
			e, ok := ext[fr]
			if !ok {
				ext[fr] = &extent{top, bottom}
				order = append(order, fr)
				continue
			}
			e.top, e.bottom = min(e.top, top), max(e.bottom, bottom)
		}
	}
	for _, fr := range order {
		e := ext[fr]
		x, y, h := left+fr.X, d.w.g.Top+e.top, e.bottom-e.top
		if fr.Fill != nil {
			d.page.Rect(x, y, fr.W, h, pdfdoc.Paint{Fill: pdfColorPtr(fr.Fill)})
		}
		if fr.Border != nil {
			d.page.Rect(x, y, fr.W, h, pdfdoc.Paint{Stroke: pdfColorPtr(fr.Border), LineWidth: 0.6})
		}
		if fr.Bar != nil {
			d.page.Rect(x, y, fr.BarW, h, pdfdoc.Paint{Fill: pdfColorPtr(fr.Bar)})
		}
		if fr.Rules != nil {
			rule := pdfdoc.Paint{Stroke: pdfColorPtr(fr.Rules), LineWidth: 0.8}
			d.page.Line(x, y, x+fr.W, y, rule)
			d.page.Line(x, y+h, x+fr.W, y+h, rule)
		}
	}
}

// ops draws an item's operations with its top left at (left, top).
func (d *drawer) ops(ops []Op, left, top float64) {
	for _, op := range ops {
		d.op(op, left, top)
	}
}

// op draws one operation of an item with its top left at (left, top).
func (d *drawer) op(op Op, left, top float64) {
	{
		switch o := op.(type) {
		case *textOp:
			s := o.S
			if o.Hyphen && !o.Space && d.tg != nil && strings.HasSuffix(s, "-") {
				d.hyphenated(o, left, top)
				return
			}
			f, c, x, y, feat, scale := o.Face.Font(), pdfColor(o.Color), left+o.X, top+o.Y, font.FeaturesOf(o.Face), cmp.Or(o.Scale, 1)
			switch {
			case !o.Space:
				d.page.TextScaled(f, o.Size, c, x, y, s, feat, scale)
			case o.Face.Dir == font.RTL:
				// Set right to left, a space that follows the text
				// drawn goes first in its string.
				d.page.TextScaled(f, o.Size, c, x, y, " "+s, feat, scale)
			default:
				d.page.WordSpace(f, o.Size, c, x, y, s, feat, scale)
			}
		case *rectOp:
			if o.Fill != nil || o.Stroke != nil {
				d.page.Rect(left+o.X, top+o.Y, o.W, o.H, pdfdoc.Paint{Fill: pdfColorPtr(o.Fill), Stroke: pdfColorPtr(o.Stroke), LineWidth: o.LineW})
			}
		case *lineOp:
			d.page.Line(left+o.X1, top+o.Y1, left+o.X2, top+o.Y2, pdfdoc.Paint{Stroke: pdfColorPtr(&o.Color), LineWidth: o.W})
		case *linkOp:
			d.link(o, left, top)
		case *anchorOp:
			d.anchor(o, top)
		case *imageOp:
			d.image(o, left, top)
		case *pathOp:
			d.path(o, left, top)
		case *rotateOp:
			d.page.Rotated(left+o.CX, top+o.CY, func() { d.ops(o.Ops, left, top) })
		case *clipOp:
			d.page.Clipped(left+o.X, top+o.Y, o.W, o.H, func() { d.ops(o.Ops, left, top) })
		default:
			panic(fmt.Sprintf("pdf: unknown op %T", op))
		}
	}
}

// link makes an area a link: to an anchor of the book, by name, or to a URL.
func (d *drawer) link(o *linkOp, left, top float64) { d.linkWith(o, left, top, "", nil) }

// linkWith makes an area a link described by contents, the annotation of
// the Link element elem when it is not nil.
func (d *drawer) linkWith(o *linkOp, left, top float64, contents string, elem *pdfdoc.Elem) {
	l := pdfdoc.Link{X: left + o.X, Y: top + o.Y, W: o.W, H: o.H, Contents: contents, Elem: elem}
	switch {
	case o.Anchor != "":
		l.Name = o.Anchor
	case o.URL != "":
		l.URI = o.URL
	default:
		return
	}
	d.page.AddLink(l)
}

// anchor names a place links can go to, and adds it to the outline when it
// has a title.
func (d *drawer) anchor(o *anchorOp, top float64) {
	d.page.Dest(o.Key, top+o.Y)
	if o.Title != "" {
		d.outline = append(d.outline, pdfdoc.OutlineItem{Title: o.Title, Level: o.Level, Page: d.page.Index(), Y: top + o.Y})
	}
}

// image draws a picture, writing it into the document the first time.
func (d *drawer) image(o *imageOp, left, top float64) {
	img, ok := d.images[o.Pic.Name]
	if !ok {
		data, _ := o.Pic.Print()
		var err error
		if img, err = d.doc.Image(data); err != nil {
			// The picture was decoded when the book was loaded; a PDF
			// writer that cannot embed it leaves a frame in its place.
			d.page.Rect(left+o.X, top+o.Y, o.W, o.H, pdfdoc.Paint{Stroke: pdfColorPtr(&lightGrey)})
			return
		}
		d.images[o.Pic.Name] = img
	}
	d.page.Image(img, left+o.X, top+o.Y, o.W, o.H)
}

// path draws a diagram's or a decoration's path, with round ends and
// corners.
func (d *drawer) path(o *pathOp, left, top float64) {
	if o.Fill == nil && o.Stroke == nil {
		return
	}
	var pa pdfdoc.Path
	for _, s := range o.Segs {
		switch s.Op {
		case 'M':
			pa.MoveTo(left+s.Pts[0], top+s.Pts[1])
		case 'L':
			pa.LineTo(left+s.Pts[0], top+s.Pts[1])
		case 'C':
			pa.CurveTo(left+s.Pts[0], top+s.Pts[1], left+s.Pts[2], top+s.Pts[3], left+s.Pts[4], top+s.Pts[5])
		case 'Z':
			pa.Close()
		}
	}
	if o.Close {
		pa.Close()
	}
	d.page.Path(&pa, pdfdoc.Paint{Fill: pdfColorPtr(o.Fill), Stroke: pdfColorPtr(o.Stroke), LineWidth: cmp.Or(o.LineW, 0.5),
		Dash: o.Dash, Cap: pdfdoc.RoundCap, Join: pdfdoc.RoundJoin})
}

// notes sets a page's footnotes at its foot under a short rule.
func (d *drawer) notes(p *Page, left float64) {
	if len(p.notes) == 0 {
		return
	}
	w := d.w
	ys := w.notePositions(p)
	rule := w.g.Top + ys[0] - w.st.Leading*0.55
	d.artifact(artifactLayout)
	d.page.Line(left, rule, left+w.g.TextW*0.3, rule, pdfdoc.Paint{Stroke: pdfColorPtr(&ruleGrey), LineWidth: 0.5})
	for i, n := range p.notes {
		y := ys[i]
		for _, it := range n.Items {
			d.item(it, false, left, w.g.Top+y)
			y += it.H
		}
	}
}

// head draws the running head and the folio. In a two-sided book the
// verso head is the book's title and the recto head the chapter's, each
// on the outer side; otherwise the chapter's title is centred.
func (d *drawer) head(p *Page, left float64) {
	w := d.w
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
	head = fitText(serifItal, size, head, g.TextW*0.8)
	place := func(width float64) float64 {
		switch {
		case !g.TwoSide:
			return left + (g.TextW-width)/2
		case recto:
			return left + g.TextW - width
		}
		return left
	}
	d.artifact(artifactHeader)
	d.text(place(measure(serifItal, size, head)), g.HeadBase, serifItal, size, grey, head)
	d.artifact(artifactFooter)
	d.text(place(measure(sans, w.st.Small, p.folio)), g.FootBase, sans, w.st.Small, black, p.folio)
}

// fitText shortens s with an ellipsis until it is at most width wide, in
// time linear in its length.
func fitText(face font.Face, size float64, s string, width float64) string {
	if measure(face, size, s) <= width {
		return s
	}
	room := width - measure(face, size, "…")
	x := 0.0
	cut := 0
	for i, r := range s {
		x += measure(face, size, string(r))
		if x > room {
			break
		}
		cut = i + len(string(r))
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}

// text sets a string with its baseline at y, face by face through the
// fallback chain for characters its face lacks.
func (d *drawer) text(x, y float64, face font.Face, size float64, c rgb, s string) {
	d.ops(d.w.textOps(face, size, c, s), x, y)
}

// labelOps sets s where the flow draws it apart from its typeset text (a
// list's number or bullet, a chapter's label, a contents entry's page):
// at x, with its baseline at y, in face, or, when book.yaml names fonts,
// in the face of the book's fonts for it, a character it lacks in one of
// their fallbacks. It returns the ops, tagged tag (nil: the item's), and
// their width; space asks for a word space after it in extracted text.
func (w *writer) labelOps(x, y float64, face font.Face, size float64, c rgb, s string, space bool, tag *Tag) ([]Op, float64) {
	if w.fonts == nil {
		return []Op{&textOp{X: x, Y: y, Face: face, Size: size, Color: c, S: s, Space: space, Tag: tag}}, measure(face, size, s)
	}
	ops := w.textOps(face, size, c, s)
	width := 0.0
	var last *textOp
	for _, op := range ops {
		shiftOp(op, x, y)
		if t, ok := op.(*textOp); ok {
			t.Tag = tag
			width = max(width, t.X-x+measure(t.Face, t.Size, t.S))
			last = t
		}
	}
	if last != nil {
		last.Space = space
	}
	return ops, width
}

// labelWidth is the width of s set as labelOps sets it.
func (w *writer) labelWidth(face font.Face, size float64, s string) float64 {
	_, width := w.labelOps(0, 0, face, size, black, s, false, nil)
	return width
}

// textOps sets a string on one line in the book's fonts, with its
// baseline at 0: running heads, folios and labels drawn outside the flow.
func (w *writer) textOps(face font.Face, size float64, c rgb, s string) []Op {
	tx := &typesetter{fonts: w.fonts, warn: func(string, ...any) {}}
	ws := tx.words([]span{{st: style{Face: face, Size: size, Color: c}, text: s}})
	it := setLine(ws, lineSpan{from: 0, to: len(ws)}, lineStyle{Width: 1e6, Lead: size, Face: face, Size: size})
	for _, op := range it.Ops {
		shiftOp(op, 0, -it.Base)
	}
	return it.Ops
}
