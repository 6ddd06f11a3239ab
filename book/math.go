package book

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Math: $$…$$ display math as a block (on lines of its own, or on one line),
// and $…$ inline math by pandoc's rule, which tells math from prices: the
// opening $ has a non-space character right after it, the closing $ has a
// non-space character right before it and no digit right after it. So
// "$5 and $10" stays text, and "$x^2$" is math.

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
	n.SetAttributeString("offset", seg.Start)
	reader.Advance(len(line) - trailingNewline(line))
	if len(rest) > 2 && bytes.HasSuffix(rest, []byte("$$")) {
		n.TeX = string(bytes.TrimSpace(rest[:len(rest)-2]))
		n.SetAttributeString("closed", true)
		return n, parser.NoChildren
	}
	if len(rest) > 0 {
		n.TeX = string(rest) + "\n"
	}
	return n, parser.NoChildren
}

func (mathBlockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*MathBlock)
	if hasAttr(n, "closed") {
		return parser.Close
	}
	line, _ := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	trimmed := bytes.TrimSpace(line)
	reader.Advance(len(line) - trailingNewline(line))
	if bytes.HasSuffix(trimmed, []byte("$$")) {
		n.TeX += string(bytes.TrimSpace(trimmed[:len(trimmed)-2]))
		n.SetAttributeString("closed", true)
		return parser.Close
	}
	n.TeX += string(trimmed) + "\n"
	return parser.Continue | parser.NoChildren
}

func (mathBlockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	n := node.(*MathBlock)
	n.TeX = string(bytes.TrimSpace([]byte(n.TeX)))
}
func (mathBlockParser) CanInterruptParagraph() bool { return true }
func (mathBlockParser) CanAcceptIndentedLine() bool { return false }

type mathInlineParser struct{}

func (mathInlineParser) Trigger() []byte { return []byte{'$'} }

func (mathInlineParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) < 3 || line[0] != '$' {
		return nil
	}
	if line[1] == '$' { // $$…$$ inside a paragraph: display style, inline place
		end := bytes.Index(line[2:], []byte("$$"))
		if end <= 0 {
			return nil
		}
		tex := bytes.TrimSpace(line[2 : 2+end])
		block.Advance(end + 4)
		return &MathInline{TeX: string(tex)}
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
			tex := line[1:i]
			if !looksLikeMath(tex) {
				return nil
			}
			block.Advance(i + 1)
			return &MathInline{TeX: string(tex)}
		}
	}
	return nil
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

type mathExtension struct{}

func (mathExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(mathBlockParser{}, 60)),
		parser.WithInlineParsers(util.Prioritized(mathInlineParser{}, 60)),
	)
}
