package book

import (
	"bytes"
	"cmp"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/bindery-books/bindery/book/diagram"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
)

// Book is a loaded book: its metadata, its contents as a tree of parts and
// chapters, and its chapters in reading order.
type Book struct {
	Meta Meta
	// Contents is the top level of the table of contents.
	Contents []Node
	// Chapters lists every chapter in reading order.
	Chapters []*Chapter
	// Parts lists every part in reading order (a part comes before its children).
	Parts []*Part
	// Index is the display path of the book's _index.md, as in messages.
	Index string
	// Modified is the time the book is stamped with: SOURCE_DATE_EPOCH when
	// set, else the newest date found in the sources' front matter, else a
	// fixed epoch. It is never the clock.
	Modified time.Time
	// Dated says Modified comes from SOURCE_DATE_EPOCH or the sources: a
	// book that is not dated shows no date to its readers.
	Dated bool

	// Cover is the cover picture book.yaml names, or nil: outputs then
	// draw one from the title.
	Cover *Picture

	// Fonts are the typefaces book.yaml names, loaded and checked; the
	// zero Fonts is the built-in DejaVu.
	Fonts Fonts

	// Diagnostics collects the notes, warnings and errors of loading.
	Diagnostics *Diagnostics

	root        string // display path of the content root
	prefix      string // common site-path prefix of the index's links, "/a/b/" form
	indexDir    string // fs path of the index folder within the content root
	fsys        fs.FS
	extra       []extraRoot // static/ and assets/ beside the content root
	fetch       fetcher
	byFile      map[string]*Chapter // fs path -> chapter
	mapped      bool                // index links resolved through prefix
	statMu      sync.Mutex
	statCache   map[string]bool
	picMu       sync.Mutex
	pictures    map[string]*pictureEntry // by source key
	config      Config
	configLines configLines
	sources     sources
	reuse       *reuse // the Reloader's cache during a reload, else nil

	diagramsDrawn, diagramsAsCode int
}

// Diagrams returns how many of the book's mermaid diagrams are drawn and
// how many are shown as code.
func (b *Book) Diagrams() (drawn, asCode int) { return b.diagramsDrawn, b.diagramsAsCode }

// Node is an entry of the contents: a *Part or a *Chapter.
type Node interface{ node() }

// Part is a titled group of chapters and sub-parts.
type Part struct {
	Title       string
	Description string
	// ID is unique in the book and safe as a file name and XML id ("part-2").
	ID       string
	Children []Node
	// Depth is 0 for a top-level part.
	Depth int
	// Number counts the top-level parts from 1; parts inside parts have
	// none (0).
	Number int
	// Pos is where the part was declared (the index line).
	Pos Pos
}

// Label returns the label set above a part's title, "Part III", or "" for
// a part inside a part.
func (p *Part) Label() string {
	if p.Number == 0 {
		return ""
	}
	return "Part " + Roman(p.Number)
}

// Roman returns n in upper-case Roman numerals (n from 1 to 3999; others
// in digits).
func Roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b []byte
	for i, v := range vals {
		for n >= v {
			b = append(b, syms[i]...)
			n -= v
		}
	}
	return string(b)
}

// Chapter is one markdown file of the book, parsed.
type Chapter struct {
	// ID is unique in the book and safe as a file name and XML id.
	ID    string
	Title string
	// Path is the display path of the file ("content/overview.md").
	Path string
	// File is the fs path within the content root.
	File string
	// URL is the chapter's site path, such as "/en/learn/x/overview".
	URL         string
	FrontMatter FrontMatter
	// Number is the 1-based position in reading order.
	Number int
	// Part is the innermost part holding the chapter, or nil.
	Part *Part
	// Source is the markdown body after the front matter; AST segments index it.
	Source []byte
	// BodyLine is the file line on which Source starts.
	BodyLine int
	// Doc is the parsed body.
	Doc ast.Node
	// Headings lists the chapter's headings in order, with their unique IDs.
	Headings []*Heading
	// TitleHeading is the # heading a body opens with when it repeats the
	// chapter's title, or nil. It is taken out of Doc, so the title is not
	// set twice; outputs keep its ID as an anchor at the chapter's title.
	TitleHeading *Heading
	// notes is the number of the chapter's footnotes.
	notes int
	// diagrams are the sources of the chapter's diagrams, which Release
	// lets the diagram cache forget.
	diagrams []string
	// lines finds the line of an offset into Source.
	lines lineIndex
	// headingByID finds a heading by its ID, once Headings is final.
	headingsOnce sync.Once
	headingByID  map[string]*Heading
}

// Release lets go of the chapter's syntax tree (Doc, and the nodes of its
// headings) once every printer is done with it: the trees are most of
// what a loaded book holds, and a book printed once need not keep each to
// the end, where the collector would trace them again and again, more
// often the larger the book. A released chapter cannot be printed again.
func (c *Chapter) Release() {
	c.Doc = nil
	for _, h := range c.Headings {
		h.Node = nil
	}
	for _, src := range c.diagrams {
		diagram.Forget(src)
	}
	c.diagrams = nil
}

// Lang returns the language the chapter is written in: its front matter's,
// else the book's.
func (c *Chapter) Lang(b *Book) string { return cmp.Or(c.FrontMatter.Lang, b.Meta.Language) }

// Label returns the label set above a chapter's title: "Chapter 3".
func (c *Chapter) Label() string { return "Chapter " + strconv.Itoa(c.Number) }

func (*Part) node()    {}
func (*Chapter) node() {}

// Heading is a heading of a chapter.
type Heading struct {
	Level int
	Text  string
	ID    string
	Node  *ast.Heading
}

// Heading returns the heading whose ID is id, or nil. It looks it up in
// a map made on first use: a chapter may hold thousands of links to its
// thousands of headings.
func (c *Chapter) Heading(id string) *Heading {
	c.headingsOnce.Do(func() {
		c.headingByID = make(map[string]*Heading, len(c.Headings))
		for _, h := range c.Headings {
			if _, dup := c.headingByID[h.ID]; !dup {
				c.headingByID[h.ID] = h
			}
		}
	})
	return c.headingByID[id]
}

// Line returns the file line of a byte offset into Source.
func (c *Chapter) Line(offset int) int {
	return c.BodyLine + c.lines.count(c.Source, offset)
}

// lineIndex counts the lines before an offset of a text in time
// logarithmic in its length: a chapter asks once for each of its nodes.
// It is safe for concurrent use, and indexes the text on first use.
type lineIndex struct {
	once     sync.Once
	newlines []int32 // offsets of the newlines, in order (a page is at most maxPageSize)
}

// count returns the number of newlines in text before offset.
func (x *lineIndex) count(text []byte, offset int) int {
	x.once.Do(func() {
		x.newlines = make([]int32, 0, bytes.Count(text, []byte{'\n'}))
		for i := 0; ; {
			j := bytes.IndexByte(text[i:], '\n')
			if j < 0 {
				break
			}
			x.newlines = append(x.newlines, int32(i+j))
			i += j + 1
		}
	})
	n, _ := slices.BinarySearch(x.newlines, int32(min(offset, math.MaxInt32)))
	return n
}

// NodeLine returns the file line where n starts, or the chapter's first body
// line when n carries no position.
func (c *Chapter) NodeLine(n ast.Node) int {
	if off, ok := markup.Offset(n); ok {
		return c.Line(off)
	}
	return c.BodyLine
}

// PosOf returns the position of n in the chapter's file.
func (c *Chapter) PosOf(n ast.Node) Pos { return Pos{File: c.Path, Line: c.NodeLine(n)} }

// FrontMatter is what Bindery reads of a page's front matter. Unknown keys are ignored.
type FrontMatter struct {
	Title       string   `yaml:"title" toml:"title" json:"title"`
	Description string   `yaml:"description" toml:"description" json:"description"`
	Tags        []string `yaml:"tags" toml:"tags" json:"tags"`
	Weight      int      `yaml:"weight" toml:"weight" json:"weight"`
	Draft       bool     `yaml:"draft" toml:"draft" json:"draft"`
	Date        string   `yaml:"date" toml:"date" json:"date"`
	// Lang is the language of a chapter written in another language than
	// the book's (a BCP 47 tag: "de", "pt-BR").
	Lang string `yaml:"lang" toml:"lang" json:"lang"`
}

// clean drops from the front matter's text what XML forbids (see xmlText).
func (fm *FrontMatter) clean() {
	fm.Title = xmlText(fm.Title)
	fm.Description = xmlText(fm.Description)
	fm.Date = xmlText(fm.Date)
	for i, t := range fm.Tags {
		fm.Tags[i] = xmlText(t)
	}
}

// Meta is the book's metadata: the index's front matter overridden by book.yaml.
type Meta struct {
	Title       string
	Subtitle    string
	Authors     []string
	Language    string
	Identifier  string
	Publisher   string
	Rights      string
	Description string
	Tags        []string
	// Cover is the fs path of the cover image within the content root, or "".
	Cover   string
	BaseURL string
	// TOCDepth is how deep the contents go: 1 chapters, 2 chapters and their ## sections.
	TOCDepth int
	// PDF settings.
	PageSize string
	TwoSide  bool
	// Hyphenate lets the PDF hyphenate words in justified text (book.yaml
	// hyphenate; true unless it says false).
	Hyphenate bool
	FontSize  float64
	// PageList asks the EPUB for the print edition's page list even when
	// the PDF is not built with it (book.yaml page_list).
	PageList bool
	// CertifiedBy names who assessed the book's accessibility, for the
	// EPUB's a11y:certifiedBy (book.yaml a11y_certified_by).
	CertifiedBy string
}

// Walk calls fn for every node of the contents in reading order, parts before their children.
func (b *Book) Walk(fn func(n Node, depth int)) {
	var walk func([]Node, int)
	walk = func(ns []Node, d int) {
		for _, n := range ns {
			fn(n, d)
			if p, ok := n.(*Part); ok {
				walk(p.Children, d+1)
			}
		}
	}
	walk(b.Contents, 0)
}

// extraRoot is a folder beside the content root that images may come
// from: Hugo's static/ or assets/. refused says why it is not read.
type extraRoot struct {
	name    string
	fsys    fs.FS
	refused error
}
