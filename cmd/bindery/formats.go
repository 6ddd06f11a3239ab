package main

import (
	"fmt"
	"io"

	"github.com/bindery-books/bindery/book"
)

// drawDiagram draws mermaid; nil until book/diagram is wired in.
var drawDiagram func(src string) ([]byte, string, int, error)

func renderMore(b *book.Book, o options, r *reporter, format string, w io.Writer) error {
	return fmt.Errorf("format %s is not available yet", format)
}
