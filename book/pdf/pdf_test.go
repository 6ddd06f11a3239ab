package pdf

import (
	"bytes"
	"math"

	"math/rand"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/hyphen"
	"github.com/bindery-books/bindery/book/internal/golden"
)

// chapterFlow lays out the first chapter of b.
func chapterFlow(t testing.TB, b *book.Book) *Flow {
	t.Helper()
	w, err := newWriter(b, Config{})
	if err != nil {
		t.Fatal(err)
	}
	return &Flow{Items: newConverter(w, b.Chapters[0]).chapter()}
}

// added returns the lines of after that are not in before.
func added(before, after string) string {
	old := map[string]bool{}
	for _, l := range strings.SplitAfter(before, "\n") {
		old[l] = true
	}
	var s strings.Builder
	for _, l := range strings.SplitAfter(after, "\n") {
		if !old[l] {
			s.WriteString(l)
		}
	}
	return s.String()
}

// TestFlows lays out the shared render fixtures and compares the flows
// with their flow sections; what the PDF reports beyond loading goes to
// their pdf-warnings sections.
func TestFlows(t *testing.T) {
	for _, f := range golden.Fixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			b := f.Load(t)
			loaded := golden.Warnings(b)
			f.Check(t, "warnings", loaded)
			got := chapterFlow(t, b).Dump()
			f.Check(t, "pdf-warnings", added(loaded, golden.Warnings(b)))
			f.Check(t, "flow", got)
		})
	}
}

var sample = `Almost every service in this book has the same skeleton: an application module starts a
supervision tree, and the tree owns every long-lived process. Here is a small but complete one for an
inventory service that keeps stock counts in memory and writes changes through to a database, see
https://hexdocs.pm/elixir/Supervisor.html#module-strategies-and-more-options-for-restarting for the
strategies. The order of the children is a design decision, not an accident: Inventory.StockSupervisor
starts after Inventory.Registry because its children register themselves by name.`

func sampleWords(tx *typesetter, size float64) []word {
	return tx.words([]span{{st: style{Face: serif, Size: size, Color: black}, text: strings.Join(strings.Fields(sample), " ")}})
}

// TestLineBreaking checks that lines never exceed the measure, that
// justified lines fill it exactly, and that no word is lost.
func TestLineBreaking(t *testing.T) {
	tx := &typesetter{warn: func(string, ...any) {}}
	for _, width := range []float64{60, 90, 150, 220, 300, 428} {
		for _, justify := range []bool{false, true} {
			ws := sampleWords(tx, 10.5)
			var lines []lineSpan
			if justify {
				ws, lines = breakJustified(ws, width, nil)
			} else {
				ws, lines = breakLines(ws, width)
			}
			var text []string
			for k, l := range lines {
				al := alignLeft
				if justify {
					al = alignJustify
				}
				it := setLine(ws, l, lineStyle{Width: width, Align: al, Lead: 14, Face: serif, Size: 10.5})
				right := lineRight(it)
				if right > width+0.01 {
					t.Errorf("width %g: line %d ends at %.2f, past the measure", width, k, right)
				}
				if justify && l.justify && k < len(lines)-1 && right < width-0.01 {
					// A line too loose to justify is set ragged, with its
					// gaps as wide as they may be.
					gaps := 0
					for _, w := range ws[l.from : l.to-1] {
						if w.hasSpace {
							gaps++
						}
					}
					_, stretch, _ := lineStart(ws[l.from:l.to], true, lineStyle{Width: width, Align: alignJustify, Face: serif, Size: 10.5})
					if limit := (maxSpacing - 1) * measure(serif, 10.5, " "); gaps > 0 && stretch < limit-0.01 {
						t.Errorf("width %g: justified line %d ends at %.2f, not at the measure, with gaps %.2f wider (limit %.2f)", width, k, right, stretch, limit)
					}
				}
				text = append(text, plainWords(ws[l.from:l.to]))
			}
			got := strings.ReplaceAll(strings.Join(text, " "), " ", "")
			want := strings.ReplaceAll(strings.Join(strings.Fields(sample), ""), " ", "")
			if got != want {
				t.Errorf("width %g justify %v: text changed:\n%s\nwant\n%s", width, justify, got, want)
			}
		}
	}
}

// TestJustifiedSpacing checks that total-fit breaking spaces a long
// paragraph better than first fit by the measure it optimises: the sum of
// each line's squared demerits from its badness.
func TestJustifiedSpacing(t *testing.T) {
	tx := &typesetter{warn: func(string, ...any) {}}
	text := strings.Repeat(strings.Join(strings.Fields(sample), " ")+" ", 4)
	cost := func(ws []word, lines []lineSpan, width float64) float64 {
		p := newParagraph(ws)
		sum := 0.0
		for _, l := range lines[:len(lines)-1] {
			sum += math.Pow(linePenalty+100*math.Pow(math.Abs(p.ratio(l.from, l.to, width, false)), 3), 2)
		}
		return sum
	}
	for _, width := range []float64{200, 300} {
		ws := tx.words([]span{{st: style{Face: serif, Size: 10.5}, text: text}})
		fw, fl := breakLines(append([]word(nil), ws...), width)
		kw, kl := breakJustified(append([]word(nil), ws...), width, nil)
		if f, k := cost(fw, fl, width), cost(kw, kl, width); k > f {
			t.Errorf("width %g: demerits %.0f with total fit, %.0f with first fit", width, k, f)
		}
	}
}

func TestColumnWidths(t *testing.T) {
	cw := func(min, pref float64) cellWords { return cellWords{min: min, pref: pref} }
	for _, tc := range []struct {
		name  string
		cells [][]cellWords
		avail float64
		ok    bool
	}{
		{"narrow fits", [][]cellWords{{cw(20, 40), cw(10, 30)}}, 400, true},
		{"wide fills", [][]cellWords{{cw(20, 200), cw(10, 150)}}, 400, true},
		{"shares the room", [][]cellWords{{cw(30, 400), cw(20, 50)}, {cw(10, 20), cw(40, 300)}}, 300, true},
		{"too wide", [][]cellWords{{cw(200, 400), cw(200, 300)}}, 300, false},
	} {
		ws, ok := columnWidths(tc.cells, 2, tc.avail)
		if ok != tc.ok {
			t.Errorf("%s: ok = %v, want %v", tc.name, ok, tc.ok)
		}
		sum := 0.0
		for j, w := range ws {
			sum += w
			min := 0.0
			for _, row := range tc.cells {
				min = max(min, row[j].min+2*cellPadX)
			}
			if ok && w < min-0.01 {
				t.Errorf("%s: column %d is %.1f wide, under its minimum %.1f", tc.name, j, w, min)
			}
		}
		if sum > tc.avail+0.01 {
			t.Errorf("%s: table %.1f wide, room for %.1f", tc.name, sum, tc.avail)
		}
	}
}

// TestWrapCode checks that wrapped code lines fit the box and keep every
// character but the spaces at the breaks.
func TestWrapCode(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []rune("abcdefghijklmnop_.,(){}[] =>:\"éü→")
	for n := 0; n < 200; n++ {
		var sb strings.Builder
		for range r.Intn(300) {
			sb.WriteRune(alphabet[r.Intn(len(alphabet))])
		}
		src := sb.String()
		lines := codeLines([]chroma.Token{{Type: chroma.Text, Value: src}}, 8.6, &typesetter{})
		if len(lines) == 0 {
			continue
		}
		width := 40 + r.Float64()*300
		markW := measure(mono, 8.6, "↪ ")
		var got strings.Builder
		for i, p := range wrapCode(lines[0], width, markW) {
			w := p.indent
			for _, c := range p.cells {
				w += c.w
				got.WriteRune(c.r)
			}
			if w > width+0.01 && len(p.cells) > 1 {
				t.Fatalf("part %d of %q is %.1f wide, box %.1f", i, src, w, width)
			}
		}
		if strings.ReplaceAll(got.String(), " ", "") != strings.ReplaceAll(src, " ", "") {
			t.Fatalf("wrapping lost text:\n%q\n%q", src, got.String())
		}
	}
}

// TestPaginateKeeps checks the break rules: two lines of a paragraph at
// least at the top and bottom of a page, a heading with what follows.
func TestPaginateKeeps(t *testing.T) {
	g, _ := NewGeometry("a5", false, 9.5)
	st := newStyles(9.5, g.TextW)
	r := rand.New(rand.NewSource(2))
	var items []*Item
	for p := 0; p < 120; p++ {
		if p%7 == 0 {
			items = append(items, &Item{H: 18, Space: 20, Kind: "heading"})
		}
		n := 1 + r.Intn(9)
		for i := 0; i < n; i++ {
			it := &Item{H: st.Leading, Kind: "line"}
			if i == 0 {
				it.Space = st.Para
				if items[len(items)-1].Kind == "heading" {
					it.Keep = true
				}
			}
			if i == 1 || i > 0 && i == n-1 {
				it.Keep = true
			}
			items = append(items, it)
		}
	}
	pages := paginate(items, g, st, 1)
	for k, p := range pages {
		last := p.items[len(p.items)-1]
		if last.index+1 < len(items) && items[last.index+1].Keep {
			t.Errorf("page %d ends before an item kept with the one before it (%s then %s)", k+1, last.it.Kind, items[last.index+1].Kind)
		}
		bottom := last.y + last.it.H
		if bottom > g.TextH+0.01 {
			t.Errorf("page %d: text reaches %.1f, text block is %.1f high", k+1, bottom, g.TextH)
		}
		if k < len(pages)-1 && bottom < g.TextH*0.6 {
			t.Errorf("page %d is only %.0f%% full", k+1, 100*bottom/g.TextH)
		}
	}
}

// TestDeterministic writes a book twice and compares the bytes.
func TestDeterministic(t *testing.T) {
	b := golden.MustLoad(t, map[string]string{
		"_index.md": "---\ntitle: Twice\n---\n- [One](one.md)\n- Part\n  - [Two](two.md)\n",
		"one.md":    "---\ntitle: One\n---\n## Section\n\nText with a note[^1].\n\n[^1]: The note.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n",
		"two.md":    "---\ntitle: Two\n---\n```go\nfunc main() {}\n```\n\n- [x] done\n- [ ] todo\n",
	})
	var a, c bytes.Buffer
	if _, err := Write(&a, b, Config{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&c, b, Config{TwoSide: true}); err != nil {
		t.Fatal(err)
	}
	var a2 bytes.Buffer
	if _, err := Write(&a2, b, Config{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), a2.Bytes()) {
		t.Error("two builds differ")
	}
	if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) {
		t.Error("not a PDF")
	}
}

// TestRelease: a PDF written by the book's last printer, which releases
// each chapter once its pages are drawn, is the PDF written without
// releasing, and leaves no chapter's tree behind.
func TestRelease(t *testing.T) {
	files := map[string]string{
		"_index.md": "---\ntitle: Released\n---\n- [One](one.md)\n- Part\n  - [Two](two.md)\n",
		"one.md":    "---\ntitle: One\n---\n## Section\n\nText with a note[^1].\n\n[^1]: The note.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n",
		"two.md":    "---\ntitle: Two\n---\n```go\nfunc main() {}\n```\n\n## Again\n\nSee [one](one.md#section).\n\n```mermaid\nflowchart LR\n  A[Start] --> B[End]\n```\n",
	}
	var want, got bytes.Buffer
	if _, err := Write(&want, golden.MustLoad(t, files), Config{}); err != nil {
		t.Fatal(err)
	}
	b := golden.MustLoad(t, files)
	if _, err := Write(&got, b, Config{Release: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Error("the PDF written releasing its chapters differs")
	}
	golden.CheckReleased(t, b)
}

// TestPretolerance checks that a paragraph that sets well without
// hyphenation is not hyphenated at all (TeX's \pretolerance): its words
// are not even cut at their hyphenation points, which costs a measure of
// every piece; and that one in a narrow measure still is.
func TestPretolerance(t *testing.T) {
	tx := &typesetter{warn: func(string, ...any) {}}
	h := hyphen.For("en")
	if h == nil {
		t.Fatal("no English hyphenation")
	}
	prose := "A supervisor starts its children in order and stops them in the reverse order. " +
		"When a child exits abnormally, the supervisor restarts it according to its strategy, " +
		"and if restarts happen too often within a period of time, the supervisor itself gives up " +
		"and exits, handing the problem to its own supervisor. This escalation is what lets a " +
		"system recover from transient faults without operators, while persistent faults still " +
		"surface quickly instead of being retried forever in a loop that hides them from everyone."
	words := tx.words([]span{{st: style{Face: serif, Size: 10.5}, text: prose}})
	set := func(width float64) (pieces int, worst float64) {
		ws, lines := breakJustified(append([]word(nil), words...), width, h)
		for k, l := range lines {
			if k < len(lines)-1 {
				worst = max(worst, newParagraph(ws).ratio(l.from, l.to, width, false))
			}
		}
		return len(ws), worst
	}
	if n, worst := set(428); n != len(words) || worst > pretolerance+0.01 {
		t.Errorf("a wide measure: %d pieces of %d words, worst ratio %.2f; want the words whole, ratio at most %g", n, len(words), worst, float64(pretolerance))
	}
	if n, _ := set(120); n == len(words) {
		t.Error("a narrow measure: no word hyphenated")
	}
}
