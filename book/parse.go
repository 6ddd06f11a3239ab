package book

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"github.com/bindery-books/bindery/book/internal/par"
	stdhtml "html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book/diagram"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer/html"
)

// parseChapters parses every chapter's body, concurrently, with the
// dialect of package markup, and collects its headings. A Reloader's load
// parses only the chapters that changed (see reload.go).
func (b *Book) parseChapters() {
	if b.reuse != nil {
		b.reuse.parse(b)
		return
	}
	problems := make([][]Diagnostic, len(b.Chapters))
	par.Each(len(b.Chapters), func(i int) { problems[i] = b.parseChapter(b.Chapters[i]) })
	for _, ps := range problems {
		b.Diagnostics.add(ps...)
	}
}

// parseChapter parses one chapter's body and collects its headings; it
// returns the problems the dialect met.
func (b *Book) parseChapter(ch *Chapter) []Diagnostic {
	doc, src, ps := markup.Parse(ch.Source)
	ch.Doc, ch.Source = doc, src
	problems := ch.markupProblems(ps, b.Diagnostics)
	var hps []Diagnostic
	ch.Headings, hps = ch.collectHeadings(b.Diagnostics)
	problems = append(problems, hps...)
	ch.notes = scanBlocks(ch.Doc, ch.Source)
	if ch.Title == "" {
		ch.Title = cmp.Or(firstHeadingText(ch.Doc, ch.Source), chapterStem(ch.File))
	}
	ch.takeTitleHeading()
	return problems
}

// takeTitleHeading takes a # heading that opens the body and repeats the
// chapter's title out of the body (see Chapter.TitleHeading).
func (ch *Chapter) takeTitleHeading() {
	h, ok := ch.Doc.FirstChild().(*ast.Heading)
	if !ok || h.Level != 1 || len(ch.Headings) == 0 || ch.Headings[0].Node != h || !strings.EqualFold(ch.Headings[0].Text, ch.Title) {
		return
	}
	ch.TitleHeading = ch.Headings[0]
	ch.Doc.RemoveChild(ch.Doc, h)
}

// scanBlocks returns the number of footnotes of a chapter, and starts
// drawing its diagrams in the background (diagram.Prefetch): resolving
// then finds them drawn, on a core that parsing left free, or under way.
// It does not look inside paragraphs and headings, which hold no blocks.
func scanBlocks(doc ast.Node, src []byte) (notes int) {
	_ = ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *extast.Footnote:
			notes++
		case *ast.FencedCodeBlock:
			if c.Info != nil && CodeLanguage(string(c.Info.Segment.Value(src))) == "mermaid" {
				diagram.Prefetch(codeText(c, src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.Heading, *ast.TextBlock, *ast.CodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return notes
}

// TextValue returns the text of a goldmark text node as a reader sees it:
// backslash escapes and entity references resolved, as goldmark's HTML
// renderer writes it.
func TextValue(t *ast.Text, src []byte) string {
	return Unescape(t.Segment.Value(src))
}

// Unescape resolves the backslash escapes and entity references of
// markdown text.
func Unescape(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 {
		return xmlText(string(b))
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	html.DefaultWriter.Write(w, b)
	_ = w.Flush()
	return xmlText(stdhtml.UnescapeString(buf.String()))
}

// PlainText returns the text of n and its descendants without markup, as a
// reader sees it: the words of a heading, a link or an image's alt text.
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.Text:
			b.WriteString(TextValue(n, src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
			return
		case *ast.String:
			if n.IsCode() {
				// The typographer's substitutions are HTML entities.
				b.WriteString(stdhtml.UnescapeString(string(n.Value)))
			} else {
				b.Write(n.Value)
			}
			return
		case *HTMLText:
			b.WriteString(n.Value)
			return
		case *Image:
			b.WriteString(n.Alt)
			return
		case *ast.RawHTML, *extast.FootnoteLink:
			return
		case *markup.MathInline:
			b.WriteString(n.Formula.Source)
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(n)
	return xmlText(strings.TrimSpace(b.String()))
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
// {#id} attribute wins, when it is a usable ID and the first of its name)
// and returns them in order, with the problems of their IDs and lengths.
func (ch *Chapter) collectHeadings(ds *Diagnostics) ([]*Heading, []Diagnostic) {
	doc, src := ch.Doc, ch.Source
	var hs []*Heading
	var problems []Diagnostic
	used := map[string]int{}
	// Explicit IDs first, so generated ones step around them; an ID that
	// cannot be used, or is used again, is dropped for a generated one.
	explicit := map[*ast.Heading]string{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		id := explicitID(h)
		switch {
		case id == "":
		case !usableID(id):
			problems = append(problems, ds.warning(ch.PosOf(h), fmt.Sprintf("heading ID %q: not an ID a book can use (a letter, then letters, digits, - _ . :); a generated one is used", truncate(id, 80))))
		case used[id] > 0:
			problems = append(problems, ds.warning(ch.PosOf(h), fmt.Sprintf("heading ID %q is used twice; a generated one is used", id)))
		default:
			used[id]++
			explicit[h] = id
		}
		return ast.WalkSkipChildren, nil
	})
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		txt := PlainText(h, src)
		if l := utf8.RuneCountInString(txt); l > maxTitleLen {
			problems = append(problems, Diagnostic{Pos: ch.PosOf(h), Msg: fmt.Sprintf("heading of %d characters: longer than the %d a heading may be", l, maxTitleLen)})
			txt = truncate(txt, maxTitleLen)
		}
		id, ok := explicit[h]
		if !ok {
			base := headingID(truncate(txt, maxIDLen))
			if base == "" || !unicode.IsLetter([]rune(base)[0]) {
				base = "h-" + base
			}
			id = base
			for i := 1; used[id] > 0; i++ {
				id = base + "-" + strconv.Itoa(i)
			}
			used[id]++
		}
		// An {attribute} on a heading sets its ID, nothing else: a class
		// or a style would let a chapter dress up or hide text.
		h.RemoveAttributes()
		h.SetAttributeString("id", []byte(id))
		hs = append(hs, &Heading{Level: h.Level, Text: txt, ID: id, Node: h})
		return ast.WalkSkipChildren, nil
	})
	return hs, problems
}

// maxIDLen bounds, in characters, the text a heading's ID is made from.
const maxIDLen = 100

// usableID reports whether an explicit heading ID can be used as it is in
// both outputs, as an XML ID and in a link's fragment: a letter, then
// letters, digits, "-", "_", "." or ":", at most 200 bytes. The IDs
// Bindery makes for itself start with "_" and so cannot be taken.
func usableID(id string) bool {
	if id == "" || len(id) > 200 {
		return false
	}
	for i, r := range id {
		switch {
		case unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' || r == ':'):
		default:
			return false
		}
	}
	return true
}

// explicitID returns the ID a heading's {#id} attribute gives it, or "".
func explicitID(h *ast.Heading) string {
	if v, ok := h.AttributeString("id"); ok {
		if id, ok := v.([]byte); ok {
			return string(id)
		}
	}
	return ""
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
