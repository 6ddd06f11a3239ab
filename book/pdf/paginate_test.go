package pdf

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/internal/corpus"
)

// flowBuilder makes synthetic flows for the paginator's tests: paragraphs,
// headings, figures, tables, notes and chapter openings with the keeps the
// converter gives them.
type flowBuilder struct {
	st    Styles
	g     Geometry
	items []*Item
	keep  int // items still kept with the one before (after a heading)
}

func newFlowBuilder(size string) *flowBuilder {
	g, err := NewGeometry(size, false, 9.5)
	if err != nil {
		panic(err)
	}
	return &flowBuilder{st: newStyles(9.5, g.TextW), g: g}
}

func (b *flowBuilder) add(it *Item) *Item {
	if b.keep > 0 {
		it.Keep = true
		b.keep--
	}
	b.items = append(b.items, it)
	return it
}

// chapter starts a chapter: its opening item, a title line and a rule.
func (b *flowBuilder) chapter(title string) {
	ch := &book.Chapter{Title: title}
	b.keep = 0
	b.items = append(b.items,
		&Item{H: 16, Break: Recto, Opening: true, Chapter: ch, Fixed: 0.16 * b.g.TextH, Kind: "opening"},
		&Item{H: 24, Keep: true, Kind: "title"},
		&Item{H: 1, Space: 6, Keep: true, Kind: "rule"})
	b.keep = 2
}

// para adds a paragraph of n lines, kept two together at its ends; notes
// are cited on its first line.
func (b *flowBuilder) para(n int, notes ...*Note) {
	for i := range n {
		it := &Item{H: b.st.Leading, Kind: "line"}
		if i == 0 {
			it.Space = b.st.Para
			it.Notes = notes
		}
		if i == 1 || i > 0 && i == n-1 {
			it.Keep = true
		}
		b.add(it)
	}
}

// heading adds a heading of n lines (one if n is 0), kept with the next
// two items.
func (b *flowBuilder) heading(n ...int) {
	b.add(&Item{H: 18, Space: 28, Kind: "heading"})
	for i := 1; len(n) > 0 && i < n[0]; i++ {
		b.add(&Item{H: 18, Keep: true, Kind: "heading"})
	}
	b.keep = 2
}

// figure adds a floating figure of height h with a caption of n lines
// and returns its first item.
func (b *flowBuilder) figure(h float64, caption int) *Item {
	n := len(b.items) + 1
	fig := b.add(&Item{H: h, Space: b.st.Para * 1.5, Kind: "image", Float: n})
	for i := range caption {
		it := &Item{H: b.st.Small * 1.3, Kind: "caption", Float: n, Keep: true}
		if i == 0 {
			it.Space = b.st.Para * 0.6
		}
		b.add(it)
	}
	return fig
}

// table adds a table of rows body rows under a header row.
func (b *flowBuilder) table(rows int) {
	fr := &Frame{W: 200, Rules: &black, PadTop: 1.5, PadBottom: 1.5, Kind: "table"}
	head := b.add(&Item{H: 14, Space: b.st.Para*1.4 + fr.PadTop, Kind: "thead", Frames: []*Frame{fr}})
	for i := range rows {
		it := &Item{H: 13, Kind: "row", Frames: []*Frame{fr}, Header: []*Item{head}}
		if i == 0 {
			it.Keep = true
		}
		b.add(it)
	}
}

func note(key string, lines int, st Styles) *Note {
	n := &Note{Key: key}
	for range lines {
		n.Items = append(n.Items, &Item{H: st.Note * 1.3, Kind: "note"})
	}
	return n
}

// layout is where the items of a flow went: the page (0-based) and top of
// each flow index.
type layout struct {
	pages []*Page
	page  map[int]int
	y     map[int]float64
}

func (b *flowBuilder) paginate(t *testing.T) layout {
	t.Helper()
	l := layout{pages: paginate(b.items, b.g, b.st, 1), page: map[int]int{}, y: map[int]float64{}}
	for n, p := range l.pages {
		for _, pl := range p.items {
			if pl.head {
				continue
			}
			if _, dup := l.page[pl.index]; dup {
				t.Fatalf("item %d (%s) is placed twice", pl.index, pl.it.Kind)
			}
			l.page[pl.index], l.y[pl.index] = n, pl.y
		}
	}
	for i, it := range b.items {
		if _, ok := l.page[i]; !ok {
			t.Fatalf("item %d (%s) is on no page", i, it.Kind)
		}
	}
	return l
}

// bottom returns how far down page n the items reach.
func (l layout) bottom(n int) float64 {
	y := 0.0
	for _, pl := range l.pages[n].items {
		y = max(y, pl.y+pl.it.H)
	}
	return y
}

// dump describes the pages, for failure messages.
func (l layout) dump() string {
	var s strings.Builder
	for n, p := range l.pages {
		fmt.Fprintf(&s, "page %d:", n+1)
		for _, pl := range p.items {
			fmt.Fprintf(&s, " %s#%d@%.0f", pl.it.Kind, pl.index, pl.y)
		}
		s.WriteByte('\n')
	}
	return s.String()
}

// TestFloatFillsGap checks that a figure too tall for the rest of a page
// goes to the top of the next one while the text after it fills the page.
func TestFloatFillsGap(t *testing.T) {
	b := newFlowBuilder("a5")
	b.chapter("One")
	b.para(20)
	anchor := len(b.items) - 1
	fig := len(b.items)
	b.figure(0.5*b.g.TextH, 2)
	after := len(b.items)
	b.para(40)
	l := b.paginate(t)
	if l.page[anchor] != 0 {
		t.Fatalf("the paragraph before the figure ends on page %d, want 1\n%s", l.page[anchor]+1, l.dump())
	}
	if l.page[fig] != 1 || l.y[fig] != 0 {
		t.Errorf("the figure is on page %d at %.1f, want the top of page 2\n%s", l.page[fig]+1, l.y[fig], l.dump())
	}
	if l.page[fig+1] != 1 || l.y[fig+1] <= l.y[fig] {
		t.Errorf("the caption is not under its picture\n%s", l.dump())
	}
	if l.page[after] != 0 {
		t.Errorf("the text after the figure starts on page %d: it should fill page 1\n%s", l.page[after]+1, l.dump())
	}
	if gap := b.g.TextH - l.bottom(0); gap > 2*b.st.Leading {
		t.Errorf("page 1 ends %.1f pt above the foot of the text block\n%s", gap, l.dump())
	}
	// The text under the figure keeps its distance from it.
	next := -1
	for _, pl := range l.pages[1].items {
		if !pl.float && next < 0 {
			next = pl.index
		}
	}
	if cap := fig + 2; l.y[next] < l.y[cap-1]+b.items[cap-1].H+b.st.Leading-0.01 {
		t.Errorf("the text under the figure starts at %.1f, too close to its caption\n%s", l.y[next], l.dump())
	}
}

// TestFloatFits checks that a figure that fits stays in its place.
func TestFloatFits(t *testing.T) {
	b := newFlowBuilder("a5")
	b.chapter("One")
	b.para(5)
	fig := len(b.items)
	b.figure(100, 1)
	b.para(30)
	l := b.paginate(t)
	if l.page[fig] != 0 || l.y[fig] <= l.y[fig-1] || l.y[fig+2] <= l.y[fig+1] {
		t.Errorf("a figure that fits moved\n%s", l.dump())
	}
}

// TestFloatOrder checks that deferred figures keep their order: a small
// figure that would fit waits for the big one before it.
func TestFloatOrder(t *testing.T) {
	b := newFlowBuilder("a5")
	b.chapter("One")
	b.para(18)
	big := len(b.items)
	b.figure(0.6*b.g.TextH, 1)
	b.para(2)
	small := len(b.items)
	b.figure(40, 1)
	third := len(b.items)
	b.para(3)
	b.figure(0.3*b.g.TextH, 0)
	b.para(60)
	l := b.paginate(t)
	if l.page[big] != 1 || l.y[big] != 0 {
		t.Errorf("the big figure is on page %d at %.1f, want the top of page 2\n%s", l.page[big]+1, l.y[big], l.dump())
	}
	if l.page[small] < l.page[big] || l.page[small] == l.page[big] && l.y[small] < l.y[big] {
		t.Errorf("the small figure went before the big one\n%s", l.dump())
	}
	if l.page[third] < l.page[small] || l.page[third] == l.page[small] && l.y[third] < l.y[small] {
		t.Errorf("the third figure went before the second\n%s", l.dump())
	}
	if l.page[small] != 1 {
		t.Errorf("the small figure is on page %d, want 2 under the big one\n%s", l.page[small]+1, l.dump())
	}
	if l.page[third] > l.page[third-1]+1 {
		t.Errorf("the third figure is more than a page away from its paragraph\n%s", l.dump())
	}
}

// TestFloatWithinAPage checks that a figure waiting behind a big one does
// not end up two pages from its paragraph when moving a few lines to the
// next page avoids it.
func TestFloatWithinAPage(t *testing.T) {
	b := newFlowBuilder("a5")
	b.chapter("One")
	b.para(18)
	first := len(b.items)
	b.figure(0.8*b.g.TextH, 1)
	b.para(6)
	second := len(b.items)
	b.figure(0.8*b.g.TextH, 1)
	b.para(80)
	l := b.paginate(t)
	if l.page[first] != 1 {
		t.Fatalf("the first figure is on page %d, want 2\n%s", l.page[first]+1, l.dump())
	}
	if d := l.page[second] - l.page[second-1]; d != 1 {
		t.Errorf("the second figure is %d pages from the end of its paragraph, want 1\n%s", d, l.dump())
	}
	if full := l.bottom(0) / b.g.TextH; full < 0.75 {
		t.Errorf("page 1 is only %.0f%% full\n%s", 100*full, l.dump())
	}
}

// TestFloatStaysInChapter checks that a deferred figure is set before the
// next chapter opens, one-sided and two-sided.
func TestFloatStaysInChapter(t *testing.T) {
	for _, twoSide := range []bool{false, true} {
		t.Run(fmt.Sprint("twoside=", twoSide), func(t *testing.T) {
			b := newFlowBuilder("a5")
			b.g.TwoSide = twoSide
			b.chapter("One")
			b.para(22)
			fig := len(b.items)
			b.figure(0.6*b.g.TextH, 1)
			b.para(3)
			b.figure(0.3*b.g.TextH, 1)
			open := len(b.items)
			b.chapter("Two")
			b.para(10)
			l := b.paginate(t)
			for i := fig; i < open; i++ {
				if l.page[i] >= l.page[open] {
					t.Errorf("item %d (%s) of chapter One is on page %d, chapter Two opens on page %d\n%s", i, b.items[i].Kind, l.page[i]+1, l.page[open]+1, l.dump())
				}
			}
			if l.page[fig] != 1 || l.y[fig] != 0 {
				t.Errorf("the figure is on page %d at %.1f, want the top of page 2\n%s", l.page[fig]+1, l.y[fig], l.dump())
			}
			if twoSide && l.page[open]%2 != 0 {
				t.Errorf("chapter Two opens on page %d, a verso\n%s", l.page[open]+1, l.dump())
			}
			if l.pages[l.page[open]].chapter != b.items[open].Chapter || l.pages[l.page[fig]].chapter != b.items[0].Chapter {
				t.Errorf("running heads name the wrong chapter\n%s", l.dump())
			}
		})
	}
}

// TestFloatBeforeEndNotes checks that a figure still waiting when the
// chapter's text ends is set before the chapter's end notes, not after.
func TestFloatBeforeEndNotes(t *testing.T) {
	b := newFlowBuilder("a5")
	b.chapter("One")
	b.para(22)
	fig := len(b.items)
	b.figure(0.6*b.g.TextH, 1)
	b.para(2)
	notes := len(b.items)
	b.para(1) // the notes, short enough for what is left of the page
	b.items[notes].Settle = true
	l := b.paginate(t)
	at := func(i int) float64 { return float64(l.page[i])*1e6 + l.y[i] }
	if at(fig) > at(notes) {
		t.Errorf("the figure (page %d) comes after the end notes (page %d)\n%s", l.page[fig]+1, l.page[notes]+1, l.dump())
	}
	if at(fig) < at(notes-1) && l.page[fig] == 0 {
		t.Errorf("the figure did not float\n%s", l.dump())
	}
}

// TestFloatKeepsHeading checks that a heading whose figure is deferred
// stays with the text after the figure.
func TestFloatKeepsHeading(t *testing.T) {
	for fill := 0; fill < 8; fill++ { // the heading at every height near the foot
		t.Run(fmt.Sprint(fill), func(t *testing.T) {
			b := newFlowBuilder("a5")
			b.chapter("One")
			b.para(28 + fill)
			head := len(b.items)
			b.heading()
			fig := len(b.items)
			b.figure(0.5*b.g.TextH, 1)
			b.para(30)
			l := b.paginate(t)
			next := fig + 2
			if l.page[head] != l.page[next] || l.page[next+1] != l.page[head] {
				t.Errorf("the heading (page %d) is parted from the two lines after its figure (pages %d, %d)\n%s", l.page[head]+1, l.page[next]+1, l.page[next+1]+1, l.dump())
			}
			if l.page[fig] < l.page[head] || l.page[fig] == l.page[head] && l.y[fig] < l.y[head] {
				t.Errorf("the figure went before its heading\n%s", l.dump())
			}
		})
	}
}

// TestFloatNotes checks that footnotes stay on the page of the line that
// cites them when text moves past a deferred figure.
func TestFloatNotes(t *testing.T) {
	b := newFlowBuilder("a5")
	b.chapter("One")
	b.para(16, note("1", 2, b.st))
	b.figure(0.5*b.g.TextH, 1)
	cite := len(b.items)
	b.para(6, note("2", 3, b.st))
	b.para(8, note("3", 2, b.st))
	b.para(40)
	l := b.paginate(t)
	checkNotes(t, b, l)
	if l.page[cite] != 0 {
		t.Errorf("the paragraph after the figure starts on page %d, want 1\n%s", l.page[cite]+1, l.dump())
	}
}

// checkNotes fails for each note not on the page of the item citing it
// and for each page whose items reach into its notes.
func checkNotes(t *testing.T, b *flowBuilder, l layout) {
	t.Helper()
	on := map[*Note]int{}
	for n, p := range l.pages {
		for _, nt := range p.notes {
			if _, dup := on[nt]; dup {
				t.Errorf("note %s is set twice", nt.Key)
			}
			on[nt] = n
		}
		h := notesHeight(p.notes)
		if h > 0 {
			h += b.st.Leading * 1.1
		}
		if l.bottom(n)+h > b.g.TextH+0.01 {
			t.Errorf("page %d: items reach %.1f, notes start at %.1f\n%s", n+1, l.bottom(n), b.g.TextH-h, l.dump())
		}
	}
	for i, it := range b.items {
		for _, nt := range it.Notes {
			if p, ok := on[nt]; !ok || p != l.page[i] {
				t.Errorf("note %s is on page %d, cited on page %d\n%s", nt.Key, p+1, l.page[i]+1, l.dump())
			}
		}
	}
}

// TestFloatTableHeader checks that a table continued under a figure moved
// to the top of a page repeats its header there, under the figure.
func TestFloatTableHeader(t *testing.T) {
	b := newFlowBuilder("a5")
	b.chapter("One")
	b.para(15)
	fig := len(b.items)
	b.figure(0.5*b.g.TextH, 1)
	rows := len(b.items) + 1
	b.table(40)
	b.para(10)
	l := b.paginate(t)
	if l.page[rows] != 0 {
		t.Fatalf("the table starts on page %d, want 1 (filling the gap)\n%s", l.page[rows]+1, l.dump())
	}
	p := l.pages[l.page[fig]]
	if l.page[fig] != 1 || l.y[fig] != 0 {
		t.Fatalf("the figure is on page %d at %.1f, want the top of page 2\n%s", l.page[fig]+1, l.y[fig], l.dump())
	}
	var head *placed
	for k, pl := range p.items {
		if pl.head {
			head = &p.items[k]
		}
	}
	if head == nil {
		t.Fatalf("page 2 does not repeat the table's header\n%s", l.dump())
	}
	capBottom := l.y[fig+1] + b.items[fig+1].H
	if head.y < capBottom+padTop(head.it) {
		t.Errorf("the repeated header at %.1f overlaps the figure, which ends at %.1f\n%s", head.y, capBottom, l.dump())
	}
	for _, pl := range p.items {
		if !pl.head && !pl.float && pl.y < head.y {
			t.Errorf("%s#%d is above the repeated header\n%s", pl.it.Kind, pl.index, l.dump())
		}
	}
}

// TestFloatRandom paginates random chapters and checks what must always
// hold: every item placed once, inside the text block; figures in order,
// never before the item before them, within their chapter and within a
// page of that item unless the figures before them fill the page between;
// notes with the lines that cite them; and no page in the middle of a
// chapter more than a quarter empty when figures caused it.
func TestFloatRandom(t *testing.T) {
	for seed := int64(1); seed <= 600; seed++ {
		r := rand.New(rand.NewSource(seed))
		size := []string{"a4", "a5", "6x9in"}[seed%3]
		b := newFlowBuilder(size)
		b.g.TwoSide = seed%2 == 0
		var opens []int
		notes := 0
		for range 1 + r.Intn(3) {
			opens = append(opens, len(b.items))
			b.chapter(fmt.Sprint("chapter ", len(opens)))
			for range 5 + r.Intn(25) {
				switch k := r.Intn(10); {
				case k < 5:
					var ns []*Note
					if r.Intn(6) == 0 {
						notes++
						ns = append(ns, note(fmt.Sprint(notes), 1+r.Intn(3), b.st))
					}
					b.para(1+r.Intn(12), ns...)
				case k < 6:
					// A section: its heading, maybe a figure, then text.
					b.heading(1 + r.Intn(3))
					if r.Intn(3) == 0 {
						b.figure((0.1+0.7*r.Float64())*b.g.TextH, r.Intn(3))
					}
					b.para(2 + r.Intn(10))
				case k < 9:
					b.figure((0.1+0.7*r.Float64())*b.g.TextH, r.Intn(3))
				default:
					b.table(1 + r.Intn(30))
				}
			}
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			l := b.paginate(t)
			checkNotes(t, b, l)
			chapterOf := func(i int) int {
				c := 0
				for k, o := range opens {
					if i >= o {
						c = k
					}
				}
				return c
			}
			for n, p := range l.pages[:len(l.pages)-1] {
				var end *placed
				for k := range p.items {
					if !p.items[k].float {
						end = &p.items[k]
					}
				}
				if end != nil && (end.it.Kind == "heading" || end.it.Kind == "title" || end.it.Kind == "opening") {
					t.Errorf("page %d ends with a %s\n%s", n+1, end.it.Kind, l.dump())
				}
			}
			last := -1 // the last figure's first item
			for i, it := range b.items {
				if l.bottom(l.page[i]) > b.g.TextH+0.01 {
					t.Fatalf("page %d overflows\n%s", l.page[i]+1, l.dump())
				}
				if it.Float == 0 || b.items[i-1].Float == it.Float {
					continue
				}
				if l.page[i] < l.page[i-1] || l.page[i] == l.page[i-1] && l.y[i] < l.y[i-1] {
					t.Errorf("figure %d is before the item before it\n%s", i, l.dump())
				}
				if c := chapterOf(i); c+1 < len(opens) && l.page[i] >= l.page[opens[c+1]] {
					t.Errorf("figure %d left its chapter\n%s", i, l.dump())
				}
				if last >= 0 && (l.page[i] < l.page[last] || l.page[i] == l.page[last] && l.y[i] < l.y[last]) {
					t.Errorf("figure %d went before figure %d\n%s", i, last, l.dump())
				}
				if l.page[i] > l.page[i-1]+1 && (last < 0 || l.page[last] < l.page[i]-1) {
					t.Errorf("figure %d is on page %d, its paragraph ends on page %d, and no figure fills the page between\n%s", i, l.page[i]+1, l.page[i-1]+1, l.dump())
				}
				last = i
			}
			// A page in the middle of a chapter is at least three
			// quarters full: a page followed in its chapter by a page
			// with text on it. (Where the text of a chapter ends, the
			// figures still deferred follow on pages of their own.)
			for n, p := range l.pages {
				if p.opening || p.blank {
					continue
				}
				text := false
				for m := n + 1; m < len(l.pages) && !l.pages[m].opening && !l.pages[m].blank; m++ {
					for _, pl := range l.pages[m].items {
						text = text || !pl.float
					}
				}
				if !text {
					continue
				}
				notes := notesHeight(p.notes)
				if notes > 0 {
					notes += b.st.Leading * 1.1 // the gap with the rule above them
				}
				full := (l.bottom(n) + notes) / b.g.TextH
				if full >= 0.75 {
					continue
				}
				t.Errorf("page %d is %.0f%% full in the middle of a chapter\n%s", n+1, 100*full, l.dump())
			}
		})
	}
}

// TestLooserKeeps checks that a run of kept items (two headings and a
// paragraph of three lines) that does not fit at the foot of a page
// leaves a line of the paragraph there or on the next page rather than a
// hole of more than a quarter of the page, and never leaves a heading
// last on a page.
func TestLooserKeeps(t *testing.T) {
	split := 0
	for fill := 10; fill < 30; fill++ {
		b := newFlowBuilder("a5")
		b.chapter("One")
		b.para(fill)
		b.heading()
		b.heading()
		first := len(b.items)
		b.para(3)
		b.figure(0.4*b.g.TextH, 1)
		b.para(40)
		l := b.paginate(t)
		if l.page[first] != l.page[first+2] {
			split++
		}
		for n, p := range l.pages[:len(l.pages)-1] {
			last := p.items[len(p.items)-1]
			if last.it.Kind == "heading" {
				t.Errorf("fill %d: page %d ends with a heading\n%s", fill, n+1, l.dump())
			}
			if full := l.bottom(n) / b.g.TextH; full < 0.75 {
				t.Errorf("fill %d: page %d is %.0f%% full\n%s", fill, n+1, 100*full, l.dump())
			}
		}
	}
	if split == 0 {
		t.Error("no fill parted the three-line paragraph: the test tries no case where keeping it whole leaves a hole")
	}
}

// TestPaginateInChunks checks that the body paginated a chunk at a time
// (a chapter, a part page), as Write streams it, gives the pages that
// paginating all its items at once gives: no decision looks past the
// break that begins a chunk.
func TestPaginateInChunks(t *testing.T) {
	books := map[string]*book.Book{"paged": pagedBook(t)}
	if content, ok := corpus.Content(); ok {
		b, err := book.Load(filepath.Join(content, filepath.FromSlash(corpus.Golang)), book.Options{})
		if err != nil {
			t.Fatal(err)
		}
		books["golang"] = b
	}
	for name, b := range books {
		for _, cfg := range []Config{{}, {TwoSide: true, PageSize: "a5"}} {
			w, err := newWriter(b, cfg)
			if err != nil {
				t.Fatal(err)
			}
			flows := w.chapterFlows()
			var all []*Item
			tx := w.typesetter()
			b.Walk(func(n book.Node, _ int) {
				switch n := n.(type) {
				case *book.Part:
					all = append(all, w.partPage(tx, n)...)
				case *book.Chapter:
					all = append(all, flows[n.Number-1].Items...)
				}
			})
			want := describePages(paginate(all, w.g, w.st, 1))
			var pages []*Page
			_, err = w.body(func(ch *book.Chapter) *Flow { return flows[ch.Number-1] }, func(ps []*Page, _ *book.Chapter) error {
				pages = append(pages, ps...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got := describePages(pages)
			if len(want) < 10 {
				t.Fatalf("%s: %d pages: too few to test", name, len(want))
			}
			if len(got) != len(want) {
				t.Errorf("%s %+v: %d pages in chunks, %d at once", name, cfg, len(got), len(want))
			}
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("%s %+v: page %d in chunks:\n%s\nat once:\n%s", name, cfg, i+1, got[i], want[i])
					break
				}
			}
		}
	}
}

// describePages describes what pagination decided of each page.
func describePages(pages []*Page) []string {
	var ds []string
	for _, p := range pages {
		var s strings.Builder
		title := ""
		if p.chapter != nil {
			title = p.chapter.Title
		}
		fmt.Fprintf(&s, "page %d blank=%v opening=%v chapter=%q notes=%d\n", p.num, p.blank, p.opening, title, len(p.notes))
		for _, pl := range p.items {
			fmt.Fprintf(&s, "  %s y=%.3f h=%.3f head=%v float=%v %q\n", pl.it.Kind, pl.y, pl.it.H, pl.head, pl.float, itemText(pl.it))
		}
		ds = append(ds, s.String())
	}
	return ds
}
