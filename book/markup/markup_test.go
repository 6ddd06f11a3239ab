package markup

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// kinds lists the kinds of the blocks under n, depth first, indented.
func kinds(n ast.Node) string {
	var b strings.Builder
	var walk func(ast.Node, int)
	walk = func(n ast.Node, d int) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if c.Type() != ast.TypeBlock {
				continue
			}
			fmt.Fprintf(&b, "%s%s", strings.Repeat(" ", d), c.Kind())
			switch c := c.(type) {
			case *Admonition:
				fmt.Fprintf(&b, " %s %q", c.Variant, c.Title)
			case *Details:
				fmt.Fprintf(&b, " %q", c.Summary)
			case *Tab:
				fmt.Fprintf(&b, " %q", c.Label)
			case *MathBlock:
				fmt.Fprintf(&b, " %q", c.Formula.Source)
			}
			b.WriteByte('\n')
			walk(c, d+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// lines lists problems as "line: message".
func lines(src []byte, ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%d: %s\n", 1+bytes.Count(src[:p.Offset], []byte("\n")), p.Msg)
	}
	return b.String()
}

func TestDialect(t *testing.T) {
	src := []byte(`> [!WARNING]
> Mind the gap.

{{< callout type="tip" >}}
Inside.
{{< /callout >}}

{{< tabs items="One,Two" >}}
{{< tab >}}
First.
{{< /tab >}}
{{< tab >}}
Second.
{{< /tab >}}
{{< /tabs >}}

{{< details summary="More" >}}
Hidden.
{{< /details >}}

$$
x = 1
$$

{{< nosuch >}}
Kept.
{{< /nosuch >}}

{{< steps >}}
Never closed.
`)
	doc, src, ps := Parse(src)
	want := `Admonition warning "Warning"
 Paragraph
Admonition tip "Tip"
 Paragraph
Tab "One"
 Paragraph
Tab "Two"
 Paragraph
Details "More"
 Paragraph
MathBlock "x = 1"
Paragraph
Steps
 Paragraph
`
	if got := kinds(doc); got != want {
		t.Errorf("blocks:\n%s\nwant\n%s", got, want)
	}
	wantProblems := `25: unknown shortcode "nosuch": markup removed, content kept
29: shortcode "steps" is never closed; its content runs to the end of the enclosing block
`
	if got := lines(src, ps); got != wantProblems {
		t.Errorf("problems:\n%s\nwant\n%s", got, wantProblems)
	}
}

// TestMathProblemLines: a TeX problem is reported on its own line, in
// display math as inline.
func TestMathProblemLines(t *testing.T) {
	src := []byte("Text.\n\n$$\na = 1\n\\\\\n\\nope b\n$$\n\nThen $\\alsonot$.\n\n$$ \\third $$\n")
	_, src, ps := Parse(src)
	want := "6: unknown TeX command \\nope: set as text\n9: unknown TeX command \\alsonot: set as text\n11: unknown TeX command \\third: set as text\n"
	if got := lines(src, ps); got != want {
		t.Errorf("problems:\n%s\nwant\n%s", got, want)
	}
}

// TestNesting: blocks nested past the limit are not opened, with a
// problem: the deeper markers and the words stay, as text.
func TestNesting(t *testing.T) {
	src := []byte(strings.Repeat("> ", 60) + "deep words\n")
	doc, src, ps := Parse(src)
	if len(ps) != 1 || !strings.Contains(ps[0].Msg, "nested more than") {
		t.Fatalf("problems: %q", lines(src, ps))
	}
	depth := 0
	var text strings.Builder
	for n := ast.Node(doc); n != nil; n = n.FirstChild() {
		depth++
		if p, ok := n.(*ast.Paragraph); ok {
			for c := p.FirstChild(); c != nil; c = c.NextSibling() {
				text.Write(c.(*ast.Text).Value(src))
			}
		}
	}
	if depth > maxNesting+3 {
		t.Errorf("still %d deep", depth)
	}
	if !strings.HasSuffix(text.String(), "> > deep words") {
		t.Errorf("deepest paragraph %q, want the markers and words as text", text.String())
	}
}

// TestRefInLink: a ref shortcode as a link destination becomes the path it
// names, and lines keep their numbers.
func TestRefInLink(t *testing.T) {
	doc, src, _ := Parse([]byte("See [the page]({{< ref \"other.md\" >}})\nand more.\n"))
	var dest string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			dest = string(l.Destination)
		}
		return ast.WalkContinue, nil
	})
	if dest != "other.md" || bytes.Count(src, []byte("\n")) != 2 {
		t.Errorf("destination %q, source %q", dest, src)
	}
}

// TestTaskList: a check box is "[ ]" or "[x]" followed by white space at
// the start of a list item, as GitHub reads it; "[x](x.md)" is a link.
func TestTaskList(t *testing.T) {
	src := []byte("- [x](x.md)\n- [X](y.md)\n- [ ](z.md)\n- [x] [Real](r.md)\n- [ ] to do\n- [x]\tdone\n- [ ]\n")
	doc, _, _ := Parse(src)
	var got []string
	for li := doc.FirstChild().FirstChild(); li != nil; li = li.NextSibling() {
		var kinds []string
		for c := li.FirstChild().FirstChild(); c != nil; c = c.NextSibling() {
			k := c.Kind().String()
			if cb, ok := c.(*extast.TaskCheckBox); ok && cb.IsChecked {
				k += "(x)"
			}
			kinds = append(kinds, k)
		}
		got = append(got, strings.Join(kinds, " "))
	}
	want := []string{"Link", "Link", "Link", "TaskCheckBox(x) Link", "TaskCheckBox Text Text", "TaskCheckBox(x) Text", "TaskCheckBox"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
