package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/golden"
	"golang.org/x/tools/txtar"
)

// The tests of the tagged PDF read the PDF back with qpdf (the structure
// tree, its attributes, the annotations) and poppler (the text under each
// element), and the content streams themselves (is everything drawn
// inside marked content).

// pdfTool runs a program on a PDF and returns its output; it skips the
// test when the program is missing, unless BINDERY_REQUIRE_TOOLS is set.
func pdfTool(t *testing.T, pdf []byte, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
			t.Fatalf("%s not installed, and BINDERY_REQUIRE_TOOLS is set", name)
		}
		t.Skipf("%s not installed", name)
	}
	path := filepath.Join(t.TempDir(), "book.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args = slices.Clone(args)
	for i, a := range args {
		if a == "FILE" {
			args[i] = path
		}
	}
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// taggedTree writes the PDF of b, checks its marked content and its parent
// tree, and returns it and its structure tree, with the text under each
// element.
func taggedTree(t *testing.T, b *book.Book) ([]byte, []*sElem) {
	t.Helper()
	pdf := writePDF(t, b)
	checkMarked(t, pdf)
	q := readQPDF(t, pdf)
	top := q.tree(t)
	structText(t, pdf, top)
	checkParentTree(t, q, top)
	return pdf, top
}

// writePDF typesets a book.
func writePDF(t *testing.T, b *book.Book) []byte {
	t.Helper()
	var out bytes.Buffer
	if _, err := Write(&out, b, Config{}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// sElem is a structure element as qpdf reads it.
type sElem struct {
	Type  string
	Attrs []string // "Alt=…", in a fixed order
	Kids  []*sElem
	// Pages are the page numbers (from 1) of its marked content; Annots
	// the annotations it holds.
	Pages  []int
	Annots []map[string]any
	// ref is the element's object; mcids its marked content, as page
	// number and MCID.
	ref   string
	mcids [][2]int
	// Text is what poppler reads under it, its own and its kids'; Own
	// its own, with "·" where a kid's goes.
	Text, Own string
}

// walk calls fn on e and every element below it, depth first.
func (e *sElem) walk(fn func(*sElem, []*sElem), path []*sElem) {
	fn(e, path)
	for _, k := range e.Kids {
		k.walk(fn, append(path, e))
	}
}

// qpdfDoc is what the tests read of a PDF with qpdf: its objects.
type qpdfDoc struct {
	objs  map[string]map[string]any
	pages map[string]int // page object → page number
	cat   map[string]any
}

func readQPDF(t *testing.T, pdf []byte) *qpdfDoc {
	var doc struct {
		Pages []struct {
			Object string `json:"object"`
		} `json:"pages"`
		QPDF []json.RawMessage
	}
	out := pdfTool(t, pdf, "qpdf", "--json=2", "--json-stream-data=none", "FILE")
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	q := &qpdfDoc{pages: map[string]int{}}
	if err := json.Unmarshal(doc.QPDF[1], &q.objs); err != nil {
		t.Fatal(err)
	}
	for i, p := range doc.Pages {
		q.pages[p.Object] = i + 1
	}
	q.cat = q.get(q.objs["trailer"]["value"].(map[string]any)["/Root"])
	return q
}

// get returns the dictionary of a reference or a direct dictionary.
func (q *qpdfDoc) get(r any) map[string]any {
	if m, ok := r.(map[string]any); ok {
		return m
	}
	s, ok := r.(string)
	if !ok {
		return nil
	}
	o := q.objs["obj:"+s]
	if v, ok := o["value"].(map[string]any); ok {
		return v
	}
	if st, ok := o["stream"].(map[string]any); ok {
		return st["dict"].(map[string]any)
	}
	return nil
}

// text returns a string value of qpdf's JSON as text.
func qText(v any) string {
	s, _ := v.(string)
	return strings.TrimPrefix(strings.TrimPrefix(s, "u:"), "b:")
}

// tree returns the structure tree's top elements.
func (q *qpdfDoc) tree(t *testing.T) []*sElem {
	root := q.get(q.cat["/StructTreeRoot"])
	if root == nil {
		t.Fatal("no /StructTreeRoot")
	}
	var elem func(r any) *sElem
	elem = func(r any) *sElem {
		d := q.get(r)
		e := &sElem{Type: strings.TrimPrefix(qText(d["/S"]), "/"), ref: r.(string)}
		for _, k := range []string{"/Alt", "/ActualText", "/Lang", "/ID"} {
			if v, ok := d[k]; ok {
				e.Attrs = append(e.Attrs, k[1:]+"="+strconv.Quote(qText(v)))
			}
		}
		if a, ok := d["/A"].(map[string]any); ok {
			for _, k := range []string{"/Scope", "/ListNumbering"} {
				if v, ok := a[k]; ok {
					e.Attrs = append(e.Attrs, k[1:]+"="+strings.TrimPrefix(qText(v), "/"))
				}
			}
		}
		pg, _ := d["/Pg"].(string)
		page := func(p string) {
			if n := q.pages[p]; n > 0 && !slices.Contains(e.Pages, n) {
				e.Pages = append(e.Pages, n)
			}
		}
		kids, ok := d["/K"].([]any)
		if !ok {
			kids = []any{d["/K"]}
		}
		for _, k := range kids {
			switch k := k.(type) {
			case float64:
				page(pg)
				e.mcids = append(e.mcids, [2]int{q.pages[pg], int(k)})
			case string:
				e.Kids = append(e.Kids, elem(k))
			case map[string]any:
				switch qText(k["/Type"]) {
				case "/MCR":
					page(qText(k["/Pg"]))
					e.mcids = append(e.mcids, [2]int{q.pages[qText(k["/Pg"])], int(k["/MCID"].(float64))})
				case "/OBJR":
					e.Annots = append(e.Annots, q.get(k["/Obj"]))
				}
			}
		}
		return e
	}
	var top []*sElem
	for _, k := range root["/K"].([]any) {
		top = append(top, elem(k))
	}
	return top
}

// structText fills in the text poppler reads under each element, from
// pdfinfo -struct-text, whose elements come in the same order.
func structText(t *testing.T, pdf []byte, top []*sElem) {
	out := pdfTool(t, pdf, "pdfinfo", "-struct-text", "FILE")
	var all []*sElem
	var stack []*sElem
	for _, e := range top {
		e.walk(func(e *sElem, _ []*sElem) { all = append(all, e) }, nil)
	}
	depth := func(l string) int { return (len(l) - len(strings.TrimLeft(l, " "))) / 2 }
	i := 0
	attrs := -1 // the indentation of an element's attribute lines
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		d := depth(l)
		s := strings.TrimSpace(l)
		switch {
		case attrs >= 0 && strings.HasPrefix(s, "/") && d > attrs:
			continue
		case strings.HasPrefix(s, `"`) && len(s) >= 2:
			text := s[1 : len(s)-1]
			for _, e := range stack[:min(d, len(stack))] {
				e.Text += text
			}
			if d > 0 && d <= len(stack) {
				stack[d-1].Own += text
			}
		case strings.HasPrefix(s, "Object "):
		default:
			if i >= len(all) {
				t.Fatalf("pdfinfo -struct-text lists more elements than qpdf: %q", l)
			}
			e := all[i]
			i++
			if !strings.HasPrefix(s, e.Type) {
				t.Fatalf("pdfinfo -struct-text lists %q where qpdf has %s", s, e.Type)
			}
			if d > 0 && d <= len(stack) && !strings.HasSuffix(stack[d-1].Own, "·") {
				stack[d-1].Own += "·"
			}
			stack = append(stack[:min(d, len(stack))], e)
			attrs = -1
			if strings.HasSuffix(s, ":") {
				attrs = d
			}
		}
	}
	if i != len(all) {
		t.Fatalf("pdfinfo -struct-text lists %d elements, qpdf %d", i, len(all))
	}
}

// dumpTree writes the tree as text: an element a line with its
// attributes and the text right under it.
func dumpTree(top []*sElem) string {
	var b strings.Builder
	var dump func(e *sElem, indent string)
	dump = func(e *sElem, indent string) {
		b.WriteString(indent + e.Type)
		for _, a := range e.Attrs {
			b.WriteString(" " + a)
		}
		if len(e.Annots) > 0 {
			fmt.Fprintf(&b, " +%d annot", len(e.Annots))
		}
		if strings.Trim(e.Own, "·") != "" {
			b.WriteString(" " + strconv.Quote(e.Own))
		}
		b.WriteByte('\n')
		for _, k := range e.Kids {
			dump(k, indent+"  ")
		}
	}
	for _, e := range top {
		dump(e, "")
	}
	return b.String()
}

// tagFixtures returns the books the tree goldens are made of: the shared
// render fixtures and the fixtures of testdata/tags.
func tagFixtures(t *testing.T) map[string]map[string]string {
	fs := map[string]map[string]string{}
	for _, f := range golden.Fixtures(t) {
		fs["render-"+f.Name] = f.Files
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "tags", "*.txtar"))
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, f := range ar.Files {
			m[f.Name] = string(f.Data)
		}
		fs[strings.TrimSuffix(filepath.Base(file), ".txtar")] = m
	}
	return fs
}

// TestTagsGolden typesets small books and compares their structure trees,
// with the text under each element, with testdata/tags/NAME.tree.
func TestTagsGolden(t *testing.T) {
	for name, files := range tagFixtures(t) {
		t.Run(name, func(t *testing.T) {
			b, _ := golden.LoadFiles(files)
			if b == nil {
				t.Fatal("the book does not load")
			}
			_, top := taggedTree(t, b)
			got := dumpTree(top)
			path := filepath.Join("testdata", "tags", name+".tree")
			if *golden.Update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("structure differs from %s (-want +got):\n%s", path, golden.Diff(string(want), got))
			}
		})
	}
}

// checkMarked fails when anything is drawn outside marked content, when
// marked content nests, and when an MCID repeats on a page: PDF/UA wants
// all content tagged or marked as an artifact, never both.
func checkMarked(t *testing.T, pdf []byte) {
	t.Helper()
	for i, c := range contentStreams(t, pdf) {
		depth := 0
		artifact := false // the open sequence is an artifact's
		mcids := map[int]bool{}
		var operands []string
		for _, tok := range contentTokens(c) {
			if !tok.op {
				operands = append(operands, tok.s)
				continue
			}
			switch tok.s {
			case "BDC", "BMC":
				ops := strings.Join(operands, " ")
				if depth > 0 {
					// Only a run with its ActualText (a cluster drawn
					// out of order) in a running head or a folio.
					if !artifact || !strings.HasPrefix(ops, "/Span <</ActualText") {
						t.Errorf("page %d: marked content nested in marked content: %s", i+1, ops)
					}
					depth++
					break
				}
				depth++
				artifact = len(operands) > 0 && operands[0] == "/Artifact"
				if tok.s == "BDC" && len(operands) > 0 && operands[0] != "/Artifact" {
					m := regexp.MustCompile(`/MCID (\d+)`).FindStringSubmatch(strings.Join(operands, " "))
					if m == nil {
						t.Errorf("page %d: %s BDC without an MCID", i+1, operands[0])
					} else if n, _ := strconv.Atoi(m[1]); mcids[n] {
						t.Errorf("page %d: MCID %d twice", i+1, n)
					} else {
						mcids[n] = true
					}
				}
			case "EMC":
				depth--
				if depth < 0 {
					t.Fatalf("page %d: EMC without a sequence", i+1)
				}
			case "TJ", "Tj", "'", `"`, "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh":
				if depth == 0 {
					t.Errorf("page %d: %s outside marked content", i+1, tok.s)
				}
			}
			operands = operands[:0]
		}
		if depth != 0 {
			t.Errorf("page %d: %d marked-content sequences left open", i+1, depth)
		}
	}
}

// contentStreams returns the decoded content stream of every page, in
// page order, from the objects as pdfdoc writes them.
func contentStreams(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	obj := func(n string) []byte {
		i := bytes.Index(pdf, []byte("\n"+n+" 0 obj\n"))
		if i < 0 {
			t.Fatalf("no object %s", n)
		}
		return pdf[i+1:]
	}
	var out [][]byte
	pages := regexp.MustCompile(`<< /Type /Page /Parent \d+ 0 R [^\n]*?/Contents (\d+) 0 R`).FindAllSubmatch(pdf, -1)
	for _, m := range pages {
		o := obj(string(m[1]))
		lm := regexp.MustCompile(`^\d+ 0 obj\n<<[^\n]*/Length (\d+)>>\nstream\n`).FindSubmatch(o)
		if lm == nil {
			t.Fatalf("content stream %s: no stream", m[1])
		}
		n, _ := strconv.Atoi(string(lm[1]))
		start := len(lm[0])
		r, err := zlib.NewReader(bytes.NewReader(o[start : start+n]))
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	if len(out) == 0 {
		t.Fatal("no pages found")
	}
	return out
}

// contentToken is an operand or an operator of a content stream.
type contentToken struct {
	s  string
	op bool
}

// contentTokens splits a content stream into operands and operators;
// strings and arrays are one operand each.
func contentTokens(c []byte) []contentToken {
	var toks []contentToken
	delim := func(b byte) bool { return bytes.IndexByte([]byte("()<>[]{}/% \t\r\n\f\x00"), b) >= 0 }
	for i := 0; i < len(c); {
		b := c[i]
		switch {
		case b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == 0:
			i++
		case b == '(' || b == '[':
			// A string, or an array of strings and numbers (TJ).
			j, depth, inStr := i, 0, 0
			for ; j < len(c); j++ {
				switch ch := c[j]; {
				case ch == '\\' && inStr > 0:
					j++
				case ch == '(':
					inStr++
				case ch == ')' && inStr > 0:
					inStr--
				case ch == '[' && inStr == 0:
					depth++
				case ch == ']' && inStr == 0:
					depth--
				}
				if inStr == 0 && depth == 0 {
					break
				}
			}
			toks = append(toks, contentToken{s: string(c[i : j+1])})
			i = j + 1
		case b == '<' && i+1 < len(c) && c[i+1] == '<':
			j := bytes.Index(c[i:], []byte(">>"))
			toks = append(toks, contentToken{s: string(c[i : i+j+2])})
			i += j + 2
		case b == '<':
			j := bytes.IndexByte(c[i:], '>')
			toks = append(toks, contentToken{s: string(c[i : i+j+1])})
			i += j + 1
		default:
			j := i + 1
			for j < len(c) && !delim(c[j]) {
				j++
			}
			s := string(c[i:j])
			op := b != '/' && b != '-' && b != '+' && b != '.' && (b < '0' || b > '9')
			toks = append(toks, contentToken{s: s, op: op})
			i = j
		}
	}
	return toks
}

// checkParentTree fails when the parent tree does not lead back from each
// page's marked content and each annotation to the element that holds
// it, and when a link annotation has no /Contents or /StructParent.
func checkParentTree(t *testing.T, q *qpdfDoc, top []*sElem) {
	t.Helper()
	root := q.get(q.cat["/StructTreeRoot"])
	nums := q.get(root["/ParentTree"])["/Nums"].([]any)
	parents := map[int]any{}
	for i := 0; i+1 < len(nums); i += 2 {
		parents[int(nums[i].(float64))] = nums[i+1]
	}
	pageKey := map[int]int{}
	for obj, n := range q.pages {
		if k, ok := q.get(obj)["/StructParents"].(float64); ok {
			pageKey[n] = int(k)
		}
	}
	annots := 0
	for _, e := range top {
		e.walk(func(e *sElem, _ []*sElem) {
			for _, m := range e.mcids {
				key, ok := pageKey[m[0]]
				if !ok {
					t.Errorf("%s: page %d has no /StructParents", e.Type, m[0])
					continue
				}
				arr, _ := parents[key].([]any)
				if m[1] >= len(arr) || arr[m[1]] != e.ref {
					t.Errorf("%s %s: the parent tree does not lead back from page %d MCID %d", e.Type, e.ref, m[0], m[1])
				}
			}
			for _, a := range e.Annots {
				annots++
				k, ok := a["/StructParent"].(float64)
				if !ok || parents[int(k)] != e.ref {
					t.Errorf("%s %s: an annotation whose /StructParent does not lead back to it", e.Type, e.ref)
				}
				if qText(a["/Contents"]) == "" {
					t.Errorf("%s: a link annotation without /Contents", e.Type)
				}
			}
		}, nil)
	}
	links := 0
	for _, o := range q.objs {
		if v, ok := o["value"].(map[string]any); ok && v["/Subtype"] == "/Link" {
			links++
		}
	}
	if links != annots {
		t.Errorf("%d link annotations, %d of them in the structure tree", links, annots)
	}
}

// TestTagsAcrossPages checks that a paragraph, a code block and a table
// that run over several pages are each one element, that the header a
// table repeats is an artifact, and that the parent tree and the marked
// content are sound.
func TestTagsAcrossPages(t *testing.T) {
	var para, code, table strings.Builder
	for i := range 700 {
		fmt.Fprintf(&para, "word%d ", i)
	}
	code.WriteString("```go\n")
	for i := range 120 {
		fmt.Fprintf(&code, "fmt.Println(%d) // line%d\n", i, i)
	}
	code.WriteString("```\n")
	table.WriteString("| Header A | Header B |\n|---|---|\n")
	for i := range 90 {
		fmt.Fprintf(&table, "| a%d | b%d |\n", i, i)
	}
	b := golden.MustLoad(t, map[string]string{
		"input.md": "---\ntitle: Long\n---\n" + para.String() + "\n\n" + code.String() + "\n" + table.String(),
	})
	pdf, top := taggedTree(t, b)
	count := map[string][]*sElem{}
	for _, e := range top {
		e.walk(func(e *sElem, _ []*sElem) { count[e.Type] = append(count[e.Type], e) }, nil)
	}
	one := func(typ, first, last string) *sElem {
		var found []*sElem
		for _, e := range count[typ] {
			if strings.Contains(e.Text, first) || strings.Contains(e.Text, last) {
				found = append(found, e)
			}
		}
		if len(found) != 1 {
			t.Fatalf("%d %s elements hold %q or %q, want one", len(found), typ, first, last)
		}
		e := found[0]
		if !strings.Contains(e.Text, first) || !strings.Contains(e.Text, last) {
			t.Errorf("the %s does not hold both %q and %q", typ, first, last)
		}
		return e
	}
	if p := one("P", "word0 ", "word699"); len(p.Pages) < 2 {
		t.Errorf("the long paragraph is on pages %v, want two or more", p.Pages)
	}
	if c := one("Code", "line0", "line119"); len(c.Pages) < 2 {
		t.Errorf("the long code is on pages %v, want two or more", c.Pages)
	}
	tbl := one("Table", "a0", "b89")
	var pages []int
	tbl.walk(func(e *sElem, _ []*sElem) {
		for _, p := range e.Pages {
			if !slices.Contains(pages, p) {
				pages = append(pages, p)
			}
		}
	}, nil)
	if len(pages) < 2 {
		t.Errorf("the long table is on pages %v, want two or more", pages)
	}
	if n := len(count["TR"]); n != 91 {
		t.Errorf("%d TR elements, want 91: the header once and 90 rows", n)
	}
	if n := len(count["TH"]); n != 2 {
		t.Errorf("%d TH elements, want 2", n)
	}
	// The header is shown on every page of the table, but read once.
	shown := strings.Count(pdfTool(t, pdf, "pdftotext", "FILE", "-"), "Header A")
	if shown < 2 || strings.Count(tbl.Text, "Header A") != 1 {
		t.Errorf("the header is shown %d times and read %d times, want it shown on every page and read once", shown, strings.Count(tbl.Text, "Header A"))
	}
}

// TestTagsHyphens checks that a hyphen a line break adds is a Span of its
// paragraph whose /ActualText is a soft hyphen (PDF 14.8.2.4.3), so that
// the word reads whole, and that the paragraph's text goes on after it.
func TestTagsHyphens(t *testing.T) {
	words := "Internationalization responsibilities characteristically misunderstanding incomprehensibility telecommunications "
	b := golden.MustLoad(t, map[string]string{
		"input.md": "---\ntitle: Hyphens\n---\n" + strings.Repeat(words, 12) + "end.\n",
	})
	if !b.Meta.Hyphenate {
		t.Fatal("the book does not hyphenate")
	}
	pdf, top := taggedTree(t, b)
	spans := 0
	for _, e := range top {
		e.walk(func(e *sElem, path []*sElem) {
			if e.Type != "Span" {
				return
			}
			spans++
			if !slices.Contains(e.Attrs, `ActualText="\u00ad"`) || e.Text != "-" || path[len(path)-1].Type != "P" {
				t.Errorf("a Span %v with text %q in a %s, want a soft hyphen's ActualText on a hyphen in a P", e.Attrs, e.Text, path[len(path)-1].Type)
			}
		}, nil)
	}
	if spans == 0 {
		t.Fatal("no hyphen Spans: the paragraph was not hyphenated")
	}
	var para *sElem
	for _, e := range top {
		e.walk(func(e *sElem, _ []*sElem) {
			if e.Type == "P" && strings.Contains(e.Text, "end.") {
				para = e
			}
		}, nil)
	}
	if para == nil || strings.Count(para.Text, "Internationalization")+strings.Count(para.Text, "Interna-tionalization") == 0 {
		t.Fatal("the paragraph's text is not in one P")
	}
	// pdftotext reads the soft hyphen: a hyphenated word comes out whole.
	text := strings.Join(strings.Fields(pdfTool(t, pdf, "pdftotext", "FILE", "-")), " ")
	for _, w := range strings.Fields(words) {
		if got := strings.Count(text, w); got != 12 {
			t.Errorf("pdftotext reads %q %d times, want 12:\n%s", w, got, text)
		}
	}
	t.Logf("%d hyphens added at line breaks", spans)
}
