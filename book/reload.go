package book

import (
	"bytes"
	"github.com/bindery-books/bindery/book/internal/par"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark/ast"
)

// A Reloader loads the same book again and again as its sources change,
// doing again only what the changes call for. Every load orders the book
// afresh from its index, which is cheap; then a chapter is parsed and
// resolved again only when its own text changed, or its title, ID or file
// name did. Any other chapter keeps its parsed and resolved AST, and only
// its links and images are resolved again: a link whose target chapter or
// heading changed, or an image whose file changed, gets its new target in
// place, without parsing. Pictures whose files did not change are not read
// again, and code keeps its highlighting. The book a Reloader returns is
// the one Load would return: the same contents, ASTs and diagnostics.
//
// A load may change the ASTs of the book the Reloader returned before, so
// that book must not be used during or after a load that returns a new
// one. A load that returns no book (the index is broken, say) changes
// nothing: the previous book is still whole. A Reloader is not safe for
// concurrent use.
type Reloader struct {
	// Dir and Options are those of Load. Changing Options between loads
	// starts afresh.
	Dir     string
	Options Options

	cache *reuse
}

// ReloadStats says what a Reloader's load did with the book's chapters.
type ReloadStats struct {
	// Chapters is the number of chapters in the book.
	Chapters int
	// Parsed counts the chapters parsed and resolved: new chapters, and
	// those whose text, title, ID or file name changed.
	Parsed int
	// Relinked counts the chapters not parsed again some of whose links or
	// images now resolve differently: a target chapter or heading came or
	// went, or an image's file changed.
	Relinked int
	// Reused counts the chapters that stayed as they were.
	Reused int
}

// Load loads the book as Load(r.Dir, r.Options) does, reusing what the
// previous load made of every chapter that did not change.
func (r *Reloader) Load() (*Book, error) {
	if r.cache == nil || !r.cache.sameOptions(r.Options) {
		r.cache = &reuse{opts: r.Options}
	}
	u := r.cache
	opts := r.Options
	opts.reuse = u
	b, err := Load(r.Dir, opts)
	u.finish(b)
	return b, err
}

// Stats returns what the last load that returned a book did with its
// chapters.
func (r *Reloader) Stats() ReloadStats {
	if r.cache == nil {
		return ReloadStats{}
	}
	return r.cache.stats
}

// Changed reports whether chapter ch of the book the last load returned
// differs from what the load before made of it: it is new, it was parsed
// again, or a link or an image of it resolves differently. Its pages in
// any output must then be made again; a chapter that did not change only
// needs them made again when something outside its text, such as its
// number, changed.
func (r *Reloader) Changed(ch *Chapter) bool {
	return r.cache == nil || r.cache.changed[ch]
}

// Files returns the files and folders the last load that returned a book
// looked at, as paths of the operating system, sorted: the index and the
// indexes of its parts, book.yaml, the chapters, the pictures, and the
// names it tried in resolving links and images, which may not exist. A
// change to any of them may change the book.
func (r *Reloader) Files() []string {
	if r.cache == nil {
		return nil
	}
	return r.cache.files
}

// Root returns the content root of the book as messages name it: a
// diagnostic's file is this root joined with a path within it.
func (b *Book) Root() string { return b.root }

// reuse is a Reloader's cache: what the last load that returned a book made
// of each chapter, and the pictures it read.
type reuse struct {
	opts Options

	// Of the last load that returned a book.
	chapters map[string]*cachedChapter // by chapter file
	pictures map[string]*pictureEntry  // by source key
	picFiles map[string]fileRead       // the file each picture was read from
	changed  map[*Chapter]bool
	stats    ReloadStats
	files    []string

	// Of the load under way.
	log         *readLog
	next        map[string]*cachedChapter
	nextChanged map[*Chapter]bool
	nextStats   ReloadStats
}

func (u *reuse) sameOptions(o Options) bool {
	return u.opts.Root == o.Root && u.opts.Drafts == o.Drafts && u.opts.Strict == o.Strict && u.opts.FetchRemote == o.FetchRemote
}

// cachedChapter is what a load made of one chapter: the inputs it was
// parsed from, the parsed and resolved AST, and the problems found.
type cachedChapter struct {
	// The inputs. Parsing depends on the body, the title and the display
	// path; resolving also on the ID, which names the chapter's diagrams.
	raw      []byte
	title    string
	path     string
	bodyLine int
	id       string

	// What parsing made.
	doc          ast.Node
	src          []byte
	headings     []*Heading
	titleHeading *Heading
	notes        int
	parsedTitle  string
	parseDiags   []Diagnostic

	// What resolving made.
	res *resolution
	// reused is set while a load reuses this chapter.
	reused bool
}

// resolution records what resolving a chapter did: each link and image,
// where it is and what was wrong with it, so that they can be resolved
// again alone; the other problems; the diagrams; the code blocks.
type resolution struct {
	links  []linkUse
	images []imageUse
	owned  []bool       // r.diags[i] belongs to a link or an image
	other  []Diagnostic // the problems not of a link or an image
	drawn  int
	asCode int
	codes  []*CodeBlock
}

type linkUse struct {
	node  *Link
	dest  string
	pos   Pos
	diags []Diagnostic
}

type imageUse struct {
	node  *Image
	pos   Pos
	diags []Diagnostic
}

// link records a link the resolver r just made; r.diags[from:] are its
// problems.
func (res *resolution) link(r *resolver, l *Link, dest string, from int) {
	if res == nil {
		return
	}
	res.links = append(res.links, linkUse{node: l, dest: dest, pos: r.pos, diags: slices.Clone(r.diags[from:])})
	res.own(r, from)
}

// image records an image the resolver r just made; r.diags[from:] are its
// problems.
func (res *resolution) image(r *resolver, img *Image, from int) {
	if res == nil {
		return
	}
	res.images = append(res.images, imageUse{node: img, pos: r.pos, diags: slices.Clone(r.diags[from:])})
	res.own(r, from)
}

func (res *resolution) own(r *resolver, from int) {
	for len(res.owned) < len(r.diags) {
		res.owned = append(res.owned, len(res.owned) >= from)
	}
}

// diags returns the problems of the chapter, the other ones first.
func (res *resolution) diags() []Diagnostic {
	ds := slices.Clone(res.other)
	for _, l := range res.links {
		ds = append(ds, l.diags...)
	}
	for _, i := range res.images {
		ds = append(ds, i.diags...)
	}
	return ds
}

// begin starts a load of book b: it records what the load reads, and
// hands it the pictures whose files did not change.
func (u *reuse) begin(b *Book) {
	if u == nil {
		return
	}
	b.reuse = u
	u.next = map[string]*cachedChapter{}
	u.nextChanged = map[*Chapter]bool{}
	for key, e := range u.pictures {
		if f, ok := u.picFiles[key]; ok {
			fsys := b.rootFS(f.root)
			if fsys == nil {
				continue
			}
			fi, err := fs.Stat(fsys, f.name)
			if err != nil || sigOf(fi) != f.sig {
				continue
			}
		}
		b.pictures[key] = e
	}
	u.log = &readLog{read: map[fileKey]fileSig{}, looked: map[fileKey]bool{}}
	b.fsys = &recordFS{fsys: b.fsys, log: u.log}
	b.extra = slices.Clone(b.extra)
	for i := range b.extra {
		b.extra[i].fsys = &recordFS{fsys: b.extra[i].fsys, root: b.extra[i].name, log: u.log}
	}
}

// rootFS returns the file system of a root: "" for the content root, else
// the name of an extra root (static, assets).
func (b *Book) rootFS(root string) fs.FS {
	if root == "" {
		return b.fsys
	}
	for _, e := range b.extra {
		if e.name == root {
			return e.fsys
		}
	}
	return nil
}

// finish keeps what a load made when it returned a book.
func (u *reuse) finish(b *Book) {
	log := u.log
	u.log = nil
	if b == nil {
		u.next, u.nextChanged = nil, nil
		return
	}
	u.chapters, u.next = u.next, nil
	u.changed, u.nextChanged = u.nextChanged, nil
	u.stats = u.nextStats
	for _, c := range u.chapters {
		c.reused = false
	}
	u.pictures = map[string]*pictureEntry{}
	u.picFiles = map[string]fileRead{}
	b.picMu.Lock()
	for key, e := range b.pictures {
		if strings.Contains(key, "://") {
			u.pictures[key] = e // remote: fetched once
			continue
		}
		for _, k := range pictureFiles(key) {
			if sig, ok := log.read[k]; ok {
				u.pictures[key] = e
				u.picFiles[key] = fileRead{fileKey: k, sig: sig}
				break
			}
		}
	}
	b.picMu.Unlock()
	// book.yaml is read beside the index whether it exists or not.
	log.look("", path.Join(b.indexDir, "book.yaml"))
	u.files = log.paths(b.root)
}

// pictureFiles lists the files a picture's source key may stand for.
func pictureFiles(key string) []fileKey {
	ks := []fileKey{{name: key}}
	if root, name, ok := strings.Cut(key, ":"); ok {
		ks = append(ks, fileKey{root: root, name: name})
	}
	return ks
}

// sameSource reports whether a chapter of the load under way has the inputs
// c was parsed and resolved from.
func (c *cachedChapter) sameSource(ch *Chapter) bool {
	return c.res != nil && c.title == ch.Title && c.path == ch.Path && c.bodyLine == ch.BodyLine &&
		c.id == ch.ID && bytes.Equal(c.raw, ch.Source)
}

// parse parses the chapters that changed and gives the others what their
// last parse made.
func (u *reuse) parse(b *Book) {
	problems := make([][]Diagnostic, len(b.Chapters))
	var fresh []int
	for i, ch := range b.Chapters {
		if c := u.chapters[ch.File]; c != nil && c.sameSource(ch) {
			ch.Doc, ch.Source, ch.Headings, ch.TitleHeading = c.doc, c.src, c.headings, c.titleHeading
			ch.notes, ch.Title = c.notes, c.parsedTitle
			problems[i] = c.parseDiags
			c.reused = true
			u.next[ch.File] = c
			continue
		}
		u.next[ch.File] = &cachedChapter{raw: bytes.Clone(ch.Source), title: ch.Title, path: ch.Path, bodyLine: ch.BodyLine, id: ch.ID}
		fresh = append(fresh, i)
	}
	u.nextStats = ReloadStats{Chapters: len(b.Chapters), Parsed: len(fresh)}
	eachOf(fresh, func(i int) {
		ch := b.Chapters[i]
		problems[i] = b.parseChapter(ch)
		c := u.next[ch.File]
		c.doc, c.src, c.headings, c.titleHeading = ch.Doc, ch.Source, ch.Headings, ch.TitleHeading
		c.notes, c.parsedTitle, c.parseDiags = ch.notes, ch.Title, problems[i]
	})
	for _, ps := range problems {
		b.Diagnostics.add(ps...)
	}
}

// resolve resolves the chapters just parsed, and the links and images of
// the others again.
func (u *reuse) resolve(b *Book) {
	var tokens map[string]*runs
	if u.nextStats.Parsed > 0 {
		tokens = u.harvestTokens()
	}
	all := make([]int, len(b.Chapters))
	for i := range all {
		all[i] = i
	}
	changed := make([]bool, len(b.Chapters))
	var relinked atomic.Int32
	eachOf(all, func(i int) {
		ch := b.Chapters[i]
		c := u.next[ch.File]
		if c.reused {
			if c.relink(b, ch) {
				changed[i] = true
				relinked.Add(1)
			}
			return
		}
		changed[i] = true
		c.res = &resolution{}
		r := &resolver{b: b, ch: ch, src: ch.Source, record: c.res}
		r.children(ch.Doc)
		for j, d := range r.diags {
			if j >= len(c.res.owned) || !c.res.owned[j] {
				c.res.other = append(c.res.other, d)
			}
		}
		c.res.owned = nil
		c.res.drawn, c.res.asCode = r.drawn, r.asCode
		c.res.codes = codeBlocks(ch.Doc)
		for _, cb := range c.res.codes {
			if t, ok := tokens[cb.Lang+"\x00"+cb.Code]; ok {
				cb.once.Do(func() { cb.runs = t })
			}
		}
	})
	for i, ch := range b.Chapters {
		c := u.next[ch.File]
		b.Diagnostics.add(c.res.diags()...)
		b.diagramsDrawn += c.res.drawn
		b.diagramsAsCode += c.res.asCode
		if changed[i] {
			u.nextChanged[ch] = true
		}
	}
	u.nextStats.Relinked = int(relinked.Load())
	u.nextStats.Reused = u.nextStats.Chapters - u.nextStats.Parsed - u.nextStats.Relinked
}

// relink resolves the links and images of a reused chapter again, in
// place, and reports whether any of them now resolves differently.
func (c *cachedChapter) relink(b *Book, ch *Chapter) bool {
	r := &resolver{b: b, ch: ch, src: ch.Source}
	changed := false
	for i := range c.res.links {
		l := &c.res.links[i]
		r.pos, r.diags = l.pos, nil
		t := r.link(l.dest).Target
		if !sameTarget(l.node.Target, t) {
			changed = true
		}
		l.node.Target, l.diags = t, r.diags
	}
	for i := range c.res.images {
		im := &c.res.images[i]
		r.pos, r.diags = im.pos, nil
		n := im.node
		fresh := r.resolveImage(n.Src, n.Alt, n.Title)
		if !samePicture(fresh.Picture, n.Picture) || fresh.RemoteURL != n.RemoteURL {
			changed = true
		}
		n.Picture, n.RemoteURL, im.diags = fresh.Picture, fresh.RemoteURL, r.diags
	}
	return changed
}

// sameTarget reports whether two targets are the same place: for a
// chapter, the same file under the same ID.
func sameTarget(a, b Target) bool {
	if a.Kind != b.Kind || a.Fragment != b.Fragment || a.Note != b.Note || a.NoteRef != b.NoteRef || a.URL != b.URL {
		return false
	}
	if a.Chapter == nil || b.Chapter == nil {
		return a.Chapter == b.Chapter
	}
	return a.Chapter.File == b.Chapter.File && a.Chapter.ID == b.Chapter.ID
}

// samePicture reports whether two pictures are the same: a picture read
// again from a file that did not change is.
func samePicture(a, b *Picture) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a == b || a.Name == b.Name && a.MediaType == b.MediaType && bytes.Equal(a.Data, b.Data)
}

// harvestTokens collects the highlighting of the code of the last book,
// by language and code, so that code that did not change is not
// highlighted again.
func (u *reuse) harvestTokens() map[string]*runs {
	m := map[string]*runs{}
	for _, c := range u.chapters {
		if c.res == nil {
			continue
		}
		for _, cb := range c.res.codes {
			// The last book is no longer in use: reading tokens without
			// the once is safe, and nil means never highlighted.
			if cb.runs != nil {
				m[cb.Lang+"\x00"+cb.Code] = cb.runs
			}
		}
	}
	return m
}

// codeBlocks returns the code blocks of a resolved chapter, those that
// diagrams fall back on included.
func codeBlocks(doc ast.Node) []*CodeBlock {
	var cbs []*CodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *CodeBlock:
			cbs = append(cbs, n)
		case *Diagram:
			cbs = append(cbs, n.Code)
		}
		return ast.WalkContinue, nil
	})
	return cbs
}

// eachOf calls fn for every index in is, on all cores.
func eachOf(is []int, fn func(i int)) { par.Each(len(is), func(k int) { fn(is[k]) }) }

// fileKey names a file of a root: "" is the content root, "static" and
// "assets" Hugo's folders beside it.
type fileKey struct{ root, name string }

// fileSig tells whether a file changed: its size, time and mode.
type fileSig struct {
	size int64
	mod  int64
	mode fs.FileMode
}

func sigOf(fi fs.FileInfo) fileSig {
	return fileSig{size: fi.Size(), mod: fi.ModTime().UnixNano(), mode: fi.Mode()}
}

// racy is how recent a file's time may be for its signature not to be
// trusted: a file written again within the same tick of a coarse file
// system clock, keeping its size, would look unchanged. Such a file is
// read again next time (git calls this "racily clean").
const racy = 2 * time.Second

type fileRead struct {
	fileKey
	sig fileSig
}

// readLog records what a load looks at.
type readLog struct {
	mu sync.Mutex
	// read holds the files read, as they were just before, unless they
	// were changed too recently to tell (see racy): a change made while a
	// file is read shows as a change next time.
	read map[fileKey]fileSig
	// looked holds every name opened, listed or looked up.
	looked map[fileKey]bool
}

func (l *readLog) look(root, name string) {
	l.mu.Lock()
	l.looked[fileKey{root, name}] = true
	l.mu.Unlock()
}

// paths returns what was looked at as paths of the operating system,
// sorted, given the content root as messages name it.
func (l *readLog) paths(root string) []string {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil
	}
	var ps []string
	add := func(k fileKey) {
		if k.name == "" || k.name == ".." || strings.HasPrefix(k.name, "../") {
			return
		}
		base := abs
		if k.root != "" {
			base = filepath.Join(filepath.Dir(abs), k.root)
		}
		ps = append(ps, filepath.Join(base, filepath.FromSlash(k.name)))
	}
	l.mu.Lock()
	for k := range l.looked {
		add(k)
	}
	for k := range l.read {
		add(k)
	}
	l.mu.Unlock()
	slices.Sort(ps)
	return slices.Compact(ps)
}

// recordFS is a file system that records in a readLog what is looked at
// in it. It forwards every call to the file system it wraps.
type recordFS struct {
	fsys fs.FS
	root string
	log  *readLog
}

// Open records a regular file as read, with its signature from just
// before: loading reads files through Open (see readFile).
func (f *recordFS) Open(name string) (fs.File, error) {
	fi, statErr := fs.Stat(f.fsys, name)
	file, err := f.fsys.Open(name)
	f.log.mu.Lock()
	f.log.looked[fileKey{f.root, name}] = true
	if err == nil && statErr == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > racy {
		f.log.read[fileKey{f.root, name}] = sigOf(fi)
	}
	f.log.mu.Unlock()
	return file, err
}

func (f *recordFS) Stat(name string) (fs.FileInfo, error) {
	f.log.look(f.root, name)
	return fs.Stat(f.fsys, name)
}

func (f *recordFS) ReadDir(name string) ([]fs.DirEntry, error) {
	f.log.look(f.root, name)
	return fs.ReadDir(f.fsys, name)
}

func (f *recordFS) ReadLink(name string) (string, error) {
	f.log.look(f.root, name)
	return fs.ReadLink(f.fsys, name)
}

func (f *recordFS) Lstat(name string) (fs.FileInfo, error) {
	f.log.look(f.root, name)
	return fs.Lstat(f.fsys, name)
}

func (f *recordFS) ReadFile(name string) ([]byte, error) {
	fi, statErr := fs.Stat(f.fsys, name)
	data, err := fs.ReadFile(f.fsys, name)
	f.log.mu.Lock()
	f.log.looked[fileKey{f.root, name}] = true
	if err == nil && statErr == nil && time.Since(fi.ModTime()) > racy {
		f.log.read[fileKey{f.root, name}] = sigOf(fi)
	}
	f.log.mu.Unlock()
	return data, err
}
