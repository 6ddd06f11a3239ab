package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatcher checks that the watcher, by notifications and by polling,
// hears a file written, a file saved by renaming over it, a file in a
// folder made after it started, one in a folder removed and made again,
// and one in a folder outside the book that a build looked at.
func TestWatcher(t *testing.T) {
	for _, mode := range []string{"notify", "poll"} {
		t.Run(mode, func(t *testing.T) {
			start := func(t *testing.T) (string, *watcher) {
				dir := t.TempDir()
				write(t, dir, "a.md", "a")
				w := newWatcher(dir, mode == "poll", 20*time.Millisecond, t.Logf)
				t.Cleanup(w.close)
				if mode == "notify" && w.notify == nil {
					t.Skip("no file system notifications here")
				}
				w.set(nil)
				return dir, w
			}
			heard := func(t *testing.T, w *watcher, what string) {
				t.Helper()
				select {
				case <-w.changed:
				case <-time.After(20 * time.Second):
					t.Fatalf("%s: not heard", what)
				}
			}
			t.Run("write", func(t *testing.T) {
				dir, w := start(t)
				write(t, dir, "a.md", "b")
				heard(t, w, "a.md written")
			})
			t.Run("rename over", func(t *testing.T) {
				dir, w := start(t)
				write(t, dir, ".a.md.swp", "b")
				if err := os.Rename(filepath.Join(dir, ".a.md.swp"), filepath.Join(dir, "a.md")); err != nil {
					t.Fatal(err)
				}
				heard(t, w, "a.md saved by a rename")
			})
			t.Run("new folder", func(t *testing.T) {
				dir, w := start(t)
				write(t, dir, "sub/deeper/b.md", "b")
				heard(t, w, "a new folder")
				w.set(nil) // as after the build
				write(t, dir, "sub/deeper/b.md", "c")
				heard(t, w, "a file in the new folder")
			})
			t.Run("folder made again", func(t *testing.T) {
				dir, w := start(t)
				write(t, dir, "sub/b.md", "b")
				heard(t, w, "a new folder")
				w.set(nil)
				if err := os.RemoveAll(filepath.Join(dir, "sub")); err != nil {
					t.Fatal(err)
				}
				heard(t, w, "the folder removed")
				write(t, dir, "sub/b.md", "c")
				heard(t, w, "the folder made again")
				w.set(nil)
				write(t, dir, "sub/b.md", "d")
				heard(t, w, "a file in the folder made again")
			})
			t.Run("folder outside the book", func(t *testing.T) {
				_, w := start(t)
				other := t.TempDir()
				write(t, other, "x.md", "x")
				w.set([]string{filepath.Join(other, "x.md")})
				write(t, other, "x.md", "y")
				heard(t, w, "a file outside the book")
			})
		})
	}
}

// TestIgnored checks the names of editors' scratch files.
func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"one.md": false, "book.yaml": false, "pic.png": false, "_index.md": false,
		".one.md.swp": true, "one.md~": true, "4913": true, ".#one.md": true, "#one.md#": true,
		"one.md.swp": true, "one.md___jb_tmp___": true, ".DS_Store": true, "x.tmp": true,
	} {
		if got := ignored(filepath.Join("/book", name)); got != want {
			t.Errorf("ignored(%q) = %v, want %v", name, got, want)
		}
	}
}
