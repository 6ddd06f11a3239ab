package epub_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"log"
	"testing/fstest"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
)

// Example shows the whole pipeline: load a book from its index, then
// package it as an EPUB.
func Example() {
	fsys := fstest.MapFS{
		"_index.md": {Data: []byte("---\ntitle: A Tiny Book\n---\n- [Hello](hello.md)\n- Part One\n  - [World](world.md)\n")},
		"hello.md":  {Data: []byte("---\ntitle: Hello\ndate: 2026-01-02\n---\nSee [the world](world.md#news).\n")},
		"world.md":  {Data: []byte("## News\n\nAll quiet.\n")},
	}
	b, err := book.LoadFS(fsys, "content", ".", book.Options{})
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := epub.Write(&buf, b, epub.Config{}); err != nil {
		log.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	for _, f := range zr.File[:2] {
		fmt.Println(f.Name)
	}
	for _, ch := range b.Chapters {
		fmt.Printf("%d. %s (%s.xhtml)\n", ch.Number, ch.Title, ch.ID)
	}
	// Output:
	// mimetype
	// META-INF/container.xml
	// 1. Hello (hello.xhtml)
	// 2. World (world.xhtml)
}
