package verify

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// minimal is the smallest package EPUB accepts, as files by name; the
// chapter's body is a placeholder the cases replace.
func minimal(body string) [][2]string {
	return [][2]string{
		{"mimetype", "application/epub+zip"},
		{"META-INF/container.xml", `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`},
		{"OEBPS/content.opf", `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier><dc:title>T</dc:title><dc:language>en</dc:language></metadata>` +
			`<manifest><item id="c" href="c.xhtml" media-type="application/xhtml+xml"/><item id="i" href="i.svg" media-type="image/svg+xml"/></manifest><spine><itemref idref="c"/></spine></package>`},
		{"OEBPS/c.xhtml", `<?xml version="1.0" encoding="UTF-8"?>` + "\n<!DOCTYPE html>\n" + `<html xmlns="http://www.w3.org/1999/xhtml"><head><title>c</title></head><body>` + body + `</body></html>`},
		{"OEBPS/i.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>`},
	}
}

func pack(t *testing.T, files [][2]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, f := range files {
		h := &zip.FileHeader{Name: f[0], Method: zip.Deflate}
		if i == 0 {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestEPUB: a valid package passes; each fault is found.
func TestEPUB(t *testing.T) {
	ok := `<h1 id="a">A</h1><p><a href="#a">up</a> <a href="c.xhtml#a">again</a> <a href="https://example.com/">out</a> <img src="i.svg" alt=""/></p>`
	if err := EPUB(pack(t, minimal(ok))); err != nil {
		t.Fatalf("a valid package: %v", err)
	}
	cases := map[string]string{
		"script":            `<script>alert(1)</script>`,
		"event handler":     `<p onclick="x()">a</p>`,
		"javascript link":   `<a href="javascript:alert(1)">a</a>`,
		"data image":        `<img src="data:image/png;base64,AAAA" alt=""/>`,
		"remote image":      `<img src="https://example.com/x.png" alt=""/>`,
		"missing fragment":  `<a href="#nowhere">a</a>`,
		"missing file":      `<a href="gone.xhtml">a</a>`,
		"out of package":    `<a href="../../etc/passwd">a</a>`,
		"repeated id":       `<p id="x">a</p><p id="x">b</p>`,
		"repeated attr":     `<p class="a" class="b">a</p>`,
		"bad character":     "<p>\x01</p>",
		"undeclared entity": `<p>&nbsp;</p>`,
		"not well-formed":   `<p><b>a</p></b>`,
		"style url":         `<p style="background: url(https://evil.example/x.png)">a</p>`,
	}
	for name, body := range cases {
		if err := EPUB(pack(t, minimal(body))); err == nil {
			t.Errorf("%s: no problem found", name)
		}
	}
	// Faults of the package itself.
	files := minimal(ok)
	files[4][1] = `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>`
	if err := EPUB(pack(t, files)); err == nil || !strings.Contains(err.Error(), "i.svg") {
		t.Errorf("SVG with an entity: %v", err)
	}
	files = minimal(ok)
	files = append(files, [2]string{"OEBPS/stray.png", "x"})
	if err := EPUB(pack(t, files)); err == nil || !strings.Contains(err.Error(), "not in the manifest") {
		t.Errorf("stray file: %v", err)
	}
	files = minimal(ok)
	files[0], files[1] = files[1], files[0]
	if err := EPUB(pack(t, files)); err == nil || !strings.Contains(err.Error(), "mimetype") {
		t.Errorf("mimetype second: %v", err)
	}
}
