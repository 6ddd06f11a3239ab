package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
)

// site is one build of the preview: every page of the book as served, and
// the files they refer to. A site never changes once built: requests read
// the current one, and each build makes the next from the last, rendering
// again only the pages whose inputs changed.
type site struct {
	build int
	// took is how long the build took.
	took  time.Duration
	title string
	slug  string
	// pages are by URL path: "/" is the contents, "/overview.xhtml" a
	// chapter, "/part-1.xhtml" a part.
	pages map[string]*sitePage
	// order lists the paths of the parts and chapters in reading order.
	order     []string
	resources map[string]epub.Resource // by URL path: "/images/x.png"
	style     []byte
	styleRev  string
	// fingerprint changes whenever the book does: downloads are kept
	// by it.
	fingerprint string
	// failure holds the errors of the last build when it made no book;
	// the pages are then those of the last good build.
	failure []book.Diagnostic
	// problems are the book's warnings and errors.
	problems []book.Diagnostic
	// hasErrors is set when the book has errors: it cannot be written.
	hasErrors bool
	// rootDisplay is the content root as messages name it.
	rootDisplay string
	// lang, subtitle, authors and toc make the contents page; toc is its
	// list of parts and chapters.
	lang, subtitle, authors, toc string
}

// sitePage is one page of a site.
type sitePage struct {
	path  string
	title string
	// file is the display path of a chapter's source, as problems name it.
	file string
	// key names everything the page's EPUB document is made from.
	key string
	// doc is the EPUB document (nil for the contents, which the preview
	// makes itself).
	doc       []byte
	resources []epub.Resource
	// data is the page as served: doc with the preview's bar, problems and
	// script. rev is a digest of it and of the files it shows.
	data []byte
	rev  string
	// memo names what surrounds the document in data: data is kept
	// while it and the document stay the same.
	memo string
}

// revHole and styleHole stand for the page's revision and the
// stylesheet's in a page's data while its digest is taken: a page does
// not change because its digest or the stylesheet did.
const (
	revHole   = "\x00rev\x00"
	styleHole = "\x00style\x00"
)

func digest(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// unit is one page of the book to render: a part or a chapter.
type unit struct {
	path, title string
	file        string
	key         string
	render      func() (epub.Page, error)
}

// chapterKey names what the EPUB document of chapter ch is made from,
// besides its resolved AST, whose revision rev counts the changes the
// Reloader reported.
func chapterKey(b *book.Book, ch *book.Chapter, rev int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "chapter %s %d %s %d %q %#v\n", ch.File, rev, ch.ID, ch.Number, ch.Title, ch.FrontMatter)
	for p := ch.Part; p != nil; {
		fmt.Fprintf(&s, "part %s %q %q\n", p.ID, p.Title, p.Label())
		p = parentPart(b, p)
	}
	if h := ch.TitleHeading; h != nil {
		fmt.Fprintf(&s, "title heading %s\n", h.ID)
	}
	fmt.Fprintf(&s, "%#v\n", b.Meta)
	return s.String()
}

// parentPart returns the part holding part p, or nil.
func parentPart(b *book.Book, p *book.Part) *book.Part {
	for _, q := range b.Parts {
		if slices.Contains(q.Children, book.Node(p)) {
			return q
		}
	}
	return nil
}

func partKey(b *book.Book, pt *book.Part) string {
	return fmt.Sprintf("part %s %q %q %q %#v", pt.ID, pt.Title, pt.Label(), pt.Description, b.Meta)
}

// newSite makes the site of book b, reusing the pages of the last site
// whose keys did not change. revs holds each chapter's revision.
func newSite(last *site, b *book.Book, loadErr error, revs map[string]int, build int) *site {
	st := &site{
		build:       build,
		title:       b.Meta.Title,
		slug:        slug(b.Meta.Title),
		pages:       map[string]*sitePage{},
		resources:   map[string]epub.Resource{},
		style:       epub.Stylesheet(b),
		problems:    b.Diagnostics.Sorted(),
		hasErrors:   loadErr != nil,
		rootDisplay: b.Root(),
		lang:        b.Meta.Language,
		subtitle:    b.Meta.Subtitle,
		authors:     strings.Join(b.Meta.Authors, ", "),
		toc:         tocHTML(b),
	}
	st.styleRev = digest(st.style)
	var units []unit
	b.Walk(func(n book.Node, depth int) {
		switch n := n.(type) {
		case *book.Part:
			units = append(units, unit{path: "/" + n.ID + ".xhtml", title: n.Title, key: partKey(b, n),
				render: func() (epub.Page, error) { return epub.PartPage(b, n), nil }})
		case *book.Chapter:
			units = append(units, unit{path: "/" + n.ID + ".xhtml", title: n.Title, file: n.Path, key: chapterKey(b, n, revs[n.File]),
				render: func() (epub.Page, error) { return epub.ChapterPage(b, n) }})
		}
	})
	pages := make([]*sitePage, len(units))
	var renderProblems []book.Diagnostic
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, u := range units {
		st.order = append(st.order, u.path)
		p := &sitePage{path: u.path, title: u.title, file: u.file, key: u.key}
		pages[i] = p
		if last != nil {
			if lp := last.pages[u.path]; lp != nil && lp.key == u.key && lp.doc != nil {
				p.doc, p.resources = lp.doc, lp.resources
				continue
			}
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			pg, err := renderSafely(u.render)
			if err == nil {
				p.doc, p.resources = pg.Data, pg.Resources
				return
			}
			mu.Lock()
			renderProblems = append(renderProblems, book.Diagnostic{Msg: "preview: " + err.Error()})
			mu.Unlock()
			// Keep the last good page, else say what went wrong.
			if lp := last.pageOrNil(u.path); lp != nil && lp.doc != nil {
				p.doc, p.resources = lp.doc, lp.resources
				return
			}
			p.doc = errorDoc(u.title, err.Error())
		}()
	}
	wg.Wait()
	st.problems = append(st.problems, renderProblems...)
	for _, p := range pages {
		st.pages[p.path] = p
		for _, r := range p.resources {
			st.resources["/"+r.Name] = r
		}
	}
	st.assemble(last)
	st.fingerprint = st.fingerprintOf(b)
	return st
}

// renderSafely renders a page; a bug met on some input is an error of
// that page, not the end of the preview.
func renderSafely(render func() (epub.Page, error)) (pg epub.Page, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v (please report it)", r)
		}
	}()
	return render()
}

func (st *site) pageOrNil(path string) *sitePage {
	if st == nil {
		return nil
	}
	return st.pages[path]
}

// failed returns the site of a build that made no book: the last good
// pages, each with the errors over it.
func failed(last *site, err error, rootDisplay string, build int) *site {
	st := &site{build: build, pages: map[string]*sitePage{}, resources: map[string]epub.Resource{}, rootDisplay: rootDisplay}
	if last != nil {
		st.title, st.slug, st.order, st.resources = last.title, last.slug, last.order, last.resources
		st.style, st.styleRev, st.problems = last.style, last.styleRev, last.problems
		st.lang, st.subtitle, st.authors, st.toc = last.lang, last.subtitle, last.authors, last.toc
		for path, p := range last.pages {
			if p.doc != nil {
				st.pages[path] = &sitePage{path: path, title: p.title, file: p.file, key: p.key, doc: p.doc, resources: p.resources}
			}
		}
	} else {
		st.title, st.lang = "The book does not build", "en"
		st.style = epub.Stylesheet(nil)
		st.styleRev = digest(st.style)
	}
	st.failure = problemsOf(err)
	st.hasErrors = true
	st.assemble(last)
	st.fingerprint = "failed " + strconv.Itoa(build)
	return st
}

// problemsOf returns the problems an error of loading joins.
func problemsOf(err error) []book.Diagnostic {
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var ds []book.Diagnostic
	for _, e := range errs {
		var d book.Diagnostic
		if errors.As(e, &d) {
			ds = append(ds, d)
		} else {
			ds = append(ds, book.Diagnostic{Msg: e.Error()})
		}
	}
	return ds
}

func (st *site) fingerprintOf(b *book.Book) string {
	var parts [][]byte
	parts = append(parts, []byte(fmt.Sprintf("%#v", b.Meta)), st.style)
	if b.Cover != nil {
		parts = append(parts, []byte(b.Cover.Name))
	}
	for _, path := range st.order {
		p := st.pages[path]
		parts = append(parts, []byte(p.key), []byte(p.rev))
	}
	return digest(parts...)
}

// assemble makes the served data of every page: the contents, and each
// part and chapter with the preview's bar, its problems and the script.
func (st *site) assemble(last *site) {
	byFile := map[string][]book.Diagnostic{}
	for _, d := range st.problems {
		byFile[d.Pos.File] = append(byFile[d.Pos.File], d)
	}
	for i, path := range st.order {
		p := st.pages[path]
		if p == nil {
			continue
		}
		var prev, next *sitePage
		if i > 0 {
			prev = st.pages[st.order[i-1]]
		}
		if i+1 < len(st.order) {
			next = st.pages[st.order[i+1]]
		}
		var problems []book.Diagnostic
		if p.file != "" {
			problems = byFile[p.file]
		}
		// A page whose document and surroundings did not change is
		// served as it was.
		var memo strings.Builder
		fmt.Fprintf(&memo, "%q %q %v\n", st.title, st.slug, st.failure)
		for _, q := range []*sitePage{prev, next} {
			if q != nil {
				fmt.Fprintf(&memo, "%s %q\n", q.path, q.title)
			}
		}
		for _, d := range problems {
			memo.WriteString(d.Error() + "\n")
		}
		p.memo = memo.String()
		if lp := last.pageOrNil(path); lp != nil && lp.memo == p.memo && sameBytes(lp.doc, p.doc) {
			p.data, p.rev = lp.data, lp.rev
			continue
		}
		st.chrome(p, prev, next, problems)
	}
	contents := &sitePage{path: "/", title: st.title, doc: st.contentsDoc()}
	st.pages["/"] = contents
	st.chrome(contents, nil, nil, nil)
}

// sameBytes reports whether a and b are the same slice: a document kept
// from the last build.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// chrome makes a page's served data from its document: the preview's
// stylesheet, script and revisions in its head, the bar at the top of its
// body, and at the bottom the problems found in its source and the errors
// of a build that failed.
func (st *site) chrome(p, prev, next *sitePage, problems []book.Diagnostic) {
	doc := p.doc
	head := bytes.Index(doc, []byte("</head>"))
	body := -1
	if head >= 0 {
		if i := bytes.Index(doc[head:], []byte("<body")); i >= 0 {
			if j := bytes.IndexByte(doc[head+i:], '>'); j >= 0 {
				body = head + i + j + 1
			}
		}
	}
	end := bytes.LastIndex(doc, []byte("</body>"))
	if head < 0 || body < 0 || end < body {
		p.data, p.rev = doc, digest(doc)
		return
	}
	var b bytes.Buffer
	b.Write(doc[:head])
	fmt.Fprintf(&b, "<meta name=\"bindery-page\" content=\"%s\" />\n", esc(p.path))
	b.WriteString("<meta name=\"bindery-rev\" content=\"" + revHole + "\" />\n")
	b.WriteString("<meta name=\"bindery-style\" content=\"" + styleHole + "\" />\n")
	b.WriteString("<link rel=\"stylesheet\" type=\"text/css\" href=\"/_bindery/live.css\" />\n")
	b.WriteString("<script src=\"/_bindery/live.js\" defer=\"defer\"></script>\n")
	b.Write(doc[head:body])
	b.WriteString("\n")
	st.bar(&b, p, prev, next)
	b.Write(doc[body:end])
	st.panels(&b, problems)
	b.Write(doc[end:])

	// The digest covers the page but for its holes, and the files it
	// shows: a diagram drawn anew keeps its name.
	data := b.Bytes()
	parts := [][]byte{bytes.ReplaceAll(bytes.ReplaceAll(data, []byte(revHole), nil), []byte(styleHole), nil)}
	for _, r := range p.resources {
		parts = append(parts, []byte(r.Name), r.Data)
	}
	p.rev = digest(parts...)
	data = bytes.Replace(data, []byte(revHole), []byte(p.rev), 1)
	p.data = bytes.Replace(data, []byte(styleHole), []byte(st.styleRev), 1)
}

func esc(s string) string { return html.EscapeString(s) }

// bar writes the preview's bar: the book's title, the pages before and
// after, and the downloads.
func (st *site) bar(b *bytes.Buffer, p, prev, next *sitePage) {
	b.WriteString(`<nav class="bindery-bar" aria-label="Preview">` + "\n")
	fmt.Fprintf(b, `<a class="bindery-home" href="/">%s</a>`+"\n", esc(st.title))
	if prev != nil {
		fmt.Fprintf(b, `<a class="bindery-prev" rel="prev" href="%s">← %s</a>`+"\n", esc(prev.path), esc(prev.title))
	}
	if next != nil {
		fmt.Fprintf(b, `<a class="bindery-next" rel="next" href="%s">%s →</a>`+"\n", esc(next.path), esc(next.title))
	}
	if st.slug != "" {
		fmt.Fprintf(b, `<span class="bindery-downloads"><a href="/_bindery/download/%[1]s.epub">EPUB</a> <a href="/_bindery/download/%[1]s.pdf">PDF</a></span>`+"\n", esc(st.slug))
	}
	b.WriteString("</nav>\n")
}

// panels writes the problems found in a page's source, and the errors of
// a build that failed.
func (st *site) panels(b *bytes.Buffer, problems []book.Diagnostic) {
	if len(st.failure) > 0 {
		b.WriteString(`<aside id="bindery-failure" class="bindery-overlay bindery-failure" role="alert">` + closeButton)
		b.WriteString("<p><strong>The book does not build.</strong> This is the last version that did.</p>\n")
		st.problemList(b, st.failure)
		b.WriteString("</aside>\n")
	}
	if len(problems) > 0 {
		b.WriteString(`<aside id="bindery-problems" class="bindery-overlay bindery-problems" role="status">` + closeButton)
		fmt.Fprintf(b, "<p><strong>%s in this chapter</strong></p>\n", count(len(problems), "problem"))
		st.problemList(b, problems)
		b.WriteString("</aside>\n")
	}
}

const closeButton = "\n<button type=\"button\" class=\"bindery-close\" aria-label=\"Close\">×</button>\n"

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// problemList writes problems, each linking to its line in the source.
func (st *site) problemList(b *bytes.Buffer, ds []book.Diagnostic) {
	b.WriteString(`<ul class="bindery-list">` + "\n")
	for _, d := range ds {
		class := "error"
		if d.Level == book.LevelWarning {
			class = "warning"
		}
		fmt.Fprintf(b, `<li class="%s">`, class)
		if at := d.Pos.String(); at != "" {
			if href := st.sourceHref(d.Pos); href != "" {
				fmt.Fprintf(b, `<a href="%s">%s</a>: `, esc(href), esc(at))
			} else {
				b.WriteString(esc(at) + ": ")
			}
		}
		msg := d.Msg
		if d.Level == book.LevelWarning {
			msg = "warning: " + msg
		}
		b.WriteString(esc(msg) + "</li>\n")
	}
	b.WriteString("</ul>\n")
}

// sourceHref returns the address of a position in the source view, or ""
// for a file outside the content root.
func (st *site) sourceHref(pos book.Pos) string {
	if pos.File == "" || st.rootDisplay == "" {
		return ""
	}
	rel, err := filepath.Rel(st.rootDisplay, pos.File)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return ""
	}
	href := sourcePrefix + escapePath(filepath.ToSlash(rel))
	if pos.Line > 0 {
		href += "#L" + strconv.Itoa(pos.Line)
	}
	return href
}

// xhtmlDoc wraps a body in an XHTML document that links the book's
// stylesheet, as the EPUB's pages do.
func xhtmlDoc(lang, title, body string) []byte {
	var s strings.Builder
	s.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<!DOCTYPE html>\n")
	fmt.Fprintf(&s, `<html xmlns="http://www.w3.org/1999/xhtml" lang="%[1]s" xml:lang="%[1]s">`+"\n", esc(lang))
	fmt.Fprintf(&s, "<head>\n<meta charset=\"UTF-8\" />\n<title>%s</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"/style.css\" />\n</head>\n<body>\n", esc(title))
	s.WriteString(body)
	s.WriteString("</body>\n</html>\n")
	return []byte(s.String())
}

// errorDoc is the page of a chapter that could not be rendered.
func errorDoc(title, msg string) []byte {
	return xhtmlDoc("en", title, fmt.Sprintf("<h1>%s</h1>\n<p class=\"bindery-error\">%s</p>\n", esc(title), esc(msg)))
}

// tocHTML returns the list of the book's parts and chapters, with the
// sections its contents list.
func tocHTML(b *book.Book) string {
	var s strings.Builder
	var list func(ns []book.Node)
	list = func(ns []book.Node) {
		s.WriteString("<ol>\n")
		for _, n := range ns {
			switch n := n.(type) {
			case *book.Part:
				label := n.Title
				if l := n.Label(); l != "" {
					label = l + " · " + label
				}
				fmt.Fprintf(&s, `<li class="part"><a href="/%s.xhtml">%s</a>`+"\n", esc(n.ID), esc(label))
				list(n.Children)
				s.WriteString("</li>\n")
			case *book.Chapter:
				fmt.Fprintf(&s, `<li class="chapter"><a href="/%s.xhtml">%s · %s</a>`, esc(n.ID), esc(n.Label()), esc(n.Title))
				sections(&s, n, n.Sections(b.Meta.TOCDepth))
				s.WriteString("</li>\n")
			}
		}
		s.WriteString("</ol>\n")
	}
	list(b.Contents)
	return s.String()
}

func sections(s *strings.Builder, ch *book.Chapter, ss []*book.Section) {
	if len(ss) == 0 {
		return
	}
	s.WriteString("\n<ol>\n")
	for _, sec := range ss {
		fmt.Fprintf(s, `<li><a href="/%s.xhtml#%s">%s</a>`, esc(ch.ID), esc(sec.Heading.ID), esc(sec.Heading.Text))
		sections(s, ch, sec.Children)
		s.WriteString("</li>\n")
	}
	s.WriteString("</ol>\n")
}

// contentsDoc makes the contents page: the book's title, its parts and
// chapters, the downloads and every problem of the book.
func (st *site) contentsDoc() []byte {
	var b bytes.Buffer
	b.WriteString(`<section class="bindery-contents">` + "\n")
	fmt.Fprintf(&b, "<h1>%s</h1>\n", esc(st.title))
	if st.subtitle != "" {
		fmt.Fprintf(&b, "<p class=\"subtitle\">%s</p>\n", esc(st.subtitle))
	}
	if st.authors != "" {
		fmt.Fprintf(&b, "<p class=\"authors\">%s</p>\n", esc(st.authors))
	}
	if st.toc != "" {
		b.WriteString(`<nav class="bindery-toc" aria-labelledby="contents">` + "\n<h2 id=\"contents\">Contents</h2>\n")
		b.WriteString(st.toc)
		b.WriteString("</nav>\n")
	}
	if st.slug != "" {
		b.WriteString("<h2 id=\"downloads\">Downloads</h2>\n")
		fmt.Fprintf(&b, `<p><a href="/_bindery/download/%[1]s.epub">%[1]s.epub</a> · <a href="/_bindery/download/%[1]s.pdf">%[1]s.pdf</a>`, esc(st.slug))
		if st.hasErrors {
			b.WriteString(" (not while the book has errors)")
		} else {
			b.WriteString(" (made when asked, kept until the sources change)")
		}
		b.WriteString("</p>\n")
	}
	b.WriteString("<h2 id=\"problems\">Problems</h2>\n")
	if len(st.problems) == 0 {
		b.WriteString("<p>None.</p>\n")
	} else {
		st.problemList(&b, st.problems)
	}
	b.WriteString("</section>\n")
	return xhtmlDoc(st.lang, st.title, b.String())
}
