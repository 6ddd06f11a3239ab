package book

import (
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// LinkKind says where a link of a chapter points.
type LinkKind int

const (
	// External is a URL off the site: kept as it is.
	External LinkKind = iota
	// Internal is a chapter of this book, or one of its headings.
	Internal
	// Outside is a page of the site that is not in this book. URL is an
	// absolute URL when base_url is configured, else empty: set it as text.
	Outside
)

// Target is where a link points.
type Target struct {
	Kind LinkKind
	// Chapter is the target chapter of an Internal link.
	Chapter *Chapter
	// Fragment is the ID of the target heading, or "" for the chapter start.
	Fragment string
	// URL is the address of External links and of Outside links when base_url is set.
	URL string
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

func hasScheme(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	i := strings.IndexByte(dest, ':')
	if i <= 0 {
		return false
	}
	for _, r := range dest[:i] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
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

// resolveFile finds the file a link of page from names. index is true for
// the index's own links, which may switch on prefix mapping.
func (b *Book) resolveFile(from, dest string, index bool) (string, bool) {
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if p == "" {
		return from, true
	}
	if strings.HasPrefix(p, "/") {
		return b.resolveSite(p, index)
	}
	// Relative to the file's folder, as in mdBook and on GitHub.
	joined := path.Join(path.Dir(from), p)
	if !strings.HasPrefix(joined, "../") && joined != ".." {
		for _, c := range candidates(joined) {
			if b.isFile(c) {
				return c, true
			}
		}
	}
	// Relative to the page's URL, as Hugo's pretty URLs make it (/a/b/page/).
	return b.resolveSite(path.Join(b.sitePath(from)+"/", p), index)
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

// Link returns where a link of chapter from points.
func (b *Book) Link(from *Chapter, dest string) Target {
	t, _ := b.link(from, dest)
	return t
}

// link resolves a link and says what is wrong with it, if anything.
func (b *Book) link(from *Chapter, dest string) (Target, string) {
	dest = strings.TrimSpace(dest)
	if hasScheme(dest) {
		return Target{Kind: External, URL: dest}, ""
	}
	_, frag, _ := strings.Cut(dest, "#")
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	file, ok := b.resolveFile(from.File, dest, false)
	if ch := b.byFile[file]; ok && ch != nil {
		t := Target{Kind: Internal, Chapter: ch}
		if frag == "" {
			return t, ""
		}
		if ch.Heading(frag) != nil {
			t.Fragment = frag
			return t, ""
		}
		if isFootnoteID(ch, frag) {
			t.Fragment = frag
			return t, ""
		}
		return t, "names no heading of " + ch.Path + "; linking to the chapter start"
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
		t.URL = b.Meta.BaseURL + site
		if frag != "" {
			t.URL += "#" + frag
		}
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

func isFootnoteID(ch *Chapter, frag string) bool {
	return strings.HasPrefix(frag, "fn:") || strings.HasPrefix(frag, "fnref:")
}

// checkLinks resolves every link of every chapter once, so problems are
// reported at load time, by `bindery check` as by the packagers.
func (b *Book) checkLinks() {
	for _, ch := range b.Chapters {
		_ = ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			var dest string
			switch n := n.(type) {
			case *ast.Link:
				dest = string(n.Destination)
			default:
				return ast.WalkContinue, nil
			}
			if _, problem := b.link(ch, dest); problem != "" {
				b.Diagnostics.Warnf(ch.PosOf(n), "link to %q: %s", dest, problem)
			}
			return ast.WalkContinue, nil
		})
	}
}
