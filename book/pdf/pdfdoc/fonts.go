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

// register marks the glyphs as used and maps glyphs to the text they
// show, for the ToUnicode map: a glyph that stands for a whole cluster (a
// ligature, a conjunct) to the cluster's text; in a cluster of several
// glyphs (a letter and its marks, a vowel sign drawn before its
// consonant), each glyph to the character whose own glyph it is, and the
// one glyph left over to the characters left over. A glyph keeps the text
// it was first drawn for. It returns whether the mapped texts of the
// glyphs, read in text order, give back the run's text.
func (df *docFont) register(gs []font.Glyph, text string) bool {
	n := len(gs)
	rtl := n > 1 && gs[0].Start > gs[n-1].Start
	whole := true
	for i := 0; i < n; {
		// The glyphs of one cluster are adjacent.
		j := i + 1
		for j < n && gs[j].Start == gs[i].Start {
			j++
		}
		cl := gs[i:j]
		i = j
		for _, g := range cl {
			if int(g.ID) < len(df.used) {
				df.used[g.ID] = true
			}
		}
		g0 := cl[0]
		if g0.Start < 0 || g0.End > len(text) || g0.Start >= g0.End {
			whole = false
			continue
		}
		t := text[g0.Start:g0.End]
		if len(cl) == 1 {
			df.mapText(g0.ID, t)
			continue
		}
		// Each glyph to the character it is the glyph of.
		runes := []rune(t)
		done := make([]bool, len(runes))
		var left []int // glyphs of no character
		for k, g := range cl {
			found := false
			for ri, r := range runes {
				if id, ok := df.f.GlyphID(r); ok && !done[ri] && id == g.ID {
					done[ri], found = true, true
					df.mapText(g.ID, string(r))
					break
				}
			}
			if !found && g.ID != 0 {
				left = append(left, k)
			}
		}
		var rest []rune
		for ri, r := range runes {
			if !done[ri] {
				rest = append(rest, r)
			}
		}
		if len(left) == 1 && len(rest) > 0 {
			df.mapText(cl[left[0]].ID, string(rest))
		}
	}
	// The mapped texts in text order against the run's text.
	pos := 0
	for k := range n {
		g := gs[k]
		if rtl {
			g = gs[n-1-k]
		}
		if int(g.ID) >= len(df.text) {
			return false
		}
		t := df.text[g.ID]
		if !strings.HasPrefix(text[pos:], t) {
			return false
		}
		pos += len(t)
	}
	return whole && pos == len(text)
}

// mapText maps glyph id to the text s, unless it has a text already.
func (df *docFont) mapText(id uint16, s string) {
	if int(id) < len(df.text) && id != 0 && df.text[id] == "" {
		// A copy: the run's text may be a slice of a large string.
		df.text[id] = strings.Clone(s)
	}
}

// write embeds the subset of the font with the glyphs used, and writes
// its descriptor, widths and ToUnicode map.
func (df *docFont) write(o *objects) error {
	_, face := df.f.OT()
	var gids []uint16
	for id, u := range df.used {
		if u {
			gids = append(gids, uint16(id))
		}
	}
	// The subset's glyphs may include components of composite glyphs:
	// none of them is drawn by id, so the tag covers the drawn ones.
	tag := subsetTag(df.f, gids)
	baseName := appendName(nil, tag+"+"+df.f.Name())

	file := o.reserve()
	switch {
	case df.f.CIDKeyed():
		cff, err := df.f.CIDCFF(gids, gids)
		if err != nil {
			return fmt.Errorf("pdfdoc: subset %s: %w", df.f.Name(), err)
		}
		o.stream(file, []byte(" /Subtype /CIDFontType0C"), cff, true)
	default:
		data, err := subsetFont(df.f, gids)
		if err != nil {
			return err
		}
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

// subsetFont returns the subset of f with the glyphs gids, at their ids.
func subsetFont(f *font.Font, gids []uint16) ([]byte, error) {
	otf, _ := f.OT()
	in := subset.NewInput()
	// Glyph ids stay as they are, so the content streams (written
	// already) need no renumbering; the unused slots are empty.
	in.Flags = subset.FlagRetainGIDs | subset.FlagDropLayoutTables
	for _, id := range gids {
		in.AddGlyph(ot.GlyphID(id))
	}
	plan, err := subset.CreatePlan(otf, in)
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: subset %s: %w", f.Name(), err)
	}
	data, err := plan.Execute()
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: subset %s: %w", f.Name(), err)
	}
	return data, nil
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
