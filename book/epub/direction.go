package epub

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/bidi"
)

// Right-to-left text: a reading system orders the words of a block and
// aligns its lines by the block's direction, which is the page's unless
// the block has a dir of its own. A paragraph, heading, list item, table
// cell or figure whose first strong character (UAX #9's rule P2, as the
// PDF finds a paragraph's direction) is Arabic or Hebrew in a left-to-right
// book gets dir="rtl", and a left-to-right one inside it dir="ltr", so that
// "مرحبا، كيف حالك؟" ends at its question mark on the left, aligned right.
// Code is always left to right.
// The direction is written rather than left to dir="auto", which older
// reading systems ignore. A book in a right-to-left language has
// dir="rtl" on each page and its pages progress from right to left.

// rtlLanguages are the primary language subtags written right to left.
var rtlLanguages = map[string]bool{
	"ar": true, "arc": true, "ckb": true, "dv": true, "fa": true, "he": true, "iw": true, "ks": true,
	"ps": true, "sd": true, "syr": true, "ug": true, "ur": true, "yi": true,
}

// rtlScripts are the script subtags written right to left.
var rtlScripts = map[string]bool{"arab": true, "hebr": true, "syrc": true, "thaa": true, "nkoo": true, "adlm": true, "rohg": true}

// rtlLanguage reports whether a language tag names a language written
// right to left: "ar", "he-IL", "az-Arab", but not "ks-Deva". A script
// subtag decides, else the language.
func rtlLanguage(tag string) bool {
	parts := strings.Split(strings.ToLower(tag), "-")
	for _, p := range parts[1:] {
		if len(p) == 4 && p[0] >= 'a' && p[0] <= 'z' {
			return rtlScripts[p]
		}
	}
	return rtlLanguages[parts[0]]
}

// bookDir returns the direction of the book's pages: "rtl" or "ltr".
func (p *packager) bookDir() string {
	if rtlLanguage(p.b.Meta.Language) {
		return "rtl"
	}
	return "ltr"
}

// firstStrong returns the direction of the first strongly directional
// character of s, "rtl" or "ltr", or "" when s has none.
func firstStrong(s string) string {
	for _, r := range s {
		if r < 0x80 {
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				return "ltr"
			}
			continue
		}
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return "ltr"
		case bidi.R, bidi.AL:
			return "rtl"
		}
	}
	return ""
}

// hasRTL reports whether src holds a right-to-left character.
func hasRTL(src []byte) bool {
	return bytes.ContainsFunc(src, func(r rune) bool { return r >= 0x590 && firstStrong(string(r)) == "rtl" })
}

// directed reports whether a node is a block that takes a direction.
func directed(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindParagraph, ast.KindHeading, ast.KindListItem, extast.KindTableCell, book.KindFigure, book.KindCodeBlock:
		return true
	}
	return false
}

// dir returns the direction a block is set in: its own, else the one it
// inherits.
func (r *chapterRenderer) dir(n ast.Node) string {
	if d, ok := r.dirs[n]; ok {
		return d
	}
	d := "ltr" // code, whatever its strings and comments hold
	if n.Kind() != book.KindCodeBlock {
		d = firstStrong(book.PlainText(n, r.ch.Source))
	}
	if d == "" {
		d = r.inherited(n)
	}
	if r.dirs == nil {
		r.dirs = map[ast.Node]string{}
	}
	r.dirs[n] = d
	return d
}

// inherited returns the direction of the nearest block around n that
// takes one, else the page's.
func (r *chapterRenderer) inherited(n ast.Node) string {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if directed(p) {
			return r.dir(p)
		}
	}
	return r.pageDir()
}

// pageDir returns the direction of the chapter's page: its language's.
func (r *chapterRenderer) pageDir() string {
	if rtlLanguage(r.ch.Lang(r.pkg.b)) {
		return "rtl"
	}
	return "ltr"
}

// ownDir returns the dir attribute a block needs, or "" when it reads in
// the direction around it. A chapter without right-to-left text in a
// left-to-right book needs none.
func (r *chapterRenderer) ownDir(n ast.Node) string {
	if !directed(n) {
		return ""
	}
	if r.rtl == 0 {
		r.rtl = -1
		if r.pageDir() == "rtl" || hasRTL(r.ch.Source) {
			r.rtl = 1
		}
	}
	if r.rtl < 0 {
		return ""
	}
	if d := r.dir(n); d != r.inherited(n) {
		return d
	}
	return ""
}

// withDir runs a renderer's function on entering a block and gives the
// first element it writes the attribute dir="d".
func withDir(w util.BufWriter, f func(util.BufWriter) (ast.WalkStatus, error), d string) (ast.WalkStatus, error) {
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	st, err := f(bw)
	_ = bw.Flush()
	out := buf.Bytes()
	if i := bytes.IndexByte(out, '<'); i >= 0 && i+1 < len(out) && isLetter(out[i+1]) {
		j := i + 1
		for j < len(out) && (isLetter(out[j]) || '0' <= out[j] && out[j] <= '9') {
			j++
		}
		w.Write(out[:j])
		w.WriteString(` dir="` + d + `"`)
		out = out[j:]
	}
	w.Write(out)
	return st, err
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// titleDir returns the dir attribute, with its leading space, of a
// chapter's or part's title, or "" when it reads in the book's direction.
func (p *packager) titleDir(title string) string {
	return dirAttr(title, p.bookDir())
}

// dirAttr returns the dir attribute, with its leading space, of a text
// in a page of direction page, or "" when it reads in that direction.
func dirAttr(text, page string) string {
	if d := firstStrong(text); d != "" && d != page {
		return ` dir="` + d + `"`
	}
	return ""
}
