// Package epub packages a book as an EPUB 3 file, on archive/zip and the
// standard library: one XHTML file per chapter and per part, a navigation
// document and an NCX, a title page, a contents page and a cover. Output
// depends on the book alone: entries come in a fixed order with fixed times,
// and nothing is ordered by a map.
package epub

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/par"
	"github.com/bindery-books/bindery/book/internal/scratch"
)

// Config controls packaging. The zero value works.
type Config struct {
	// Progress, when set, is called after each chapter is rendered.
	Progress func(done, total int)
	// PageList, when set, is where the pages of the book's print edition
	// begin (pdf.PageList): the EPUB marks each with a page break and
	// lists them in a page-list, and names the edition as their source.
	PageList []book.PageStart
	// PageSource describes the print edition the page list comes from,
	// such as "PDF, A4, one-sided, 10.5 pt"; the EPUB's dc:source is an
	// identifier made from it and the book's.
	PageSource string
	// Release lets Write release each chapter once its page is made
	// (Chapter.Release): for the last printer of a book.
	Release bool
}

// file is an entry of the package, below OEBPS/.
type file struct {
	name       string
	mediaType  string
	data       []byte
	id         string
	properties string
	// packed, when set, is the file as the zip takes it, made while the
	// chapters render; data is then nil, so a large book does not hold
	// every chapter uncompressed until the end.
	packed *entry
}

type packager struct {
	b   *book.Book
	cfg Config

	mu        sync.Mutex
	resources map[string]*file // by name: images and diagrams
	math      map[string]bool  // chapter files that hold MathML

	coverFile *file
	coverErr  error
	// noAlt is set when a picture or diagram has no text alternative.
	noAlt bool
}

// Write packages b as an EPUB 3 and writes it to w.
func Write(w io.Writer, b *book.Book, cfg Config) error {
	p := &packager{b: b, cfg: cfg, resources: map[string]*file{}, math: map[string]bool{}}
	// The cover is drawn while the chapters render.
	coverDone := make(chan struct{})
	go func() {
		defer close(coverDone)
		p.coverFile, p.coverErr = p.cover()
	}()
	chapters, err := p.renderChapters()
	<-coverDone
	if err != nil {
		return err
	}
	files, err := p.files(chapters)
	if err != nil {
		return err
	}
	return p.zip(w, files)
}

// renderChapters renders every chapter's XHTML and compresses it for the
// zip, concurrently.
func (p *packager) renderChapters() ([]*entry, error) {
	out := make([]*entry, len(p.b.Chapters))
	errs := make([]error, len(p.b.Chapters))
	var done int
	var doneMu sync.Mutex
	par.Each(len(p.b.Chapters), func(i int) {
		var data []byte
		data, errs[i] = p.chapterPage(p.b.Chapters[i])
		if p.cfg.Release {
			p.b.Chapters[i].Release()
		}
		e := packEntry(&file{data: data, mediaType: "application/xhtml+xml"})
		if e.method == zip.Deflate && data != nil {
			buffers.Give(data) // the entry holds its compressed copy
		}
		out[i] = &e
		if p.cfg.Progress != nil {
			doneMu.Lock()
			done++
			p.cfg.Progress(done, len(p.b.Chapters))
			doneMu.Unlock()
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (p *packager) chapterPage(ch *book.Chapter) ([]byte, error) {
	r := &chapterRenderer{ch: ch, pkg: p}
	var opening []book.PageStart // pages that begin with the chapter's title
	for _, s := range p.cfg.PageList {
		if s.Chapter == ch && s.Node == nil {
			opening = append(opening, s)
		}
	}
	r.setBreaks(p.chapterStarts(ch))
	body, err := r.render()
	if err != nil {
		return nil, err
	}
	if r.raw || !plainXML(body) {
		clean, err := wellFormed(string(body))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ch.Path, err)
		}
		body = []byte(clean)
	}
	if bytes.Contains(body, []byte("<math")) {
		p.mu.Lock()
		p.math[ch.ID+".xhtml"] = true
		p.mu.Unlock()
	}
	label := ch.Label()
	if ch.Part != nil {
		label = ch.Part.Title + " · " + label
	}
	anchor := ""
	if h := ch.TitleHeading; h != nil {
		anchor = `<span id="` + esc(h.ID) + `"></span>`
	}
	// The page is made in one buffer: a chapter's is the largest of the
	// book, and each copy of it was garbage for the collector.
	page := buffers.Take(len(body) + 1024)
	page = appendPageHead(page, ch.Lang(p.b), ch.Title, "bodymatter")
	// The label is inside the heading, so that no converter sets it on a
	// page of its own.
	page = fmt.Appendf(page, "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"_top\">\n%s<h1 id=\"_top\"%s><span class=\"chapter-number\">%s</span> %s%s</h1>\n",
		markers(opening), dirAttr(ch.Title, r.pageDir()), esc(label), anchor, esc(ch.Title))
	page = append(page, body...)
	page = append(page, "</section>\n"...)
	buffers.Give(body)
	return append(page, pageTail...), nil
}

// buffers keeps the buffers chapters are rendered in for the chapters
// after them: a chapter's XHTML is garbage once copied into its page, and
// its page once compressed.
var buffers = scratch.New[byte](2)

// chapterStarts returns the page starts inside a chapter's blocks.
func (p *packager) chapterStarts(ch *book.Chapter) []book.PageStart {
	var ss []book.PageStart
	for _, s := range p.cfg.PageList {
		if s.Chapter == ch && s.Node != nil {
			ss = append(ss, s)
		}
	}
	return ss
}

// markers returns the page break markers of starts, a line of its own.
func markers(starts []book.PageStart) string {
	if len(starts) == 0 {
		return ""
	}
	var s strings.Builder
	for _, st := range starts {
		s.WriteString(pageMarker(st.Label))
	}
	return s.String() + "\n"
}

// page wraps a body in an XHTML document.
func (p *packager) page(title, bodyType, body string) []byte {
	return p.pageIn(p.b.Meta.Language, title, bodyType, body)
}

// pageIn wraps a body in an XHTML document in language lang: a chapter
// in another language than the book's (its front matter's lang) says so,
// and takes that language's direction.
func (p *packager) pageIn(lang, title, bodyType, body string) []byte {
	page := appendPageHead(make([]byte, 0, len(body)+512), lang, title, bodyType)
	page = append(page, body...)
	return append(page, pageTail...)
}

// appendPageHead appends the start of an XHTML document, to its <body>
// tag, to page (see pageIn).
func appendPageHead(page []byte, lang, title, bodyType string) []byte {
	page = append(page, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<!DOCTYPE html>\n"...)
	dir := ""
	if rtlLanguage(lang) {
		dir = ` dir="rtl"`
	}
	lang = esc(lang)
	page = fmt.Appendf(page, `<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="%s" xml:lang="%s"%s>`+"\n", lang, lang, dir)
	page = fmt.Appendf(page, "<head>\n<meta charset=\"UTF-8\" />\n<title>%s</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\" />\n</head>\n", esc(title))
	switch bodyType {
	case "cover":
		return append(page, "<body epub:type=\"cover\" class=\"cover\">\n"...)
	case "":
		return append(page, "<body>\n"...)
	}
	return fmt.Appendf(page, "<body epub:type=\"%s\">\n", bodyType)
}

// pageTail ends an XHTML document begun by appendPageHead.
const pageTail = "</body>\n</html>\n"

// missingAlt records a picture without a text alternative.
func (p *packager) missingAlt() {
	p.mu.Lock()
	p.noAlt = true
	p.mu.Unlock()
}

// addFile adds a generated resource, such as a diagram.
func (p *packager) addFile(name, mediaType string, data []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.resources[name]; !ok {
		p.resources[name] = &file{name: name, mediaType: mediaType, data: data}
	}
}

// addPicture packages a picture once and returns its name in the package.
func (p *packager) addPicture(pic *book.Picture) string {
	name := "images/" + pic.Name
	p.addFile(name, pic.MediaType, pic.Data)
	return name
}

// addDiagram packages a drawn diagram as SVG and returns its name in the
// package.
func (p *packager) addDiagram(d *book.Diagram) string {
	name := "diagrams/" + d.ID + ".svg"
	p.addFile(name, "image/svg+xml", d.Drawing.SVG())
	return name
}

// zip writes the package: mimetype first and stored, then META-INF, then
// OEBPS files in a fixed order, all stamped with the book's time. The
// entries are compressed on every core first (pictures already
// compressed are stored as they are), then written in order.
func (p *packager) zip(w io.Writer, files []*file) error {
	zw := zip.NewWriter(w)
	mod := p.b.Modified
	if mod.Year() < 1980 {
		mod = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	dosDate := uint16(mod.Day() + int(mod.Month())<<5 + (mod.Year()-1980)<<9)
	dosTime := uint16(mod.Second()/2 + mod.Minute()<<5 + mod.Hour()<<11)
	header := func(name string, method uint16) *zip.FileHeader {
		// DOS time fields only: a Modified time would add an extra field,
		// which EPUB forbids on mimetype.
		h := &zip.FileHeader{Name: name, Method: method, ModifiedDate: dosDate, ModifiedTime: dosTime}
		h.SetMode(0o644)
		return h
	}
	fw, err := zw.CreateHeader(header("mimetype", zip.Store))
	if err != nil {
		return err
	}
	if _, err := io.WriteString(fw, "application/epub+zip"); err != nil {
		return err
	}
	container := &file{name: "META-INF/container.xml", data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`)}
	entries := make([]entry, len(files)+1)
	entries[0] = packEntry(container)
	par.Each(len(files), func(i int) {
		if f := files[i]; f.packed != nil {
			entries[i+1] = *f.packed
		} else {
			entries[i+1] = packEntry(f)
		}
	})
	for i, e := range entries {
		name := "META-INF/container.xml"
		if i > 0 {
			name = "OEBPS/" + files[i-1].name
		}
		h := header(name, e.method)
		h.CRC32, h.CompressedSize64, h.UncompressedSize64 = e.crc, uint64(len(e.data)), e.size
		fw, err := zw.CreateRaw(h)
		if err == nil {
			_, err = fw.Write(e.data)
		}
		if err != nil {
			return fmt.Errorf("epub: write %s: %w", name, err)
		}
	}
	return zw.Close()
}

// entry is a file of the package as it goes into the zip.
type entry struct {
	method uint16
	data   []byte // compressed unless method is zip.Store
	crc    uint32
	size   uint64 // uncompressed
}

// zipLevel is the deflate level of the package's text files: 3, which
// takes two thirds of the time of archive/zip's 5 for files a tenth
// larger (the golang corpus section: 27 ms of CPU against 18, 385 KB
// against 422 KB; pandoc's EPUB of it is 442 KB). Compression was a fifth
// of an EPUB build's CPU.
const zipLevel = 3

// packEntry compresses f, unless it is a picture format that is
// compressed already and would only take time to gain nothing.
func packEntry(f *file) entry {
	e := entry{method: zip.Store, data: f.data, crc: crc32.ChecksumIEEE(f.data), size: uint64(len(f.data))}
	switch f.mediaType {
	case "image/png", "image/jpeg", "image/gif", "image/webp", "font/woff2":
		return e
	}
	var buf bytes.Buffer
	buf.Grow(len(f.data)/4 + 512) // XHTML deflates to a sixth or so
	zw := deflaters.Take()
	zw.Reset(&buf)
	zw.Write(f.data) // a bytes.Buffer takes all
	zw.Close()
	deflaters.Give(zw)
	e.method, e.data = zip.Deflate, buf.Bytes()
	return e
}

// deflaters keeps compressors for reuse, one for each core: making one
// takes as long as compressing a chapter.
var deflaters = scratch.NewValues(1, func() *flate.Writer {
	zw, _ := flate.NewWriter(nil, zipLevel) // the level is valid
	return zw
})

// sortedResources returns the images and diagrams by name.
func (p *packager) sortedResources() []*file {
	var rs []*file
	for _, f := range p.resources {
		rs = append(rs, f)
	}
	slices.SortFunc(rs, func(a, b *file) int { return strings.Compare(a.name, b.name) })
	return rs
}
