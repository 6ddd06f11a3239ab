package pdf

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
)

// TestLabelsInBookFonts checks that what the flow draws apart from its
// typeset text, list numbers and bullets, steps, footnote numbers, the
// chapter's label, a tab's label and a code block's language, is set in
// the fonts book.yaml names, not in the built-in DejaVu.
func TestLabelsInBookFonts(t *testing.T) {
	fsys := fstest.MapFS{
		"_index.md": {Data: []byte("---\ntitle: Labels\n---\n- [One](one.md)\n")},
		"book.yaml": {Data: []byte("title: Labels\nfonts:\n  serif: fonts/NotoSerif-Regular.ttf\n  sans: fonts/NotoSans-Regular.ttf\n")},
		"one.md": {Data: []byte(`---
title: One
---

Text with a note.[^1]

1. First
2. Second

- A bullet
  - and one inside

{{< steps >}}
Do this.

Then that.
{{< /steps >}}

{{< tabs items="Mix,Rebar" >}}
{{< tab >}}
Use mix.
{{< /tab >}}
{{< tab >}}
Use rebar.
{{< /tab >}}
{{< /tabs >}}

` + "```elixir\nIO.puts(:ok)\n```" + `

[^1]: The note.
`)},
	}
	for _, name := range []string{"NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf",
		"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"} {
		path := "/usr/share/fonts/truetype/noto/" + name
		data, err := os.ReadFile(path)
		if err != nil {
			msg := "no " + path + " (apt-get install fonts-noto-core)"
			if requireTools() {
				t.Fatal(msg + ", and BINDERY_REQUIRE_TOOLS is set")
			}
			t.Skip(msg)
		}
		fsys["fonts/"+name] = &fstest.MapFile{Data: data}
	}
	b, err := book.LoadFS(fsys, "content", ".", book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// bookHas reports whether the book's serif and sans have every
	// character of s: one that lacks it is set in a fallback.
	bookHas := func(s string) bool {
		for _, r := range strings.TrimSpace(s) {
			for _, f := range []*book.FontFamily{b.Fonts.Serif, b.Fonts.Sans} {
				if !(font.Face{Family: f.Family}).Has(r) {
					return false
				}
			}
		}
		return true
	}
	seen := map[string]bool{}
	for _, it := range chapterFlow(t, b).Items {
		for _, op := range it.Ops {
			o, ok := op.(*textOp)
			if !ok {
				continue
			}
			seen[strings.TrimSpace(o.S)] = true
			if o.Face.Builtin() && o.Face.Family != font.Mono && bookHas(o.S) {
				t.Errorf("%q is set in the built-in %v, not the book's fonts", o.S, o.Face)
			}
		}
	}
	for _, label := range []string{"1.", "2.", "•", "◦", "1", "Mix", "elixir", "CHAPTER"} {
		if !seen[label] {
			t.Errorf("no %q drawn: the test no longer sees the label", label)
		}
	}
}
