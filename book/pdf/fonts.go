package pdf

import (
	"strings"
	"unicode"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
)

// fontSet is the typefaces a book is set in: the families book.yaml names
// in place of the built-in Serif, Sans and Mono, and the fallback families
// tried for characters those lack. A nil *fontSet is the built-in DejaVu.
type fontSet struct {
	// roles maps Serif, Sans and Mono to the family that sets them.
	roles [font.Mono + 1]font.Family
	// user says which of the roles book.yaml names.
	user     [font.Mono + 1]bool
	fallback []font.Family
}

// newFontSet returns the font set of a book's fonts, nil when book.yaml
// names none.
func newFontSet(fs book.Fonts) *fontSet {
	if fs.Serif == nil && fs.Sans == nil && fs.Mono == nil && len(fs.Fallback) == 0 {
		return nil
	}
	s := &fontSet{roles: [...]font.Family{font.Serif, font.Sans, font.Mono}}
	for role, f := range []*book.FontFamily{fs.Serif, fs.Sans, fs.Mono} {
		if f != nil {
			s.roles[role], s.user[role] = f.Family, true
		}
	}
	for _, f := range fs.Fallback {
		s.fallback = append(s.fallback, f.Family)
	}
	return s
}

// resolve returns the face that sets f: a face of the family book.yaml
// names for f's role, else f.
func (s *fontSet) resolve(f font.Face) font.Face {
	if s != nil && f.Family <= font.Mono {
		f.Family = s.roles[f.Family]
	}
	return f
}

// faceFor returns the face that sets r where face f is asked for: f's
// family (as book.yaml names it) when it has r, else the first of the
// chain that has it. The chain is the sans and serif families book.yaml
// names, then the fallback families and the built-in DejaVu Sans and
// Serif, then the mono families and DejaVu's math face. For the letters
// and marks of scripts beyond Latin, Greek and Cyrillic, for ideographs
// and for emoji the fallback families come before DejaVu, since that is
// what they are named for; for other characters (punctuation, arrows,
// symbols) DejaVu comes first, as it matches the text around them. The
// face keeps f's direction and style. It returns false when no face has
// r.
func (s *fontSet) faceFor(f font.Face, r rune) (font.Face, bool) {
	if s == nil {
		return faceFor(f, r)
	}
	g := s.resolve(f)
	if r >= 32 && r < 127 && g.Builtin() && g.Family != font.Math {
		return g, true
	}
	if g.Has(r) {
		return g, true
	}
	try := func(fam font.Family) (font.Face, bool) {
		h := font.Face{Family: fam, Style: f.Style, Dir: f.Dir}
		if fam == font.Math {
			h.Style = font.Regular
		}
		return h, fam != g.Family && h.Has(r)
	}
	for _, role := range []font.Family{font.Sans, font.Serif} {
		if s.user[role] {
			if h, ok := try(s.roles[role]); ok {
				return h, true
			}
		}
	}
	chain := make([]font.Family, 0, len(s.fallback)+5)
	if preferFallback(r) {
		chain = append(chain, s.fallback...)
		chain = append(chain, font.Sans, font.Serif)
	} else {
		chain = append(chain, font.Sans, font.Serif)
		chain = append(chain, s.fallback...)
	}
	if s.user[font.Mono] {
		chain = append(chain, s.roles[font.Mono])
	}
	chain = append(chain, font.Mono, font.Math)
	for _, fam := range chain {
		if h, ok := try(fam); ok {
			return h, true
		}
	}
	return g, false
}

// names returns the names of the families the book is set in, for the
// colophon: "DejaVu Serif, DejaVu Sans and DejaVu Sans Mono", and the
// fallback families after "with".
func (s *fontSet) names() string {
	var ns []string
	for role := font.Serif; role <= font.Mono; role++ {
		ns = appendName(ns, s.resolve(font.Face{Family: role}).Font().FamilyName())
	}
	out := joinNames(ns)
	if s != nil && len(s.fallback) > 0 {
		var fb []string
		for _, fam := range s.fallback {
			fb = appendName(fb, font.Face{Family: fam}.Font().FamilyName())
		}
		out += ", with " + joinNames(fb)
	}
	return out
}

// appendName appends name to names unless it is there already.
func appendName(names []string, name string) []string {
	for _, n := range names {
		if n == name {
			return names
		}
	}
	return append(names, name)
}

// joinNames joins names as a list in prose: "a, b and c".
func joinNames(ns []string) string {
	if len(ns) < 2 {
		return strings.Join(ns, "")
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

// preferFallback reports whether r is a character the fallback fonts are
// named for rather than one DejaVu should set: a letter or mark of a
// script other than Latin, Greek and Cyrillic, an ideograph or a
// character of CJK text (its punctuation, full-width forms), or an emoji.
func preferFallback(r rune) bool {
	switch {
	case r >= 0x2e80 && r <= 0xa4cf, r >= 0xf900 && r <= 0xfaff, r >= 0xfe30 && r <= 0xfe4f, r >= 0xff00 && r <= 0xffef:
		return true // CJK: radicals to Yi, compatibility ideographs, forms, full width
	case r >= 0x1f000:
		return true // emoji and pictographs, ideographs of the supplementary planes
	case r < 0x370:
		return false
	}
	return !unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Common, unicode.Inherited)
}
