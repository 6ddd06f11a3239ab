package book

import (
	"bytes"
	"cmp"
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
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

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
	// removed names what an SVG's sanitizing removed, for a warning.
	removed []string
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

// refusal is the problem of an image in a folder Bindery refuses to read:
// it counts as leading outside the content root.
type refusal struct{ msg string }

func (r refusal) Error() string        { return r.msg }
func (r refusal) Is(target error) bool { return target == errOutside }

// imageSource is where an image's file is: a file named name in fsys (the
// content tree, or Hugo's static/ or assets/ beside it), or a remote URL.
type imageSource struct {
	fsys fs.FS
	// root names fsys: "" for the content tree, else "static" or "assets".
	root string
	name string
	// key names the file in the book: its fs path, "static:x.png" for
	// Hugo's folders, or the URL.
	key string
	url string
}

// findImage finds the file a chapter's image refers to: relative to the
// chapter's folder, then to the book's folder, then as a site path from the
// content root, Hugo's static/ or assets/. Nothing outside the content
// root is ever read: such a path is an error (errOutside).
func (b *Book) findImage(from *Chapter, src string) (imageSource, error) {
	src = strings.TrimSpace(src)
	if s, ok := scheme(src); ok {
		switch {
		case len(s) == 1:
			return imageSource{}, errors.New("a Windows drive path names a file of the machine; not carried into a book")
		case s != "" && s != "http" && s != "https":
			return imageSource{}, errors.New("a " + s + " URL is not carried into a book")
		}
		u, err := externalURL(src)
		if err != nil {
			return imageSource{}, err
		}
		return imageSource{url: u, key: u}, nil
	}
	p := splitDest(src)
	if p == "" {
		return imageSource{}, errors.New("empty path")
	}
	if strings.ContainsRune(p, 0) || !utf8.ValidString(p) {
		return imageSource{}, errors.New("not a valid path")
	}
	type try struct {
		imageSource
		refused error
	}
	var tries []try
	if strings.HasPrefix(p, "/") {
		site := strings.TrimPrefix(path.Clean(p), "/")
		tries = append(tries, try{imageSource: imageSource{fsys: b.fsys, name: site, key: site}})
		for _, e := range b.extra {
			tries = append(tries, try{imageSource{fsys: e.fsys, root: e.name, name: site, key: e.name + ":" + site}, e.refused})
		}
	} else {
		for _, name := range []string{path.Join(path.Dir(from.File), p), path.Join(b.indexDir, p)} {
			tries = append(tries, try{imageSource: imageSource{fsys: b.fsys, name: name, key: name}})
		}
	}
	// problem is why no try found the file, when not simply missing; a
	// path that leads outside matters most.
	var problem error
	note := func(err error) {
		if problem == nil || errors.Is(err, errOutside) && !errors.Is(problem, errOutside) {
			problem = err
		}
	}
	for _, t := range tries {
		if t.refused != nil {
			note(refusal{t.refused.Error()})
			continue
		}
		if t.name == ".." || strings.HasPrefix(t.name, "../") {
			note(errOutside)
			continue
		}
		fi, err := fs.Stat(t.fsys, t.name)
		if err != nil {
			msg, outside := fileError(err)
			switch {
			case outside || escapes(t.fsys, t.name, err):
				note(errOutside)
			case !errors.Is(err, fs.ErrNotExist):
				note(errors.New(msg))
			}
			continue
		}
		if !fi.Mode().IsRegular() {
			note(errNotRegular)
			continue
		}
		if mediaTypes[strings.ToLower(path.Ext(t.name))] == "" {
			return imageSource{}, errors.New("not an image Bindery knows (png, jpeg, gif, svg, webp)")
		}
		return t.imageSource, nil
	}
	if problem != nil {
		return imageSource{}, problem
	}
	return imageSource{}, errors.New("no such file")
}

// escapes reports whether stat failed on name because a symbolic link on
// its way leads out of the root, though its target is missing.
func escapes(fsys fs.FS, name string, err error) bool {
	if !errors.Is(err, fs.ErrNotExist) {
		return false
	}
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
		mt = cmp.Or(sniffImage(data), mediaTypes[strings.ToLower(path.Ext(u.Path))])
	} else {
		data, err = readFile(src.fsys, src.name, maxPictureSize)
		if err != nil {
			msg, _ := fileError(err)
			return nil, errors.New(msg)
		}
		b.sources.add(src.root, src.name)
		name = path.Base(src.name)
		// The data says what a picture is, whatever its name says.
		mt = cmp.Or(sniffImage(data), mediaTypes[strings.ToLower(path.Ext(src.name))])
	}
	if mt == "" || mt == "image/svg+xml" && sniffImage(data) != "" {
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
	} else {
		clean, removed, err := sanitizeSVG(data)
		if err != nil {
			return nil, err
		}
		p.Data, p.removed = clean, removed
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
	data, err := readFile(b.fsys, file, maxPictureSize)
	if err != nil {
		msg, _ := fileError(err)
		return nil, errors.New(msg)
	}
	b.sources.add("", file)
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
	client  *http.Client // nil: httpClient
}

// maxFetch bounds the size of a fetched image.
const maxFetch = 32 << 20

// httpClient fetches remote pictures: directly, never from an address of
// the build machine or its networks (loopback, private, link-local: a
// cloud's metadata service at 169.254.169.254), at most five redirects.
var httpClient = &http.Client{
	Timeout: 30 * time.Second,
	Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, Control: publicOnly}).DialContext,
		TLSHandshakeTimeout: 10 * time.Second,
	},
	CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("more than 5 redirects")
		}
		return nil
	},
}

// errLocal is the problem of a fetch from the build machine's networks.
var errLocal = errors.New("a local or private network address; refused")

// publicOnly refuses connections to addresses that are not public.
func publicOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	if !ip.IsGlobalUnicast() || ip.IsPrivate() || cgnat.Contains(ip) {
		return errLocal
	}
	return nil
}

// get downloads a remote image; it fails unless fetching is enabled.
func (f *fetcher) get(url string) ([]byte, error) {
	if !f.enabled {
		return nil, errors.New("remote images are not fetched without --fetch-remote")
	}
	resp, err := cmp.Or(f.client, httpClient).Get(url)
	if errors.Is(err, errLocal) {
		return nil, fmt.Errorf("fetch: %w", errLocal)
	}
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
