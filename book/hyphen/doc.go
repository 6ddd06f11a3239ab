// Package hyphen finds where a word may be broken at the end of a line with
// a hyphen, by Frank Liang's pattern algorithm as TeX does it.
//
// For returns the Hyphenator for a BCP 47 language tag (or nil for a
// language without patterns), and its Points method gives a word's break
// points as byte offsets. The rules for what is a word, the minimums,
// exceptions and soft hyphens are TeX's, and are listed at Points.
//
// The patterns are hyph-utf8's, the files TeX Live loads, copied verbatim
// from Debian's texlive-lang-* packages of TeX Live 2022 and embedded with
// their licence headers: American and British English, German (1996
// orthography), French, Spanish, Italian, Portuguese, Dutch and Russian.
// patterns/LICENSES.md lists each file, its source and its licence; the
// files are under their authors' licences, not Bindery's. Each file's
// metadata gives the language's left and right minimums, and its
// \hyphenation list the exceptions. The tests compare the results for about
// 4,000 words with LuaTeX's own hyphenation with the same files. Indonesian
// is hyphenated by its syllable rules, in code of Bindery's own (the
// hyph-utf8 patterns for it are GPL).
//
// The pattern matching is github.com/speedata/hyphenation, with one repair:
// that module never applies a pattern of a single letter ("1b", "a1"), on
// which Spanish, Italian, German and Russian rely, so the loader
// rewrites each as two-letter patterns first. Its Leftmin is also one letter
// off, so the minimums are applied here. Its matching costs a few
// microseconds a word, so each Hyphenator keeps the breaks of the few
// thousand words it last saw: a book's words repeat, and a hit costs a few
// hundred nanoseconds.
//
// A Hyphenator is safe for concurrent use; its pattern file is parsed once,
// on first use (German, the largest, in about 30 ms, keeping 4 MB).
package hyphen
