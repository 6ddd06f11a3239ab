package epub

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// The print edition's page breaks are marked where the PDF's pages begin:
// before the block a page begins with, or, when a page begins inside a
// paragraph, a code block or a table, before the letter it begins with
// (found by counting letters and digits, as book.PageStart counts them).
//
// While a chapter renders, the block of each page start is bracketed with
// sentinels (NUL, a letter, a number, NUL: nothing a chapter's text can
// hold, since XML forbids NUL); placeBreaks then puts the markers in and
// takes the sentinels out.

// pageMarker is the XHTML of a page break marker.
func pageMarker(label string) string {
	return `<span id="` + pageID(label) + `" epub:type="pagebreak" role="doc-pagebreak" aria-label="` + esc(label) + `"></span>`
}

// pageID is the ID of a page's marker.
func pageID(label string) string { return "page-" + label }

// marking is the one node renderer of a chapter: it collects the functions
// of the renderers it holds, as goldmark would (a lower priority value
// wins), and registers each wrapped so that the blocks where pages begin
// are bracketed and blocks that run against the page's direction say so
// (direction.go).
type marking struct {
	r         *chapterRenderer
	renderers []util.PrioritizedValue
}

// collector is a registerer that keeps the functions it is given.
type collector map[ast.NodeKind]renderer.NodeRendererFunc

func (c collector) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c[k] = f }

// RegisterFuncs registers the held renderers' functions, wrapped.
func (m *marking) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	rs := slices.Clone(m.renderers)
	slices.SortStableFunc(rs, func(a, b util.PrioritizedValue) int { return cmp.Compare(b.Priority, a.Priority) })
	funcs := collector{}
	for _, v := range rs {
		v.Value.(renderer.NodeRenderer).RegisterFuncs(funcs)
	}
	for k, f := range funcs {
		reg.Register(k, m.wrap(f))
	}
}

func (m *marking) wrap(f renderer.NodeRendererFunc) renderer.NodeRendererFunc {
	return func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		i, marked := m.r.groupOf[n]
		if marked && entering {
			fmt.Fprintf(w, "\x00S%d\x00", i)
		}
		d := ""
		if entering {
			d = m.r.ownDir(n)
		}
		var st ast.WalkStatus
		var err error
		if d != "" {
			st, err = withDir(w, func(w util.BufWriter) (ast.WalkStatus, error) { return f(w, src, n, true) }, d)
		} else {
			st, err = f(w, src, n, entering)
		}
		if marked && !entering {
			fmt.Fprintf(w, "\x00E%d\x00", i)
		}
		return st, err
	}
}

// setBreaks records the page starts of this chapter that fall inside its
// blocks.
func (r *chapterRenderer) setBreaks(starts []book.PageStart) {
	r.groupOf = map[ast.Node]int{}
	for _, s := range starts {
		if s.Node == nil {
			continue
		}
		i, ok := r.groupOf[s.Node]
		if !ok {
			i = len(r.groups)
			r.groupOf[s.Node] = i
			r.groups = append(r.groups, nil)
		}
		if s.Offset > 0 {
			// The PDF counts the number it sets beside a list item or a
			// step; the EPUB's list draws it, outside the text.
			s.Offset = max(s.Offset-markerDigits(s.Node), 0)
		}
		r.groups[i] = append(r.groups[i], s)
	}
}

// markerDigits returns how many digits the PDF sets beside the first line
// of a block: the number of an ordered list's item, or of a step.
func markerDigits(n ast.Node) int {
	if n.PreviousSibling() != nil && !isSteps(n.Parent()) {
		return 0
	}
	switch p := n.Parent().(type) {
	case *ast.ListItem:
		l, ok := p.Parent().(*ast.List)
		if !ok || !l.IsOrdered() {
			return 0
		}
		num := l.Start
		if num == 0 {
			num = 1
		}
		for k := l.FirstChild(); k != nil && k != ast.Node(p); k = k.NextSibling() {
			num++
		}
		return len(strconv.Itoa(num))
	case *markup.Steps:
		num := 1
		for k := p.FirstChild(); k != nil && k != n; k = k.NextSibling() {
			num++
		}
		return len(strconv.Itoa(num))
	}
	return 0
}

func isSteps(n ast.Node) bool {
	_, ok := n.(*markup.Steps)
	return ok
}

// insertion is a marker to put in at a byte offset of the rendered body.
type insertion struct {
	at    int
	order int
	html  string
}

// placeBreaks puts the page break markers of groups into body, bracketed
// by sentinels, and removes the sentinels.
func placeBreaks(body []byte, groups [][]book.PageStart) []byte {
	if len(groups) == 0 {
		return body
	}
	var ins []insertion
	order := 0
	for i, starts := range groups {
		open := bytes.Index(body, []byte("\x00S"+strconv.Itoa(i)+"\x00"))
		end := bytes.Index(body, []byte("\x00E"+strconv.Itoa(i)+"\x00"))
		if open < 0 || end < open {
			continue // a block the renderer did not write: its starts go unmarked
		}
		for _, s := range starts {
			at := open
			if s.Offset > 0 {
				at = letterAt(body, open, end, s.Offset)
			}
			ins = append(ins, insertion{at: at, order: order, html: pageMarker(s.Label)})
			order++
		}
	}
	slices.SortStableFunc(ins, func(a, b insertion) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.order, b.order))
	})
	var out bytes.Buffer
	out.Grow(len(body) + 120*len(ins))
	k := 0
	for i := 0; i < len(body); {
		for k < len(ins) && ins[k].at == i {
			out.WriteString(ins[k].html)
			k++
		}
		if body[i] == 0 {
			j := bytes.IndexByte(body[i+1:], 0)
			i += j + 2
			continue
		}
		out.WriteByte(body[i])
		i++
	}
	for ; k < len(ins); k++ {
		out.WriteString(ins[k].html)
	}
	return out.Bytes()
}

// letterAt returns the offset in body, between from and to, of the letter
// or digit that follows the first n of them in the text: markup, entities,
// sentinels and formulas (whose text is not the PDF's) do not count. It
// returns to when the text has n or fewer.
func letterAt(body []byte, from, to, n int) int {
	count := 0
	math := false
	for i := from; i < to; {
		switch c := body[i]; {
		case c == 0:
			i += bytes.IndexByte(body[i+1:], 0) + 2
			continue
		case c == '<':
			j := bytes.IndexByte(body[i:], '>')
			if j < 0 {
				return to
			}
			tag := body[i : i+j+1]
			switch {
			case bytes.HasPrefix(tag, []byte("<math")):
				math = true
			case bytes.HasPrefix(tag, []byte("</math")):
				math = false
			}
			i += j + 1
			continue
		case c == '&':
			if j := bytes.IndexByte(body[i:], ';'); j > 0 && j < 12 {
				i += j + 1
				continue
			}
		}
		r, size := utf8.DecodeRune(body[i:])
		if !math && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if count == n {
				return wordStart(body, from, i)
			}
			count++
		}
		i += size
	}
	return to
}

// wordStart moves a marker's place back to the start of its word, so that
// a count that drifted never splits a word, and out of the inline elements
// the word opens, so that the marker is not part of a link's text.
func wordStart(body []byte, from, i int) int {
	for i > from {
		r, size := utf8.DecodeLastRune(body[from:i])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		i -= size
	}
	for i > from && body[i-1] == '>' {
		j := bytes.LastIndexByte(body[from:i], '<')
		if j < 0 {
			break
		}
		tag := body[from+j : i]
		name := tag[1:]
		if k := bytes.IndexAny(name, " >"); k >= 0 {
			name = name[:k]
		}
		if !inline[string(name)] || bytes.HasPrefix(tag, []byte(`<span class="cl `)) {
			break
		}
		i = from + j
	}
	return i
}

// inline are the elements whose opening tag a marker moves out of.
var inline = map[string]bool{"a": true, "em": true, "strong": true, "span": true, "code": true, "b": true, "i": true,
	"s": true, "del": true, "sup": true, "sub": true, "mark": true, "kbd": true, "samp": true, "var": true, "cite": true, "q": true, "abbr": true}
