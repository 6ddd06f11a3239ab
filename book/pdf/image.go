package pdf

import (
	"bytes"
	"errors"
	"fmt"
	goimage "image"
	"image/draw"
	_ "image/gif" // decoders for image.Decode
	_ "image/jpeg"
	"image/png"
	"sync"

	"github.com/bindery-books/bindery/book"
	"github.com/yuin/goldmark/ast"
	_ "golang.org/x/image/webp"
)

// image is a decoded picture ready for the PDF writer.
type image struct {
	name string
	data []byte
	kind string // "PNG" or "JPG"
	w, h int    // pixels
}

// images loads each picture of the book once, for every chapter that shows it.
type images struct {
	mu   sync.Mutex
	byID map[string]*imageResult
	n    int
}

type imageResult struct {
	once sync.Once
	img  *image
	err  error
}

// maxPixels bounds the pictures Bindery decodes.
const maxPixels = 60 << 20

// load returns the picture of a resource, converted to what fpdf embeds
// reliably: JPEG as it is, everything else (PNG, GIF, WebP) decoded and
// written again as a plain 8-bit PNG, since fpdf refuses interlaced and
// 16-bit PNGs.
func (w *writer) load(res book.Resource) (*image, error) {
	key := res.File
	if res.Remote {
		key = res.URL
	}
	w.imgs.mu.Lock()
	if w.imgs.byID == nil {
		w.imgs.byID = map[string]*imageResult{}
	}
	r, ok := w.imgs.byID[key]
	if !ok {
		r = &imageResult{}
		w.imgs.byID[key] = r
	}
	w.imgs.mu.Unlock()
	r.once.Do(func() { r.img, r.err = w.decode(res) })
	return r.img, r.err
}

func (w *writer) decode(res book.Resource) (*image, error) {
	if res.MediaType == "image/svg+xml" {
		return nil, errors.New("SVG images are not drawn in the PDF")
	}
	var data []byte
	var err error
	if res.Remote {
		data, err = w.b.Fetch(res)
	} else {
		data, err = w.b.ReadFile(res.File)
	}
	if err != nil {
		return nil, err
	}
	// The messages are the EPUB's, so a build of both formats prints a
	// problem once.
	cfg, format, err := goimage.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a valid %s: %w", res.MediaType, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, fmt.Errorf("picture of %dx%d pixels: too large", cfg.Width, cfg.Height)
	}
	img := &image{w: cfg.Width, h: cfg.Height}
	// Decode the whole picture: a truncated file must fail here, not in a
	// reader's viewer.
	m, _, err := goimage.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a valid %s: %w", res.MediaType, err)
	}
	if format == "jpeg" {
		img.data, img.kind = data, "JPG" // PDF readers decode JPEG themselves
	} else {
		nrgba := goimage.NewNRGBA(m.Bounds())
		draw.Draw(nrgba, nrgba.Bounds(), m, m.Bounds().Min, draw.Src)
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, nrgba); err != nil {
			return nil, err
		}
		img.data, img.kind = buf.Bytes(), "PNG"
	}
	w.imgs.mu.Lock()
	w.imgs.n++
	w.imgs.mu.Unlock()
	// Names must not depend on which chapter loaded first: name by source.
	img.name = "img:" + res.File + res.URL
	return img, nil
}

// checkImage reports the problems of an image set inline as its alt text.
func (w *writer) checkImage(c *converter, n *ast.Image) {
	dest := string(n.Destination)
	res, err := w.b.Resource(c.ch, dest)
	switch {
	case err != nil:
		w.b.ImageProblem(c.ch.PosOf(n), dest, err)
	case res.Remote && !w.b.FetchRemote():
		w.b.RemoteImage(c.ch.PosOf(n), dest, true)
	}
}

// figure sets a paragraph that is one image alone as a figure: the picture
// scaled to the measure and to the page, with its title or alt text as a
// caption. It reports whether the paragraph was such a figure.
func (c *converter) figure(p *ast.Paragraph) bool {
	img, ok := p.FirstChild().(*ast.Image)
	if !ok || p.FirstChild() != p.LastChild() {
		return false
	}
	dest := string(img.Destination)
	alt := book.PlainText(img, c.src)
	caption := cmpOr(string(img.Title), alt)
	res, err := c.w.b.Resource(c.ch, dest)
	if err != nil {
		c.w.b.ImageProblem(c.ch.PosOf(img), dest, err)
		c.placeholder(cmpOr(alt, dest), "missing image")
		return true
	}
	if res.Remote && !c.w.b.FetchRemote() {
		c.w.b.RemoteImage(c.ch.PosOf(img), dest, true)
		s := c.w.st
		c.vspace(s.Para)
		c.paragraph([]span{
			{st: style{Face: serifItal, Size: s.Body, Color: grey}, text: "[" + cmpOr(alt, "image") + ": "},
			{st: style{Face: serif, Size: s.Body, Color: linkBlue, URL: dest}, text: dest},
			{st: style{Face: serifItal, Size: s.Body, Color: grey}, text: "]"},
		}, alignLeft)
		c.vspace(s.Para)
		return true
	}
	pic, err := c.w.load(res)
	if err != nil {
		c.w.b.ImageProblem(c.ch.PosOf(img), dest, err)
		c.placeholder(cmpOr(alt, dest), "image not shown")
		return true
	}
	c.picture(pic, caption)
	return true
}

// picture places an image centred in the measure, at most at 96 pixels to
// the inch, no wider than the measure and no taller than two thirds of the
// text block, with a caption under it.
func (c *converter) picture(pic *image, caption string) {
	s := c.w.st
	w := float64(pic.w) * 0.75
	h := float64(pic.h) * 0.75
	if w > c.width {
		h *= c.width / w
		w = c.width
	}
	if maxH := c.w.g.TextH * 0.66; h > maxH {
		w *= maxH / h
		h = maxH
	}
	c.vspace(s.Para * 1.5)
	c.emit(&Item{H: h, Kind: "image", Ops: []Op{&imageOp{X: c.x + (c.width-w)/2, Y: 0, W: w, H: h, Img: pic}}})
	if caption != "" {
		c.vspace(s.Para * 0.6)
		c.keep = 1
		c.setText([]span{{st: style{Face: serifItal, Size: s.Small, Color: grey}, text: caption}},
			lineStyle{X: c.x + c.width*0.1, Width: c.width * 0.8, Align: alignCenter, Lead: s.Small * 1.3, Face: serifItal, Size: s.Small}, "caption")
	}
	c.vspace(s.Para * 1.5)
}

// placeholder is a framed box that stands for a picture that cannot be shown.
func (c *converter) placeholder(what, why string) {
	s := c.w.st
	c.vspace(s.Para * 1.5)
	text := "[" + why + ": " + what + "]"
	st := style{Face: sansItal, Size: s.Small, Color: grey}
	ws := c.tx.words([]span{{st: st, text: text}})
	inner := c.width * 0.7
	ws, lines := breakLines(ws, inner)
	lead := s.Small * 1.35
	h := float64(len(lines))*lead + 2*s.Body
	it := &Item{H: h, Kind: "placeholder", Ops: []Op{&rectOp{X: c.x + c.width*0.1, Y: 0, W: c.width * 0.8, H: h, Stroke: &lightGrey, LineW: 0.8}}}
	for i, l := range lines {
		li := setLine(ws, l, lineStyle{X: c.x + c.width*0.15, Width: inner, Align: alignCenter, Lead: lead, Face: sansItal, Size: s.Small})
		for _, op := range li.Ops {
			shiftOp(op, 0, s.Body+float64(i)*lead)
		}
		it.Ops = append(it.Ops, li.Ops...)
	}
	c.emit(it)
	c.vspace(s.Para * 1.5)
}
