package markup

import (
	"strings"

	"github.com/bindery-books/bindery/book/tex"
	"github.com/yuin/goldmark/ast"
)

// Block and inline kinds the dialect adds to goldmark's. Both outputs
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
	// Variant is one of note, tip, important, warning, caution, info, error;
	// it sets the box's colours.
	Variant string
	// Title is the label shown: the one the author gave, else the
	// variant's (see AdmonitionLabel).
	Title string
}

func (n *Admonition) Kind() ast.NodeKind { return KindAdmonition }
func (n *Admonition) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Variant": n.Variant, "Title": n.Title}, nil)
}

// admonitionLabels are the labels of the admonition variants.
var admonitionLabels = map[string]string{
	"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning",
	"caution": "Caution", "info": "Info", "error": "Error", "danger": "Danger",
}

// AdmonitionLabel returns the label an admonition of a variant shows when
// its author gives none.
func AdmonitionLabel(variant string) string {
	if l, ok := admonitionLabels[variant]; ok {
		return l
	}
	if variant == "" {
		return "Note"
	}
	return strings.ToUpper(variant[:1]) + variant[1:]
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

// MathBlock is display math ($$…$$).
type MathBlock struct {
	ast.BaseBlock
	// Formula is the parsed TeX; Formula.Source is the TeX as written.
	Formula *tex.Formula
	// lines holds the source offset of each line of the TeX.
	lines []int
	tex   strings.Builder
}

func (n *MathBlock) Kind() ast.NodeKind { return KindMathBlock }
func (n *MathBlock) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": n.Formula.Source}, nil)
}

// MathInline is inline math ($…$).
type MathInline struct {
	ast.BaseInline
	// Formula is the parsed TeX; Formula.Source is the TeX as written.
	Formula *tex.Formula
}

func (n *MathInline) Kind() ast.NodeKind { return KindMathInline }
func (n *MathInline) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": n.Formula.Source}, nil)
}
