package main

import (
	"os"
	"path/filepath"
	"testing"
)

// golangSection is the corpus section the benchmarks build: 37 chapters,
// tables, code and diagrams, shaped like a real book.
func golangSection(b *testing.B) string {
	dir := filepath.Join(corpusDir, filepath.FromSlash(corpusSections[0]))
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("corpus not found at %s", corpusDir)
	}
	return dir
}

func benchCLI(b *testing.B, args ...string) {
	for b.Loop() {
		if code, _, errOut := runCLI(args...); code != exitOK {
			b.Fatalf("bindery %v: exit %d\n%s", args, code, errOut)
		}
	}
}

// BenchmarkGolangEPUB, BenchmarkGolangPDF and BenchmarkGolangBuild time the
// whole command on the golang corpus section: load, resolve, render, write.
func BenchmarkGolangEPUB(b *testing.B) {
	benchCLI(b, "epub", "-q", "-o", filepath.Join(b.TempDir(), "b.epub"), golangSection(b))
}

func BenchmarkGolangPDF(b *testing.B) {
	benchCLI(b, "pdf", "-q", "-o", filepath.Join(b.TempDir(), "b.pdf"), golangSection(b))
}

func BenchmarkGolangBuild(b *testing.B) {
	benchCLI(b, "build", "-q", "-o", b.TempDir(), golangSection(b))
}

// BenchmarkGolangCheck times loading and resolving alone.
func BenchmarkGolangCheck(b *testing.B) {
	benchCLI(b, "check", golangSection(b))
}
