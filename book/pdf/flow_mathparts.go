package pdf

import (
	"strings"
	"unicode"

	"github.com/bindery-books/bindery/book/tex"
)

// The parts of a formula TeX builds from boxes (The TeXbook, appendix G):
// large operators and their limits, scripts, fractions, radicals and
// accents.

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
	// Italic correction moves a letter's superscript out from under
	// it; a leaning integral's subscript tucks in (rules 17, 18).
	char, delta := base.glyph, 0.0
	if base.glyph {
		delta = base.italic
	}
	if o, ok := n.Base.(*tex.Op); ok && o.Class == tex.Large {
		char, delta = false, base.italic
	}
	return ml.attach(base, n, st, char, delta), class
}

// attach sets scripts beside base (The TeXbook, appendix G, rule 18;
// OpenType's constants). char says base is a single character, whose
// scripts go at the font's fixed shifts; other bases carry them from their
// top and bottom. The superscript goes delta further right than the
// subscript.
func (ml *mathLayout) attach(base *mbox, n *tex.Scripts, st mstyle, char bool, delta float64) *mbox {
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
		x := w
		if !char {
			x -= delta / 2
		}
		b.add(sub, x, v)
		b.d = max(b.d, v+sub.d)
		b.h = max(b.h, sub.h-v)
		end = max(end, x+sub.w)
	}
	if sup != nil {
		x := w + delta
		if !char {
			x -= delta / 2
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
		b.h = max(b.h, top+1.3*hh+p.LineW/2)
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
