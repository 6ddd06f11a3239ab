package epub

import (
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Tables sit in a container that scrolls sideways when the table is wider
// than the screen, so that no word in a cell is ever broken. Header cells
// are th with a scope; an empty header cell is a td (a screen reader has
// nothing to announce for it); when the header row begins with such an
// empty corner, the first column labels the rows, and its cells are row
// headers.

func (r *chapterRenderer) table(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*extast.Table)
		if h, ok := n.FirstChild().(*extast.TableHeader); ok && h.FirstChild() != nil && h.ChildCount() > 1 && r.emptyCell(h.FirstChild()) {
			if r.rowHeaders == nil {
				r.rowHeaders = map[*extast.Table]bool{}
			}
			r.rowHeaders[n] = true
		}
		w.WriteString(`<div class="table-wrap">` + "\n<table>\n")
	} else {
		w.WriteString("</table>\n</div>\n")
	}
	return ast.WalkContinue, nil
}

// emptyCell reports whether a cell has no text.
func (r *chapterRenderer) emptyCell(n ast.Node) bool {
	return strings.TrimSpace(book.PlainText(n, r.ch.Source)) == "" && !hasImage(n)
}

func hasImage(n ast.Node) bool {
	found := false
	_ = ast.Walk(n, func(k ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := k.(*book.Image); ok && entering {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// tableCell writes a cell: th with its scope or td, with its column's
// alignment. (goldmark's own renderer stores the alignment's style on the
// node as it writes it, so a chapter rendered twice would get it twice.)
func (r *chapterRenderer) tableCell(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*extast.TableCell)
	row := n.Parent()
	tag, scope := "td", ""
	switch {
	case row.Kind() == extast.KindTableHeader:
		if !r.emptyCell(n) {
			tag, scope = "th", "col"
		}
	case n.PreviousSibling() == nil && r.rowHeaders[row.Parent().(*extast.Table)] && !r.emptyCell(n):
		tag, scope = "th", "row"
	}
	if !entering {
		w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	w.WriteString("<" + tag)
	if scope != "" {
		w.WriteString(` scope="` + scope + `"`)
	}
	if n.Alignment != extast.AlignNone {
		w.WriteString(` style="text-align:` + n.Alignment.String() + `"`)
	}
	w.WriteString(">")
	return ast.WalkContinue, nil
}
