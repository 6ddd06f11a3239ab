package main

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// epubNames lists the entries of an EPUB.
func epubNames(t *testing.T, file string) string {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return strings.Join(names, "\n")
}

func TestFetchRemote(t *testing.T) {
	data := pngBytes(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(data)
	}))
	defer srv.Close()
	// The server is on this machine, from which bindery's own client
	// refuses to fetch (see TestFetchRefusesLocal).
	httpClient = srv.Client()
	defer func() { httpClient = nil }()
	dir := writeBook(t, map[string]string{
		"content/_index.md": "---\ntitle: Remote\n---\n- [One](one.md)\n",
		"content/one.md":    "---\ntitle: One\n---\n![remote](" + srv.URL + "/pic.png)\n",
	})
	out := filepath.Join(dir, "a.epub")
	code, _, errOut := runCLI("epub", "-o", out, filepath.Join(dir, "content"))
	if code != 0 || !strings.Contains(errOut, "is remote and not fetched (use --fetch-remote)") {
		t.Fatalf("without --fetch-remote: exit %d, want 0 and a warning:\n%s", code, errOut)
	}
	if strings.Contains(epubNames(t, out), "images/pic-") {
		t.Error("fetched without --fetch-remote")
	}
	code, _, errOut = runCLI("epub", "--fetch-remote", "-o", out, filepath.Join(dir, "content"))
	if code != 0 {
		t.Fatalf("--fetch-remote: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(epubNames(t, out), "OEBPS/images/pic-") {
		t.Errorf("remote image not packaged:\n%s", epubNames(t, out))
	}
}

func TestImagesFromStaticAndRefusedOutside(t *testing.T) {
	data := pngBytes(t)
	dir := writeBook(t, map[string]string{
		"content/book/_index.md": "---\ntitle: Static\n---\n- [One](one.md)\n",
		"content/book/one.md":    "---\ntitle: One\n---\n![logo](/img/logo.png)\n",
		"static/img/logo.png":    string(data),
		"secret.png":             string(data),
	})
	out := filepath.Join(dir, "a.epub")
	if code, _, errOut := runCLI("epub", "-o", out, filepath.Join(dir, "content", "book")); code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(epubNames(t, out), "OEBPS/images/logo-") {
		t.Errorf("image from static/ not packaged:\n%s", epubNames(t, out))
	}

	// A symlink leading out of the content root, and a ../ path, are refused.
	if err := os.Symlink(filepath.Join(dir, "secret.png"), filepath.Join(dir, "content", "book", "link.png")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	for _, ref := range []string{"link.png", "../../secret.png"} {
		os.WriteFile(filepath.Join(dir, "content", "book", "one.md"), []byte("---\ntitle: One\n---\n![x]("+ref+")\n"), 0o644)
		out2 := filepath.Join(dir, "b.epub")
		code, _, errOut := runCLI("epub", "-o", out2, filepath.Join(dir, "content", "book"))
		if code != exitBook || !strings.Contains(errOut, "one.md:4: image \""+ref+"\": the path leads outside the content root; refused") {
			t.Errorf("%s: exit %d, want 1 and a refusal:\n%s", ref, code, errOut)
		}
		if _, err := os.Stat(out2); err == nil {
			t.Errorf("%s: a book was written", ref)
		}
	}
}
