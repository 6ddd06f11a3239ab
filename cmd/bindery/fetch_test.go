package main

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestFetchRefusesLocal: --fetch-remote never fetches from the build
// machine or its networks, even through a redirect: a page cannot put a
// cloud's metadata, or a service on localhost, into a book.
func TestFetchRefusesLocal(t *testing.T) {
	png, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==")
	fetched := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched = true
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	}))
	defer srv.Close()
	dir := writeBook(t, map[string]string{
		"content/_index.md": "- [A](a.md)\n",
		"content/a.md":      "![local](" + srv.URL + "/x.png)\n\n![metadata](http://169.254.169.254/latest/meta-data/x.png)\n",
	})
	code, _, stderr := runCLI("check", "--strict", "--fetch-remote", filepath.Join(dir, "content"))
	if code != exitBook {
		t.Errorf("exit %d, want %d", code, exitBook)
	}
	for _, want := range []string{
		`a.md:1: image "` + srv.URL + `/x.png": fetch: a local or private network address; refused; shown as a link`,
		`a.md:3: image "http://169.254.169.254/latest/meta-data/x.png": fetch: a local or private network address; refused; shown as a link`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if fetched {
		t.Error("the local server was asked")
	}
}
