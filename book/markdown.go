package book

import (
	"bytes"
	"html"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// markdown is the one goldmark configuration every chapter is parsed with.
// goldmark parsers keep their state in a per-call context, so one value
// serves concurrent parses.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer, shortcodeExtension{}, mathExtension{}),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// parseMarkdown parses a chapter body.
func parseMarkdown(src []byte) ast.Node {
	return markdown.Parser().Parse(text.NewReader(src))
}

// PlainText returns the text of n and its descendants without markup, as a
// reader sees it: the words of a heading, a link or an image's alt text.
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
			return
		case *ast.String:
			if n.IsCode() {
				// The typographer's substitutions are HTML entities.
				b.WriteString(html.UnescapeString(string(n.Value)))
			} else {
				b.Write(n.Value)
			}
			return
		case *ast.RawHTML:
			return
		case *MathInline:
			b.WriteString(n.TeX)
			return
		case *extast.FootnoteLink:
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// headingID makes a heading ID the way Hugo's default (GitHub style)
// anchorizer does: lower case, letters, digits, hyphens and underscores
// kept, spaces turned into hyphens, everything else dropped.
func headingID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	return b.String()
}

// collectHeadings gives every heading of a chapter a unique ID (an explicit
// {#id} attribute wins) and returns them in order.
func collectHeadings(doc ast.Node, src []byte) []*Heading {
	var hs []*Heading
	used := map[string]int{}
	// Explicit IDs first, so generated ones step around them.
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if v, ok := h.AttributeString("id"); ok {
				if id, ok := v.([]byte); ok {
					used[string(id)]++
				}
			}
		}
		return ast.WalkContinue, nil
	})
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		txt := PlainText(h, src)
		var id string
		if v, ok := h.AttributeString("id"); ok {
			if b, ok := v.([]byte); ok {
				id = string(b)
			}
		}
		if id == "" {
			base := headingID(txt)
			if base == "" || !unicode.IsLetter([]rune(base)[0]) {
				base = "h-" + base
			}
			id = base
			for i := 1; used[id] > 0; i++ {
				id = base + "-" + strconv.Itoa(i)
			}
			used[id]++
			h.SetAttributeString("id", []byte(id))
		}
		hs = append(hs, &Heading{Level: h.Level, Text: txt, ID: id, Node: h})
		return ast.WalkSkipChildren, nil
	})
	return hs
}

// offsetAttr is the attribute that carries the source offset of nodes made
// after parsing (from shortcodes), which have no source lines of their own.
const offsetAttr = "_offset"

// nodeOffset returns the byte offset where n starts in the source, looking
// at n's lines, its text segment, or else its first descendant that has one.
func nodeOffset(n ast.Node) (int, bool) {
	for ; n != nil; n = n.FirstChild() {
		if v, ok := n.AttributeString(offsetAttr); ok {
			if off, ok := v.(int); ok {
				return off, true
			}
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

// firstHeadingText returns the text of the first heading in doc, or "".
func firstHeadingText(doc ast.Node, src []byte) string {
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok {
			return PlainText(h, src)
		}
	}
	return ""
}

var _ = bytes.Equal
