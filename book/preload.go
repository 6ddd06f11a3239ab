package book

import (
	"bytes"

	"github.com/bindery-books/bindery/book/diagram"
)

// preloadDiagrams starts loading Graphviz in the background (see
// diagram.Preload) when data, a page's markdown as read, has a mermaid
// block of a kind that Graphviz lays out. Pages are read one after
// another, so the load has the other core while the rest are read and
// parsed, and is done by the time the first diagram is laid out.
func preloadDiagrams(data []byte) {
	if !diagram.Preloading() && hasGraphvizDiagram(data) {
		diagram.Preload()
	}
}

// hasGraphvizDiagram reports whether markdown has a mermaid block that
// diagram.UsesGraphviz. It finds fences the way the parser does, closely
// enough: a false find only costs a load.
func hasGraphvizDiagram(data []byte) bool {
	if !bytes.Contains(data, []byte("ermaid")) {
		return false
	}
	var (
		fence   []byte // the open fence's marker, nil outside one
		mermaid bool   // the open fence is a mermaid block
		body    bytes.Buffer
	)
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		t := bytes.TrimLeft(line, " \t>")
		n := 0
		for n < len(t) && (t[n] == '`' || t[n] == '~') && t[n] == t[0] {
			n++
		}
		switch {
		case fence == nil:
			if n >= 3 {
				fence = t[:n]
				mermaid = CodeLanguage(string(t[n:])) == "mermaid"
				body.Reset()
			}
		case n >= len(fence) && t[0] == fence[0] && len(bytes.TrimSpace(t[n:])) == 0:
			if mermaid && diagram.UsesGraphviz(body.String()) {
				return true
			}
			fence = nil
		case mermaid:
			// Without its indent or quote marks: enough to tell the kind.
			body.Write(t)
			body.WriteByte('\n')
		}
	}
	// A block left open runs to the end of the page.
	return fence != nil && mermaid && diagram.UsesGraphviz(body.String())
}
