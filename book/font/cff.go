package font

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/boxesandglue/textshape/ot"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// CID-keyed CFF fonts (every CJK OpenType font: Noto Sans CJK, Source Han)
// keep their subroutines and hint settings in one Private dictionary per
// group of glyphs. textshape's subsetter keeps one Private dictionary for
// all, which breaks most of their glyphs, so a subset of such a font is a
// CFF program of our own: the glyphs wanted, their outlines as x/image's
// sfnt reads them (it follows FDSelect), set down without subroutines or
// hints.

// CIDKeyed reports whether the font has CID-keyed CFF outlines.
func (f *Font) CIDKeyed() bool {
	if !f.cff {
		return false
	}
	data, err := f.otf.TableData(ot.TagCFF)
	if err != nil {
		return false
	}
	c, err := ot.ParseCFF(data)
	return err == nil && c.IsCID
}

// CIDCFF returns a CID-keyed CFF program (a PDF FontFile3 /CIDFontType0C,
// or the CFF table of an OpenType font) whose glyph i is glyph gids[i] of
// f with CID cids[i]. gids[0] must be 0, .notdef, and cids[0] 0; the CIDs
// must rise.
func (f *Font) CIDCFF(gids, cids []uint16) ([]byte, error) {
	sf, err := parseSFNT(f.data, f.index)
	if err != nil {
		return nil, err
	}
	if len(gids) == 0 || gids[0] != 0 || len(cids) != len(gids) || cids[0] != 0 {
		return nil, errors.New("font: the glyphs must start with .notdef")
	}
	name := f.name
	upem := f.UnitsPerEm()
	var buf sfnt.Buffer
	charStrings := make([][]byte, len(gids))
	for i, g := range gids {
		segs, err := sf.LoadGlyph(&buf, sfnt.GlyphIndex(g), fixed.I(upem), nil)
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", g, err)
		}
		charStrings[i] = charString(segs)
	}

	// The Top DICT's offsets are written in five bytes each, so its size
	// is known before the offsets are.
	strs := []string{"Adobe", "Identity"} // SIDs 391 and 392
	cidCount := int(cids[len(cids)-1]) + 1
	topDict := func(charset, charStr, fdArray, fdSelect int) []byte {
		var d []byte
		d = appendDictInt(d, 391)
		d = appendDictInt(d, 392)
		d = appendDictInt(d, 0)
		d = append(d, 12, 30) // ROS
		d = appendDictInt(d, cidCount)
		d = append(d, 12, 34) // CIDCount
		if upem != 1000 {
			k := 1 / float64(upem)
			for _, v := range []float64{k, 0, 0, k, 0, 0} {
				d = appendDictReal(d, v)
			}
			d = append(d, 12, 7) // FontMatrix
		}
		d = appendDictInt5(d, charset)
		d = append(d, 15)
		d = appendDictInt5(d, charStr)
		d = append(d, 17)
		d = appendDictInt5(d, fdArray)
		d = append(d, 12, 36)
		d = appendDictInt5(d, fdSelect)
		d = append(d, 12, 37)
		return d
	}
	var out []byte
	out = append(out, 1, 0, 4, 4) // version 1.0, header size, offset size
	out = appendIndex(out, [][]byte{[]byte(name)})
	topAt := len(out)
	topSize := len(appendIndex(nil, [][]byte{topDict(0, 0, 0, 0)}))
	rest := topAt + topSize
	var tail []byte
	tail = appendIndex(tail, [][]byte{[]byte(strs[0]), []byte(strs[1])})
	tail = appendIndex(tail, nil) // no global subroutines
	charset := rest + len(tail)
	tail = append(tail, 0) // charset format 0: the CID of each glyph but .notdef
	for _, c := range cids[1:] {
		tail = binary.BigEndian.AppendUint16(tail, c)
	}
	fdSelect := rest + len(tail)
	tail = append(tail, 3) // FDSelect format 3: one range, every glyph in font dict 0
	tail = binary.BigEndian.AppendUint16(tail, 1)
	tail = binary.BigEndian.AppendUint16(tail, 0)
	tail = append(tail, 0)
	tail = binary.BigEndian.AppendUint16(tail, uint16(len(gids)))
	charStr := rest + len(tail)
	tail = appendIndex(tail, charStrings)
	fdArray := rest + len(tail)
	private := []byte{139, 20, 139, 21} // defaultWidthX 0, nominalWidthX 0
	var fd []byte
	// The Private DICT follows the FDArray; its offset has five bytes.
	fdLen := len(appendIndex(nil, [][]byte{appendFontDict(nil, len(private), 0, upem)}))
	fd = appendFontDict(fd, len(private), fdArray+fdLen, upem)
	tail = appendIndex(tail, [][]byte{fd})
	tail = append(tail, private...)
	out = appendIndex(out, [][]byte{topDict(charset, charStr, fdArray, fdSelect)})
	if len(out) != rest {
		return nil, errors.New("font: the CFF Top DICT changed size") // cannot happen: fixed-size offsets
	}
	return append(out, tail...), nil
}

// appendFontDict appends the Font DICT of the FDArray: the size and
// offset of its Private DICT and, when the Top DICT scales by the units
// per em, an identity matrix.
func appendFontDict(d []byte, size, offset, upem int) []byte {
	if upem != 1000 {
		for _, v := range []float64{1, 0, 0, 1, 0, 0} {
			d = appendDictReal(d, v)
		}
		d = append(d, 12, 7)
	}
	d = appendDictInt5(d, size)
	d = appendDictInt5(d, offset)
	return append(d, 18) // Private
}

// charString encodes an outline (from sfnt, in font units, y down) as a
// Type 2 charstring: moves, lines and curves, closed by the next move.
func charString(segs sfnt.Segments) []byte {
	var cs []byte
	var x, y fixed.Int26_6 // the current point, y up
	pt := func(p fixed.Point26_6) (fixed.Int26_6, fixed.Int26_6) { return p.X, -p.Y }
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			px, py := pt(s.Args[0])
			cs = appendCSNum(appendCSNum(cs, px-x), py-y)
			cs = append(cs, 21) // rmoveto
			x, y = px, py
		case sfnt.SegmentOpLineTo:
			px, py := pt(s.Args[0])
			cs = appendCSNum(appendCSNum(cs, px-x), py-y)
			cs = append(cs, 5) // rlineto
			x, y = px, py
		case sfnt.SegmentOpQuadTo:
			// A quadratic curve as the cubic that draws it.
			qx, qy := pt(s.Args[0])
			px, py := pt(s.Args[1])
			c1x, c1y := x+(qx-x)*2/3, y+(qy-y)*2/3
			c2x, c2y := px+(qx-px)*2/3, py+(qy-py)*2/3
			cs = appendCurve(cs, x, y, c1x, c1y, c2x, c2y, px, py)
			x, y = px, py
		case sfnt.SegmentOpCubeTo:
			c1x, c1y := pt(s.Args[0])
			c2x, c2y := pt(s.Args[1])
			px, py := pt(s.Args[2])
			cs = appendCurve(cs, x, y, c1x, c1y, c2x, c2y, px, py)
			x, y = px, py
		}
	}
	return append(cs, 14) // endchar
}

func appendCurve(cs []byte, x, y, c1x, c1y, c2x, c2y, px, py fixed.Int26_6) []byte {
	for _, v := range []fixed.Int26_6{c1x - x, c1y - y, c2x - c1x, c2y - c1y, px - c2x, py - c2y} {
		cs = appendCSNum(cs, v)
	}
	return append(cs, 8) // rrcurveto
}

// appendCSNum appends a charstring number: an integer in its shortest
// form, else a 16.16 fixed-point number.
func appendCSNum(cs []byte, v fixed.Int26_6) []byte {
	if v%64 != 0 {
		return binary.BigEndian.AppendUint32(append(cs, 255), uint32(int32(v)<<10))
	}
	n := int(v / 64)
	switch {
	case n >= -107 && n <= 107:
		return append(cs, byte(n+139))
	case n >= 108 && n <= 1131:
		n -= 108
		return append(cs, byte(n>>8+247), byte(n))
	case n >= -1131 && n <= -108:
		n = -n - 108
		return append(cs, byte(n>>8+251), byte(n))
	case n >= -32768 && n <= 32767:
		return append(cs, 28, byte(n>>8), byte(n))
	}
	return binary.BigEndian.AppendUint32(append(cs, 255), uint32(int32(n)<<16))
}

// appendIndex appends a CFF INDEX of the items.
func appendIndex(b []byte, items [][]byte) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(items)))
	if len(items) == 0 {
		return b
	}
	total := 1
	for _, it := range items {
		total += len(it)
	}
	offSize := 1
	for total >= 1<<(8*offSize) {
		offSize++
	}
	b = append(b, byte(offSize))
	off := 1
	put := func(v int) {
		for i := offSize - 1; i >= 0; i-- {
			b = append(b, byte(v>>(8*i)))
		}
	}
	put(off)
	for _, it := range items {
		off += len(it)
		put(off)
	}
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

// appendDictInt appends a DICT integer operand in its shortest form.
func appendDictInt(d []byte, v int) []byte {
	switch {
	case v >= -107 && v <= 107:
		return append(d, byte(v+139))
	case v >= 108 && v <= 1131:
		v -= 108
		return append(d, byte(v>>8+247), byte(v))
	case v >= -1131 && v <= -108:
		v = -v - 108
		return append(d, byte(v>>8+251), byte(v))
	case v >= -32768 && v <= 32767:
		return append(d, 28, byte(v>>8), byte(v))
	}
	return appendDictInt5(d, v)
}

// appendDictInt5 appends a DICT integer operand in five bytes, the size
// offsets are written in.
func appendDictInt5(d []byte, v int) []byte {
	return binary.BigEndian.AppendUint32(append(d, 29), uint32(int32(v)))
}

// appendDictReal appends a DICT real number operand.
func appendDictReal(d []byte, v float64) []byte {
	s := strconv.FormatFloat(v, 'E', -1, 64)
	s = strings.Replace(s, "E+00", "", 1)
	var nib []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			nib = append(nib, c-'0')
		case c == '.':
			nib = append(nib, 0xa)
		case c == '-':
			nib = append(nib, 0xe)
		case c == 'E':
			if i+1 < len(s) && s[i+1] == '-' {
				nib = append(nib, 0xc)
				i++
			} else {
				if i+1 < len(s) && s[i+1] == '+' {
					i++
				}
				nib = append(nib, 0xb)
			}
		}
	}
	nib = append(nib, 0xf)
	if len(nib)%2 == 1 {
		nib = append(nib, 0xf)
	}
	d = append(d, 30)
	for i := 0; i < len(nib); i += 2 {
		d = append(d, nib[i]<<4|nib[i+1])
	}
	return d
}
