package book

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/adrg/frontmatter"
	"github.com/bindery-books/bindery/book/internal/corpus"
)

// parseFrontMatterWhole is parseFrontMatter as it was first written,
// giving the parser the whole page: the reference the one that gives it
// the front matter alone must agree with.
func parseFrontMatterWhole(data []byte, fm *FrontMatter) (body []byte, bodyLine int, errLine int, err error) {
	open, delim := openingDelimiter(data)
	if delim != "" && closingEnd(data, open, delim) < 0 {
		return nil, 0, open, fmt.Errorf("front matter opened with %s on line %d is never closed", delim, open)
	}
	rest, err := frontmatter.Parse(bytes.NewReader(data), fm)
	if err != nil {
		p := yamlPos("", max(open, 1), err)
		return nil, 0, p.Line, errors.New("front matter: " + yamlMsg(err))
	}
	consumed := len(data) - len(rest)
	return rest, 1 + bytes.Count(data[:consumed], []byte{'\n'}), 0, nil
}

// FuzzFrontMatterPart checks that parseFrontMatter, giving the parser no
// more than the front matter, finds what giving it the whole page finds.
func FuzzFrontMatterPart(f *testing.F) {
	seeds(f)
	for _, s := range []string{
		"", "body", "\n\n---\ntitle: A\n---\nbody", "---\n---\n", "---\n---", "---\ntitle: A\n---",
		"  ---  \r\ntitle: A\r\n --- \r\n\r\nbody\r\n", "---\ntitle: A\n---x\n---\nbody\n---\nmore",
		"+++\ntitle = 'A'\n+++\nbody", "---yaml\ntitle: A\n---\nbody", "---toml\ntitle = 'A'\n---\n",
		"---json\n{\"title\": \"A\"}\n---\n", ";;;\n{\"title\": \"A\"}\n;;;\nbody", "{\n\"title\": \"A\"\n}\n\nbody",
		"{\n\"title\": \"A\"\n}\nnot blank\n}\n\nbody", "---\ntitle: [\n---\n", "---\u00a0\ntitle: A\n---\u0085\nbody",
		"---\ntitle: A\n+++\n---\n", "+++\ntitle = 'A'\n---\n+++\n", "---\n---\n---\n", "---\ntitle: A\ntitle: B\n---\n",
		"---\ndraft: maybe\n---\n", "---\ntags: [a, b]\nweight: 3\ndate: 2024-01-01\n---\n# Head\n",
	} {
		f.Add(s)
	}
	if content, ok := corpus.Content(); ok {
		pages, _ := filepath.Glob(filepath.Join(content, filepath.FromSlash(corpus.Golang), "*.md"))
		for _, p := range pages[:min(len(pages), 5)] {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(string(data))
			}
		}
	}
	f.Fuzz(func(t *testing.T, page string) {
		data := []byte(page)
		var wfm, gfm FrontMatter
		wb, wl, we, werr := parseFrontMatterWhole(data, &wfm)
		gb, gl, ge, gerr := parseFrontMatter(data, &gfm)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || ge != we {
			t.Fatalf("parseFrontMatter(%q): error %v on line %d, want %v on line %d", data, gerr, ge, werr, we)
		}
		if !bytes.Equal(gb, wb) || gl != wl || !reflect.DeepEqual(gfm, wfm) {
			t.Errorf("parseFrontMatter(%q) = %q, line %d, %+v; want %q, line %d, %+v", data, gb, gl, gfm, wb, wl, wfm)
		}
	})
}
