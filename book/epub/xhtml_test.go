package epub

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/corpus"
)

// realBooks are the content book and the corpus sections, as found from
// this package; a missing corpus leaves the content book alone.
func realBooks(t testing.TB) []string {
	dirs := []string{filepath.Join("..", "..", "content")}
	content, ok := corpus.Content()
	if !ok {
		t.Logf("corpus not found at ../shared/corpus: the content book alone")
		return dirs
	}
	for _, s := range corpus.Sections {
		dirs = append(dirs, filepath.Join(content, filepath.FromSlash(s)))
	}
	return dirs
}

// TestOwnMarkupWellFormed is what lets a chapter without raw HTML skip
// wellFormed's parse: on every real chapter, the renderer's own markup
// comes back from the HTML5 parser and XHTML writer unchanged.
func TestOwnMarkupWellFormed(t *testing.T) {
	for _, dir := range realBooks(t) {
		b, err := book.Load(dir, book.Options{})
		if err != nil {
			t.Fatal(err)
		}
		p := &packager{b: b, resources: map[string]*file{}, math: map[string]bool{}}
		own := 0
		for _, ch := range b.Chapters {
			r := &chapterRenderer{ch: ch, pkg: p}
			body, err := r.render()
			if err != nil {
				t.Fatal(err)
			}
			if r.raw || !plainXML(body) {
				continue
			}
			own++
			clean, err := wellFormed(string(body))
			if err != nil {
				t.Fatal(err)
			}
			written, err := xmlTokens(body)
			if err != nil {
				t.Errorf("%s: the renderer's own markup is not XML: %v", ch.Path, err)
				continue
			}
			repaired, err := xmlTokens([]byte(clean))
			if err != nil {
				t.Fatal(err)
			}
			if written != repaired {
				a, b := firstDiff(written, repaired)
				t.Errorf("%s: the repair changes the renderer's own markup:\nwritten:  %q\nrepaired: %q", ch.Path, a, b)
			}
		}
		if own == 0 {
			t.Errorf("%s: no chapter without raw HTML, nothing checked", dir)
		}
		t.Logf("%s: %d of %d chapters are the renderer's own markup", filepath.Base(dir), own, len(b.Chapters))
	}
}

// xmlTokens reads a body fragment as strict XML, knowing only XML's own
// entities, and writes its elements, attributes and text back in one
// canonical form: two fragments with the same result are the same XHTML.
func xmlTokens(body []byte) (string, error) {
	doc := append(append([]byte(`<body xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">`), body...), "</body>"...)
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			fmt.Fprintf(&b, "<%s %s", tok.Name.Space, tok.Name.Local)
			for _, a := range tok.Attr {
				fmt.Fprintf(&b, " %s:%s=%q", a.Name.Space, a.Name.Local, a.Value)
			}
			b.WriteString(">")
		case xml.EndElement:
			fmt.Fprintf(&b, "</%s>", tok.Name.Local)
		case xml.CharData:
			b.WriteString(strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(string(tok)))
		}
	}
}

// firstDiff returns the two strings from a little before where they
// first differ.
func firstDiff(a, b string) (string, string) {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	return a[from:min(len(a), i+60)], b[from:min(len(b), i+60)]
}

func TestPlainXML(t *testing.T) {
	for s, want := range map[string]bool{
		"<p>Text, tabs\tand\nlines.</p>": true,
		"<p>é – ✓ 𝔸</p>":                 true,
		"a\x0cb":                         false,
		"a\x00b":                         false,
		"bad \xff byte":                  false,
		"a\uFFFEb":                       false,
		"a\uFFFFb":                       false,
		"a\uFFFDb":                       true,
	} {
		if got := plainXML([]byte(s)); got != want {
			t.Errorf("plainXML(%q) = %v, want %v", s, got, want)
		}
	}
}
