package epub

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"

	"github.com/bindery-books/bindery/book/font"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Cover geometry, in pixels: 1600×2400 (2:3), the shape stores ask for.
const coverW, coverH = 1600, 2400

var (
	coverInk   = color.RGBA{0x1f, 0x2a, 0x44, 0xff} // deep blue
	coverBand  = color.RGBA{0xc9, 0x8b, 0x2b, 0xff} // amber
	coverPaper = color.RGBA{0xf7, 0xf3, 0xea, 0xff}
)

// drawCover draws a typographic cover: title, subtitle and authors set in
// DejaVu on a two-tone ground. The same inputs always give the same bytes.
func drawCover(title, subtitle, authors string) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, coverW, coverH))
	draw.Draw(img, img.Bounds(), &image.Uniform{coverInk}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 1500, coverW, coverH), &image.Uniform{coverPaper}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 1480, coverW, 1500), &image.Uniform{coverBand}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(160, 300, 400, 316), &image.Uniform{coverBand}, image.Point{}, draw.Src)

	titleFace, err := face(font.Face{Family: font.Serif, Style: font.Bold}, 150)
	if err != nil {
		return nil, err
	}
	y := drawLines(img, titleFace, title, 520, 180, coverPaper)
	if subtitle != "" {
		sub, err := face(font.Face{Family: font.Sans, Style: font.Regular}, 64)
		if err != nil {
			return nil, err
		}
		drawLines(img, sub, subtitle, y+20, 84, coverBand)
	}
	if authors != "" {
		au, err := face(font.Face{Family: font.Sans, Style: font.Bold}, 64)
		if err != nil {
			return nil, err
		}
		drawLines(img, au, authors, 1700, 84, coverInk)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func face(f font.Face, size float64) (xfont.Face, error) {
	otf, err := opentype.Parse(f.TTF())
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(otf, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: xfont.HintingNone})
}

// wrapText breaks s into lines no wider than width pixels.
func wrapText(f xfont.Face, s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if line != "" && xfont.MeasureString(f, try).Ceil() > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// drawLines sets s wrapped to the cover's text width, with its first
// baseline at y, and returns the baseline after the last line.
func drawLines(img draw.Image, f xfont.Face, s string, y, leading int, c color.Color) int {
	for _, line := range wrapText(f, s, coverW-320) {
		d := &xfont.Drawer{Dst: img, Src: &image.Uniform{c}, Face: f, Dot: fixed.P(160, y)}
		d.DrawString(line)
		y += leading
	}
	return y
}
