package book

import (
	"github.com/yuin/goldmark/ast"
)

// Block and inline kinds that Bindery adds to goldmark's. Both packagers
// handle each of them; goldmark's own kinds (and those of its GFM and
// footnote extensions) keep their meaning.
var (
	KindAdmonition = ast.NewNodeKind("Admonition")
	KindDetails    = ast.NewNodeKind("Details")
	KindTab        = ast.NewNodeKind("Tab")
	KindMathBlock  = ast.NewNodeKind("MathBlock")
	KindMathInline = ast.NewNodeKind("MathInline")
	KindSteps      = ast.NewNodeKind("Steps")
)

// Admonition is a boxed aside with a label: a GFM alert (> [!NOTE]) or a
// callout shortcode. Its children are blocks.
type Admonition struct {
	ast.BaseBlock
	// Variant is one of note, tip, important, warning, caution, info, error.
	Variant string
	// Title is the label shown; it defaults to the capitalized Variant.
	Title string
}

func (n *Admonition) Kind() ast.NodeKind { return KindAdmonition }
func (n *Admonition) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Variant": n.Variant, "Title": n.Title}, nil)
}

// Details is a block with a summary, collapsible on screen and expanded in print.
type Details struct {
	ast.BaseBlock
	Summary string
}

func (n *Details) Kind() ast.NodeKind { return KindDetails }
func (n *Details) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Summary": n.Summary}, nil)
}

// Tab is one labelled panel of a tabs shortcode; a book shows the tabs one
// after the other.
type Tab struct {
	ast.BaseBlock
	Label string
}

func (n *Tab) Kind() ast.NodeKind { return KindTab }
func (n *Tab) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Label": n.Label}, nil)
}

// Steps is a numbered sequence of blocks (the steps shortcode); each child is a step.
type Steps struct{ ast.BaseBlock }

func (n *Steps) Kind() ast.NodeKind { return KindSteps }
func (n *Steps) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

// MathBlock is display math ($$…$$); TeX is its source.
type MathBlock struct {
	ast.BaseBlock
	TeX string
}

func (n *MathBlock) Kind() ast.NodeKind { return KindMathBlock }
func (n *MathBlock) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": n.TeX}, nil)
}

// MathInline is inline math ($…$); TeX is its source.
type MathInline struct {
	ast.BaseInline
	TeX string
}

func (n *MathInline) Kind() ast.NodeKind { return KindMathInline }
func (n *MathInline) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": n.TeX}, nil)
}

// CodeStyle is the chroma style both packagers highlight code with.
const CodeStyle = "github"
