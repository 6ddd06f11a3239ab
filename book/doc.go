// Package book loads a Hugo-style section of markdown into a Book, the one
// intermediate form both outputs print from.
//
// Loading runs in stages. Ordering follows the index's list of links:
// nested lists and linked sub-sections become parts, and every page found
// becomes a chapter (load.go). Parsing reads each chapter once, with the
// dialect of package markup: goldmark with GFM, footnotes and typographic
// quotes, plus Hugo's shortcodes, GFM alerts and TeX math (parse.go).
// Resolution then decides, once and for both outputs, everything they
// share, and stores it on the chapter's AST (resolve.go): a Link carries
// its Target, an Image its checked Picture, a Diagram its drawing, a
// CodeBlock its language and tokens, raw HTML becomes HTML elements that
// passed one allowlist (html.go). Problems are reported as they are met, as
// "file:line: message", so `bindery check` meets everything a build meets.
//
// A Reloader loads the same book again as its sources change, parsing
// only the chapters whose text changed and resolving again, in place, the
// links and images of the others (reload.go): bindery serve rebuilds with
// it on every save.
//
// The printers, book/epub and book/pdf, import this package and never each
// other; they read no file and decide nothing a reader could see differ
// between the two.
package book
