package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// cleanPath returns the path a request names, or false when it is not a
// path the preview serves anything at. Every request's path is checked
// here before it is looked up, whatever its encoding: it must be absolute
// and valid UTF-8, without control characters, backslashes or colons; each
// segment must be a name, not "." or "..", not empty (no "//") and not
// hidden (no leading dot); and nothing may be percent-encoded that means
// something once decoded again: %2F and %5C (slashes), %25 (a second
// encoding), %00.
func cleanPath(r *http.Request) (string, bool) {
	raw := strings.ToLower(r.URL.EscapedPath())
	for _, bad := range []string{"%2f", "%5c", "%25", "%00"} {
		if strings.Contains(raw, bad) {
			return "", false
		}
	}
	p := r.URL.Path
	if r.URL.Opaque != "" || !strings.HasPrefix(p, "/") || !utf8.ValidString(p) {
		return "", false
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' || c == ':' || c == utf8.RuneError {
			return "", false
		}
	}
	if p == "/" {
		return p, true
	}
	for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		if seg == "" || strings.HasPrefix(seg, ".") {
			return "", false
		}
	}
	return p, true
}

// escapePath percent-encodes a slash-separated path for a URL.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// maxSource bounds the files the source view shows.
const maxSource = 16 << 20

// serveSource shows a source file of the book with its lines numbered, so
// that a problem's file:line links to its line. It shows only the book's
// own text files: those the last build read (the index, the indexes of
// parts, book.yaml, the chapters) and the markdown and YAML files of the
// book's folder, opened inside the content root, which no path or symbolic
// link leads out of.
func (s *server) serveSource(w http.ResponseWriter, r *http.Request, rel string) {
	switch path.Ext(rel) {
	case ".md", ".markdown", ".yaml", ".yml":
	default:
		s.notFound(w, sourcePrefix+rel)
		return
	}
	s.srcMu.Lock()
	defer s.srcMu.Unlock()
	if s.root == nil || path.Clean(rel) != rel || !s.sourceAllowed(rel) {
		s.notFound(w, sourcePrefix+rel)
		return
	}
	f, err := s.root.Open(rel)
	if err != nil {
		s.notFound(w, sourcePrefix+rel)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxSource {
		s.notFound(w, sourcePrefix+rel)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSource))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<nav class=\"bindery-bar\" aria-label=\"Preview\">\n<a class=\"bindery-home\" href=\"/\">%s</a>\n</nav>\n", esc(s.current().title))
	fmt.Fprintf(&b, "<h1>%s</h1>\n<pre class=\"bindery-source\">", esc(rel))
	text := strings.TrimSuffix(xmlText(string(data)), "\n")
	for i, line := range strings.Split(text, "\n") {
		n := strconv.Itoa(i + 1)
		fmt.Fprintf(&b, `<span class="line" id="L%s"><a class="ln" href="#L%s">%s</a>%s</span>`, n, n, n, esc(line))
	}
	b.WriteString("</pre>\n")
	doc := xhtmlDoc("en", rel, b.String())
	doc = []byte(strings.Replace(string(doc), "</head>", `<link rel="stylesheet" type="text/css" href="`+liveCSS+`" />`+"\n</head>", 1))
	s.serveBytes(w, r, doc, digest(doc), "application/xhtml+xml; charset=utf-8")
}

// sourceAllowed reports whether the source view may show rel: a file the
// last build read, or one in the book's folder. s.srcMu is held.
func (s *server) sourceAllowed(rel string) bool {
	if s.sources[rel] {
		return true
	}
	return s.bookRel == "." || strings.HasPrefix(rel, s.bookRel+"/")
}

// xmlText makes text fit for an XML document: invalid UTF-8 and the
// control characters XML forbids become U+FFFD.
func xmlText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, s)
}
