package pdf

import (
	"encoding/binary"
	"strings"
	"sync"
	"unicode"

	"github.com/bindery-books/bindery/book/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The fonts of display math: letters and digits from the serif faces the
// text is set in, operators, delimiters and accents from the Math face
// (DejaVu Math TeX Gyre, drawn to match DejaVu Serif: the same x-height
// and stem weight), and the dimensions that place them from the Math
// face's MATH table, the OpenType form of TeX's font parameters.

var mathFace = font.Face{Family: font.Math}

// mathConstants are the font dimensions of math layout, in ems of the size
// they apply at. Their names are OpenType's; TeX's fontdimens are in the
// comments.
type mathConstants struct {
	AxisHeight       float64 // σ22
	AccentBaseHeight float64 // σ5, the x-height accents are drawn over
	XHeight          float64 // σ5

	SubShiftDown        float64 // σ16
	SubTopMax           float64 // 4/5 σ5
	SubBaselineDropMin  float64 // σ19
	SupShiftUp          float64 // σ13, σ14
	SupShiftUpCramped   float64 // σ15
	SupBottomMin        float64 // 1/4 σ5
	SupBaselineDropMax  float64 // σ18
	SubSupGapMin        float64 // 4 ξ8
	SupBottomMaxWithSub float64 // 4/5 σ5
	SpaceAfterScript    float64 // \scriptspace

	UpperLimitGapMin          float64 // ξ9
	UpperLimitBaselineRiseMin float64 // ξ11
	LowerLimitGapMin          float64 // ξ10
	LowerLimitBaselineDropMin float64 // ξ12

	StackTopShiftUp, StackTopDisplayShiftUp           float64 // σ9, σ8
	StackBottomShiftDown, StackBottomDisplayShiftDown float64 // σ12, σ11
	StackGapMin, StackDisplayGapMin                   float64 // 3 ξ8, 7 ξ8

	FracNumShiftUp, FracNumDisplayShiftUp     float64 // σ9, σ8
	FracDenShiftDown, FracDenDisplayShiftDown float64 // σ12, σ11
	FracNumGapMin, FracNumDisplayGapMin       float64 // ξ8, 3 ξ8
	FracDenGapMin, FracDenDisplayGapMin       float64 // ξ8, 3 ξ8
	FracRule                                  float64 // ξ8

	OverbarGap, OverbarRule, OverbarExtra    float64 // 3 ξ8, ξ8, ξ8
	UnderbarGap, UnderbarRule, UnderbarExtra float64

	RadicalGap, RadicalDisplayGap float64
	RadicalRule, RadicalExtra     float64
	RadicalKernBefore             float64 // 5 mu in plain TeX's \root
	RadicalKernAfter              float64 // −10 mu
	RadicalDegreeRaise            float64 // a fraction of the sign's height

	DelimitedSubFormulaMinHeight float64
	DisplayOperatorMinHeight     float64
}

// texConstants are Computer Modern's values (cmsy10, cmex10), for a math
// face without a MATH table.
var texConstants = mathConstants{
	AxisHeight: 0.25, AccentBaseHeight: 0.431, XHeight: 0.431,
	SubShiftDown: 0.15, SubTopMax: 0.344, SubBaselineDropMin: 0.05,
	SupShiftUp: 0.413, SupShiftUpCramped: 0.289, SupBottomMin: 0.108, SupBaselineDropMax: 0.386,
	SubSupGapMin: 0.16, SupBottomMaxWithSub: 0.344, SpaceAfterScript: 0.05,
	UpperLimitGapMin: 0.111, UpperLimitBaselineRiseMin: 0.2, LowerLimitGapMin: 0.167, LowerLimitBaselineDropMin: 0.6,
	StackTopShiftUp: 0.444, StackTopDisplayShiftUp: 0.677, StackBottomShiftDown: 0.345, StackBottomDisplayShiftDown: 0.686,
	StackGapMin: 0.12, StackDisplayGapMin: 0.28,
	FracNumShiftUp: 0.394, FracNumDisplayShiftUp: 0.677, FracDenShiftDown: 0.345, FracDenDisplayShiftDown: 0.686,
	FracNumGapMin: 0.04, FracNumDisplayGapMin: 0.12, FracDenGapMin: 0.04, FracDenDisplayGapMin: 0.12, FracRule: 0.04,
	OverbarGap: 0.12, OverbarRule: 0.04, OverbarExtra: 0.04, UnderbarGap: 0.12, UnderbarRule: 0.04, UnderbarExtra: 0.04,
	RadicalGap: 0.05, RadicalDisplayGap: 0.148, RadicalRule: 0.04, RadicalExtra: 0.04,
	RadicalKernBefore: 0.278, RadicalKernAfter: -0.556, RadicalDegreeRaise: 0.6,
	DelimitedSubFormulaMinHeight: 1.3, DisplayOperatorMinHeight: 1.3,
}

// mathK returns the constants of the Math face, read once.
var mathK = sync.OnceValue(func() *mathConstants {
	k := readMathConstants(mathFace.TTF())
	if k == nil {
		c := texConstants
		k = &c
	}
	// Letters come from the serif face: its x-height rules.
	if ink := inkOf(serifItal, 'x'); ink.top > 0 {
		k.XHeight = ink.top
	}
	return k
})

// readMathConstants reads the MathConstants of an OpenType font's MATH
// table, or returns nil when it has none.
func readMathConstants(ttf []byte) *mathConstants {
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(ttf[off:])), true
	}
	n, ok := u16(4)
	if !ok {
		return nil
	}
	table := -1
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil
		}
		if string(ttf[rec:rec+4]) == "MATH" {
			table = int(binary.BigEndian.Uint32(ttf[rec+8:]))
		}
	}
	if table < 0 {
		return nil
	}
	co, ok := u16(table + 4)
	if !ok || co == 0 {
		return nil
	}
	c := table + co
	upem := float64(font.MetricsOf(mathFace).UnitsPerEm)
	// The first four fields are plain numbers; the rest MathValueRecords
	// of a value and a device table offset, four bytes each; the last is
	// a percentage.
	val := func(i int) float64 {
		v, _ := u16(c + 8 + 4*i)
		return float64(int16(v)) / upem
	}
	if c+8+4*51+2 > len(ttf) {
		return nil
	}
	plain := func(off int) float64 {
		v, _ := u16(c + off)
		return float64(int16(v))
	}
	return &mathConstants{
		DelimitedSubFormulaMinHeight: plain(4) / upem,
		DisplayOperatorMinHeight:     plain(6) / upem,

		AxisHeight: val(1), AccentBaseHeight: val(2),
		SubShiftDown: val(4), SubTopMax: val(5), SubBaselineDropMin: val(6),
		SupShiftUp: val(7), SupShiftUpCramped: val(8), SupBottomMin: val(9), SupBaselineDropMax: val(10),
		SubSupGapMin: val(11), SupBottomMaxWithSub: val(12), SpaceAfterScript: val(13),
		UpperLimitGapMin: val(14), UpperLimitBaselineRiseMin: val(15), LowerLimitGapMin: val(16), LowerLimitBaselineDropMin: val(17),
		StackTopShiftUp: val(18), StackTopDisplayShiftUp: val(19), StackBottomShiftDown: val(20), StackBottomDisplayShiftDown: val(21),
		StackGapMin: val(22), StackDisplayGapMin: val(23),
		FracNumShiftUp: val(28), FracNumDisplayShiftUp: val(29), FracDenShiftDown: val(30), FracDenDisplayShiftDown: val(31),
		FracNumGapMin: val(32), FracNumDisplayGapMin: val(33), FracRule: val(34), FracDenGapMin: val(35), FracDenDisplayGapMin: val(36),
		OverbarGap: val(39), OverbarRule: val(40), OverbarExtra: val(41),
		UnderbarGap: val(42), UnderbarRule: val(43), UnderbarExtra: val(44),
		RadicalGap: val(45), RadicalDisplayGap: val(46), RadicalRule: val(47), RadicalExtra: val(48),
		RadicalKernBefore: val(49), RadicalKernAfter: val(50), RadicalDegreeRaise: plain(8+4*51) / 100,
	}
}

// ink is the outline box of a glyph, in ems: x0 and x1 from the origin,
// top above the baseline and bottom below it as heights (bottom is
// negative for a descender), and the advance width.
type ink struct {
	adv, x0, x1, top, bottom float64
	ok                       bool // the face has the glyph
}

type inkKey struct {
	f font.Face
	r rune
}

var inkCache sync.Map // inkKey → ink

// inkOf returns the outline box of r in face f. It is safe for concurrent
// use.
func inkOf(f font.Face, r rune) ink {
	key := inkKey{f, r}
	if v, ok := inkCache.Load(key); ok {
		return v.(ink)
	}
	m := font.MetricsOf(f)
	var buf sfnt.Buffer
	var g ink
	if gi, err := m.Font.GlyphIndex(&buf, r); err == nil && gi != 0 {
		upem := float64(m.UnitsPerEm)
		if b, adv, err := m.Font.GlyphBounds(&buf, gi, fixed.I(m.UnitsPerEm), 0); err == nil {
			g = ink{
				adv: float64(adv) / 64 / upem,
				x0:  float64(b.Min.X) / 64 / upem, x1: float64(b.Max.X) / 64 / upem,
				// sfnt's y grows downwards.
				top: -float64(b.Min.Y) / 64 / upem, bottom: -float64(b.Max.Y) / 64 / upem,
				ok: true,
			}
			if b.Empty() { // a space
				g.x0, g.x1, g.top, g.bottom = 0, 0, 0, 0
			}
		}
	}
	inkCache.Store(key, g)
	return g
}

// textPunct are the characters of formulas set from the serif face even
// where the Math face has them: punctuation reads as the text's.
const textPunct = ".,;:!?'\"@#$%&"

// opFace returns the face an operator or symbol is set in: the Math face
// when it has the character, else serif.
func opFace(r rune) font.Face {
	if strings.ContainsRune(textPunct, r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
		return serif
	}
	if mathFace.Has(r) {
		return mathFace
	}
	return serif
}

// glyphPath returns the outline of r in face f at size as a filled path
// with its origin at x, y: for characters above U+FFFF, which a text
// operation cannot set.
func glyphPath(f font.Face, r rune, size, x, y float64, c rgb) *pathOp {
	m := font.MetricsOf(f)
	var buf sfnt.Buffer
	gi, err := m.Font.GlyphIndex(&buf, r)
	if err != nil || gi == 0 {
		return nil
	}
	segs, err := m.Font.LoadGlyph(&buf, gi, fixed.I(m.UnitsPerEm), nil)
	if err != nil {
		return nil
	}
	k := size / float64(m.UnitsPerEm)
	pt := func(p fixed.Point26_6) (float64, float64) {
		return x + float64(p.X)/64*k, y + float64(p.Y)/64*k
	}
	op := &pathOp{Fill: &c}
	cx, cy := 0.0, 0.0
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if len(op.Segs) > 0 {
				op.Segs = append(op.Segs, pathSeg{Op: 'Z'})
			}
			cx, cy = pt(s.Args[0])
			op.Segs = append(op.Segs, pathSeg{Op: 'M', Pts: []float64{cx, cy}})
		case sfnt.SegmentOpLineTo:
			cx, cy = pt(s.Args[0])
			op.Segs = append(op.Segs, pathSeg{Op: 'L', Pts: []float64{cx, cy}})
		case sfnt.SegmentOpQuadTo:
			qx, qy := pt(s.Args[0])
			ex, ey := pt(s.Args[1])
			op.Segs = append(op.Segs, pathSeg{Op: 'C', Pts: []float64{
				cx + 2.0/3*(qx-cx), cy + 2.0/3*(qy-cy), ex + 2.0/3*(qx-ex), ey + 2.0/3*(qy-ey), ex, ey}})
			cx, cy = ex, ey
		case sfnt.SegmentOpCubeTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			cx, cy = pt(s.Args[2])
			op.Segs = append(op.Segs, pathSeg{Op: 'C', Pts: []float64{ax, ay, bx, by, cx, cy}})
		}
	}
	if len(op.Segs) == 0 {
		return nil
	}
	op.Segs = append(op.Segs, pathSeg{Op: 'Z'})
	return op
}
