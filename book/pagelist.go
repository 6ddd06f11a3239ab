package book

import "github.com/yuin/goldmark/ast"

// PageStart is where a page of the book's print edition begins: the PDF
// computes these from its pagination (pdf.PageList), and the EPUB marks them
// with page break markers and lists them in its page list, so that a reader
// of either can cite the same page.
type PageStart struct {
	// Label is the page's label as the PDF labels it: "1", "2", … for the
	// body.
	Label string
	// Part is set when the page is a part's opening page; Chapter when the
	// page begins inside a chapter. Exactly one of them is set.
	Part    *Part
	Chapter *Chapter
	// Node is the block of the chapter's resolved AST the page begins in;
	// nil when the page begins with the chapter's opening (its title).
	Node ast.Node
	// Line counts the lines (or rows, or items) laid out from Node on
	// earlier pages: 0 when the page begins with Node.
	Line int
	// Offset counts the letters and digits of Node's text set on earlier
	// pages, for outputs that place the break inside a paragraph: 0 when
	// the page begins with Node.
	Offset int
}
