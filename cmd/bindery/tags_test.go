package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/pdf"
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
func checkTagged(t testing.TB, file string, b *book.Book, pages []pdfPage) {
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

// tbRecorder is a testing.TB that keeps what a check reports instead of
// failing, to show that the check fails where it should.
type tbRecorder struct {
	testing.TB
	errs []string
}

func (r *tbRecorder) Helper()             {}
func (r *tbRecorder) Log(...any)          {}
func (r *tbRecorder) Logf(string, ...any) {}
func (r *tbRecorder) Error(a ...any)      { r.errs = append(r.errs, fmt.Sprint(a...)) }
func (r *tbRecorder) Errorf(f string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(f, a...))
}
func (r *tbRecorder) Fatal(a ...any) { r.Error(a...); runtime.Goexit() }
func (r *tbRecorder) Fatalf(f string, a ...any) {
	r.Errorf(f, a...)
	runtime.Goexit()
}

// recordCheck runs check with a tbRecorder and returns what it reported.
func recordCheck(t *testing.T, check func(tb testing.TB)) []string {
	r := &tbRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r.errs
}

// TestTaggedChecksFail holds checkTagged to what it is for: it passes a
// small tagged book, and fails the same book built untagged and, one
// fault at a time, the tagged file with a part of its tagging broken
// (edited in qpdf's QDF form, where every stream is plain text, without
// changing any object's length).
func TestTaggedChecksFail(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	requirePDFTools(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	dir := writeBook(t, map[string]string{
		"_index.md": "---\ntitle: Checked\nlanguage: en\n---\n- [One](one.md)\n- [Two](two.md)\n",
		"one.md": "---\ntitle: The First Chapter\n---\nA paragraph that links to [the second chapter](two.md) and cites a note.[^n]\n\n" +
			"| Name | Value |\n|------|-------|\n| one  | 1     |\n| two  | 2     |\n\n" +
			"```mermaid\nflowchart LR\n    A[Request] --> B[Reply]\n```\n\n[^n]: The note.\n",
		"two.md": "---\ntitle: The Second Chapter\n---\n## A Section\n\nMore words in a paragraph, with `code` in it.\n\n" +
			"```go\nfunc main() {}\n```\n",
	})
	b, err := book.Load(dir, book.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	tagged := filepath.Join(out, "tagged.pdf")
	if code, _, errOut := runCLI("pdf", "-q", "-o", tagged, dir); code != 0 {
		t.Fatalf("bindery pdf: exit %d\n%s", code, errOut)
	}
	check := func(file string) []string {
		pages := pdfWords(t, file)
		return recordCheck(t, func(tb testing.TB) { checkTagged(tb, file, b, pages) })
	}
	if errs := check(tagged); len(errs) > 0 {
		t.Fatalf("the tagged book fails the checks:\n%s", strings.Join(errs, "\n"))
	}

	expect := func(t *testing.T, file string, want ...string) {
		errs := check(file)
		all := strings.Join(errs, "\n")
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("the checks do not report %q; they report:\n%s", w, all)
			}
		}
	}
	t.Run("untagged", func(t *testing.T) {
		file := filepath.Join(out, "untagged.pdf")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pdf.Write(f, b, pdf.Config{Untagged: true}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		expect(t, file, "Tagged: yes", "pdfuaid:part", "/MarkInfo", "/Tabs", "no /StructTreeRoot")
	})

	qdf := filepath.Join(out, "qdf.pdf")
	if msg, err := exec.Command("qpdf", "--qdf", "--object-streams=disable", tagged, qdf).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --qdf: %v\n%s", err, msg)
	}
	plain, err := os.ReadFile(qdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ name, from, to, want string }{
		{"no-h1", "/S /H1", "/S /P ", "no H1 holds the title"},
		{"no-alt", "/Alt", "/Xlt", "a Figure without /Alt"},
		{"no-scope", "/Scope", "/Xcope", "a header cell tagged TH"},
		{"td-header", "/S /TH\n", "/S /TD\n", "a header cell tagged TD"},
		{"no-marked", "/Marked true", "/Xarked true", "/MarkInfo"},
		{"no-title", "/DisplayDocTitle", "/XisplayDocTitle", "/DisplayDocTitle"},
		{"no-lang", "/Lang", "/Xang", "no /Lang"},
		{"tabs", "/Tabs /S", "/Tabs /R", "/Tabs /R, want /S"},
		{"pdfua", "<pdfuaid:part>1<", "<pdfuaid:part>2<", "pdfuaid:part"},
		{"no-structparent", "/StructParent ", "/XtructParent ", "without /Contents or /StructParent"},
		{"no-mcid", "/MCID", "/XCID", "the structure tree's text covers"},
	} {
		t.Run(m.name, func(t *testing.T) {
			if !bytes.Contains(plain, []byte(m.from)) {
				t.Fatalf("the QDF file holds no %q", m.from)
			}
			file := filepath.Join(out, m.name+".pdf")
			if err := os.WriteFile(file, bytes.ReplaceAll(plain, []byte(m.from), []byte(m.to)), 0o644); err != nil {
				t.Fatal(err)
			}
			expect(t, file, m.want)
		})
	}
}
