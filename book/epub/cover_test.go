package epub

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
)

// TestCoverText checks that every text stays on its own ground however
// long it is: a title and subtitle never cross the band onto the paper,
// where their blends (made for the ink) would draw dark fringes.
func TestCoverText(t *testing.T) {
	for _, c := range []struct{ name, title, subtitle, authors string }{
		{"short", "Elixir in the Field", "", "Ada Lovelace"},
		{"long", "Elixir in the Field: Production Patterns for OTP", "A long subtitle that wraps over two lines of the cover", "Ada Lovelace, Grace Hopper"},
		{"endless", strings.Repeat("Supervision ", 40), strings.Repeat("restart intensity ", 30), strings.Repeat("Author Name, ", 60)},
	} {
		t.Run(c.name, func(t *testing.T) {
			data, err := drawCover(c.title, c.subtitle, c.authors)
			if err != nil {
				t.Fatal(err)
			}
			m, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			img, ok := m.(*image.Paletted)
			if !ok || m.Bounds() != image.Rect(0, 0, coverW, coverH) {
				t.Fatalf("cover is a %T of %v, want a %dx%d palette image", m, m.Bounds(), coverW, coverH)
			}
			// Where only a ground may show: above the title, between the
			// last line on the ink and the band, between the band and the
			// authors, and the bottom margin.
			for _, r := range []struct {
				rect  image.Rectangle
				index uint8
			}{
				{image.Rect(0, 0, coverW, 300), inkIndex},
				{image.Rect(0, 1470, coverW, 1480), inkIndex},
				{image.Rect(0, 1500, coverW, 1620), paperIndex},
				{image.Rect(0, coverH-20, coverW, coverH), paperIndex},
				{image.Rect(0, 1620, 150, coverH), paperIndex},
			} {
				for y := r.rect.Min.Y; y < r.rect.Max.Y; y++ {
					for x := r.rect.Min.X; x < r.rect.Max.X; x++ {
						if got := img.ColorIndexAt(x, y); got != r.index {
							t.Fatalf("pixel (%d,%d) has colour %d, want only the ground %d in %v", x, y, got, r.index, r.rect)
						}
					}
				}
			}
			// The text is there: the title's colour shows on the ink.
			if !hasIndex(img, image.Rect(0, 300, coverW, 1470), uint8(coverSteps*paperOnInk+coverSteps-1)) {
				t.Error("no title on the cover")
			}
			if c.authors != "" && !hasIndex(img, image.Rect(0, 1620, coverW, coverH), uint8(coverSteps*inkOnPaper+coverSteps-1)) {
				t.Error("no authors on the cover")
			}
		})
	}
}

func hasIndex(img *image.Paletted, r image.Rectangle, index uint8) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.ColorIndexAt(x, y) == index {
				return true
			}
		}
	}
	return false
}

// BenchmarkCover draws and encodes the generated cover; it was most of
// an EPUB build's CPU as a 32-bit image at PNG's best compression.
func BenchmarkCover(b *testing.B) {
	for b.Loop() {
		data, err := drawCover("Elixir in the Field: Production Patterns for OTP", "A long subtitle that wraps over two lines of the cover", "Ada Lovelace, Grace Hopper")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(data)), "bytes")
	}
}
