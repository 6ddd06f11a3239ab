package hyphen

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/speedata/hyphenation"
)

// MinLength is the fewest letters a word must have to be hyphenated from
// patterns. Breaking four-letter words ("al-so", "da-her") is legal by some
// languages' minimums but no typesetter would sign it.
const MinLength = 5

// maxLetters is the most letters a word may have and still be hyphenated,
// TeX's limit. The pattern matcher's time grows with the square of a word's
// length, so this also bounds the cost of a string of thousands of letters.
const maxLetters = 63

// softHyphen is U+00AD SOFT HYPHEN, an author's own break point.
const softHyphen = '\u00AD'

// A Hyphenator gives the break points of words in one language. The zero
// value is not usable; get one from For. A nil *Hyphenator is valid and
// gives no pattern points (soft hyphens still count), so a caller can use
// For's result without checking it.
type Hyphenator struct {
	tag        string
	left       int  // fewest letters before a break
	right      int  // fewest letters after a break
	apostrophe bool // the patterns treat the apostrophe as a letter (French, Italian)
	lang       *hyphenation.Lang
	known      map[rune]bool    // letters the patterns hold
	exceptions map[string][]int // lower-case word → letters before each allowed break
	cache      *wordCache       // nil: no cache
	// rules, when set, gives the breaks instead of patterns (Indonesian).
	rules func(word string) []int
}

// patternTags lists the hyph-utf8 tags of the vendored pattern files.
var patternTags = []string{"en-us", "en-gb", "de-1996", "fr", "es", "it", "pt", "nl", "ru"}

// tags lists the languages: those with patterns, and Indonesian,
// hyphenated by rules (indonesian.go).
var tags = append(slices.Clone(patternTags), "id")

// languages maps each tag to its Hyphenator, built on first use.
var languages = lazyLanguages()

// lazyLanguages returns, for each tag, a function that parses the tag's file
// on its first call and returns the same Hyphenator on every call.
func lazyLanguages() map[string]func() *Hyphenator {
	m := make(map[string]func() *Hyphenator, len(tags))
	for _, tag := range tags {
		m[tag] = sync.OnceValue(func() *Hyphenator {
			h, err := load(tag)
			if err != nil {
				// The files are embedded, and the tests load every one.
				panic(err)
			}
			return h
		})
	}
	return m
}

// For returns the Hyphenator for a BCP 47 language tag such as "en",
// "en-GB", "de-AT" or "pt-BR", or nil when Bindery has no patterns for the
// language. Case does not matter and "_" may stand for "-".
//
// English is American unless the region is one that spells the British way
// (GB, AU, NZ, IE, ZA, IN); German is the 1996 reformed orthography whatever
// the region; every other language has one set of patterns for all regions.
func For(tag string) *Hyphenator {
	f := languages[patternTag(tag)]
	if f == nil {
		return nil
	}
	return f()
}

// patternTag maps a BCP 47 tag to the hyph-utf8 tag of a vendored file, or "".
func patternTag(tag string) string {
	subtags := strings.Split(strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-")), "-")
	region := ""
	for _, s := range subtags[1:] {
		// The region is the first subtag of two letters or three digits
		// after the language (and an optional four-letter script).
		if len(s) == 2 || (len(s) == 3 && s[0] >= '0' && s[0] <= '9') {
			region = s
			break
		}
		if len(s) != 4 {
			break
		}
	}
	switch subtags[0] {
	case "en":
		switch region {
		case "gb", "uk", "au", "nz", "ie", "za", "in":
			return "en-gb"
		}
		return "en-us"
	case "de":
		return "de-1996"
	case "in": // the withdrawn code for Indonesian
		return "id"
	case "fr", "es", "it", "pt", "nl", "id", "ru":
		return subtags[0]
	}
	return ""
}

// load parses the embedded file for a hyph-utf8 tag.
func load(tag string) (*Hyphenator, error) {
	if tag == "id" {
		return indonesian(), nil
	}
	pf, err := readPatternFile(tag)
	if err != nil {
		return nil, err
	}
	pats, known, err := completePatterns(pf.patterns)
	if err != nil {
		return nil, fmt.Errorf("hyphen: %s patterns: %w", tag, err)
	}
	lang, err := hyphenation.New(strings.NewReader(pats))
	if err != nil {
		return nil, fmt.Errorf("hyphen: %s patterns: %w", tag, err)
	}
	h := &Hyphenator{
		tag:        tag,
		left:       pf.left,
		right:      pf.right,
		apostrophe: known['\''],
		lang:       lang,
		known:      known,
		exceptions: make(map[string][]int, len(pf.exceptions)),
		cache:      new(wordCache),
	}
	for _, e := range pf.exceptions {
		word, points, err := exception(e)
		if err != nil {
			return nil, fmt.Errorf("hyphen: %s exceptions: %w", tag, err)
		}
		h.exceptions[word] = points
	}
	return h, nil
}

// exception turns a \hyphenation entry such as "as-so-ciate" into its
// lower-case word and the number of letters before each hyphen.
func exception(entry string) (string, []int, error) {
	var b strings.Builder
	var points []int
	n := 0
	for _, r := range entry {
		switch {
		case r == '-':
			if n == 0 || (len(points) > 0 && points[len(points)-1] == n) {
				return "", nil, fmt.Errorf("%q: misplaced hyphen", entry)
			}
			points = append(points, n)
		case unicode.IsLetter(r) || r == '\'':
			b.WriteRune(unicode.ToLower(r))
			n++
		default:
			return "", nil, fmt.Errorf("%q: %q is not a letter", entry, r)
		}
	}
	if len(points) > 0 && points[len(points)-1] == n {
		return "", nil, fmt.Errorf("%q: misplaced hyphen", entry)
	}
	return b.String(), points, nil
}

// Lang returns the hyph-utf8 tag of the patterns in use, such as "en-gb" or
// "de-1996", or "" for a nil Hyphenator.
func (h *Hyphenator) Lang() string {
	if h == nil {
		return ""
	}
	return h.tag
}

// Points returns where word may be broken with a hyphen, as byte offsets
// into word in increasing order: the line ends with word[:i] and a hyphen,
// the next begins with word[i:]. It returns nil when word may not be broken.
//
// word is what stands between two spaces. The rules are TeX's, with the
// language's minimums from its pattern file:
//
//   - A word holding a soft hyphen (U+00AD) breaks after each soft hyphen
//     and nowhere else; the caller draws no soft hyphen, and a hyphen at a
//     break. The minimums do not apply: the author chose these points.
//   - Punctuation before the first letter is skipped, and the word is the
//     letters from there up to the next character that is not a letter
//     (the apostrophe is a letter inside French and Italian words, where
//     the patterns know "l'homme"). Letters after that, as in "Shakespeare's"
//     or "and/or", are not looked at.
//   - A string holding a digit or a hyphen gets no points: TeX does not
//     hyphenate "well-known" (it may break after the explicit hyphen,
//     which is the caller's business) and an identifier such as "utf8"
//     or "x86" is not a word.
//   - The word needs MinLength letters and at least the language's left
//     and right minimums together, and may have at most 63; no break leaves
//     fewer than left letters before it or right letters after it.
//   - An exception of the pattern file wins over the patterns.
//   - Case does not matter: "HYPHENATION" breaks where "hyphenation" does.
//   - Combining marks stay with their letter, and do not count as letters.
func (h *Hyphenator) Points(word string) []int {
	if strings.ContainsRune(word, softHyphen) {
		return softPoints(word)
	}
	if h == nil {
		return nil
	}
	var buf [64]letter
	letters := h.letters(word, buf[:0])
	if letters == nil {
		return nil
	}
	n := len(letters)
	if n < MinLength || n < h.left+h.right || n > maxLetters {
		return nil
	}
	var buf2 [256]byte
	key := buf2[:0]
	for _, l := range letters {
		key = utf8.AppendRune(key, l.r)
	}
	points, ok := h.cache.get(key)
	if !ok {
		k := string(key)
		points = h.breaks(k, letters)
		h.cache.put(k, points)
	}
	if len(points) == 0 {
		return nil
	}
	out := make([]int, len(points))
	for i, p := range points {
		out[i] = letters[p].off
	}
	return out
}

// breaks returns the number of letters before each break of the lower-case
// word key, whose letters are given, within the minimums.
func (h *Hyphenator) breaks(key string, letters []letter) []int {
	points, ok := h.exceptions[key]
	if !ok {
		word := key
		for _, l := range letters {
			if !h.known[l.r] {
				word = strings.Map(func(r rune) rune {
					if !h.known[r] {
						return otherLetter
					}
					return r
				}, word)
				break
			}
		}
		if h.rules != nil {
			points = h.rules(word)
		} else {
			points = h.lang.Hyphenate(word)
		}
	}
	var out []int
	for _, p := range points {
		if p >= h.left && p <= len(letters)-h.right {
			out = append(out, p)
		}
	}
	return out
}

// letter is one letter of a word: its lower-case form (apostrophes as ')
// and its byte offset in the string given to Points.
type letter struct {
	r   rune
	off int
}

// letters returns the letters of the word in s by Points' rules, or nil when
// s has no word to hyphenate.
func (h *Hyphenator) letters(s string, buf []letter) []letter {
	started, ended := false, false
	for i, r := range s {
		// Letters first: they are most of what comes here, and no letter
		// is a digit.
		if unicode.IsLetter(r) {
			if ended {
				continue
			}
			if len(buf) == maxLetters {
				return nil // too long for Points
			}
			started = true
			buf = append(buf, letter{unicode.ToLower(r), i})
			continue
		}
		switch {
		case unicode.IsDigit(r) || r == '-' || r == '\u2010' || r == '\u2011':
			return nil
		case ended || !started:
		case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			// A combining mark belongs to the letter before it.
		case h.apostrophe && (r == '\'' || r == '\u2019') && letterFollows(s[i+utf8.RuneLen(r):]):
			if len(buf) == maxLetters {
				return nil
			}
			buf = append(buf, letter{'\'', i})
		default:
			ended = true
		}
	}
	if len(buf) == 0 {
		return nil
	}
	return buf
}

// letterFollows reports whether s starts with a letter.
func letterFollows(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// softPoints returns the offsets just after each soft hyphen of word that
// has something other than soft hyphens both before and after it.
func softPoints(word string) []int {
	var out []int
	seen := false // a character other than a soft hyphen came before
	for i, r := range word {
		if r != softHyphen {
			seen = true
			continue
		}
		next := i + utf8.RuneLen(softHyphen)
		if seen && next < len(word) && !strings.HasPrefix(word[next:], string(softHyphen)) {
			out = append(out, next)
		}
	}
	return out
}

// cacheSize is how many words each generation of a wordCache holds. A book
// of 100,000 words has a few thousand distinct ones of MinLength letters or
// more; the pattern matcher costs microseconds a word, a hit a tenth of that.
const cacheSize = 4096

// A wordCache remembers the breaks of recently hyphenated words, as letter
// counts, keyed by the lower-case word. It keeps two generations: when the
// current one is full it becomes the old one, and a word found in the old
// one moves to the current one, so the words in use stay and the memory is
// bounded. A nil *wordCache caches nothing.
type wordCache struct {
	mu       sync.Mutex
	cur, old map[string][]int
}

// get returns the breaks of the word key, if they are cached.
func (c *wordCache) get(key []byte) ([]int, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.cur[string(key)]; ok {
		return p, true
	}
	p, ok := c.old[string(key)]
	if ok {
		c.add(string(key), p)
	}
	return p, ok
}

// put caches the breaks of the word key; they must not be changed afterwards.
func (c *wordCache) put(key string, points []int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.add(key, points)
}

// add stores an entry, starting a new generation when the current one is full.
func (c *wordCache) add(key string, points []int) {
	if len(c.cur) >= cacheSize || c.cur == nil {
		c.old, c.cur = c.cur, make(map[string][]int, cacheSize)
	}
	c.cur[key] = points
}
