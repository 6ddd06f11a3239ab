package pdfdoc

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// tool runs a command-line program on a PDF and returns its output. It
// skips the test when the program is not installed, and fails it instead
// when BINDERY_REQUIRE_TOOLS is set (as CI does).
func tool(t *testing.T, pdf []byte, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
			t.Fatalf("%s not installed, and BINDERY_REQUIRE_TOOLS is set", name)
		}
		t.Skipf("%s not installed", name)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, a := range args {
		if a == "FILE" {
			args[i] = path
		}
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestQPDFCheck(t *testing.T) {
	out := tool(t, sample(t), "qpdf", "--check", "FILE")
	if !strings.Contains(out, "No syntax or stream encoding errors found") || strings.Contains(strings.ToLower(out), "warning") {
		t.Errorf("qpdf --check:\n%s", out)
	}
}

func TestFontsEmbeddedAsSubsets(t *testing.T) {
	out := tool(t, sample(t), "pdffonts", "FILE")
	lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
	if len(lines) != 4 {
		t.Fatalf("pdffonts: %d fonts, want 4:\n%s", len(lines), out)
	}
	row := regexp.MustCompile(`^[A-Z]{6}\+DejaVu\S+ +CID TrueType +Identity-H +yes yes yes `)
	for _, l := range lines {
		if !row.MatchString(l) {
			t.Errorf("pdffonts: not an embedded subset with ToUnicode: %s", l)
		}
	}
}

func TestCopiedTextIsSourceText(t *testing.T) {
	out := tool(t, sample(t), "pdftotext", "-f", "3", "-l", "3", "-raw", "FILE", "-")
	for _, want := range []string{
		"Chapter one",
		sampleText, // ligatures copy as their letters, kerned pairs as themselves
		`fmt.Println("office") // fi`,
		"\U0001F600", // above U+FFFF
		"Go to the next page",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, out)
		}
	}
	for _, lig := range []string{"\uFB00", "\uFB01", "\uFB02", "\uFB03", "\uFB04", "\uFFFD"} {
		if strings.Contains(out, lig) {
			t.Errorf("pdftotext gives %U", []rune(lig)[0])
		}
	}
}

func TestInfo(t *testing.T) {
	out := tool(t, sample(t), "pdfinfo", "FILE")
	for _, want := range []string{
		"Title:           Sample Book", "Subject:         Testing ünïcode", "Author:          A. Writer",
		"Keywords:        pdf, test", "Creator:         Bindery test", "Producer:        Bindery pdfdoc",
		"CreationDate:    Fri Mar  1 12:00:00 2024 UTC", "Tagged:          yes", "Pages:           4",
		"Metadata Stream: yes",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("pdfinfo lacks %q:\n%s", want, out)
		}
	}
}

func TestRenders(t *testing.T) {
	dir := t.TempDir()
	tool(t, sample(t), "mutool", "draw", "-q", "-r", "36", "-o", filepath.Join(dir, "p%d.png"), "FILE")
	for i := 1; i <= 4; i++ {
		if st, err := os.Stat(filepath.Join(dir, fmt.Sprintf("p%d.png", i))); err != nil || st.Size() < 1000 {
			t.Errorf("page %d not rendered: %v", i, err)
		}
	}
}

func TestStructureGolden(t *testing.T) {
	got := summary(t, sample(t))
	path := filepath.Join("testdata", "sample.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("structure differs from %s (-want +got):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff is a small line diff for golden tests.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "-%s\n+%s\n", a, c)
		}
	}
	return b.String()
}

// summary describes the objects of a PDF the writer is responsible for,
// from qpdf's JSON: catalog, labels, outline, pages with their
// resources and links, fonts, destinations and the structure tree. Subset
// tags are left out: they change with every glyph added.
func summary(t *testing.T, pdf []byte) string {
	var doc struct {
		Pages []struct {
			Object string `json:"object"`
		} `json:"pages"`
		Outlines []outlineJSON `json:"outlines"`
		QPDF     []json.RawMessage
	}
	out := tool(t, pdf, "qpdf", "--json=2", "--json-stream-data=none", "FILE")
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	objs, get := qpdfObjects(t, doc.QPDF)
	pageNo := map[string]int{}
	for i, p := range doc.Pages {
		pageNo[p.Object] = i + 1
	}
	tag := regexp.MustCompile(`^/[A-Z]{6}\+`)
	var fmtVal func(v any) string
	fmtVal = func(v any) string {
		switch v := v.(type) {
		case string:
			if n, ok := pageNo[v]; ok {
				return fmt.Sprintf("page%d", n)
			}
			return tag.ReplaceAllString(strings.TrimPrefix(v, "u:"), "/")
		case []any:
			var s []string
			for _, e := range v {
				s = append(s, fmtVal(e))
			}
			return "[" + strings.Join(s, " ") + "]"
		case map[string]any:
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range v {
					if !yield(k) {
						return
					}
				}
			})
			var s []string
			for _, k := range keys {
				s = append(s, k+" "+fmtVal(v[k]))
			}
			return "<<" + strings.Join(s, " ") + ">>"
		case nil:
			return "null"
		}
		return fmt.Sprint(v)
	}
	var b strings.Builder
	var trailer map[string]any
	for k, v := range objs {
		if k == "trailer" {
			trailer = v["value"].(map[string]any)
		}
	}
	cat := get(trailer["/Root"])
	for _, k := range []string{"/Lang", "/PageLabels", "/PageMode", "/ViewerPreferences", "/MarkInfo"} {
		fmt.Fprintf(&b, "catalog %s %s\n", k, fmtVal(cat[k]))
	}
	info := get(trailer["/Info"])
	for _, k := range []string{"/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate"} {
		fmt.Fprintf(&b, "info %s %s\n", k, fmtVal(info[k]))
	}
	var outline func(os []outlineJSON, indent string)
	outline = func(os []outlineJSON, indent string) {
		for _, o := range os {
			fmt.Fprintf(&b, "outline %s%s → %s\n", indent, o.Title, fmtVal(o.Dest))
			outline(o.Kids, indent+"  ")
		}
	}
	outline(doc.Outlines, "")
	dests := get(get(cat["/Names"])["/Dests"])
	fmt.Fprintf(&b, "dests %s\n", fmtVal(dests["/Names"]))
	fonts := map[string]bool{}
	for i, p := range doc.Pages {
		pg := get(p.Object)
		fmt.Fprintf(&b, "page%d /MediaBox %s /StructParents %s /Tabs %s\n", i+1, fmtVal(pg["/MediaBox"]), fmtVal(pg["/StructParents"]), fmtVal(pg["/Tabs"]))
		res := pg["/Resources"].(map[string]any)
		fs := res["/Font"].(map[string]any)
		for _, name := range slices.Sorted(keysOf(fs)) {
			f := get(fs[name])
			fmt.Fprintf(&b, "  font %s %s\n", name, fmtVal(f["/BaseFont"]))
			fonts[fs[name].(string)] = true
		}
		xs := res["/XObject"].(map[string]any)
		for _, name := range slices.Sorted(keysOf(xs)) {
			x := get(xs[name])
			fmt.Fprintf(&b, "  image %s %vx%v %s %s smask=%v\n", name, x["/Width"], x["/Height"], x["/ColorSpace"], x["/Filter"], x["/SMask"] != nil)
		}
		for _, a := range pg["/Annots"].([]any) {
			an := get(a)
			delete(an, "/P")
			fmt.Fprintf(&b, "  annot %s\n", fmtVal(an))
		}
	}
	for _, r := range slices.Sorted(keysOf(fonts)) {
		f := get(r)
		cid := get(f["/DescendantFonts"].([]any)[0])
		fd := get(cid["/FontDescriptor"])
		file := "/FontFile2"
		if fd[file] == nil {
			file = "/FontFile3"
		}
		fmt.Fprintf(&b, "font %s %s %s /DW %s %s /Flags %s /Ascent %s /Descent %s\n", fmtVal(f["/BaseFont"]), fmtVal(f["/Encoding"]),
			fmtVal(cid["/Subtype"]), fmtVal(cid["/DW"]), file, fmtVal(fd["/Flags"]), fmtVal(fd["/Ascent"]), fmtVal(fd["/Descent"]))
	}
	// The structure tree, depth first.
	if root := get(cat["/StructTreeRoot"]); root != nil {
		var walk func(k any, indent string)
		walk = func(k any, indent string) {
			switch k := k.(type) {
			case string:
				e := get(k)
				line := indent + fmtVal(e["/S"])
				if e["/Alt"] != nil {
					line += " /Alt " + fmtVal(e["/Alt"])
				}
				if e["/Pg"] != nil {
					line += " on " + fmtVal(e["/Pg"])
				}
				fmt.Fprintln(&b, "struct "+line)
				kids, ok := e["/K"].([]any)
				if !ok {
					kids = []any{e["/K"]}
				}
				for _, c := range kids {
					walk(c, indent+"  ")
				}
			case float64:
				fmt.Fprintf(&b, "struct %smcid %v\n", indent, k)
			case map[string]any:
				fmt.Fprintf(&b, "struct %s%s\n", indent, fmtVal(k))
			}
		}
		for _, k := range root["/K"].([]any) {
			walk(k, "")
		}
		pt := get(root["/ParentTree"])
		fmt.Fprintf(&b, "parenttree %d keys, next %s\n", len(pt["/Nums"].([]any))/2, fmtVal(root["/ParentTreeNextKey"]))
	}
	return b.String()
}

type outlineJSON struct {
	Title string        `json:"title"`
	Dest  any           `json:"dest"`
	Kids  []outlineJSON `json:"kids"`
}

func keysOf[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestClipped draws a square over the whole page clipped to a smaller one,
// upright and turned, and finds ink inside the clip only.
func TestClipped(t *testing.T) {
	var out bytes.Buffer
	d, err := New(&out, Config{})
	if err != nil {
		t.Fatal(err)
	}
	black := Paint{Fill: &Black}
	p := d.NewPage(100, 100)
	// Upright: the clip is x 10–40, y 20–80.
	p.Clipped(10, 20, 30, 60, func() { p.Rect(0, 0, 100, 100, black) })
	// Turned about (75, 50): a clip 60 wide and 10 tall becomes x 70–80,
	// y 20–80.
	p.Rotated(75, 50, func() {
		p.Clipped(45, 45, 60, 10, func() { p.Rect(-100, -100, 300, 300, black) })
	})
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tool(t, out.Bytes(), "pdftoppm", "-gray", "-r", "72", "FILE", filepath.Join(dir, "p"))
	img, err := os.ReadFile(filepath.Join(dir, "p-1.pgm"))
	if err != nil {
		t.Fatal(err)
	}
	const header = "P5\n100 100\n255\n"
	if !bytes.HasPrefix(img, []byte(header)) || len(img) != len(header)+100*100 {
		t.Fatalf("pdftoppm gave no 100 × 100 grey map: %q", img[:min(len(img), 20)])
	}
	px, w := img[len(header):], 100
	for y := range 100 {
		for x := range 100 {
			inside := y >= 20 && y < 80 && (x >= 10 && x < 40 || x >= 70 && x < 80)
			edge := y == 19 || y == 20 || y == 79 || y == 80 || x == 9 || x == 10 || x == 39 || x == 40 || x == 69 || x == 70 || x == 79 || x == 80
			if edge {
				continue
			}
			if ink := px[y*w+x] < 128; ink != inside {
				t.Fatalf("pixel %d,%d: ink %v, want %v", x, y, ink, inside)
			}
		}
	}
}

// qpdfObjects returns the objects of a PDF as the "qpdf" member of qpdf
// --json=2 has them, by key ("trailer", "obj:3 0 R"), and a function that
// gives the dictionary a reference names (a stream's own dictionary for a
// stream), or a dictionary given directly.
func qpdfObjects(t *testing.T, qpdf []json.RawMessage) (map[string]map[string]any, func(any) map[string]any) {
	t.Helper()
	var objs map[string]map[string]any
	if len(qpdf) < 2 {
		t.Fatal("qpdf --json=2 gave no objects")
	}
	if err := json.Unmarshal(qpdf[1], &objs); err != nil {
		t.Fatal(err)
	}
	return objs, func(r any) map[string]any {
		if m, ok := r.(map[string]any); ok {
			return m
		}
		o := objs["obj:"+r.(string)]
		if v, ok := o["value"].(map[string]any); ok {
			return v
		}
		if s, ok := o["stream"].(map[string]any); ok {
			return s["dict"].(map[string]any)
		}
		return nil
	}
}
