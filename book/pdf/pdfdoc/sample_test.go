package pdfdoc

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book/font"
)

// sampleText is the body text of the sample document: ligatures, kerning,
// a rune above U+FFFF, accents.
const sampleText = "The office’s affluent staff flew to Wavy Town: “efficient” café."

func samplePNG(alpha bool) []byte {
	m := image.NewNRGBA(image.Rect(0, 0, 16, 8))
	for y := range 8 {
		for x := range 16 {
			a := uint8(255)
			if alpha {
				a = uint8(x * 16)
			}
			m.Set(x, y, color.NRGBA{uint8(x * 16), uint8(y * 32), 200, a})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, m)
	return b.Bytes()
}

func sampleJPEG() []byte {
	m := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range m.Pix {
		m.Pix[i] = uint8(i)
	}
	var b bytes.Buffer
	jpeg.Encode(&b, m, &jpeg.Options{Quality: 80})
	return b.Bytes()
}

// sample writes a small document with every kind of content: four pages,
// roman then arabic labels, an outline, links both ways, images drawn
// twice, paths, and tagging.
func sample(t testing.TB) []byte {
	var out bytes.Buffer
	date := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	d, err := New(&out, Config{
		Info: Info{
			Title: "Sample Book", Author: "A. Writer", Subject: "Testing ünïcode", Keywords: "pdf, test",
			Creator: "Bindery test", Producer: "Bindery pdfdoc", Lang: "en-GB", Created: date, Modified: date,
		},
		Labels: []LabelRange{{First: 0, Style: RomanLower}, {First: 2, Style: Decimal}},
		Tagged: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	serif := font.Face{Family: font.Serif}.Font()
	sans := font.Face{Family: font.Sans, Style: font.Bold}.Font()
	mono := font.Face{Family: font.Mono}.Font()
	emoji := font.Face{Family: font.Sans}.Font() // DejaVu Sans has U+1F600
	png1, err := d.Image(samplePNG(true))
	if err != nil {
		t.Fatal(err)
	}
	png2, err := d.Image(samplePNG(false))
	if err != nil {
		t.Fatal(err)
	}
	jpg, err := d.Image(sampleJPEG())
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Elem(nil, "Document")
	for i := range 4 {
		p := d.NewPage(420, 595)
		p.BeginArtifact("Pagination", "Footer")
		p.Text(serif, 9, Color{128, 128, 128}, 200, 570, [...]string{"i", "ii", "1", "2"}[i], font.Typeset)
		p.EndTag()
		h := d.Elem(doc, "H1")
		p.BeginTag(h)
		title := [...]string{"Title page", "Contents", "Chapter one", "Chapter two"}[i]
		p.Text(sans, 18, Black, 50, 80, title, font.Typeset)
		p.EndTag()
		p.Dest([...]string{"title", "contents", "one", "two"}[i], 60)
		d.AddOutline(OutlineItem{Title: title, Level: min(i, 1), Page: i, Y: 60})
		para := d.Elem(doc, "P")
		p.BeginTag(para)
		p.Text(serif, 10.5, Black, 50, 120, sampleText, font.Typeset)
		p.Text(emoji, 10.5, Black, 300, 140, "\U0001F600", font.Typeset)
		p.Text(mono, 9, Color{0, 0, 128}, 50, 140, "fmt.Println(\"office\") // fi", font.FeaturesOf(font.Face{Family: font.Mono}))
		p.EndTag()
		fig := d.Elem(doc, "Figure")
		fig.Alt = "Three small test images."
		p.BeginTag(fig)
		p.Image(png1, 50, 160, 64, 32)
		p.Image(png2, 130, 160, 64, 32)
		p.Image(jpg, 210, 160, 32, 32)
		p.EndTag()
		p.BeginArtifact("Layout", "")
		var pa Path
		pa.MoveTo(50, 220)
		pa.CurveTo(100, 200, 150, 240, 200, 220)
		pa.LineTo(200, 260)
		pa.Close()
		p.Path(&pa, Paint{Fill: &Color{230, 240, 255}, Stroke: &Color{0, 0, 200}, LineWidth: 1.5, Dash: []float64{3, 2}, Cap: RoundCap, Join: RoundJoin})
		p.Rect(250, 220, 100, 40, Paint{Fill: &Color{240, 240, 240}})
		p.Line(50, 280, 370, 280, Paint{Stroke: &Color{100, 100, 100}})
		p.EndTag()
		link := d.Elem(para, "Link")
		p.BeginTag(link)
		w := p.Text(serif, 10.5, Color{0, 0, 200}, 50, 300, "Go to the next page", font.Typeset)
		p.EndTag()
		p.AddLink(Link{X: 50, Y: 290, W: w, H: 13, Target: Target{Page: (i + 1) % 4, Y: 60}, Contents: "Go to the next page", Elem: link})
		p.AddLink(Link{X: 50, Y: 310, W: 100, H: 13, Target: Target{Name: "one"}, Contents: "Chapter one"})
		p.AddLink(Link{X: 50, Y: 330, W: 100, H: 13, Target: Target{URI: "https://example.com/ö?q=1"}, Contents: "Example"})
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
