// Package epub packages a book as an EPUB 3 file, on archive/zip and the
// standard library: one XHTML file per chapter and per part, a navigation
// document and an NCX, a title page, a contents page and a cover. Output
// depends on the book alone: entries come in a fixed order with fixed times,
// and nothing is ordered by a map.
package epub

import (
	"archive/zip"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bindery-books/bindery/book"
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
}

// file is an entry of the package, below OEBPS/.
type file struct {
	name       string
	mediaType  string
	data       []byte
	id         string
	properties string
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

// renderChapters renders every chapter's XHTML, concurrently.
func (p *packager) renderChapters() ([][]byte, error) {
	out := make([][]byte, len(p.b.Chapters))
	errs := make([]error, len(p.b.Chapters))
	var wg sync.WaitGroup
	var done int
	var doneMu sync.Mutex
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, ch := range p.b.Chapters {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = p.chapterPage(ch)
			if p.cfg.Progress != nil {
				doneMu.Lock()
				done++
				p.cfg.Progress(done, len(p.b.Chapters))
				doneMu.Unlock()
			}
		}()
	}
	wg.Wait()
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
	clean, err := wellFormed(string(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ch.Path, err)
	}
	if strings.Contains(clean, "<math") {
		p.mu.Lock()
		p.math[ch.ID+".xhtml"] = true
		p.mu.Unlock()
	}
	var s strings.Builder
	label := ch.Label()
	if ch.Part != nil {
		label = ch.Part.Title + " · " + label
	}
	anchor := ""
	if h := ch.TitleHeading; h != nil {
		anchor = `<span id="` + esc(h.ID) + `"></span>`
	}
	// The label is inside the heading, so that no converter sets it on a
	// page of its own.
	fmt.Fprintf(&s, "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"_top\">\n%s<h1 id=\"_top\"%s><span class=\"chapter-number\">%s</span> %s%s</h1>\n%s</section>\n",
		markers(opening), p.titleDir(ch.Title), esc(label), anchor, esc(ch.Title), clean)
	return p.page(ch.Title, "bodymatter", s.String()), nil
}

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
	lang := esc(p.b.Meta.Language)
	var s strings.Builder
	s.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<!DOCTYPE html>\n")
	dir := ""
	if p.bookDir() == "rtl" {
		dir = ` dir="rtl"`
	}
	fmt.Fprintf(&s, `<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="%s" xml:lang="%s"%s>`+"\n", lang, lang, dir)
	fmt.Fprintf(&s, "<head>\n<meta charset=\"UTF-8\" />\n<title>%s</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\" />\n</head>\n", esc(title))
	if bodyType == "cover" {
		s.WriteString("<body epub:type=\"cover\" class=\"cover\">\n")
	} else if bodyType != "" {
		fmt.Fprintf(&s, "<body epub:type=\"%s\">\n", bodyType)
	} else {
		s.WriteString("<body>\n")
	}
	s.WriteString(body)
	s.WriteString("</body>\n</html>\n")
	return []byte(s.String())
}

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
// OEBPS files in a fixed order, all stamped with the book's time.
func (p *packager) zip(w io.Writer, files []*file) error {
	zw := zip.NewWriter(w)
	mod := p.b.Modified
	if mod.Year() < 1980 {
		mod = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	dosDate := uint16(mod.Day() + int(mod.Month())<<5 + (mod.Year()-1980)<<9)
	dosTime := uint16(mod.Second()/2 + mod.Minute()<<5 + mod.Hour()<<11)
	put := func(name string, data []byte, method uint16) error {
		// DOS time fields only: a Modified time would add an extra field,
		// which EPUB forbids on mimetype.
		h := &zip.FileHeader{Name: name, Method: method, ModifiedDate: dosDate, ModifiedTime: dosTime}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = fw.Write(data)
		return err
	}
	if err := put("mimetype", []byte("application/epub+zip"), zip.Store); err != nil {
		return err
	}
	container := `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`
	if err := put("META-INF/container.xml", []byte(container), zip.Deflate); err != nil {
		return err
	}
	for _, f := range files {
		if err := put("OEBPS/"+f.name, f.data, zip.Deflate); err != nil {
			return fmt.Errorf("epub: write %s: %w", f.name, err)
		}
	}
	return zw.Close()
}

// sortedResources returns the images and diagrams by name.
func (p *packager) sortedResources() []*file {
	var rs []*file
	for _, f := range p.resources {
		rs = append(rs, f)
	}
	slices.SortFunc(rs, func(a, b *file) int { return strings.Compare(a.name, b.name) })
	return rs
}
