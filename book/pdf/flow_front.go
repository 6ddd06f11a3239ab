package pdf

import (
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
)

// block is a helper that stacks lines of text into items: the front matter
// and part pages, which have no AST.
type block struct {
	w     *writer
	tx    *typesetter
	items []*Item
	// tag, when set, is the element each text goes into: an H1 for a
	// title, a P for anything else.
	tag *Tag
}

// text sets spans as lines of st, the first at space below the item before.
func (b *block) text(spans []span, st lineStyle, space float64, kind string) []*Item {
	ws := b.tx.words(spans)
	ws, lines := breakLines(ws, st.Width)
	var out []*Item
	for i, l := range lines {
		it := setLine(ws, l, st)
		it.Kind = kind
		if i == 0 {
			it.Space = space
		} else {
			it.Keep = true
		}
		out = append(out, it)
	}
	if b.tag != nil && len(out) > 0 {
		typ := "P"
		if kind == "title" {
			typ = "H1"
		}
		tagItems(out, newTag(b.tag, typ))
	}
	b.items = append(b.items, out...)
	return out
}

// titlePage returns the items of the title page: title, subtitle, a rule,
// the description, and the authors; the publisher and date at the foot.
func (w *writer) titlePage(tx *typesetter) []*Item {
	m := w.b.Meta
	s := w.st
	g := w.g
	b := &block{w: w, tx: tx, tag: rootTag(w.tags().root, "Sect")}
	size := round2(s.Heads[1] * 1.3)
	lines := b.text([]span{{st: style{Face: sansBold, Size: size, Color: black}, text: m.Title}},
		lineStyle{Width: g.TextW, Align: alignCenter, Lead: size * 1.15, Face: sansBold, Size: size}, 0, "title")
	if len(lines) == 0 {
		lines = []*Item{{H: size, Kind: "title"}}
		b.items = append(b.items, lines...)
	}
	lines[0].Break = Recto
	lines[0].Opening = true
	lines[0].Fixed = 0.2 * g.TextH
	if m.Subtitle != "" {
		sub := s.Heads[3]
		b.text([]span{{st: style{Face: serifItal, Size: sub, Color: grey}, text: m.Subtitle}},
			lineStyle{Width: g.TextW, Align: alignCenter, Lead: sub * 1.35, Face: serifItal, Size: sub}, sub*0.9, "subtitle")
	}
	rw := g.TextW * 0.25
	b.items = append(b.items, &Item{H: 1, Space: s.Leading * 1.4, Kind: "rule", Tag: artifactLayout,
		Ops: []Op{&lineOp{X1: (g.TextW - rw) / 2, Y1: 0.5, X2: (g.TextW + rw) / 2, Y2: 0.5, Color: linkBlue, W: 1.2}}})
	if m.Description != "" {
		b.text([]span{{st: style{Face: serif, Size: s.Body, Color: black}, text: m.Description}},
			lineStyle{X: g.TextW * 0.12, Width: g.TextW * 0.76, Align: alignCenter, Lead: s.Leading, Face: serif, Size: s.Body}, s.Leading*1.4, "description")
	}
	if len(m.Authors) > 0 {
		as := s.Heads[3]
		label := b.text([]span{{st: style{Face: sansItal, Size: s.Small, Color: grey}, text: "by"}},
			lineStyle{Width: g.TextW, Align: alignCenter, Lead: s.Small * 1.6, Face: sansItal, Size: s.Small}, 0, "label")
		label[0].Fixed = 0.62 * g.TextH
		b.text([]span{{st: style{Face: sans, Size: as, Color: black}, text: strings.Join(m.Authors, ", ")}},
			lineStyle{Width: g.TextW, Align: alignCenter, Lead: as * 1.4, Face: sans, Size: as}, 0, "authors")
	}
	// The imprint at the foot: who publishes, and when, if the sources
	// say when (never a date of the epoch).
	var foot []string
	if m.Publisher != "" {
		foot = append(foot, "Published by "+m.Publisher)
	}
	if w.b.Dated {
		foot = append(foot, w.b.Modified.UTC().Format("January 2006"))
	}
	if len(foot) > 0 {
		fl := b.text([]span{{st: style{Face: sans, Size: s.Small, Color: grey}, text: strings.Join(foot, " · ")}},
			lineStyle{Width: g.TextW, Align: alignCenter, Lead: s.Small * 1.4, Face: sans, Size: s.Small}, 0, "imprint")
		fl[0].Fixed = g.TextH - s.Small*1.4*float64(len(fl))
	}
	return b.items
}

// colophon returns the items of the back of the title page: who wrote and
// published the book, its rights and identifier, and how it was made, set
// at the foot of the page.
func (w *writer) colophon(tx *typesetter) []*Item {
	m := w.b.Meta
	s := w.st
	g := w.g
	b := &block{w: w, tx: tx, tag: rootTag(w.tags().root, "Sect")}
	small := style{Face: serif, Size: s.Small, Color: black}
	st := lineStyle{Width: g.TextW * 0.8, Align: alignLeft, Lead: s.Small * 1.45, Face: serif, Size: s.Small}
	title := m.Title
	if m.Subtitle != "" {
		title += ": " + m.Subtitle
	}
	b.text([]span{{st: style{Face: serifItal, Size: s.Small, Color: black}, text: title}}, st, 0, "colophon")
	if len(m.Authors) > 0 {
		b.text([]span{{st: small, text: "by " + strings.Join(m.Authors, ", ")}}, st, 0, "colophon")
	}
	if m.Rights != "" {
		b.text([]span{{st: small, text: m.Rights}}, st, s.Small, "colophon")
	}
	date := ""
	if w.b.Dated {
		date = w.b.Modified.UTC().Format("2 January 2006")
	}
	switch {
	case m.Publisher != "" && date != "":
		b.text([]span{{st: small, text: "Published by " + m.Publisher + ", " + date + "."}}, st, s.Small, "colophon")
	case m.Publisher != "":
		b.text([]span{{st: small, text: "Published by " + m.Publisher + "."}}, st, s.Small, "colophon")
	case date != "":
		b.text([]span{{st: small, text: "Published " + date + "."}}, st, s.Small, "colophon")
	}
	if m.Identifier != "" {
		b.text([]span{{st: small, text: "Identifier: " + m.Identifier}}, st, 0, "colophon")
	}
	made := "Typeset with Bindery"
	if w.cfg.Version != "" {
		made += " " + w.cfg.Version
	}
	made += " in " + w.fonts.names() + "."
	b.text([]span{{st: style{Face: serif, Size: s.Small, Color: grey}, text: made}}, st, s.Small, "colophon")
	h := 0.0
	for i, it := range b.items {
		if i > 0 {
			h += it.Space
		}
		h += it.H
	}
	if len(b.items) > 0 {
		b.items[0].Break = NewPage
		b.items[0].Opening = true
		b.items[0].Fixed = g.TextH - h
	}
	return b.items
}

// tocEntry is a line of the contents: a part, a chapter or a section.
type tocEntry struct {
	level  int    // 0 part or chapter at the top, deeper for sections and chapters in parts
	kind   string // "part", "chapter", "section"
	number string
	title  string
	anchor string
}

// tocEntries lists the contents: parts, chapters and their sections to
// toc_depth, from the same tree as the EPUB's navigation.
func (w *writer) tocEntries() []tocEntry {
	var es []tocEntry
	w.b.Walk(func(n book.Node, depth int) {
		switch n := n.(type) {
		case *book.Part:
			es = append(es, tocEntry{level: depth, kind: "part", number: n.Label(), title: n.Title, anchor: partAnchor(n)})
		case *book.Chapter:
			es = append(es, tocEntry{level: depth, kind: "chapter", number: strconv.Itoa(n.Number), title: n.Title, anchor: chapterAnchor(n)})
			var sections func([]*book.Section, int)
			sections = func(ss []*book.Section, d int) {
				for _, sec := range ss {
					es = append(es, tocEntry{level: d, kind: "section", title: sec.Heading.Text, anchor: headingAnchor(n, sec.Heading.ID)})
					sections(sec.Children, d+1)
				}
			}
			sections(n.Sections(w.tocDepth()), depth+1)
		}
	})
	return es
}

func (w *writer) tocDepth() int {
	if d := w.b.Meta.TOCDepth; d > 0 {
		return d
	}
	return 2
}

func partAnchor(p *book.Part) string { return "part:" + p.ID }

// contents returns the items of the table of contents: an opening like a
// chapter's, then one entry a line (or more, when a title wraps), with dot
// leaders to right-aligned page numbers. pageOf gives each anchor's folio.
func (w *writer) contents(tx *typesetter, pageOf func(anchor string) string) []*Item {
	s := w.st
	g := w.g
	sect := rootTag(w.tags().root, "Sect")
	b := &block{w: w, tx: tx, tag: sect}
	// The opening, as for a chapter, without a label.
	head := s.Heads[1]
	first := b.text([]span{{st: style{Face: sansBold, Size: head, Color: black}, text: "Contents"}},
		lineStyle{Width: g.TextW, Lead: head * 1.18, Face: sansBold, Size: head}, 0, "title")
	first[0].Break = Recto
	first[0].Opening = true
	first[0].Fixed = 0.16*g.TextH + s.Small*1.05*1.6
	first[0].Ops = append(first[0].Ops, &anchorOp{Key: "contents", Title: "Contents"})
	b.items = append(b.items, &Item{H: 1, Space: s.Leading * 0.5, Keep: true, Kind: "rule", Tag: artifactLayout,
		Ops: []Op{&lineOp{X1: 0, Y1: 0.5, X2: g.TextW, Y2: 0.5, Color: ruleGrey, W: 0.6}}})
	var partLines []int
	// The entries nest as the book does: TOC › TOCI › Reference, with a
	// TOC in the TOCI of a part or chapter for the entries below it.
	tocs := []*Tag{newTag(sect, "TOC")}
	var tocis []*Tag
	for i, e := range w.tocEntries() {
		if e.kind == "part" {
			partLines = append(partLines, len(b.items))
		}
		// tocs[l] is the open TOC of level l, tocis[l] its last TOCI.
		tocs, tocis = tocs[:min(len(tocs), e.level+1)], tocis[:min(len(tocis), e.level)]
		for k := len(tocs); k <= e.level; k++ {
			parent := tocs[k-1]
			if k-1 < len(tocis) && tocis[k-1] != nil {
				parent = tocis[k-1]
			}
			tocs = append(tocs, newTag(parent, "TOC"))
		}
		for len(tocis) < e.level {
			tocis = append(tocis, nil)
		}
		toci := newTag(tocs[e.level], "TOCI")
		tocis = append(tocis, toci)
		items := w.tocLines(tx, e, i == 0, pageOf(e.anchor))
		tagItems(items, newTag(toci, "Reference"))
		b.items = append(b.items, items...)
	}
	// Keep a part's line with its first chapter.
	for _, k := range partLines {
		if k+1 < len(b.items) {
			b.items[k+1].Keep = true
		}
	}
	return b.items
}

// tocLines sets one entry of the contents: its number in the margin, its
// title (on more lines when it wraps), dot leaders and the folio on its
// last line, and a link over it all.
func (w *writer) tocLines(tx *typesetter, e tocEntry, first bool, folio string) []*Item {
	s := w.st
	g := w.g
	numW := measure(sans, s.Body, "Part VIII") + 8
	chapW := measure(sans, s.Body, "00") + 10
	pageW := measure(sans, s.Body, "000") + 2
	var st style
	var indent, lead, space, textX float64
	numFace := sans
	switch e.kind {
	case "part":
		st = style{Face: sansBold, Size: s.Body * 1.05, Color: black}
		indent = float64(e.level) * s.Body * 1.5
		lead, space, textX, numFace = s.Leading*1.1, s.Leading*1.2, indent+numW, sansBold
	case "chapter":
		st = style{Face: serif, Size: s.Body, Color: black}
		indent = float64(e.level) * s.Body * 1.5
		lead, space, textX = s.Leading, s.Leading*0.55, indent+chapW
	default:
		st = style{Face: serif, Size: s.Small, Color: rgb{0x33, 0x33, 0x33}}
		indent = float64(e.level)*s.Body*1.5 + chapW - s.Body*1.5
		lead, space, textX = s.Small*1.4, 0, indent
	}
	if first {
		space = s.Leading * 1.5
	}
	width := g.TextW - textX - pageW - 14
	ws, lines := breakLines(tx.words([]span{{st: st, text: e.title}}), width)
	var items []*Item
	for k, l := range lines {
		it := setLine(ws, l, lineStyle{X: textX, Width: width, Align: alignLeft, Lead: lead, Face: st.Face, Size: st.Size})
		it.Kind = "toc"
		if k == 0 {
			it.Space = space
			if e.number != "" {
				// First, so the entry reads in order: number, title, page.
				ops, _ := w.labelOps(indent, it.Base, numFace, st.Size, linkBlue, e.number, true, nil)
				it.Ops = append(ops, it.Ops...)
			}
		} else {
			it.Keep = true
		}
		if k == len(lines)-1 {
			if n := len(it.Ops); n > 0 {
				if t, ok := it.Ops[n-1].(*textOp); ok {
					t.Space = true
				}
			}
			end := lineRight(it)
			px := g.TextW - w.labelWidth(sans, st.Size, folio)
			ops, _ := w.labelOps(px, it.Base, sans, st.Size, black, folio, false, nil)
			it.Ops = append(it.Ops, ops...)
			it.Ops = append(it.Ops, leaders(end+4, px-4, it.Base, st.Size, s.Body, w.fonts.resolve(serif))...)
		}
		it.Ops = append(it.Ops, &linkOp{X: indent, Y: 0, W: g.TextW - indent, H: it.H, Anchor: e.anchor})
		items = append(items, it)
	}
	return items
}

// leaders returns a row of dots from x0 to x1 in type of size, each dot
// centred on a multiple of one pitch (from the body size), so the dots of
// every entry, part, chapter or section, stand in the same columns; face
// is the book's serif.
func leaders(x0, x1, base, size, body float64, face font.Face) []Op {
	pitch := body * 0.55
	start := float64(int(x0/pitch)+1) * pitch
	n := int((x1 - start) / pitch)
	if n < 2 {
		return nil
	}
	dotW := measure(face, size, ".")
	var ops []Op
	for i := 0; i < n; i++ {
		ops = append(ops, &textOp{X: start + float64(i)*pitch + (pitch-dotW)/2, Y: base, Face: face, Size: size, Color: lightGrey, S: ".", Tag: artifactLayout})
	}
	return ops
}

// partPage returns the items of a part's page: its label and title, low on
// a recto page of its own.
func (w *writer) partPage(tx *typesetter, p *book.Part) []*Item {
	s := w.st
	g := w.g
	b := &block{w: w, tx: tx}
	ls := s.Small * 1.1
	part := w.tags().parts[p]
	h1 := newTag(part, "H1")
	label := &Item{H: ls * 1.8, Break: Recto, Opening: true, Fixed: 0.3 * g.TextH, Kind: "partlabel", Tag: h1,
		Ops: []Op{&anchorOp{Key: partAnchor(p), Title: p.Title, Level: p.Depth}}}
	if l := strings.ToUpper(p.Label()); l != "" {
		ops, _ := w.labelOps((g.TextW-w.labelWidth(sansBold, ls, l))/2, ls, sansBold, ls, linkBlue, l, true, nil)
		label.Ops = append(label.Ops, ops...)
	}
	b.items = append(b.items, label)
	size := s.Heads[1] * 1.1
	tagItems(b.text([]span{{st: style{Face: sansBold, Size: size, Color: black}, text: p.Title}},
		lineStyle{Width: g.TextW, Align: alignCenter, Lead: size * 1.2, Face: sansBold, Size: size}, s.Leading*0.5, "title"), h1)
	b.tag = part
	if p.Description != "" {
		b.text([]span{{st: style{Face: serifItal, Size: s.Body, Color: grey}, text: p.Description}},
			lineStyle{X: g.TextW * 0.12, Width: g.TextW * 0.76, Align: alignCenter, Lead: s.Leading, Face: serifItal, Size: s.Body}, s.Leading*1.2, "description")
	}
	for _, it := range b.items[1:] {
		it.Keep = true
	}
	return b.items
}

// roman returns n in lower-case Roman numerals, the folios of the front matter.
func roman(n int) string { return strings.ToLower(book.Roman(n)) }
