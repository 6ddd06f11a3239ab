package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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
// tagged PDF: the cost of tagging, which is always on. Each iteration
// builds the book both ways, in turn first, so that a machine shared with
// other work slows both alike; it reports the time of each, wall and CPU,
// and what tagging adds in per cent of the CPU time.
//
// Measured on the shared two-core machine (load 4 to 6), ten runs of four
// iterations: 740 ms of CPU tagged against 691 untagged, 7.2% more
// (single runs from 2.5% to 13.2%); wall time 7.9% more, noisier. Under
// the 10% that would call for a switch to leave tagging out, so there is
// none: pdf.Config.Untagged is for this benchmark.
func BenchmarkGolangPDFTagging(b *testing.B) {
	dir := golangSection(b)
	out := filepath.Join(b.TempDir(), "b.pdf")
	build := func(untagged bool) (wall, cpu int64) {
		t0, c0 := time.Now(), cpuTime()
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
		return int64(time.Since(t0)), cpuTime() - c0
	}
	build(false)           // fonts and caches warm
	var wall, cpu [2]int64 // tagged, untagged
	n := 0
	for b.Loop() {
		for k := range 2 {
			u := (n + k) % 2
			w, c := build(u == 1)
			wall[u] += w
			cpu[u] += c
		}
		n++
	}
	ms := func(v int64) float64 { return float64(v) / float64(n) / 1e6 }
	b.ReportMetric(ms(wall[0]), "tagged-ms")
	b.ReportMetric(ms(wall[1]), "untagged-ms")
	if cpu[1] > 0 {
		b.ReportMetric(ms(cpu[0]), "tagged-cpu-ms")
		b.ReportMetric(ms(cpu[1]), "untagged-cpu-ms")
		b.ReportMetric(100*float64(cpu[0]-cpu[1])/float64(cpu[1]), "tagging-%cpu")
	}
	b.ReportMetric(100*float64(wall[0]-wall[1])/float64(wall[1]), "tagging-%wall")
}
