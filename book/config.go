package book

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// Options control loading.
type Options struct {
	// Root is the content root that site-absolute links resolve against.
	// Empty means the nearest ancestor folder named "content", else the book's folder.
	Root string
	// Drafts includes pages whose front matter says draft: true.
	Drafts bool
	// Strict turns warnings into errors.
	Strict bool
	// FetchRemote allows fetching remote (http, https) images into the book.
	FetchRemote bool
	// HTTPClient fetches them; nil means a client that fetches directly,
	// and never from the build machine or its networks (loopback, private
	// and link-local addresses).
	HTTPClient *http.Client

	extra []extraRoot // Hugo's static/ and assets/, found by Load
	reuse *reuse      // set by a Reloader
	// serial reads the pages one after another as the walk of the
	// index comes to them, not ahead of it on every core: the tests
	// compare.
	serial bool
}

// Config is book.yaml, beside _index.md. Every field is optional.
type Config struct {
	Title       string  `yaml:"title"`
	Subtitle    string  `yaml:"subtitle"`
	Authors     Names   `yaml:"authors"`
	Author      Names   `yaml:"author"`
	Language    string  `yaml:"language"`
	Identifier  string  `yaml:"identifier"`
	Publisher   string  `yaml:"publisher"`
	Rights      string  `yaml:"rights"`
	Description string  `yaml:"description"`
	Cover       string  `yaml:"cover"`
	BaseURL     string  `yaml:"base_url"`
	TOCDepth    int     `yaml:"toc_depth"`
	PageSize    string  `yaml:"page_size"`
	TwoSide     bool    `yaml:"twoside"`
	FontSize    float64 `yaml:"font_size"`
	Hyphenate   *bool   `yaml:"hyphenate"`
	// Fonts are the typefaces to set the book in (fonts.go).
	Fonts FontsConfig `yaml:"fonts"`
	// PageList puts the PDF's page list into the EPUB that bindery epub
	// writes; bindery build always does.
	PageList bool `yaml:"page_list"`
	// A11yCertifiedBy names who assessed the book's accessibility.
	A11yCertifiedBy string `yaml:"a11y_certified_by"`
}

// configLines says where book.yaml sets each key, for messages.
type configLines struct {
	file  string
	lines map[string]int
}

// at returns the position of a key of book.yaml.
func (c configLines) at(key string) Pos { return Pos{c.file, c.lines[key]} }

// Names is a list of names that YAML may also give as one string.
type Names []string

// UnmarshalYAML accepts one name or a list of names.
func (n *Names) UnmarshalYAML(v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode {
		*n = Names{v.Value}
		return nil
	}
	var l []string
	if err := v.Decode(&l); err != nil {
		return err
	}
	*n = l
	return nil
}

var configKeys = map[string]bool{
	"title": true, "subtitle": true, "authors": true, "author": true, "language": true,
	"identifier": true, "publisher": true, "rights": true, "description": true, "cover": true,
	"base_url": true, "toc_depth": true, "page_size": true, "twoside": true, "font_size": true,
	"hyphenate": true, "fonts": true,
	"page_list": true, "a11y_certified_by": true,
}

// PageSizes lists the page sizes the PDF knows.
var PageSizes = []string{"a4", "letter", "a5", "6x9in"}

// readConfig reads book.yaml from dir if it exists, and checks every
// value a build uses.
func readConfig(b *Book, dir string) Config {
	var c Config
	ds := b.Diagnostics
	name := path.Join(dir, "book.yaml")
	file := displayJoin(b.root, name)
	data, err := readFile(b.fsys, name, maxPageSize)
	if errors.Is(err, fs.ErrNotExist) {
		return c
	}
	if err != nil {
		msg, _ := fileError(err)
		ds.Errorf(Pos{File: file}, "%s", msg)
		return c
	}
	b.sources.add("", name)
	if err := checkText(data); err != nil {
		ds.Errorf(Pos{file, err.line}, "%s", err.msg)
		return c
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		ds.Errorf(yamlPos(file, 0, err), "%s", yamlMsg(err))
		return c
	}
	if len(doc.Content) == 0 {
		return c
	}
	lines := map[string]int{}
	if m := doc.Content[0]; m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k := m.Content[i]
			lines[k.Value] = k.Line
			if !configKeys[k.Value] {
				ds.Warnf(Pos{file, k.Line}, "unknown key %q in book.yaml", k.Value)
			}
		}
	}
	if err := doc.Decode(&c); err != nil {
		ds.Errorf(yamlPos(file, 0, err), "%s", yamlMsg(err))
		return Config{}
	}
	b.configLines = configLines{file, lines}
	at := b.configLines.at
	c.Fonts.report(file, ds)
	if c.PageSize != "" && !validPageSize(c.PageSize) {
		ds.Errorf(at("page_size"), "page_size %q: want one of %s", c.PageSize, strings.Join(PageSizes, ", "))
	}
	// NaN fails every comparison: it must fail this one.
	if !(c.FontSize == 0 || c.FontSize >= 6 && c.FontSize <= 20) {
		ds.Errorf(at("font_size"), "font_size %v: want between 6 and 20 points", c.FontSize)
	}
	if c.TOCDepth < 0 || c.TOCDepth > 6 {
		ds.Errorf(at("toc_depth"), "toc_depth %d: want 1 to 6", c.TOCDepth)
	}
	if c.BaseURL != "" {
		if err := checkBaseURL(c.BaseURL); err != nil {
			shown := c.BaseURL
			if u, perr := url.Parse(shown); perr == nil && u.User != nil {
				shown = u.Redacted() // a password is not printed in a build log
			}
			ds.Errorf(at("base_url"), "base_url %q: %v", shown, err)
			c.BaseURL = ""
		}
	}
	if c.Language != "" && !languageTag(c.Language) {
		ds.Errorf(at("language"), "language %q: want a language tag such as en, fr or pt-BR", c.Language)
		c.Language = ""
	}
	for _, f := range []struct {
		key string
		val *string
	}{{"title", &c.Title}, {"subtitle", &c.Subtitle}, {"identifier", &c.Identifier}, {"publisher", &c.Publisher}, {"rights", &c.Rights}, {"description", &c.Description}, {"a11y_certified_by", &c.A11yCertifiedBy}} {
		*f.val = xmlText(*f.val)
		if f.key == "description" || f.key == "rights" {
			if n := utf8.RuneCountInString(*f.val); n > maxTextLen {
				ds.Errorf(at(f.key), "%s of %d characters: longer than the %d a book's %s may be", f.key, n, maxTextLen, f.key)
			}
		} else if n := utf8.RuneCountInString(*f.val); n > maxTitleLen {
			ds.Errorf(at(f.key), "%s of %d characters: longer than the %d a title may be", f.key, n, maxTitleLen)
		}
	}
	for _, names := range []Names{c.Authors, c.Author} {
		for i, n := range names {
			names[i] = xmlText(n)
			if l := utf8.RuneCountInString(names[i]); l > maxTitleLen {
				ds.Errorf(at("authors"), "author of %d characters: longer than the %d a name may be", l, maxTitleLen)
			}
		}
	}
	return c
}

// checkBaseURL checks the base_url of book.yaml: an absolute http or https
// URL of a host, which links are appended to, so with no query or fragment.
func checkBaseURL(s string) error {
	want := errors.New("want an http or https URL such as https://example.com/docs")
	if strings.TrimSpace(s) != s || strings.ContainsFunc(s, func(r rune) bool { return r < 0x21 || r == 0x7f || r == '"' || r == '<' || r == '>' || r == '\\' }) {
		return want
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Opaque != "" {
		return want
	}
	if u.User != nil {
		return errors.New("holds a user name or password; refused")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.Contains(s, "#") {
		return errors.New("holds a query or a fragment, which links cannot be appended to")
	}
	return nil
}

// languageTag reports whether s has the shape of a BCP 47 language tag:
// a language of 2 to 8 letters, then subtags of 1 to 8 letters or digits.
func languageTag(s string) bool {
	for i, sub := range strings.Split(s, "-") {
		if len(sub) == 0 || len(sub) > 8 || i == 0 && len(sub) < 2 {
			return false
		}
		for _, r := range sub {
			letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if !letter && (i == 0 || r < '0' || r > '9') {
				return false
			}
		}
	}
	return true
}

func validPageSize(s string) bool {
	for _, p := range PageSizes {
		if p == s {
			return true
		}
	}
	return false
}

var yamlLine = regexp.MustCompile(`^yaml: (?:unmarshal errors:\s*)?(?:line (\d+): )?`)

// yamlPos turns a YAML error into a position: line is the file line on which
// the YAML document starts, less one.
func yamlPos(file string, offset int, err error) Pos {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m != nil && m[1] != "" {
		n, _ := strconv.Atoi(m[1])
		return Pos{file, offset + n}
	}
	return Pos{file, offset + 1}
}

// yamlMsg returns the message of a YAML error without its position: the
// first of a list of errors, with how many more there are.
func yamlMsg(err error) string {
	s := yamlLine.ReplaceAllString(err.Error(), "")
	s = strings.TrimPrefix(s, "yaml: ")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	msg := strings.TrimSpace(regexp.MustCompile(`^\s*line \d+: `).ReplaceAllString(lines[0], ""))
	if n := len(lines) - 1; n > 0 && strings.HasPrefix(strings.TrimSpace(lines[1]), "line ") {
		msg += fmt.Sprintf(" (and %d more)", n)
	} else if n > 0 {
		msg = strings.Join(strings.Fields(s), " ")
	}
	return msg
}

// parseFrontMatter reads a page's front matter (YAML between ---, TOML
// between +++, or a JSON object) into fm, and returns the body and the
// 1-based line on which it starts. A page without front matter is all body.
// Errors carry the file line they concern.
func parseFrontMatter(data []byte, fm *FrontMatter) (body []byte, bodyLine int, errLine int, err error) {
	open, delim := openingDelimiter(data)
	end := len(data)
	if delim != "" {
		if end = closingEnd(data, open, delim); end < 0 {
			return nil, 0, open, fmt.Errorf("front matter opened with %s on line %d is never closed", delim, open)
		}
	}
	// The parser copies all it is given, body and all, into a buffer it
	// grows as it goes, to return the body as a part of that copy: given
	// the front matter alone, which it reads up to the same closing line
	// and no further, it returns the same, and an empty body.
	rest, err := frontmatter.Parse(bytes.NewReader(data[:end]), fm)
	if err != nil {
		p := yamlPos("", max(open, 1), err)
		return nil, 0, p.Line, errors.New("front matter: " + yamlMsg(err))
	}
	consumed := end - len(rest)
	body = data[consumed:]
	if !bytes.Equal(data[consumed:end], rest) {
		// Not the end of what it was given: take the parser's word.
		body = append(rest[:len(rest):len(rest)], data[end:]...)
		consumed = len(data) - len(body)
	}
	return body, 1 + bytes.Count(data[:consumed], []byte{'\n'}), 0, nil
}

// openingDelimiter returns the line and text of a front matter opening
// delimiter (--- or +++) on the first non-blank line, or "".
func openingDelimiter(data []byte) (int, string) {
	i := 0
	for l := range bytes.Lines(data) {
		if i++; i > 63 {
			break
		}
		t := string(bytes.TrimSpace(l))
		if t == "" {
			continue
		}
		if t == "---" || t == "+++" {
			return i, t
		}
		return 0, ""
	}
	return 0, ""
}

// closingEnd returns the offset in data of the end of the first line
// after line open that is delim, or -1 when there is none.
func closingEnd(data []byte, open int, delim string) int {
	i, end := 0, 0
	for l := range bytes.Lines(data) {
		end += len(l)
		if i++; i > open && string(bytes.TrimSpace(l)) == delim {
			return end
		}
	}
	return -1
}
