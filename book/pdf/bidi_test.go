package pdf

import (
	"slices"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book/font"
)

// visual returns s in the order it is drawn, by the levels bidiLevels
// gives and L2, with the characters at odd levels mirrored.
func visual(s string) string {
	runes := []rune(s)
	levels, _ := bidiLevels(runes)
	if levels == nil {
		return s
	}
	var out []rune
	for _, i := range reorder(levels) {
		r := runes[i]
		if levels[i]%2 == 1 {
			switch r {
			case '(':
				r = ')'
			case ')':
				r = '('
			case '[':
				r = ']'
			case ']':
				r = '['
			}
		}
		out = append(out, r)
	}
	return string(out)
}

func TestBidiOrder(t *testing.T) {
	for _, c := range []struct{ logical, visual string }{
		{"plain Latin, untouched", "plain Latin, untouched"},
		{"abc אבג def", "abc גבא def"},
		// Numbers inside right-to-left text keep their own order.
		{"abc אבג 123 דהו def", "abc והד 123 גבא def"},
		// A right-to-left paragraph: Latin and numbers read left to right
		// inside it.
		{"אבג abc 123", "abc 123 גבא"},
		{"אבג 10% def", "def 10% גבא"},
		// Paired brackets take the direction of what they enclose and of
		// the text before them (N0), and are mirrored at odd levels.
		{"abc אבג (דהו) def", "abc (והד) גבא def"},
		{"abc (אבג) def", "abc (גבא) def"},
		{"אבג [abc] דהו", "והד [abc] גבא"},
		// Arabic letters make a following European number Arabic (W2);
		// Arabic-Indic digits stay in order.
		{"سلام 123", "123 مالس"},
		{"abc بت ١٢٣", "abc ١٢٣ تب"},
		// A mark keeps the direction of its letter (W1).
		{"abc ثًا def", "abc اًث def"},
		// The marks LRM and RLM count as strong characters.
		{"\u200fabc", "abc\u200f"},
	} {
		if got := visual(c.logical); got != c.visual {
			t.Errorf("%q: drawn %q, want %q", c.logical, got, c.visual)
		}
	}
}

func TestReorder(t *testing.T) {
	for _, c := range []struct {
		levels []uint8
		want   []int
	}{
		{[]uint8{0, 0, 0}, []int{0, 1, 2}},
		{[]uint8{0, 1, 1, 0}, []int{0, 2, 1, 3}},
		{[]uint8{1, 1, 2, 2, 1}, []int{4, 2, 3, 1, 0}},
		{[]uint8{2, 2}, []int{0, 1}},
		{nil, []int{}},
	} {
		if got := reorder(c.levels); !slices.Equal(got, c.want) {
			t.Errorf("reorder(%v) = %v, want %v", c.levels, got, c.want)
		}
	}
}

// TestBidiLine sets a paragraph that mixes Latin and Arabic and checks
// the order its pieces are drawn in, and that the Arabic is shaped right
// to left.
func TestBidiLine(t *testing.T) {
	tx := &typesetter{}
	st := style{Face: serif, Size: 10, Color: black}
	ws := tx.words([]span{{st: st, text: "The word مرحبا بالعالم (hello) means hello world."}})
	it := setLine(ws, lineSpan{from: 0, to: len(ws)}, lineStyle{Width: 400, Lead: 14, Face: serif, Size: 10})
	type placed struct {
		x    float64
		text string
		dir  font.Direction
	}
	var ps []placed
	for _, op := range it.Ops {
		if o, ok := op.(*textOp); ok {
			ps = append(ps, placed{o.X, o.S, o.Face.Dir})
		}
	}
	slices.SortFunc(ps, func(a, b placed) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	var order []string
	for _, p := range ps {
		order = append(order, p.text)
		arabic := strings.ContainsAny(p.text, "مرحبابالعالم")
		if arabic && p.dir != font.RTL || !arabic && p.dir == font.RTL {
			t.Errorf("%q shaped in direction %d", p.text, p.dir)
		}
	}
	got := strings.Join(order, "|")
	if want := "The|word|بالعالم|مرحبا|(hello)|means|hello|world."; got != want {
		t.Errorf("drawn left to right: %s\nwant %s", got, want)
	}
	// Each Arabic word is one piece, so its letters join.
	for _, w := range ws {
		for _, p := range w.pieces {
			if strings.ContainsAny(p.text, "مرحبا") && (len(w.pieces) != 1 || p.level != 1) {
				t.Errorf("Arabic word %q in %d pieces, level %d", p.text, len(w.pieces), p.level)
			}
		}
	}

	// A right-to-left paragraph: its last line is set flush right.
	ws = tx.words([]span{{st: st, text: "مرحبا بالعالم"}})
	if !ws[0].rtl {
		t.Fatal("an Arabic paragraph is not right to left")
	}
	it = setLine(ws, lineSpan{from: 0, to: len(ws)}, lineStyle{Width: 400, Align: alignJustify, Lead: 14, Face: serif, Size: 10})
	if right := lineRight(it); right < 399.99 || right > 400.01 {
		t.Errorf("the last line of a right-to-left paragraph ends at %.2f, not at the right edge", right)
	}
}
