package main

import (
	"encoding/xml"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The word spacing of justified text, measured from the PDF as a reader's
// eye meets it: poppler's pdftotext -bbox-layout gives every line's words
// with their boxes. The natural space is the median gap of the last lines of
// paragraphs, which are set ragged; a justified line's spacing is its mean
// gap over that. Body text only: lines of the body size.

type bboxDoc struct {
	Pages []struct {
		Blocks []struct {
			Lines []struct {
				Words []struct {
					XMin float64 `xml:"xMin,attr"`
					XMax float64 `xml:"xMax,attr"`
					YMin float64 `xml:"yMin,attr"`
					YMax float64 `xml:"yMax,attr"`
					Text string  `xml:",chardata"`
				} `xml:"word"`
			} `xml:"line"`
		} `xml:"flow>block"`
	} `xml:"body>doc>page"`
}

// spacing is what checkSpacing measures.
type spacing struct {
	natural                float64 // the natural space, in points
	lines                  int     // justified lines of body text
	over15, over20, over22 int     // lines wider than 1.5, 2 and 2.2 natural spaces
	worst                  float64
	hyphens                int // justified lines that end with a hyphen
}

// measureSpacing measures the spacing of the body text of a PDF set at
// body size.
func measureSpacing(t *testing.T, file string, body float64) spacing {
	t.Helper()
	out, err := exec.Command("pdftotext", "-bbox-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox-layout: %v", err)
	}
	var doc bboxDoc
	d := xml.NewDecoder(strings.NewReader(string(out)))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("pdftotext -bbox-layout: %v", err)
	}
	type line struct {
		gaps          []float64
		right         float64
		last, hyphens bool
	}
	var lines []line
	var lastGaps []float64
	for _, p := range doc.Pages {
		var ls []line
		right := 0.0
		for _, b := range p.Blocks {
			for i, l := range b.Lines {
				ws := l.Words
				if len(ws) < 2 {
					continue
				}
				hs := make([]float64, len(ws))
				for k, w := range ws {
					hs[k] = w.YMax - w.YMin
				}
				slices.Sort(hs)
				// A word's box is about 1.2 times the type size high.
				if h := hs[len(hs)/2] / 1.2; h < body*0.95 || h > body*1.08 {
					continue
				}
				var gaps []float64
				for k := 1; k < len(ws); k++ {
					gaps = append(gaps, ws[k].XMin-ws[k-1].XMax)
				}
				last := ws[len(ws)-1]
				ls = append(ls, line{gaps: gaps, right: last.XMax, last: i == len(b.Lines)-1, hyphens: strings.HasSuffix(last.Text, "-")})
				right = max(right, last.XMax)
			}
		}
		for _, l := range ls {
			switch {
			case l.last:
				lastGaps = append(lastGaps, l.gaps...)
			case l.right > right-1:
				lines = append(lines, l)
			}
		}
	}
	if len(lastGaps) == 0 || len(lines) == 0 {
		t.Fatalf("%s: no body text measured", file)
	}
	slices.Sort(lastGaps)
	s := spacing{natural: lastGaps[len(lastGaps)/2], lines: len(lines)}
	for _, l := range lines {
		sum := 0.0
		for _, g := range l.gaps {
			sum += g
		}
		r := sum / float64(len(l.gaps)) / s.natural
		s.worst = max(s.worst, r)
		if r > 1.5 {
			s.over15++
		}
		if r > 2 {
			s.over20++
		}
		if r > 2.2 {
			s.over22++
		}
		if l.hyphens {
			s.hyphens++
		}
	}
	return s
}

// checkSpacing holds justified text to a typesetter's bar: under 5% of
// lines with spaces over 1.5 times the natural space, under 0.5% over
// twice, none over 2.2 times.
func checkSpacing(t *testing.T, file string, body float64) {
	s := measureSpacing(t, file, body)
	pct := func(n int) float64 { return 100 * float64(n) / float64(s.lines) }
	t.Logf("natural space %.2f pt; %d justified lines: %.1f%% over 1.5×, %.2f%% over 2×, %d over 2.2×, worst %.2f×; %d end with a hyphen",
		s.natural, s.lines, pct(s.over15), pct(s.over20), s.over22, s.worst, s.hyphens)
	if pct(s.over15) >= 5 || pct(s.over20) >= 0.5 || s.over22 > 0 {
		t.Errorf("word spacing: %.1f%% of lines over 1.5× (want under 5%%), %.2f%% over 2× (want under 0.5%%), %d over 2.2× (want none)",
			pct(s.over15), pct(s.over20), s.over22)
	}
}
