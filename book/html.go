package book

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bindery-books/bindery/assets"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Raw HTML in a chapter goes through one allowlist, here, for both
// outputs. Elements that run code or embed other documents are dropped with
// their content; other unknown elements lose their tags but keep their
// text; only harmless attributes stay. What is kept becomes nodes of the
// chapter's AST: HTML elements and HTMLText, with <a href> as a Link and
// <img> as an Image, resolved like markdown's own. Tags pair up across the
// pieces goldmark hands over (one inline tag at a time, or one HTML block
// at a time): markdown between <details> and </details> ends up inside the
// element, and an element left open closes at the end of the block or
// paragraph that holds it.

// allowed lists the elements kept, and for each the attributes it may carry
// besides the global ones (class, title, lang, dir). href and src are not
// attributes here: they make links and images.
var allowed = map[atom.Atom][]string{
	atom.Br: nil, atom.Hr: nil, atom.P: nil, atom.Div: nil, atom.Span: nil,
	atom.Details: {"open"}, atom.Summary: nil, atom.Img: {"width", "height"},
	atom.Kbd: nil, atom.Sup: nil, atom.Sub: nil, atom.Mark: nil, atom.Abbr: nil,
	atom.Table: nil, atom.Thead: nil, atom.Tbody: nil, atom.Tfoot: nil, atom.Tr: nil,
	atom.Th: {"colspan", "rowspan", "scope", "align"}, atom.Td: {"colspan", "rowspan", "align"}, atom.Caption: nil,
	atom.Colgroup: {"span"}, atom.Col: {"span"},
	atom.Em: nil, atom.Strong: nil, atom.B: nil, atom.I: nil, atom.U: nil, atom.S: nil,
	atom.Small: nil, atom.Code: nil, atom.Pre: nil, atom.Blockquote: nil,
	atom.Ul: nil, atom.Ol: {"start", "reversed"}, atom.Li: {"value"}, atom.Dl: nil, atom.Dt: nil, atom.Dd: nil,
	atom.H1: nil, atom.H2: nil, atom.H3: nil, atom.H4: nil, atom.H5: nil, atom.H6: nil,
	atom.Figure: nil, atom.Figcaption: nil, atom.Q: nil, atom.Cite: nil, atom.Dfn: nil,
	atom.Var: nil, atom.Samp: nil, atom.Del: nil, atom.Ins: nil, atom.A: nil,
	atom.Center: nil, atom.Section: nil, atom.Article: nil, atom.Aside: nil, atom.Nav: nil,
	atom.Header: nil, atom.Footer: nil, atom.Main: nil, atom.Time: {"datetime"}, atom.Wbr: nil,
}

// dropped lists the elements removed together with everything inside them:
// scripts, styles, frames, forms, media, and the document's head.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Form: true, atom.Input: true, atom.Button: true, atom.Select: true, atom.Textarea: true,
	atom.Noscript: true, atom.Template: true, atom.Svg: true, atom.Math: true, atom.Link: true,
	atom.Meta: true, atom.Base: true, atom.Title: true, atom.Head: true, atom.Audio: true,
	atom.Video: true, atom.Canvas: true, atom.Frame: true, atom.Frameset: true, atom.Applet: true,
	atom.Dialog: true,
}

var globalAttrs = map[string]bool{"class": true, "title": true, "lang": true, "dir": true}

// inlineTags are the elements set within a line of text.
var inlineTags = map[atom.Atom]bool{
	atom.Br: true, atom.Span: true, atom.Kbd: true, atom.Sup: true, atom.Sub: true, atom.Mark: true,
	atom.Abbr: true, atom.Em: true, atom.Strong: true, atom.B: true, atom.I: true, atom.U: true,
	atom.S: true, atom.Small: true, atom.Code: true, atom.Q: true, atom.Cite: true, atom.Dfn: true,
	atom.Var: true, atom.Samp: true, atom.Del: true, atom.Ins: true, atom.Time: true, atom.Wbr: true,
	atom.A: true, atom.Img: true,
}

// maxHTMLDepth bounds the nesting of raw HTML elements; deeper tags are
// dropped, their text kept.
const maxHTMLDepth = 64

// IsVoid reports whether an element has no content and no end tag.
func IsVoid(a atom.Atom) bool {
	switch a {
	case atom.Br, atom.Hr, atom.Img, atom.Col, atom.Wbr, atom.Input, atom.Meta, atom.Link, atom.Base,
		atom.Embed, atom.Area, atom.Source, atom.Track, atom.Param:
		return true
	}
	return false
}

// htmlBuilder turns the raw HTML among the children of one node into
// elements, adopting the nodes between an element's start and end tags.
type htmlBuilder struct {
	r     *resolver
	block bool
	// holder is where new nodes go while no element is open: in the parent
	// before the raw HTML node being read.
	parent, at ast.Node
	// open are the elements open at this level, innermost last.
	open []ast.Node
	// skip counts nested start tags of a dropped element being skipped.
	skip     int
	skipAtom atom.Atom
}

// buildHTML replaces the raw HTML among parent's children (HTML blocks
// when block, inline raw HTML otherwise) with elements.
func (r *resolver) buildHTML(parent ast.Node, block bool) {
	h := &htmlBuilder{r: r, block: block, parent: parent}
	for c := parent.FirstChild(); c != nil; {
		next := c.NextSibling()
		raw, ok := r.rawHTML(c)
		if !ok {
			if h.skip > 0 {
				// Markdown inside a dropped element goes with it.
				parent.RemoveChild(parent, c)
				c = next
				continue
			}
			if len(h.open) > 0 {
				// Markdown between a start tag and its end tag.
				top := h.open[len(h.open)-1]
				parent.RemoveChild(parent, c)
				top.AppendChild(top, c)
			}
			c = next
			continue
		}
		h.at = c
		r.pos = r.ch.PosOf(c)
		h.read(raw)
		parent.RemoveChild(parent, c)
		c = next
	}
}

// rawHTML returns the source of an HTML block or inline raw HTML node.
func (r *resolver) rawHTML(n ast.Node) (string, bool) {
	var b strings.Builder
	switch n := n.(type) {
	case *ast.HTMLBlock:
		l := n.Lines()
		for i := 0; i < l.Len(); i++ {
			s := l.At(i)
			b.Write(s.Value(r.src))
		}
		if n.HasClosure() {
			b.Write(n.ClosureLine.Value(r.src))
		}
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			s := n.Segments.At(i)
			b.Write(s.Value(r.src))
		}
	default:
		return "", false
	}
	return b.String(), true
}

// add puts a new node where the builder is: in the innermost open element,
// or in the parent.
func (h *htmlBuilder) add(n ast.Node) {
	if len(h.open) > 0 {
		top := h.open[len(h.open)-1]
		top.AppendChild(top, n)
		return
	}
	h.parent.InsertBefore(h.parent, h.at, n)
}

// read reads one piece of raw HTML.
func (h *htmlBuilder) read(raw string) {
	z := html.NewTokenizer(strings.NewReader(raw))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if h.skip == 0 {
				h.text(tok.Data)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			h.start(tok, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			h.end(tok)
		}
	}
}

// text adds text. At the top of a block, text goes into an anonymous
// element that only holds it.
func (h *htmlBuilder) text(s string) {
	if s == "" {
		return
	}
	t := &HTMLText{Value: xmlText(s)}
	if len(h.open) == 0 && h.block {
		holder := &HTML{block: true}
		holder.AppendChild(holder, t)
		h.add(holder)
		return
	}
	h.add(t)
}

func (h *htmlBuilder) start(tok html.Token, selfClosing bool) {
	if h.skip > 0 {
		if tok.DataAtom == h.skipAtom && !selfClosing {
			h.skip++
		}
		return
	}
	if dropped[tok.DataAtom] || tok.DataAtom == 0 && strings.Contains(tok.Data, "-") {
		if !selfClosing && !IsVoid(tok.DataAtom) {
			h.skip, h.skipAtom = 1, tok.DataAtom
		}
		return
	}
	extra, ok := allowed[tok.DataAtom]
	if !ok || len(h.open) >= maxHTMLDepth && !IsVoid(tok.DataAtom) {
		return // unknown: the tag goes, its content stays
	}
	n := h.element(tok, extra)
	if n == nil {
		return
	}
	h.add(n)
	if !IsVoid(tok.DataAtom) && !selfClosing {
		h.open = append(h.open, n)
	}
}

// element makes the node of an allowed start tag: a Link for <a href>, an
// Image for <img src>, else an HTML element with its allowed attributes.
func (h *htmlBuilder) element(tok html.Token, extra []string) ast.Node {
	attr := func(key string) (string, bool) {
		for _, a := range tok.Attr {
			if strings.EqualFold(a.Key, key) {
				return xmlText(a.Val), true
			}
		}
		return "", false
	}
	switch tok.DataAtom {
	case atom.A:
		if href, ok := attr("href"); ok && strings.TrimSpace(href) != "" {
			if l := h.r.link(href); l != nil {
				l.Title, _ = attr("title")
				return l
			}
		}
	case atom.Img:
		src, _ := attr("src")
		if strings.TrimSpace(src) == "" {
			return nil
		}
		alt, _ := attr("alt")
		title, _ := attr("title")
		return h.r.image(src, alt, title)
	}
	n := &HTML{Tag: tok.DataAtom, Name: tok.DataAtom.String(), block: h.block && !inlineTags[tok.DataAtom]}
	if tok.DataAtom == atom.Center {
		n.Name = "div"
	}
	for _, a := range tok.Attr {
		k := strings.ToLower(a.Key)
		if !globalAttrs[k] && !slices.Contains(extra, k) || slices.ContainsFunc(n.Attrs, func(x Attr) bool { return x.Key == k }) {
			continue
		}
		if v, ok := attrValue(k, xmlText(a.Val)); ok {
			n.Attrs = append(n.Attrs, Attr{Key: k, Val: v})
		}
	}
	return n
}

// attrValue checks the value of an allowed attribute: a value the HTML
// standard does not allow is dropped (EPUBCheck would reject the book),
// and a boolean attribute is written as XHTML wants it.
func attrValue(key, v string) (string, bool) {
	t := strings.TrimSpace(v)
	switch key {
	case "open", "reversed":
		return key, true
	case "colspan", "span":
		return t, intIn(t, 1, 1000)
	case "rowspan":
		return t, intIn(t, 0, 65534)
	case "width", "height":
		return t, intIn(t, 0, 100000)
	case "start", "value":
		return t, intIn(t, -1<<31, 1<<31-1)
	case "scope":
		t = strings.ToLower(t)
		return t, t == "row" || t == "col" || t == "rowgroup" || t == "colgroup"
	case "align":
		t = strings.ToLower(t)
		return t, t == "left" || t == "center" || t == "right" || t == "justify"
	case "dir":
		t = strings.ToLower(t)
		return t, t == "ltr" || t == "rtl" || t == "auto"
	case "lang":
		return t, t == "" || languageTag(t)
	case "datetime":
		return t, datetimeValue.MatchString(t)
	case "class":
		return classValue(t)
	}
	return v, true
}

// intIn reports whether s is a decimal integer from lo to hi.
func intIn(s string, lo, hi int) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= lo && n <= hi && !strings.HasPrefix(s, "+")
}

// datetimeValue matches the dates and times HTML's datetime attribute
// takes: a date, a date and time with an optional zone, or a time.
var datetimeValue = regexp.MustCompile(`^(?:\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$`)

// classValue keeps the class names of raw HTML that are plain names and
// that name none of the classes the book's own markup is styled with: raw
// HTML cannot dress up as a footnote, an admonition or a cover.
func classValue(v string) (string, bool) {
	var keep []string
	for _, c := range strings.Fields(v) {
		if className.MatchString(c) && !bookClasses()[c] && !slices.Contains(keep, c) {
			keep = append(keep, c)
		}
	}
	return strings.Join(keep, " "), len(keep) > 0
}

var className = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// bookClasses are the class names of the book's stylesheet, and chroma's.
var bookClasses = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{"chroma": true}
	for _, c := range regexp.MustCompile(`\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)`).FindAllSubmatch(assets.EPUBStyle, -1) {
		m[string(c[1])] = true
	}
	return m
})

// end closes the innermost open element of the end tag's kind, and those
// inside it; an end tag with no open element is dropped.
func (h *htmlBuilder) end(tok html.Token) {
	if h.skip > 0 {
		if tok.DataAtom == h.skipAtom {
			h.skip--
		}
		return
	}
	for i := len(h.open) - 1; i >= 0; i-- {
		if tagOf(h.open[i]) == tok.DataAtom {
			h.open = h.open[:i]
			return
		}
	}
}

// tagOf returns the element an open node stands for.
func tagOf(n ast.Node) atom.Atom {
	switch n := n.(type) {
	case *HTML:
		return n.Tag
	case *Link:
		return atom.A
	}
	return 0
}
