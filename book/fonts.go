package book

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/font"
	"golang.org/x/image/font/sfnt"
	"gopkg.in/yaml.v3"
)

// FontsConfig is book.yaml's fonts key: the typefaces the book is set in
// instead of the built-in DejaVu, and the fonts tried, in order, for
// characters those lack.
//
//	fonts:
//	  serif: fonts/Body-Regular.otf   # Body-Bold.otf, Body-Italic.otf… found beside it
//	  sans:
//	    regular: fonts/Sans.ttf
//	    bold: fonts/Sans-Heavy.ttf
//	  mono: fonts/Code-Regular.ttf
//	  fallback: [fonts/NotoNaskhArabic-Regular.ttf, "fonts/NotoSansCJK-Regular.ttc#sc"]
//
// Paths are relative to the book's folder and must stay inside the content
// root. A face of a collection (TTC) is chosen by its index or by a part
// of its PostScript name after '#'.
type FontsConfig struct {
	Serif, Sans, Mono FontFiles
	Fallback          []FontFiles
	// problems found while decoding, reported by readConfig.
	problems []fontProblem
}

// FontFiles names the files of one family. A style with no file of its
// own is looked for beside the regular face by name (Body-Regular.otf,
// Body-Bold.otf, Body-Italic.otf, Body-BoldItalic.otf), else set in the
// regular face.
type FontFiles struct {
	Regular, Bold, Italic, BoldItalic FontFile
}

// FontFile is a font file book.yaml names and the line it names it on.
type FontFile struct {
	Path string
	Line int
}

// fontProblem is a problem of the fonts key: an error, or a warning.
type fontProblem struct {
	line int
	err  bool
	msg  string
}

// UnmarshalYAML reads the fonts key, keeping the line of every file, and
// records what it cannot read as problems for readConfig to report.
func (c *FontsConfig) UnmarshalYAML(v *yaml.Node) error {
	*c = FontsConfig{}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		c.problem(v.Line, true, "fonts: want a mapping of serif, sans, mono and fallback")
		return nil
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		switch k.Value {
		case "serif":
			c.Serif = c.family("fonts: serif", val)
		case "sans":
			c.Sans = c.family("fonts: sans", val)
		case "mono":
			c.Mono = c.family("fonts: mono", val)
		case "fallback":
			items := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				items = val.Content
			}
			for j, it := range items {
				if f := c.family(fmt.Sprintf("fonts: fallback %d", j+1), it); f.Regular.Path != "" {
					c.Fallback = append(c.Fallback, f)
				}
			}
		default:
			c.problem(k.Line, false, fmt.Sprintf("fonts: unknown key %q (want serif, sans, mono or fallback)", k.Value))
		}
	}
	return nil
}

func (c *FontsConfig) problem(line int, err bool, msg string) {
	c.problems = append(c.problems, fontProblem{line: line, err: err, msg: msg})
}

// family reads one family: a file name, or a mapping of styles to files.
func (c *FontsConfig) family(what string, v *yaml.Node) FontFiles {
	var f FontFiles
	file := func(n *yaml.Node, style string) FontFile {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || strings.TrimSpace(n.Value) == "" {
			c.problem(n.Line, true, what+style+": want the name of a font file")
			return FontFile{}
		}
		return FontFile{Path: strings.TrimSpace(n.Value), Line: n.Line}
	}
	switch v.Kind {
	case yaml.ScalarNode:
		f.Regular = file(v, "")
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], v.Content[i+1]
			switch k.Value {
			case "regular":
				f.Regular = file(val, " regular")
			case "bold":
				f.Bold = file(val, " bold")
			case "italic":
				f.Italic = file(val, " italic")
			case "bold_italic", "bolditalic", "bold-italic":
				f.BoldItalic = file(val, " bold_italic")
			default:
				c.problem(k.Line, false, fmt.Sprintf("%s: unknown key %q (want regular, bold, italic or bold_italic)", what, k.Value))
			}
		}
		if f.Regular.Path == "" && (f.Bold.Path != "" || f.Italic.Path != "" || f.BoldItalic.Path != "") {
			c.problem(v.Line, true, what+": a family needs a regular face")
		}
	default:
		c.problem(v.Line, true, what+": want a font file or a mapping of regular, bold, italic and bold_italic")
	}
	return f
}

// Fonts are the typefaces book.yaml names, loaded and checked when the
// book is loaded. A nil family is the built-in DejaVu one; the zero Fonts
// is the built-in DejaVu throughout.
type Fonts struct {
	Serif, Sans, Mono *FontFamily
	// Fallback are tried, in order, for characters the faces above lack.
	Fallback []*FontFamily
}

// Families returns the families of the book's fonts, serif, sans, mono
// and then the fallback ones, leaving out the built-in ones.
func (fs Fonts) Families() []*FontFamily {
	var out []*FontFamily
	for _, f := range []*FontFamily{fs.Serif, fs.Sans, fs.Mono} {
		if f != nil {
			out = append(out, f)
		}
	}
	return append(out, fs.Fallback...)
}

// FontFamily is one family of the book's fonts.
type FontFamily struct {
	// Family is the family as package font knows it: registered, so
	// faces of it measure, shape and embed like the built-in ones.
	Family font.Family
	// Faces are the Regular, Bold, Italic and BoldItalic faces; a style
	// with no file of its own is nil, and set in Regular.
	Faces [4]*font.Font
	// Files are the fs paths of the faces' files within the content root.
	Files [4]string
}

// fontStyles names the styles in the order of FontFamily.Faces.
var fontStyles = [4]string{"regular", "bold", "italic", "bold_italic"}

// loadFonts reads, checks and registers the fonts book.yaml names. Every
// problem is an error at the line of book.yaml that names the file.
func (b *Book) loadFonts(c FontsConfig) Fonts {
	yamlFile := displayJoin(b.root, path.Join(b.indexDir, "book.yaml"))
	var out Fonts
	roles := []struct {
		what  string
		files FontFiles
		dst   **FontFamily
		mono  bool
	}{
		{"serif", c.Serif, &out.Serif, false},
		{"sans", c.Sans, &out.Sans, false},
		{"mono", c.Mono, &out.Mono, true},
	}
	for _, r := range roles {
		if r.files.Regular.Path != "" {
			*r.dst = b.loadFamily(yamlFile, "fonts: "+r.what, r.files, r.mono, true)
		}
	}
	for i, f := range c.Fallback {
		if fam := b.loadFamily(yamlFile, fmt.Sprintf("fonts: fallback %d", i+1), f, false, false); fam != nil {
			out.Fallback = append(out.Fallback, fam)
		}
	}
	return out
}

// loadFamily loads one family, finding the styles it does not name beside
// its regular face. It returns nil when the regular face cannot be loaded.
func (b *Book) loadFamily(yamlFile, what string, files FontFiles, mono, note bool) *FontFamily {
	fam := &FontFamily{}
	given := [4]FontFile{files.Regular, files.Bold, files.Italic, files.BoldItalic}
	regular := given[0]
	for st, ff := range given {
		at := Pos{File: yamlFile, Line: ff.Line}
		if ff.Path == "" {
			// Found beside the regular face by name, quietly.
			name, ok := b.fontSibling(regular.Path, st)
			if !ok {
				continue
			}
			ff = FontFile{Path: name, Line: regular.Line}
			at.Line = regular.Line
			f, file, err := b.readFont(ff.Path)
			if err != nil {
				b.Diagnostics.Errorf(at, "%s: %s %q: %v", what, fontStyles[st], ff.Path, err)
				continue
			}
			fam.Faces[st], fam.Files[st] = f, file
			continue
		}
		f, file, err := b.readFont(ff.Path)
		if err != nil {
			b.Diagnostics.Errorf(at, "%s: %q: %v", what, ff.Path, err)
			if st == 0 {
				return nil
			}
			continue
		}
		fam.Faces[st], fam.Files[st] = f, file
	}
	if fam.Faces[0] == nil {
		return nil
	}
	if note {
		var missing []string
		for st := 1; st < 4; st++ {
			if fam.Faces[st] == nil {
				missing = append(missing, strings.ReplaceAll(fontStyles[st], "_", " "))
			}
		}
		if len(missing) > 0 {
			b.Diagnostics.Notef(Pos{File: yamlFile, Line: regular.Line}, "%s: no %s face beside %q: set in the regular face", what, strings.Join(missing, ", "), regular.Path)
		}
	}
	register := font.RegisterFamily
	if mono {
		register = font.RegisterMono
	}
	f, err := register(fam.Faces[:]...)
	if err != nil {
		b.Diagnostics.Errorf(Pos{File: yamlFile, Line: regular.Line}, "%s: %v", what, err)
		return nil
	}
	fam.Family = f
	return fam
}

// readFont reads and checks the font a book.yaml path names, relative to
// the book's folder: a TrueType or OpenType file, or one face of a
// collection ("x.ttc#2", "x.ttc#sc"). It returns the font and its fs
// path. Nothing outside the content root is read.
func (b *Book) readFont(p string) (*font.Font, string, error) {
	name, key, _ := strings.Cut(p, "#")
	file, err := b.fontFile(name)
	if err != nil {
		return nil, "", err
	}
	data, err := readFile(b.fsys, file, maxFontSize)
	if err != nil {
		msg, _ := fileError(err)
		return nil, "", errors.New(msg)
	}
	b.sources.add("", file)
	index, err := faceIndex(data, key)
	if err != nil {
		return nil, "", err
	}
	f, err := font.LoadFont(data, index)
	if err != nil {
		return nil, "", errors.New(strings.TrimPrefix(err.Error(), "font: "))
	}
	return f, file, nil
}

// fontFile returns the fs path of a font file named relative to the
// book's folder, refusing one outside the content root the way images
// are refused.
func (b *Book) fontFile(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", errors.New("no file name")
	}
	if path.IsAbs(name) || strings.Contains(name, "\\") {
		return "", errors.New("want a path relative to the book's folder")
	}
	file := path.Join(b.indexDir, name)
	if file == ".." || strings.HasPrefix(file, "../") {
		return "", errOutside
	}
	fi, err := fs.Stat(b.fsys, file)
	if err != nil {
		if escapes(b.fsys, file, err) {
			return "", errOutside
		}
		msg, _ := fileError(err)
		return "", errors.New(msg)
	}
	if !fi.Mode().IsRegular() {
		return "", errors.New("not a file")
	}
	return file, nil
}

// faceIndex returns the index of the face of a collection that key
// names: a number, or a part of the PostScript name of exactly one face
// ("sc" for NotoSansCJKsc-Regular), or an exact PostScript name. An empty
// key is the first face.
func faceIndex(data []byte, key string) (int, error) {
	isTTC := len(data) >= 4 && string(data[:4]) == "ttcf"
	if key == "" {
		return 0, nil
	}
	if !isTTC {
		return 0, errors.New("the file is not a font collection (TTC), so it has no faces to choose from")
	}
	c, err := sfnt.ParseCollection(data)
	if err != nil {
		return 0, fmt.Errorf("not a font collection: %v", err)
	}
	n := c.NumFonts()
	if i, err := strconv.Atoi(key); err == nil {
		if i < 0 || i >= n {
			return 0, fmt.Errorf("the collection has faces 0 to %d", n-1)
		}
		return i, nil
	}
	var names []string
	var buf sfnt.Buffer
	for i := range n {
		name := ""
		if f, err := c.Font(i); err == nil {
			name, _ = f.Name(&buf, sfnt.NameIDPostScript)
		}
		names = append(names, name)
	}
	for i, name := range names {
		if strings.EqualFold(name, key) {
			return i, nil
		}
	}
	var hits []int
	for i, name := range names {
		if strings.Contains(strings.ToLower(name), strings.ToLower(key)) {
			hits = append(hits, i)
		}
	}
	if len(hits) == 1 {
		return hits[0], nil
	}
	list := make([]string, len(names))
	for i, name := range names {
		list[i] = fmt.Sprintf("%d %s", i, name)
	}
	if len(hits) == 0 {
		return 0, fmt.Errorf("no face of the collection is named so (faces: %s)", strings.Join(list, ", "))
	}
	return 0, fmt.Errorf("%d faces of the collection match; name one (faces: %s)", len(hits), strings.Join(list, ", "))
}

// styleNames are the words a file name gives a style by, in the order they
// are tried; the regular face's own word is one of regularNames.
var (
	styleNames = [4][]string{
		nil,
		{"Bold"},
		{"Italic", "Oblique", "It"},
		{"BoldItalic", "BoldOblique", "BoldIt", "Bold-Italic", "Bold_Italic", "Bold Italic"},
	}
	regularNames = []string{"Regular", "Roman", "Book", "Normal"}
)

// fontSibling finds the file of style st beside the regular face named
// regular (a book.yaml path, perhaps with a "#face"): Body-Regular.otf
// gives Body-Bold.otf, Body-Italic.otf and Body-BoldItalic.otf; Body.ttf
// gives Body-Bold.ttf and so on. Names are compared without regard to
// case. It returns the book.yaml path of the sibling.
func (b *Book) fontSibling(regular string, st int) (string, bool) {
	name, key, hasKey := strings.Cut(regular, "#")
	dir, base := path.Split(name)
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	// The family's part of the name, and the separator before the style.
	prefix, seps := stem, []string{"-", "_", " ", ""}
	for _, r := range regularNames {
		if len(stem) > len(r) && strings.EqualFold(stem[len(stem)-len(r):], r) {
			rest := stem[:len(stem)-len(r)]
			sep := ""
			if n := len(rest); n > 0 && strings.ContainsRune("-_ ", rune(rest[n-1])) {
				sep = rest[n-1:]
				rest = rest[:n-1]
			}
			prefix, seps = rest, []string{sep}
			break
		}
	}
	if prefix == "" {
		return "", false
	}
	entries, err := fs.ReadDir(b.fsys, path.Join(b.indexDir, dir))
	if err != nil {
		return "", false
	}
	files := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() {
			files[strings.ToLower(e.Name())] = e.Name()
		}
	}
	for _, style := range styleNames[st] {
		for _, sep := range seps {
			if real, ok := files[strings.ToLower(prefix+sep+style+ext)]; ok && real != base {
				p := dir + real
				if hasKey {
					p += "#" + key
				}
				return p, true
			}
		}
	}
	return "", false
}

// report reports what decoding the fonts key found.
func (c *FontsConfig) report(file string, ds *Diagnostics) {
	for _, p := range c.problems {
		if p.err {
			ds.Errorf(Pos{file, p.line}, "%s", p.msg)
		} else {
			ds.Warnf(Pos{file, p.line}, "%s", p.msg)
		}
	}
}
