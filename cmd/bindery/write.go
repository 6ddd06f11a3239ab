package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

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
// some formats of a book without the others. It writes over nothing but a
// regular file that is not one of the book's sources.
func writeAll(b *book.Book, o options, r *reporter, formats, outs []string) int {
	for _, out := range outs {
		if err := checkOutput(b, out); err != nil {
			fmt.Fprintf(r.w, "bindery: %v\n", err)
			return exitBook
		}
	}
	tmps := make([]string, len(formats)) // by format
	defer func() {
		for _, t := range tmps {
			if t != "" {
				temps.remove(t) // after a successful rename this fails harmlessly
			}
		}
	}()
	o.pages = &pageShare{}
	order := renderOrder(formats)
	for k, i := range order {
		format := formats[i]
		o.release = k == len(order)-1
		tmp, err := renderTemp(b, o, r, format, outs[i])
		tmps[i] = tmp
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
		if err := temps.rename(tmp, outs[i]); err != nil {
			fmt.Fprintf(r.w, "bindery: %v\n", err)
			return exitBook
		}
		r.infof("wrote %s", outs[i])
	}
	return exitOK
}

// checkOutput refuses to write out over anything but a regular file (a
// device such as /dev/null, a pipe, a folder), or over a file the book is
// made from (a chapter, book.yaml, the cover, a picture), whatever path or
// link names it.
func checkOutput(b *book.Book, out string) error {
	fi, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if di, err := os.Stat(filepath.Dir(out)); err != nil || !di.IsDir() {
			return fmt.Errorf("%s: no such folder", filepath.Dir(out))
		}
		return nil
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: not a regular file; refused", out)
	}
	for _, src := range b.Sources() {
		if si, err := os.Stat(src); err == nil && os.SameFile(fi, si) {
			return fmt.Errorf("%s: a source of the book (%s); refused", out, src)
		}
	}
	return nil
}

// renderTemp renders one format into a new temporary file beside out and
// returns its name.
func renderTemp(b *book.Book, o options, r *reporter, format, out string) (string, error) {
	tmp, err := temps.create(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
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

// tempFiles are the temporary files of a run, removed when it ends, and
// when it is interrupted (see onSignal).
type tempFiles struct {
	mu    sync.Mutex
	names map[string]bool
}

var temps tempFiles

// create makes and records a temporary file; a signal that stops the run
// finds it recorded as soon as it exists.
func (t *tempFiles) create(dir, pattern string) (*os.File, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	if t.names == nil {
		t.names = map[string]bool{}
	}
	t.names[f.Name()] = true
	return f, nil
}

// rename moves a temporary file into place.
func (t *tempFiles) rename(tmp, out string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	delete(t.names, tmp)
	return nil
}

// remove removes a temporary file.
func (t *tempFiles) remove(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.names[name] {
		os.Remove(name)
		delete(t.names, name)
	}
}

// onSignal removes every temporary file when SIGINT or SIGTERM arrives and
// exits as a shell reports a process the signal stopped: 128 plus the
// signal's number, 130 and 143.
func onSignal() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-c
		temps.mu.Lock() // held until exit: no temporary file is made after this
		for name := range temps.names {
			os.Remove(name)
		}
		code := 130
		if sig == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
}

// renderOrder returns the order to render formats in, as indexes: the PDF
// first, so an EPUB that carries its page list takes it from the PDF
// rather than paginating the book again.
func renderOrder(formats []string) []int {
	var order []int
	for i, f := range formats {
		if f == "pdf" {
			order = append([]int{i}, order...)
		} else {
			order = append(order, i)
		}
	}
	return order
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
