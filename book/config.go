package book

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

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

	extra []extraRoot // Hugo's static/ and assets/, found by Load
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
	// PageList puts the PDF's page list into the EPUB that bindery epub
	// writes; bindery build always does.
	PageList bool `yaml:"page_list"`
	// A11yCertifiedBy names who assessed the book's accessibility.
	A11yCertifiedBy string `yaml:"a11y_certified_by"`
}

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
	"page_list": true, "a11y_certified_by": true, "hyphenate": true,
}

// PageSizes lists the page sizes the PDF knows.
var PageSizes = []string{"a4", "letter", "a5", "6x9in"}

// readConfig reads book.yaml from dir if it exists.
func readConfig(fsys fs.FS, dir, display string, ds *Diagnostics) (Config, bool) {
	var c Config
	name := path.Join(dir, "book.yaml")
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return c, false
	}
	file := displayJoin(display, name)
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		ds.Errorf(yamlPos(file, 0, err), "%s", yamlMsg(err))
		return c, false
	}
	if len(doc.Content) == 0 {
		return c, true
	}
	if m := doc.Content[0]; m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if k := m.Content[i]; !configKeys[k.Value] {
				ds.Warnf(Pos{file, k.Line}, "unknown key %q in book.yaml", k.Value)
			}
		}
	}
	if err := doc.Decode(&c); err != nil {
		ds.Errorf(yamlPos(file, 0, err), "%s", yamlMsg(err))
		return c, false
	}
	if c.PageSize != "" && !validPageSize(c.PageSize) {
		ds.Errorf(Pos{File: file}, "page_size %q: want one of %s", c.PageSize, strings.Join(PageSizes, ", "))
	}
	if c.FontSize < 0 || c.FontSize > 0 && (c.FontSize < 6 || c.FontSize > 20) {
		ds.Errorf(Pos{File: file}, "font_size %v: want between 6 and 20 points", c.FontSize)
	}
	if c.TOCDepth < 0 || c.TOCDepth > 6 {
		ds.Errorf(Pos{File: file}, "toc_depth %d: want 1 to 6", c.TOCDepth)
	}
	return c, true
}

func validPageSize(s string) bool {
	for _, p := range PageSizes {
		if p == s {
			return true
		}
	}
	return false
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

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

func yamlMsg(err error) string {
	s := err.Error()
	s = yamlLine.ReplaceAllString(s, "")
	s = strings.TrimPrefix(s, "yaml: ")
	s = strings.ReplaceAll(s, "\n ", "")
	return "front matter: " + strings.TrimSpace(s)
}

// parseFrontMatter reads a page's front matter (YAML between ---, TOML
// between +++, or a JSON object) into fm, and returns the body and the
// 1-based line on which it starts. A page without front matter is all body.
// Errors carry the file line they concern.
func parseFrontMatter(data []byte, fm *FrontMatter) (body []byte, bodyLine int, errLine int, err error) {
	open, delim := openingDelimiter(data)
	if delim != "" && !closed(data, open, delim) {
		return nil, 0, open, fmt.Errorf("front matter opened with %s on line %d is never closed", delim, open)
	}
	rest, err := frontmatter.Parse(bytes.NewReader(data), fm)
	if err != nil {
		p := yamlPos("", max(open, 1), err)
		return nil, 0, p.Line, errors.New(yamlMsg(err))
	}
	consumed := len(data) - len(rest)
	return rest, 1 + bytes.Count(data[:consumed], []byte{'\n'}), 0, nil
}

// openingDelimiter returns the line and text of a front matter opening
// delimiter (--- or +++) on the first non-blank line, or "".
func openingDelimiter(data []byte) (int, string) {
	for i, l := range strings.SplitN(string(data), "\n", 64) {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if t == "---" || t == "+++" {
			return i + 1, t
		}
		return 0, ""
	}
	return 0, ""
}

func closed(data []byte, open int, delim string) bool {
	lines := strings.Split(string(data), "\n")
	for _, l := range lines[open:] {
		if strings.TrimSpace(l) == delim {
			return true
		}
	}
	return false
}
