package pdf

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bindery-books/bindery/book/hyphen"
)

// Justified paragraphs are broken into lines the way TeX does it (Knuth and
// Plass, "Breaking Paragraphs into Lines", 1981): every feasible set of
// breaks is weighed at once and the one with the least total demerits wins,
// so a paragraph's spacing is even from line to line instead of one very
// loose line after several tight ones, which is what first-fit gives.
//
// Spaces stretch by up to half their width and shrink by up to a third,
// as TeX's do.
// Words may be hyphenated (package hyphen, in the chapter's language) at a
// cost that keeps it rare, never more than two lines in a row and the
// penultimate line dearer; a word with a hyphen of its own may break after
// it. Inline code may break after . / _ and : without a hyphen. Long words
// with punctuation (URLs, paths, module names) may break after the
// punctuation at a cost, so they neither stick out nor leave a line
// gaping.

const (
	stretchRatio = 0.5
	shrinkRatio  = 1.0 / 3
	// expandRatio is how much the glyphs of a justified line may widen or
	// narrow (font expansion, as pdfTeX's microtype does it): the line's
	// spaces then need to stretch less.
	expandRatio = 0.02
	linePenalty = 10
	// tolerance is the largest adjustment ratio tried first; a paragraph with
	// no set of lines under it is broken again with looseTolerance.
	tolerance      = 2.5
	looseTolerance = 12
	// pretolerance is the largest adjustment ratio of a first try
	// without hyphenation: spaces at most as wide as their stretch
	// allows (TeX's \pretolerance=100).
	pretolerance = 1
	// cutPenalty is the cost of breaking inside a long word.
	cutPenalty = 80
	// hyphenPenalty is the cost of breaking at a hyphen, TeX's \hyphenpenalty.
	hyphenPenalty = 50
	// doubleHyphenDemerits are added for two hyphenated lines in a row,
	// finalHyphenDemerits for a hyphen on the last line but one.
	doubleHyphenDemerits = 3000
	finalHyphenDemerits  = 5000
	// maxHyphenRun is the most hyphenated lines in a row.
	maxHyphenRun = 2
	// fitnessDemerits penalise a very loose line next to a tight one.
	fitnessDemerits = 3000
)

type kpNode struct {
	pos      int // break after word pos-1: the line starts at word pos
	line     int
	fitness  int
	demerits float64
	// hyphens counts the hyphenated lines in a row ending at this break.
	hyphens int
	prev    *kpNode
}

// breakJustified breaks words into lines of the given width with total-fit
// line breaking, hyphenating with h when it is not nil. It returns the
// words (some cut at punctuation or at hyphens) and the lines.
func breakJustified(ws []word, width float64, h *hyphen.Hyphenator) ([]word, []lineSpan) {
	ws = cutLongWords(ws, width)
	if len(ws) == 0 {
		return ws, nil
	}
	// As TeX does with \pretolerance: a paragraph whose lines need no
	// space stretched beyond its stretch is set without hyphenation,
	// which would only cost time (every hyphenated piece is measured).
	if h != nil {
		if lines, ok := totalFit(ws, width, pretolerance); ok {
			return ws, lines
		}
		ws = hyphenate(ws, h)
	}
	for _, tol := range []float64{tolerance, looseTolerance} {
		if lines, ok := totalFit(ws, width, tol); ok {
			return ws, lines
		}
	}
	return breakLines(ws, width)
}

// cutLongWords splits words wider than the line into pieces that fit, and
// long words with punctuation into pieces at the punctuation, without
// spaces between them, so the line breaker may break there.
func cutLongWords(ws []word, width float64) []word {
	first := slices.IndexFunc(ws, func(w word) bool { return w.w > width || longWord(w, width) })
	if first < 0 {
		return ws // most paragraphs: nothing to cut, nothing to copy
	}
	out := append(make([]word, 0, len(ws)+len(ws)/8), ws[:first]...)
	for _, w := range ws[first:] {
		for w.w > width {
			head, tail, ok := splitWord(w, width, false)
			if !ok {
				break
			}
			head.cut = true
			out = append(out, head)
			w = tail
		}
		if longWord(w, width) {
			out = append(out, cutAtPunct(w)...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// cutAtPunct splits a word after each break character that has at least
// three characters on either side.
func cutAtPunct(w word) []word {
	var out []word
	for {
		head, tail, ok := splitAfterPunct(w)
		if !ok {
			return append(out, w)
		}
		head.cut = true
		out = append(out, head)
		w = tail
	}
}

// splitAfterPunct cuts w after its first break character that leaves at
// least three characters before and after it.
func splitAfterPunct(w word) (head, tail word, ok bool) {
	total := 0
	for _, p := range w.pieces {
		total += utf8.RuneCountInString(p.text)
	}
	n := 0
	for pi, p := range w.pieces {
		for off, r := range p.text {
			n++
			if n >= 3 && total-n >= 3 && breakAfter(r) {
				next := off + len(string(r))
				if next == len(p.text) {
					head, tail = cutWord(w, pi+1, 0)
				} else {
					head, tail = cutWord(w, pi, next)
				}
				return head, tail, len(head.pieces) > 0 && len(tail.pieces) > 0
			}
		}
	}
	return w, word{}, false
}

// totalFit finds the breaks with the least demerits whose lines all have an
// adjustment ratio within tol: Knuth and Plass's algorithm, with the
// feasible breaks of the words so far as its active nodes.
func totalFit(ws []word, width, tol float64) ([]lineSpan, bool) {
	p := newParagraph(ws)
	n := len(ws)
	active := []*kpNode{{pos: 0}}
	for b := 1; b <= n; b++ {
		// A break is legal after word b-1 if it is the end, a forced
		// break, a space, or a cut in a long word.
		w := ws[b-1]
		forced := b == n || w.brk
		if !forced && !w.hasSpace && !w.cut && !w.hyph {
			continue
		}
		penalty := 0.0
		switch {
		case w.hyph:
			penalty = hyphenPenalty
		case w.cut && !w.hasSpace:
			penalty = cutPenalty
		}
		active = p.breakAt(active, b, width, tol, forced, penalty)
		if len(active) == 0 {
			return nil, false
		}
	}
	return p.lines(active)
}

// paragraph holds the prefix sums of a paragraph's natural widths, stretch
// and shrink, so any line's measures cost two subtractions. The space after
// word i counts only when a line goes on past it; the glyphs of text (not
// code) add their expansion to the stretch and shrink.
type paragraph struct {
	ws               []word
	sumW, sumY, sumZ []float64
	sumG             []float64 // widths of expandable glyphs
	cuts             []int     // cut words before each position
}

func newParagraph(ws []word) *paragraph {
	n := len(ws)
	p := &paragraph{ws: ws, sumW: make([]float64, n+1), sumY: make([]float64, n+1), sumZ: make([]float64, n+1),
		sumG: make([]float64, n+1), cuts: make([]int, n+1)}
	for i, w := range ws {
		p.cuts[i+1] = p.cuts[i]
		if w.cut {
			p.cuts[i+1]++
		}
		p.sumW[i+1] = p.sumW[i] + w.w
		p.sumY[i+1] = p.sumY[i]
		p.sumZ[i+1] = p.sumZ[i]
		p.sumG[i+1] = p.sumG[i] + expandable(w)
		if i < n-1 {
			p.sumW[i+1] += w.space
			if w.hasSpace {
				p.sumY[i+1] += w.space * stretchRatio
				p.sumZ[i+1] += w.space * shrinkRatio
			}
		}
	}
	return p
}

// measure returns the natural width of the line of words [a, b), without
// the space after its last word, and the stretch and shrink of its spaces.
func (p *paragraph) measure(a, b int) (nat, y, z float64) {
	last := p.ws[b-1]
	nat = p.sumW[b] - p.sumW[a]
	y = p.sumY[b] - p.sumY[a]
	z = p.sumZ[b] - p.sumZ[a]
	if b-1 < len(p.ws)-1 {
		nat -= last.space
		if last.hasSpace {
			y -= last.space * stretchRatio
			z -= last.space * shrinkRatio
		}
	}
	if last.addHyphen {
		nat += last.hyphenW
	}
	return
}

// ratio returns the adjustment ratio of the line [a, b) set to width: how
// much of its stretch (positive) or shrink (negative) it uses.
func (p *paragraph) ratio(a, b int, width float64, last bool) float64 {
	nat, y, z := p.measure(a, b)
	// The glyphs' expansion stretches and shrinks a line that has spaces
	// too; a line without spaces is not justified.
	if y > 0 {
		g := (p.sumG[b] - p.sumG[a]) * expandRatio
		y, z = y+g, z+g
	}
	switch {
	case nat < width && last:
		return 0 // the last line (or one ended by a line break) is set ragged
	case nat < width && y <= 0:
		// No space to stretch: a line of pieces of a long URL is set
		// ragged at the cost of a loose one; a lone short word is not
		// allowed.
		if p.cuts[b]-p.cuts[a] > 0 || nat > 0.85*width {
			return (width - nat) / (0.1 * width)
		}
		return math.Inf(1)
	case nat < width:
		return (width - nat) / y
	case nat > width && z <= 0:
		return math.Inf(-1)
	case nat > width:
		return (width - nat) / z
	}
	return 0
}

// breakAt considers a break after word b-1 from every active node, and
// returns the active nodes that stay: those a later break can still use,
// and the best new node of each fitness class. After a forced break only
// the new nodes stay.
func (p *paragraph) breakAt(active []*kpNode, b int, width, tol float64, forced bool, penalty float64) []*kpNode {
	hyph := p.ws[b-1].hyph
	last := b == len(p.ws)
	var best [4][2]*kpNode // by fitness, and whether the line ends with a hyphen
	var keep []*kpNode
	for _, a := range active {
		r := p.ratio(a.pos, b, width, forced)
		if r < -1 {
			continue // too tight: no later break can use this node either
		}
		keep = append(keep, a)
		if r > tol || hyph && a.hyphens >= maxHyphenRun {
			continue
		}
		bad := 100 * math.Pow(math.Abs(r), 3)
		d := math.Pow(linePenalty+bad, 2) + penalty*penalty
		fit := fitness(r)
		if a.line > 0 && abs(fit-a.fitness) > 1 {
			d += fitnessDemerits
		}
		if a.hyphens > 0 && (hyph || last) {
			// Hyphens on two lines in a row, or on the last line but one.
			if hyph {
				d += doubleHyphenDemerits
			} else {
				d += finalHyphenDemerits
			}
		}
		d += a.demerits
		h := 0
		nd := &kpNode{pos: b, line: a.line + 1, fitness: fit, demerits: d, prev: a}
		if hyph {
			h, nd.hyphens = 1, a.hyphens+1
		}
		if best[fit][h] == nil || d < best[fit][h].demerits {
			best[fit][h] = nd
		}
	}
	if forced {
		keep = keep[:0]
	}
	for _, bs := range best {
		for _, nd := range bs {
			if nd != nil {
				keep = append(keep, nd)
			}
		}
	}
	return keep
}

// lines returns the lines of the active node at the paragraph's end with
// the least demerits.
func (p *paragraph) lines(active []*kpNode) ([]lineSpan, bool) {
	n := len(p.ws)
	var end *kpNode
	for _, a := range active {
		if a.pos == n && (end == nil || a.demerits < end.demerits) {
			end = a
		}
	}
	if end == nil {
		return nil, false
	}
	var lines []lineSpan
	for nd := end; nd.prev != nil; nd = nd.prev {
		lines = append(lines, lineSpan{from: nd.prev.pos, to: nd.pos, justify: nd.pos < n && !p.ws[nd.pos-1].brk})
	}
	slices.Reverse(lines)
	return lines, true
}

// fitness classes: very loose, loose, decent, tight.
func fitness(r float64) int {
	switch {
	case r > 1:
		return 0
	case r > 0.5:
		return 1
	case r >= -0.5:
		return 2
	}
	return 3
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// hyphenate splits the words of a paragraph where a line may break inside
// them: at hyphenation points (h may be nil: no hyphenation), after a
// hyphen a word holds, and in inline code after . / _ and :. Pieces of a
// split word have no space between them, so a line that does not break
// there sets the word whole.
func hyphenate(ws []word, h *hyphen.Hyphenator) []word {
	var out []word
	for _, w := range ws {
		points, code := breakPoints(w, h)
		if len(points) == 0 {
			out = append(out, w)
			continue
		}
		text := wordText(w)
		// Cut from the end, so the offsets before stay right.
		var tails []word
		for i := len(points) - 1; i >= 0; i-- {
			pi, off := pieceAt(w, points[i])
			head, tail := cutWord(w, pi, off)
			if len(head.pieces) == 0 || len(tail.pieces) == 0 {
				continue
			}
			head.hasSpace, head.space, head.brk, head.notes = false, 0, false, nil
			switch {
			case code:
				head.cut = true
			case text[points[i]-1] == '-':
				head.hyph = true // the word's own hyphen ends the line
			default:
				last := head.pieces[len(head.pieces)-1].st
				head.hyph, head.addHyphen = true, true
				head.hyphenW = measure(last.Face, last.Size, "-")
			}
			tails = append(tails, tail)
			w = head
		}
		out = append(out, w)
		for i := len(tails) - 1; i >= 0; i-- {
			out = append(out, tails[i])
		}
	}
	return out
}

// breakPoints returns the byte offsets, in the text of w, where a line may
// break inside it, and whether it is inline code.
func breakPoints(w word, h *hyphen.Hyphenator) ([]int, bool) {
	if len(w.pieces) == 0 || w.cut {
		return nil, false
	}
	text := wordText(w)
	code := true
	for _, p := range w.pieces {
		code = code && p.st.Code
	}
	var points []int
	switch {
	case code:
		// Inline code: after . / _ : - and a comma (a module's dots, a
		// path's slashes, an arity's slash), and between the words of a
		// CamelCase name, with two characters on each side.
		n := utf8.RuneCountInString(text)
		k := 0
		prev := rune(0)
		for i, r := range text {
			k++
			switch {
			case strings.ContainsRune("./_:-,", r) && k >= 2 && n-k >= 2 && (r == '/' || r == '.' || unicode.IsLetter(prev) || unicode.IsDigit(prev)):
				points = append(points, i+utf8.RuneLen(r))
			case unicode.IsUpper(r) && unicode.IsLower(prev) && k >= 4 && n-k >= 2:
				points = append(points, i)
			}
			prev = r
		}
		return points, true
	case strings.ContainsAny(text, "/@") || strings.Contains(text, "://"):
		return nil, false // addresses and paths: broken at their punctuation when long
	}
	for _, p := range w.pieces {
		if p.st.Code || p.st.URL != "" || p.st.Rise != 0 {
			return nil, false
		}
	}
	// A word's own hyphen is a break after it; the parts between are
	// hyphenated on their own.
	start := 0
	for start < len(text) {
		end := len(text)
		if i := strings.IndexByte(text[start:], '-'); i >= 0 {
			end = start + i + 1
		}
		part := strings.TrimSuffix(text[start:end], "-")
		for _, pt := range h.Points(part) {
			points = append(points, start+pt)
		}
		if end < len(text) && end-start > 2 && len(text)-end > 2 {
			points = append(points, end)
		}
		start = end
	}
	return points, false
}

// wordText returns the text of a word's pieces.
func wordText(w word) string {
	if len(w.pieces) == 1 {
		return w.pieces[0].text
	}
	var b strings.Builder
	for _, p := range w.pieces {
		b.WriteString(p.text)
	}
	return b.String()
}

// pieceAt returns the piece and the byte offset in it of a byte offset in
// the word's text.
func pieceAt(w word, off int) (int, int) {
	for i, p := range w.pieces {
		if off < len(p.text) {
			return i, off
		}
		off -= len(p.text)
	}
	return len(w.pieces), 0
}

// expandable returns the width of the pieces of w whose glyphs may widen or
// narrow: text, not code.
func expandable(w word) float64 {
	g := 0.0
	for _, p := range w.pieces {
		if !p.st.Code {
			g += p.w
		}
	}
	return g
}
