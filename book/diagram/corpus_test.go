package diagram

import (
	"errors"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// corpusDir holds real-world content shared by the project's tests; a fresh
// clone has no shared/ folder.
const corpusDir = "../../../shared/corpus/content"

// mermaidBlock is a ```mermaid block of a markdown file.
type mermaidBlock struct {
	file string
	line int // the block's first content line
	src  string
}

var fenceRE = regexp.MustCompile("^(\\s*)(`{3,}|~{3,})\\s*mermaid\\s*$")

// mermaidBlocks returns the mermaid blocks of the markdown files under dir.
func mermaidBlocks(t testing.TB, dir string) []mermaidBlock {
	var blocks []mermaidBlock
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lines := strings.Split(string(data), "\n")
		for i := 0; i < len(lines); i++ {
			m := fenceRE.FindStringSubmatch(lines[i])
			if m == nil {
				continue
			}
			indent, fence := len(m[1]), m[2]
			var body []string
			j := i + 1
			for ; j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), fence); j++ {
				l := lines[j]
				if len(l) >= indent && strings.TrimSpace(l[:indent]) == "" {
					l = l[indent:]
				}
				body = append(body, l)
			}
			blocks = append(blocks, mermaidBlock{file: p, line: i + 2, src: strings.Join(body, "\n") + "\n"})
			i = j
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return blocks
}

// TestCorpus renders every mermaid block of the shared corpus and fails
// when fewer than 97% are drawn natively.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("no corpus at %s: %v", corpusDir, err)
	}
	blocks := mermaidBlocks(t, corpusDir)
	if len(blocks) == 0 {
		t.Skip("corpus has no mermaid blocks")
	}
	type count struct{ drawn, total int }
	sections := map[string]*count{}
	drawn, small, stillSmall, pieces, warned := 0, 0, 0, 0, 0
	start := time.Now()
	for _, b := range blocks {
		sec, _ := filepath.Rel(corpusDir, filepath.Dir(b.file))
		c := sections[sec]
		if c == nil {
			c = &count{}
			sections[sec] = c
		}
		c.total++
		d, err := render(b.src)
		var ue *UnsupportedError
		var pe *ParseError
		switch {
		case errors.As(err, &ue):
			t.Logf("%s:%d: shown as code: %v", b.file, b.line, err)
		case errors.As(err, &pe):
			t.Errorf("%s:%d: %v", b.file, b.line+pe.Line-1, pe.Msg)
		case err != nil:
			t.Errorf("%s:%d: %v", b.file, b.line, err)
		default:
			if err := checkSVG(d.SVG()); err != nil {
				t.Errorf("%s:%d: svg: %v", b.file, b.line, err)
				continue
			}
			c.drawn++
			drawn++
			// Legibility on a 420 × 650pt text area: scaled to the width
			// (and 80% of the height), or turned, or on a page of its own.
			if d.MinTextSize(d.FitScale(420, 520)) < 8 {
				small++
				if max(d.MinTextSize(d.FitScale(650, 420)), d.MinTextSize(d.FitScale(420, 650))) < 8 {
					// The PDF cuts it into pieces at the scale that
					// sets its smallest text at 8pt.
					stillSmall++
					k := min(1, 8/d.MinTextSize(1))
					w, h := d.Width*k, d.Height*k
					pieces += min(bands(w, 420)*bands(h, 630), bands(w, 630)*bands(h, 420))
				}
			}
			if len(d.Warnings) > 0 {
				warned++
			}
		}
	}
	for _, s := range slices.Sorted(maps.Keys(sections)) {
		c := sections[s]
		t.Logf("%-90s %3d/%3d drawn (%.1f%%)", s, c.drawn, c.total, 100*float64(c.drawn)/float64(c.total))
	}
	share := float64(drawn) / float64(len(blocks))
	t.Logf("corpus: %d of %d diagrams drawn natively (%.1f%%) in %v", drawn, len(blocks), 100*share, time.Since(start).Round(time.Millisecond))
	t.Logf("corpus: %d drawings have text below 8pt scaled to a 420pt measure, %d still turned or on a page of their own: the PDF cuts those into pieces of a page with their text at 8pt, about %d pieces (book/pdf TestCorpusDiagramText counts what it draws); %d have style warnings", small, stillSmall, pieces, warned)
	if share < 0.97 {
		t.Errorf("only %.1f%% of the corpus's diagrams drawn natively; want at least 97%%", 100*share)
	}
}

// bands is how many pieces of length at most length, each overlapping the
// next by 20pt, cover a stretch e long.
func bands(e, length float64) int {
	if e <= length {
		return 1
	}
	return int(math.Ceil((e - 20) / (length - 20)))
}
