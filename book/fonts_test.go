package book_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
)

// collection packs fonts into a TrueType collection.
func collection(fonts ...[]byte) []byte {
	out := make([]byte, 12+4*len(fonts))
	copy(out, "ttcf")
	binary.BigEndian.PutUint32(out[4:], 0x00010000)
	binary.BigEndian.PutUint32(out[8:], uint32(len(fonts)))
	for i, f := range fonts {
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		base := len(out)
		binary.BigEndian.PutUint32(out[12+4*i:], uint32(base))
		f = append([]byte(nil), f...)
		for t := range int(binary.BigEndian.Uint16(f[4:])) {
			at := 12 + 16*t + 8
			binary.BigEndian.PutUint32(f[at:], binary.BigEndian.Uint32(f[at:])+uint32(base))
		}
		out = append(out, f...)
	}
	return out
}

var (
	serifTTF  = font.Face{Family: font.Serif}.TTF()
	boldTTF   = font.Face{Family: font.Serif, Style: font.Bold}.TTF()
	italicTTF = font.Face{Family: font.Serif, Style: font.Italic}.TTF()
	sansTTF   = font.Face{Family: font.Sans}.TTF()
	monoTTF   = font.Face{Family: font.Mono}.TTF()
)

// fontBook loads a book in the folder "book" of a content root holding
// files, with book.yaml as given.
func fontBook(t *testing.T, yaml string, files map[string][]byte) (*book.Book, error) {
	t.Helper()
	fsys := fstest.MapFS{
		"book/_index.md": {Data: []byte("---\ntitle: Fonts\n---\n- [One](one.md)\n")},
		"book/one.md":    {Data: []byte("---\ntitle: One\n---\nText.\n")},
		"book/book.yaml": {Data: []byte(yaml)},
	}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return book.LoadFS(fsys, "content", "book", book.Options{})
}

func TestFontsFromBookYAML(t *testing.T) {
	cff, err := os.ReadFile("font/testdata/CFFTest.otf")
	if err != nil {
		t.Fatal(err)
	}
	b, err := fontBook(t, `title: Fonts
fonts:
  serif: fonts/Body-Regular.ttf
  sans:
    regular: ../shared/Sans.ttf
  mono: fonts/code.otf
  fallback:
    - "fonts/Pair.ttc#1"
    - fonts/Pair.ttc#DejaVuSerif
`, map[string][]byte{
		"book/fonts/Body-Regular.ttf": serifTTF,
		"book/fonts/body-bold.TTF":    boldTTF,
		"book/fonts/Body-Italic.ttf":  italicTTF,
		"shared/Sans.ttf":             sansTTF,
		"book/fonts/code.otf":         cff,
		"book/fonts/Pair.ttc":         collection(serifTTF, monoTTF),
	})
	if err != nil {
		t.Fatal(err)
	}
	fs := b.Fonts
	if fs.Serif == nil || fs.Sans == nil || fs.Mono == nil || len(fs.Fallback) != 2 {
		t.Fatalf("fonts: %+v", fs)
	}
	// The bold and italic faces are found beside the regular one, whatever
	// the case of their names; there is no bold italic.
	wantFiles := [4]string{"book/fonts/Body-Regular.ttf", "book/fonts/body-bold.TTF", "book/fonts/Body-Italic.ttf", ""}
	if fs.Serif.Files != wantFiles {
		t.Errorf("serif files %q, want %q", fs.Serif.Files, wantFiles)
	}
	for st, want := range []string{"DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif"} {
		if got := (font.Face{Family: fs.Serif.Family, Style: font.Style(st)}).Name(); got != want {
			t.Errorf("serif style %d: %s, want %s", st, got, want)
		}
	}
	if got := fs.Sans.Faces[0].Name(); got != "DejaVuSans" || fs.Sans.Files[0] != "shared/Sans.ttf" {
		t.Errorf("sans: %s from %s", got, fs.Sans.Files[0])
	}
	if !fs.Mono.Faces[0].CFF() {
		t.Error("mono: the OpenType (CFF) font is not CFF")
	}
	// Code is set without ligatures in the user's mono family too.
	if feat := font.FeaturesOf(font.Face{Family: fs.Mono.Family}); feat&font.Liga != 0 {
		t.Errorf("mono family features %b", feat)
	}
	// Faces of a collection by index and by name.
	if a, c := fs.Fallback[0].Faces[0].Name(), fs.Fallback[1].Faces[0].Name(); a != "DejaVuSansMono" || c != "DejaVuSerif" {
		t.Errorf("collection faces %s and %s", a, c)
	}
	// A bold text without a bold face is a note, not a problem.
	if w := b.Diagnostics.Sorted(); len(w) != 0 {
		t.Errorf("problems: %v", w)
	}
	notes := ""
	for _, n := range b.Diagnostics.Notes() {
		notes += n.Error() + "\n"
	}
	if !strings.Contains(notes, `book/book.yaml:3: fonts: serif: no bold italic face beside "fonts/Body-Regular.ttf"`) {
		t.Errorf("notes:\n%s", notes)
	}
}

func TestFontsRefused(t *testing.T) {
	files := map[string][]byte{
		"book/fonts/Good.ttf":   sansTTF,
		"book/fonts/bad.ttf":    []byte("this is not a font at all, not even close"),
		"book/fonts/cut.ttf":    serifTTF[:2000],
		"book/fonts/Pair.ttc":   collection(serifTTF, monoTTF),
		"book/fonts/folder/x":   []byte("x"),
		"book/fonts/Broken.ttf": sansTTF,
	}
	for _, c := range []struct {
		yaml, want string
	}{
		{"fonts:\n  serif: fonts/Missing.ttf\n", `content/book/book.yaml:2: fonts: serif: "fonts/Missing.ttf": no such file`},
		{"fonts:\n  serif: ../../outside.ttf\n", `content/book/book.yaml:2: fonts: serif: "../../outside.ttf": the path leads outside the content root; refused`},
		{"fonts:\n  serif: /etc/fonts/x.ttf\n", `content/book/book.yaml:2: fonts: serif: "/etc/fonts/x.ttf": want a path relative to the book's folder`},
		{"fonts:\n  sans: fonts/bad.ttf\n", `content/book/book.yaml:2: fonts: sans: "fonts/bad.ttf": not a TrueType or OpenType font`},
		{"fonts:\n  sans: fonts/cut.ttf\n", `content/book/book.yaml:2: fonts: sans: "fonts/cut.ttf": `},
		{"fonts:\n  mono: fonts/folder\n", `content/book/book.yaml:2: fonts: mono: "fonts/folder": not a file`},
		{"fonts:\n  fallback:\n    - fonts/Good.ttf\n    - fonts/Pair.ttc#7\n", `content/book/book.yaml:4: fonts: fallback 2: "fonts/Pair.ttc#7": the collection has faces 0 to 1`},
		{"fonts:\n  fallback: [fonts/Pair.ttc#Dejavu]\n", `"fonts/Pair.ttc#Dejavu": 2 faces of the collection match; name one (faces: 0 DejaVuSerif, 1 DejaVuSansMono)`},
		{"fonts:\n  fallback: [fonts/Pair.ttc#Times]\n", `"fonts/Pair.ttc#Times": no face of the collection is named so`},
		{"fonts:\n  serif: fonts/Good.ttf#1\n", `"fonts/Good.ttf#1": the file is not a font collection (TTC)`},
		{"fonts:\n  serif:\n    regular: fonts/Good.ttf\n    bold: fonts/Missing-Bold.ttf\n", `content/book/book.yaml:4: fonts: serif: "fonts/Missing-Bold.ttf": no such file`},
		{"fonts:\n  serif:\n    bold: fonts/Good.ttf\n", `content/book/book.yaml:3: fonts: serif: a family needs a regular face`},
		{"fonts:\n  serif: [a, b]\n", `content/book/book.yaml:2: fonts: serif: want a font file or a mapping`},
		{"fonts: fonts/Good.ttf\n", `content/book/book.yaml:1: fonts: want a mapping of serif, sans, mono and fallback`},
	} {
		b, err := fontBook(t, c.yaml, files)
		if testing.Verbose() {
			t.Log(err)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v\nwant %s", c.yaml, err, c.want)
			continue
		}
		if b != nil && (b.Fonts.Serif != nil || b.Fonts.Sans != nil || b.Fonts.Mono != nil) && !strings.Contains(c.yaml, "bold") {
			t.Errorf("%s: a refused font was kept: %+v", c.yaml, b.Fonts)
		}
	}
	// An unknown key is a warning at its line.
	b, err := fontBook(t, "fonts:\n  body: fonts/Good.ttf\n", files)
	if err != nil {
		t.Fatal(err)
	}
	if w := b.Diagnostics.Sorted(); len(w) != 1 || !strings.Contains(w[0].Error(), `book.yaml:2: warning: fonts: unknown key "body"`) {
		t.Errorf("warnings %v", w)
	}
}

// TestFontOutsideRootByLink checks that a font reached through a symbolic
// link that leads out of the content root is refused like an image.
func TestFontOutsideRootByLink(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.MkdirAll(filepath.Join(content, "fonts"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "Secret.ttf"), serifTTF)
	write(filepath.Join(content, "_index.md"), []byte("---\ntitle: T\n---\n- [One](one.md)\n"))
	write(filepath.Join(content, "one.md"), []byte("---\ntitle: One\n---\nText.\n"))
	write(filepath.Join(content, "book.yaml"), []byte("fonts:\n  serif: fonts/Secret.ttf\n"))
	if err := os.Symlink(filepath.Join(dir, "Secret.ttf"), filepath.Join(content, "fonts", "Secret.ttf")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, err := book.Load(content, book.Options{})
	if err == nil || !strings.Contains(err.Error(), `book.yaml:2: fonts: serif: "fonts/Secret.ttf": the path leads outside the content root; refused`) {
		t.Errorf("err = %v", err)
	}
}
