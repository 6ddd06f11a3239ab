package pdfdoc

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strconv"
)

// Image is an image written to the document once, to be drawn on any
// number of pages.
type Image struct {
	r    ref
	name string
	// W and H are the image's size in pixels.
	W, H int
}

// Image writes an image to the document and returns it for Page.Image: a
// JPEG as it is (DCT), a PNG decoded and recompressed, with its alpha
// channel, if it has one that is not opaque, as a soft mask. The same
// bytes given twice give the same Image.
func (d *Document) Image(data []byte) (*Image, error) {
	key := sha256.Sum256(data)
	if img, ok := d.imgIndex[key]; ok {
		return img, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errors.New("pdfdoc: image has no pixels")
	}
	img := &Image{r: d.o.reserve(), name: "Im" + strconv.Itoa(len(d.images)+1), W: cfg.Width, H: cfg.Height}
	switch format {
	case "jpeg":
		err = d.writeJPEG(img, data, cfg)
	case "png":
		err = d.writePNG(img, data)
	default:
		err = fmt.Errorf("pdfdoc: image format %s: only PNG and JPEG", format)
	}
	if err != nil {
		return nil, err
	}
	d.images = append(d.images, img)
	d.imgIndex[key] = img
	return img, nil
}

func (d *Document) writeJPEG(img *Image, data []byte, cfg image.Config) error {
	var cs string
	decode := ""
	switch cfg.ColorModel {
	case color.GrayModel:
		cs = "/DeviceGray"
	case color.YCbCrModel, color.RGBAModel:
		cs = "/DeviceRGB"
	case color.CMYKModel:
		cs = "/DeviceCMYK"
		// Adobe's CMYK JPEGs are stored inverted.
		if bytes.Contains(data[:min(len(data), 4096)], []byte("Adobe")) {
			decode = " /Decode [1 0 1 0 1 0 1 0]"
		}
	default:
		return errors.New("pdfdoc: JPEG colour model not supported")
	}
	// Check the data decodes, so a broken file fails here, not in a viewer.
	if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("pdfdoc: JPEG: %w", err)
	}
	dict := fmt.Appendf(nil, " /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8%s /Filter /DCTDecode", cfg.Width, cfg.Height, cs, decode)
	d.o.stream(img.r, dict, data, false)
	return nil
}

func (d *Document) writePNG(img *Image, data []byte) error {
	m, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("pdfdoc: PNG: %w", err)
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	gray := true
	switch m := m.(type) {
	case *image.Gray, *image.Gray16:
	case *image.Paletted:
		for _, c := range m.Palette {
			r, g, bl, _ := c.RGBA()
			gray = gray && r == g && g == bl
		}
	default:
		gray = false
	}
	comps := 3
	if gray {
		comps = 1
	}
	pix := make([]byte, 0, w*h*comps)
	alpha := make([]byte, 0, w*h)
	opaque := true
	if n, ok := m.(*image.NRGBA); ok && !gray {
		// The common case of a PNG with alpha: no per-pixel conversion.
		for y := range h {
			off := n.PixOffset(b.Min.X, b.Min.Y+y)
			row := n.Pix[off : off+4*w]
			for x := 0; x < len(row); x += 4 {
				pix = append(pix, row[x], row[x+1], row[x+2])
				alpha = append(alpha, row[x+3])
				opaque = opaque && row[x+3] == 0xFF
			}
		}
	} else {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
				if gray {
					pix = append(pix, c.R)
				} else {
					pix = append(pix, c.R, c.G, c.B)
				}
				alpha = append(alpha, c.A)
				opaque = opaque && c.A == 0xFF
			}
		}
	}
	cs := "/DeviceRGB"
	if gray {
		cs = "/DeviceGray"
	}
	dict := fmt.Appendf(nil, " /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8", w, h, cs)
	if !opaque {
		mask := d.o.reserve()
		d.o.stream(mask, fmt.Appendf(nil, " /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", w, h), alpha, true)
		dict = append(dict, " /SMask "...)
		dict = appendRef(dict, mask)
	}
	d.o.stream(img.r, dict, pix, true)
	return nil
}
