package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
)

// formats lists what bindery build writes, in order.
var formats = []string{"epub", "pdf"}

// writeOne writes one format of the book to out.
func writeOne(b *book.Book, o options, r *reporter, format, out string) int {
	if out == "" {
		out = slug(b.Meta.Title) + "." + format
	}
	return writeAll(b, o, r, []string{format}, []string{out})
}

// writeAll renders each format into a temporary file beside its output and
// renames them all into place only when every format succeeded and the book
// has no errors, so a failed build never leaves a half-written file, nor
// some formats of a book without the others.
func writeAll(b *book.Book, o options, r *reporter, formats, outs []string) int {
	var tmps []string
	defer func() {
		for _, t := range tmps {
			os.Remove(t) // after a successful rename this fails harmlessly
		}
	}()
	for i, format := range formats {
		tmp, err := renderTemp(b, o, r, format, outs[i])
		if tmp != "" {
			tmps = append(tmps, tmp)
		}
		r.endProgress()
		r.notes(b)
		r.diagnostics(b)
		if err != nil {
			fmt.Fprintf(r.w, "bindery: %s: %v\n", format, err)
			return exitBook
		}
		if b.Diagnostics.Err() != nil {
			fmt.Fprintf(r.w, "bindery: %s not written: the book has errors\n", strings.Join(outs, ", "))
			return exitBook
		}
	}
	r.diagramSummary(b)
	for i, tmp := range tmps {
		if err := os.Rename(tmp, outs[i]); err != nil {
			fmt.Fprintf(r.w, "bindery: %v\n", err)
			return exitBook
		}
		r.infof("wrote %s", outs[i])
	}
	return exitOK
}

// renderTemp renders one format into a new temporary file beside out and
// returns its name.
func renderTemp(b *book.Book, o options, r *reporter, format, out string) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	err = render(b, o, r, format, w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	return tmp.Name(), err
}

func render(b *book.Book, o options, r *reporter, format string, w io.Writer) error {
	switch format {
	case "epub":
		cfg, err := epubConfig(b, o, r)
		if err != nil {
			return err
		}
		return epub.Write(w, b, cfg)
	}
	return renderPDF(b, o, r, w)
}
