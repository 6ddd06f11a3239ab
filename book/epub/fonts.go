package epub

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/assets"
	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
)

// The fonts book.yaml names (fonts: serif, sans, mono, fallback) go into
// the package as they go into the PDF: each face a font file under fonts/
// (a face of a collection as a file of its own, since CSS cannot choose a
// face of a TTC; a CJK font, tens of megabytes, cut down to the characters
// of the book), declared with @font-face and put at the head of the
// font-family lists of the stylesheet, the fallback families before the
// generic family at their tail. A fallback family goes in only when the
// book has a character it sets.

// fontRole names the DejaVu family that stands for a role in epub.css.
var fontRole = [...]string{font.Serif: "DejaVu Serif", font.Sans: "DejaVu Sans", font.Mono: "DejaVu Sans Mono"}

// embeddedFamily is a family of the book's fonts as the stylesheet names it.
type embeddedFamily struct {
	name  string // the CSS family name
	faces []embeddedFace
}

type embeddedFace struct {
	file   string // name in the package
	bold   bool
	italic bool
}

// addFonts adds the book's font files to the package and returns the CSS
// that declares and uses them, to follow the stylesheet; nothing for a
// book in the built-in DejaVu.
func (p *packager) addFonts() ([]byte, error) {
	fs := p.b.Fonts
	var css bytes.Buffer
	roles := [...]*book.FontFamily{font.Serif: fs.Serif, font.Sans: fs.Sans, font.Mono: fs.Mono}
	var role [len(roles)]*embeddedFamily
	var fallback []*embeddedFamily
	used := map[string]bool{} // package names taken
	var chars map[rune]bool
	if fs.Serif != nil || fs.Sans != nil || fs.Mono != nil || len(fs.Fallback) > 0 {
		chars = bookChars(p.b) // a book without fonts of its own need not read every character
	}
	for r, fam := range roles {
		if fam == nil {
			continue
		}
		ef, err := p.addFamily("Bindery "+strings.TrimPrefix(fontRole[r], "DejaVu "), fam, chars, used)
		if err != nil {
			return nil, err
		}
		role[r] = ef
	}
	if len(fs.Fallback) > 0 {
		body := font.Face{Family: font.Serif}
		if fs.Serif != nil {
			body.Family = fs.Serif.Family
		}
		for i, fam := range fs.Fallback {
			if !setsSome(fam, body, chars) {
				continue
			}
			ef, err := p.addFamily(fmt.Sprintf("Bindery Fallback %d", i+1), fam, chars, used)
			if err != nil {
				return nil, err
			}
			fallback = append(fallback, ef)
		}
	}
	if role == [len(roles)]*embeddedFamily{} && len(fallback) == 0 {
		return css.Bytes(), nil
	}
	css.WriteString("\n/* The book's fonts (book.yaml fonts) */\n")
	for _, ef := range append(role[:], fallback...) {
		if ef == nil {
			continue
		}
		for _, f := range ef.faces {
			weight, style := "normal", "normal"
			if f.bold {
				weight = "bold"
			}
			if f.italic {
				style = "italic"
			}
			fmt.Fprintf(&css, "@font-face { font-family: %q; src: url(%q); font-weight: %s; font-style: %s; }\n", ef.name, f.file, weight, style)
		}
	}
	css.Write(familyRules(assets.EPUBStyle, role[:], fallback))
	return css.Bytes(), nil
}

// addFamily adds the files of a family's faces to the package: a CJK
// font with the glyphs of the book's characters chars, others whole.
func (p *packager) addFamily(name string, fam *book.FontFamily, chars map[rune]bool, used map[string]bool) (*embeddedFamily, error) {
	ef := &embeddedFamily{name: name}
	var rs []rune
	for r := range chars {
		rs = append(rs, r)
	}
	for st, f := range fam.Faces {
		if f == nil {
			continue
		}
		var data []byte
		var err error
		if f.CIDKeyed() {
			data, err = f.CharSubset(rs)
		}
		if data == nil || err != nil {
			data, err = f.SFNT()
		}
		if err != nil {
			return nil, fmt.Errorf("epub: font %s: %w", fam.Files[st], err)
		}
		ext, mt := ".ttf", "font/ttf"
		if f.CFF() {
			ext, mt = ".otf", "font/otf"
		}
		base := strings.TrimSuffix(path.Base(fam.Files[st]), path.Ext(fam.Files[st]))
		if _, index := f.Data(); index > 0 {
			base += "-" + strconv.Itoa(index)
		}
		file := "fonts/" + safeName(base) + ext
		for i := 2; used[file] && !p.hasFile(file, data); i++ {
			file = "fonts/" + safeName(base) + "-" + strconv.Itoa(i) + ext
		}
		used[file] = true
		p.addFile(file, mt, data)
		ef.faces = append(ef.faces, embeddedFace{file: file, bold: st == int(font.Bold) || st == int(font.BoldItalic), italic: st == int(font.Italic) || st == int(font.BoldItalic)})
	}
	return ef, nil
}

// hasFile reports whether the package has a resource name with data.
func (p *packager) hasFile(name string, data []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.resources[name]
	return ok && bytes.Equal(f.data, data)
}

// safeName keeps the letters, digits, '-' and '_' of a file name.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
	if s == "" {
		return "font"
	}
	return s
}

// bookChars returns the characters of the book's titles and chapters.
func bookChars(b *book.Book) map[rune]bool {
	chars := map[rune]bool{}
	add := func(s string) {
		for _, r := range s {
			chars[r] = true
		}
	}
	add(b.Meta.Title)
	add(b.Meta.Subtitle)
	for _, ch := range b.Chapters {
		add(ch.Title)
		for _, r := range string(ch.Source) {
			chars[r] = true
		}
	}
	for _, pt := range b.Parts {
		add(pt.Title)
	}
	return chars
}

// setsSome reports whether a fallback family has a character of the book
// that the body face lacks.
func setsSome(fam *book.FontFamily, body font.Face, chars map[rune]bool) bool {
	f := font.Face{Family: fam.Family}
	for r := range chars {
		if r > ' ' && !body.Has(r) && f.Has(r) {
			return true
		}
	}
	return false
}

// fontFamilyDecl matches the rules of a stylesheet that set font-family.
var fontFamilyDecl = regexp.MustCompile(`(?m)^([^{}@/\n][^{}]*)\{[^{}]*?font-family:\s*([^;}]+)`)

// familyRules returns, for each rule of css that sets font-family, a rule
// for the same selectors that puts the book's family for the list's
// DejaVu family first and the fallback families before its generic
// family.
func familyRules(css []byte, role []*embeddedFamily, fallback []*embeddedFamily) []byte {
	var out bytes.Buffer
	for _, m := range fontFamilyDecl.FindAllSubmatch(css, -1) {
		sel := strings.TrimSpace(string(m[1]))
		list := splitFamilies(string(m[2]))
		var names []string
		for r := range fontRole {
			if len(list) > 0 && strings.Trim(list[0], `"' `) == fontRole[r] {
				if role[r] != nil {
					names = append(names, strconv.Quote(role[r].name))
				}
				break
			}
		}
		if len(names) == 0 && len(fallback) == 0 {
			continue
		}
		generic := ""
		if n := len(list); n > 0 && !strings.ContainsAny(list[n-1], `"'`) {
			generic, list = list[n-1], list[:n-1]
		}
		names = append(names, list...)
		for _, fb := range fallback {
			names = append(names, strconv.Quote(fb.name))
		}
		if generic != "" {
			names = append(names, generic)
		}
		fmt.Fprintf(&out, "%s { font-family: %s; }\n", sel, strings.Join(names, ", "))
	}
	return out.Bytes()
}

// splitFamilies splits a font-family list at its commas.
func splitFamilies(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
