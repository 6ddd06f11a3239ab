package pdf

import (
	"fmt"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
	"github.com/yuin/goldmark/ast"
)

// Laying out is the first stage: a Flow is a chapter (or a front matter
// page) turned into a column of items: lines of text, code lines, table rows, figures, spaces. Every item
// has a height and a list of drawing operations placed relative to its top
// left corner at the left edge of the text block. Paginating a flow is then
// only a matter of stacking items onto pages, honouring where a break may
// fall.
type Flow struct {
	Items []*Item
}

// Break says what must happen before an item.
type Break int

const (
	// NoBreak lets the item follow on the same page.
	NoBreak Break = iota
	// NewPage starts a new page.
	NewPage
	// Recto starts a new right-hand page (in one-sided books, a new page).
	Recto
)

// Item is one unbreakable piece of a flow.
type Item struct {
	// H is the height of the item.
	H float64
	// Space is the vertical space above the item; it is dropped at the top of a page.
	Space float64
	// Keep forbids a page break between this item and the one before it.
	Keep bool
	// Break forces a new page before the item.
	Break Break
	// Opening marks the first item of a page that has no running head and no
	// folio: chapter, part and title pages.
	Opening bool
	// Chapter, on the first item of a chapter, names the chapter for the
	// running heads of the pages that follow.
	Chapter *book.Chapter
	// Ops draw the item.
	Ops []Op
	// Frames are the boxes the item sits in, outermost first: a frame is
	// drawn behind the run of its items on each page it spans.
	Frames []*Frame
	// Notes are the footnotes cited on this item, set at the foot of its page.
	Notes []*Note
	// Header is the header row of the table the item belongs to, repeated at
	// the top of each page the table continues on.
	Header []*Item
	// Fixed, for the items of an opening page, places the item at this
	// distance from the top of the text block instead of after the item
	// before it. Zero means flowing.
	Fixed float64
	// Base is the baseline of the item's first line of text, where a list
	// marker beside it goes; zero when the item has no text.
	Base float64
	// Float, when not zero, marks the items of a figure (a picture with its
	// caption, a diagram) that may float: when it does not fit on what is
	// left of a page, the paginator moves it to the top of a later page of
	// its chapter and lets the text after it fill the page. The items of
	// one figure share the number; figures next to each other differ.
	Float int
	// Settle sets the figures still waiting for a page before the item:
	// a chapter's end notes follow all of its text and figures.
	Settle bool
	// Kind names the item in dumps.
	Kind string
	// Node is the block of the chapter's AST the item was laid out from;
	// nil for a chapter's opening.
	Node ast.Node
	// Tag is the element of the book's structure the item's content
	// belongs to, in a tagged PDF; an op with a tag of its own belongs
	// to that one instead.
	Tag *Tag
}

// Frame is a box drawn behind a run of items: the tinted box of a code
// block or an admonition, the rule of a block quote, a table's rules.
type Frame struct {
	// X and W are the horizontal extent, relative to the text block.
	X, W float64
	// Fill is the background, if any.
	Fill *rgb
	// Border strokes the whole box.
	Border *rgb
	// Bar is a vertical rule at the frame's left edge, of width BarW.
	Bar  *rgb
	BarW float64
	// Rules draws horizontal rules at the top and bottom of each piece
	// (a table's top and bottom rules).
	Rules *rgb
	// PadTop and PadBottom are the room between the frame's edges and its
	// first and last items, on every page the frame spans.
	PadTop, PadBottom float64
	Kind              string
}

// Note is a footnote: its lines, set at the foot of the page that cites it.
type Note struct {
	Key   string
	Items []*Item
	// Long notes are set at the end of the chapter instead.
	Long bool
	// Tag is the note's Note element.
	Tag *Tag
}

// Op is a drawing operation of an item.
type Op interface{ dump(*strings.Builder) }

// textOp sets a string in one face, at baseline Y. Scale, when not zero,
// widens or narrows its glyphs (font expansion in justified lines).
type textOp struct {
	X, Y  float64
	Face  font.Face
	Size  float64
	Color rgb
	S     string
	Scale float64
	// Tag, when set, is the element the text belongs to instead of the
	// item's: a list label, a table cell, a formula in a line.
	Tag *Tag
	// Space says a space follows the text on its line: it is drawn with
	// the text, invisible, so that the text extracted from the PDF (and
	// read aloud from its structure) has its word spaces.
	Space bool
	// Hyphen says the text ends with a hyphen the line break added: a
	// tagged PDF reads the word without it.
	Hyphen bool
}

// rectOp fills and/or strokes a rectangle.
type rectOp struct {
	X, Y, W, H float64
	Fill       *rgb
	Stroke     *rgb
	LineW      float64
	// Tag, when set, makes the rectangle content of that element (a
	// task list's box); else it is drawn as an artifact.
	Tag *Tag
}

// lineOp strokes a line.
type lineOp struct {
	X1, Y1, X2, Y2 float64
	Color          rgb
	W              float64
}

// linkOp makes a rectangle clickable: to an anchor of the book (Anchor) or a URL.
type linkOp struct {
	X, Y, W, H float64
	Anchor     string
	URL        string
}

// anchorOp marks a place links can go to. With a Title it is also an entry
// of the PDF outline (bookmarks), at Level.
type anchorOp struct {
	Key   string
	Y     float64
	Title string
	Level int
}

// imageOp draws a picture.
type imageOp struct {
	X, Y, W, H float64
	Pic        *book.Picture
}

// rotateOp draws its ops turned a quarter turn counterclockwise about
// (CX, CY): a drawing too wide for the page, set across it.
type rotateOp struct {
	CX, CY float64
	Ops    []Op
}

// clipOp draws its ops clipped to the rectangle X, Y, W × H: the piece of
// a diagram split across pages that goes on one of them.
type clipOp struct {
	X, Y, W, H float64
	Ops        []Op
}

// pathOp fills and/or strokes a path (diagrams).
type pathOp struct {
	Segs   []pathSeg
	Fill   *rgb
	Stroke *rgb
	LineW  float64
	Dash   []float64
	Close  bool
	// Tag, when set, makes the path content of that element (a task
	// list's tick); else it is content of the item's element when that
	// is a Figure or a Formula, an artifact otherwise.
	Tag *Tag
}

// pathSeg is one segment of a path: M (move), L (line), C (cubic curve, three points).
type pathSeg struct {
	Op  byte
	Pts []float64
}

func (o *textOp) dump(b *strings.Builder) { fmt.Fprintf(b, " %s:%q", faceTag(o.Face, o.Size), o.S) }
func (o *rectOp) dump(b *strings.Builder) {
	fmt.Fprintf(b, " rect(%.1f,%.1f %.1fx%.1f)", o.X, o.Y, o.W, o.H)
}
func (o *lineOp) dump(b *strings.Builder) { fmt.Fprintf(b, " line(%.1f→%.1f)", o.X1, o.X2) }
func (o *linkOp) dump(b *strings.Builder) {
	if o.Anchor != "" {
		fmt.Fprintf(b, " link(#%s)", o.Anchor)
	} else {
		fmt.Fprintf(b, " link(%s)", o.URL)
	}
}
func (o *anchorOp) dump(b *strings.Builder) { fmt.Fprintf(b, " anchor(%s)", o.Key) }
func (o *imageOp) dump(b *strings.Builder) {
	fmt.Fprintf(b, " image(%s %.0fx%.0f)", o.Pic.Name, o.W, o.H)
}
func (o *pathOp) dump(b *strings.Builder) { fmt.Fprintf(b, " path(%d)", len(o.Segs)) }
func (o *rotateOp) dump(b *strings.Builder) {
	fmt.Fprintf(b, " rotate(%d ops)", len(o.Ops))
}
func (o *clipOp) dump(b *strings.Builder) {
	fmt.Fprintf(b, " clip(%.1f,%.1f %.1fx%.1f: %d ops)", o.X, o.Y, o.W, o.H, len(o.Ops))
}

// faceTag is a short name of a face and size for dumps: "serif-b 10.5".
func faceTag(f font.Face, size float64) string {
	fam := [...]string{"serif", "sans", "mono", "math"}[f.Family]
	st := [...]string{"", "-b", "-i", "-bi"}[f.Style]
	return fmt.Sprintf("%s%s/%g", fam, st, size)
}

// Dump writes the flow as text, one item a line, for golden tests.
// Text ops in a row with the same face are joined with spaces.
func (f *Flow) Dump() string {
	var b strings.Builder
	for _, it := range f.Items {
		dumpItem(&b, it, "")
	}
	return b.String()
}

func dumpItem(b *strings.Builder, it *Item, indent string) {
	b.WriteString(indent)
	b.WriteString(it.Kind)
	fmt.Fprintf(b, " h=%.1f", it.H)
	if it.Space != 0 {
		fmt.Fprintf(b, " sp=%.1f", it.Space)
	}
	if it.Keep {
		b.WriteString(" keep")
	}
	switch it.Break {
	case NewPage:
		b.WriteString(" newpage")
	case Recto:
		b.WriteString(" recto")
	}
	if it.Opening {
		b.WriteString(" opening")
	}
	if len(it.Frames) > 0 {
		b.WriteString(" in=")
		for i, fr := range it.Frames {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(fr.Kind)
		}
	}
	if it.Header != nil {
		fmt.Fprintf(b, " header=%d", len(it.Header))
	}
	b.WriteString(" |")
	// Join the text ops of a run in one face: serif/10.5:"a b c".
	var run strings.Builder
	var cur *textOp
	var end float64
	flush := func() {
		if cur != nil {
			fmt.Fprintf(b, " %s:%q", faceTag(cur.Face, cur.Size), run.String())
			run.Reset()
			cur = nil
		}
	}
	for _, op := range it.Ops {
		t, ok := op.(*textOp)
		if ok && cur != nil && t.Face == cur.Face && t.Size == cur.Size && t.Y == cur.Y {
			if t.X-end > 0.5 {
				run.WriteByte(' ')
			}
			run.WriteString(t.S)
			end = t.X + font.Width(t.Face, t.Size, t.S)
			continue
		}
		flush()
		if ok {
			cur = t
			run.WriteString(t.S)
			end = t.X + font.Width(t.Face, t.Size, t.S)
			continue
		}
		op.dump(b)
	}
	flush()
	b.WriteByte('\n')
	for _, n := range it.Notes {
		fmt.Fprintf(b, "%s  note %s\n", indent, n.Key)
		for _, ni := range n.Items {
			dumpItem(b, ni, indent+"    ")
		}
	}
}
