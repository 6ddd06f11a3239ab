package epub

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Raw HTML in markdown goes through two steps. First each piece (a block, or
// an inline tag, which goldmark hands over one tag at a time) is filtered
// through an allowlist: elements that run code or embed other documents are
// dropped with their content, other unknown elements lose their tags but keep
// their text, and only harmless attributes stay. Then the whole chapter body
// is parsed as HTML5 and written out as XHTML (see wellFormed), which closes
// what raw HTML left open and drops stray end tags.

// allowed lists the elements kept, and for each the attributes it may carry
// besides the global ones (class, title, lang, dir).
var allowed = map[atom.Atom][]string{
	atom.Br: nil, atom.Hr: nil, atom.P: nil, atom.Div: nil, atom.Span: nil,
	atom.Details: {"open"}, atom.Summary: nil, atom.Img: {"src", "alt", "width", "height"},
	atom.Kbd: nil, atom.Sup: nil, atom.Sub: nil, atom.Mark: nil, atom.Abbr: nil,
	atom.Table: nil, atom.Thead: nil, atom.Tbody: nil, atom.Tfoot: nil, atom.Tr: nil,
	atom.Th: {"colspan", "rowspan", "scope"}, atom.Td: {"colspan", "rowspan"}, atom.Caption: nil,
	atom.Colgroup: {"span"}, atom.Col: {"span"},
	atom.Em: nil, atom.Strong: nil, atom.B: nil, atom.I: nil, atom.U: nil, atom.S: nil,
	atom.Small: nil, atom.Code: nil, atom.Pre: nil, atom.Blockquote: nil,
	atom.Ul: nil, atom.Ol: {"start", "reversed"}, atom.Li: {"value"}, atom.Dl: nil, atom.Dt: nil, atom.Dd: nil,
	atom.H1: nil, atom.H2: nil, atom.H3: nil, atom.H4: nil, atom.H5: nil, atom.H6: nil,
	atom.Figure: nil, atom.Figcaption: nil, atom.Q: nil, atom.Cite: nil, atom.Dfn: nil,
	atom.Var: nil, atom.Samp: nil, atom.Del: nil, atom.Ins: nil, atom.A: {"href"},
	atom.Center: nil, atom.Section: nil, atom.Article: nil, atom.Aside: nil, atom.Nav: nil,
	atom.Header: nil, atom.Footer: nil, atom.Main: nil, atom.Time: {"datetime"}, atom.Wbr: nil,
}

// dropped lists the elements removed together with everything inside them.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Form: true, atom.Input: true, atom.Button: true, atom.Select: true, atom.Textarea: true,
	atom.Noscript: true, atom.Template: true, atom.Svg: true, atom.Math: true, atom.Link: true,
	atom.Meta: true, atom.Base: true, atom.Title: true, atom.Head: true, atom.Audio: true,
	atom.Video: true, atom.Canvas: true, atom.Frame: true, atom.Frameset: true, atom.Applet: true,
	atom.Dialog: true,
}

// maxRawDepth bounds the nesting of raw HTML elements.
const maxRawDepth = 64

var globalAttrs = map[string]bool{"class": true, "title": true, "lang": true, "dir": true}

// safeURL reports whether a URL may be kept in href or src.
func safeURL(u string) bool {
	s := strings.ToLower(strings.Join(strings.Fields(u), ""))
	for _, bad := range []string{"javascript:", "vbscript:", "data:", "file:"} {
		if strings.HasPrefix(s, bad) {
			return false
		}
	}
	return true
}

// sanitize filters one piece of raw HTML. fixURL rewrites href and src
// values (resolving links and packaging images); it returns "" to drop the
// attribute, and for an img with no usable source, a text to show instead.
//
// open counts the elements raw HTML has opened and not closed, across the
// pieces of a chapter; past maxRawDepth further elements lose their tags.
func sanitize(raw string, open *int, fixURL func(tag, attr, val string) (string, string)) string {
	var out strings.Builder
	z := html.NewTokenizer(strings.NewReader(raw))
	skip := 0 // depth inside a dropped element
	var skipAtom atom.Atom
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if skip == 0 {
				out.WriteString(html.EscapeString(tok.Data))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			if skip > 0 {
				if tok.DataAtom == skipAtom && tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if dropped[tok.DataAtom] || tok.DataAtom == 0 && strings.Contains(tok.Data, "-") {
				if tt == html.StartTagToken && !isVoid(tok.DataAtom) {
					skip, skipAtom = 1, tok.DataAtom
				}
				continue
			}
			extra, ok := allowed[tok.DataAtom]
			if !ok || *open >= maxRawDepth && !isVoid(tok.DataAtom) {
				continue
			}
			if !isVoid(tok.DataAtom) {
				*open++
			}
			var attrs strings.Builder
			replace := ""
			for _, a := range tok.Attr {
				k := strings.ToLower(a.Key)
				if !globalAttrs[k] && !contains(extra, k) {
					continue
				}
				v := a.Val
				if k == "href" || k == "src" {
					if !safeURL(v) {
						continue
					}
					var alt string
					v, alt = fixURL(tok.Data, k, v)
					if v == "" {
						if tok.DataAtom == atom.Img {
							replace = alt
						}
						continue
					}
				}
				attrs.WriteString(" " + k + `="` + html.EscapeString(v) + `"`)
			}
			if tok.DataAtom == atom.Img {
				if replace != "" || !strings.Contains(attrs.String(), ` src="`) {
					out.WriteString(html.EscapeString(replace))
					continue
				}
				if !strings.Contains(attrs.String(), ` alt="`) {
					attrs.WriteString(` alt=""`)
				}
			}
			name := tok.DataAtom.String()
			if tok.DataAtom == atom.Center {
				name = "div"
			}
			out.WriteString("<" + name + attrs.String())
			if isVoid(tok.DataAtom) {
				out.WriteString(" />")
			} else {
				out.WriteString(">")
			}
		case html.EndTagToken:
			if skip > 0 {
				if tok.DataAtom == skipAtom {
					skip--
				}
				continue
			}
			if _, ok := allowed[tok.DataAtom]; ok && !isVoid(tok.DataAtom) && *open > 0 {
				*open--
				name := tok.DataAtom.String()
				if tok.DataAtom == atom.Center {
					name = "div"
				}
				out.WriteString("</" + name + ">")
			}
		}
	}
	return out.String()
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Br, atom.Hr, atom.Img, atom.Col, atom.Wbr, atom.Input, atom.Meta, atom.Link, atom.Base, atom.Embed, atom.Area, atom.Source, atom.Track, atom.Param:
		return true
	}
	return false
}

var mathNS = "http://www.w3.org/1998/Math/MathML"

// wellFormed parses an XHTML body fragment as HTML5, the way a browser
// would, and writes it back as well-formed XHTML.
func wellFormed(body string) (string, error) {
	ctx := &html.Node{Type: html.ElementNode, DataAtom: atom.Body, Data: "body"}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, n := range nodes {
		writeXHTML(&b, n, "")
	}
	return b.String(), nil
}

func writeXHTML(b *strings.Builder, n *html.Node, parentNS string) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(escapeXML(n.Data, false))
	case html.CommentNode:
		// Comments are not carried into the book.
	case html.ElementNode:
		name := n.Data
		b.WriteString("<" + name)
		if n.Namespace == "math" && parentNS != "math" {
			b.WriteString(` xmlns="` + mathNS + `"`)
		}
		for _, a := range n.Attr {
			key := a.Key
			if a.Namespace != "" {
				key = a.Namespace + ":" + a.Key
			}
			if !validAttrName(key) || key == "xmlns" || strings.HasPrefix(key, "xmlns:") {
				continue
			}
			b.WriteString(" " + key + `="` + escapeXML(a.Val, true) + `"`)
		}
		if n.FirstChild == nil && (n.Namespace != "" || isVoid(n.DataAtom)) {
			b.WriteString(" />")
			return
		}
		b.WriteString(">")
		if isVoid(n.DataAtom) && n.Namespace == "" {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			writeXHTML(b, c, n.Namespace)
		}
		b.WriteString("</" + name + ">")
	}
}

func validAttrName(k string) bool {
	if k == "" {
		return false
	}
	for i, r := range k {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == ':' ||
			i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.')
		if !ok {
			return false
		}
	}
	return true
}

// escapeXML escapes text for XML and drops characters XML 1.0 forbids.
func escapeXML(s string, attr bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || r >= 0xD800 && r <= 0xDFFF:
			// not allowed in XML
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
