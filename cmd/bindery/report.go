package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/bindery-books/bindery/book"
)

// reporter prints what a run does: progress on a terminal, notes, warnings
// and errors, and summaries.
type reporter struct {
	w              io.Writer
	quiet, verbose bool
	tty            bool

	mu       sync.Mutex
	printing bool
	printed  map[string]bool
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progress returns a progress callback that redraws one line on a terminal.
func (r *reporter) progress(what string) func(done, total int) {
	if !r.tty || r.quiet {
		return nil
	}
	return func(done, total int) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.printing = true
		fmt.Fprintf(r.w, "\r%s: %d/%d chapters", what, done, total)
	}
}

func (r *reporter) endProgress() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.printing {
		fmt.Fprint(r.w, "\r\033[K")
		r.printing = false
	}
}

// notes prints the book's notes not printed yet, in the order they were
// made: reading order.
func (r *reporter) notes(b *book.Book) {
	if r.quiet {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.printed == nil {
		r.printed = map[string]bool{}
	}
	for _, n := range b.Diagnostics.Notes() {
		if s := n.Error(); !r.printed[s] {
			r.printed[s] = true
			fmt.Fprintln(r.w, s)
		}
	}
}

// diagnostics prints the book's warnings and errors once each.
func (r *reporter) diagnostics(b *book.Book) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.printed == nil {
		r.printed = map[string]bool{}
	}
	for _, d := range b.Diagnostics.Sorted() {
		s := d.Error()
		if r.printed[s] || d.Level == book.LevelWarning && r.quiet {
			continue
		}
		r.printed[s] = true
		fmt.Fprintln(r.w, s)
	}
}

func (r *reporter) infof(format string, args ...any) {
	if !r.quiet {
		fmt.Fprintf(r.w, format+"\n", args...)
	}
}

func (r *reporter) verbosef(format string, args ...any) {
	if r.verbose {
		fmt.Fprintf(r.w, format+"\n", args...)
	}
}

// diagramSummary prints what became of the book's diagrams.
func (r *reporter) diagramSummary(b *book.Book) {
	if drawn, asCode := b.Diagrams(); drawn+asCode > 0 {
		r.infof("diagrams: %d drawn, %d shown as code", drawn, asCode)
	}
}
