package font

import (
	"math"
	"testing"
)

func TestWidthMatchesKnownAdvances(t *testing.T) {
	// DejaVu Sans Mono: every glyph is 1233/2048 em wide, 602 thousandths after rounding.
	if got, want := Width(Face{Family: Mono, Style: Regular}, 10, "abcd"), 4*6.02; math.Abs(got-want) > 1e-9 {
		t.Errorf("mono width = %v, want %v", got, want)
	}
	if Width(Face{Family: Serif, Style: Bold}, 10, "mmm") <= Width(Face{Family: Serif, Style: Regular}, 10, "mmm") {
		t.Error("bold serif is not wider than regular")
	}
}

func TestFallback(t *testing.T) {
	serif := Face{Family: Serif, Style: Regular}
	if !serif.Has('A') {
		t.Fatal("serif lacks A")
	}
	// U+2318 PLACE OF INTEREST SIGN is in DejaVu Sans, not in DejaVu Serif.
	if serif.Has('⌘') {
		t.Skip("serif has U+2318 after all")
	}
	got, ok := Fallback(serif, '⌘')
	if !ok || got.Family != Sans {
		t.Errorf("Fallback(serif, ⌘) = %v, %v; want Sans", got, ok)
	}
	if _, ok := Fallback(serif, 0x1F600); ok {
		t.Error("an emoji was found in DejaVu")
	}
}

func TestFacesHaveNamesAndData(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Faces() {
		if len(f.TTF()) == 0 || seen[f.Name()] {
			t.Errorf("face %v: name %q duplicate or no data", f, f.Name())
		}
		seen[f.Name()] = true
		m := MetricsOf(f)
		if m.Ascent <= 0 || m.Descent >= 0 {
			t.Errorf("%s: ascent %d descent %d", f.Name(), m.Ascent, m.Descent)
		}
	}
}
