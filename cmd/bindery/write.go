package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
)

// formats lists what bindery build writes, in order.
var formats = []string{"epub"}

// writeOne renders one format into a temporary file beside out and renames
// it into place only when the book has no errors, so a failed build never
// leaves a half-written file.
func writeOne(b *book.Book, o options, r *reporter, format, out string) int {
	if out == "" {
		out = slug(b.Meta.Title) + "." + format
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		fmt.Fprintf(r.w, "bindery: %v\n", err)
		return exitBook
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	w := bufio.NewWriterSize(tmp, 1<<20)
	err = render(b, o, r, format, w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	r.endProgress()
	r.diagnostics(b)
	if err != nil {
		fmt.Fprintf(r.w, "bindery: %s: %v\n", format, err)
		return exitBook
	}
	if err := b.Diagnostics.Err(); err != nil {
		fmt.Fprintf(r.w, "bindery: %s not written: the book has errors\n", out)
		return exitBook
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		fmt.Fprintf(r.w, "bindery: %v\n", err)
		return exitBook
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		fmt.Fprintf(r.w, "bindery: %v\n", err)
		return exitBook
	}
	r.infof("wrote %s", out)
	return exitOK
}

func render(b *book.Book, o options, r *reporter, format string, w io.Writer) error {
	switch format {
	case "epub":
		st, err := epub.Write(w, b, epub.Config{Progress: r.progress("epub"), Diagram: drawDiagram})
		if err == nil {
			r.diagramSummary(st.DiagramsDrawn, st.DiagramsAsCode)
		}
		return err
	}
	return renderMore(b, o, r, format, w)
}
