// Package book loads a Hugo-style section of markdown into a Book: the
// index's list of links fixes the reading order, nested lists and linked
// sub-sections become parts, and every chapter is parsed once with goldmark.
// Links between chapters are resolved here, before any output exists, so the
// packagers in book/epub and book/pdf receive a whole, checked book and never
// read a file themselves: they walk each chapter's AST and ask the book where
// its links point.
package book
