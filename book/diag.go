package book

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Pos is a place in a source file.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line <= 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Diagnostic is a problem found in the sources.
type Diagnostic struct {
	Pos     Pos
	Msg     string
	Warning bool
}

func (d Diagnostic) Error() string {
	s := d.Msg
	if d.Warning {
		s = "warning: " + s
	}
	if p := d.Pos.String(); p != "" {
		return p + ": " + s
	}
	return s
}

// Diagnostics collects the warnings and errors of loading and rendering a book.
// It is safe for concurrent use; Sorted gives a stable order whatever order
// concurrent renderers reported in.
type Diagnostics struct {
	mu    sync.Mutex
	list  []Diagnostic
	seen  map[Diagnostic]bool
	notes []string
	// Strict turns warnings into errors.
	Strict bool
}

// Warnf records a warning at pos.
func (ds *Diagnostics) Warnf(pos Pos, format string, args ...any) {
	ds.add(Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...), Warning: !ds.Strict})
}

// Errorf records an error at pos.
func (ds *Diagnostics) Errorf(pos Pos, format string, args ...any) {
	ds.add(Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Notef records a note, such as a draft left out; notes are not problems.
func (ds *Diagnostics) Notef(format string, args ...any) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	ds.notes = append(ds.notes, fmt.Sprintf(format, args...))
}

func (ds *Diagnostics) add(d Diagnostic) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if ds.seen == nil {
		ds.seen = map[Diagnostic]bool{}
	}
	if ds.seen[d] {
		return
	}
	ds.seen[d] = true
	ds.list = append(ds.list, d)
}

// Notes returns the notes in the order they were made.
func (ds *Diagnostics) Notes() []string {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	return slices.Clone(ds.notes)
}

// Sorted returns every diagnostic ordered by file, line and message.
func (ds *Diagnostics) Sorted() []Diagnostic {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	l := slices.Clone(ds.list)
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Msg, b.Msg))
	})
	return l
}

// Err joins the errors (not the warnings) into one error, or returns nil.
func (ds *Diagnostics) Err() error {
	var errs []error
	for _, d := range ds.Sorted() {
		if !d.Warning {
			errs = append(errs, d)
		}
	}
	return errors.Join(errs...)
}
