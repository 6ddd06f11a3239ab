// Package verify checks the books Bindery writes, for tests that cannot
// run EPUBCheck on every input (the hostile-input suite, the fuzz
// targets): what EPUBCheck would reject for structure, well-formedness and
// references, and what must never reach a reader whatever the sources say.
package verify

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os/exec"
	"path"
	"strings"
)

// EPUB checks an EPUB and returns its problems, joined, or nil:
//
//   - the container: mimetype first, stored, without extra fields;
//     META-INF/container.xml naming a package document that exists;
//   - every XML file (package, navigation, NCX, XHTML, SVG) is well-formed
//     XML with no document type but XHTML's own, no entity but XML's five,
//     and no character XML forbids;
//   - the manifest lists every file of the package and only files that
//     exist, with unique IDs; the spine names manifest items; the
//     metadata has an identifier, a title and a language;
//   - IDs are unique in each document; every link and image inside the
//     book leads to a file of the package, and a link's fragment to an ID
//     of its target;
//   - nothing can run or reach out: no script element, no event handler
//     attribute, no link of a scheme but http, https and mailto, no image,
//     style or SVG reference outside the package.
func EPUB(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("not a zip: %w", err)
	}
	c := &checker{files: map[string][]byte{}, ids: map[string]map[string]bool{}}
	for i, f := range zr.File {
		if i == 0 {
			if f.Name != "mimetype" || f.Method != zip.Store || len(f.Extra) != 0 {
				c.errorf("the first entry must be mimetype, stored, without extra fields")
			}
		}
		if _, dup := c.files[f.Name]; dup {
			c.errorf("%s: two entries of that name", f.Name)
		}
		if strings.Contains(f.Name, "\\") || strings.HasPrefix(f.Name, "/") || path.Clean(f.Name) != f.Name || strings.HasPrefix(f.Name, "../") {
			c.errorf("%q: not a clean relative name", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			c.errorf("%s: %v", f.Name, err)
			continue
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			c.errorf("%s: %v", f.Name, err)
			continue
		}
		c.files[f.Name] = b
	}
	if string(c.files["mimetype"]) != "application/epub+zip" {
		c.errorf("mimetype: want application/epub+zip")
	}
	opf := c.container()
	if opf != "" {
		c.pkg(opf)
	}
	return errors.Join(c.errs...)
}

type checker struct {
	files map[string][]byte
	errs  []error
	// ids are the IDs of each XML document, by file name.
	ids map[string]map[string]bool
	// refs are the references to check once every document is read.
	refs []ref
}

type ref struct {
	from, target string // file names; target is resolved
	frag         string
	what         string
}

func (c *checker) errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// element is an element of a parsed XML document.
type element struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*element
	text     strings.Builder
}

func (e *element) attr(local string) string {
	for _, a := range e.attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (e *element) walk(fn func(*element)) {
	fn(e)
	for _, c := range e.children {
		c.walk(fn)
	}
}

// parse parses an XML document strictly and records its IDs.
func (c *checker) parse(name string) *element {
	data, ok := c.files[name]
	if !ok {
		c.errorf("%s: missing", name)
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = nil
	var root *element
	var stack []*element
	ids := map[string]bool{}
	c.ids[name] = ids
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.errorf("%s: not well-formed: %v", name, err)
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &element{name: t.Name, attrs: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, e)
			} else if root != nil {
				c.errorf("%s: two root elements", name)
			} else {
				root = e
			}
			stack = append(stack, e)
			seen := map[xml.Name]bool{}
			for _, a := range t.Attr {
				if seen[a.Name] {
					c.errorf("%s: <%s> repeats attribute %s", name, t.Name.Local, a.Name.Local)
				}
				seen[a.Name] = true
				if a.Name.Local == "id" && (a.Name.Space == "" || a.Name.Space == "xml") {
					if a.Value == "" || strings.ContainsAny(a.Value, " \t\n\r\f") {
						c.errorf("%s: id %q is empty or holds white space", name, a.Value)
					}
					if ids[a.Value] {
						c.errorf("%s: id %q used twice", name, a.Value)
					}
					ids[a.Value] = true
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.Directive:
			if s := strings.TrimSpace(string(t)); !strings.EqualFold(s, "DOCTYPE html") {
				c.errorf("%s: directive <!%s> (only <!DOCTYPE html> may appear)", name, firstWord(s))
			}
		}
	}
	if root == nil {
		c.errorf("%s: no root element", name)
	}
	return root
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t\n["); i >= 0 {
		return s[:i]
	}
	return s
}

func (c *checker) container() string {
	root := c.parse("META-INF/container.xml")
	if root == nil {
		return ""
	}
	full := ""
	root.walk(func(e *element) {
		if e.name.Local == "rootfile" && full == "" {
			full = e.attr("full-path")
		}
	})
	if full == "" {
		c.errorf("META-INF/container.xml: no rootfile")
	}
	return full
}

// pkg checks the package document and, through its manifest, every file.
func (c *checker) pkg(opf string) {
	root := c.parse(opf)
	if root == nil {
		return
	}
	dir := path.Dir(opf)
	items := map[string]string{}  // id -> file name
	listed := map[string]string{} // file name -> media type
	var spine []string
	meta := map[string]string{}
	root.walk(func(e *element) {
		switch e.name.Local {
		case "item":
			id, href, mt := e.attr("id"), e.attr("href"), e.attr("media-type")
			name, ok := resolve(dir, href)
			if !ok {
				c.errorf("%s: manifest item %q: href %q is not in the package", opf, id, href)
				return
			}
			if _, dup := items[id]; dup {
				c.errorf("%s: manifest id %q twice", opf, id)
			}
			items[id] = name
			listed[name] = mt
			if _, ok := c.files[name]; !ok {
				c.errorf("%s: manifest item %s is missing from the package", opf, name)
			}
		case "itemref":
			spine = append(spine, e.attr("idref"))
		case "identifier", "title", "language":
			if e.name.Space == "http://purl.org/dc/elements/1.1/" && meta[e.name.Local] == "" {
				meta[e.name.Local] = strings.TrimSpace(e.text.String())
			}
		}
	})
	for _, k := range []string{"identifier", "title", "language"} {
		if meta[k] == "" {
			c.errorf("%s: no dc:%s", opf, k)
		}
	}
	if l := meta["language"]; l != "" && !languageTag(l) {
		c.errorf("%s: dc:language %q is not a language tag", opf, l)
	}
	for _, id := range spine {
		if _, ok := items[id]; !ok {
			c.errorf("%s: spine names %q, which the manifest lacks", opf, id)
		}
	}
	for name := range c.files {
		if name == "mimetype" || strings.HasPrefix(name, "META-INF/") || name == opf {
			continue
		}
		if _, ok := listed[name]; !ok {
			c.errorf("%s: not in the manifest", name)
		}
	}
	for name, mt := range listed {
		switch mt {
		case "application/xhtml+xml", "image/svg+xml", "application/x-dtbncx+xml":
			if root := c.parse(name); root != nil {
				c.document(name, root)
			}
		case "text/css":
			c.css(name, string(c.files[name]))
		}
	}
	for _, r := range c.refs {
		if _, ok := c.files[r.target]; !ok {
			c.errorf("%s: %s %s: no such file in the package", r.from, r.what, r.target)
			continue
		}
		if _, ok := listed[r.target]; !ok {
			c.errorf("%s: %s %s: not in the manifest", r.from, r.what, r.target)
		}
		if r.frag != "" {
			ids, parsed := c.ids[r.target]
			if parsed && !ids[r.frag] {
				c.errorf("%s: %s %s#%s: no such ID", r.from, r.what, r.target, r.frag)
			}
		}
	}
}

// languageTag reports whether s has the shape of a BCP 47 tag.
func languageTag(s string) bool {
	for i, sub := range strings.Split(s, "-") {
		if len(sub) == 0 || len(sub) > 8 || i == 0 && len(sub) < 2 {
			return false
		}
		for _, r := range sub {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}

// resolve resolves a relative reference from a folder of the package.
func resolve(dir, ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	name := path.Join(dir, u.Path)
	if name == ".." || strings.HasPrefix(name, "../") {
		return "", false
	}
	return name, true
}

// document checks the elements of an XHTML, SVG or NCX document.
func (c *checker) document(name string, root *element) {
	dir := path.Dir(name)
	root.walk(func(e *element) {
		if strings.EqualFold(e.name.Local, "script") {
			c.errorf("%s: a script element", name)
		}
		if strings.EqualFold(e.name.Local, "style") {
			c.css(name, e.text.String())
		}
		for _, a := range e.attrs {
			k := strings.ToLower(a.Name.Local)
			switch {
			case strings.HasPrefix(k, "on"):
				c.errorf("%s: <%s> has event handler %s", name, e.name.Local, a.Name.Local)
			case k == "style":
				c.css(name, a.Value)
			case k == "href" || k == "src" || k == "xlink:href" || k == "poster" || k == "data" || k == "action" || k == "formaction":
				c.reference(name, dir, e, k, a.Value)
			}
		}
	})
}

// reference checks one reference: a link out of the book of a safe scheme,
// or a file (and fragment) of the package. Only <a> may link out.
func (c *checker) reference(name, dir string, e *element, key, v string) {
	v = strings.TrimSpace(v)
	u, err := url.Parse(v)
	if err != nil {
		c.errorf("%s: <%s %s=%q>: not a URL: %v", name, e.name.Local, key, v, err)
		return
	}
	isLink := key == "href" && e.name.Local == "a" && e.name.Space != "http://www.w3.org/2000/svg"
	if u.Scheme != "" || u.Host != "" {
		s := strings.ToLower(u.Scheme)
		if !isLink || s != "http" && s != "https" && s != "mailto" {
			c.errorf("%s: <%s %s=%q>: refers outside the book", name, e.name.Local, key, v)
		}
		return
	}
	if strings.HasPrefix(u.Path, "/") {
		c.errorf("%s: <%s %s=%q>: an absolute path", name, e.name.Local, key, v)
		return
	}
	target := name
	if u.Path != "" {
		t, ok := resolve(dir, u.Path)
		if !ok {
			c.errorf("%s: <%s %s=%q>: leads out of the package", name, e.name.Local, key, v)
			return
		}
		target = t
	}
	what := "link to"
	if !isLink {
		what = "reference to"
	}
	c.refs = append(c.refs, ref{from: name, target: target, frag: u.Fragment, what: what})
}

// css checks style sheet text for references outside the package and for
// what runs code in old readers.
func (c *checker) css(name, s string) {
	low := strings.ToLower(s)
	for _, bad := range []string{"expression(", "javascript:", "behavior:", "-moz-binding"} {
		if strings.Contains(low, bad) {
			c.errorf("%s: style holds %q", name, bad)
		}
	}
	for i := strings.Index(low, "url("); i >= 0; {
		arg := strings.TrimSpace(low[i+4:])
		arg = strings.TrimLeft(arg, `"'`)
		if strings.Contains(arg[:min(len(arg), 12)], ":") || strings.HasPrefix(arg, "//") {
			c.errorf("%s: style refers outside the book: %.40q", name, low[i:])
		}
		j := strings.Index(low[i+4:], "url(")
		if j < 0 {
			break
		}
		i += 4 + j
	}
	if strings.Contains(low, "@import") {
		c.errorf("%s: style has an @import", name)
	}
}

// PDF checks a PDF file with qpdf --check. checked is false when qpdf is
// not installed.
func PDF(file string) (checked bool, err error) {
	if _, lerr := exec.LookPath("qpdf"); lerr != nil {
		return false, nil
	}
	out, err := exec.Command("qpdf", "--check", file).CombinedOutput()
	if err != nil {
		return true, fmt.Errorf("qpdf --check: %v\n%s", err, out)
	}
	return true, nil
}
