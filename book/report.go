package book

import (
	"errors"

	"github.com/yuin/goldmark/ast"
)

// The problems both packagers meet are reported here, in one set of words,
// so that a build of both formats, which meets each problem twice, prints it
// once (Diagnostics drops repeats).

// ImageProblem reports an image that cannot be shown: a path out of the
// content root is an error, anything else a warning.
func (b *Book) ImageProblem(pos Pos, dest string, err error) {
	if errors.Is(err, ErrOutside) {
		b.Diagnostics.Errorf(pos, "image %q: %v", dest, err)
		return
	}
	b.Diagnostics.Warnf(pos, "image %q: %v", dest, err)
}

// RemoteImage reports a remote image that is not fetched because
// --fetch-remote was not given; asLink says it is shown as a link.
func (b *Book) RemoteImage(pos Pos, dest string, asLink bool) {
	if asLink {
		b.Diagnostics.Warnf(pos, "image %q is remote and not fetched (use --fetch-remote); shown as a link", dest)
		return
	}
	b.Diagnostics.Warnf(pos, "image %q is remote and not fetched (use --fetch-remote)", dest)
}

// DiagramAsCode reports a mermaid block of ch shown as code instead of
// drawn. line is the 1-based line within the block that err is about, or 0.
// A kind that is not drawn (err has an Unsupported method that says so) is
// a note, not a problem: --strict must not fail a book for a pie chart.
func (b *Book) DiagramAsCode(ch *Chapter, n ast.Node, line int, err error) {
	// NodeLine is the block's first content line.
	at := Pos{File: ch.Path, Line: ch.NodeLine(n)}
	if line > 0 {
		at.Line += line - 1
	}
	var u interface{ Unsupported() bool }
	if errors.As(err, &u) && u.Unsupported() {
		b.Diagnostics.Notef("%s: mermaid: %v; shown as code", at, err)
		return
	}
	b.Diagnostics.Warnf(at, "mermaid: %v; shown as code", err)
}
