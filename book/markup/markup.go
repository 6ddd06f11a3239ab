// Package markup is the markdown dialect Bindery reads, as a goldmark
// extension: GitHub-flavoured markdown with footnotes and typographic
// quotes, plus what Hugo sites use beyond it. Hugo shortcodes, $…$ and
// $$…$$ math are parsed by parsers of their own; after parsing, an AST
// transformer registered with the parser turns shortcodes and GFM alerts
// into the node kinds of this package (Admonition, Details, Tab, Steps),
// or into goldmark's own (a figure's image, a video's link, a highlight's
// code block), and flattens blocks nested too deep. Math is parsed into a
// tex.Formula as it is read. What the dialect cannot keep as written is a
// Problem at a byte offset of the source.
//
// The node kinds live here as goldmark keeps those of its extensions in
// extension/ast. Package book resolves what needs the whole book (links,
// images, diagrams, raw HTML) on top of this.
package markup

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Dialect is the goldmark extension of Bindery's own syntax: shortcodes,
// math and alerts. New adds it to GFM, footnotes and the typographer.
var Dialect goldmark.Extender = dialect{}

type dialect struct{}

func (dialect) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(
			util.Prioritized(shortcodeBlockParser{}, 50),
			util.Prioritized(mathBlockParser{}, 60),
		),
		parser.WithInlineParsers(
			util.Prioritized(shortcodeInlineParser{}, 50),
			util.Prioritized(mathInlineParser{}, 60),
		),
		parser.WithASTTransformers(util.Prioritized(transformer{}, 100)),
	)
}

// New returns the goldmark configuration every page of a book is parsed
// with. goldmark keeps parser state in a per-call context, so one value
// serves concurrent parses.
func New() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithParser(newParser()),
		// GFM: goldmark's, with task lists as GitHub reads them.
		goldmark.WithExtensions(extension.Linkify, extension.Table, extension.Strikethrough, taskList{},
			extension.Footnote, typographer, Dialect),
		goldmark.WithParserOptions(parser.WithAttribute()),
	)
}

// typographer is goldmark's, writing characters rather than HTML's named
// entities: an XHTML page without a DTD knows no "&ldquo;", and the PDF
// needs no unescaping.
var typographer = extension.NewTypographer(extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation]string{
	extension.LeftSingleQuote:  "‘",
	extension.RightSingleQuote: "’",
	extension.LeftDoubleQuote:  "“",
	extension.RightDoubleQuote: "”",
	extension.EnDash:           "–",
	extension.EmDash:           "—",
	extension.Ellipsis:         "…",
	extension.LeftAngleQuote:   "«",
	extension.RightAngleQuote:  "»",
	extension.Apostrophe:       "’",
}))

// newParser returns goldmark's default parser with its lists and block
// quotes bounded in depth (see shallow).
func newParser() parser.Parser {
	blocks := parser.DefaultBlockParsers()
	for i, b := range blocks {
		switch bp := b.Value.(parser.BlockParser); reflect.TypeOf(bp) {
		case reflect.TypeOf(parser.NewListParser()), reflect.TypeOf(parser.NewBlockquoteParser()):
			blocks[i].Value = shallow{bp}
		}
	}
	return parser.NewParser(parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
}

// taskList is GFM's task lists: a list item that opens with "[ ]" or
// "[x]" and white space starts with a check box. goldmark's own takes
// "[x](x.md)", a link whose text is x, for a check box followed by text.
type taskList struct{}

func (taskList) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(taskCheckBoxParser{}, 0)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(extension.NewTaskCheckBoxHTMLRenderer(), 500)))
}

type taskCheckBoxParser struct{}

func (taskCheckBoxParser) Trigger() []byte { return []byte{'['} }

func (taskCheckBoxParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	// The first inline of the first block of a list item.
	if _, ok := parent.Parent().(*ast.ListItem); !ok || parent.Parent().FirstChild() != parent || parent.HasChildren() {
		return nil
	}
	line, _ := block.PeekLine()
	if len(line) < 3 || line[0] != '[' || line[2] != ']' || len(line) > 3 && !util.IsSpace(line[3]) {
		return nil
	}
	var checked bool
	switch line[1] {
	case 'x', 'X':
		checked = true
	case ' ', '\t':
	default:
		return nil
	}
	n := 3
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	block.Advance(n)
	return extast.NewTaskCheckBox(checked)
}

// shallow is a parser of container blocks (lists, block quotes) that opens
// none deeper than maxNesting: the line stays text of the block that holds
// it. Every line is shown to every open block, and goldmark's list parser
// reads a line's indentation each time, so a list nested as deep as its
// lines are long would cost time cubic in the depth; bounded here, it costs
// time linear in the input.
type shallow struct{ parser.BlockParser }

var deepKey = parser.NewContextKey()

func (s shallow) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	depth := 0
	for n := parent; n != nil && n.Kind() != ast.KindDocument; n = n.Parent() {
		depth++
	}
	if depth >= maxNesting {
		if pc.Get(deepKey) == nil {
			pc.Set(deepKey, true)
			_, seg := reader.PeekLine()
			addProblem(pc, seg.Start, fmt.Sprintf("blocks nested more than %d deep: the deeper levels are set as plain text", maxNesting))
		}
		return nil, parser.NoChildren
	}
	return s.BlockParser.Open(parent, reader, pc)
}

var markdown = New()

// Parse parses a page body. It returns the document, the source its
// segments index (shortcodes in link destinations rewritten, line breaks
// kept so positions stay right), and the problems met.
func Parse(src []byte) (*ast.Document, []byte, []Problem) {
	src = preprocess(src)
	pc := parser.NewContext()
	doc := markdown.Parser().Parse(text.NewReader(src), parser.WithContext(pc)).(*ast.Document)
	return doc, src, problems(pc)
}

// Problem is something the dialect could not keep as written: an unknown
// shortcode, a shortcode never closed, an unknown TeX command. Offset is
// the byte offset in the source where it is.
type Problem struct {
	Offset int
	Msg    string
}

var problemsKey = parser.NewContextKey()

func addProblem(pc parser.Context, offset int, msg string) {
	ps, _ := pc.Get(problemsKey).(*[]Problem)
	if ps == nil {
		ps = &[]Problem{}
		pc.Set(problemsKey, ps)
	}
	*ps = append(*ps, Problem{Offset: offset, Msg: msg})
}

// problems returns the problems recorded in pc, in source order.
func problems(pc parser.Context) []Problem {
	ps, _ := pc.Get(problemsKey).(*[]Problem)
	if ps == nil {
		return nil
	}
	slices.SortStableFunc(*ps, func(a, b Problem) int { return cmp.Compare(a.Offset, b.Offset) })
	return *ps
}

// Offset returns the byte offset where n starts in the source: its
// position (goldmark's, or the one the transformer gave a node it made),
// else its first line, its text segment, or the offset of its first
// descendant that has one.
func Offset(n ast.Node) (int, bool) {
	for ; n != nil; n = n.FirstChild() {
		if p := n.Pos(); p >= 0 {
			return p, true
		}
		if n.Type() == ast.TypeBlock {
			if l := n.Lines(); l != nil && l.Len() > 0 {
				return l.At(0).Start, true
			}
		}
		if t, ok := n.(*ast.Text); ok {
			return t.Segment.Start, true
		}
	}
	return 0, false
}

// trailingNewline returns how many bytes of line are its line ending.
func trailingNewline(line []byte) int {
	n := 0
	if bytes.HasSuffix(line, []byte("\n")) {
		n++
		if bytes.HasSuffix(line, []byte("\r\n")) {
			n++
		}
	}
	return n
}
