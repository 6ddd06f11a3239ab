package font

import (
	"encoding/binary"
	"errors"
	"slices"
	"sort"

	"github.com/boxesandglue/textshape/ot"
)

// CharSubset returns an OpenType font with the glyphs of f that the
// characters rs map to, for a CID-keyed CFF font (a CJK font, whose file
// runs to tens of megabytes): its CFF outlines as CIDCFF sets them down,
// its metrics, names and a character map of rs. The subset has no layout
// tables (GSUB, GPOS), so it suits scripts set one glyph a character. It
// refuses other fonts.
func (f *Font) CharSubset(rs []rune) ([]byte, error) {
	if !f.CIDKeyed() {
		return nil, errors.New("font: only CID-keyed CFF fonts are subset by character")
	}
	rs = slices.Clone(rs)
	slices.Sort(rs)
	rs = slices.Compact(rs)
	// New glyph ids in the order of the characters, so runs of
	// characters map to runs of glyphs.
	gids := []uint16{0}
	newID := map[uint16]uint16{0: 0}
	type mapping struct {
		r   rune
		gid uint16
	}
	var cmap []mapping
	for _, r := range rs {
		old, ok := f.GlyphID(r)
		if !ok {
			continue
		}
		id, seen := newID[old]
		if !seen {
			id = uint16(len(gids))
			newID[old] = id
			gids = append(gids, old)
		}
		cmap = append(cmap, mapping{r, id})
	}
	cids := make([]uint16, len(gids))
	for i := range cids {
		cids[i] = uint16(i)
	}
	cff, err := f.CIDCFF(gids, cids)
	if err != nil {
		return nil, err
	}
	table := func(tag ot.Tag) ([]byte, error) {
		d, err := f.otf.TableData(tag)
		if err != nil {
			return nil, err
		}
		return slices.Clone(d), nil
	}
	be := binary.BigEndian
	n := len(gids)
	tables := map[string][]byte{"CFF ": cff}
	// head: the original, its checksum adjustment set at the end.
	head, err := table(ot.MakeTag('h', 'e', 'a', 'd'))
	if err != nil || len(head) < 54 {
		return nil, errors.New("font: no head table")
	}
	be.PutUint32(head[8:], 0)
	tables["head"] = head
	hhea, err := table(ot.MakeTag('h', 'h', 'e', 'a'))
	if err != nil || len(hhea) < 36 {
		return nil, errors.New("font: no hhea table")
	}
	be.PutUint16(hhea[34:], uint16(n))
	tables["hhea"] = hhea
	hmtx := make([]byte, 0, 4*n)
	for _, g := range gids {
		hmtx = be.AppendUint16(hmtx, uint16(f.Advance(g)))
		hmtx = be.AppendUint16(hmtx, 0)
	}
	tables["hmtx"] = hmtx
	tables["maxp"] = be.AppendUint16(be.AppendUint32(nil, 0x00005000), uint16(n))
	for _, tag := range []string{"OS/2", "name"} {
		d, err := table(ot.MakeTag(tag[0], tag[1], tag[2], tag[3]))
		if err != nil {
			return nil, errors.New("font: no " + tag + " table")
		}
		tables[tag] = d
	}
	post := make([]byte, 32)
	if d, err := table(ot.MakeTag('p', 'o', 's', 't')); err == nil && len(d) >= 32 {
		copy(post, d[:32])
	}
	be.PutUint32(post, 0x00030000) // no glyph names
	tables["post"] = post

	// cmap: format 4 for the characters of the BMP, format 12 for all of
	// them when some lie beyond it.
	var bmp []mapping
	astral := false
	for _, m := range cmap {
		if m.r <= 0xffff {
			bmp = append(bmp, m)
		} else {
			astral = true
		}
	}
	type segment struct{ start, end, delta uint16 }
	var segs []segment
	for _, m := range bmp {
		d := m.gid - uint16(m.r)
		if k := len(segs); k > 0 && segs[k-1].end+1 == uint16(m.r) && segs[k-1].delta == d {
			segs[k-1].end++
			continue
		}
		segs = append(segs, segment{uint16(m.r), uint16(m.r), d})
	}
	segs = append(segs, segment{0xffff, 0xffff, 1})
	segX2 := 2 * len(segs)
	if 16+4*segX2 > 0xffff {
		return nil, errors.New("font: too many characters for a format 4 character map")
	}
	p := 1 // the largest power of two not above the number of segments
	for p*2 <= len(segs) {
		p *= 2
	}
	sub4 := be.AppendUint16(nil, 4)
	sub4 = be.AppendUint16(sub4, uint16(16+4*segX2))
	sub4 = be.AppendUint16(sub4, 0) // language
	sub4 = be.AppendUint16(sub4, uint16(segX2))
	sub4 = be.AppendUint16(sub4, uint16(2*p))          // searchRange
	sub4 = be.AppendUint16(sub4, uint16(bitsLen(p)-1)) // entrySelector
	sub4 = be.AppendUint16(sub4, uint16(segX2-2*p))    // rangeShift
	for _, s := range segs {
		sub4 = be.AppendUint16(sub4, s.end)
	}
	sub4 = be.AppendUint16(sub4, 0) // reservedPad
	for _, s := range segs {
		sub4 = be.AppendUint16(sub4, s.start)
	}
	for _, s := range segs {
		sub4 = be.AppendUint16(sub4, s.delta)
	}
	for range segs {
		sub4 = be.AppendUint16(sub4, 0) // idRangeOffset
	}
	var sub12 []byte
	if astral {
		type group struct {
			start, end rune
			gid        uint32
		}
		var gs []group
		for _, m := range cmap {
			if k := len(gs); k > 0 && gs[k-1].end+1 == m.r && gs[k-1].gid+uint32(m.r-gs[k-1].start) == uint32(m.gid) {
				gs[k-1].end++
				continue
			}
			gs = append(gs, group{m.r, m.r, uint32(m.gid)})
		}
		sub12 = be.AppendUint16(nil, 12)
		sub12 = be.AppendUint16(sub12, 0)
		sub12 = be.AppendUint32(sub12, uint32(16+12*len(gs)))
		sub12 = be.AppendUint32(sub12, 0) // language
		sub12 = be.AppendUint32(sub12, uint32(len(gs)))
		for _, g := range gs {
			sub12 = be.AppendUint32(sub12, uint32(g.start))
			sub12 = be.AppendUint32(sub12, uint32(g.end))
			sub12 = be.AppendUint32(sub12, g.gid)
		}
	}
	nsub := 1
	if astral {
		nsub = 2
	}
	cm := be.AppendUint16(nil, 0)
	cm = be.AppendUint16(cm, uint16(nsub))
	off := 4 + 8*nsub
	cm = be.AppendUint16(be.AppendUint16(cm, 3), 1)
	cm = be.AppendUint32(cm, uint32(off))
	if astral {
		cm = be.AppendUint16(be.AppendUint16(cm, 3), 10)
		cm = be.AppendUint32(cm, uint32(off+len(sub4)))
	}
	cm = append(cm, sub4...)
	cm = append(cm, sub12...)
	tables["cmap"] = cm

	out := sfntFile(0x4f54544f, tables) // 'OTTO'
	// The whole font sums to 0xB1B0AFBA with the adjustment in head.
	headAt := 0
	for i := range len(tables) {
		rec := out[12+16*i:]
		if string(rec[:4]) == "head" {
			headAt = int(be.Uint32(rec[8:]))
		}
	}
	be.PutUint32(out[headAt+8:], 0xb1b0afba-checksum(out))
	return out, nil
}

// bitsLen returns the number of bits needed for v.
func bitsLen(v int) int {
	n := 0
	for ; v > 0; v >>= 1 {
		n++
	}
	return n
}

// sfntFile lays out an OpenType file of the tables, in the order of their
// tags, each on a four-byte boundary.
func sfntFile(version uint32, tables map[string][]byte) []byte {
	be := binary.BigEndian
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	sr := 1
	for sr*2 <= n {
		sr *= 2
	}
	out := be.AppendUint32(nil, version)
	out = be.AppendUint16(out, uint16(n))
	out = be.AppendUint16(out, uint16(16*sr))
	out = be.AppendUint16(out, uint16(bitsLen(sr)-1))
	out = be.AppendUint16(out, uint16(16*n-16*sr))
	at := 12 + 16*n
	for _, t := range tags {
		d := tables[t]
		out = append(out, t...)
		out = be.AppendUint32(out, checksum(d))
		out = be.AppendUint32(out, uint32(at))
		out = be.AppendUint32(out, uint32(len(d)))
		at += (len(d) + 3) &^ 3
	}
	for _, t := range tags {
		out = append(out, tables[t]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// checksum is the OpenType table checksum: the sum of its big-endian
// 32-bit words, the last padded with zeros.
func checksum(d []byte) uint32 {
	var sum uint32
	for i := 0; i < len(d); i += 4 {
		var w [4]byte
		copy(w[:], d[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
