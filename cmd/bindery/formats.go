package main

import (
	"io"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/pdf"
)

// renderPDF writes the book as a print PDF.
func renderPDF(b *book.Book, o options, r *reporter, w io.Writer) error {
	_, err := pdf.Write(w, b, pdf.Config{
		PageSize: o.pageSize,
		TwoSide:  o.twoSide,
		FontSize: o.fontSize,
		Progress: r.progress("pdf"),
		Version:  version(),
	})
	return err
}
