package epub

import (
	"bytes"

	"github.com/bindery-books/bindery/book"
)

// Page is one XHTML document of the EPUB, with the files it refers to.
// Written into one folder with style.css, a book's pages link to one
// another, their pictures and diagrams as they do in the EPUB: a live
// preview serves them as they are.
type Page struct {
	// Name is the document's name in the package: "overview.xhtml".
	Name string
	// Data is the document, as the EPUB carries it.
	Data []byte
	// Resources are the pictures and diagrams the document shows, and the
	// continuation mark the stylesheet draws in its code, by name.
	Resources []Resource
}

// Resource is a file a page refers to: a picture or a diagram.
type Resource struct {
	// Name is the file's name in the package: "images/map-1a2b3c4d.png",
	// "diagrams/overview-1.svg".
	Name      string
	MediaType string
	Data      []byte
}

// ChapterPage renders chapter ch of book b as the EPUB's document for it.
func ChapterPage(b *book.Book, ch *book.Chapter) (Page, error) {
	p := &packager{b: b, resources: map[string]*file{}, math: map[string]bool{}}
	data, err := p.chapterPage(ch)
	if err != nil {
		return Page{}, err
	}
	rs := p.resourceList()
	if bytes.Contains(data, []byte(`<span class="cl `)) {
		// The stylesheet draws it before each code line's continuation.
		rs = append(rs, Resource{Name: continuationFile, MediaType: "image/svg+xml", Data: []byte(continuationMark)})
	}
	return Page{Name: ch.ID + ".xhtml", Data: data, Resources: rs}, nil
}

// PartPage renders the page that opens part pt of book b.
func PartPage(b *book.Book, pt *book.Part) Page {
	p := &packager{b: b}
	return Page{Name: pt.ID + ".xhtml", Data: p.partPage(pt)}
}

// Stylesheet returns the stylesheet of b's EPUB, style.css, which every
// page links to.
func Stylesheet(b *book.Book) []byte { return stylesheet() }

// resourceList returns the pictures and diagrams the pages rendered so far
// refer to, by name.
func (p *packager) resourceList() []Resource {
	var rs []Resource
	for _, f := range p.sortedResources() {
		rs = append(rs, Resource{Name: f.name, MediaType: f.mediaType, Data: f.data})
	}
	return rs
}
