package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode"

	"github.com/bindery-books/bindery/book"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// The tagged PDF's checks (PDF/UA-1, the accessibility issue): the
// catalog and metadata a tagged PDF needs, a structure tree with an H1
// for every chapter, alternate text on every Figure and Formula, header
// cells as TH, every link annotation in the tree with its /Contents, and
// the tree's text covering the words on the pages, all but the
// artifacts (running heads, folios, leaders).

// minCoverage is the share of the words pdftotext finds that the text of
// the structure tree must hold.
const minCoverage = 0.97

// tElem is a structure element as qpdf and poppler read it.
type tElem struct {
	typ    string
	d      map[string]any
	kids   []*tElem
	annots []map[string]any
	text   string // poppler's text under it
}

func (e *tElem) walk(fn func(e *tElem, parent *tElem)) {
	for _, k := range e.kids {
		fn(k, e)
		k.walk(fn)
	}
}

// checkTagged runs the tagged PDF's checks on one built PDF.
func checkTagged(t *testing.T, file string, b *book.Book, pages []pdfPage) {
	info, err := exec.Command("pdfinfo", file).Output()
	if err != nil || !bytes.Contains(info, []byte("\nTagged:          yes")) {
		t.Errorf("pdfinfo does not say Tagged: yes (%v):\n%s", err, info)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<pdfuaid:part>1</pdfuaid:part>", "<dc:title>"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("the XMP metadata has no %s", want)
		}
	}
	out, err := exec.Command("qpdf", "--json=2", "--json-stream-data=none", file).Output()
	var ee *exec.ExitError
	if err != nil && (!errors.As(err, &ee) || ee.ExitCode() != 3) {
		t.Fatalf("qpdf --json %s: %v", file, err)
	}
	var doc struct {
		Pages []struct {
			Object string `json:"object"`
		} `json:"pages"`
		QPDF []json.RawMessage
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var objs map[string]map[string]any
	if err := json.Unmarshal(doc.QPDF[1], &objs); err != nil {
		t.Fatal(err)
	}
	get := func(r any) map[string]any {
		if m, ok := r.(map[string]any); ok {
			return m
		}
		s, _ := r.(string)
		v, _ := objs["obj:"+s]["value"].(map[string]any)
		return v
	}
	str := func(v any) string { s, _ := v.(string); return strings.TrimPrefix(s, "u:") }
	cat := get(objs["trailer"]["value"].(map[string]any)["/Root"])
	if mi := get(cat["/MarkInfo"]); mi["/Marked"] != true {
		t.Errorf("catalog /MarkInfo %v, want << /Marked true >>", cat["/MarkInfo"])
	}
	if vp := get(cat["/ViewerPreferences"]); vp["/DisplayDocTitle"] != true {
		t.Errorf("catalog /ViewerPreferences %v, want /DisplayDocTitle true", cat["/ViewerPreferences"])
	}
	if str(cat["/Lang"]) == "" {
		t.Error("the catalog has no /Lang")
	}
	for i, p := range doc.Pages {
		if pg := get(p.Object); pg["/Tabs"] != "/S" {
			t.Errorf("page %d: /Tabs %v, want /S", i+1, pg["/Tabs"])
			break
		}
	}

	// The tree, from qpdf; the text under each element from poppler,
	// which lists the elements in the same order.
	root := &tElem{typ: "StructTreeRoot"}
	var all []*tElem
	var elem func(r any) *tElem
	elem = func(r any) *tElem {
		d := get(r)
		e := &tElem{typ: strings.TrimPrefix(str(d["/S"]), "/"), d: d}
		all = append(all, e)
		kids, ok := d["/K"].([]any)
		if !ok {
			kids = []any{d["/K"]}
		}
		for _, k := range kids {
			switch k := k.(type) {
			case string:
				e.kids = append(e.kids, elem(k))
			case map[string]any:
				if k["/Type"] == "/OBJR" {
					e.annots = append(e.annots, get(k["/Obj"]))
				}
			}
		}
		return e
	}
	tr := get(cat["/StructTreeRoot"])
	if tr == nil {
		t.Fatal("no /StructTreeRoot")
	}
	top, _ := tr["/K"].([]any)
	for _, k := range top {
		root.kids = append(root.kids, elem(k))
	}
	structOut, err := exec.Command("pdfinfo", "-struct-text", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo -struct-text: %v", err)
	}
	var texts []string // every text of the tree, in order
	var stack []*tElem
	i, attrs := 0, -1
	for _, l := range strings.Split(strings.TrimRight(string(structOut), "\n"), "\n") {
		s := strings.TrimSpace(l)
		d := (len(l) - len(strings.TrimLeft(l, " "))) / 2
		switch {
		case attrs >= 0 && d > attrs && strings.HasPrefix(s, "/"):
		case strings.HasPrefix(s, `"`) && len(s) >= 2:
			text := s[1 : len(s)-1]
			texts = append(texts, text)
			for _, e := range stack[:min(d, len(stack))] {
				e.text += text
			}
		case strings.HasPrefix(s, "Object "):
		default:
			if i >= len(all) || !strings.HasPrefix(s, all[i].typ) {
				t.Fatalf("pdfinfo -struct-text and qpdf disagree on the tree at %q", l)
			}
			stack = append(stack[:min(d, len(stack))], all[i])
			i++
			attrs = -1
			if strings.HasSuffix(s, ":") {
				attrs = d
			}
		}
	}

	count := map[string]int{}
	annots := 0
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	var h1s []string
	root.walk(func(e, parent *tElem) {
		count[e.typ]++
		annots += len(e.annots)
		switch e.typ {
		case "Figure", "Formula":
			if str(e.d["/Alt"]) == "" {
				t.Errorf("a %s without /Alt: %q", e.typ, clip(e.text, 80))
			}
		case "Note":
			if e.d["/ID"] == nil {
				t.Errorf("a Note without /ID: %q", clip(e.text, 80))
			}
		case "H1":
			h1s = append(h1s, squash(e.text))
		case "TR":
			if parent.typ != "THead" {
				break
			}
			for _, c := range e.kids {
				if a := get(c.d["/A"]); c.typ != "TH" || a["/Scope"] == nil {
					t.Errorf("a header cell tagged %s (attributes %v): %q", c.typ, c.d["/A"], c.text)
				}
			}
		}
		for _, a := range e.annots {
			if str(a["/Contents"]) == "" || a["/StructParent"] == nil {
				t.Errorf("a link annotation in a %s without /Contents or /StructParent: %v", e.typ, a)
			}
		}
	})
	if len(root.kids) != 1 || root.kids[0].typ != "Document" {
		t.Errorf("the tree's root holds %d elements, want one Document", len(root.kids))
	}
	for _, ch := range b.Chapters {
		found := false
		for _, h := range h1s {
			found = found || strings.Contains(h, squash(ch.Title))
		}
		if !found {
			t.Errorf("no H1 holds the title of chapter %d, %q", ch.Number, ch.Title)
		}
	}
	// Every table with a header row has its THead.
	heads := 0
	for _, ch := range b.Chapters {
		_ = ast.Walk(ch.Doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if _, ok := n.(*extast.TableHeader); ok && entering {
				heads++
			}
			return ast.WalkContinue, nil
		})
	}
	if count["THead"] < heads {
		t.Errorf("%d THead elements for %d tables with a header row", count["THead"], heads)
	}
	links := 0
	for _, o := range objs {
		if v, ok := o["value"].(map[string]any); ok && v["/Subtype"] == "/Link" {
			links++
		}
	}
	if links != annots {
		t.Errorf("%d link annotations, %d of them in the structure tree", links, annots)
	}

	// The words on the pages (with a letter or a digit) the tree's text
	// holds: as words, or, for
	// a word the tree splits between elements or joins across a line
	// (a hyphenated word), inside its text.
	tokens := map[string]int{}
	for _, w := range strings.Fields(strings.Join(texts, " ")) {
		tokens[w]++
		if strings.Contains(w, "-") {
			for _, p := range strings.SplitAfter(w, "-") {
				tokens[p]++
			}
		}
	}
	joined := map[string]bool{}
	for _, w := range strings.Fields(strings.Join(texts, "")) {
		joined[w] = true
		for _, p := range strings.SplitAfter(w, "-") {
			joined[p] = true // a word hyphenated at a line's end, its hyphen a Span
		}
	}
	total, covered := 0, 0
	var missed []string
	for _, p := range pages {
		for _, w := range p.Words {
			if !strings.ContainsFunc(w.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
				continue // a leader's dot, a rule of dashes: not a word
			}
			total++
			switch {
			case tokens[w.Text] > 0:
				tokens[w.Text]--
				covered++
			case joined[w.Text]:
				covered++
			default:
				if len(missed) < 60 {
					missed = append(missed, w.Text)
				}
			}
		}
	}
	share := float64(covered) / float64(max(total, 1))
	t.Logf("tree: %d elements (%d H1, %d P, %d Figure, %d Table, %d TH, %d Link, %d Note, %d Formula); text covers %d of %d words (%.2f%%)",
		len(all), count["H1"], count["P"], count["Figure"], count["Table"], count["TH"], count["Link"], count["Note"], count["Formula"], covered, total, 100*share)
	if share < minCoverage {
		t.Errorf("the structure tree's text covers %.2f%% of the words on the pages, want %.0f%%; some left out: %q", 100*share, 100*minCoverage, missed)
	}
}
