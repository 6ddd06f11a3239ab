// Package corpus finds the shared corpus of real content that the tests
// and benchmarks of book and its packages build: ../shared/corpus beside
// the repository, when it is there.
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Sections are the corpus's books, as paths below its content folder.
var Sections = []string{
	Golang,
	"en/learn/software-engineering/algorithm-and-data-structures/by-example",
	"en/learn/software-engineering/architecture/c4-architecture-model/by-example",
	"en/learn/software-engineering/data/databases/postgresql/by-example",
}

// Golang is the largest section, the one the benchmarks build: 36
// chapters, 766 code blocks, tables and diagrams.
const Golang = "en/learn/software-engineering/programming-languages/golang/in-the-field"

// Content returns the corpus's content folder, found from the test's
// working folder (its package's) by way of the repository's root, and
// whether it is there.
func Content() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
	content := filepath.Join(filepath.Dir(dir), "shared", "corpus", "content")
	_, err = os.Stat(content)
	return content, err == nil
}

// Section returns the folder of a section of the corpus (one of
// Sections), and skips tb when the corpus is not there.
func Section(tb testing.TB, section string) string {
	tb.Helper()
	content, ok := Content()
	if !ok {
		tb.Skip("corpus not found at ../shared/corpus")
	}
	return filepath.Join(content, filepath.FromSlash(section))
}
