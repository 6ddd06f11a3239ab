package font

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/boxesandglue/textshape/ot"
	"golang.org/x/image/font/sfnt"
)

// Font is one face of a font file, parsed for shaping, measuring and
// embedding: a built-in DejaVu face or a user's TrueType (glyf), OpenType
// (CFF) or collection (TTC) font. Its methods are safe for concurrent use.
type Font struct {
	data  []byte
	index int
	otf   *ot.Font
	face  *ot.Face
	upem  int
	name  string
	cff   bool
	key   [sha256.Size]byte

	// shapers holds idle *shapeState values: a shaper keeps per-call
	// state, so each goroutine takes its own.
	shapers sync.Pool

	mu    sync.Mutex
	words [(Typeset | dirFeatures) + 1]map[string][]unitGlyph // shaped words by feature set

	builtin    bool // one of the DejaVu faces, whose ASCII plainASCII may take
	asciiOnce  sync.Once
	asciiTable *[95]unitGlyph
}

// LoadFont parses a font file: TrueType or OpenType with TrueType (glyf)
// or CFF outlines, or a collection (TTC, OTC) of which it takes the face
// at index. index must be 0 for a file that is not a collection. It
// refuses a font whose licence bits forbid embedding it in a document
// (OS/2 fsType "restricted licence"), a font with no character map and a
// variable CFF2 font.
func LoadFont(data []byte, index int) (*Font, error) {
	otf, err := ot.ParseFont(data, index)
	if err != nil {
		if errors.Is(err, ot.ErrInvalidFont) && index != 0 {
			return nil, fmt.Errorf("font: no face %d in this file, or not a font", index)
		}
		return nil, fmt.Errorf("font: not a TrueType or OpenType font: %w", err)
	}
	if otf.NumGlyphs() == 0 {
		return nil, errors.New("font: the font has no glyphs")
	}
	face, err := ot.NewFace(otf)
	if err != nil {
		return nil, fmt.Errorf("font: %w", err)
	}
	if face.Cmap() == nil {
		return nil, errors.New("font: the font has no character map (cmap)")
	}
	if otf.HasTable(ot.MakeTag('C', 'F', 'F', '2')) {
		return nil, errors.New("font: CFF2 (variable OpenType) fonts are not supported; use a static instance")
	}
	if !otf.HasTable(ot.MakeTag('g', 'l', 'y', 'f')) && !otf.HasTable(ot.TagCFF) {
		return nil, errors.New("font: the font has no outlines (neither glyf nor CFF)")
	}
	// Metrics (x/image's parser) must read it too, for the code that
	// measures by Face.
	if _, err := parseSFNT(data, index); err != nil {
		return nil, fmt.Errorf("font: %w", err)
	}
	if os2, err := otf.TableData(ot.TagOS2); err == nil && len(os2) >= 10 {
		// fsType bits 0-3 are the embedding licence: 2 alone is "restricted".
		if fsType := binary.BigEndian.Uint16(os2[8:]); fsType&0xF == 0x2 {
			return nil, fmt.Errorf("font: %s: its licence forbids embedding it (OS/2 fsType %#04x)", face.PostscriptName(), fsType)
		}
	}
	f := &Font{
		data:  data,
		index: index,
		otf:   otf,
		face:  face,
		upem:  int(face.Upem()),
		name:  face.PostscriptName(),
		cff:   face.IsCFF(),
	}
	h := sha256.New()
	var idx [8]byte
	binary.BigEndian.PutUint64(idx[:], uint64(index))
	h.Write(idx[:])
	h.Write(data)
	h.Sum(f.key[:0])
	if f.name == "" || f.name == "Unknown" {
		f.name = fmt.Sprintf("Font%X", f.key[:4])
	}
	// Make the first shaper now, so an unusable GSUB or GPOS fails here.
	s, err := ot.NewShaper(otf)
	if err != nil {
		return nil, fmt.Errorf("font: %s: %w", f.name, err)
	}
	f.shapers.Put(&shapeState{sh: s, buf: ot.NewBuffer()})
	return f, nil
}

// Name returns the PostScript name of the font, such as "DejaVuSerif-Bold".
func (f *Font) Name() string { return f.name }

// FamilyName returns the name of the font's family, such as "DejaVu
// Serif", or its PostScript name when the font does not say.
func (f *Font) FamilyName() string {
	if n := f.face.FamilyName(); n != "" && n != "Unknown" {
		return n
	}
	return f.name
}

// Data returns the bytes of the font file (the whole collection for a
// face of a TTC) and the index of the face in it.
func (f *Font) Data() ([]byte, int) { return f.data, f.index }

// SFNT returns the face as a font file of its own: the file's bytes for a
// TrueType or OpenType file, the face's tables in a file of their own for
// a face of a collection (which EPUB readers cannot choose a face of).
func (f *Font) SFNT() ([]byte, error) {
	d := f.data
	if len(d) < 4 || string(d[:4]) != "ttcf" {
		return d, nil
	}
	be := binary.BigEndian
	if len(d) < 16+4*f.index {
		return nil, errors.New("font: collection header cut short")
	}
	off := int(be.Uint32(d[12+4*f.index:]))
	if off+12 > len(d) {
		return nil, errors.New("font: face offset out of the file")
	}
	n := int(be.Uint16(d[off+4:]))
	if off+12+16*n > len(d) {
		return nil, errors.New("font: table directory out of the file")
	}
	out := make([]byte, 12+16*n)
	copy(out, d[off:off+12])
	for i := range n {
		rec := d[off+12+16*i : off+28+16*i]
		start, length := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if start < 0 || length < 0 || start+length > len(d) {
			return nil, errors.New("font: table out of the file")
		}
		at := out[12+16*i:]
		copy(at, rec[:8]) // tag and checksum
		be.PutUint32(at[8:], uint32(len(out)))
		be.PutUint32(at[12:], uint32(length))
		out = append(out, d[start:start+length]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}

// Key identifies the font by its content: two fonts loaded from the same
// bytes and index have the same key.
func (f *Font) Key() [sha256.Size]byte { return f.key }

// UnitsPerEm returns the size of the font's design grid.
func (f *Font) UnitsPerEm() int { return f.upem }

// CFF reports whether the font has CFF (PostScript) outlines.
func (f *Font) CFF() bool { return f.cff }

// OT returns the parsed font, for embedding: subsetting, descriptors and
// outlines. The caller must not modify it.
func (f *Font) OT() (*ot.Font, *ot.Face) { return f.otf, f.face }

// GlyphID returns the glyph the font maps r to, and whether it has one.
func (f *Font) GlyphID(r rune) (uint16, bool) {
	gid, ok := f.face.Cmap().Lookup(ot.Codepoint(r))
	return uint16(gid), ok && gid != 0
}

// Has reports whether the font has a glyph for r. Unlike Face.Has it sees
// every character map, including characters above U+FFFF.
func (f *Font) Has(r rune) bool {
	_, ok := f.GlyphID(r)
	return ok
}

// Advance returns the advance width of glyph id in font units.
func (f *Font) Advance(id uint16) int {
	return int(f.face.HorizontalAdvance(ot.GlyphID(id)))
}

// Extents returns the ascender and descender (negative) of the font in
// font units, from its horizontal header.
func (f *Font) Extents() (ascent, descent int) {
	e := f.face.GetHExtents()
	return int(e.Ascender), int(e.Descender)
}

// builtin holds the DejaVu faces as Fonts, parsed on first use.
var builtin [Math + 1][BoldItalic + 1]func() *Font

func init() {
	for fam := Serif; fam <= Math; fam++ {
		for st := Regular; st <= BoldItalic; st++ {
			face := Face{Family: fam, Style: st}.normal()
			builtin[fam][st] = sync.OnceValue(func() *Font {
				f, err := LoadFont(face.TTF(), 0)
				if err != nil {
					panic(fmt.Sprintf("font: parse embedded %s: %v", face.Name(), err)) // embedded data: cannot happen
				}
				f.builtin = true
				return f
			})
		}
	}
}

// registry holds the families added with RegisterFamily and
// RegisterMono: Family firstUser+i is families[i].
var (
	registryMu sync.RWMutex
	families   []registered
)

// registered is a family added to the registry.
type registered struct {
	faces [BoldItalic + 1]*Font
	// mono says the family sets code: FeaturesOf gives it no kerning and
	// no ligatures.
	mono bool
}

// firstUser is the first Family value RegisterFamily hands out.
const firstUser = Math + 1

// RegisterFamily makes loaded fonts available as a Family, so that code
// which names faces by Family and Style (flows, measuring, the PDF
// writer) can use a user's fonts like the built-in DejaVu. fonts are the
// Regular, Bold, Italic and BoldItalic faces in that order; a missing or
// nil one is served by Regular, which is required. Registering the same
// fonts again returns the same Family, so a long-running process that
// builds many books does not grow without bound.
func RegisterFamily(fonts ...*Font) (Family, error) {
	return register(false, fonts)
}

// RegisterMono is RegisterFamily for a family that sets code: like Mono,
// it is shaped without kerning and ligatures (FeaturesOf), so a
// programming font's ligatures ("->" as an arrow) never reach the page.
func RegisterMono(fonts ...*Font) (Family, error) {
	return register(true, fonts)
}

func register(mono bool, fonts []*Font) (Family, error) {
	if len(fonts) == 0 || fonts[0] == nil {
		return 0, errors.New("font: a family needs a regular face")
	}
	if len(fonts) > 4 {
		return 0, errors.New("font: a family has at most four styles")
	}
	var set [BoldItalic + 1]*Font
	for st := range set {
		if st < len(fonts) && fonts[st] != nil {
			set[st] = fonts[st]
		} else {
			set[st] = fonts[0]
		}
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for i, r := range families {
		same := r.mono == mono
		for st := range r.faces {
			same = same && r.faces[st].key == set[st].key
		}
		if same {
			return firstUser + Family(i), nil
		}
	}
	if int(firstUser)+len(families) >= math.MaxUint16 {
		return 0, errors.New("font: too many families registered")
	}
	families = append(families, registered{faces: set, mono: mono})
	return firstUser + Family(len(families)-1), nil
}

// isMono reports whether a registered family was registered with
// RegisterMono.
func isMono(fam Family) bool {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return families[fam-firstUser].mono
}

// Font returns the loaded font of the face: a DejaVu face for the
// built-in families, the registered font for a family from
// RegisterFamily. It panics for a Family value never handed out.
func (f Face) Font() *Font {
	if f.Family < firstUser {
		f = f.normal()
		return builtin[f.Family][f.Style]()
	}
	registryMu.RLock()
	defer registryMu.RUnlock()
	return families[f.Family-firstUser].faces[f.Style&3]
}

// parseSFNT parses face index of data with x/image's sfnt, for Metrics.
func parseSFNT(data []byte, index int) (*sfnt.Font, error) {
	if len(data) >= 4 && string(data[:4]) == "ttcf" {
		c, err := sfnt.ParseCollection(data)
		if err != nil {
			return nil, err
		}
		return c.Font(index)
	}
	return sfnt.Parse(data)
}
