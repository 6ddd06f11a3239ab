// Package assets holds the files Bindery puts into every book, embedded in
// the binary so that it runs anywhere.
package assets

import _ "embed"

// EPUBStyle is the EPUB stylesheet. The packager appends the CSS of the
// code highlighting style.
//
//go:embed epub.css
var EPUBStyle []byte
