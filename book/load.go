package book

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book/internal/par"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
)

// Load reads the book whose _index.md is in dir and returns it with every
// chapter parsed and resolved, in reading order. Problems of the sources
// are collected and returned together as one error, each as "file:line:
// message"; warnings stay in the book's Diagnostics. When only the
// chapters' contents have errors (a broken image, say), the book is
// returned with the error, its Diagnostics holding every problem.
func Load(dir string, opts Options) (*Book, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: no such folder", dir)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a folder", dir)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root := opts.Root
	if root == "" {
		root = dir
		for d := absDir; ; d = filepath.Dir(d) {
			if filepath.Base(d) == "content" {
				root = d
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(absRoot, absDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s: not inside the content root %s", dir, root)
	}
	// The site folder holds the content root, and Hugo's static/ and
	// assets/ with the images pages refer to by site path.
	site := filepath.Dir(absRoot)
	r, err := siteRoot(absRoot, site)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("%s: no such folder", root)
	}
	display := displayPath(absRoot)
	dirs := map[string]string{"": absRoot}
	for _, name := range []string{"static", "assets"} {
		e := extraRoot{name: name}
		er, err := siteRoot(filepath.Join(site, name), site)
		switch {
		case err != nil:
			e.refused = err
		case er == nil:
			continue
		default:
			e.fsys = er.FS()
			dirs[name] = filepath.Join(site, name)
		}
		opts.extra = append(opts.extra, e)
	}
	b, err := LoadFS(r.FS(), display, filepath.ToSlash(rel), opts)
	if b != nil {
		b.sources.dirs = dirs
	}
	return b, err
}

// displayPath returns p relative to the working folder when that is shorter.
func displayPath(abs string) string {
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && len(rel) < len(abs) {
		return rel
	}
	return abs
}

func displayJoin(display, name string) string {
	if display == "" || display == "." {
		return filepath.FromSlash(name)
	}
	return filepath.Join(display, filepath.FromSlash(name))
}

// LoadFS is Load on a file system rooted at the content root. display is how
// messages name the root ("content"); indexDir is the book's folder within
// fsys ("." for the root itself).
func LoadFS(fsys fs.FS, display, indexDir string, opts Options) (*Book, error) {
	ld, idx, err := start(fsys, display, indexDir, opts)
	if err != nil {
		return nil, err
	}
	b := ld.b
	before := b.Diagnostics.errors()
	b.Contents = ld.contentsOf(idx, 0)
	b.Contents = prune(b.Contents)
	if b.Diagnostics.errors() > before {
		// No book: the error carries the warnings too, or no one
		// would see them.
		return nil, b.Diagnostics.all()
	}
	b.number()
	if len(b.Chapters) == 0 {
		return nil, fmt.Errorf("%s: the book has no chapters", b.Index)
	}
	b.parseChapters()
	b.Modified = b.modified(ld)
	b.Dated = b.Modified.Unix() != 0
	b.resolveChapters()
	// A book whose chapters have problems is whole: return it with the
	// error, so a caller can print every diagnostic (and tests can render
	// it), but must not publish it.
	return b, b.Diagnostics.Err()
}

// start begins loading the book of LoadFS: it reads the index and
// book.yaml and returns the loader, ready to walk the index's contents,
// and the index page.
func start(fsys fs.FS, display, indexDir string, opts Options) (*loader, *page, error) {
	indexDir = path.Clean(indexDir)
	b := &Book{
		Diagnostics: &Diagnostics{Strict: opts.Strict},
		root:        display,
		indexDir:    indexDir,
		fsys:        fsys,
		byFile:      map[string]*Chapter{},
		statCache:   map[string]bool{},
		pictures:    map[string]*pictureEntry{},
		extra:       opts.extra,
	}
	b.fetch.enabled, b.fetch.client = opts.FetchRemote, opts.HTTPClient
	opts.reuse.begin(b)
	ld := &loader{b: b, opts: opts, pages: map[string]*page{}, listed: map[string]Pos{}}
	indexFile := path.Join(indexDir, "_index.md")
	b.Index = displayJoin(display, indexFile)
	if !b.isFile(indexFile) {
		dir := displayJoin(display, indexDir)
		if _, err := fs.Stat(fsys, indexDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			msg, _ := fileError(err)
			return nil, nil, fmt.Errorf("%s: %s", dir, msg)
		}
		if b.isFile(path.Join(indexDir, "index.md")) {
			return nil, nil, fmt.Errorf("%s: no _index.md (index.md makes a page, not a section)", dir)
		}
		if _, err := fs.Stat(fsys, indexFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
			msg, _ := fileError(err)
			return nil, nil, fmt.Errorf("%s: %s", b.Index, msg)
		} else if err == nil {
			return nil, nil, fmt.Errorf("%s: not a regular file", b.Index)
		}
		return nil, nil, fmt.Errorf("%s: no _index.md", dir)
	}
	idx, err := ld.page(indexFile)
	if err != nil {
		return nil, nil, err
	}
	cfg := readConfig(b, indexDir)
	b.config = cfg
	b.Meta = b.meta(idx, cfg)
	b.prefix = commonPrefix(idx.links())
	ld.stack = []string{indexFile}
	return ld, idx, nil
}

// page is a markdown file read during loading, with its front matter.
type page struct {
	file     string // fs path
	display  string
	fm       FrontMatter
	body     []byte
	bodyLine int
	b        *Book
	doc      ast.Node // index pages only, parsed on first use
	lines    lineIndex
	// titleLine and dateLine are the lines of the title and the date in
	// the front matter, or 0.
	titleLine, dateLine int
}

type loader struct {
	b      *Book
	opts   Options
	pages  map[string]*page
	ahead  map[string]*pageRead // pages being read ahead of the walk, by file
	stack  []string             // index files being expanded, to detect cycles
	listed map[string]Pos       // chapter file -> where it was first listed
	parts  int
}

// page returns a page and its front matter: from the pages read so far, or
// else read ahead of the walk, or else read now. It reports what reading
// it found, so that the diagnostics come in the order of the walk, whoever
// read the page. A page that cannot be read is not kept: each link to it
// reads it again.
func (ld *loader) page(file string) (*page, error) {
	if p, ok := ld.pages[file]; ok {
		return p, nil
	}
	r := ld.ahead[file]
	if r != nil {
		delete(ld.ahead, file)
		r.wait()
	} else {
		r = &pageRead{b: ld.b, file: file}
		r.read()
	}
	if r.source {
		ld.b.sources.add("", file)
	}
	ld.b.Diagnostics.add(r.diags...)
	if r.err != nil {
		return nil, r.err
	}
	ld.pages[file] = r.page
	return r.page, nil
}

// readAhead starts reading, on every core, the pages that items of index
// page from link to, and those of the parts they make, as far as the walk
// will follow them without reading a page first (the children of a link
// are its page's, and wait for it). Reading is all it does: the walk
// publishes what each page holds (see page) when it comes to it.
func (ld *loader) readAhead(from *page, items []indexItem, depth int) {
	if ld.opts.serial {
		return
	}
	var files []string
	var walk func([]indexItem, int)
	walk = func(items []indexItem, depth int) {
		if depth > maxPartDepth {
			return
		}
		for _, it := range items {
			if it.dest == "" {
				walk(it.children, depth+1)
				continue
			}
			if file, ok := ld.b.resolveAhead(from.file, it.dest); ok && strings.HasSuffix(file, ".md") {
				files = append(files, file)
			}
		}
	}
	walk(items, depth)
	ld.readFiles(files)
}

// readFiles starts reading files ahead of the walk, but for those read or
// being read already.
func (ld *loader) readFiles(files []string) {
	if ld.opts.serial {
		return
	}
	if ld.ahead == nil {
		ld.ahead = map[string]*pageRead{}
	}
	var rs []*pageRead
	for _, f := range files {
		_, read := ld.pages[f]
		_, reading := ld.ahead[f]
		if !read && !reading {
			r := &pageRead{b: ld.b, file: f, done: make(chan struct{})}
			ld.ahead[f] = r
			rs = append(rs, r)
		}
	}
	if len(rs) < 2 {
		// One page alone is read when the walk comes to it.
		for _, r := range rs {
			delete(ld.ahead, r.file)
		}
		return
	}
	go par.Each(len(rs), func(i int) {
		if r := rs[i]; r.claim() {
			r.read()
			close(r.done)
		}
	})
}

// pageRead is what reading a page comes to: the page, or the error
// loading stops at, and the diagnostics found on the way. Reading touches
// nothing of the book's; page publishes what it found.
type pageRead struct {
	b    *Book
	file string
	// claimed is set by whoever reads the page, a worker or the walk;
	// done is closed once it has.
	claimed atomic.Bool
	done    chan struct{}

	page   *page
	err    error
	diags  []Diagnostic
	source bool // the file was read: it is one of the book's sources
}

func (r *pageRead) claim() bool { return r.claimed.CompareAndSwap(false, true) }

// wait returns once r has been read, reading it now if no one has begun to.
func (r *pageRead) wait() {
	if r.claim() {
		r.read()
		close(r.done)
		return
	}
	<-r.done
}

// read reads the page and checks its text and front matter. It is safe to
// call on several pages at once. It starts loading Graphviz as soon as a
// page has a diagram Graphviz lays out (see preloadDiagrams).
func (r *pageRead) read() {
	b, file := r.b, r.file
	disp := displayJoin(b.root, file)
	fail := func(pos Pos, msg string) { r.err = Diagnostic{Pos: pos, Msg: msg} }
	data, err := readFile(b.fsys, file, maxPageSize)
	if err != nil {
		msg, _ := fileError(err)
		fail(Pos{File: disp}, msg)
		return
	}
	r.source = true
	// A byte order mark is not text: editors on Windows write one.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	preloadDiagrams(data)
	if err := checkText(data); err != nil {
		fail(Pos{disp, err.line}, err.msg)
		return
	}
	if line, c, n := cleanControls(data); n > 0 {
		more := ""
		if n > 1 {
			more = fmt.Sprintf(" (and %d more)", n-1)
		}
		r.diags = append(r.diags, b.Diagnostics.warning(Pos{disp, line}, fmt.Sprintf("control character U+%04X%s: not text; set as a space", c, more)))
	}
	errorf := func(pos Pos, format string, args ...any) {
		r.diags = append(r.diags, Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...), Level: LevelError})
	}
	p := &page{file: file, display: disp, b: b}
	body, line, errLine, err := parseFrontMatter(data, &p.fm)
	if err != nil {
		fail(Pos{disp, errLine}, err.Error())
		return
	}
	p.body, p.bodyLine = body, line
	p.fm.clean()
	fm := data[:len(data)-len(body)]
	p.titleLine = frontMatterLine(fm, "title")
	p.dateLine = frontMatterLine(fm, "date")
	if l := p.fm.Lang; l != "" && !languageTag(l) {
		errorf(Pos{disp, frontMatterLine(fm, "lang")}, "lang %q: want a language tag such as en, fr or pt-BR", truncate(l, 40))
		p.fm.Lang = ""
	}
	if n := utf8.RuneCountInString(p.fm.Title); n > maxTitleLen {
		errorf(Pos{disp, p.titleLine}, "title of %d characters: longer than the %d a title may be", n, maxTitleLen)
		p.fm.Title = truncate(p.fm.Title, maxTitleLen)
	}
	if n := utf8.RuneCountInString(p.fm.Description); n > maxTextLen {
		errorf(Pos{disp, frontMatterLine(fm, "description")}, "description of %d characters: longer than the %d a description may be", n, maxTextLen)
		p.fm.Description = truncate(p.fm.Description, maxTextLen)
	}
	r.page = p
}

// frontMatterLine returns the line of a page's front matter fm on which
// key is set, or 0.
func frontMatterLine(fm []byte, key string) int {
	for i, l := range strings.Split(string(fm), "\n") {
		l = strings.TrimLeft(l, " \t\"")
		if rest, ok := strings.CutPrefix(l, key); ok {
			rest = strings.TrimLeft(rest, " \t\"")
			if strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "=") {
				return i + 1
			}
		}
	}
	return 0
}

// truncate returns s cut to n characters.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

type textError struct {
	line int
	msg  string
}

// checkText rejects input that is not text: NUL bytes and invalid UTF-8.
func checkText(data []byte) *textError {
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
		return nil // at memory speed; the loop below finds the line
	}
	line := 1
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '\n':
			line++
		case c == 0:
			return &textError{line, "NUL byte: not a text file"}
		case c >= 0x80:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				return &textError{line, fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", c)}
			}
			i += size
			continue
		}
		i++
	}
	return nil
}

// indexItem is an entry of an index's list of links.
type indexItem struct {
	title, dest string
	line        int
	children    []indexItem
	nested      bool
}

// items returns the entries of the first list in an index page.
func (p *page) items() []indexItem {
	if p.doc == nil {
		p.doc, p.body, _ = markup.Parse(p.body)
	}
	for c := p.doc.FirstChild(); c != nil; c = c.NextSibling() {
		if l, ok := c.(*ast.List); ok && listHasLinks(l) {
			return p.listItems(l)
		}
	}
	return nil
}

func listHasLinks(l *ast.List) bool {
	found := false
	_ = ast.Walk(l, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*ast.Link); ok {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

func (p *page) listItems(l *ast.List) []indexItem {
	var items []indexItem
	for li := l.FirstChild(); li != nil; li = li.NextSibling() {
		var it indexItem
		for c := li.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.List:
				it.nested = true
				it.children = append(it.children, p.listItems(c)...)
			default:
				if it.title != "" || it.dest != "" {
					continue
				}
				if off, ok := markup.Offset(c); ok {
					it.line = p.bodyLine + p.lines.count(p.body, off)
				}
				_ = ast.Walk(c, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
					if lk, ok := n.(*ast.Link); ok && entering {
						it.dest = string(lk.Destination)
						it.title = PlainText(lk, p.body)
						return ast.WalkStop, nil
					}
					return ast.WalkContinue, nil
				})
				if it.dest == "" {
					it.title = PlainText(c, p.body)
				}
			}
		}
		if it.title == "" && it.dest == "" && !it.nested {
			continue
		}
		items = append(items, it)
	}
	return items
}

// links returns the site-absolute links of an index's list.
func (p *page) links() []string {
	var ls []string
	var walk func([]indexItem)
	walk = func(its []indexItem) {
		for _, it := range its {
			if strings.HasPrefix(it.dest, "/") && !strings.HasPrefix(it.dest, "//") {
				ls = append(ls, cleanSitePath(it.dest))
			}
			walk(it.children)
		}
	}
	walk(p.items())
	return ls
}

// commonPrefix returns the folder prefix ("/a/b/") shared by site paths.
func commonPrefix(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	segs := strings.Split(strings.Trim(path.Dir(paths[0]), "/"), "/")
	for _, p := range paths[1:] {
		s := strings.Split(strings.Trim(p, "/"), "/")
		s = s[:len(s)-1]
		n := 0
		for n < len(segs) && n < len(s) && segs[n] == s[n] {
			n++
		}
		segs = segs[:n]
	}
	if len(segs) == 0 || segs[0] == "" {
		return ""
	}
	return "/" + strings.Join(segs, "/") + "/"
}

// cleanSitePath drops the query, fragment and trailing slash of a link.
func cleanSitePath(dest string) string {
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	if p == "" {
		return ""
	}
	c := path.Clean(p)
	if c == "." {
		return ""
	}
	return c
}

// maxPartDepth is how deep parts may nest.
const maxPartDepth = 32

func (ld *loader) newPart(title string, pos Pos) *Part {
	ld.parts++
	return &Part{Title: title, ID: "part-" + strconv.Itoa(ld.parts), Pos: pos}
}

// expand turns an index's items into contents. from is the index page.
func (ld *loader) expand(from *page, items []indexItem, depth int) []Node {
	if depth > maxPartDepth {
		ld.b.Diagnostics.Errorf(Pos{from.display, 0}, "parts nested more than %d deep", maxPartDepth)
		return nil
	}
	var out []Node
	var bare *Part // a list item without a link starts a part holding what follows
	for _, it := range items {
		pos := Pos{from.display, it.line}
		if n := utf8.RuneCountInString(it.title); n > maxTitleLen {
			ld.b.Diagnostics.Errorf(pos, "entry of %d characters: longer than the %d a title may be", n, maxTitleLen)
			it.title = truncate(it.title, maxTitleLen)
		}
		if it.dest == "" && !it.nested {
			bare = ld.newPart(it.title, pos)
			out = append(out, bare)
			continue
		}
		n := ld.item(from, it, pos, depth)
		switch {
		case n == nil:
		case bare != nil:
			bare.Children = append(bare.Children, n)
		default:
			out = append(out, n)
		}
	}
	return out
}

// item turns one linked or nested item of an index into a part or a
// chapter, or returns nil after reporting why it cannot.
func (ld *loader) item(from *page, it indexItem, pos Pos, depth int) Node {
	if it.dest == "" {
		p := ld.newPart(it.title, pos)
		p.Children = ld.expand(from, it.children, depth+1)
		return p
	}
	file, ok := ld.b.resolveFile(from.file, it.dest, true)
	if !ok {
		if why := ld.b.whyNoFile(from.file, it.dest); why != "" {
			ld.b.Diagnostics.Errorf(pos, "no chapter at %s: %s", it.dest, why)
			return nil
		}
		ld.b.Diagnostics.Errorf(pos, "no chapter at %s", it.dest)
		return nil
	}
	if !strings.HasSuffix(file, ".md") {
		ld.b.Diagnostics.Errorf(pos, "%s is not a markdown page", it.dest)
		return nil
	}
	pg, err := ld.page(file)
	if err != nil {
		ld.b.Diagnostics.add(asDiagnostic(err))
		return nil
	}
	if pg.fm.Draft && !ld.opts.Drafts {
		ld.b.Diagnostics.Notef(Pos{File: pg.display}, "draft, left out (use --drafts to include it)")
		return nil
	}
	if path.Base(file) == "_index.md" {
		return ld.section(from, it, pg, pos, depth)
	}
	ch := ld.chapter(pg, it.title, pos)
	if ch == nil {
		return nil
	}
	if !it.nested {
		return ch
	}
	p := ld.newPart(it.title, pos)
	ld.readAhead(from, it.children, depth+1)
	p.Children = append([]Node{ch}, ld.expand(from, it.children, depth+1)...)
	return p
}

// section makes a part of a link to a sub-section's _index.md: the items
// nested under the link, or else the sub-section's own contents.
func (ld *loader) section(from *page, it indexItem, pg *page, pos Pos, depth int) Node {
	p := ld.newPart(cmp.Or(it.title, pg.fm.Title, path.Base(path.Dir(pg.file))), pos)
	p.Description = pg.fm.Description
	if it.nested {
		ld.readAhead(from, it.children, depth+1)
		p.Children = ld.expand(from, it.children, depth+1)
		return p
	}
	if i := slices.Index(ld.stack, pg.file); i >= 0 {
		chain := append(slices.Clone(ld.stack[i:]), pg.file)
		for j := range chain {
			chain[j] = displayJoin(ld.b.root, chain[j])
		}
		ld.b.Diagnostics.Errorf(pos, "index includes itself: %s", strings.Join(chain, " → "))
		return nil
	}
	ld.stack = append(ld.stack, pg.file)
	p.Children = ld.contentsOf(pg, depth+1)
	ld.stack = ld.stack[:len(ld.stack)-1]
	return p
}

// contentsOf returns the contents an index page lists, or its folder's
// pages by weight when it lists none.
func (ld *loader) contentsOf(pg *page, depth int) []Node {
	if items := pg.items(); len(items) > 0 {
		ld.readAhead(pg, items, depth)
		return ld.expand(pg, items, depth)
	}
	return ld.byWeight(pg, depth)
}

func asDiagnostic(err error) Diagnostic {
	var d Diagnostic
	if errors.As(err, &d) {
		return d
	}
	return Diagnostic{Msg: err.Error()}
}

// chapter makes a chapter of a page listed at pos, or reports it listed twice.
func (ld *loader) chapter(pg *page, linkText string, pos Pos) *Chapter {
	if first, ok := ld.listed[pg.file]; ok {
		ld.b.Diagnostics.Errorf(pos, "%s is listed twice (first at %s)", pg.display, first)
		return nil
	}
	ld.listed[pg.file] = pos
	return &Chapter{
		Title:       cmp.Or(strings.TrimSpace(pg.fm.Title), linkText),
		Path:        pg.display,
		File:        pg.file,
		FrontMatter: pg.fm,
		Source:      pg.body,
		BodyLine:    pg.bodyLine,
	}
}

// byWeight orders the pages of an index's folder by weight, then title, the
// way Hugo does when an index has no list of links. Sub-folders with an
// _index.md become parts.
func (ld *loader) byWeight(from *page, depth int) []Node {
	dir := path.Dir(from.file)
	entries, err := fs.ReadDir(ld.b.fsys, dir)
	if err != nil {
		ld.b.Diagnostics.Errorf(Pos{File: from.display}, "cannot list folder: %v", err)
		return nil
	}
	type entry struct {
		pg  *page
		sub bool
	}
	var es []entry
	ld.readFiles(pageFiles(ld.b, dir, entries))
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		switch {
		case e.IsDir():
			idx := path.Join(name, "_index.md")
			if !ld.b.isFile(idx) {
				continue
			}
			pg, err := ld.page(idx)
			if err != nil {
				ld.b.Diagnostics.add(asDiagnostic(err))
				continue
			}
			es = append(es, entry{pg, true})
		case strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md":
			pg, err := ld.page(name)
			if err != nil {
				ld.b.Diagnostics.add(asDiagnostic(err))
				continue
			}
			es = append(es, entry{pg, false})
		}
	}
	// Hugo puts weighted pages first (weight 0 means none), then orders by title.
	slices.SortStableFunc(es, func(a, b entry) int {
		wa, wb := a.pg.fm.Weight, b.pg.fm.Weight
		if (wa == 0) != (wb == 0) {
			if wa == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(wa, wb), cmp.Compare(pageTitle(a.pg), pageTitle(b.pg)), cmp.Compare(a.pg.file, b.pg.file))
	})
	var out []Node
	for _, e := range es {
		if e.pg.fm.Draft && !ld.opts.Drafts {
			ld.b.Diagnostics.Notef(Pos{File: e.pg.display}, "draft, left out (use --drafts to include it)")
			continue
		}
		pos := Pos{File: e.pg.display}
		if e.sub {
			p := ld.newPart(pageTitle(e.pg), pos)
			p.Description = e.pg.fm.Description
			ld.stack = append(ld.stack, e.pg.file)
			p.Children = ld.contentsOf(e.pg, depth+1)
			ld.stack = ld.stack[:len(ld.stack)-1]
			out = append(out, p)
			continue
		}
		if ch := ld.chapter(e.pg, "", pos); ch != nil {
			out = append(out, ch)
		}
	}
	return out
}

// pageFiles returns the pages byWeight reads of a folder's entries.
func pageFiles(b *Book, dir string, entries []fs.DirEntry) []string {
	var files []string
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		switch {
		case e.IsDir():
			if idx := path.Join(name, "_index.md"); b.isFile(idx) {
				files = append(files, idx)
			}
		case strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md":
			files = append(files, name)
		}
	}
	return files
}

func pageTitle(p *page) string {
	if p.fm.Title != "" {
		return p.fm.Title
	}
	if path.Base(p.file) == "_index.md" {
		return path.Base(path.Dir(p.file))
	}
	return strings.TrimSuffix(path.Base(p.file), ".md")
}

// prune drops parts left empty (their chapters were drafts or missing).
func prune(ns []Node) []Node {
	out := ns[:0]
	for _, n := range ns {
		if p, ok := n.(*Part); ok {
			p.Children = prune(p.Children)
			if len(p.Children) == 0 {
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

// number fills in reading order, depths, part numbers, parts, IDs and the
// file map.
func (b *Book) number() {
	used := map[string]bool{}
	var parents []*Part
	top := 0
	b.Walk(func(n Node, depth int) {
		parents = parents[:depth]
		switch n := n.(type) {
		case *Part:
			n.Depth = depth
			if depth == 0 {
				top++
				n.Number = top
			}
			b.Parts = append(b.Parts, n)
			parents = append(parents, n)
		case *Chapter:
			n.Number = len(b.Chapters) + 1
			if depth > 0 {
				n.Part = parents[depth-1]
			}
			n.ID = uniqueID(chapterStem(n.File), used)
			b.Chapters = append(b.Chapters, n)
			b.byFile[n.File] = n
		}
	})
}

func chapterStem(file string) string {
	base := strings.TrimSuffix(path.Base(file), ".md")
	if base == "_index" || base == "index" {
		base = path.Base(path.Dir(file))
	}
	return base
}

// uniqueID makes s safe as a file name and an XML id, and unique among used.
func uniqueID(s string, used map[string]bool) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			sb.WriteRune(r)
		case r == ' ' || r == '.':
			sb.WriteByte('-')
		}
	}
	id := sb.String()
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "c" + id
	}
	// Names the outputs use for their own files.
	switch id {
	case "nav", "cover", "title", "toc", "contents", "style", "colophon":
		id += "-chapter"
	}
	base := id
	for i := 2; used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	used[id] = true
	return id
}

// meta merges the index's front matter with book.yaml.
func (b *Book) meta(idx *page, cfg Config) Meta {
	m := Meta{
		Title:       cmp.Or(cfg.Title, idx.fm.Title, "Untitled"),
		Subtitle:    cfg.Subtitle,
		Authors:     append(append([]string{}, cfg.Authors...), cfg.Author...),
		Language:    cmp.Or(cfg.Language, "en"),
		Identifier:  cfg.Identifier,
		Publisher:   cfg.Publisher,
		Rights:      cfg.Rights,
		Description: cmp.Or(cfg.Description, idx.fm.Description),
		Tags:        idx.fm.Tags,
		BaseURL:     strings.TrimRight(cfg.BaseURL, "/"),
		TOCDepth:    cmp.Or(cfg.TOCDepth, 2),
		PageSize:    cmp.Or(cfg.PageSize, "a4"),
		TwoSide:     cfg.TwoSide,
		FontSize:    cfg.FontSize,
		Hyphenate:   cfg.Hyphenate == nil || *cfg.Hyphenate,
		PageList:    cfg.PageList,
		CertifiedBy: cfg.A11yCertifiedBy,
	}
	if cfg.Cover != "" {
		file := path.Join(b.indexDir, cfg.Cover)
		at := b.configLines.at("cover")
		if path.IsAbs(cfg.Cover) || file == ".." || strings.HasPrefix(file, "../") || strings.ContainsRune(file, 0) {
			b.Diagnostics.Errorf(at, "cover %q: not inside the book's folder; refused", cfg.Cover)
		} else if pic, err := b.readCover(file); err != nil {
			b.Diagnostics.Errorf(at, "cover %q: %v", cfg.Cover, err)
		} else {
			m.Cover = file
			b.Cover = pic
		}
	}
	b.Fonts = b.loadFonts(cfg.Fonts)
	if m.Identifier == "" {
		m.Identifier = "urn:uuid:" + uuid5(m.Title+"\x00"+path.Join(b.indexDir, "_index.md"))
	}
	return m
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

var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

// modified returns SOURCE_DATE_EPOCH, else the newest front matter date,
// else the Unix epoch: never the clock.
func (b *Book) modified(ld *loader) time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		switch t := time.Unix(n, 0).UTC(); {
		case err != nil:
			b.Diagnostics.Warnf(Pos{}, "SOURCE_DATE_EPOCH=%q is not a number of seconds; ignored", s)
		case !datable(t):
			b.Diagnostics.Warnf(Pos{}, "SOURCE_DATE_EPOCH=%q is %s, outside the years 1970 to 2107 a book can be dated in; ignored", s, t.Format("2006-01-02"))
		default:
			return t
		}
	}
	var newest time.Time
	var files []string
	for f := range ld.pages {
		files = append(files, f)
	}
	slices.Sort(files)
	for _, f := range files {
		p := ld.pages[f]
		for _, l := range dateLayouts {
			t, err := time.Parse(l, strings.TrimSpace(p.fm.Date))
			if err != nil {
				continue
			}
			if !datable(t) {
				b.Diagnostics.Warnf(Pos{p.display, p.dateLine}, "date %s: outside the years 1970 to 2107 a book can be dated in; ignored", strings.TrimSpace(p.fm.Date))
				break
			}
			if t.After(newest) {
				newest = t
			}
			break
		}
	}
	if newest.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return newest.UTC()
}

// datable reports whether a book can be dated t: in the years the EPUB's
// ZIP entries (1980 to 2107, earlier dates are stamped 1980) and the
// metadata's four-digit years can hold.
func datable(t time.Time) bool {
	return t.Year() >= 1970 && t.Year() <= 2107
}
