package pdf

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/hyphen"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// converter turns one chapter's resolved AST into a flow (the first stage).
// It walks blocks with a type switch whose default case reports a kind it
// does not know, so a missing feature shows up as a warning instead of
// silently vanishing.
type converter struct {
	w   *writer
	ch  *book.Chapter
	src []byte
	tx  typesetter

	items []*Item
	// x and width are the current measure, relative to the text block.
	x, width float64
	frames   []*Frame
	// space is the collapsing margin before the next item, pad the frame
	// padding that adds to it.
	space, pad float64
	// keep is how many of the next items stay with the one before them
	// (after a heading).
	keep int
	// marker is drawn beside the next item's first line (a list bullet).
	marker []Op
	// color is the text colour of the current block (block quotes are dimmer).
	color rgb
	// notes are the chapter's footnotes by index.
	notes map[int]*Note
	// headBase maps heading levels to display levels: a chapter whose
	// sections are # headings shows them as ## would be.
	headBase int
	// depth bounds recursion on hostile nesting.
	depth int
	// pos is the position warnings about the current block refer to.
	pos book.Pos
	// hyph hyphenates justified text in the chapter's language, or is nil.
	hyph *hyphen.Hyphenator
	// node is the block being laid out, which items record.
	node ast.Node
	// tag is the structure element the items emitted now belong to
	// (tags.go); cited are the footnotes cited since an element last
	// closed; lastHead is the level of the last heading's tag, so that
	// tags never skip a level going down.
	tag      *Tag
	cited    []*Note
	lastHead int
}

// maxDepth is how deep blocks may nest before the rest is set flat.
const maxDepth = 40

func newConverter(w *writer, ch *book.Chapter) *converter {
	c := &converter{w: w, ch: ch, src: ch.Source, width: w.g.TextW, color: black, notes: map[int]*Note{}, headBase: ch.SectionLevel()}
	c.pos = book.Pos{File: ch.Path, Line: ch.BodyLine}
	if w.b.Meta.Hyphenate {
		c.hyph = hyphen.For(ch.Lang(w.b))
	}
	c.tx.warn = func(format string, args ...any) {
		w.b.Diagnostics.Warnf(c.pos, format, args...)
	}
	c.tx.warnAt = func(line int, format string, args ...any) {
		w.b.Diagnostics.Warnf(book.Pos{File: ch.Path, Line: line}, format, args...)
	}
	c.tx.fonts = w.fonts
	return c
}

// chapterAnchor and headingAnchor are the keys links and the outline use.
func chapterAnchor(ch *book.Chapter) string { return "ch:" + ch.ID }
func headingAnchor(ch *book.Chapter, id string) string {
	return "h:" + ch.ID + "#" + id
}
func noteAnchor(ch *book.Chapter, n int) string { return "fn:" + ch.ID + ":" + strconv.Itoa(n) }

// emit appends an item to the flow with the pending space, frames, keep
// and marker.
func (c *converter) emit(it *Item) {
	it.Space = c.space + c.pad
	c.space, c.pad = 0, 0
	if it.Node == nil {
		it.Node = c.node
	}
	if it.Tag == nil {
		it.Tag = c.tag
	}
	if len(c.frames) > 0 {
		it.Frames = append([]*Frame(nil), c.frames...)
	}
	if c.keep > 0 {
		it.Keep = true
		c.keep--
	}
	if c.marker != nil {
		base := it.Base
		for _, op := range c.marker {
			shiftOp(op, 0, base)
		}
		it.Ops = append(c.marker, it.Ops...)
		c.marker = nil
	}
	c.items = append(c.items, it)
}

// vspace asks for at least v of space before the next item.
func (c *converter) vspace(v float64) { c.space = max(c.space, v) }

// openFrame starts a frame around the items that follow.
func (c *converter) openFrame(f *Frame) {
	c.frames = append(c.frames, f)
	c.pad += f.PadTop
}

// closeFrame ends the innermost frame. A frame with no items is dropped.
func (c *converter) closeFrame() {
	f := c.frames[len(c.frames)-1]
	c.frames = c.frames[:len(c.frames)-1]
	used := false
	for i := len(c.items) - 1; i >= 0 && !used; i-- {
		for _, g := range c.items[i].Frames {
			if g == f {
				used = true
			}
		}
		if len(c.items[i].Frames) == 0 {
			break
		}
	}
	if !used {
		c.pad -= f.PadTop
		return
	}
	c.space = 0
	c.pad += f.PadBottom
}

// indent runs fn with the measure narrowed by left and right.
func (c *converter) indent(left, right float64, fn func()) {
	x, w := c.x, c.width
	c.x += left
	c.width -= left + right
	fn()
	c.x, c.width = x, w
}

func (c *converter) at(n ast.Node) {
	c.pos = c.ch.PosOf(n)
}

// chapter converts the whole chapter: its opening, its blocks, and the notes
// that could not go to the foot of a page.
func (c *converter) chapter() []*Item {
	c.tag = c.w.chapterTag(c.ch)
	c.opening(c.ch.Label(), c.ch.Title, chapterAnchor(c.ch), c.ch.Title)
	c.collectNotes()
	if h := c.ch.TitleHeading; h != nil {
		c.items[0].Ops = append(c.items[0].Ops, &anchorOp{Key: headingAnchor(c.ch, h.ID)})
	}
	c.blocks(c.ch.Doc.FirstChild())
	c.placeNotes(c.tag) // notes cited where no element closed after them
	c.endnotes()
	return c.items
}

// opening sets a chapter's opening: the label ("Chapter 3") low on a new
// recto page, then the title, then a rule.
func (c *converter) opening(label, title, anchor, outline string) {
	w := c.w
	s := w.st
	h1 := newTag(c.tag, "H1")
	c.lastHead = 1
	it := &Item{Break: Recto, Opening: true, Chapter: c.ch, Fixed: 0.16 * w.g.TextH, Kind: "opening", Tag: h1}
	labelSize := s.Small * 1.05
	it.H = labelSize * 1.6
	it.Ops = append(it.Ops, &anchorOp{Key: anchor, Title: outline, Level: w.chapterLevel(c.ch)})
	if label != "" {
		ops, _ := w.labelOps(0, labelSize, sansBold, labelSize, linkBlue, strings.ToUpper(label), true, nil)
		it.Ops = append(it.Ops, ops...)
	}
	c.items = append(c.items, it)
	ws := c.tx.words([]span{{st: style{Face: sansBold, Size: s.Heads[1], Color: black}, text: title}})
	ws, lines := breakLines(ws, w.g.TextW*0.9)
	for _, l := range lines {
		li := setLine(ws, l, lineStyle{Width: w.g.TextW, Lead: s.Heads[1] * 1.18, Face: sansBold, Size: s.Heads[1]})
		li.Keep = true
		li.Kind = "title"
		li.Tag = h1
		c.items = append(c.items, li)
	}
	rule := &Item{H: 1, Space: s.Leading * 0.5, Keep: true, Kind: "rule", Tag: artifactLayout,
		Ops: []Op{&lineOp{X1: 0, Y1: 0.5, X2: w.g.TextW, Y2: 0.5, Color: ruleGrey, W: 0.6}}}
	c.items = append(c.items, rule)
	c.vspace(s.Leading * 2)
	c.keep = 2
}

// block converts one block node.
func (c *converter) block(n ast.Node) {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > maxDepth {
		c.flat(n)
		return
	}
	c.at(n)
	outer := c.node
	c.node = n
	defer func() { c.node = outer }()
	s := c.w.st
	switch n := n.(type) {
	case *ast.Paragraph:
		c.vspace(s.Para)
		c.paragraph(c.inlines(n), alignJustify)
		c.vspace(s.Para)
	case *ast.TextBlock:
		c.paragraph(c.inlines(n), alignJustify)
	case *ast.Heading:
		c.mdHeading(n)
	case *ast.ThematicBreak:
		c.rule()
	case *book.CodeBlock:
		c.codeBlock(n.Lang, n.Line, n.Tokens())
	case *book.Diagram:
		c.diagram(n)
	case *book.Figure:
		c.figure(n)
	case *book.HTML:
		c.htmlBlock(n)
	case *ast.Blockquote:
		c.blockquote(n)
	case *ast.List:
		c.list(n)
	case *extast.Table:
		c.table(n)
	case *extast.FootnoteList:
		// Notes go to the foot of the page that cites them.
	case *markup.Admonition:
		c.admonition(n)
	case *markup.Details:
		c.details(n)
	case *markup.Tab:
		c.tab(n)
	case *markup.Steps:
		c.steps(n)
	case *markup.MathBlock:
		c.mathBlock(n)
	case *ast.Document:
		c.children(n)
	default:
		c.w.b.Diagnostics.Warnf(c.pos, "pdf: %s blocks are not supported; set as text", n.Kind())
		c.flat(n)
	}
}

// rule sets a thematic break: a short centred rule.
func (c *converter) rule() {
	s := c.w.st
	c.vspace(s.Leading)
	w := min(c.width/3, 120)
	c.emit(&Item{H: 1, Kind: "hr", Tag: artifactLayout, Ops: []Op{&lineOp{X1: c.x + (c.width-w)/2, Y1: 0.5, X2: c.x + (c.width+w)/2, Y2: 0.5, Color: ruleGrey, W: 0.6}}})
	c.vspace(s.Leading)
}

func (c *converter) children(n ast.Node) { c.blocks(n.FirstChild()) }

// blocks converts the blocks from first on. A run of inline nodes among
// them (raw HTML's text and inline elements, outside any paragraph) is set
// as a paragraph of its own.
func (c *converter) blocks(first ast.Node) {
	for k := first; k != nil; {
		if k.Type() != ast.TypeInline {
			c.block(k)
			k = k.NextSibling()
			continue
		}
		var run []ast.Node
		for ; k != nil && k.Type() == ast.TypeInline; k = k.NextSibling() {
			run = append(run, k)
		}
		c.inlineRun(run)
	}
}

// flat sets the text of n as a plain paragraph: for nesting too deep to
// indent further, and for kinds the PDF does not know.
func (c *converter) flat(n ast.Node) {
	txt := book.PlainText(n, c.src)
	if strings.TrimSpace(txt) == "" {
		return
	}
	c.vspace(c.w.st.Para)
	c.paragraph([]span{{st: c.bodyStyle(), text: txt}}, alignLeft)
}

func (c *converter) bodyStyle() style {
	return style{Face: serif, Size: c.w.st.Body, Color: c.color}
}

// paragraph sets spans as lines in the current measure, with at least two
// lines together at the top and the bottom of a page.
func (c *converter) paragraph(spans []span, al align) {
	c.within("P", func() {
		c.setText(spans, lineStyle{X: c.x, Width: c.width, Align: al, Lead: c.w.st.Leading, Face: serif, Size: c.w.st.Body}, "line")
	})
}

// setText breaks spans into lines of st and emits them.
func (c *converter) setText(spans []span, st lineStyle, kind string) []*Item {
	ws := c.tx.words(spans)
	if len(ws) == 0 {
		return nil
	}
	var lines []lineSpan
	if st.Align == alignJustify {
		ws, lines = breakJustified(ws, st.Width, c.hyph)
	} else {
		ws, lines = breakLines(ws, st.Width)
	}
	var out []*Item
	for i, l := range lines {
		it := setLine(ws, l, st)
		it.Kind = kind
		if i == 1 || i > 0 && i == len(lines)-1 {
			it.Keep = true
		}
		c.emit(it)
		out = append(out, it)
	}
	return out
}

// heading sets a heading in sans bold, kept with what follows.
func (c *converter) mdHeading(n *ast.Heading) {
	s := c.w.st
	lvl := min(max(n.Level-c.headBase+2, 2), 6)
	size := s.Heads[lvl]
	above := [7]float64{0, 0, 1.7, 1.35, 1.1, 1, 1}[lvl] * s.Leading
	c.vspace(above)
	face := sansBold
	if lvl >= 5 {
		face = sansItal
		if lvl == 5 {
			face = font.Face{Family: font.Sans, Style: font.BoldItalic}
		}
	}
	spans := c.inlinesStyled(n, style{Face: face, Size: size, Color: black})
	var items []*Item
	c.heading(lvl, func() {
		items = c.setText(spans, lineStyle{X: c.x, Width: c.width, Align: alignLeft, Lead: size * 1.25, Face: face, Size: size}, "heading")
	})
	if len(items) == 0 {
		return
	}
	for _, hd := range c.ch.Headings {
		if hd.Node == n {
			a := &anchorOp{Key: headingAnchor(c.ch, hd.ID)}
			if level, ok := c.w.outline[hd]; ok {
				a.Title, a.Level = hd.Text, level
			}
			items[0].Ops = append(items[0].Ops, a)
		}
	}
	for _, it := range items[1:] {
		it.Keep = true
	}
	c.vspace(0.45 * s.Leading)
	c.keep = 2
}

// blockquote indents its blocks beside a rule, in a dimmer colour.
func (c *converter) blockquote(n *ast.Blockquote) {
	s := c.w.st
	c.vspace(s.Para)
	c.openFrame(&Frame{X: c.x, W: c.width, Bar: &quoteRule, BarW: 2.2, PadTop: 1, PadBottom: 1, Kind: "quote"})
	col := c.color
	c.color = rgb{0x3a, 0x3a, 0x3a}
	c.within("BlockQuote", func() {
		c.indent(s.Body*1.4, s.Body*0.8, func() { c.children(n) })
	})
	c.color = col
	c.closeFrame()
	c.vspace(s.Para)
}

// admonition is a tinted box with a coloured bar and a label.
func (c *converter) admonition(n *markup.Admonition) {
	s := c.w.st
	col, ok := admonitionColors[n.Variant]
	if !ok {
		col = admonitionColors["note"]
	}
	fill := tint(col, 0.07)
	c.vspace(s.Para * 1.4)
	c.openFrame(&Frame{X: c.x, W: c.width, Fill: &fill, Bar: &col, BarW: 2.5, PadTop: s.Body * 0.6, PadBottom: s.Body * 0.5, Kind: "admonition"})
	div := c.open("Div")
	c.indent(s.Body*1.1, s.Body*0.9, func() {
		c.within("P", func() {
			c.setText([]span{{st: style{Face: sansBold, Size: s.Small, Color: col}, text: n.Title}},
				lineStyle{X: c.x, Width: c.width, Lead: s.Small * 1.5, Face: sansBold, Size: s.Small}, "label")
		})
		c.keep = 1
		c.space = s.Para * 0.3
		c.children(n)
	})
	c.close(div)
	c.closeFrame()
	c.vspace(s.Para * 1.4)
}

// details is expanded in print: its summary as a run-in heading, its body
// in a light border.
func (c *converter) details(n *markup.Details) {
	s := c.w.st
	c.vspace(s.Para * 1.2)
	c.openFrame(&Frame{X: c.x, W: c.width, Border: &codeEdge, PadTop: s.Body * 0.5, PadBottom: s.Body * 0.4, Kind: "details"})
	div := c.open("Div")
	c.indent(s.Body*0.9, s.Body*0.9, func() {
		sum := n.Summary
		if sum == "" {
			sum = "Details"
		}
		c.within("P", func() {
			c.setText([]span{{st: style{Face: sansBold, Size: s.Body * 0.95, Color: black}, text: "▸ " + sum}},
				lineStyle{X: c.x, Width: c.width, Lead: s.Leading, Face: sansBold, Size: s.Body * 0.95}, "label")
		})
		c.keep = 1
		c.children(n)
	})
	c.close(div)
	c.closeFrame()
	c.vspace(s.Para * 1.2)
}

// tab is one panel of a tabs shortcode: its label on a tinted tab, its body below.
func (c *converter) tab(n *markup.Tab) {
	s := c.w.st
	c.vspace(s.Para * 1.2)
	label := n.Label
	if label == "" {
		label = "Tab"
	}
	size := s.Small
	lops, lw := c.w.labelOps(c.x+6, size*1.2, sansBold, size, linkBlue, label, false, nil)
	lw += 12
	bg := tint(linkBlue, 0.12)
	div := c.open("Div")
	c.within("P", func() {
		c.emit(&Item{H: size * 1.7, Kind: "tab", Base: size * 1.2, Ops: append([]Op{
			&rectOp{X: c.x, Y: 0, W: min(lw, c.width), H: size * 1.7, Fill: &bg},
		}, lops...)})
	})
	c.keep = 2
	c.openFrame(&Frame{X: c.x, W: c.width, Bar: &bg, BarW: 2, PadTop: s.Body * 0.4, PadBottom: s.Body * 0.2, Kind: "tabpanel"})
	c.indent(s.Body*0.9, 0, func() { c.children(n) })
	c.closeFrame()
	c.close(div)
	c.vspace(s.Para)
}

// steps numbers each child block in a circle-less bold figure, hanging.
func (c *converter) steps(n *markup.Steps) {
	s := c.w.st
	i := 0
	l := c.open("L")
	l.Numbering = "Decimal"
	for k := n.FirstChild(); k != nil; k = k.NextSibling() {
		i++
		c.vspace(s.Para)
		label := strconv.Itoa(i)
		li := newTag(l, "LI")
		c.marker, _ = c.w.labelOps(c.x, 0, sansBold, s.Body, linkBlue, label, false, newTag(li, "Lbl"))
		c.tag = newTag(li, "LBody")
		c.indent(s.Body*1.8, 0, func() { c.block(k) })
		c.marker = nil
		c.tag = l
	}
	c.close(l)
	c.vspace(s.Para)
}

// list sets bullets or numbers in the margin of hanging item bodies.
func (c *converter) list(n *ast.List) {
	s := c.w.st
	c.vspace(s.Para)
	num := n.Start
	if num == 0 {
		num = 1
	}
	// The hanging indent fits the widest number.
	last := strconv.Itoa(num + n.ChildCount() - 1)
	indent := s.Body * 1.5
	if n.IsOrdered() {
		indent = max(indent, c.w.labelWidth(serif, s.Body, last+".")+s.Body*0.6)
	}
	depth := min(c.listDepth(n), 2)
	bullet := [...]string{"•", "◦", "▪"}[depth]
	l := c.open("L")
	l.Numbering = [...]string{"Disc", "Circle", "Square"}[depth]
	if n.IsOrdered() {
		l.Numbering = "Decimal"
	}
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		if !n.IsTight && item != n.FirstChild() {
			c.vspace(s.Para)
		}
		var marker []Op
		li := newTag(l, "LI")
		lbl := newTag(li, "Lbl")
		if box := taskBox(item); box != nil {
			marker = c.checkBox(box.IsChecked, indent)
			lbl.Alt = "not done"
			if box.IsChecked {
				lbl.Alt = "done"
			}
		} else if n.IsOrdered() {
			lbl := strconv.Itoa(num) + string(n.Marker)
			marker, _ = c.w.labelOps(c.x+indent-s.Body*0.45-c.w.labelWidth(serif, s.Body, lbl), 0, serif, s.Body, c.color, lbl, false, nil)
		} else {
			marker, _ = c.w.labelOps(c.x+indent*0.35, 0, serif, s.Body, c.color, bullet, false, nil)
		}
		num++
		tagOps(marker, lbl)
		c.marker = marker
		c.tag = newTag(li, "LBody")
		c.indent(indent, 0, func() {
			for k := item.FirstChild(); k != nil; k = k.NextSibling() {
				c.block(k)
			}
		})
		if c.marker != nil { // an empty item: keep its marker on a line of its own
			c.emit(&Item{H: s.Leading, Base: baseline(serif, s.Body, s.Leading), Kind: "line"})
		}
		c.tag = l
	}
	c.close(l)
	c.vspace(s.Para)
}

func (c *converter) listDepth(n ast.Node) int {
	d := 0
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.List); ok {
			d++
		}
	}
	return d
}

// taskBox returns the check box that opens a task list item, or nil.
func taskBox(item ast.Node) *extast.TaskCheckBox {
	if first := item.FirstChild(); first != nil {
		if box, ok := first.FirstChild().(*extast.TaskCheckBox); ok {
			return box
		}
	}
	return nil
}

// checkBox draws a task list box, ticked when checked, as a marker.
func (c *converter) checkBox(checked bool, indent float64) []Op {
	s := c.w.st
	side := s.Body * 0.72
	x := c.x + indent - side - s.Body*0.5
	ops := []Op{&rectOp{X: x, Y: -side * 0.95, W: side, H: side, Stroke: &grey, LineW: 0.6}}
	if checked {
		ops = append(ops, &pathOp{Stroke: &linkBlue, LineW: 1.1, Segs: []pathSeg{
			{Op: 'M', Pts: []float64{x + side*0.2, -side * 0.5}},
			{Op: 'L', Pts: []float64{x + side*0.42, -side * 0.22}},
			{Op: 'L', Pts: []float64{x + side*0.85, -side * 0.85}},
		}})
	}
	return ops
}

// collectNotes typesets the chapter's footnotes, to be set at the foot of
// the pages that cite them.
func (c *converter) collectNotes() {
	s := c.w.st
	_ = ast.Walk(c.ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fn, ok := n.(*extast.Footnote)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		note := &Note{Key: noteAnchor(c.ch, fn.Index)}
		// The Note is placed in the structure after the element that
		// first cites it (converter.close).
		note.Tag = &Tag{Type: "Note", ID: note.Key}
		sub := &converter{w: c.w, ch: c.ch, src: c.src, tx: c.tx, width: c.w.g.TextW, color: black, notes: c.notes, headBase: c.headBase, pos: c.ch.PosOf(fn),
			tag: note.Tag, lastHead: c.lastHead}
		num := strconv.Itoa(fn.Index)
		sub.marker, _ = c.w.labelOps(0, 0, sansBold, s.Note*0.9, linkBlue, num, false, newTag(note.Tag, "Lbl"))
		sub.marker = append(sub.marker, &anchorOp{Key: note.Key})
		sub.indent(s.Note*1.6, 0, func() {
			for k := fn.FirstChild(); k != nil; k = k.NextSibling() {
				sub.noteBlock(k)
			}
		})
		note.Items = sub.items
		c.notes[fn.Index] = note
		return ast.WalkSkipChildren, nil
	})
}

// noteBlock sets a block of a footnote in the note size.
func (c *converter) noteBlock(n ast.Node) {
	s := c.w.st
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		spans := c.inlinesStyled(n, style{Face: serif, Size: s.Note, Color: black})
		c.within("P", func() {
			c.setText(spans, lineStyle{X: c.x, Width: c.width, Align: alignJustify, Lead: s.Note * 1.3, Face: serif, Size: s.Note}, "note")
		})
	default:
		c.block(n)
	}
}

// endnotes sets at the end of the chapter the notes too long for the foot
// of a page: a note taller than a third of the text block would leave too
// little room for the text that cites it.
func (c *converter) endnotes() {
	var long []*Note
	keys := make([]int, 0, len(c.notes))
	for k := range c.notes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		n := c.notes[k]
		h := 0.0
		for _, it := range n.Items {
			h += it.Space + it.H
		}
		if h > c.w.g.TextH/3 {
			n.Long = true
			long = append(long, n)
		}
	}
	if len(long) == 0 {
		return
	}
	s := c.w.st
	c.vspace(s.Leading * 1.5)
	first := len(c.items)
	defer func() { c.items[first].Settle = true }()
	c.heading(2, func() {
		c.setText([]span{{st: style{Face: sansBold, Size: s.Heads[4], Color: black}, text: "Notes"}},
			lineStyle{X: 0, Width: c.w.g.TextW, Lead: s.Heads[4] * 1.3, Face: sansBold, Size: s.Heads[4]}, "heading")
	})
	c.keep = 1
	for _, n := range long {
		// The note's element moves from after the text that cites it
		// to where the note is set.
		n.Tag.detach()
		n.Tag.Parent = c.tag
		c.tag.Kids = append(c.tag.Kids, n.Tag)
		n.Tag.attached, n.Tag.placed = true, true
		c.vspace(s.Para * 0.6)
		for _, it := range n.Items {
			sp := it.Space
			c.emit(it)
			it.Space = max(it.Space, sp)
		}
	}
}

// shiftOp moves an op by dx, dy.
func shiftOp(op Op, dx, dy float64) {
	switch o := op.(type) {
	case *textOp:
		o.X += dx
		o.Y += dy
	case *rectOp:
		o.X += dx
		o.Y += dy
	case *lineOp:
		o.X1 += dx
		o.X2 += dx
		o.Y1 += dy
		o.Y2 += dy
	case *linkOp:
		o.X += dx
		o.Y += dy
	case *anchorOp:
		o.Y += dy
	case *imageOp:
		o.X += dx
		o.Y += dy
	case *rotateOp:
		o.CX += dx
		o.CY += dy
		for _, in := range o.Ops {
			shiftOp(in, dx, dy)
		}
	case *clipOp:
		o.X += dx
		o.Y += dy
		for _, in := range o.Ops {
			shiftOp(in, dx, dy)
		}
	case *pathOp:
		for i := range o.Segs {
			for k := 0; k+1 < len(o.Segs[i].Pts); k += 2 {
				o.Segs[i].Pts[k] += dx
				o.Segs[i].Pts[k+1] += dy
			}
		}
	default:
		panic(fmt.Sprintf("pdf: shiftOp: unknown op %T", op))
	}
}

// heading runs fn, which sets a heading shown at display level lvl, inside
// a heading element: H1 is the chapter's title, and a level below the
// heading before it is at most one deeper, so the tags never skip a
// level (PDF/UA) even where the sizes do.
func (c *converter) heading(lvl int, fn func()) {
	lvl = min(lvl, c.lastHead+1)
	c.lastHead = lvl
	c.within(headTag(lvl), fn)
}
