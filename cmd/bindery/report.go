package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bindery-books/bindery/book"
)

// reporter prints what a run does: progress on a terminal, notes, warnings
// and errors, and summaries.
type reporter struct {
	w              io.Writer
	quiet, verbose bool
	tty            bool

	mu         sync.Mutex
	printing   bool
	printed    map[string]bool
	summarized bool
	drawn      int
	asCode     int
	loaded     bool // the notes of loading are printed
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

// notes prints the notes not printed yet: those of loading in their order,
// then those added while rendering, sorted, since chapters render
// concurrently.
func (r *reporter) notes(b *book.Book) {
	if r.quiet {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.printed == nil {
		r.printed = map[string]bool{}
	}
	var fresh []string
	for _, n := range b.Diagnostics.Notes() {
		if !r.printed[n] {
			r.printed[n] = true
			fresh = append(fresh, n)
		}
	}
	if r.loaded {
		slices.SortFunc(fresh, byPosition)
	}
	r.loaded = true
	for _, n := range fresh {
		fmt.Fprintln(r.w, n)
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
		if r.printed[s] || d.Warning && r.quiet {
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

// countDiagrams records what a format did with the book's diagrams; both
// formats of a build draw the same ones.
func (r *reporter) countDiagrams(drawn, asCode int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drawn, r.asCode = drawn, asCode
}

// diagramSummary prints the diagram count, once per run.
func (r *reporter) diagramSummary() {
	r.mu.Lock()
	done := r.summarized
	r.summarized = true
	drawn, asCode := r.drawn, r.asCode
	r.mu.Unlock()
	if drawn+asCode > 0 && !done {
		r.infof("diagrams: %d drawn, %d shown as code", drawn, asCode)
	}
}

var notePos = regexp.MustCompile(`^(.*?):(\d+): `)

// byPosition orders messages by file, then line number, then text.
func byPosition(a, b string) int {
	ma, mb := notePos.FindStringSubmatch(a), notePos.FindStringSubmatch(b)
	if ma != nil && mb != nil {
		if c := strings.Compare(ma[1], mb[1]); c != 0 {
			return c
		}
		la, _ := strconv.Atoi(ma[2])
		lb, _ := strconv.Atoi(mb[2])
		if la != lb {
			return la - lb
		}
	}
	return strings.Compare(a, b)
}
