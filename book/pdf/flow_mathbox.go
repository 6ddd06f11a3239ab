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
	b.place(k, x, y)
	b.text += k.text
}

// place places k in b as add does, without its text: for a caller that
// collects the text of many boxes.
func (b *mbox) place(k *mbox, x, y float64) {
	for _, op := range k.ops {
		shiftOp(op, x, y)
	}
	b.ops = append(b.ops, k.ops...)
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
		if _, ok := n.(*tex.Ident); ok && b.glyph {
			// A letter that leans out of its box keeps its italic
			// correction: f(x) (rule 17).
			b.w += b.italic
		}
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
	var text strings.Builder
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
		b.place(a.box, x, 0)
		text.WriteString(a.box.text)
		x += a.box.w
		b.h = max(b.h, a.box.h)
		b.d = max(b.d, a.box.d)
		b.italic = a.box.italic
	}
	b.w = x
	b.text = text.String()
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
			a.box = ml.attach(a.box, a.scripts, st, false, 0)
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
