package book

import (
	"cmp"
	"errors"
	"io/fs"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// LinkKind says where a link of a chapter points.
type LinkKind int

const (
	// External is a URL off the site, kept as it is: http, https or mailto.
	External LinkKind = iota
	// Internal is a chapter of this book, one of its headings, or one of
	// its footnotes.
	Internal
	// Outside is a page of the site that is not in this book. URL is an
	// absolute URL when base_url is configured, else empty: set it as text.
	Outside
	// Refused is a URL of a scheme a book does not carry (javascript:,
	// data:, file:, …): set as text.
	Refused
)

// Target is where a link points.
type Target struct {
	Kind LinkKind
	// Chapter is the target chapter of an Internal link.
	Chapter *Chapter
	// Fragment is the ID of the target heading, or "" for the chapter start
	// or a footnote.
	Fragment string
	// Note is the number of the target footnote (a link to "#fn:2"), and
	// NoteRef that of the footnote whose reference is the target ("#fnref:2").
	Note, NoteRef int
	// URL is the address of External links and of Outside links when
	// base_url is set.
	URL string
}

// String describes the target for dumps and tests: "chapter#fragment",
// "chapter#fn:2", or the URL.
func (t Target) String() string {
	switch t.Kind {
	case Internal:
		s := t.Chapter.ID
		switch {
		case t.Note > 0:
			s += "#fn:" + strconv.Itoa(t.Note)
		case t.NoteRef > 0:
			s += "#fnref:" + strconv.Itoa(t.NoteRef)
		case t.Fragment != "":
			s += "#" + t.Fragment
		}
		return s
	case Refused:
		return "refused"
	}
	if t.URL == "" {
		return "text"
	}
	return t.URL
}

// isFile reports whether name is a regular file of the content tree.
func (b *Book) isFile(name string) bool {
	if name == "" || name == ".." || strings.HasPrefix(name, "../") || path.IsAbs(name) {
		return false
	}
	b.statMu.Lock()
	defer b.statMu.Unlock()
	if ok, seen := b.statCache[name]; seen {
		return ok
	}
	fi, err := fs.Stat(b.fsys, name)
	ok := err == nil && fi.Mode().IsRegular()
	b.statCache[name] = ok
	return ok
}

// scheme returns the lower-case URL scheme of dest ("//host" counts as
// one, "") or "" when dest is a path.
func scheme(dest string) (string, bool) {
	if strings.HasPrefix(dest, "//") {
		return "", true
	}
	i := strings.IndexByte(dest, ':')
	if i <= 0 {
		return "", false
	}
	for _, r := range dest[:i] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return "", false
		}
	}
	return strings.ToLower(dest[:i]), true
}

// safeSchemes are the URL schemes a book carries. Anything else could run
// code in a reading system (javascript:, vbscript:), smuggle content past
// the book's checks (data:) or point into the reader's machine (file:).
var safeSchemes = map[string]bool{"http": true, "https": true, "mailto": true, "": true}

// externalURL checks a URL a book links to or fetches: http or https with
// a host, or mailto with an address, and nothing a reading system could
// read otherwise (white space, control characters, quotes, angle
// brackets, backslashes). A scheme-relative URL ("//host/x") becomes
// https.
func externalURL(s string) (string, error) {
	bad := errors.New("not a valid URL")
	if strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' || r == '\\' || r == '`' || !xmlChar(r) || unicode.Is(unicode.Bidi_Control, r)
	}) {
		return "", bad
	}
	if strings.HasPrefix(s, "//") {
		s = "https:" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", bad
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" || u.Opaque != "" || strings.ContainsAny(u.Host, "@") {
			return "", bad
		}
	case "mailto":
		if u.Opaque == "" && u.Path == "" {
			return "", bad
		}
	default:
		return "", bad
	}
	return s, nil
}

// candidates lists the files a site or file path may name.
func candidates(p string) []string {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	if p == "" {
		return []string{"_index.md"}
	}
	if path.Ext(p) != "" {
		return []string{p, p + ".md"}
	}
	return []string{p + ".md", p + "/_index.md", p + "/index.md"}
}

// sitePath returns the site path of a chapter file: "/a/b/overview".
func (b *Book) sitePath(file string) string {
	p := strings.TrimSuffix(file, ".md")
	if base := path.Base(p); base == "_index" || base == "index" {
		p = path.Dir(p)
	}
	if b.mapped && b.prefix != "" {
		rel := strings.TrimPrefix(strings.TrimPrefix(p, b.indexDir), "/")
		if b.indexDir == "." {
			rel = strings.TrimPrefix(p, ".")
		}
		return strings.TrimSuffix(b.prefix+rel, "/")
	}
	if p == "." {
		return "/"
	}
	return "/" + p
}

// splitDest returns a link destination's path, unescaped, without its
// query and fragment.
func splitDest(dest string) string {
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	return p
}

// resolveFile finds the file a link of page from names. index is true for
// the index's own links, which may switch on prefix mapping.
func (b *Book) resolveFile(from, dest string, index bool) (string, bool) {
	p := splitDest(dest)
	if p == "" {
		return from, true
	}
	if strings.HasPrefix(p, "/") {
		return b.resolveSite(p, index)
	}
	if file, ok := b.besideFile(from, p); ok {
		return file, true
	}
	// Relative to the page's URL, as Hugo's pretty URLs make it (/a/b/page/).
	return b.resolveSite(path.Join(b.sitePath(from)+"/", p), index)
}

// besideFile finds the file a relative link path p of page from names
// relative to the page's folder, as in mdBook and on GitHub.
func (b *Book) besideFile(from, p string) (string, bool) {
	joined := path.Join(path.Dir(from), p)
	if !strings.HasPrefix(joined, "../") && joined != ".." {
		for _, c := range candidates(joined) {
			if b.isFile(c) {
				return c, true
			}
		}
	}
	return "", false
}

// resolveAhead is resolveFile for a link of an index that loading reads
// ahead of its walk: it changes nothing, and finds no file when the one
// the walk will find may depend on the links it resolves before (a
// relative link resolved through its page's site path, which a link to
// resolve through the prefix changes).
func (b *Book) resolveAhead(from, dest string) (string, bool) {
	p := splitDest(dest)
	if p != "" && !strings.HasPrefix(p, "/") && b.prefix != "" && !b.mapped {
		return b.besideFile(from, p)
	}
	return b.resolveFile(from, dest, false)
}

// whyNoFile says why a link of page from that names no file names none,
// when the reason is not that the file is missing: it leads outside the
// content root, or names a folder, a pipe or a device. It returns "" when
// every file it may name is simply missing.
func (b *Book) whyNoFile(from, dest string) string {
	p := splitDest(dest)
	if s, ok := scheme(dest); ok {
		return "a " + cmp.Or(s, "scheme-relative") + " URL, not a page of the book"
	}
	if strings.ContainsRune(p, 0) {
		return "not a valid path"
	}
	joined := path.Clean(p)
	if !strings.HasPrefix(p, "/") {
		joined = path.Join(path.Dir(from), p)
	}
	joined = strings.TrimPrefix(joined, "/")
	if joined == ".." || strings.HasPrefix(joined, "../") {
		return errOutside.Error()
	}
	why := ""
	for _, c := range candidates(joined) {
		fi, err := fs.Stat(b.fsys, c)
		switch {
		case err == nil && !fi.Mode().IsRegular():
			why = errNotRegular.Error()
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			msg, outside := fileError(err)
			if outside {
				return msg
			}
			why = msg
		case err != nil && escapes(b.fsys, c, err):
			return errOutside.Error()
		}
	}
	return why
}

func (b *Book) resolveSite(p string, index bool) (string, bool) {
	clean := path.Clean(p)
	for _, c := range candidates(clean) {
		if b.isFile(c) {
			return c, true
		}
	}
	if b.prefix != "" && strings.HasPrefix(clean+"/", b.prefix) {
		rest := strings.TrimPrefix(clean+"/", b.prefix)
		for _, c := range candidates(path.Join(b.indexDir, rest)) {
			if b.isFile(c) {
				if index {
					b.mapped = true
				}
				return c, true
			}
		}
	}
	return "", false
}

// link resolves a link of chapter from and says what is wrong with it, if
// anything.
func (b *Book) link(from *Chapter, dest string) (Target, string) {
	dest = strings.TrimSpace(dest)
	if s, ok := scheme(dest); ok {
		if !safeSchemes[s] {
			return Target{Kind: Refused}, "a " + s + ": URL is not carried into a book; set as text"
		}
		u, err := externalURL(dest)
		if err != nil {
			return Target{Kind: Refused}, err.Error() + "; set as text"
		}
		return Target{Kind: External, URL: u}, ""
	}
	_, frag, _ := strings.Cut(dest, "#")
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	file, ok := b.resolveFile(from.File, dest, false)
	if ch := b.byFile[file]; ok && ch != nil {
		return internalTarget(ch, frag)
	}
	site := ""
	switch {
	case ok:
		site = b.sitePath(file)
	case strings.HasPrefix(dest, "/"):
		site = cleanSitePath(dest)
	default:
		p, _, _ := strings.Cut(dest, "#")
		p, _, _ = strings.Cut(p, "?")
		site = path.Join(b.sitePath(from.File)+"/", p)
	}
	t := Target{Kind: Outside}
	if b.Meta.BaseURL != "" {
		// The path and fragment as written may hold anything: they are
		// escaped, so the URL is one.
		t.URL = b.Meta.BaseURL + (&url.URL{Path: site, Fragment: frag}).String()
		if ok {
			return t, ""
		}
		return t, "no page at " + site + " in the content tree; linked on " + b.Meta.BaseURL
	}
	if ok {
		return t, "not a chapter of this book; set as text (set base_url to link to the site)"
	}
	return t, "no such page; set as text"
}

// internalTarget is the target of a link to chapter ch with fragment frag:
// a heading, a footnote ("fn:2") or its reference ("fnref:2").
func internalTarget(ch *Chapter, frag string) (Target, string) {
	t := Target{Kind: Internal, Chapter: ch}
	if frag == "" {
		return t, ""
	}
	if ch.Heading(frag) != nil {
		t.Fragment = frag
		return t, ""
	}
	for prefix, n := range map[string]*int{"fn:": &t.Note, "fnref:": &t.NoteRef} {
		if s, ok := strings.CutPrefix(frag, prefix); ok {
			if i, err := strconv.Atoi(s); err == nil && i > 0 && i <= ch.notes {
				*n = i
				return t, ""
			}
		}
	}
	return t, "names no heading of " + ch.Path + "; linking to the chapter start"
}
