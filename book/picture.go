package book

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders for image.Decode
	_ "image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	_ "golang.org/x/image/webp" // WebP is read, then written as PNG
)

// Picture is an image of the book, read and checked once at load: the
// whole picture is decoded, so a truncated file never reaches a reader,
// and its size is checked before it is decoded, so a small file that
// claims a huge picture costs nothing.
type Picture struct {
	// Name is unique in the book and safe as a file name: the source's
	// base name, a hash of the content and the extension of MediaType.
	Name string
	// MediaType is image/png, image/jpeg, image/gif or image/svg+xml. WebP
	// is converted to PNG, which every reader shows.
	MediaType string
	// Data is the file as the book carries it.
	Data []byte
	// Width and Height are the size in pixels; zero for SVG.
	Width, Height int
	// print is Data as a PDF embeds it, when that differs.
	print []byte
}

// Print returns the picture as a PDF embeds it, with its format ("JPG" or
// "PNG"): a JPEG or a PNG as it is, a GIF as a PNG. It returns no data for
// SVG.
func (p *Picture) Print() ([]byte, string) {
	switch {
	case p.MediaType == "image/svg+xml":
		return nil, ""
	case p.MediaType == "image/jpeg":
		return p.Data, "JPG"
	case p.print != nil:
		return p.print, "PNG"
	}
	return p.Data, "PNG"
}

// maxPixels bounds the pictures Bindery decodes: 60 megapixels.
const maxPixels = 60 << 20

var mediaTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".svg": "image/svg+xml", ".webp": "image/webp",
}

// errOutside is the problem of a path that leads out of the content root.
var errOutside = errors.New("the path leads outside the content root; refused")

// imageSource is where an image's file is: a file named name in fsys (the
// content tree, or Hugo's static/ or assets/ beside it), or a remote URL.
type imageSource struct {
	fsys fs.FS
	name string
	// key names the file in the book: its fs path, "static:x.png" for
	// Hugo's folders, or the URL.
	key string
	url string
}

// findImage finds the file a chapter's image refers to: relative to the
// chapter's folder, then to the book's folder, then as a site path from the
// content root, Hugo's static/ or assets/. Nothing outside the content
// root is ever read: such a path is an error.
func (b *Book) findImage(from *Chapter, src string) (imageSource, error) {
	src = strings.TrimSpace(src)
	if s, ok := scheme(src); ok {
		if s != "http" && s != "https" {
			return imageSource{}, errors.New("unsupported URL scheme")
		}
		return imageSource{url: src, key: src}, nil
	}
	p := splitDest(src)
	if p == "" {
		return imageSource{}, errors.New("empty path")
	}
	type try struct {
		fsys fs.FS
		name string
		key  string
	}
	var tries []try
	if strings.HasPrefix(p, "/") {
		site := strings.TrimPrefix(path.Clean(p), "/")
		tries = append(tries, try{b.fsys, site, site})
		for _, e := range b.extra {
			tries = append(tries, try{e.fsys, site, e.name + ":" + site})
		}
	} else {
		for _, name := range []string{path.Join(path.Dir(from.File), p), path.Join(b.indexDir, p)} {
			tries = append(tries, try{b.fsys, name, name})
		}
	}
	outside := false
	for _, t := range tries {
		if t.name == ".." || strings.HasPrefix(t.name, "../") {
			outside = true
			continue
		}
		fi, err := fs.Stat(t.fsys, t.name)
		if err != nil {
			if escapes(t.fsys, t.name, err) {
				outside = true
			}
			continue
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		if mediaTypes[strings.ToLower(path.Ext(t.name))] == "" {
			return imageSource{}, errors.New("not an image Bindery knows (png, jpeg, gif, svg, webp)")
		}
		return imageSource{fsys: t.fsys, name: t.name, key: t.key}, nil
	}
	if outside {
		return imageSource{}, errOutside
	}
	return imageSource{}, errors.New("no such file")
}

// escapes reports whether stat failed on name because a symbolic link on
// its way leads out of the root: the name exists (as a link) but cannot be
// followed, for a reason other than its target missing.
func escapes(fsys fs.FS, name string, err error) bool {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		// A link whose target is missing inside the root, or no file at
		// all: see whether any element of the path is a link that leads
		// out.
		for p := name; p != "." && p != "/"; p = path.Dir(p) {
			if target, lerr := fs.ReadLink(fsys, p); lerr == nil {
				t := target
				if !path.IsAbs(t) {
					t = path.Join(path.Dir(p), t)
				}
				if path.IsAbs(t) || t == ".." || strings.HasPrefix(t, "../") {
					return true
				}
			}
		}
		return false
	}
	return true
}

// picture returns the checked picture of an image source, reading and
// decoding it once for the whole book.
func (b *Book) picture(src imageSource) (*Picture, error) {
	b.picMu.Lock()
	e, ok := b.pictures[src.key]
	if !ok {
		e = &pictureEntry{}
		b.pictures[src.key] = e
	}
	b.picMu.Unlock()
	e.once.Do(func() { e.pic, e.err = b.readPicture(src) })
	return e.pic, e.err
}

type pictureEntry struct {
	once sync.Once
	pic  *Picture
	err  error
}

func (b *Book) readPicture(src imageSource) (*Picture, error) {
	var data []byte
	var err error
	var name, mt string
	if src.url != "" {
		data, err = b.fetch.get(src.url)
		if err != nil {
			return nil, err
		}
		u, _ := url.Parse(src.url)
		name = path.Base(u.Path)
		mt = mediaTypes[strings.ToLower(path.Ext(u.Path))]
		if mt == "" {
			mt = sniffImage(data)
		}
	} else {
		data, err = fs.ReadFile(src.fsys, src.name)
		if err != nil {
			return nil, err
		}
		name = path.Base(src.name)
		mt = mediaTypes[strings.ToLower(path.Ext(src.name))]
	}
	if mt == "" {
		return nil, errors.New("not an image Bindery knows (png, jpeg, gif, svg, webp)")
	}
	return newPicture(name, mt, data)
}

// newPicture checks and decodes the data of a picture of type mt.
func newPicture(name, mt string, data []byte) (*Picture, error) {
	p := &Picture{MediaType: mt, Data: data}
	if mt != "image/svg+xml" {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("not a valid %s: %w", mt, err)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
			return nil, fmt.Errorf("picture of %dx%d pixels: too large", cfg.Width, cfg.Height)
		}
		m, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("not a valid %s: %w", mt, err)
		}
		p.Width, p.Height = cfg.Width, cfg.Height
		switch {
		case mt == "image/webp":
			if p.Data, err = encodePNG(m); err != nil {
				return nil, err
			}
			p.MediaType = "image/png"
		case mt == "image/gif":
			if p.print, err = encodePNG(m); err != nil {
				return nil, err
			}
		}
	}
	sum := sha256.Sum256(p.Data)
	base := strings.TrimSuffix(name, path.Ext(name))
	p.Name = safeName(base) + "-" + hex.EncodeToString(sum[:4]) + extFor(p.MediaType)
	return p, nil
}

func encodePNG(m image.Image) ([]byte, error) {
	nrgba := image.NewNRGBA(m.Bounds())
	draw.Draw(nrgba, nrgba.Bounds(), m, m.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, nrgba); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sniffImage(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		return "image/png"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "image/gif"
	case len(data) > 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

func safeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "image"
	}
	return b.String()
}

func extFor(mt string) string {
	switch mt {
	case "image/jpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "image/svg+xml":
		return ".svg"
	}
	return ".png"
}

// readCover reads the cover book.yaml names: PNG or JPEG, checked like any
// picture.
func (b *Book) readCover(file string) (*Picture, error) {
	data, err := fs.ReadFile(b.fsys, file)
	if err != nil {
		return nil, err
	}
	mt := sniffImage(data)
	if mt != "image/png" && mt != "image/jpeg" {
		return nil, errors.New("a cover must be PNG or JPEG")
	}
	p, err := newPicture("cover", mt, data)
	if err != nil {
		return nil, err
	}
	p.Name = "cover" + extFor(mt)
	return p, nil
}

// fetcher fetches remote images when the user asks for it (--fetch-remote).
type fetcher struct {
	enabled bool
}

// maxFetch bounds the size of a fetched image.
const maxFetch = 32 << 20

var httpClient = &http.Client{Timeout: 30 * time.Second}

// get downloads a remote image; it fails unless fetching is enabled.
func (f *fetcher) get(url string) ([]byte, error) {
	if !f.enabled {
		return nil, errors.New("remote images are not fetched without --fetch-remote")
	}
	resp, err := httpClient.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFetch+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFetch {
		return nil, fmt.Errorf("fetch: larger than %d MB", maxFetch>>20)
	}
	return data, nil
}
