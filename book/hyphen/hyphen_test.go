package hyphen

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestKnownWords holds words whose hyphenation is checked by hand against
// the patterns and against LuaTeX (testdata/luatex/hyphenate.lua).
func TestKnownWords(t *testing.T) {
	for _, tc := range []struct {
		tag   string
		words []string
	}{
		{"en-US", []string{"hy-phen-ation", "type-set-ting", "con-cur-rency", "su-per-vi-sor", "de-vel-op-ers", "al-go-rithm", "Com-puter"}},
		{"en-GB", []string{"hy-phen-a-tion", "type-set-ting", "pro-gram-ming", "col-our"}},
		{"de", []string{"Sil-ben-tren-nung", "Schiff-fahrt", "Recht-schrei-bung", "Do-nau-dampf-schiff-fahrt", "Pro-gram-mie-rung", "Stra-ße"}},
		{"fr", []string{"l'in-for-ma-tion", "ty-po-gra-phie", "or-di-na-teur", "au-jour-d'hui", "pro-gram-ma-tion"}},
		{"es", []string{"pro-gra-ma-ción", "de-sa-rro-llo", "fe-rro-ca-rril", "gui-ta-rra"}},
		{"it", []string{"sil-la-ba-zio-ne", "pro-gram-ma-zio-ne", "del-l'in-for-ma-zio-ne", "cal-co-la-to-re"}},
		{"pt", []string{"hi-fe-ni-za-ção", "com-pu-ta-dor", "pro-gra-ma-ção", "de-sen-vol-vi-mento"}},
		{"nl", []string{"let-ter-greep", "woord-af-bre-king", "pro-gram-me-ren", "ont-wik-ke-ling"}},
		{"id", []string{"pe-meng-ga-lan", "kom-pu-ter", "pem-rog-ra-man", "per-pus-ta-ka-an", "makh-luk",
			"sang-gup", "in-stru-men", "pan-dai", "sau-da-ra", "ba-pak", "Ap-ril", "man-di", "nya-nyi-an"}},
		{"ru", []string{"про-грам-ми-ро-ва-ние", "пе-ре-но-сы", "раз-ра-бот-ка"}},
	} {
		h := For(tc.tag)
		for _, want := range tc.words {
			word := strings.ReplaceAll(want, "-", "")
			if got := hyphenated(h, word); got != want {
				t.Errorf("%s: %s: got %s, want %s", tc.tag, word, got, want)
			}
		}
	}
}

func TestFor(t *testing.T) {
	for _, tc := range []struct{ tag, want string }{
		{"en", "en-us"}, {"en-US", "en-us"}, {"EN-us", "en-us"}, {"en_US", "en-us"}, {"en-CA", "en-us"},
		{"en-Latn-US", "en-us"}, {"en-GB", "en-gb"}, {"en-AU", "en-gb"}, {"en-NZ", "en-gb"}, {"en-IE", "en-gb"},
		{"en-ZA", "en-gb"}, {"en-IN", "en-gb"}, {"en-GB-oxendict", "en-gb"}, {"en-150", "en-us"}, {"de", "de-1996"},
		{"de-DE", "de-1996"}, {"de-AT", "de-1996"}, {"de-CH", "de-1996"}, {"de-1901", "de-1996"}, {"fr", "fr"},
		{"fr-CA", "fr"}, {"fr-BE", "fr"}, {"es", "es"}, {"es-419", "es"}, {"es-MX", "es"},
		{"it", "it"}, {"pt", "pt"}, {"pt-BR", "pt"}, {"pt-PT", "pt"}, {"nl", "nl"},
		{"nl-BE", "nl"}, {"id", "id"}, {"in", "id"}, {"ru", "ru"}, {"ru-RU", "ru"},
		{" en-gb ", "en-gb"}, {"nb", ""}, {"nb-NO", ""}, {"no", ""}, {"sv", ""},
		{"zh-Hans", ""}, {"ja", ""}, {"", ""}, {"und", ""}, {"english", ""},
		{"e", ""}, {"-", ""},
	} {
		h := For(tc.tag)
		if got := h.Lang(); got != tc.want {
			t.Errorf("For(%q).Lang() = %q, want %q", tc.tag, got, tc.want)
		}
		if (h == nil) != (tc.want == "") {
			t.Errorf("For(%q) = %v", tc.tag, h)
		}
	}
	if For("en") != For("en-US") {
		t.Error("two Hyphenators for one language")
	}
}

// TestMinimums checks the left and right minimums on every word of the LuaTeX
// lists, and that the patterns alone would have broken some of those words
// closer to an end, so that the check is not empty.
func TestMinimums(t *testing.T) {
	for _, tag := range patternTags {
		h := languages[tag]()
		words := luatexWords(t, tag)
		trimmed := 0
		for _, word := range words {
			letters := h.letters(word, nil)
			n := len(letters)
			var key strings.Builder
			for _, l := range letters {
				key.WriteRune(l.r)
			}
			if _, ok := h.exceptions[key.String()]; !ok {
				for _, p := range h.lang.Hyphenate(key.String()) {
					if p < h.left || p > n-h.right {
						trimmed++
					}
				}
			}
			for _, off := range h.Points(word) {
				i := slices.IndexFunc(letters, func(l letter) bool { return l.off == off })
				if i < h.left || i > n-h.right {
					t.Errorf("%s: %s: break after %d of %d letters", tag, word, i, n)
				}
			}
		}
		if trimmed == 0 {
			t.Errorf("%s: the patterns never break closer to an end than the minimums", tag)
		}
	}
	// "alle" breaks as al-le by the German patterns and minimums, but has
	// fewer than MinLength letters.
	de := For("de")
	if p := de.lang.Hyphenate("alle"); !slices.Equal(p, []int{2}) {
		t.Errorf("patterns: alle %v, want [2]", p)
	}
	for _, word := range []string{"alle", "Alle,", "oder", "Kauf"} {
		if p := de.Points(word); p != nil {
			t.Errorf("de: %s: %v, want none: shorter than MinLength", word, p)
		}
	}
	if got := hyphenated(de, "Halle"); got != "Hal-le" {
		t.Errorf("de: Halle: %s, want Hal-le", got)
	}
}

func TestExceptions(t *testing.T) {
	us := For("en-US")
	for word, want := range map[string]string{
		"project":   "project", // no break at all, though the patterns have pro-ject
		"Projects":  "Projects",
		"PRESENT":   "PRESENT",
		"associate": "as-so-ciate",
		"table":     "ta-ble",
		"Table.":    "Ta-ble.",
	} {
		if got := hyphenated(us, word); got != want {
			t.Errorf("en-us: %s: got %s, want %s", word, got, want)
		}
	}
	// The patterns alone would break these differently.
	for word, want := range map[string][]int{"project": {3, 6}, "associate": {2, 4, 6}} {
		if got := us.lang.Hyphenate(word); !slices.Equal(got, want) {
			t.Errorf("en-us patterns: %s: %v, want %v", word, got, want)
		}
	}
	gb := For("en-GB")
	if got := hyphenated(gb, "University"); got != "Uni-ver-sity" {
		t.Errorf("en-gb: University: %s, want Uni-ver-sity", got)
	}
	if got := hyphenated(For("ru"), "бизнесмен"); got != "биз-нес-мен" {
		t.Errorf("ru: бизнесмен: %s, want биз-нес-мен", got)
	}
}

func TestSoftHyphen(t *testing.T) {
	const shy = "\u00AD"
	us := For("en-US")
	for _, tc := range []struct {
		h    *Hyphenator
		word string
		want []int
	}{
		// Only the author's points, none of the patterns' (hy-phen-ation).
		{us, "hyphen" + shy + "ation", []int{8}},
		{us, "hy" + shy + "phen" + shy + "ation", []int{4, 10}},
		// No minimums, no minimum length, digits and hyphens allowed.
		{us, "a" + shy + "b", []int{3}},
		{us, "x86" + shy + "64", []int{5}},
		{us, "well" + shy + "-known", []int{6}},
		// Nothing before or after it: no point.
		{us, shy + "word", nil},
		{us, "word" + shy, nil},
		{us, "a" + shy + shy + "b", []int{5}},
		// A language without patterns still has the author's points.
		{For("nb"), "sel" + shy + "skap", []int{5}},
	} {
		if got := tc.h.Points(tc.word); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q: %v, want %v", tc.h.Lang(), tc.word, got, tc.want)
		}
	}
}

// TestWordRules covers what Points takes as the word in a string that holds
// more than letters.
func TestWordRules(t *testing.T) {
	us, fr, ru := For("en-US"), For("fr"), For("ru")
	for _, tc := range []struct {
		h          *Hyphenator
		word, want string
	}{
		{us, "(hyphenation),", "(hy-phen-ation),"},
		{us, "“Hyphenation”", "“Hy-phen-ation”"},
		{us, "HYPHENATION", "HY-PHEN-ATION"},
		{us, "HyPhEnAtIoN", "Hy-PhEn-AtIoN"},
		// Hyphens and digits: nothing.
		{us, "well-known", "well-known"},
		{us, "hyphenation-based", "hyphenation-based"},
		{us, "hyphenation\u2010based", "hyphenation\u2010based"},
		{us, "non\u2011hyphenation", "non\u2011hyphenation"},
		{us, "hyphenation2", "hyphenation2"},
		{us, "x86_64", "x86_64"},
		{us, "utf8", "utf8"},
		// TeX stops the word at the first character that is not a letter.
		{us, "Shakespeare's", "Shake-speare's"},
		{us, "government’s", "gov-ern-ment’s"},
		{us, "hyphenation/typesetting", "hy-phen-ation/typesetting"},
		{us, "hyphenation—typesetting", "hy-phen-ation—typesetting"},
		{us, "o'clock", "o'clock"},
		// French: the apostrophe is a letter between letters, typed either way.
		{fr, "l'information", "l'in-for-ma-tion"},
		{fr, "l’information", "l’in-for-ma-tion"},
		{fr, "«l’information»", "«l’in-for-ma-tion»"},
		{fr, "'information'", "'in-for-ma-tion'"},
		// Combining marks stay with their letter and do not count.
		{ru, "програ\u0301ммирование", "про-гра\u0301м-ми-ро-ва-ние"},
		// No letters at all.
		{us, "", ""},
		{us, "...", "..."},
		{us, "—", "—"},
	} {
		if got := hyphenated(tc.h, tc.word); got != tc.want {
			t.Errorf("%s: %q: got %q, want %q", tc.h.Lang(), tc.word, got, tc.want)
		}
	}
	var none *Hyphenator
	if p := none.Points("hyphenation"); p != nil {
		t.Errorf("nil Hyphenator: %v", p)
	}

	// At most 63 letters, which also keeps a megabyte of letters cheap.
	if p := us.Points(strings.Repeat("hyphenation", 4) + "typesetting"); len(p) < 10 {
		t.Errorf("55 letters: %v", p)
	}
	for _, word := range []string{strings.Repeat("hyphenation", 6), strings.Repeat("a", 1<<20)} {
		if p := us.Points(word); p != nil {
			t.Errorf("%d letters: %v", len(word), p)
		}
	}
}

// TestConcurrent loads every language from many goroutines at once, on a
// fresh set of loaders, and hyphenates with each; run it with -race.
func TestConcurrent(t *testing.T) {
	langs := lazyLanguages()
	words := map[string][]string{}
	for _, tag := range tags {
		words[tag] = luatexWords(t, tag)
	}
	var wg sync.WaitGroup
	got := make([]map[string]string, 8)
	loaded := make([]map[string]*Hyphenator, len(got))
	for g := range got {
		got[g] = map[string]string{}
		loaded[g] = map[string]*Hyphenator{}
		wg.Go(func() {
			for i := range tags {
				tag := tags[(i+g)%len(tags)]
				h := langs[tag]()
				loaded[g][tag] = h
				for _, w := range words[tag] {
					got[g][tag+" "+w] = fmt.Sprint(h.Points(w))
				}
			}
		})
	}
	wg.Wait()
	for g := 1; g < len(got); g++ {
		for k, v := range got[0] {
			if got[g][k] != v {
				t.Errorf("%s: goroutine %d got %s, goroutine 0 %s", k, g, got[g][k], v)
			}
		}
		for _, tag := range tags {
			if loaded[g][tag] != loaded[0][tag] {
				t.Errorf("%s: goroutines 0 and %d got different Hyphenators", tag, g)
			}
		}
	}
}

func ExampleHyphenator_Points() {
	h := For("en-US")
	word := "“Hyphenation”,"
	last := 0
	for _, i := range h.Points(word) {
		fmt.Println(word[last:i] + "-")
		last = i
	}
	fmt.Println(word[last:])
	// Output:
	// “Hy-
	// phen-
	// ation”,
}

// TestCache checks that cached answers are the computed ones, that a caller
// cannot change a cached answer, and that the cache stays bounded and keeps
// the words in use.
func TestCache(t *testing.T) {
	for _, tag := range tags {
		h := *languages[tag]()
		h.cache = new(wordCache)
		uncached := h
		uncached.cache = nil
		for range 2 {
			for _, w := range luatexWords(t, tag) {
				want := uncached.Points(w)
				got := h.Points(w)
				if !slices.Equal(got, want) {
					t.Fatalf("%s: %s: cached %v, computed %v", tag, w, got, want)
				}
				for i := range got {
					got[i] = -1
				}
			}
		}
	}

	c := new(wordCache)
	c.put("kept", []int{2})
	for i := range 3 * cacheSize {
		c.put(fmt.Sprint("word", i), nil)
		if i%100 == 0 {
			if p, ok := c.get([]byte("kept")); !ok || !slices.Equal(p, []int{2}) {
				t.Fatalf("after %d words: kept is %v, %v", i, p, ok)
			}
		}
	}
	if len(c.cur) > cacheSize || len(c.old) > cacheSize {
		t.Errorf("%d and %d entries, want at most %d each", len(c.cur), len(c.old), cacheSize)
	}
	if _, ok := c.get([]byte("word0")); ok {
		t.Error("the oldest word is still cached")
	}
}
