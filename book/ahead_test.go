package book

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// troubledBook returns a book of n chapters and parts, most of them with
// a problem: front matter that is wrong or never closed, control
// characters, titles, descriptions and languages out of bounds, text that
// is not UTF-8 or holds NUL bytes, drafts, links listed twice, to missing
// pages and to folders, nested parts, chapters with chapters under them,
// sub-sections with lists of their own or without (ordered by weight),
// and a sub-section that includes the book.
func troubledBook(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	file := func(name, text string) { fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644} }
	long := strings.Repeat("t", maxTitleLen+1)
	kinds := []func(i int, name string) string{
		func(i int, name string) string { // fine, dated
			file(name+".md", fmt.Sprintf("---\ntitle: Fine %d\ndate: 2024-01-%02d\n---\n\nText.\n", i, 1+i%28))
			return fmt.Sprintf("- [Fine %d](/book/%s)\n", i, name)
		},
		func(i int, name string) string {
			file(name+".md", "---\ntitle: [unclosed\n---\n\nText.\n")
			return fmt.Sprintf("- [Bad YAML](/book/%s)\n", name)
		},
		func(i int, name string) string {
			file(name+".md", "---\ntitle: Never closed\n\nText.\n")
			return fmt.Sprintf("- [Unclosed](/book/%s)\n", name)
		},
		func(i int, name string) string {
			file(name+".md", "---\ntitle: Controls\n---\n\nA\x01bell\x02 and a \x7f.\n")
			return fmt.Sprintf("- [Controls](/book/%s)\n", name)
		},
		func(i int, name string) string {
			file(name+".md", "---\ntitle: "+long+"\n---\n\nText.\n")
			return fmt.Sprintf("- [Long](/book/%s)\n", name)
		},
		func(i int, name string) string {
			file(name+".md", "---\ntitle: Draft\ndraft: true\n---\n\nText.\n")
			return fmt.Sprintf("- [Draft](/book/%s)\n", name)
		},
		func(i int, name string) string {
			return fmt.Sprintf("- [Missing](/book/%s)\n", name)
		},
		func(i int, name string) string { // listed twice
			file(name+".md", "---\ntitle: Twice\n---\n\nText.\n")
			return fmt.Sprintf("- [Twice](/book/%s)\n- [Again](/book/%s)\n", name, name)
		},
		func(i int, name string) string {
			file(name+".md", "---\ntitle: Latin-1\n---\n\nCaf\xe9.\n")
			return fmt.Sprintf("- [Not UTF-8](/book/%s)\n", name)
		},
		func(i int, name string) string {
			file(name+".md", "---\ntitle: NUL\n---\n\nA \x00.\n")
			return fmt.Sprintf("- [NUL](/book/%s)\n", name)
		},
		func(i int, name string) string {
			file(name+".md", "---\ntitle: Description\ndescription: "+strings.Repeat("d", maxTextLen+1)+"\nlang: not a tag\n---\n\nText.\n")
			return fmt.Sprintf("- [Description](/book/%s)\n", name)
		},
		func(i int, name string) string {
			file(name+".md/inner.md", "---\ntitle: Inner\n---\n")
			return fmt.Sprintf("- [Folder](/book/%s.md)\n", name)
		},
		func(i int, name string) string { // a control character, then front matter that fails, listed twice
			file(name+".md", "---\ntitle: \"x\x01\n---\n")
			return fmt.Sprintf("- [Both](/book/%s)\n- [Both again](/book/%s)\n", name, name)
		},
		func(i int, name string) string { // a part of chapters, one a draft
			file(name+"-a.md", "---\ntitle: Part A\n---\n")
			file(name+"-b.md", "---\ntitle: Part B\ndraft: true\n---\n")
			file(name+"-c.md", "---\ntitle: Part C\ntitle: twice\n---\n")
			return fmt.Sprintf("- Part %d\n  - [A](/book/%s-a)\n  - [B](/book/%s-b)\n  - [C](/book/%s-c)\n", i, name, name, name)
		},
		func(i int, name string) string { // a chapter with chapters under it
			file(name+".md", "---\ntitle: Parent\n---\n")
			file(name+"-kid.md", "---\ntitle: Kid\x03\n---\n")
			return fmt.Sprintf("- [Parent](/book/%s)\n  - [Kid](/book/%s-kid)\n  - [Gone](/book/%s-gone)\n", name, name, name)
		},
		func(i int, name string) string { // a draft with chapters under it
			file(name+".md", "---\ntitle: Draft parent\ndraft: true\n---\n")
			file(name+"-kid.md", "---\ntitle: [\n---\n")
			return fmt.Sprintf("- [Draft parent](/book/%s)\n  - [Kid](/book/%s-kid)\n", name, name)
		},
		func(i int, name string) string { // a sub-section with a list
			file(name+"/_index.md", fmt.Sprintf("---\ntitle: Section %d\n---\n\n- [One](/book/%s/one)\n- [Two](/book/%s/two)\n- [Back](/book/)\n- [Lost](/book/%s/lost)\n", i, name, name, name))
			file(name+"/one.md", "---\ntitle: One\n---\n")
			file(name+"/two.md", "---\ntitle: Two\x04\n---\n")
			return fmt.Sprintf("- [Section](/book/%s)\n", name)
		},
		func(i int, name string) string { // a sub-section ordered by weight
			file(name+"/_index.md", "---\ntitle: By weight\n---\n\nNo list.\n")
			file(name+"/a.md", "---\ntitle: Heavy\nweight: 3\n---\n")
			file(name+"/b.md", "---\ntitle: Light\nweight: 1\ndraft: true\n---\n")
			file(name+"/c.md", "---\ntitle: [\n---\n")
			file(name+"/d.md", "---\ntitle: Unweighted\x05\n---\n")
			file(name+"/sub/_index.md", "---\ntitle: Deeper\nweight: 2\n---\n")
			file(name+"/sub/e.md", "---\ntitle: E\n---\n")
			return fmt.Sprintf("- [Weighed](/book/%s)\n", name)
		},
	}
	var index strings.Builder
	index.WriteString("---\ntitle: Troubled\n---\n\n")
	for i := range n {
		index.WriteString(kinds[i%len(kinds)](i, fmt.Sprintf("p%03d", i)))
	}
	file("book/_index.md", index.String())
	for name, f := range fsys {
		if name != "book/_index.md" {
			delete(fsys, name)
			fsys["book/"+name] = f
		}
	}
	return fsys
}

// TestReadAhead checks that reading pages ahead of the walk of the index,
// on every core, finds what reading them one after another finds, in the
// same order: the contents, the diagnostics, the sources, and what the
// loader keeps.
func TestReadAhead(t *testing.T) {
	fsys := troubledBook(300)
	type result struct {
		Contents []string
		Diags    []Diagnostic
		Sources  []string
		Pages    []string
	}
	walk := func(serial bool) result {
		ld, idx, err := start(fsys, "content", "book", Options{serial: serial})
		if err != nil {
			t.Fatal(err)
		}
		var r result
		var list func([]Node, string)
		list = func(ns []Node, ind string) {
			for _, n := range ns {
				switch n := n.(type) {
				case *Part:
					r.Contents = append(r.Contents, fmt.Sprintf("%spart %s %q", ind, n.ID, n.Title))
					list(n.Children, ind+"  ")
				case *Chapter:
					r.Contents = append(r.Contents, fmt.Sprintf("%s%q %s", ind, n.Title, n.Path))
				}
			}
		}
		list(prune(ld.contentsOf(idx, 0)), "")
		switch {
		case len(ld.ahead) > 0:
			t.Errorf("serial %v: %d pages read ahead and never used", serial, len(ld.ahead))
		case serial && ld.ahead != nil:
			t.Error("pages read ahead when told to read them one after another")
		case !serial && ld.ahead == nil:
			t.Error("no page read ahead")
		}
		r.Diags = ld.b.Diagnostics.list
		r.Sources = ld.b.Sources()
		for f := range ld.pages {
			r.Pages = append(r.Pages, f)
		}
		slices.Sort(r.Pages)
		return r
	}
	serial := walk(true)
	for _, want := range []string{
		"front matter: ", "is never closed", "control character U+0001 (and 1 more)",
		"title of 1001 characters", "description of 100001 characters", "lang \"not a tag\"",
		"invalid UTF-8", "NUL byte", "draft, left out", "no chapter at", "not a regular file",
		"is listed twice", "index includes itself",
	} {
		if !slices.ContainsFunc(serial.Diags, func(d Diagnostic) bool { return strings.Contains(d.Msg, want) }) {
			t.Errorf("no diagnostic says %q", want)
		}
	}
	for range 5 {
		got := walk(false)
		same(t, "contents", serial.Contents, got.Contents)
		same(t, "diagnostics", serial.Diags, got.Diags)
		same(t, "sources", serial.Sources, got.Sources)
		same(t, "pages kept", serial.Pages, got.Pages)
	}

	// And the whole load.
	load := func(serial bool) string {
		b, err := LoadFS(fsys, "content", "book", Options{serial: serial})
		if b != nil {
			t.Fatal("a book with errors loaded")
		}
		return err.Error()
	}
	want := load(true)
	if got := load(false); got != want {
		t.Errorf("LoadFS read ahead:\n%s\nwant, one page after another:\n%s", got, want)
	}
}

// same reports where got, read ahead, first differs from want, read one
// page after another.
func same[T comparable](t *testing.T, what string, want, got []T) {
	t.Helper()
	for i := range max(len(want), len(got)) {
		switch {
		case i >= len(got):
			t.Fatalf("%s: read ahead, %d, one page after another, %d; the first missing: %v", what, len(got), len(want), want[i])
		case i >= len(want):
			t.Fatalf("%s: read ahead, %d, one page after another, %d; the first extra: %v", what, len(got), len(want), got[i])
		case got[i] != want[i]:
			t.Fatalf("%s #%d: read ahead\n\t%v\nwant, as one page after another\n\t%v", what, i, got[i], want[i])
		}
	}
}
