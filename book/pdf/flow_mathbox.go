package pdf

import (
	"strings"
	"unicode"

	"github.com/bindery-books/bindery/book/font"
	"github.com/bindery-books/bindery/book/tex"
)

// Display math is set the way TeX sets a formula (The TeXbook, appendix
// G): each node of the formula's tree becomes a box with a width, a height
// above its baseline and a depth below it; boxes are put side by side with
// the space TeX's table puts between atoms, stacked for fractions and
// limits, raised and lowered for scripts, in display, text, script and
// scriptscript style. Rules, radical signs and large delimiters are drawn
// as paths; characters are text.

// mbox is a box of math: its ops are placed relative to its origin, the
// left end of its baseline, with y growing downwards.
type mbox struct {
	w, h, d float64
	ops     []Op
	// text is what the box shows, in reading order: its characters and
	// the characters its drawn delimiters and accents stand for.
	text string
	// italic is the italic correction of the box's last glyph.
	italic float64
	// glyph says the box is a single character (TeX's character box),
	// whose scripts go at fixed shifts.
	glyph bool
	// inkL and inkR are the horizontal extent of a glyph's outline.
	inkL, inkR float64
}

// add places k in b with its origin at x, y of b, and takes its text. It
// does not change b's dimensions.
func (b *mbox) add(k *mbox, x, y float64) {
	for _, op := range k.ops {
		shiftOp(op, x, y)
	}
	b.ops = append(b.ops, k.ops...)
	b.text += k.text
	k.ops = nil
}

// kern returns an empty box w wide.
func kern(w float64) *mbox { return &mbox{w: w} }

// mstyle is TeX's math style: display, text, script or scriptscript, and
// whether it is cramped (superscripts lower, as under a root or a bar).
type mstyle struct {
	level   int // 0 display, 1 text, 2 script, 3 scriptscript
	cramped bool
}

var (
	displayStyle = mstyle{level: 0}
	textStyle    = mstyle{level: 1}
)

// styleScale is the size of each style's type, relative to the text.
var styleScale = [4]float64{1, 1, 0.7, 0.5}

func (s mstyle) display() bool { return s.level == 0 }

// script is the style of a superscript: script after display and text,
// scriptscript after that.
func (s mstyle) script() mstyle {
	return mstyle{level: max(2, min(3, s.level+1)), cramped: s.cramped}
}

// sub is the style of a subscript: a cramped script style.
func (s mstyle) sub() mstyle { return mstyle{level: s.script().level, cramped: true} }

// num is the style of a numerator: one step smaller.
func (s mstyle) num() mstyle { return mstyle{level: min(3, s.level+1), cramped: s.cramped} }

// den is the style of a denominator: a numerator's, cramped.
func (s mstyle) den() mstyle { return mstyle{level: s.num().level, cramped: true} }

func (s mstyle) cramp() mstyle { s.cramped = true; return s }

// atomClass is the class of an atom, which sets the space around it.
type atomClass int

const (
	ordAtom atomClass = iota
	opAtom
	binAtom
	relAtom
	openAtom
	closeAtom
	punctAtom
	innerAtom
)

// atomSpace is TeX's table of the space between atoms (The TeXbook,
// chapter 18): 1 a thin space, 2 a medium space, 3 a thick space;
// negative entries apply in display and text style only.
var atomSpace = [8][8]int8{
	//           ord op bin rel open close punct inner
	ordAtom:   {0, 1, -2, -3, 0, 0, 0, -1},
	opAtom:    {1, 1, 0, -3, 0, 0, 0, -1},
	binAtom:   {-2, -2, 0, 0, -2, 0, 0, -2},
	relAtom:   {-3, -3, 0, 0, -3, 0, 0, -3},
	openAtom:  {0, 0, 0, 0, 0, 0, 0, 0},
	closeAtom: {0, 1, -2, -3, 0, 0, 0, -1},
	punctAtom: {-1, -1, 0, -1, -1, -1, -1, -1},
	innerAtom: {-1, 1, -2, -3, -1, 0, -1, -1},
}

// muSkips are the thin, medium and thick spaces in mu (1/18 em).
var muSkips = [4]float64{0, 3, 4, 5}

// mathLayout sets formulas: size is the text size, the size of display
// and text style.
type mathLayout struct {
	size  float64
	color rgb
	k     *mathConstants
	warn  func(format string, args ...any)
}

func newMathLayout(size float64, color rgb, warn func(string, ...any)) *mathLayout {
	if warn == nil {
		warn = func(string, ...any) {}
	}
	return &mathLayout{size: size, color: color, k: mathK(), warn: warn}
}

// em returns the size of a style's type.
func (ml *mathLayout) em(st mstyle) float64 { return ml.size * styleScale[st.level] }

// glyphs sets s in face f at size, each character from the first face of
// the fallback chain that has it.
func (ml *mathLayout) glyphs(s string, f font.Face, size float64) *mbox {
	b := &mbox{text: s}
	var run strings.Builder
	var runFace font.Face
	runX, pen, n := 0.0, 0.0, 0
	flush := func() {
		if run.Len() > 0 {
			b.ops = append(b.ops, &textOp{X: runX, Face: runFace, Size: size, Color: ml.color, S: run.String()})
			run.Reset()
		}
	}
	for _, r := range s {
		if ignorable(r) {
			continue
		}
		g, ok := faceFor(f, r)
		if !ok {
			if sub, subOK := substitute(r); subOK {
				r = sub
				g, ok = faceFor(f, r)
			}
		}
		if !ok {
			ml.warn("character U+%04X %q is in none of the book's fonts: set as %c", r, string(r), placeholder)
			g, _ = font.Fallback(font.Face{Family: font.Sans}, placeholder)
			r = placeholder
		}
		gi := inkOf(g, r)
		if n == 0 || pen+gi.x0*size < b.inkL {
			b.inkL = pen + gi.x0*size
		}
		b.inkR = max(b.inkR, pen+gi.x1*size)
		n++
		if r > 0xffff {
			// A text operation cannot set it: draw its outline.
			flush()
			if p := glyphPath(g, r, size, pen, 0, ml.color); p != nil {
				b.ops = append(b.ops, p)
			}
		} else {
			if g != runFace || run.Len() == 0 {
				flush()
				runFace, runX = g, pen
			}
			run.WriteRune(r)
		}
		pen += measure(g, size, string(r))
		b.h = max(b.h, gi.top*size)
		b.d = max(b.d, -gi.bottom*size)
		b.italic = 0
		if g.Style == font.Italic || g.Style == font.BoldItalic {
			b.italic = max(0, gi.x1-gi.adv) * size
		}
	}
	flush()
	b.w = pen
	b.glyph = n == 1
	return b
}

// variantFace returns the face of a letter in a MathML variant.
func variantFace(v string) font.Face {
	switch v {
	case "bold":
		return font.Face{Family: font.Serif, Style: font.Bold}
	case "bold-italic":
		return font.Face{Family: font.Serif, Style: font.BoldItalic}
	case "italic":
		return serifItal
	case "sans-serif":
		return sans
	case "monospace":
		return mono
	}
	return serif
}

// alphabets are the double-struck, script and fraktur letters: Unicode's
// mathematical alphanumerics, with the holes its letterlike block fills.
var alphabets = map[string]struct {
	upper, lower rune
	holes        map[rune]rune
}{
	"double-struck": {0x1d538, 0x1d552, map[rune]rune{'C': 'ℂ', 'H': 'ℍ', 'N': 'ℕ', 'P': 'ℙ', 'Q': 'ℚ', 'R': 'ℝ', 'Z': 'ℤ'}},
	"script": {0x1d49c, 0x1d4b6, map[rune]rune{'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ',
		'e': 'ℯ', 'g': 'ℊ', 'o': 'ℴ'}},
	"fraktur": {0x1d504, 0x1d51e, map[rune]rune{'C': 'ℭ', 'H': 'ℌ', 'I': 'ℑ', 'R': 'ℜ', 'Z': 'ℨ'}},
}

// alphabet maps a Latin letter to its letter in a mathematical alphabet,
// or returns it unchanged when the Math face has none.
func alphabet(v string, r rune) rune {
	a, ok := alphabets[v]
	if !ok || r > unicode.MaxASCII || !unicode.IsLetter(r) {
		return r
	}
	m, ok := a.holes[r]
	switch {
	case ok:
	case r >= 'A' && r <= 'Z':
		m = a.upper + r - 'A'
	default:
		m = a.lower + r - 'a'
	}
	if !mathFace.Has(m) {
		return r
	}
	return m
}

// ident sets an identifier: italic for letters, upright for symbols and
// capital Greek, in its variant's face or mathematical alphabet.
func (ml *mathLayout) ident(n *tex.Ident, st mstyle) *mbox {
	size := ml.em(st)
	switch n.Variant {
	case "":
		r := []rune(n.Text)
		if len(r) > 0 && unicode.IsLetter(r[0]) {
			return ml.glyphs(n.Text, serifItal, size)
		}
		return ml.glyphs(n.Text, opFace(r[0]), size)
	case "double-struck", "script", "fraktur":
		var s strings.Builder
		for _, r := range n.Text {
			s.WriteRune(alphabet(n.Variant, r))
		}
		b := ml.glyphs(s.String(), mathFace, size)
		b.text = n.Text // the letter it stands for, as MathML has it
		return b
	}
	return ml.glyphs(n.Text, variantFace(n.Variant), size)
}

// symbol sets an operator's characters in the Math face or serif.
func (ml *mathLayout) symbol(s string, size float64) *mbox {
	f := serif
	for _, r := range s {
		f = opFace(r)
		break
	}
	return ml.glyphs(s, f, size)
}

// classOf maps a tex operator class to an atom class.
func classOf(c tex.Class) atomClass {
	switch c {
	case tex.Bin:
		return binAtom
	case tex.Rel:
		return relAtom
	case tex.Large:
		return opAtom
	case tex.Open:
		return openAtom
	case tex.Close:
		return closeAtom
	case tex.Punct:
		return punctAtom
	}
	return ordAtom
}

// node sets one node of a formula and says what class of atom it is.
func (ml *mathLayout) node(n tex.Node, st mstyle) (*mbox, atomClass) {
	switch n := n.(type) {
	case nil:
		return &mbox{}, ordAtom
	case *tex.Row:
		return ml.row(n.Items, st, false), ordAtom
	case *tex.Ident:
		return ml.ident(n, st), ordAtom
	case *tex.Number:
		b := ml.glyphs(n.Text, serif, ml.em(st))
		b.glyph = true
		return b, ordAtom
	case *tex.Op:
		if n.Class == tex.Large {
			return ml.largeOp(n, st), opAtom
		}
		if n.Stretchy {
			return ml.delimiter(n.Text, 0, st), classOf(n.Class)
		}
		return ml.symbol(n.Text, ml.em(st)), classOf(n.Class)
	case *tex.Func:
		b := ml.glyphs(n.Name, serif, ml.em(st))
		b.glyph = false
		return b, opAtom
	case *tex.Text:
		b := ml.glyphs(n.Text, variantFace(n.Variant), ml.em(st))
		b.glyph = false
		return b, ordAtom
	case *tex.Space:
		return kern(n.Em * ml.em(st)), ordAtom
	case *tex.Scripts:
		return ml.scripts(n, st)
	case *tex.Frac:
		return ml.frac(n, st), innerAtom
	case *tex.Sqrt:
		return ml.sqrt(n, st), ordAtom
	case *tex.Accent:
		return ml.accent(n, st), ordAtom
	case *tex.Table:
		if open, close := tex.Fences(n.Env); open != "" || close != "" {
			return ml.fenced(ml.table(n, st), open, close, st), innerAtom
		}
		return ml.table(n, st), ordAtom
	case *tex.Unknown:
		b := ml.glyphs(`\`+n.Name, serif, ml.em(st))
		b.glyph = false
		return b, ordAtom
	}
	return &mbox{}, ordAtom
}

// mathAtom is an item of a row being set: a box and its class, an explicit
// space, or a stretchy delimiter sized when its partner is found.
type mathAtom struct {
	box   *mbox
	class atomClass
	space bool
	// delim is the character of a delimiter that stretches to what it
	// encloses; scripts are scripts set on it.
	delim   string
	scripts *tex.Scripts
	// plain is the character of a plain closing delimiter, which may
	// turn out to be a \right.
	plain string
	// side is 1 for a \left and -1 for a \right: with what they enclose
	// they make an inner atom, spaced as one from what is outside.
	side int8
}

// before and after are the classes an atom has for the atoms before it
// and after it: a \left is inner to what precedes it, a \right to what
// follows.
func (a *mathAtom) before() atomClass {
	if a.side > 0 {
		return innerAtom
	}
	return a.class
}

func (a *mathAtom) after() atomClass {
	if a.side < 0 {
		return innerAtom
	}
	return a.class
}

// fence is an open delimiter waiting for its partner, with the height
// and depth of what follows it.
type fence struct {
	at       int
	stretchy bool
	h, d     float64
	seen     bool
}

func (f *fence) grow(h, d float64) {
	f.h, f.d = max(f.h, h), max(f.d, d)
	f.seen = true
}

// row sets a list of nodes side by side with TeX's spacing. lead adds an
// empty ordinary atom before the first (amsmath's {} in the second
// column of an alignment, so a leading = is spaced).
func (ml *mathLayout) row(items []tex.Node, st mstyle, lead bool) *mbox {
	atoms := make([]mathAtom, 0, len(items))
	for _, n := range items {
		switch n := n.(type) {
		case *tex.Space:
			atoms = append(atoms, mathAtom{box: kern(n.Em * ml.em(st)), space: true})
			continue
		case *tex.Op:
			if n.Stretchy && n.Class != tex.Large {
				atoms = append(atoms, mathAtom{delim: n.Text, class: classOf(n.Class)})
				continue
			}
		case *tex.Scripts:
			if o, ok := n.Base.(*tex.Op); ok && o.Stretchy && o.Class != tex.Large {
				atoms = append(atoms, mathAtom{delim: o.Text, class: classOf(o.Class), scripts: n})
				continue
			}
			// \right|_{x=0} at the top of a formula leaves its scripts on
			// an empty base: they belong to the delimiter before them.
			if r, ok := n.Base.(*tex.Row); ok && len(r.Items) == 0 && len(atoms) > 0 {
				if p := &atoms[len(atoms)-1]; p.delim != "" && p.scripts == nil {
					p.scripts = n
					continue
				}
			}
		}
		b, c := ml.node(n, st)
		a := mathAtom{box: b, class: c}
		switch n := n.(type) {
		case *tex.Op:
			if n.Class == tex.Close {
				a.plain = n.Text
			}
		case *tex.Scripts:
			if o, ok := n.Base.(*tex.Op); ok && o.Class == tex.Close {
				a.plain, a.scripts = o.Text, n
			}
		}
		atoms = append(atoms, a)
	}
	ml.sizeDelimiters(atoms, st)

	// Binary operators with nothing to operate on are ordinary (The
	// TeXbook, appendix G, rules 5 and 6).
	last := -1
	for i := range atoms {
		a := &atoms[i]
		if a.space {
			continue
		}
		if a.class == binAtom {
			if last < 0 && !lead {
				a.class = ordAtom
			} else if last >= 0 {
				switch atoms[last].after() {
				case binAtom, opAtom, relAtom, openAtom, punctAtom:
					a.class = ordAtom
				}
			}
		}
		if last >= 0 && atoms[last].class == binAtom {
			switch a.before() {
			case relAtom, closeAtom, punctAtom:
				atoms[last].class = ordAtom
			}
		}
		last = i
	}
	if last >= 0 && atoms[last].class == binAtom {
		atoms[last].class = ordAtom
	}
	b := &mbox{}
	prev := -1 // class of the atom before, -1 at the start
	if lead {
		prev = int(ordAtom)
	}
	x := 0.0
	for i := range atoms {
		a := &atoms[i]
		if !a.space {
			if prev >= 0 {
				x += ml.atomGap(atomClass(prev), a.before(), st)
			}
			prev = int(a.after())
		}
		b.add(a.box, x, 0)
		x += a.box.w
		b.h = max(b.h, a.box.h)
		b.d = max(b.d, a.box.d)
		b.italic = a.box.italic
	}
	b.w = x
	if len(atoms) == 1 {
		b.glyph = atoms[0].box.glyph
		b.inkL, b.inkR = atoms[0].box.inkL, atoms[0].box.inkR
	}
	return b
}

// atomGap returns the space between atoms of classes l and r.
func (ml *mathLayout) atomGap(l, r atomClass, st mstyle) float64 {
	s := atomSpace[l][r]
	if s < 0 {
		if st.level > 1 {
			return 0
		}
		s = -s
	}
	return muSkips[s] / 18 * ml.em(st)
}

// sizeDelimiters makes the boxes of a row's stretchy delimiters, each
// tall enough for what it encloses: from \left to its \right, or to the
// row's end or start when one of them is missing. A plain closing
// delimiter that closes a \left is its \right: the parser sets \right
// inside a group as a plain character.
func (ml *mathLayout) sizeDelimiters(atoms []mathAtom, st mstyle) {
	outer := &fence{at: -1}
	stack := []*fence{outer}
	top := func() *fence { return stack[len(stack)-1] }
	// set makes the delimiter at i cover f's content.
	set := func(i int, f *fence, side int8) {
		a := &atoms[i]
		h, d := f.h, f.d
		if !f.seen {
			h, d = -1, -1
		}
		a.box = ml.delimiterFor(a.delim, h, d, st)
		a.side = side
		if a.scripts != nil {
			a.box = ml.attach(a.box, a.scripts, st, false)
		}
	}
	// end closes the fence on top with the atom at i, if any, and adds
	// what it enclosed to the fence around it.
	end := func(i int) {
		f := top()
		stack = stack[:len(stack)-1]
		if f.stretchy {
			set(f.at, f, 1)
		}
		if i >= 0 && atoms[i].delim != "" {
			set(i, f, -1)
		}
		h, d := max(f.h, atoms[f.at].box.h), max(f.d, atoms[f.at].box.d)
		if i >= 0 {
			h, d = max(h, atoms[i].box.h), max(d, atoms[i].box.d)
		}
		top().grow(h, d)
	}
	for i := range atoms {
		a := &atoms[i]
		if a.space {
			continue
		}
		t := top()
		inner := len(stack) > 1
		switch {
		case a.delim != "" && a.class == openAtom:
			stack = append(stack, &fence{at: i, stretchy: true})
		case a.delim != "" && a.class == closeAtom && !inner:
			// A \right with no \left covers what comes before it.
			set(i, outer, -1)
			outer.grow(a.box.h, a.box.d)
		case a.delim != "" && a.class == closeAtom:
			end(i)
		case a.delim != "" && inner && t.stretchy && atoms[t.at].delim == a.delim:
			end(i) // | … |: the second bar closes the first
		case a.delim != "":
			stack = append(stack, &fence{at: i, stretchy: true})
		case a.class == openAtom:
			stack = append(stack, &fence{at: i})
		case a.class == closeAtom && inner:
			if t.stretchy && a.plain != "" {
				a.delim = a.plain
			}
			end(i)
		default:
			t.grow(a.box.h, a.box.d)
		}
	}
	for len(stack) > 1 {
		t := top()
		if t.stretchy && !t.seen && atoms[t.at].class != openAtom {
			// A bar with nothing after it ends what came before:
			// \left. … \right|.
			stack = stack[:len(stack)-1]
			set(t.at, top(), -1)
			top().grow(atoms[t.at].box.h, atoms[t.at].box.d)
			continue
		}
		end(-1)
	}
}

// delimiterFor returns a delimiter that covers h above and d below the
// baseline, centred on the axis as TeX sizes \left and \right (delimiter
// factor 901, shortfall 5 pt); negative h means nothing to cover.
func (ml *mathLayout) delimiterFor(s string, h, d float64, st mstyle) *mbox {
	if h < 0 {
		return ml.delimiter(s, 0, st)
	}
	em := ml.em(st)
	a := ml.k.AxisHeight * em
	delta := max(h-a, d+a)
	return ml.delimiter(s, max(2*delta*0.901, 2*delta-0.5*em), st)
}

// largeOp sets a large operator centred on the axis: bigger in display
// style, as TeX takes the display size from the font's variants.
func (ml *mathLayout) largeOp(n *tex.Op, st mstyle) *mbox {
	size := ml.em(st)
	if st.display() {
		size *= 1.4
	}
	g := ml.glyphs(n.Text, mathFace, size)
	if g.w == 0 {
		return g
	}
	shift := (g.h-g.d)/2 - ml.k.AxisHeight*ml.em(st)
	b := &mbox{w: g.w, h: g.h - shift, d: g.d + shift, inkL: g.inkL, inkR: g.inkR}
	if integral(n.Text) {
		// An integral leans: its upper limit goes further right.
		b.italic = 0.3 * (g.inkR - g.inkL)
	}
	b.add(g, 0, shift)
	return b
}

// integral reports whether s is an integral sign.
func integral(s string) bool {
	for _, r := range s {
		return r >= '∫' && r <= '∳' || r >= '⨋' && r <= '⨜'
	}
	return false
}

// takesLimits reports whether a base sets its scripts above and below.
func takesLimits(n tex.Node, st mstyle) bool {
	if !st.display() {
		return false
	}
	switch n := n.(type) {
	case *tex.Op:
		return n.Limits
	case *tex.Func:
		return n.Limits
	}
	return false
}

// scripts sets a base with its scripts: above and below a large operator
// in display style, beside it otherwise.
func (ml *mathLayout) scripts(n *tex.Scripts, st mstyle) (*mbox, atomClass) {
	base, class := ml.node(n.Base, st)
	if takesLimits(n.Base, st) {
		return ml.limits(base, n, st), class
	}
	char := base.glyph
	if o, ok := n.Base.(*tex.Op); ok && o.Class == tex.Large {
		char = false
	}
	return ml.attach(base, n, st, char), class
}

// attach sets scripts beside base (The TeXbook, appendix G, rule 18;
// OpenType's constants). char says base is a single character, whose
// scripts go at the font's fixed shifts; other bases carry them from their
// top and bottom.
func (ml *mathLayout) attach(base *mbox, n *tex.Scripts, st mstyle, char bool) *mbox {
	k, em := ml.k, ml.em(st)
	var sup, sub *mbox
	if n.Sup != nil {
		sup, _ = ml.node(n.Sup, st.script())
	}
	if n.Sub != nil {
		sub, _ = ml.node(n.Sub, st.sub())
	}
	scriptEm := ml.em(st.script())
	u, v := 0.0, 0.0
	if !char {
		u = base.h - k.SupBaselineDropMax*scriptEm
		v = base.d + k.SubBaselineDropMin*scriptEm
	}
	if sup != nil {
		p := k.SupShiftUp
		if st.cramped {
			p = k.SupShiftUpCramped
		}
		u = max(u, p*em, sup.d+k.SupBottomMin*em)
	}
	if sub != nil {
		v = max(v, k.SubShiftDown*em)
		if sup == nil {
			v = max(v, sub.h-k.SubTopMax*em)
		}
	}
	if sup != nil && sub != nil {
		if gap := (u - sup.d) - (sub.h - v); gap < k.SubSupGapMin*em {
			v += k.SubSupGapMin*em - gap
		}
		if psi := k.SupBottomMaxWithSub*em - (u - sup.d); psi > 0 {
			u += psi
			v -= psi
		}
	}
	b := &mbox{h: base.h, d: base.d, inkL: base.inkL, inkR: base.inkR}
	w := base.w
	b.add(base, 0, 0)
	end := w
	if sub != nil {
		// A leaning integral tucks its subscript in.
		x := w - base.italic*0.5
		if char {
			x = w
		}
		b.add(sub, x, v)
		b.d = max(b.d, v+sub.d)
		b.h = max(b.h, sub.h-v)
		end = max(end, x+sub.w)
	}
	if sup != nil {
		x := w + base.italic
		if !char {
			x = w + base.italic*0.5
		}
		b.add(sup, x, -u)
		b.h = max(b.h, u+sup.h)
		b.d = max(b.d, sup.d-u)
		end = max(end, x+sup.w)
	}
	b.w = end + k.SpaceAfterScript*em
	return b
}

// limits sets scripts above and below a large operator or a \lim-like
// function in display style (rule 13a).
func (ml *mathLayout) limits(base *mbox, n *tex.Scripts, st mstyle) *mbox {
	k, em := ml.k, ml.em(st)
	var sup, sub *mbox
	w := base.w
	if n.Sup != nil {
		sup, _ = ml.node(n.Sup, st.script())
		w = max(w, sup.w)
	}
	if n.Sub != nil {
		sub, _ = ml.node(n.Sub, st.sub())
		w = max(w, sub.w)
	}
	// TeX's big_op_spacing5: a little room above and below the limits.
	extra := 0.1 * em
	b := &mbox{w: w, h: base.h, d: base.d}
	delta := base.italic
	b.add(base, (w-base.w)/2, 0)
	if sub != nil {
		shift := base.d + max(k.LowerLimitGapMin*em+sub.h, k.LowerLimitBaselineDropMin*em)
		b.add(sub, (w-sub.w)/2-delta/2, shift)
		b.d = shift + sub.d + extra
	}
	if sup != nil {
		shift := base.h + max(k.UpperLimitGapMin*em+sup.d, k.UpperLimitBaselineRiseMin*em)
		b.add(sup, (w-sup.w)/2+delta/2, -shift)
		b.h = shift + sup.h + extra
	}
	return b
}

// frac sets a fraction: numerator over denominator, centred, with a rule
// on the axis between them (rule 15); a binomial without the rule, in
// parentheses.
func (ml *mathLayout) frac(n *tex.Frac, st mstyle) *mbox {
	k, em := ml.k, ml.em(st)
	num, _ := ml.node(n.Num, st.num())
	den, _ := ml.node(n.Den, st.den())
	a := k.AxisHeight * em
	theta := k.FracRule * em
	var u, v float64
	if n.Binom {
		gap := k.StackGapMin * em
		u, v = k.StackTopShiftUp*em, k.StackBottomShiftDown*em
		if st.display() {
			gap = k.StackDisplayGapMin * em
			u, v = k.StackTopDisplayShiftUp*em, k.StackBottomDisplayShiftDown*em
		}
		if clr := (u - num.d) - (den.h - v); clr < gap {
			u += (gap - clr) / 2
			v += (gap - clr) / 2
		}
	} else {
		gapN, gapD := k.FracNumGapMin*em, k.FracDenGapMin*em
		u, v = k.FracNumShiftUp*em, k.FracDenShiftDown*em
		if st.display() {
			gapN, gapD = k.FracNumDisplayGapMin*em, k.FracDenDisplayGapMin*em
			u, v = k.FracNumDisplayShiftUp*em, k.FracDenDisplayShiftDown*em
		}
		if clr := (u - num.d) - (a + theta/2); clr < gapN {
			u += gapN - clr
		}
		if clr := (a - theta/2) - (den.h - v); clr < gapD {
			v += gapD - clr
		}
	}
	// TeX's null delimiters: a little room either side.
	pad := 0.12 * em
	w := max(num.w, den.w)
	b := &mbox{w: w + 2*pad, h: u + num.h, d: v + den.d}
	b.add(num, pad+(w-num.w)/2, -u)
	b.add(den, pad+(w-den.w)/2, v)
	if n.Binom {
		return ml.fenced(b, "(", ")", st)
	}
	b.ops = append(b.ops, &lineOp{X1: pad, Y1: -a, X2: pad + w, Y2: -a, Color: ml.color, W: theta})
	b.h = max(b.h, a+theta/2)
	b.d = max(b.d, theta/2-a)
	return b
}

// fenced puts b between delimiters tall enough for it.
func (ml *mathLayout) fenced(b *mbox, open, close string, st mstyle) *mbox {
	out := &mbox{}
	x := 0.0
	if open != "" {
		o := ml.delimiterFor(open, b.h, b.d, st)
		out.add(o, 0, 0)
		out.h, out.d = max(out.h, o.h), max(out.d, o.d)
		x = o.w
	}
	out.add(b, x, 0)
	out.h, out.d = max(out.h, b.h), max(out.d, b.d)
	x += b.w
	if close != "" {
		c := ml.delimiterFor(close, b.h, b.d, st)
		out.add(c, x, 0)
		out.h, out.d = max(out.h, c.h), max(out.d, c.d)
		x += c.w
	}
	out.w = x
	return out
}

// sqrt sets a root: the radical sign drawn as tall as the radicand with a
// vinculum over it (rule 11), and the index raised in its crook.
func (ml *mathLayout) sqrt(n *tex.Sqrt, st mstyle) *mbox {
	k, em := ml.k, ml.em(st)
	body, _ := ml.node(n.Body, st.cramp())
	theta := k.RadicalRule * em
	gap := max(k.RadicalGap*em, 1.25*theta)
	if st.display() {
		gap = max(k.RadicalDisplayGap*em, theta+k.XHeight*em/4)
	}
	top := max(body.h, k.XHeight*em) + gap + theta
	bottom := max(body.d, 0.08*em) + 0.02*em
	sign := ml.radicalSign(top, bottom, body.w, em)

	b := &mbox{h: top + k.RadicalExtra*em, d: bottom}
	x := 0.0
	if n.Index != nil {
		idx, _ := ml.node(n.Index, mstyle{level: 3, cramped: true})
		before, after := k.RadicalKernBefore*em, k.RadicalKernAfter*em
		raise := k.RadicalDegreeRaise*(top+bottom) - bottom
		ix := before
		x = before + idx.w + after
		if x < 0 {
			ix -= x
			x = 0
		}
		b.add(idx, ix, -raise)
		b.h = max(b.h, raise+idx.h)
	}
	text := "√" + body.text
	if n.Index != nil {
		text += b.text // MathML's mroot: the radicand, then the index
	}
	b.add(sign, x, 0)
	b.add(body, x+sign.w, 0)
	b.w = x + sign.w + body.w
	b.text = text
	return b
}

// accentMarks are the characters accents stand for, as MathML writes
// them, and the glyphs of the Math face that draw them over one letter.
var accentMarks = map[string]struct{ text, glyph string }{
	"hat": {"^", "ˆ"}, "widehat": {"^", "ˆ"}, "bar": {"¯", "¯"}, "overline": {"¯", ""},
	"vec": {"→", "\u20d7"}, "overrightarrow": {"→", ""}, "tilde": {"~", "˜"}, "widetilde": {"~", "˜"},
	"dot": {"˙", "˙"}, "ddot": {"¨", "¨"}, "check": {"ˇ", "ˇ"}, "acute": {"´", "´"}, "grave": {"`", "`"},
	"breve": {"˘", "˘"}, "underline": {"_", ""},
}

// accent sets a mark over its base (rule 12): a glyph of the Math face
// centred over a single character and leaning with an italic one; over
// a wider base a rule, an arrow, or a hat or tilde drawn across it.
func (ml *mathLayout) accent(n *tex.Accent, st mstyle) *mbox {
	k, em := ml.k, ml.em(st)
	body, _ := ml.node(n.Body, st.cramp())
	mark := accentMarks[n.Name]
	b := &mbox{w: body.w, h: body.h, d: body.d, italic: body.italic}
	b.add(body, 0, 0)
	drawn := ""
	switch n.Name {
	case "underline":
		theta := k.UnderbarRule * em
		y := body.d + k.UnderbarGap*em + theta/2
		b.ops = append(b.ops, &lineOp{X1: 0, Y1: y, X2: body.w, Y2: y, Color: ml.color, W: theta})
		b.d = y + theta/2 + k.UnderbarExtra*em
	case "overline", "overrightarrow":
		drawn = n.Name
	case "bar", "vec":
		if !body.glyph {
			drawn = map[string]string{"bar": "overline", "vec": "overrightarrow"}[n.Name]
		}
	case "hat", "widehat", "tilde", "widetilde":
		if body.w > 1.2*em || !body.glyph && strings.HasPrefix(n.Name, "wide") {
			drawn = "wide" + strings.TrimPrefix(n.Name, "wide")
		}
	}
	switch {
	case n.Name == "underline":
	case drawn != "" || mark.glyph == "":
		ml.wideAccent(b, drawn, em)
	default:
		g := ml.glyphs(mark.glyph, mathFace, em)
		g.text = ""
		gi := inkOf(mathFace, []rune(mark.glyph)[0])
		centre := body.w / 2
		if body.inkR > body.inkL {
			centre = (body.inkL + body.inkR) / 2
		}
		if isItalic(n.Body) {
			centre += 0.12 * max(body.h, k.XHeight*em)
		}
		raise := max(0, body.h-k.AccentBaseHeight*em)
		b.add(g, centre-(gi.x0+gi.x1)/2*em, -raise)
		b.h = max(b.h, gi.top*em+raise)
	}
	b.text += mark.text
	return b
}

// isItalic reports whether n sets an italic letter.
func isItalic(n tex.Node) bool {
	for {
		switch k := n.(type) {
		case *tex.Row:
			if len(k.Items) != 1 {
				return false
			}
			n = k.Items[0]
		case *tex.Ident:
			r := []rune(k.Text)
			return k.Variant == "" && len(r) > 0 && unicode.IsLetter(r[0]) || k.Variant == "italic"
		default:
			return false
		}
	}
}

// wideAccent draws an accent across the width of b: a bar, a hat or a
// tilde stretched, or an arrow.
func (ml *mathLayout) wideAccent(b *mbox, name string, em float64) {
	k := ml.k
	theta := k.OverbarRule * em
	top := max(b.h, k.XHeight*em) + k.OverbarGap*em
	x0, x1 := 0.04*em, b.w-0.02*em
	if x1-x0 < 0.3*em {
		x0, x1 = (b.w-0.3*em)/2, (b.w+0.3*em)/2
	}
	c := ml.color
	switch name {
	case "widehat", "widetilde":
		hh := min(0.28*em, 0.12*em+0.04*(x1-x0))
		yb := -top
		p := &pathOp{Stroke: &c, LineW: 0.045 * em}
		if name == "widehat" {
			p.Segs = []pathSeg{{Op: 'M', Pts: []float64{x0, yb}}, {Op: 'L', Pts: []float64{(x0 + x1) / 2, yb - hh}}, {Op: 'L', Pts: []float64{x1, yb}}}
		} else {
			hh *= 0.6
			w := x1 - x0
			p.Segs = []pathSeg{{Op: 'M', Pts: []float64{x0, yb - hh*0.3}},
				{Op: 'C', Pts: []float64{x0 + w*0.2, yb - hh*1.3, x0 + w*0.35, yb - hh*1.1, x0 + w*0.5, yb - hh*0.5}},
				{Op: 'C', Pts: []float64{x0 + w*0.65, yb + hh*0.1, x0 + w*0.8, yb + hh*0.3, x1, yb - hh*0.7}}}
		}
		b.ops = append(b.ops, p)
		b.h = max(b.h, top+hh+0.05*em)
	case "vec", "overrightarrow":
		y := -top - 0.1*em
		head := 0.16 * em
		p := &pathOp{Stroke: &c, LineW: 0.045 * em, Segs: []pathSeg{
			{Op: 'M', Pts: []float64{x0, y}}, {Op: 'L', Pts: []float64{x1, y}},
			{Op: 'M', Pts: []float64{x1 - head, y - head*0.6}}, {Op: 'L', Pts: []float64{x1, y}}, {Op: 'L', Pts: []float64{x1 - head, y + head*0.6}}}}
		b.ops = append(b.ops, p)
		b.h = max(b.h, top+0.1*em+head*0.6+0.05*em)
	default: // a bar: \overline, \bar over several letters
		y := -top - theta/2
		b.ops = append(b.ops, &lineOp{X1: 0, Y1: y, X2: b.w, Y2: y, Color: c, W: theta})
		b.h = max(b.h, top+theta+k.OverbarExtra*em)
	}
}

// tableStyle says how an environment sets its cells: their style, the
// alignment of each column (cycling), the space between columns in ems
// (cycling), how much taller than a plain row each row is, and whether
// even columns begin with an empty atom (the right side of an
// alignment).
type tableStyle struct {
	style   mstyle
	align   string
	gaps    []float64
	stretch float64
	jot     float64
	lead    bool
}

func tableStyleOf(env string) tableStyle {
	switch env {
	case "aligned", "align", "align*", "split", "alignat", "alignedat":
		return tableStyle{style: displayStyle, align: "rl", gaps: []float64{0, 2}, stretch: 1, jot: 0.3, lead: true}
	case "eqnarray":
		return tableStyle{style: displayStyle, align: "rcl", gaps: []float64{0.5}, stretch: 1, jot: 0.3}
	case "gathered", "gather", "gather*", "equation", "equation*":
		return tableStyle{style: displayStyle, align: "c", gaps: []float64{1}, stretch: 1, jot: 0.3}
	case "cases":
		return tableStyle{style: textStyle, align: "l", gaps: []float64{1}, stretch: 1.2}
	case "smallmatrix":
		return tableStyle{style: mstyle{level: 2}, align: "c", gaps: []float64{0.5}, stretch: 0.8}
	}
	return tableStyle{style: textStyle, align: "c", gaps: []float64{1}, stretch: 1}
}

// maxColumns bounds the columns of a table a formula may ask for.
const maxColumns = 1000

// tableRows sets the rows of a table, each a box as wide as the table
// with its cells in aligned columns; sep is the space between rows.
func (ml *mathLayout) tableRows(t *tex.Table, st mstyle) (rows []*mbox, sep float64) {
	ts := tableStyleOf(t.Env)
	cst := ts.style
	if st.level > cst.level {
		cst.level = st.level
	}
	em := ml.em(cst)
	ncol := 0
	for _, r := range t.Rows {
		ncol = max(ncol, min(len(r), maxColumns))
	}
	cells := make([][]*mbox, len(t.Rows))
	colW := make([]float64, ncol)
	for i, r := range t.Rows {
		cells[i] = make([]*mbox, ncol)
		for j, c := range r {
			if j >= ncol {
				break
			}
			cells[i][j] = ml.row(c.Items, cst, ts.lead && j%2 == 1)
			colW[j] = max(colW[j], cells[i][j].w)
		}
	}
	// A strut: rows are at least 1.2 ems apart, as TeX's \baselineskip.
	strutH, strutD := 0.84*em*ts.stretch, 0.36*em*ts.stretch
	for i := range cells {
		row := &mbox{h: strutH, d: strutD}
		x := 0.0
		for j, c := range cells[i] {
			if j > 0 {
				x += ts.gaps[(j-1)%len(ts.gaps)] * em
			}
			if c != nil {
				dx := 0.0
				switch ts.align[j%len(ts.align)] {
				case 'r':
					dx = colW[j] - c.w
				case 'c':
					dx = (colW[j] - c.w) / 2
				}
				row.add(c, x+dx, 0)
				row.h, row.d = max(row.h, c.h), max(row.d, c.d)
			}
			x += colW[j]
		}
		row.w = x
		rows = append(rows, row)
	}
	return rows, ts.jot * em
}

// table sets a matrix-like environment as one box, centred on the axis.
func (ml *mathLayout) table(t *tex.Table, st mstyle) *mbox {
	rows, sep := ml.tableRows(t, st)
	b := &mbox{}
	y := 0.0
	for i, r := range rows {
		if i > 0 {
			y += rows[i-1].d + sep
		}
		y += r.h
		b.add(r, 0, y)
		b.w = max(b.w, r.w)
	}
	total := y
	if n := len(rows); n > 0 {
		total += rows[n-1].d
	}
	// Centre the stack on the axis.
	a := ml.k.AxisHeight * ml.em(st)
	shift := total/2 + a
	for _, op := range b.ops {
		shiftOp(op, 0, -shift)
	}
	b.h = max(0, shift)
	b.d = max(0, total-shift)
	return b
}
