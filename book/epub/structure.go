package epub

import (
	"crypto/sha1"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bindery-books/bindery/book"
)

// files returns every file of the package below OEBPS/, in package order.
func (p *packager) files(chapters []*entry) ([]*file, error) {
	b := p.b
	var fs []*file
	add := func(f *file) *file { fs = append(fs, f); return f }

	cover, err := p.coverFile, p.coverErr
	if err != nil {
		return nil, err
	}
	add(cover)
	add(&file{name: "cover.xhtml", mediaType: "application/xhtml+xml", id: "cover", properties: "svg", data: p.coverPage(cover)})
	add(&file{name: "title.xhtml", mediaType: "application/xhtml+xml", id: "titlepage", data: p.titlePage()})
	add(&file{name: "contents.xhtml", mediaType: "application/xhtml+xml", id: "contents", data: p.contentsPage()})
	add(&file{name: "nav.xhtml", mediaType: "application/xhtml+xml", id: "nav", properties: "nav", data: p.nav()})

	chapterFile := map[*book.Chapter]*entry{}
	for i, ch := range b.Chapters {
		chapterFile[ch] = chapters[i]
	}
	var spine []*file
	b.Walk(func(n book.Node, depth int) {
		switch n := n.(type) {
		case *book.Part:
			spine = append(spine, add(&file{name: n.ID + ".xhtml", mediaType: "application/xhtml+xml", id: n.ID, data: p.partPage(n)}))
		case *book.Chapter:
			f := &file{name: n.ID + ".xhtml", mediaType: "application/xhtml+xml", id: "ch-" + n.ID, packed: chapterFile[n]}
			if p.math[f.name] {
				f.properties = "mathml"
			}
			spine = append(spine, add(f))
		}
	})
	fontCSS, err := p.addFonts() // fonts.go
	if err != nil {
		return nil, err
	}
	add(&file{name: "style.css", mediaType: "text/css", id: "css", data: append(stylesheet(), fontCSS...)})
	add(&file{name: continuationFile, mediaType: "image/svg+xml", id: "continuation", data: []byte(continuationMark)})
	for i, r := range p.sortedResources() {
		r.id = "res-" + strconv.Itoa(i+1)
		if r.mediaType == "image/svg+xml" {
			r.id = "svg-" + strconv.Itoa(i+1)
		}
		add(r)
	}
	add(&file{name: "toc.ncx", mediaType: "application/x-dtbncx+xml", id: "ncx", data: p.ncx()})
	opf := &file{name: "content.opf", data: p.opf(fs, spine, cover)}
	return append([]*file{opf}, fs...), nil
}

func coverAlt(b *book.Book) string {
	s := b.Meta.Title
	if b.Meta.Subtitle != "" {
		s += ": " + b.Meta.Subtitle
	}
	if len(b.Meta.Authors) > 0 {
		s += ", by " + strings.Join(b.Meta.Authors, ", ")
	}
	return s
}

// cover returns the cover image: the configured one, else one drawn from the title.
func (p *packager) cover() (*file, error) {
	m := p.b.Meta
	if c := p.b.Cover; c != nil {
		return &file{name: "images/" + c.Name, mediaType: c.MediaType, id: "cover-image", properties: "cover-image", data: c.Data}, nil
	}
	data, err := coverOf(m.Title, m.Subtitle, strings.Join(m.Authors, ", "))
	if err != nil {
		return nil, fmt.Errorf("epub: cover: %w", err)
	}
	return &file{name: "images/cover.png", mediaType: "image/png", id: "cover-image", properties: "cover-image", data: data}, nil
}

func (p *packager) titlePage() []byte {
	m := p.b.Meta
	var s strings.Builder
	s.WriteString(`<section class="titlepage" epub:type="titlepage">` + "\n")
	fmt.Fprintf(&s, "<h1%s>%s</h1>\n", p.titleDir(m.Title), esc(m.Title))
	if m.Subtitle != "" {
		fmt.Fprintf(&s, "<p class=\"subtitle\"%s>%s</p>\n", p.titleDir(m.Subtitle), esc(m.Subtitle))
	}
	if len(m.Authors) > 0 {
		fmt.Fprintf(&s, "<p class=\"authors\">%s</p>\n", esc(strings.Join(m.Authors, ", ")))
	}
	if m.Description != "" {
		fmt.Fprintf(&s, "<p class=\"description\"%s>%s</p>\n", p.titleDir(m.Description), esc(m.Description))
	}
	if m.Publisher != "" {
		fmt.Fprintf(&s, "<p class=\"authors\">%s</p>\n", esc(m.Publisher))
	}
	if m.Rights != "" {
		fmt.Fprintf(&s, "<p class=\"description\">%s</p>\n", esc(m.Rights))
	}
	s.WriteString("</section>\n")
	return p.page(m.Title, "frontmatter", s.String())
}

// coverPage is the cover's page: the picture in an SVG that scales it to
// the screen, whole, on one page, as converters to other formats expect.
func (p *packager) coverPage(cover *file) []byte {
	w, h := coverW, coverH
	if c := p.b.Cover; c != nil && c.Width > 0 && c.Height > 0 {
		w, h = c.Width, c.Height
	}
	alt := esc("Cover: " + coverAlt(p.b))
	body := fmt.Sprintf(`<div class="cover"><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="100%%" height="100%%" viewBox="0 0 %d %d" preserveAspectRatio="xMidYMid meet" role="img" aria-label="%s"><title>%s</title><image width="%d" height="%d" xlink:href="%s"/></svg></div>`+"\n",
		w, h, alt, alt, w, h, esc(cover.name))
	return p.page("Cover", "cover", body)
}

func (p *packager) partPage(pt *book.Part) []byte {
	var s strings.Builder
	s.WriteString(`<section class="part" epub:type="part" role="doc-part" aria-labelledby="_top">` + "\n")
	var starts []book.PageStart
	for _, st := range p.cfg.PageList {
		if st.Part == pt {
			starts = append(starts, st)
		}
	}
	s.WriteString(markers(starts))
	if l := pt.Label(); l != "" {
		fmt.Fprintf(&s, "<p class=\"part-number\">%s</p>\n", esc(l))
	}
	fmt.Fprintf(&s, "<h1 id=\"_top\"%s>%s</h1>\n", p.titleDir(pt.Title), esc(pt.Title))
	if pt.Description != "" {
		fmt.Fprintf(&s, "<p class=\"description\"%s>%s</p>\n", p.titleDir(pt.Description), esc(pt.Description))
	}
	s.WriteString("</section>\n")
	return p.page(pt.Title, "bodymatter", s.String())
}

// tocList writes the contents as nested ordered lists; the nav document and
// the contents page share it.
func (p *packager) tocList(s *strings.Builder, nodes []book.Node, depth int) {
	indent := strings.Repeat("  ", depth)
	s.WriteString(indent + "<ol>\n")
	for _, n := range nodes {
		switch n := n.(type) {
		case *book.Part:
			fmt.Fprintf(s, "%s<li class=\"part\"><a href=\"%s.xhtml\"%s>%s</a>\n", indent, n.ID, p.titleDir(n.Title), esc(n.Title))
			p.tocList(s, n.Children, depth+1)
			s.WriteString(indent + "</li>\n")
		case *book.Chapter:
			fmt.Fprintf(s, "%s<li><a href=\"%s.xhtml\"%s>%s</a>", indent, n.ID, p.titleDir(n.Title), esc(n.Title))
			if es := n.Sections(p.b.Meta.TOCDepth); len(es) > 0 {
				s.WriteString("\n")
				p.writeTOCEntries(s, n.ID, es, indent+"  ")
				s.WriteString(indent)
			}
			s.WriteString("</li>\n")
		}
	}
	s.WriteString(indent + "</ol>\n")
}

// writeTOCEntries writes nested heading entries as list items.
func (p *packager) writeTOCEntries(s *strings.Builder, chID string, es []*book.Section, indent string) {
	s.WriteString(indent + "<ol>\n")
	for _, e := range es {
		fmt.Fprintf(s, "%s  <li><a href=\"%s.xhtml#%s\"%s>%s</a>", indent, chID, esc(e.Heading.ID), p.titleDir(e.Heading.Text), esc(e.Heading.Text))
		if len(e.Children) > 0 {
			s.WriteString("\n")
			p.writeTOCEntries(s, chID, e.Children, indent+"    ")
			s.WriteString(indent + "  ")
		}
		s.WriteString("</li>\n")
	}
	s.WriteString(indent + "</ol>\n")
}

func (p *packager) contentsPage() []byte {
	var s strings.Builder
	s.WriteString(`<section class="contents" epub:type="toc" role="doc-toc" aria-labelledby="_top">` + "\n<h1 id=\"_top\">Contents</h1>\n")
	p.tocList(&s, p.b.Contents, 0)
	s.WriteString("</section>\n")
	return p.page("Contents", "frontmatter", s.String())
}

func (p *packager) nav() []byte {
	var s strings.Builder
	s.WriteString(`<nav epub:type="toc" id="toc" role="doc-toc">` + "\n<h1>Contents</h1>\n")
	p.tocList(&s, p.b.Contents, 0)
	s.WriteString("</nav>\n")
	if len(p.cfg.PageList) > 0 {
		s.WriteString(`<nav epub:type="page-list" id="page-list" role="doc-pagelist" aria-label="Pages" hidden="hidden">` + "\n<ol>\n")
		for _, st := range p.cfg.PageList {
			fmt.Fprintf(&s, "  <li><a href=\"%s#%s\">%s</a></li>\n", pageFile(st), pageID(st.Label), esc(st.Label))
		}
		s.WriteString("</ol>\n</nav>\n")
	}
	first := p.firstBodyFile()
	fmt.Fprintf(&s, `<nav epub:type="landmarks" id="landmarks" hidden="hidden">
<h2>Landmarks</h2>
<ol>
  <li><a epub:type="cover" href="cover.xhtml">Cover</a></li>
  <li><a epub:type="titlepage" href="title.xhtml">Title Page</a></li>
  <li><a epub:type="toc" href="contents.xhtml">Contents</a></li>
  <li><a epub:type="bodymatter" href="%s">Start of Content</a></li>
</ol>
</nav>
`, first)
	return p.page("Contents", "", s.String())
}

// pageFile is the file a page starts in.
func pageFile(s book.PageStart) string {
	if s.Part != nil {
		return s.Part.ID + ".xhtml"
	}
	return s.Chapter.ID + ".xhtml"
}

// firstBodyFile is the file the body begins with: the first part or chapter.
func (p *packager) firstBodyFile() string {
	first := ""
	p.b.Walk(func(n book.Node, _ int) {
		if first != "" {
			return
		}
		switch n := n.(type) {
		case *book.Part:
			first = n.ID + ".xhtml"
		case *book.Chapter:
			first = n.ID + ".xhtml"
		}
	})
	return first
}

func (p *packager) ncx() []byte {
	var s strings.Builder
	order := 0
	var depth, maxDepth int
	var points func(nodes []book.Node, indent string)
	points = func(nodes []book.Node, indent string) {
		depth++
		maxDepth = max(maxDepth, depth)
		for _, n := range nodes {
			order++
			switch n := n.(type) {
			case *book.Part:
				fmt.Fprintf(&s, "%s<navPoint id=\"np-%d\" playOrder=\"%d\"><navLabel><text>%s</text></navLabel><content src=\"%s.xhtml\"/>\n", indent, order, order, esc(n.Title), n.ID)
				points(n.Children, indent+"  ")
				s.WriteString(indent + "</navPoint>\n")
			case *book.Chapter:
				fmt.Fprintf(&s, "%s<navPoint id=\"np-%d\" playOrder=\"%d\"><navLabel><text>%s</text></navLabel><content src=\"%s.xhtml\"/>\n", indent, order, order, esc(n.Title), n.ID)
				var entries func(es []*book.Section, indent string, d int)
				entries = func(es []*book.Section, indent string, d int) {
					for _, e := range es {
						order++
						maxDepth = max(maxDepth, d)
						fmt.Fprintf(&s, "%s<navPoint id=\"np-%d\" playOrder=\"%d\"><navLabel><text>%s</text></navLabel><content src=\"%s.xhtml#%s\"/>", indent, order, order, esc(e.Heading.Text), n.ID, esc(e.Heading.ID))
						if len(e.Children) > 0 {
							s.WriteString("\n")
							entries(e.Children, indent+"  ", d+1)
							s.WriteString(indent)
						}
						s.WriteString("</navPoint>\n")
					}
				}
				entries(n.Sections(p.b.Meta.TOCDepth), indent+"  ", depth+1)
				s.WriteString(indent + "</navPoint>\n")
			}
		}
		depth--
	}
	points(p.b.Contents, "    ")
	var out strings.Builder
	fmt.Fprintf(&out, `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="%s">
  <head>
    <meta name="dtb:uid" content="%s"/>
    <meta name="dtb:depth" content="%d"/>
    <meta name="dtb:totalPageCount" content="0"/>
    <meta name="dtb:maxPageNumber" content="0"/>
  </head>
  <docTitle><text>%s</text></docTitle>
  <navMap>
`, esc(p.b.Meta.Language), esc(p.b.Meta.Identifier), maxDepth, esc(p.b.Meta.Title))
	out.WriteString(s.String())
	out.WriteString("  </navMap>\n</ncx>\n")
	return []byte(out.String())
}

func (p *packager) opf(files []*file, spine []*file, cover *file) []byte {
	m := p.b.Meta
	var s strings.Builder
	fmt.Fprintf(&s, `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="%s">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="bookid">%s</dc:identifier>
    <dc:title id="title">%s</dc:title>
    <meta refines="#title" property="title-type">main</meta>
`, esc(m.Language), esc(m.Identifier), esc(m.Title))
	if m.Subtitle != "" {
		fmt.Fprintf(&s, "    <dc:title id=\"subtitle\">%s</dc:title>\n    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n", esc(m.Subtitle))
	}
	for i, a := range m.Authors {
		fmt.Fprintf(&s, "    <dc:creator id=\"creator%d\">%s</dc:creator>\n    <meta refines=\"#creator%d\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n", i+1, esc(a), i+1)
	}
	fmt.Fprintf(&s, "    <dc:language>%s</dc:language>\n", esc(m.Language))
	stamp := p.b.Modified.UTC().Format(time.RFC3339)
	// dc:date is the publication date: an undated book claims none, as its
	// PDF shows none. dcterms:modified is required, the epoch if need be.
	if p.b.Dated {
		fmt.Fprintf(&s, "    <dc:date>%s</dc:date>\n", stamp)
	}
	fmt.Fprintf(&s, "    <meta property=\"dcterms:modified\">%s</meta>\n", stamp)
	if m.Description != "" {
		fmt.Fprintf(&s, "    <dc:description>%s</dc:description>\n", esc(m.Description))
	}
	for _, t := range m.Tags {
		fmt.Fprintf(&s, "    <dc:subject>%s</dc:subject>\n", esc(t))
	}
	if m.Publisher != "" {
		fmt.Fprintf(&s, "    <dc:publisher>%s</dc:publisher>\n", esc(m.Publisher))
	}
	if m.Rights != "" {
		fmt.Fprintf(&s, "    <dc:rights>%s</dc:rights>\n", esc(m.Rights))
	}
	if len(p.cfg.PageList) > 0 {
		fmt.Fprintf(&s, "    <dc:source id=\"print-source\">%s</dc:source>\n    <meta refines=\"#print-source\" property=\"source-of\">pagination</meta>\n",
			esc(p.pageSource()))
	}
	p.accessibility(&s, files, cover)
	fmt.Fprintf(&s, "    <meta name=\"cover\" content=\"%s\"/>\n", cover.id)
	fmt.Fprintf(&s, "    <meta name=\"generator\" content=\"Bindery\"/>\n")
	s.WriteString("  </metadata>\n  <manifest>\n")
	for _, f := range files {
		fmt.Fprintf(&s, "    <item id=\"%s\" href=\"%s\" media-type=\"%s\"", f.id, esc(f.name), f.mediaType)
		if f.properties != "" {
			fmt.Fprintf(&s, " properties=\"%s\"", f.properties)
		}
		s.WriteString("/>\n")
	}
	s.WriteString("  </manifest>\n  <spine toc=\"ncx\"")
	if p.bookDir() == "rtl" {
		s.WriteString(` page-progression-direction="rtl"`)
	}
	s.WriteString(">\n")
	s.WriteString("    <itemref idref=\"cover\" linear=\"yes\"/>\n    <itemref idref=\"titlepage\"/>\n    <itemref idref=\"contents\"/>\n")
	for _, f := range spine {
		fmt.Fprintf(&s, "    <itemref idref=\"%s\"/>\n", f.id)
	}
	s.WriteString("  </spine>\n")
	// The guide, from EPUB 2, is what older readers and converters (such
	// as calibre's, to Kindle formats) find the cover and the start by.
	fmt.Fprintf(&s, `  <guide>
    <reference type="cover" title="Cover" href="cover.xhtml"/>
    <reference type="toc" title="Contents" href="contents.xhtml"/>
    <reference type="text" title="Start of Content" href="%s"/>
  </guide>
`, p.firstBodyFile())
	s.WriteString("</package>\n")
	return []byte(s.String())
}

// pageSource is the identifier of the print edition the page list comes
// from: a name-based UUID of the book's identifier and the edition.
func (p *packager) pageSource() string {
	return "urn:uuid:" + uuid5(p.b.Meta.Identifier+"\x00"+p.cfg.PageSource)
}

// uuid5 returns a name-based UUID (RFC 9562 version 5) in the URL namespace.
func uuid5(name string) string {
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// accessibility writes the accessibility metadata of EPUB Accessibility
// 1.1, claiming only what the book has: pictures with text alternatives,
// MathML, page break markers and a page list when it carries them, and
// conformance to WCAG 2.2 AA only when every picture has its alternative.
func (p *packager) accessibility(s *strings.Builder, files []*file, cover *file) {
	hasImages, hasMath := false, false
	for _, f := range files {
		if strings.HasPrefix(f.mediaType, "image/") && f != cover && f.name != continuationFile {
			hasImages = true
		}
		if strings.Contains(f.properties, "mathml") {
			hasMath = true
		}
	}
	described := !p.noAlt
	modes := []string{"textual"}
	if hasImages {
		modes = append(modes, "visual")
	}
	for _, am := range modes {
		fmt.Fprintf(s, "    <meta property=\"schema:accessMode\">%s</meta>\n", am)
	}
	if described {
		s.WriteString("    <meta property=\"schema:accessModeSufficient\">textual</meta>\n")
	}
	if hasImages {
		s.WriteString("    <meta property=\"schema:accessModeSufficient\">textual,visual</meta>\n")
	}
	features := []string{"structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"}
	if hasImages && described {
		features = append(features, "alternativeText")
	}
	if hasMath {
		features = append(features, "MathML")
	}
	if len(p.cfg.PageList) > 0 {
		features = append(features, "pageBreakMarkers", "pageNavigation")
	}
	for _, f := range features {
		fmt.Fprintf(s, "    <meta property=\"schema:accessibilityFeature\">%s</meta>\n", f)
	}
	s.WriteString("    <meta property=\"schema:accessibilityHazard\">none</meta>\n")
	summary := "Text with a structured table of contents and headings in reading order; code is text, not images; the text reflows, and its colours hold their contrast in light and dark reading modes."
	if hasImages && described {
		summary += " Images and diagrams carry alternative text describing their content."
	}
	if hasMath {
		summary += " Formulas are MathML, with their TeX source as alternative text."
	}
	if len(p.cfg.PageList) > 0 {
		summary += " Page break markers and a page list follow the pages of the print edition."
	}
	if described {
		s.WriteString("    <meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>\n")
		if c := p.b.Meta.CertifiedBy; c != "" {
			fmt.Fprintf(s, "    <meta property=\"a11y:certifiedBy\">%s</meta>\n", esc(c))
		}
	} else {
		summary += " Some images lack alternative text."
	}
	fmt.Fprintf(s, "    <meta property=\"schema:accessibilitySummary\">%s</meta>\n", summary)
}
