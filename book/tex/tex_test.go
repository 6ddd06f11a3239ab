package tex

import (
	"fmt"
	"strings"
	"testing"
)

// show writes a tree in a compact form: Ident x, Op =, {…} for rows.
func show(n Node) string {
	var b strings.Builder
	var walk func(Node)
	walk = func(n Node) {
		switch n := n.(type) {
		case nil:
			b.WriteString("∅")
		case *Row:
			b.WriteString("{")
			for i, k := range n.Items {
				if i > 0 {
					b.WriteString(" ")
				}
				walk(k)
			}
			b.WriteString("}")
		case *Ident:
			b.WriteString(n.Text)
			if n.Variant != "" {
				b.WriteString("/" + n.Variant)
			}
		case *Number:
			b.WriteString("#" + n.Text)
		case *Op:
			fmt.Fprintf(&b, "op%d(%s", n.Class, n.Text)
			if n.Limits {
				b.WriteString(",limits")
			}
			if n.Stretchy {
				b.WriteString(",stretchy")
			}
			b.WriteString(")")
		case *Func:
			fmt.Fprintf(&b, "fn(%s)", n.Name)
		case *Text:
			fmt.Fprintf(&b, "text(%q)", n.Text)
		case *Space:
			fmt.Fprintf(&b, "sp(%g)", n.Em)
		case *Scripts:
			b.WriteString("scripts(")
			walk(n.Base)
			b.WriteString(",")
			walk(n.Sub)
			b.WriteString(",")
			walk(n.Sup)
			b.WriteString(")")
		case *Frac:
			b.WriteString("frac(")
			walk(n.Num)
			b.WriteString(",")
			walk(n.Den)
			b.WriteString(")")
		case *Sqrt:
			b.WriteString("sqrt(")
			walk(n.Body)
			b.WriteString(",")
			walk(n.Index)
			b.WriteString(")")
		case *Accent:
			b.WriteString(n.Name + "(")
			walk(n.Body)
			b.WriteString(")")
		case *Table:
			b.WriteString(n.Env + "[")
			for i, r := range n.Rows {
				if i > 0 {
					b.WriteString("; ")
				}
				for j, c := range r {
					if j > 0 {
						b.WriteString(" & ")
					}
					walk(c)
				}
			}
			b.WriteString("]")
		case *Unknown:
			b.WriteString(`\` + n.Name + "?")
		}
	}
	walk(n)
	return b.String()
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		tex, want string
	}{
		{`E=mc^2`, `{E op2(=) m scripts(c,∅,#2)}`},
		{`\frac{1}{n}\sum_{i=1}^{n} x_i`, `{frac({#1},{n}) scripts(op3(∑,limits),{i op2(=) #1},{n}) scripts(x,i,∅)}`},
		{`\deg f`, `{fn(deg) f}`},
		{`a \cdot b \bullet c`, `{a op1(⋅) b op1(∙) c}`},
		{`x - y * z`, `{x op1(−) y op1(∗) z}`},
		{`\Gamma(\alpha)`, `{Γ/normal op4(() α op5())}`},
		{`\mathbf{v} + \mathbb R`, `{{v/bold} op1(+) R/double-struck}`},
		{`\text{if } x`, `{text("if ") x}`},
		{`\sqrt[3]{x}`, `{sqrt({x},{#3})}`},
		{`\left( a \right.`, `{op4((,stretchy) a}`},
		{`\begin{pmatrix} a & b \\ c & d \end{pmatrix}`, `{pmatrix[{a} & {b}; {c} & {d}]}`},
		{`\binom{n}{k}`, `{frac({n},{k})}`},
		{`\hat{x}'`, `{hat({x}) op0(′)}`},
		{`\notacommand x`, `{\notacommand? x}`},
		{`a } b & c`, `{a b c}`},
	} {
		f := Parse(tc.tex, false)
		if got := show(f.Lines[0]); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.tex, got, tc.want)
		}
	}
}

func TestDisplayLines(t *testing.T) {
	f := Parse(`a = 1 \\ b = 2`, true)
	if len(f.Lines) != 2 || show(f.Lines[1]) != `{b op2(=) #2}` {
		t.Errorf("display lines: %d, second %s", len(f.Lines), show(f.Lines[len(f.Lines)-1]))
	}
	// Text math keeps one line: \\ there is no line break.
	if f := Parse(`a \\ b`, false); len(f.Lines) != 1 || show(f.Lines[0]) != `{a b}` {
		t.Errorf("inline: %d lines, %s", len(f.Lines), show(f.Lines[0]))
	}
}

func TestProblems(t *testing.T) {
	f := Parse(`x + \notacommand + \begin{nosuchenv} a \end{nosuchenv} + \`, false)
	var got []string
	for _, p := range f.Problems {
		got = append(got, fmt.Sprintf("%d %s", p.Offset, p.Msg))
	}
	want := []string{
		`4 unknown TeX command \notacommand: set as text`,
		`19 unknown TeX environment "nosuchenv": set as a table`,
		`57 a backslash with no command after it`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Offsets are bytes, past multi-byte characters.
	if f := Parse(`α \nope`, false); len(f.Problems) != 1 || f.Problems[0].Offset != 3 {
		t.Errorf("offset after α: %+v", f.Problems)
	}
}

// TestDeep checks that hostile nesting is bounded and still sets the text.
func TestDeep(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("{", 100000),
		strings.Repeat(`\sqrt`, 100000) + "x",
		strings.Repeat("x^", 100000),
		strings.Repeat(`\frac{`, 50000),
	} {
		f := Parse(src, true)
		if len(f.Lines) == 0 {
			t.Fatalf("%.20s…: no lines", src)
		}
	}
}

// TestSymbolsOneTable checks the table both outputs set symbols from: every
// name gives one character string, and none is both an identifier and an
// operator.
func TestSymbolsOneTable(t *testing.T) {
	for name, s := range symbols {
		if s.text == "" {
			t.Errorf(`\%s has no text`, name)
		}
		if _, ok := functions[name]; ok {
			t.Errorf(`\%s is both a symbol and a function`, name)
		}
	}
}
