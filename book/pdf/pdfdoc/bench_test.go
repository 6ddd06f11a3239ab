package pdfdoc

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/bindery-books/bindery/book/font"
)

// The benchmark page: A4, 72 pt margins, DejaVu Serif 10.5 on 13.5.
const (
	benchPageW, benchPageH = 595.0, 842.0
	benchMargin            = 72.0
	benchSize, benchLead   = 10.5, 13.5
	benchPerPage           = 51 // lines a page
)

// benchWords returns the words of the content book's prose (code blocks
// and markup left out), in order.
var benchWords = sync.OnceValue(func() []string {
	files, _ := filepath.Glob("../../../content/*.md")
	return proseWords(files)
})

// proseWords returns the words of the prose of markdown files: code
// blocks, tables and markup left out.
func proseWords(files []string) []string {
	var words []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		code := false
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "```") {
				code = !code
				continue
			}
			if code || strings.HasPrefix(l, "|") || strings.HasPrefix(l, "---") {
				continue
			}
			l = strings.NewReplacer("*", "", "`", "", "#", "", "[", "", "]", "", "_", " ").Replace(l)
			words = append(words, strings.Fields(l)...)
		}
	}
	if len(words) == 0 {
		words = strings.Fields(sampleText)
	}
	return words
}

// benchLine is a justified line: its words and the x of each.
type benchLine struct {
	words []string
	xs    []float64
	last  bool // a paragraph's last line is not stretched
}

// benchLines breaks the words into justified lines of the text width,
// measured with shaping, enough for pages pages.
func benchLines(pages int) []benchLine { return justify(benchWords(), pages) }

// justify sets words in justified lines, enough for pages pages.
func justify(ws []string, pages int) []benchLine {
	f := font.Face{Family: font.Serif}
	width := benchPageW - 2*benchMargin
	space := font.ShapedWidth(f, benchSize, " ", font.Typeset)
	perPage := benchPerPage
	var lines []benchLine
	var cur []string
	var curW float64
	i := 0
	flush := func(last bool) {
		n := len(cur)
		gap := space
		if !last && n > 1 {
			gap = space + (width-curW)/float64(n-1)
		}
		l := benchLine{words: cur, last: last}
		x := 0.0
		for _, w := range cur {
			l.xs = append(l.xs, x)
			x += font.ShapedWidth(f, benchSize, w, font.Typeset) + gap
		}
		lines = append(lines, l)
		cur, curW = nil, 0
	}
	for len(lines) < pages*perPage {
		w := ws[i%len(ws)]
		i++
		ww := font.ShapedWidth(f, benchSize, w, font.Typeset)
		if len(cur) > 0 && curW+space+ww > width {
			flush(i%97 == 0)
		}
		if len(cur) > 0 {
			curW += space
		}
		cur = append(cur, w)
		curW += ww
	}
	return lines
}

// writePdfdoc sets the lines with pdfdoc, each line one glyph run whose
// spaces are stretched to justify it.
func writePdfdoc(w io.Writer, lines []benchLine, onPage func()) error {
	d, err := New(w, Config{Info: Info{Title: "Benchmark", Lang: "en"}, Labels: []LabelRange{{Style: Decimal}}})
	if err != nil {
		return err
	}
	serif := font.Face{Family: font.Serif}.Font()
	spaceGlyphs := serif.Shape(" ", benchSize, font.Typeset)
	perPage := benchPerPage
	var p *Page
	var gs []font.Glyph
	var text strings.Builder
	for n, l := range lines {
		if n%perPage == 0 {
			if p != nil {
				if err := p.Close(); err != nil {
					return err
				}
				onPage()
			}
			p = d.NewPage(benchPageW, benchPageH)
		}
		gs, text = gs[:0], strings.Builder{}
		end := 0.0 // the pen after the glyphs so far
		for j, word := range l.words {
			if j > 0 {
				// The space reaches to the next word's place.
				sp := spaceGlyphs[0]
				sp.Start, sp.End = text.Len(), text.Len()+1
				sp.Advance = l.xs[j] - end
				end = l.xs[j]
				gs = append(gs, sp)
				text.WriteByte(' ')
			}
			base := text.Len()
			for _, g := range serif.Shape(word, benchSize, font.Typeset) {
				g.Start += base
				g.End += base
				gs = append(gs, g)
				end += g.Advance
			}
			text.WriteString(word)
		}
		p.Glyphs(Run{Font: serif, Size: benchSize, X: benchMargin, Y: benchMargin + float64(n%perPage+1)*benchLead, Glyphs: gs, Text: text.String()})
	}
	if err := p.Close(); err != nil {
		return err
	}
	onPage()
	return d.Close()
}

// writePdfdocWords sets the lines with pdfdoc word by word, as the
// current draw stage places text ops.
func writePdfdocWords(w io.Writer, lines []benchLine, onPage func()) error {
	d, err := New(w, Config{Info: Info{Title: "Benchmark", Lang: "en"}})
	if err != nil {
		return err
	}
	serif := font.Face{Family: font.Serif}.Font()
	var p *Page
	for n, l := range lines {
		if n%benchPerPage == 0 {
			if p != nil {
				if err := p.Close(); err != nil {
					return err
				}
				onPage()
			}
			p = d.NewPage(benchPageW, benchPageH)
		}
		y := benchMargin + float64(n%benchPerPage+1)*benchLead
		for j, word := range l.words {
			p.Text(serif, benchSize, Black, benchMargin+l.xs[j], y, word, font.Typeset)
		}
	}
	if err := p.Close(); err != nil {
		return err
	}
	onPage()
	return d.Close()
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

func benchWrite(b *testing.B, pages int, write func(io.Writer, []benchLine, func()) error) {
	lines := benchLines(pages)
	var size int64
	b.ResetTimer()
	for b.Loop() {
		var c countWriter
		if err := write(&c, lines, func() {}); err != nil {
			b.Fatal(err)
		}
		size = c.n
	}
	b.ReportMetric(float64(size)/1024, "KiB")
}

// BenchmarkWrite300Pages writes 300 pages of justified DejaVu Serif, as
// one run a line and as one run a word: time and file size. (Against fpdf,
// which Bindery used before: 0.31 s and 1,184 KiB a line, 2,008 KiB a word,
// where fpdf took 0.35 s for 2,187 KiB.)
func BenchmarkWrite300Pages(b *testing.B) {
	b.Run("pdfdoc", func(b *testing.B) { benchWrite(b, 300, writePdfdoc) })
	b.Run("pdfdoc-words", func(b *testing.B) { benchWrite(b, 300, writePdfdocWords) })
}

// BenchmarkPeakHeap2000Pages measures the largest live heap while 2,000
// pages of text are written to a discarding writer; run with
// -benchtime=1x. pdfdoc writes each page as it is closed (fpdf, which
// Bindery used before, kept 94 MiB live for the same pages).
func BenchmarkPeakHeap2000Pages(b *testing.B) {
	lines := benchLines(2000)
	for _, c := range []struct {
		name  string
		write func(io.Writer, []benchLine, func()) error
	}{{"pdfdoc", writePdfdoc}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				peak := uint64(0)
				page := 0
				sample := func() {
					page++
					if page%50 != 0 {
						return
					}
					runtime.GC()
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
				var cw countWriter
				if err := c.write(&cw, lines, sample); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-live-MiB")
				b.ReportMetric(float64(cw.n)/(1<<20), "file-MiB")
			}
		})
	}
}
