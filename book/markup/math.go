package markup

import (
	"bytes"
	"slices"
	"strings"

	"github.com/bindery-books/bindery/book/tex"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Math: $$…$$ display math as a block (on lines of its own, or on one line),
// and $…$ inline math by pandoc's rule, which tells math from prices: the
// opening $ has a non-space character right after it, the closing $ has a
// non-space character right before it and no digit right after it. So
// "$5 and $10" stays text, and "$x^2$" is math. The TeX is parsed as soon
// as it is read; its problems are reported at the line they are on.

type mathBlockParser struct{}

func (mathBlockParser) Trigger() []byte { return []byte{'$'} }

func (mathBlockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	trimmed := bytes.TrimSpace(line)
	if !bytes.HasPrefix(trimmed, []byte("$$")) {
		return nil, parser.NoChildren
	}
	rest := bytes.TrimSpace(trimmed[2:])
	n := &MathBlock{}
	n.SetPos(seg.Start)
	reader.Advance(len(line) - trailingNewline(line))
	if len(rest) > 2 && bytes.HasSuffix(rest, []byte("$$")) {
		n.addLine(seg.Start, bytes.TrimSpace(rest[:len(rest)-2]))
		n.close(pc)
		return n, parser.NoChildren
	}
	if len(rest) > 0 {
		n.addLine(seg.Start, rest)
	}
	return n, parser.NoChildren
}

// addLine adds a line of TeX that starts at the source offset off.
func (n *MathBlock) addLine(off int, line []byte) {
	if n.tex.Len() > 0 || len(n.lines) > 0 {
		n.tex.WriteByte('\n')
	}
	n.lines = append(n.lines, off)
	n.tex.Write(line)
}

// close parses the TeX, once the closing $$ is read (or the block ends).
func (n *MathBlock) close(pc parser.Context) {
	if n.Formula != nil {
		return
	}
	src := n.tex.String()
	// Lines that were empty before the first line with TeX go.
	lead := len(src) - len(strings.TrimLeft(src, "\n"))
	n.Formula = tex.Parse(strings.TrimSpace(src), true)
	var newlines []int // offsets of src's newlines, found once
	if len(n.Formula.Problems) > 0 {
		for i, c := range []byte(src) {
			if c == '\n' {
				newlines = append(newlines, i)
			}
		}
	}
	for _, p := range n.Formula.Problems {
		line, _ := slices.BinarySearch(newlines, min(lead+p.Offset, len(src)))
		off := 0
		if line < len(n.lines) {
			off = n.lines[line]
		}
		addProblem(pc, off, p.Msg)
	}
	n.tex.Reset()
}

func (mathBlockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*MathBlock)
	if n.Formula != nil {
		return parser.Close
	}
	line, seg := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	trimmed := bytes.TrimSpace(line)
	reader.Advance(len(line) - trailingNewline(line))
	if bytes.HasSuffix(trimmed, []byte("$$")) {
		n.addLine(seg.Start, bytes.TrimSpace(trimmed[:len(trimmed)-2]))
		n.close(pc)
		return parser.Close
	}
	n.addLine(seg.Start, trimmed)
	return parser.Continue | parser.NoChildren
}

func (mathBlockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	node.(*MathBlock).close(pc)
}
func (mathBlockParser) CanInterruptParagraph() bool { return true }
func (mathBlockParser) CanAcceptIndentedLine() bool { return false }

type mathInlineParser struct{}

func (mathInlineParser) Trigger() []byte { return []byte{'$'} }

func (mathInlineParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 3 || line[0] != '$' {
		return nil
	}
	if line[1] == '$' { // $$…$$ inside a paragraph: display style, inline place
		end := bytes.Index(line[2:], []byte("$$"))
		if end <= 0 {
			return nil
		}
		src := bytes.TrimSpace(line[2 : 2+end])
		block.Advance(end + 4)
		return inlineMath(pc, seg.Start, string(src))
	}
	if line[1] == ' ' || line[1] == '\t' || line[1] == '\n' {
		return nil
	}
	for i := 1; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '\n':
			return nil
		case '$':
			if line[i-1] == ' ' || line[i-1] == '\t' {
				continue
			}
			if i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9' {
				continue
			}
			src := line[1:i]
			if !looksLikeMath(src) {
				return nil
			}
			block.Advance(i + 1)
			return inlineMath(pc, seg.Start, string(src))
		}
	}
	return nil
}

// inlineMath parses inline TeX that starts at source offset off.
func inlineMath(pc parser.Context, off int, src string) *MathInline {
	n := &MathInline{Formula: tex.Parse(src, false)}
	n.SetPos(off)
	for _, p := range n.Formula.Problems {
		addProblem(pc, off, p.Msg)
	}
	return n
}

// looksLikeMath rejects spans that are plainly amounts, like "$5 to 10$".
func looksLikeMath(tex []byte) bool {
	letters := 0
	for _, c := range tex {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '\\' || c == '^' || c == '_' || c == '=' || c == '{':
			letters++
		}
	}
	if letters == 0 {
		// Digits and operators only: math when it has an operator, like $2+2$.
		return bytes.ContainsAny(tex, "+-*/<>") && !bytes.Contains(tex, []byte(" "))
	}
	return true
}
