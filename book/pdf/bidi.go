package pdf

import (
	"cmp"
	"slices"

	"github.com/boxesandglue/textshape/ot"
	"golang.org/x/text/unicode/bidi"
)

// Right-to-left text (Arabic, Hebrew) mixed with left-to-right text in one
// paragraph is ordered by the Unicode Bidirectional Algorithm (UAX #9), in
// the subset running text needs: the paragraph's direction from its first
// strong character (P2, P3), the weak types (W1-W7), paired brackets (N0),
// neutrals (N1, N2) and the implicit levels (I1, I2). Explicit embeddings,
// overrides and isolates are not honoured: their controls are dropped like
// other formatting characters (X9), and the marks LRM, RLM and ALM count
// as the strong characters they stand for. The character data (Bidi_Class,
// brackets) is golang.org/x/text/unicode/bidi's.
//
// Lines are broken on the text in logical order; each line is then
// reordered for drawing (L2, in setLine), every run of one level shaped in
// its direction, so Arabic joins and brackets take their mirror image
// where the text runs right to left.

// bidiLevels returns the resolved embedding level of each rune of a
// paragraph and the paragraph's own level (0 left to right, 1 right to
// left). It returns nil when the paragraph has no right-to-left character
// and no Arabic number: all of it is then at level 0, left to right.
func bidiLevels(runes []rune) (levels []uint8, para uint8) {
	rtl := false
	for _, r := range runes {
		if r >= 0x590 && isRTLClass(bidiClass(r)) {
			rtl = true
			break
		}
	}
	if !rtl {
		return nil, 0
	}
	n := len(runes)
	cls := make([]bidi.Class, n)
	for i, r := range runes {
		cls[i] = bidiClass(r)
	}
	// P2, P3: the first strong character sets the paragraph's level.
	for _, c := range cls {
		if c == bidi.L {
			break
		}
		if c == bidi.R || c == bidi.AL {
			para = 1
			break
		}
	}
	e := bidi.L // the embedding direction
	if para == 1 {
		e = bidi.R
	}
	// X9: formatting characters are removed; they take the level of the
	// character before them at the end. idx lists the others.
	idx := make([]int, 0, n)
	for i, c := range cls {
		if c != bidi.BN {
			idx = append(idx, i)
		}
	}
	t := make([]bidi.Class, len(idx)) // the types being resolved
	orig := make([]bidi.Class, len(idx))
	for k, i := range idx {
		t[k] = cls[i]
		orig[k] = cls[i]
	}
	sos := e
	// W1: a nonspacing mark takes the type of the character before it.
	for k := range t {
		if t[k] == bidi.NSM {
			if k == 0 {
				t[k] = sos
			} else {
				t[k] = t[k-1]
			}
		}
	}
	// W2: a European number after an Arabic letter is an Arabic number.
	// W3: an Arabic letter is right to left.
	last := sos
	for k, c := range t {
		switch c {
		case bidi.L, bidi.R, bidi.AL:
			last = c
		case bidi.EN:
			if last == bidi.AL {
				t[k] = bidi.AN
			}
		}
	}
	for k, c := range t {
		if c == bidi.AL {
			t[k] = bidi.R
		}
	}
	// W4: one separator between two numbers of a kind joins them.
	for k := 1; k+1 < len(t); k++ {
		switch {
		case t[k] == bidi.ES && t[k-1] == bidi.EN && t[k+1] == bidi.EN:
			t[k] = bidi.EN
		case t[k] == bidi.CS && t[k-1] == bidi.EN && t[k+1] == bidi.EN:
			t[k] = bidi.EN
		case t[k] == bidi.CS && t[k-1] == bidi.AN && t[k+1] == bidi.AN:
			t[k] = bidi.AN
		}
	}
	// W5: terminators next to European numbers join them.
	for k := 0; k < len(t); {
		if t[k] != bidi.ET {
			k++
			continue
		}
		j := k
		for j < len(t) && t[j] == bidi.ET {
			j++
		}
		if k > 0 && t[k-1] == bidi.EN || j < len(t) && t[j] == bidi.EN {
			for m := k; m < j; m++ {
				t[m] = bidi.EN
			}
		}
		k = j
	}
	// W6: other separators and terminators are neutral.
	for k, c := range t {
		if c == bidi.ES || c == bidi.ET || c == bidi.CS {
			t[k] = bidi.ON
		}
	}
	// W7: a European number after left-to-right text is left to right.
	last = sos
	for k, c := range t {
		switch c {
		case bidi.L, bidi.R:
			last = c
		case bidi.EN:
			if last == bidi.L {
				t[k] = bidi.L
			}
		}
	}
	// N0: paired brackets.
	resolveBrackets(runes, idx, t, orig, e, sos)
	// N1, N2: neutrals between text of one direction take it; others take
	// the embedding direction.
	strong := func(c bidi.Class) (bidi.Class, bool) {
		switch c {
		case bidi.L:
			return bidi.L, true
		case bidi.R, bidi.EN, bidi.AN:
			return bidi.R, true
		}
		return 0, false
	}
	for k := 0; k < len(t); {
		if _, ok := strong(t[k]); ok {
			k++
			continue
		}
		j := k
		for j < len(t) {
			if _, ok := strong(t[j]); ok {
				break
			}
			j++
		}
		before, after := sos, e // eos is the embedding direction too
		if k > 0 {
			before, _ = strong(t[k-1])
		}
		if j < len(t) {
			after, _ = strong(t[j])
		}
		dir := e
		if before == after {
			dir = before
		}
		for m := k; m < j; m++ {
			t[m] = dir
		}
		k = j
	}
	// I1, I2: the implicit levels.
	levels = make([]uint8, n)
	for k, i := range idx {
		lv := para
		switch {
		case para == 0 && t[k] == bidi.R:
			lv = 1
		case para == 0 && (t[k] == bidi.AN || t[k] == bidi.EN):
			lv = 2
		case para == 1 && (t[k] == bidi.L || t[k] == bidi.EN || t[k] == bidi.AN):
			lv = 2
		}
		levels[i] = lv
	}
	// Removed characters take the level of the one before them.
	prev := para
	for i, c := range cls {
		if c == bidi.BN {
			levels[i] = prev
		}
		prev = levels[i]
	}
	return levels, para
}

// bidiClass returns the Bidi_Class of r, with the explicit formatting
// characters as BN (they are dropped, not honoured) and the marks as the
// strong characters they stand for.
func bidiClass(r rune) bidi.Class {
	switch r {
	case '\u200e': // left-to-right mark
		return bidi.L
	case '\u200f': // right-to-left mark
		return bidi.R
	case '\u061c': // Arabic letter mark
		return bidi.AL
	}
	p, _ := bidi.LookupRune(r)
	c := p.Class()
	if c >= bidi.Control {
		return bidi.BN
	}
	return c
}

func isRTLClass(c bidi.Class) bool { return c == bidi.R || c == bidi.AL || c == bidi.AN }

// maxBracketDepth is BD16's stack size.
const maxBracketDepth = 63

// resolveBrackets applies N0 to the types t of the characters idx of
// runes: a pair of brackets with text of the embedding direction e inside
// takes e; with only text of the other direction inside, it takes that
// direction when the text before it has it too, else e.
func resolveBrackets(runes []rune, idx []int, t, orig []bidi.Class, e, sos bidi.Class) {
	type pair struct{ open, close int }
	var pairs []pair
	type opener struct {
		k    int
		want rune // the closing bracket
	}
	var stack []opener
	for k, i := range idx {
		if t[k] != bidi.ON {
			continue
		}
		r := runes[i]
		p, _ := bidi.LookupRune(r)
		if !p.IsBracket() {
			continue
		}
		if p.IsOpeningBracket() {
			if len(stack) == maxBracketDepth {
				break
			}
			stack = append(stack, opener{k, canonicalBracket(rune(ot.BidiMirror(ot.Codepoint(r))))})
			continue
		}
		c := canonicalBracket(r)
		for s := len(stack) - 1; s >= 0; s-- {
			if stack[s].want == c {
				pairs = append(pairs, pair{stack[s].k, k})
				stack = stack[:s]
				break
			}
		}
	}
	if len(pairs) == 0 {
		return
	}
	// In the order of their openers.
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(a.open, b.open) })
	dirOf := func(c bidi.Class) bidi.Class {
		switch c {
		case bidi.L:
			return bidi.L
		case bidi.R, bidi.EN, bidi.AN:
			return bidi.R
		}
		return bidi.ON
	}
	// last is the direction of the last strong character before pos, as
	// the pairs resolved so far have left the types: in one pass, since
	// the pairs come in the order of their openers.
	pos, last := 0, sos
	for _, pr := range pairs {
		for ; pos < pr.open; pos++ {
			if d := dirOf(t[pos]); d != bidi.ON {
				last = d
			}
		}
		found, opposite := false, false
		for k := pr.open + 1; k < pr.close; k++ {
			switch d := dirOf(t[k]); {
			case d == e:
				found = true
			case d != bidi.ON:
				opposite = true
			}
		}
		var dir bidi.Class
		switch {
		case found:
			dir = e
		case opposite:
			dir = e
			if last != e {
				dir = last
			}
		default:
			continue
		}
		for _, k := range []int{pr.open, pr.close} {
			t[k] = dir
			// Nonspacing marks after a bracket follow it.
			for m := k + 1; m < len(t) && orig[m] == bidi.NSM; m++ {
				t[m] = dir
			}
		}
	}
}

// canonicalBracket maps the angle brackets U+2329 and U+232A to their
// canonical equivalents, as BD16 compares brackets.
func canonicalBracket(r rune) rune {
	switch r {
	case 0x2329:
		return 0x3008
	case 0x232a:
		return 0x3009
	}
	return r
}

// reorder returns the visual order of items whose levels are given, by
// L2: from the highest level down to the lowest odd one, every run of
// items at that level or higher is reversed.
func reorder(levels []uint8) []int {
	order := make([]int, len(levels))
	for i := range order {
		order[i] = i
	}
	if len(levels) == 0 {
		return order
	}
	hi, lo := levels[0], levels[0]
	for _, l := range levels {
		hi, lo = max(hi, l), min(lo, l)
	}
	for lv := hi; lv >= lo|1; lv-- {
		for i := 0; i < len(order); {
			if levels[order[i]] < lv {
				i++
				continue
			}
			j := i
			for j < len(order) && levels[order[j]] >= lv {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				order[a], order[b] = order[b], order[a]
			}
			i = j
		}
	}
	return order
}
