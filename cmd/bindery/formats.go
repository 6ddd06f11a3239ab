package main

import (
	"io"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/diagram"
	"github.com/bindery-books/bindery/book/pdf"
)

// drawDiagram draws mermaid for the EPUB; nil until book/diagram is wired in.
var drawDiagram func(src string) ([]byte, string, int, error)

// renderPDF writes the book as a print PDF.
func renderPDF(b *book.Book, o options, r *reporter, w io.Writer) error {
	st, err := pdf.Write(w, b, pdf.Config{
		PageSize: o.pageSize,
		TwoSide:  o.twoSide,
		FontSize: o.fontSize,
		Progress: r.progress("pdf"),
		Diagram:  diagram.Render,
		Version:  version(),
	})
	if err == nil {
		r.countDiagrams(st.DiagramsDrawn, st.DiagramsAsCode)
	}
	return err
}
