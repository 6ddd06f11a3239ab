package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/pdf"
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

// BenchmarkGolangPDFTagging times what BenchmarkGolangPDF does, load and
// write, with and without the structure tree and marked content of the
// tagged PDF: the cost of tagging, which is always on.
func BenchmarkGolangPDFTagging(b *testing.B) {
	dir := golangSection(b)
	for _, untagged := range []bool{false, true} {
		name := "tagged"
		if untagged {
			name = "untagged"
		}
		b.Run(name, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "b.pdf")
			// CPU time as well as wall time: on a machine shared with
			// other work, it is the steadier measure.
			cpu0 := cpuTime()
			for b.Loop() {
				bk, err := book.Load(dir, book.Options{})
				if err != nil {
					b.Fatal(err)
				}
				f, err := os.Create(out)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := pdf.Write(f, bk, pdf.Config{Untagged: untagged}); err != nil {
					b.Fatal(err)
				}
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := cpuTime(); cpu > 0 {
				b.ReportMetric(float64(cpu-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
