package epub

import (
	"strings"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A chapter body with raw HTML is parsed as HTML5, the way a browser
// would, and written back as XHTML (see wellFormed): raw HTML that left a
// paragraph open, or put a block inside an inline element, comes out well
// formed. A body of the renderer's own markup is well formed as written
// (TestOwnMarkupWellFormed), as long as its text is (plainXML): it skips
// the parse, which was a fifth of an EPUB build.

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

// plainXML reports whether body holds only text XML allows: valid UTF-8
// without the control characters, U+FFFE and U+FFFF that escapeXML drops.
func plainXML(body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	for i, c := range body {
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			return false
		case c == 0xEF && i+2 < len(body) && body[i+1] == 0xBF && (body[i+2] == 0xBE || body[i+2] == 0xBF):
			return false
		}
	}
	return true
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
		if n.FirstChild == nil && (n.Namespace != "" || book.IsVoid(n.DataAtom)) {
			b.WriteString(" />")
			return
		}
		b.WriteString(">")
		if book.IsVoid(n.DataAtom) && n.Namespace == "" {
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
