package pdfdoc

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book/font"
)

func TestByteIdentical(t *testing.T) {
	a, b := sample(t), sample(t)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs on the same input differ")
	}
	// The identifier is a hash of the content: other content, other id.
	id := regexp.MustCompile(`/ID \[<([0-9A-F]{32})> <([0-9A-F]{32})>\]`)
	m := id.FindSubmatch(a)
	if m == nil || !bytes.Equal(m[1], m[2]) {
		t.Fatalf("no /ID pair in the trailer")
	}
	other := onePage(t, Config{}, "Other text.")
	if m2 := id.FindSubmatch(other); m2 == nil || bytes.Equal(m2[1], m[1]) {
		t.Error("different documents with the same /ID")
	}
	if bytes.Contains(a, []byte("D:20")) && !bytes.Contains(a, []byte("D:20240301120000Z")) {
		t.Error("a date other than the given one")
	}
}

// onePage writes a one-page document with a line of DejaVu Serif.
func onePage(t testing.TB, cfg Config, s string) []byte {
	var out bytes.Buffer
	d, err := New(&out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := d.NewPage(595, 842)
	p.Text(font.Face{Family: font.Serif}.Font(), 12, Black, 72, 100, s, font.Typeset)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestNoDatesWhenNoneGiven(t *testing.T) {
	b := onePage(t, Config{}, "Undated.")
	if bytes.Contains(b, []byte("CreationDate")) || bytes.Contains(b, []byte("ModDate")) {
		t.Error("dates written though none was given")
	}
}

// TestGlyphPositions checks that the TJ adjustments put every word where
// shaping says: poppler's word boxes against the shaped advances.
func TestGlyphPositions(t *testing.T) {
	serif := font.Face{Family: font.Serif}.Font()
	words := []string{"AVAWAY", "Typography", "office", "Tyrannosaurus", "WAVE"}
	var out bytes.Buffer
	d, _ := New(&out, Config{})
	p := d.NewPage(595, 842)
	x := 72.0
	for i, w := range words {
		y := 100 + 20*float64(i)
		p.Text(serif, 14, Black, x, y, w, font.Typeset)
	}
	p.Close()
	d.Close()
	html := tool(t, out.Bytes(), "pdftotext", "-bbox", "FILE", "-")
	box := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`)
	ms := box.FindAllStringSubmatch(html, -1)
	if len(ms) != len(words) {
		t.Fatalf("pdftotext found %d words, want %d:\n%s", len(ms), len(words), html)
	}
	for i, m := range ms {
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[2], 64)
		want := serif.Width(words[i], 14, font.Typeset)
		if m[3] != words[i] || math.Abs(x0-72) > 0.01 || math.Abs((x1-x0)-want) > 0.01 {
			t.Errorf("word %q at %.3f width %.3f; want %q at 72 width %.3f", m[3], x0, x1-x0, words[i], want)
		}
		if plain := serif.Width(words[i], 14, 0); i == 0 && math.Abs(plain-want) < 0.5 {
			t.Errorf("%q: kerned %.2f and plain %.2f widths hardly differ", words[i], want, plain)
		}
	}
}

// TestJustifiedRun draws a line as one run with its spaces stretched, as a
// justified line is best drawn: one TJ, real spaces for copying.
func TestJustifiedRun(t *testing.T) {
	serif := font.Face{Family: font.Serif}.Font()
	s := "Justified text keeps its spaces."
	gs := serif.Shape(s, 12, font.Typeset)
	for i := range gs {
		if s[gs[i].Start:gs[i].End] == " " {
			gs[i].Advance += 7
		}
	}
	var out bytes.Buffer
	d, _ := New(&out, Config{})
	p := d.NewPage(595, 842)
	p.Glyphs(Run{Font: serif, Size: 12, X: 72, Y: 100, Glyphs: gs, Text: s})
	p.Close()
	d.Close()
	got := tool(t, out.Bytes(), "pdftotext", "-raw", "FILE", "-")
	if strings.TrimSpace(got) != s {
		t.Errorf("pdftotext %q, want %q", got, s)
	}
	html := tool(t, out.Bytes(), "pdftotext", "-bbox", "FILE", "-")
	last := regexp.MustCompile(`xMax="([\d.]+)" yMax="[\d.]+">spaces\.</word>`).FindStringSubmatch(html)
	want := 72 + serif.Width(s, 12, font.Typeset) + 4*7
	if x, _ := strconv.ParseFloat(last[1], 64); math.Abs(x-want) > 0.01 {
		t.Errorf("line ends at %.3f, want %.3f", x, want)
	}
}

// collection builds a TrueType collection of the given fonts.
func collection(fonts ...[]byte) []byte {
	out := make([]byte, 12+4*len(fonts))
	copy(out, "ttcf")
	binary.BigEndian.PutUint32(out[4:], 0x00010000)
	binary.BigEndian.PutUint32(out[8:], uint32(len(fonts)))
	for i, f := range fonts {
		base := len(out)
		binary.BigEndian.PutUint32(out[12+4*i:], uint32(base))
		f = append([]byte(nil), f...)
		for t := range int(binary.BigEndian.Uint16(f[4:])) {
			at := 12 + 16*t + 8
			binary.BigEndian.PutUint32(f[at:], binary.BigEndian.Uint32(f[at:])+uint32(base))
		}
		out = append(out, f...)
	}
	return out
}

func TestUserFonts(t *testing.T) {
	otf, err := os.ReadFile("../../font/testdata/CFFTest.otf")
	if err != nil {
		t.Fatal(err)
	}
	cff, err := font.LoadFont(otf, 0)
	if err != nil {
		t.Fatal(err)
	}
	ttc, err := font.LoadFont(collection(font.Face{Family: font.Serif}.TTF(), font.Face{Family: font.Sans, Style: font.Italic}.TTF()), 1)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	d, _ := New(&out, Config{})
	p := d.NewPage(300, 200)
	p.Text(cff, 24, Black, 20, 50, "Q10\u4E2D", font.Typeset)
	p.Text(ttc, 12, Black, 20, 100, "Oblique office", font.Typeset)
	p.Close()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	b := out.Bytes()
	fonts := tool(t, b, "pdffonts", "FILE")
	if !regexp.MustCompile(`[A-Z]{6}\+CFFTest +CID Type 0C +Identity-H +yes yes yes`).MatchString(fonts) ||
		!regexp.MustCompile(`[A-Z]{6}\+DejaVuSans-Oblique +CID TrueType +Identity-H +yes yes yes`).MatchString(fonts) {
		t.Errorf("pdffonts:\n%s", fonts)
	}
	if check := tool(t, b, "qpdf", "--check", "FILE"); strings.Contains(strings.ToLower(check), "warning") {
		t.Errorf("qpdf --check:\n%s", check)
	}
	text := tool(t, b, "pdftotext", "-raw", "FILE", "-")
	if !strings.Contains(text, "Q10\u4E2D") || !strings.Contains(text, "Oblique office") {
		t.Errorf("pdftotext: %q", text)
	}
	tool(t, b, "mutool", "draw", "-q", "-o", t.TempDir()+"/p.png", "FILE")
}

func TestErrors(t *testing.T) {
	var out bytes.Buffer
	if _, err := New(&out, Config{Labels: []LabelRange{{First: 1}}}); err == nil {
		t.Error("labels not starting at page 0: no error")
	}
	if _, err := New(&out, Config{Labels: []LabelRange{{First: 0}, {First: 0}}}); err == nil {
		t.Error("labels out of order: no error")
	}
	d, _ := New(&out, Config{})
	if err := d.Close(); err == nil {
		t.Error("a document without pages: no error")
	}
	d, _ = New(&out, Config{})
	if err := d.AddOutline(OutlineItem{Title: "Deep", Level: 1}); err == nil {
		t.Error("outline starting at level 1: no error")
	}
	p := d.NewPage(100, 100)
	p.AddLink(Link{W: 10, H: 10, Target: Target{Page: 5}})
	p.BeginArtifact("", "")
	if err := p.Close(); err == nil {
		t.Error("a page with an open marked-content sequence: no error")
	}
	p.EndTag()
	p.Close()
	if err := d.Close(); err == nil || !strings.Contains(err.Error(), "page 6") {
		t.Errorf("a link to a page never drawn: err = %v", err)
	}
	d, _ = New(&out, Config{})
	if _, err := d.Image([]byte("GIF89a not really")); err == nil {
		t.Error("a bad image: no error")
	}
}

// TestRealTextCopies sets the prose of the content book and of the shared
// corpus in justified lines and checks that the PDF's text is the source
// text, word for word: ligatures, kerning and stretched spaces included.
func TestRealTextCopies(t *testing.T) {
	files, _ := filepath.Glob("../../../content/*.md")
	filepath.WalkDir("../../../../shared/corpus/content", func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return nil
	})
	serif := font.Face{Family: font.Serif}.Font()
	var words []string
	for _, w := range proseWords(files) {
		// Words the test's simple breaker would let run off the page
		// (links as text) are left out; so are characters DejaVu lacks.
		ok := serif.Width(w, benchSize, font.Typeset) < 200
		for _, r := range w {
			ok = ok && serif.Has(r) && r >= ' ' && r != 0xAD
		}
		if ok {
			words = append(words, w)
		}
	}
	const pages = 40
	lines := justify(words, pages)
	var want []string
	for _, l := range lines {
		want = append(want, l.words...)
	}
	var out bytes.Buffer
	if err := writePdfdoc(&out, lines, func() {}); err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(tool(t, out.Bytes(), "pdftotext", "-raw", "-nopgbrk", "FILE", "-"))
	// Characters in order: pdftotext's guesses at word breaks are its
	// own (it splits "IP," where kerning tucks the comma under the P), so
	// the text is compared without spaces, and the splits are counted.
	g, w := strings.Join(got, ""), strings.Join(want, "")
	if g != w {
		i := 0
		for i < min(len(g), len(w)) && g[i] == w[i] {
			i++
		}
		t.Fatalf("text differs at byte %d: %q, want %q", i, g[max(i-40, 0):min(i+40, len(g))], w[max(i-40, 0):min(i+40, len(w))])
	}
	if len(got) > len(want)+len(want)/1000 {
		t.Errorf("pdftotext splits %d of %d words", len(got)-len(want), len(want))
	}
	t.Logf("%d words from %d files on %d pages copy as their source", len(want), len(files), pages)
}

// TestRealCFFFont sets text in a full OpenType CFF font, URW's C059 from
// Debian's fonts-urw-base35 when it is installed: ligatures and kerning
// from its GSUB and GPOS, a CFF subset, text that copies as its source.
func TestRealCFFFont(t *testing.T) {
	data, err := os.ReadFile("/usr/share/fonts/opentype/urw-base35/C059-Roman.otf")
	if err != nil {
		t.Skip("fonts-urw-base35 not installed")
	}
	f, err := font.LoadFont(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	const s = "The office’s affluent staff: AVAWAY, To, fine ffl."
	var ligs []string
	for _, g := range f.Shape(s, 14, font.Typeset) {
		if sub := s[g.Start:g.End]; len([]rune(sub)) > 1 {
			ligs = append(ligs, sub)
		}
	}
	if strings.Join(ligs, " ") != "ffi ffl ff fi ffl" {
		t.Errorf("ligatures %q", ligs)
	}
	if f.Width("To", 14, font.Typeset) >= f.Width("To", 14, 0) {
		t.Error("no kerning in To")
	}
	var out bytes.Buffer
	d, _ := New(&out, Config{})
	p := d.NewPage(400, 200)
	p.Text(f, 14, Black, 20, 50, s, font.Typeset)
	p.Close()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if fonts := tool(t, out.Bytes(), "pdffonts", "FILE"); !regexp.MustCompile(`[A-Z]{6}\+C059-Roman +CID Type 0C +Identity-H +yes yes yes`).MatchString(fonts) {
		t.Errorf("pdffonts:\n%s", fonts)
	}
	if text := tool(t, out.Bytes(), "pdftotext", "-raw", "FILE", "-"); strings.TrimSpace(text) != s {
		t.Errorf("pdftotext %q, want %q", text, s)
	}
	if check := tool(t, out.Bytes(), "qpdf", "--check", "FILE"); strings.Contains(strings.ToLower(check), "warning") {
		t.Errorf("qpdf --check:\n%s", check)
	}
}

// TestElemIDs checks that Note elements carry their /ID, that the root's
// /IDTree lists the IDs sorted, the first element of an ID winning, and
// that a list's numbering is written as a List attribute; and that the
// structure tree, packed into object streams, reads back whole.
func TestElemIDs(t *testing.T) {
	var out bytes.Buffer
	d, err := New(&out, Config{Tagged: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Elem(nil, "Document")
	l := d.Elem(doc, "L")
	l.ListNumbering = "Decimal"
	p := d.NewPage(595, 842)
	serif := font.Face{Family: font.Serif}.Font()
	// More notes than an object stream holds.
	ids := []string{"fn:b", "fn:a", "fn:a"}
	for i := range packSize + 10 {
		ids = append(ids, "n"+strconv.Itoa(i))
	}
	for i, id := range ids {
		n := d.Elem(doc, "Note")
		n.ID = id
		p.BeginTag(n)
		p.Text(serif, 12, Black, 72, 100+2*float64(i), "Note "+id, font.Typeset)
		p.EndTag()
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out.Bytes(), []byte("/StructElem")) {
		t.Error("structure elements written outside object streams")
	}
	var js struct{ QPDF []json.RawMessage }
	if err := json.Unmarshal([]byte(tool(t, out.Bytes(), "qpdf", "--json=2", "FILE")), &js); err != nil {
		t.Fatal(err)
	}
	objs, get := qpdfObjects(t, js.QPDF)
	cat := get(objs["trailer"]["value"].(map[string]any)["/Root"])
	root := get(cat["/StructTreeRoot"])
	names := get(root["/IDTree"])["/Names"].([]any)
	if len(names) != 2*(len(ids)-1) || names[0] != "u:fn:a" || names[2] != "u:fn:b" {
		t.Fatalf("IDTree %v, want %d IDs sorted, fn:a and fn:b first", names[:min(len(names), 6)], len(ids)-1)
	}
	kids := get(root["/K"].([]any)[0])["/K"].([]any)
	if len(kids) != 1+len(ids) {
		t.Fatalf("the Document has %d kids, want %d", len(kids), 1+len(ids))
	}
	if a := get(get(kids[0])["/A"]); a["/ListNumbering"] != "/Decimal" || a["/O"] != "/List" {
		t.Errorf("L attributes %v, want /O /List /ListNumbering /Decimal", a)
	}
	for i, id := range ids {
		if e := get(kids[1+i]); e["/S"] != "/Note" || e["/ID"] != "u:"+id {
			t.Errorf("kid %d: %v %v, want a Note with ID %s", i+1, e["/S"], e["/ID"], id)
		}
	}
	// fn:a is the second Note: the first element with that ID.
	if names[1] != kids[2] {
		t.Errorf("IDTree points fn:a to %v, want the first Note with that ID, %v", names[1], kids[2])
	}
	tool(t, out.Bytes(), "qpdf", "--check", "FILE")
}

// TestMoveToFront draws a body and then its front matter, moved to the
// front: the page tree, the page labels and the structure tree list the
// front matter first, and the outline's entries (in the order they were
// added) still go to the pages drawn for them.
func TestMoveToFront(t *testing.T) {
	var out bytes.Buffer
	d, err := New(&out, Config{Tagged: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Elem(nil, "Document")
	serif := font.Face{Family: font.Serif}.Font()
	var first *Elem
	page := func(text string, e *Elem) {
		p := d.NewPage(300, 400)
		p.BeginTag(e)
		p.Text(serif, 12, Black, 50, 100, text, font.Typeset)
		p.EndTag()
		p.Dest(text, 100)
		link := d.Elem(e, "Link")
		p.AddLink(Link{X: 50, Y: 90, W: 100, H: 12, Target: Target{Name: "Body 1"}, Contents: "to the body", Elem: link})
		if err := d.AddOutline(OutlineItem{Title: text, Page: p.Index(), Y: 100}); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		e := d.Elem(doc, "P")
		if first == nil {
			first = e
		}
		page(fmt.Sprintf("Body %d", i+1), e)
	}
	for i := range 2 {
		page(fmt.Sprintf("Front %d", i+1), d.ElemBefore(doc, first, "P"))
	}
	if err := d.MoveToFront(3); err != nil {
		t.Fatal(err)
	}
	if err := d.SetLabels([]LabelRange{{First: 0, Style: RomanLower}, {First: 2, Style: Decimal}}); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{"Front 1", "Front 2", "Body 1", "Body 2", "Body 3"}
	for i, w := range want {
		n := strconv.Itoa(i + 1)
		if got := strings.TrimSpace(tool(t, out.Bytes(), "pdftotext", "-f", n, "-l", n, "FILE", "-")); got != w {
			t.Errorf("page %d: %q, want %q", i+1, got, w)
		}
	}
	var js struct {
		Pages []struct {
			Object string `json:"object"`
			Label  *struct {
				S  string `json:"/S"`
				St int    `json:"/St"`
			} `json:"label"`
		} `json:"pages"`
		Outlines []struct {
			Title    string `json:"title"`
			DestPage int    `json:"destpageposfrom1"`
		} `json:"outlines"`
		QPDF []json.RawMessage
	}
	if err := json.Unmarshal([]byte(tool(t, out.Bytes(), "qpdf", "--json=2", "FILE")), &js); err != nil {
		t.Fatal(err)
	}
	for i, p := range js.Pages {
		style := "/D"
		if i < 2 {
			style = "/r"
		}
		if p.Label == nil || p.Label.S != style {
			t.Errorf("page %d: label %+v, want style %s", i+1, p.Label, style)
		}
	}
	added := append(want[2:], want[:2]...)
	for i, o := range js.Outlines {
		if o.Title != added[i] || want[o.DestPage-1] != o.Title {
			t.Errorf("outline entry %d: %q to page %d, want %q to its page", i+1, o.Title, o.DestPage, added[i])
		}
	}
	var objs map[string]map[string]any
	if err := json.Unmarshal(js.QPDF[1], &objs); err != nil {
		t.Fatal(err)
	}
	get := func(r any) map[string]any {
		v, _ := objs["obj:"+r.(string)]["value"].(map[string]any)
		return v
	}
	root := get(get(objs["trailer"]["value"].(map[string]any)["/Root"])["/StructTreeRoot"])
	kids := get(root["/K"].([]any)[0])["/K"].([]any)
	if len(kids) != len(want) {
		t.Fatalf("the Document has %d kids, want %d", len(kids), len(want))
	}
	for i, k := range kids {
		if pg := get(k)["/Pg"]; pg != js.Pages[i].Object {
			t.Errorf("element %d of the Document on %v, want page %d, %s", i+1, pg, i+1, js.Pages[i].Object)
		}
	}
	tool(t, out.Bytes(), "qpdf", "--check", "FILE")
}

// TestCloseElem checks that elements closed as soon as their pages are
// drawn give the structure tree that closing the document writes, and
// that content drawn into a closed element is an error.
func TestCloseElem(t *testing.T) {
	serif := font.Face{Family: font.Serif}.Font()
	write := func(close bool) []byte {
		var out bytes.Buffer
		d, err := New(&out, Config{Tagged: true})
		if err != nil {
			t.Fatal(err)
		}
		doc := d.Elem(nil, "Document")
		for i := range 3 {
			sect := d.Elem(doc, "Sect")
			note := d.Elem(sect, "Note")
			note.ID = fmt.Sprintf("fn:%d", 2-i)
			for j := range 2 {
				p := d.NewPage(300, 400)
				para := d.Elem(sect, "P")
				p.BeginTag(para)
				p.Text(serif, 12, Black, 50, 100, fmt.Sprintf("Page %d.%d", i+1, j+1), font.Typeset)
				p.Dest(fmt.Sprintf("p%d.%d", i+1, j+1), 100) // the summary wants some
				link := d.Elem(para, "Link")
				p.BeginTag(link)
				p.Text(serif, 12, Black, 50, 120, "a link", font.Typeset)
				p.EndTag()
				p.EndTag()
				p.AddLink(Link{X: 50, Y: 110, W: 50, H: 12, Target: Target{URI: "https://example.com"}, Contents: "a link", Elem: link})
				p.BeginTag(note)
				p.Text(serif, 9, Black, 50, 380, "A note.", font.Typeset)
				p.EndTag()
				if err := p.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if close {
				d.CloseElem(sect)
			}
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	tree := func(pdf []byte) string {
		var js struct {
			Pages []struct {
				Object string `json:"object"`
			} `json:"pages"`
			QPDF []json.RawMessage
		}
		if err := json.Unmarshal([]byte(tool(t, pdf, "qpdf", "--json=2", "FILE")), &js); err != nil {
			t.Fatal(err)
		}
		objs, get := qpdfObjects(t, js.QPDF)
		page := func(r any) int {
			return slices.IndexFunc(js.Pages, func(p struct {
				Object string `json:"object"`
			}) bool {
				return p.Object == r
			}) + 1
		}
		var b strings.Builder
		var walk func(r any, indent string)
		walk = func(r any, indent string) {
			e := get(r)
			fmt.Fprintf(&b, "%s%v %v on page %d:", indent, e["/S"], e["/ID"], page(e["/Pg"]))
			kids, ok := e["/K"].([]any)
			if !ok {
				kids = []any{e["/K"]}
			}
			var elems []any
			for _, k := range kids {
				switch k := k.(type) {
				case float64:
					fmt.Fprintf(&b, " %v", k)
				case string:
					elems = append(elems, k)
				case map[string]any:
					fmt.Fprintf(&b, " %v@%d", k["/Type"], page(k["/Pg"]))
					if a, ok := k["/Obj"]; ok {
						fmt.Fprintf(&b, "(%v)", get(a)["/Contents"])
					}
				}
			}
			b.WriteByte('\n')
			for _, k := range elems {
				walk(k, indent+"  ")
			}
		}
		root := get(get(objs["trailer"]["value"].(map[string]any)["/Root"])["/StructTreeRoot"])
		walk(root["/K"].([]any)[0], "")
		names := get(root["/IDTree"])["/Names"].([]any)
		for i := 0; i+1 < len(names); i += 2 {
			fmt.Fprintf(&b, "ID %v: %v\n", names[i], get(names[i+1])["/ID"])
		}
		return b.String()
	}
	closed := write(true)
	if want, got := tree(write(false)), tree(closed); got != want || len(want) == 0 {
		t.Errorf("tree with elements closed early (-want +got):\n%s", lineDiff(want, got))
	}
	tool(t, closed, "qpdf", "--check", "FILE")

	d, err := New(io.Discard, Config{Tagged: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Elem(nil, "Document")
	para := d.Elem(doc, "P")
	d.CloseElem(para)
	p := d.NewPage(300, 400)
	p.BeginTag(para)
	p.Text(serif, 12, Black, 50, 100, "Late", font.Typeset)
	p.EndTag()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("content of a closed element: Close returned %v, want an error", err)
	}
}
