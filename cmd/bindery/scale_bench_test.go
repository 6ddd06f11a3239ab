package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// bigBook writes a book of at least n chapters made of copies of the
// corpus sections, each copy a part with its links pointed at itself, into
// a new content root, and returns the book's folder and its chapter count.
// Five copies in six are of the golang section (36 chapters of ordinary
// length), the sixth cycles through the others (long chapters, many
// diagrams, math).
func bigBook(b *testing.B, n int) (string, int) {
	b.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		b.Skipf("corpus not found at %s", corpusDir)
	}
	dir := filepath.Join(b.TempDir(), "content", "book")
	var index strings.Builder
	index.WriteString("---\ntitle: A Large Book\n---\n\n")
	chapters := 0
	for k := 1; chapters < n; k++ {
		section := corpusSections[0]
		if k%6 == 0 {
			section = corpusSections[1+(k/6)%3]
		}
		part := fmt.Sprintf("p%03d", k)
		src := filepath.Join(corpusDir, filepath.FromSlash(section))
		entries, err := os.ReadDir(src)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, part), 0o755); err != nil {
			b.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".md") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(src, e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			text := strings.ReplaceAll(string(data), "/"+section, "/book/"+part)
			data = []byte(uniqueCode(text, part))
			if err := os.WriteFile(filepath.Join(dir, part, e.Name()), data, 0o644); err != nil {
				b.Fatal(err)
			}
			if e.Name() != "_index.md" {
				chapters++
			}
		}
		fmt.Fprintf(&index, "- [Part %d](/book/%s)\n", k, part)
	}
	if err := os.WriteFile(filepath.Join(dir, "_index.md"), []byte(index.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, chapters
}

// uniqueCode adds a comment line naming the part to every fenced code
// block of a chapter, so that no copy is highlighted or drawn from the
// caches that identical blocks share within a process.
func uniqueCode(md, part string) string {
	var out strings.Builder
	var fence string // the open fence, or ""
	for line := range strings.Lines(md) {
		out.WriteString(line)
		trimmed := strings.TrimSpace(line)
		switch {
		case fence == "" && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fence = trimmed[:3]
			indent := line[:strings.Index(line, fence)]
			comment := "// "
			if strings.Contains(trimmed, "mermaid") {
				comment = "%% "
			}
			out.WriteString(indent + comment + part + "\n")
		case fence != "" && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "":
			fence = ""
		}
	}
	return out.String()
}

// BenchmarkPeakHeap2000Chapters builds the EPUB and the PDF of a book of
// 2,000 chapters (51 MB of markdown, made by bigBook), with the memory
// limit bindery epub and pdf set, and reports the most heap each build
// held, live and garbage, sampled every 50 ms; run it with -benchtime=1x.
// The 1000 variant shows how the cost grows with the book.
func BenchmarkPeakHeap2000Chapters(b *testing.B) {
	for _, n := range []int{1000, 2000} {
		dir, chapters := bigBook(b, n)
		for _, format := range []string{"epub", "pdf"} {
			b.Run(fmt.Sprintf("%s-%d", format, n), func(b *testing.B) {
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(memoryLimit)) // as main sets them
				defer debug.SetGCPercent(debug.SetGCPercent(-1))
				out := filepath.Join(b.TempDir(), "book."+format)
				for b.Loop() {
					runtime.GC()
					peak := make(chan uint64)
					stop := make(chan struct{})
					go func() {
						var ms runtime.MemStats
						var most uint64
						for {
							runtime.ReadMemStats(&ms)
							most = max(most, ms.HeapInuse)
							select {
							case <-stop:
								peak <- most
								return
							case <-time.After(50 * time.Millisecond):
							}
						}
					}()
					code, _, errOut := runCLI(format, "-q", "-o", out, dir)
					close(stop)
					most := <-peak
					if code != exitOK {
						b.Fatalf("bindery %s: exit %d\n%s", format, code, errOut)
					}
					b.ReportMetric(float64(most)/(1<<20), "peak-heap-MiB")
					b.ReportMetric(float64(chapters), "chapters")
				}
			})
		}
	}
}
