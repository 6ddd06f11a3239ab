package book

import (
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/bindery-books/bindery/book/diagram"
	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html/atom"
)

// The node kinds of a resolved chapter. Loading replaces goldmark's links,
// images, code blocks and raw HTML with these, each carrying what both
// outputs need, decided once: where a link goes, the picture an image
// shows, a code block's tokens, a diagram's drawing, raw HTML through one
// allowlist. After loading, a chapter's AST holds none of goldmark's
// ast.Link, ast.AutoLink, ast.Image, ast.FencedCodeBlock, ast.CodeBlock,
// ast.HTMLBlock or ast.RawHTML.
var (
	KindLink      = ast.NewNodeKind("Link")
	KindImage     = ast.NewNodeKind("Image")
	KindFigure    = ast.NewNodeKind("Figure")
	KindCodeBlock = ast.NewNodeKind("CodeBlock")
	KindDiagram   = ast.NewNodeKind("Diagram")
	KindHTML      = ast.NewNodeKind("HTML")
	KindHTMLText  = ast.NewNodeKind("HTMLText")
)

// Link is a link with its target resolved. Its children are the link's text.
type Link struct {
	ast.BaseInline
	Target Target
	// Title is the link's title, shown on hover.
	Title string
}

func (n *Link) Kind() ast.NodeKind { return KindLink }
func (n *Link) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Target": n.Target.String()}, nil)
}

// Image is a picture in a chapter, inline or in a Figure: from markdown,
// from a figure shortcode or from a raw HTML <img>.
type Image struct {
	ast.BaseInline
	// Src is the source as written, for messages.
	Src string
	Alt string
	// Title is the image's title, shown on hover.
	Title string
	// Picture is the validated picture, or nil when the image cannot be
	// shown: the problem was reported at load, and outputs show the alt
	// text instead (or RemoteURL as a link).
	Picture *Picture
	// RemoteURL is the address of a remote image that was not fetched
	// (--fetch-remote was not given).
	RemoteURL string
}

func (n *Image) Kind() ast.NodeKind { return KindImage }
func (n *Image) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Src": n.Src, "Alt": n.Alt}, nil)
}

// Figure is a paragraph that holds one image alone: a picture set apart,
// with a caption. Its one child is the Image.
type Figure struct {
	ast.BaseBlock
	// Caption is the image's title, else its alt text.
	Caption string
}

func (n *Figure) Kind() ast.NodeKind { return KindFigure }
func (n *Figure) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Caption": n.Caption}, nil)
}

// Image returns the figure's image.
func (n *Figure) Image() *Image { return n.FirstChild().(*Image) }

// CodeBlock is a block of code: fenced, indented, or from a highlight
// shortcode.
type CodeBlock struct {
	ast.BaseBlock
	// Lang is the language, lower case ("elixir"), or "".
	Lang string
	// Code is the code, each line ending in a newline.
	Code string
	// Line is the line of the chapter's file where the code's first line
	// is (after a fence, or indented); 0 for a block without lines.
	Line int
	once sync.Once
	runs *runs
}

func (n *CodeBlock) Kind() ast.NodeKind { return KindCodeBlock }
func (n *CodeBlock) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Lang": n.Lang}, nil)
}

// Tokens returns the code split into highlighted tokens. The code is
// highlighted once, on first use, for both outputs, and kept as compact
// runs (see runs): callers must not modify the tokens.
func (n *CodeBlock) Tokens() []chroma.Token {
	n.once.Do(func() { n.runs = highlightRuns(n.Lang, n.Code) })
	return n.runs.tokens(n.Code)
}

// Diagram is a mermaid block. When Drawing is nil the diagram could not be
// drawn (the problem was reported at load) and outputs show Note, then
// Code, instead.
type Diagram struct {
	ast.BaseBlock
	Drawing *diagram.Drawing
	// ID is unique in the book and safe as a file name: "overview-2".
	ID string
	// Code is the mermaid source as a code block.
	Code *CodeBlock
	// Note says, for a reader, why the source is shown instead of the
	// drawing.
	Note string
}

func (n *Diagram) Kind() ast.NodeKind { return KindDiagram }
func (n *Diagram) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"ID": n.ID}, nil)
}

// HTML is an element of raw HTML that passed the allowlist, with only the
// attributes it allows. Its children are blocks or inlines: markdown in
// between raw HTML tags, HTMLText, and further elements. An <a> with a
// usable href becomes a Link and an <img> an Image, never an HTML.
type HTML struct {
	ast.BaseBlock
	// Tag is the element; Name its name as written in XHTML.
	Tag  atom.Atom
	Name string
	// Attrs are the attributes kept, in source order.
	Attrs []Attr
	block bool
}

// Attr is an attribute of raw HTML.
type Attr struct{ Key, Val string }

func (n *HTML) Kind() ast.NodeKind { return KindHTML }

// Type is ast.TypeBlock for an element of an HTML block, ast.TypeInline for
// one inside a paragraph.
func (n *HTML) Type() ast.NodeType {
	if n.block {
		return ast.TypeBlock
	}
	return ast.TypeInline
}

func (n *HTML) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Name": n.Name}, nil)
}

// Attr returns the value of the attribute key, or "".
func (n *HTML) Attr(key string) string {
	for _, a := range n.Attrs {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// HTMLText is text of raw HTML, with its entities decoded and its white
// space as written (HTML collapses it when it is set).
type HTMLText struct {
	ast.BaseInline
	Value string
}

func (n *HTMLText) Kind() ast.NodeKind { return KindHTMLText }
func (n *HTMLText) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Value": n.Value}, nil)
}
