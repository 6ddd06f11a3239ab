package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
	"github.com/bindery-books/bindery/book/pdf"
)

// pdfConfig is how the PDF is set: the same for the PDF and for the page
// list of the EPUB built with it.
func pdfConfig(o options) pdf.Config {
	return pdf.Config{PageSize: o.pageSize, TwoSide: o.twoSide, FontSize: o.fontSize, Version: version()}
}

// renderPDF writes the book as a print PDF.
func renderPDF(b *book.Book, o options, r *reporter, w io.Writer) error {
	cfg := pdfConfig(o)
	cfg.Progress = r.progress("pdf")
	cfg.PageList = o.pages != nil && (o.pageList || b.Meta.PageList)
	cfg.Release = o.release
	st, err := pdf.Write(w, b, cfg)
	if err == nil && cfg.PageList {
		o.pages.starts, o.pages.ok = st.PageList, true
	}
	return err
}

// epubConfig is how the EPUB is packaged. Built with the PDF (bindery
// build), or when book.yaml asks for it (page_list: true), the EPUB carries
// the PDF's page list: pdf.PageList paginates as pdf.Write does, so its
// pages are the PDF's.
func epubConfig(b *book.Book, o options, r *reporter) (epub.Config, error) {
	cfg := epub.Config{Progress: r.progress("epub"), Release: o.release}
	if !o.pageList && !b.Meta.PageList {
		return cfg, nil
	}
	pc := pdfConfig(o)
	var starts []book.PageStart
	if o.pages != nil && o.pages.ok {
		starts = o.pages.starts // the PDF of this run was written first
	} else {
		var err error
		if starts, err = pdf.PageList(b, pc); err != nil {
			return cfg, err
		}
	}
	size, twoSide, body := pdf.Settings(b, pc)
	sides := "one-sided"
	if twoSide {
		sides = "two-sided"
	}
	cfg.PageList = starts
	cfg.PageSource = fmt.Sprintf("PDF, %s, %s, %g pt", strings.ToUpper(size), sides, body)
	return cfg, nil
}
