package book

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
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

// Level says how much a diagnostic matters.
type Level int

const (
	// LevelError is a problem that stops the book from being written. It
	// is the zero Level: a Diagnostic returned as an error is one.
	LevelError Level = iota
	// LevelWarning is a problem the book is written with anyway.
	LevelWarning
	// LevelNote is information, such as a draft left out: not a problem.
	LevelNote
)

// Diagnostic is a problem found in the sources, or a note about them.
type Diagnostic struct {
	Pos   Pos
	Msg   string
	Level Level
}

func (d Diagnostic) Error() string {
	s := d.Msg
	if d.Level == LevelWarning {
		s = "warning: " + s
	}
	if p := d.Pos.String(); p != "" {
		s = p + ": " + s
	}
	return printable(s)
}

// printable escapes what a message must not print as it is: line breaks
// and control characters, which could forge lines (a CI log reads
// "::error::" at the start of a line as a command) or drive a terminal,
// and the bidirectional controls that reorder what a reader sees. A file
// name may hold any of them.
func printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unprintable(r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unprintable(r rune) bool {
	return r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError
}

// Diagnostics collects the notes, warnings and errors of loading a book.
// It is safe for concurrent use. Notes keep the order they were made in;
// Sorted orders problems by position.
type Diagnostics struct {
	mu   sync.Mutex
	list []Diagnostic
	seen map[Diagnostic]bool
	// Strict turns warnings into errors.
	Strict bool
}

// Notef records a note at pos, such as a draft left out; notes are not problems.
func (ds *Diagnostics) Notef(pos Pos, format string, args ...any) {
	ds.add(Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...), Level: LevelNote})
}

// Warnf records a warning at pos, an error when Strict.
func (ds *Diagnostics) Warnf(pos Pos, format string, args ...any) {
	ds.add(ds.warning(pos, fmt.Sprintf(format, args...)))
}

func (ds *Diagnostics) warning(pos Pos, msg string) Diagnostic {
	if ds.Strict {
		return Diagnostic{Pos: pos, Msg: msg, Level: LevelError}
	}
	return Diagnostic{Pos: pos, Msg: msg, Level: LevelWarning}
}

// Errorf records an error at pos.
func (ds *Diagnostics) Errorf(pos Pos, format string, args ...any) {
	ds.add(Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...), Level: LevelError})
}

func (ds *Diagnostics) add(ls ...Diagnostic) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if ds.seen == nil {
		ds.seen = map[Diagnostic]bool{}
	}
	for _, d := range ls {
		if ds.seen[d] {
			continue
		}
		ds.seen[d] = true
		ds.list = append(ds.list, d)
	}
}

// Notes returns the notes in the order they were made.
func (ds *Diagnostics) Notes() []Diagnostic {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	var ns []Diagnostic
	for _, d := range ds.list {
		if d.Level == LevelNote {
			ns = append(ns, d)
		}
	}
	return ns
}

// Sorted returns the warnings and errors ordered by file, line and message.
func (ds *Diagnostics) Sorted() []Diagnostic {
	ds.mu.Lock()
	l := slices.DeleteFunc(slices.Clone(ds.list), func(d Diagnostic) bool { return d.Level == LevelNote })
	ds.mu.Unlock()
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Msg, b.Msg))
	})
	return l
}

// errors returns the number of errors so far.
func (ds *Diagnostics) errors() int {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	n := 0
	for _, d := range ds.list {
		if d.Level == LevelError {
			n++
		}
	}
	return n
}

// all joins the warnings and errors into one error, or returns nil.
func (ds *Diagnostics) all() error {
	var errs []error
	for _, d := range ds.Sorted() {
		errs = append(errs, d)
	}
	return errors.Join(errs...)
}

// Err joins the errors (not the warnings) into one error, or returns nil.
func (ds *Diagnostics) Err() error {
	var errs []error
	for _, d := range ds.Sorted() {
		if d.Level == LevelError {
			errs = append(errs, d)
		}
	}
	return errors.Join(errs...)
}
