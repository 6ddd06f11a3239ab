package hlengines

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2/syntax"
)

// TestAnalyses checks that analyses.go holds an analysis for every pattern
// the rules of the Lexers and Analysed compile to, and only those, and that each is
// what analyse works out of the pattern now: after a bump of chroma or
// regexp2, or a change of prefixes or programs, `go generate
// ./book/internal/hlengines` makes it pass again.
func TestAnalyses(t *testing.T) {
	inUse := map[string]bool{}
	for _, name := range append(slices.Clone(Lexers), Analysed...) {
		patterns, err := Patterns(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range patterns {
			inUse[p] = true
			if precomputed(p) == nil {
				t.Errorf("%s: pattern %q has no analysis: run go generate in book/internal/hlengines", name, p)
			}
		}
	}
	if !slices.IsSortedFunc(analyses, func(a, b analysis) int { return strings.Compare(a.pattern, b.pattern) }) {
		t.Error("analyses are not sorted by pattern")
	}
	sets := map[string][2]*syntax.CharSet{} // by encoding: the table's, the parse's
	programs := 0
	for i := range analyses {
		a := &analyses[i]
		if !inUse[a.pattern] {
			t.Errorf("analysis of %q, a pattern no rule of the Lexers or Analysed has: run go generate in book/internal/hlengines", a.pattern)
		}
		want, err := analysePattern(a.pattern)
		if err != nil {
			t.Errorf("%q: %v", a.pattern, err)
			continue
		}
		got := &rule{re: want.re, nums: want.nums, view: want.view}
		got.apply(a)
		if got.any != want.any || !slices.EqualFunc(got.prefixes, want.prefixes, slices.Equal) {
			t.Errorf("%q: analyses.go has prefixes %v (any %v), analyse %v (any %v): run go generate in book/internal/hlengines", a.pattern, got.prefixes, got.any, want.prefixes, want.any)
		}
		if (got.prog == nil) != (want.prog == nil) || len(got.prog) != len(want.prog) {
			t.Errorf("%q: analyses.go has program %v, analyse %v: run go generate in book/internal/hlengines", a.pattern, got.prog, want.prog)
			continue
		}
		if got.prog != nil {
			programs++
		}
		for j := range got.prog {
			g, w := got.prog[j], want.prog[j]
			gs, ws := g.class.set, w.class.set
			g.class.set, w.class.set = nil, nil
			if !equalOps(g, w) || (gs == nil) != (ws == nil) {
				t.Errorf("%q: op %d: analyses.go has %+v, analyse %+v: run go generate in book/internal/hlengines", a.pattern, j, got.prog[j], want.prog[j])
				continue
			}
			if gs == nil {
				continue
			}
			if !gs.Equals(ws) || !bytes.Equal(gs.Hash(), ws.Hash()) {
				t.Errorf("%q: op %d: set %s read back as %s", a.pattern, j, ws, gs)
			}
			sets[string(ws.Hash())] = [2]*syntax.CharSet{gs, ws}
		}
	}
	// The sets read back hold the runes the parse's hold: all of the
	// BMP and a sample beyond.
	var runes []rune
	for r := rune(-1); r <= 0x10000; r++ {
		runes = append(runes, r)
	}
	for r := rune(0x10001); r <= utf8.MaxRune+1; r += 97 {
		runes = append(runes, r)
	}
	runes = append(runes, utf8.MaxRune, 0x1D400, 0x1F600, 0xE0001)
	for enc, s := range sets {
		for _, r := range runes {
			if s[0].Contains(r) != s[1].Contains(r) {
				t.Errorf("set %s (%q): read back, holds %U: %v; parsed, %v", s[1], enc, r, s[0].Contains(r), s[1].Contains(r))
				break
			}
		}
	}
	t.Logf("%d analyses, %d programs, %d sets of %d runes", len(analyses), programs, len(sets), len(runes))
	if programs == 0 || len(sets) == 0 {
		t.Error("no program, or no set, was checked")
	}
}

// equalOps reports whether ops a and b are the same.
func equalOps(a, b op) bool {
	return a.kind == b.kind && a.class == b.class && slices.Equal(a.str, b.str) &&
		a.min == b.min && a.max == b.max && a.givesBack == b.givesBack && a.slot == b.slot
}
