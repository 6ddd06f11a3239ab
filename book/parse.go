package book

import (
	"bufio"
	"bytes"
	"cmp"
	stdhtml "html"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode"

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
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, ch := range b.Chapters {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			problems[i] = b.parseChapter(ch)
		}()
	}
	wg.Wait()
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
	ch.Headings = collectHeadings(ch.Doc, ch.Source)
	ch.notes = countNotes(ch.Doc)
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

// countNotes returns the number of footnotes of a chapter.
func countNotes(doc ast.Node) int {
	n := 0
	_ = ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := c.(*extast.Footnote); ok && entering {
			n++
		}
		return ast.WalkContinue, nil
	})
	return n
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
		return string(b)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	html.DefaultWriter.Write(w, b)
	_ = w.Flush()
	return stdhtml.UnescapeString(buf.String())
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
			if id := explicitID(h); id != "" {
				used[id]++
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
		id := explicitID(h)
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
