package font

import (
	"slices"

	"github.com/boxesandglue/textshape/ot"
)

// Features selects the optional OpenType features shaping applies. The
// features every script needs (composition, required ligatures, mark
// positioning, Arabic joining, Indic reordering) are always on.
type Features uint8

const (
	// Kern applies the font's kerning (GPOS kern, or an old kern table).
	Kern Features = 1 << iota
	// Liga applies standard and contextual ligatures and contextual
	// alternates (liga, clig, calt): fi, fl, ff, ffi, ffl in DejaVu.
	Liga
	// LeftToRight and RightToLeft shape the text in that direction rather
	// than the one its script suggests: a run of Arabic-Indic digits
	// inside Arabic text is set left to right, a bracket alone in a
	// right-to-left run is mirrored. FeaturesOf sets them from a face's
	// Dir.
	LeftToRight
	RightToLeft
)

// dirFeatures are the feature bits that set the direction.
const dirFeatures = LeftToRight | RightToLeft

// Typeset is the feature set of running text: body and headings.
const Typeset = Kern | Liga

// FeaturesOf returns the features a face is set with: none for Mono and
// the families registered with RegisterMono, so code keeps one glyph a
// character on a fixed grid; Typeset otherwise. The face's direction, when
// it has one, is added.
func FeaturesOf(f Face) Features {
	var feat Features
	switch f.Dir {
	case LTR:
		feat = LeftToRight
	case RTL:
		feat = RightToLeft
	}
	if f.Family == Mono || f.Family >= firstUser && isMono(f.Family) {
		return feat
	}
	return feat | Typeset
}

// Glyph is one glyph of a shaped string.
type Glyph struct {
	// ID is the glyph's index in the font; 0 is .notdef, a character the
	// font has no glyph for.
	ID uint16
	// Advance moves the pen after the glyph; XOffset and YOffset (up)
	// place the glyph relative to the pen. All three are in points at the
	// size the string was shaped at, kerning included.
	Advance, XOffset, YOffset float64
	// Start and End are the byte range of the source text the glyph's
	// cluster stands for: "fi" for an fi ligature. Every glyph of a
	// cluster (a base and its marks, a character the font decomposes)
	// has the same range; the first glyph of a cluster in text order is
	// the one a PDF maps the text to.
	Start, End int
}

// unitGlyph is a Glyph in font units, as cached.
type unitGlyph struct {
	id          uint16
	adv, dx, dy int32
	start, end  int32
}

// maxCachedWord and maxCacheEntries bound the cache of shaped words: the
// line breaker measures every word of a book, and most are repeats.
const (
	maxCachedWord   = 48
	maxCacheEntries = 1 << 15
)

// Shape shapes s in face f at size points with the given features and
// returns its glyphs in visual order (left to right; for right-to-left
// text the clusters run backwards). The direction is the one features
// name, else the one of the script of the first letter of s.
func Shape(f Face, size float64, s string, feat Features) []Glyph {
	return f.Font().Shape(s, size, feat)
}

// ShapedWidth returns the width of s shaped in face f at size points with
// the given features: the sum of the advances Shape returns. Short
// strings (words) are shaped once and then served from a cache.
func ShapedWidth(f Face, size float64, s string, feat Features) float64 {
	return f.Font().Width(s, size, feat)
}

// Shape shapes s at size points with the given features; see the
// function Shape.
func (f *Font) Shape(s string, size float64, feat Features) []Glyph {
	return f.AppendShape(nil, s, size, feat, 0)
}

// AppendShape appends the glyphs of s, shaped as Shape shapes it, to dst,
// with their Start and End moved on by offset: the glyphs of text shaped
// in pieces (a word, then the space after it) index the pieces joined.
func (f *Font) AppendShape(dst []Glyph, s string, size float64, feat Features, offset int) []Glyph {
	k := size / float64(f.upem)
	if t := f.plainASCII(s, feat); t != nil {
		// Text the shaper would map character by character.
		dst = slices.Grow(dst, len(s))
		for i := 0; i < len(s); i++ {
			u := t[s[i]-' ']
			dst = append(dst, Glyph{ID: u.id, Advance: float64(u.adv) * k, Start: i + offset, End: i + 1 + offset})
		}
		return dst
	}
	us := f.shapeUnits(s, feat)
	dst = slices.Grow(dst, len(us))
	for _, u := range us {
		dst = append(dst, Glyph{
			ID:      u.id,
			Advance: float64(u.adv) * k,
			XOffset: float64(u.dx) * k,
			YOffset: float64(u.dy) * k,
			Start:   int(u.start) + offset,
			End:     int(u.end) + offset,
		})
	}
	return dst
}

// plainASCII returns the glyph of each printable ASCII character in f when
// s is made of them alone and shaping it with feat would give each its own
// glyph at its own advance: no kerning, no ligatures and none of the
// features every script gets that change such characters (true of the
// built-in faces; TestPlainASCII checks them). Code is set so, and
// shaping it character by character through the shaper costs as much as
// the rest of drawing a page. It returns nil otherwise.
func (f *Font) plainASCII(s string, feat Features) *[95]unitGlyph {
	if feat&(Kern|Liga|RightToLeft) != 0 || !f.builtin || len(s) == 0 {
		return nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return nil
		}
	}
	f.asciiOnce.Do(func() {
		var t [95]unitGlyph
		for c := byte(' '); c <= '~'; c++ {
			us := f.shape(string(c), LeftToRight)
			if len(us) != 1 || us[0].dx != 0 || us[0].dy != 0 {
				return
			}
			t[c-' '] = us[0]
		}
		f.asciiTable = &t
	})
	return f.asciiTable
}

// Width returns the width of s shaped at size points with the given
// features.
func (f *Font) Width(s string, size float64, feat Features) float64 {
	w := 0
	for _, u := range f.shapeUnits(s, feat) {
		w += int(u.adv)
	}
	return float64(w) * size / float64(f.upem)
}

// shapeUnits returns the shaped glyphs of s in font units, from the cache
// for short strings. The result must not be modified.
func (f *Font) shapeUnits(s string, feat Features) []unitGlyph {
	if s == "" {
		return nil
	}
	slot := feat & (Typeset | dirFeatures)
	cache := len(s) <= maxCachedWord
	if cache {
		f.mu.Lock()
		us, ok := f.words[slot][s]
		f.mu.Unlock()
		if ok {
			return us
		}
	}
	us := f.shape(s, feat)
	if cache {
		f.mu.Lock()
		if f.words[slot] == nil || len(f.words[slot]) >= maxCacheEntries {
			f.words[slot] = make(map[string][]unitGlyph)
		}
		f.words[slot][s] = us
		f.mu.Unlock()
	}
	return us
}

var (
	tagKern = ot.MakeTag('k', 'e', 'r', 'n')
	tagLiga = ot.MakeTag('l', 'i', 'g', 'a')
	tagClig = ot.MakeTag('c', 'l', 'i', 'g')
	tagCalt = ot.MakeTag('c', 'a', 'l', 't')
)

// otFeatures returns the feature switches textshape takes for feat: its
// defaults have kerning and ligatures on, so only offs are listed.
func otFeatures(feat Features) []ot.Feature {
	var fs []ot.Feature
	if feat&Kern == 0 {
		fs = append(fs, ot.NewFeatureOff(tagKern))
	}
	if feat&Liga == 0 {
		fs = append(fs, ot.NewFeatureOff(tagLiga), ot.NewFeatureOff(tagClig), ot.NewFeatureOff(tagCalt))
	}
	return fs
}

// shapeState is a shaper and its buffer, reused from call to call: each
// goroutine takes its own from the pool.
type shapeState struct {
	sh  *ot.Shaper
	buf *ot.Buffer
}

// shape runs the shaper.
func (f *Font) shape(s string, feat Features) []unitGlyph {
	st, _ := f.shapers.Get().(*shapeState)
	if st == nil {
		sh, err := ot.NewShaper(f.otf)
		if err != nil {
			panic("font: " + f.name + ": " + err.Error()) // LoadFont made one from the same font
		}
		st = &shapeState{sh: sh, buf: ot.NewBuffer()}
	}
	defer f.shapers.Put(st)
	sh, buf := st.sh, st.buf
	buf.Reset()
	// Clusters come back as rune indices; byteAt maps them to bytes.
	byteAt := make([]int32, 0, len(s)+1)
	for i := range s {
		byteAt = append(byteAt, int32(i))
	}
	byteAt = append(byteAt, int32(len(s)))
	buf.AddString(s)
	buf.Flags = ot.BufferFlagBOT | ot.BufferFlagEOT
	switch {
	case feat&RightToLeft != 0:
		buf.SetDirection(ot.DirectionRTL)
	case feat&LeftToRight != 0:
		buf.SetDirection(ot.DirectionLTR)
	}
	sh.Shape(buf, otFeatures(feat))
	n := len(buf.Info)
	// A cluster ends where the next larger cluster value begins.
	present := make([]bool, len(byteAt))
	for _, in := range buf.Info {
		if in.Cluster >= 0 && in.Cluster < len(present) {
			present[in.Cluster] = true
		}
	}
	end := make([]int32, len(byteAt))
	next := int32(len(s))
	for c := len(byteAt) - 1; c >= 0; c-- {
		end[c] = next
		if present[c] {
			next = byteAt[c]
		}
	}
	us := make([]unitGlyph, n)
	for i, in := range buf.Info {
		c := min(max(in.Cluster, 0), len(byteAt)-1)
		p := buf.Pos[i]
		us[i] = unitGlyph{
			id:    uint16(in.GlyphID),
			adv:   int32(p.XAdvance),
			dx:    int32(p.XOffset),
			dy:    int32(p.YOffset),
			start: byteAt[c],
			end:   end[c],
		}
	}
	return us
}
