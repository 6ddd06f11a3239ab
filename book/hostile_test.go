package book

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// loadFiles loads a book from files in memory.
func loadFiles(t *testing.T, fsys fs.FS) (*Book, error) {
	t.Helper()
	done := make(chan struct{})
	var b *Book
	var err error
	go func() {
		defer close(done)
		b, err = LoadFS(fsys, "content", ".", Options{})
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("load hangs")
	}
	return b, err
}

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

// unreadableFS fails to read one file, as a file without read permission does.
type unreadableFS struct {
	fstest.MapFS
	name string
}

func (u unreadableFS) Open(name string) (fs.File, error) {
	if name == u.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.Open(name)
}

func (u unreadableFS) ReadFile(name string) ([]byte, error) {
	if name == u.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.ReadFile(name)
}

func TestHostileInput(t *testing.T) {
	index := "---\ntitle: Hostile\n---\n- [Bad](bad.md)\n"
	cases := []struct {
		name    string
		fsys    fs.FS
		wantErr string // substring of the error, or "" for success
	}{
		{"invalid UTF-8", mapFS(map[string]string{"_index.md": index, "bad.md": "---\ntitle: x\n---\nok\nbad \xff\xfe here\n"}), "content/bad.md:5: invalid UTF-8 (byte 0xff)"},
		{"NUL byte", mapFS(map[string]string{"_index.md": index, "bad.md": "line\n\x00\n"}), "content/bad.md:2: NUL byte: not a text file"},
		{"NUL in index", mapFS(map[string]string{"_index.md": "- [a](a.md)\x00\n"}), "content/_index.md:1: NUL byte"},
		{"bad YAML", mapFS(map[string]string{"_index.md": index, "bad.md": "---\ntitle: [x\n---\n"}), "content/bad.md:2: front matter:"},
		{"unterminated front matter", mapFS(map[string]string{"_index.md": index, "bad.md": "---\ntitle: x\n"}), "content/bad.md:1: front matter opened with --- on line 1 is never closed"},
		{"index includes itself", mapFS(map[string]string{"_index.md": "- [Me](./)\n- [Me too](_index.md)\n"}), "content/_index.md:1: index includes itself: content/_index.md → content/_index.md"},
		{"same chapter twice", mapFS(map[string]string{"_index.md": "- [A](a.md)\n- [A](a)\n", "a.md": "a"}), "content/_index.md:2: content/a.md is listed twice (first at content/_index.md:1)"},
		{"empty chapter", mapFS(map[string]string{"_index.md": "- [Empty](e.md)\n", "e.md": ""}), ""},
		{"empty index", mapFS(map[string]string{"_index.md": ""}), "content/_index.md: the book has no chapters"},
		{"no _index.md", mapFS(map[string]string{"a.md": "a"}), "content: no _index.md"},
		{"unreadable chapter", unreadableFS{mapFS(map[string]string{"_index.md": index, "bad.md": "x"}), "bad.md"}, "content/bad.md: cannot read: permission denied"},
		{"10 MB line", mapFS(map[string]string{"_index.md": index, "bad.md": "# Long\n\n" + strings.Repeat("word ", 2<<20) + "\n"}), ""},
		{"10,000 nested lists", mapFS(map[string]string{"_index.md": index, "bad.md": nested("- ", 10000)}), ""},
		{"10,000 nested quotes", mapFS(map[string]string{"_index.md": index, "bad.md": nested("> ", 10000)}), ""},
		{"deep brackets", mapFS(map[string]string{"_index.md": index, "bad.md": strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + strings.Repeat("*", 100000)}), ""},
		{"shortcode soup", mapFS(map[string]string{"_index.md": index, "bad.md": strings.Repeat("{{< tabs >}}\n{{< tab >}}\n", 2000) + "{{< /tab >}}\n{{% x"}), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := loadFiles(t, c.fsys)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if len(b.Chapters) != 1 {
					t.Fatalf("%d chapters, want 1", len(b.Chapters))
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", c.wantErr)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error:\n%v\nwant it to contain %q", err, c.wantErr)
			}
			var d Diagnostic
			if !errors.As(err, &d) && !strings.Contains(err.Error(), ":") {
				t.Errorf("error %q names no file", err)
			}
		})
	}
}

// nested returns a document whose first line nests prefix depth times
// ("- - - x" is a list in a list in a list), followed by lines that every
// open block must look at.
func nested(prefix string, depth int) string {
	return strings.Repeat(prefix, depth) + "x\n" + strings.Repeat(prefix, depth/2) + "y\n\nafter\n"
}
