package pdfdoc

import (
	"crypto/sha256"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/font"
	"github.com/boxesandglue/textshape/ot"
	"github.com/boxesandglue/textshape/subset"
)

// docFont is a font used in the document: a Type 0 font with Identity-H
// encoding, so a glyph's code in the content stream is its glyph id.
type docFont struct {
	f    *font.Font
	r    ref    // the Type 0 font dictionary
	name string // the resource name, F1, F2, …
	used []bool // by glyph id
	// text maps a glyph id to the source text it was first drawn for (""
	// for none yet): the ToUnicode map.
	text []string
	// widths caches the /W widths by glyph id; -1 for not yet computed.
	widths []float64
}

// useFont returns the document's font for f, registering it on first use.
func (d *Document) useFont(f *font.Font) *docFont {
	if df, ok := d.fontIndex[f]; ok {
		return df
	}
	otf, _ := f.OT()
	n := max(otf.NumGlyphs(), 1)
	df := &docFont{
		f:      f,
		r:      d.o.reserve(),
		name:   "F" + strconv.Itoa(len(d.fonts)+1),
		used:   make([]bool, n),
		text:   make([]string, n),
		widths: make([]float64, n),
	}
	for i := range df.widths {
		df.widths[i] = -1
	}
	df.used[0] = true
	d.fonts = append(d.fonts, df)
	d.fontIndex[f] = df
	return df
}

// width returns the width of glyph id as the font's /W array gives it, in
// thousandths of an em, rounded to three decimals.
func (df *docFont) width(id uint16) float64 {
	if int(id) >= len(df.widths) {
		return 0
	}
	if w := df.widths[id]; w >= 0 {
		return w
	}
	w := math.Round(float64(df.f.Advance(id))*1e6/float64(df.f.UnitsPerEm())) / 1000
	df.widths[id] = w
	return w
}

// register marks the glyphs as used and maps each glyph that begins a
// cluster to the cluster's text, unless the glyph has a text already.
func (df *docFont) register(gs []font.Glyph, text string) {
	// Visit the glyphs in text order: reversed for right-to-left runs.
	n := len(gs)
	rtl := n > 1 && gs[0].Start > gs[n-1].Start
	seen := -1 // Start of the last cluster mapped
	for j := range n {
		i := j
		if rtl {
			i = n - 1 - j
		}
		g := gs[i]
		if int(g.ID) >= len(df.used) {
			continue // not a glyph of this font
		}
		df.used[g.ID] = true
		if g.ID == 0 || g.Start == seen || g.Start < 0 || g.End > len(text) || g.Start >= g.End {
			continue
		}
		seen = g.Start
		if df.text[g.ID] == "" {
			// A copy: the run's text may be a slice of a large string.
			df.text[g.ID] = strings.Clone(text[g.Start:g.End])
		}
	}
}

// write embeds the subset of the font with the glyphs used, and writes
// its descriptor, widths and ToUnicode map.
func (df *docFont) write(o *objects) error {
	otf, face := df.f.OT()
	var gids []uint16
	for id, u := range df.used {
		if u {
			gids = append(gids, uint16(id))
		}
	}
	in := subset.NewInput()
	// Glyph ids stay as they are, so the content streams (written
	// already) need no renumbering; the unused slots are empty.
	in.Flags = subset.FlagRetainGIDs | subset.FlagDropLayoutTables
	for _, id := range gids {
		in.AddGlyph(ot.GlyphID(id))
	}
	plan, err := subset.CreatePlan(otf, in)
	if err != nil {
		return fmt.Errorf("pdfdoc: subset %s: %w", df.f.Name(), err)
	}
	data, err := plan.Execute()
	if err != nil {
		return fmt.Errorf("pdfdoc: subset %s: %w", df.f.Name(), err)
	}
	// The subset's glyphs may include components of composite glyphs:
	// none of them is drawn by id, so the tag covers the drawn ones.
	tag := subsetTag(df.f, gids)
	baseName := appendName(nil, tag+"+"+df.f.Name())

	file := o.reserve()
	if df.f.CFF() {
		sub, err := ot.ParseFont(data, 0)
		if err != nil {
			return fmt.Errorf("pdfdoc: subset %s: %w", df.f.Name(), err)
		}
		cff, err := sub.TableData(ot.TagCFF)
		if err != nil {
			return fmt.Errorf("pdfdoc: subset %s has no CFF table: %w", df.f.Name(), err)
		}
		// A name-keyed CFF in a CIDFontType0: CIDs are glyph ids (PDF
		// 32000-1 9.7.4.2).
		o.stream(file, []byte(" /Subtype /CIDFontType0C"), cff, true)
	} else {
		o.stream(file, fmt.Appendf(nil, " /Length1 %d", len(data)), data, true)
	}

	upem := float64(df.f.UnitsPerEm())
	em := func(v int) int { return int(math.Round(float64(v) * 1000 / upem)) }
	xMin, yMin, xMax, yMax := face.BBox()
	flags := 4 // symbolic: glyphs are reached by id, not by a standard encoding
	if face.IsFixedPitch() {
		flags |= 1
	}
	if face.IsItalic() {
		flags |= 64
	}
	stemV := 80
	if face.WeightClass() >= 600 {
		stemV = 140
	}
	capHeight := int(face.CapHeight())
	ascent, descent := df.f.Extents()
	if capHeight == 0 {
		capHeight = ascent
	}
	desc := o.reserve()
	var b []byte
	b = append(b, "<< /Type /FontDescriptor /FontName "...)
	b = append(b, baseName...)
	b = fmt.Appendf(b, " /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle ", flags, em(int(xMin)), em(int(yMin)), em(int(xMax)), em(int(yMax)))
	b = appendNum(b, float64(face.ItalicAngle())/65536, 2)
	b = fmt.Appendf(b, " /Ascent %d /Descent %d /CapHeight %d /StemV %d", em(ascent), em(descent), em(capHeight), stemV)
	if df.f.CFF() {
		b = append(b, " /FontFile3 "...)
	} else {
		b = append(b, " /FontFile2 "...)
	}
	b = appendRef(b, file)
	b = append(b, " >>"...)
	o.object(desc, b)

	cid := o.reserve()
	b = append(b[:0], "<< /Type /Font /Subtype "...)
	if df.f.CFF() {
		b = append(b, "/CIDFontType0"...)
	} else {
		b = append(b, "/CIDFontType2 /CIDToGIDMap /Identity"...)
	}
	b = append(b, " /BaseFont "...)
	b = append(b, baseName...)
	b = append(b, " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "...)
	b = appendRef(b, desc)
	b = fmt.Appendf(b, " /DW %d /W [", em(int(face.HorizontalAdvance(0))))
	// Runs of consecutive glyph ids share one array.
	for i := 0; i < len(gids); {
		j := i + 1
		for j < len(gids) && gids[j] == gids[j-1]+1 {
			j++
		}
		b = strconv.AppendInt(b, int64(gids[i]), 10)
		b = append(b, " ["...)
		for k := i; k < j; k++ {
			if k > i {
				b = append(b, ' ')
			}
			b = appendNum(b, df.width(gids[k]), 3)
		}
		b = append(b, "] "...)
		i = j
	}
	b = append(b, "] >>"...)
	o.object(cid, b)

	toUni := o.reserve()
	o.stream(toUni, nil, df.toUnicode(gids), true)

	b = append(b[:0], "<< /Type /Font /Subtype /Type0 /BaseFont "...)
	b = append(b, baseName...)
	b = append(b, " /Encoding /Identity-H /DescendantFonts ["...)
	b = appendRef(b, cid)
	b = append(b, "] /ToUnicode "...)
	b = appendRef(b, toUni)
	b = append(b, " >>"...)
	o.object(df.r, b)
	return nil
}

// subsetTag returns the six capital letters that name a subset, from a
// hash of the font and the glyphs in it.
func subsetTag(f *font.Font, gids []uint16) string {
	h := sha256.New()
	k := f.Key()
	h.Write(k[:])
	for _, g := range gids {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// toUnicode returns the ToUnicode CMap: each glyph drawn maps to the
// text of the cluster it began (a ligature to its letters), or else to
// the character the font's cmap maps to it.
func (df *docFont) toUnicode(gids []uint16) []byte {
	_, face := df.f.OT()
	var reverse map[uint16]rune // built only if a glyph needs it
	var entries [][2]string
	for _, id := range gids {
		if id == 0 {
			continue
		}
		s := df.text[id]
		if s == "" {
			if reverse == nil {
				reverse = map[uint16]rune{}
				for r, g := range face.Cmap().CollectMapping() {
					// The smallest character wins, whatever the map order.
					if old, ok := reverse[uint16(g)]; !ok || r < old {
						reverse[uint16(g)] = r
					}
				}
			}
			r, ok := reverse[id]
			if !ok {
				continue
			}
			s = string(r)
		}
		var dst []byte
		for _, r := range s {
			if r > 0xFFFF {
				r -= 0x10000
				dst = appendHex4(dst, uint16(0xD800+(r>>10)))
				dst = appendHex4(dst, uint16(0xDC00+(r&0x3FF)))
				continue
			}
			dst = appendHex4(dst, uint16(r))
		}
		entries = append(entries, [2]string{string(appendHex4(nil, id)), string(dst)})
	}
	var b []byte
	b = append(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"...)
	b = append(b, "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"...)
	b = append(b, "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"...)
	b = append(b, "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"...)
	// At most 100 entries a block (PDF 32000-1 9.10.3).
	for i := 0; i < len(entries); i += 100 {
		blk := entries[i:min(i+100, len(entries))]
		b = fmt.Appendf(b, "%d beginbfchar\n", len(blk))
		for _, e := range blk {
			b = append(b, '<')
			b = append(b, e[0]...)
			b = append(b, "> <"...)
			b = append(b, e[1]...)
			b = append(b, ">\n"...)
		}
		b = append(b, "endbfchar\n"...)
	}
	b = append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"...)
	return b
}
