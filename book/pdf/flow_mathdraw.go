package pdf

import "math"

// Delimiters taller than their glyph and radical signs are drawn as
// filled outlines, shaped like the Math face's own: a parenthesis thick
// in its middle and thin at its tips, a brace thin at its tips and its
// point, a bracket with a heavy stem and light arms.

// delimiter returns a delimiter at least total high, centred on the
// axis: the glyph when it is tall enough (or total is 0), else drawn.
func (ml *mathLayout) delimiter(s string, total float64, st mstyle) *mbox {
	em := ml.em(st)
	g := ml.symbol(s, em)
	nat := g.h + g.d
	if s == "" || total <= nat*1.02 {
		return g
	}
	a := ml.k.AxisHeight * em
	top, bottom := a+total/2, total/2-a
	t := total / em // in ems
	var b *mbox
	switch s {
	case "(", ")":
		b = ml.paren(top, bottom, t, em, s == ")")
	case "[", "]", "⌈", "⌉", "⌊", "⌋":
		b = ml.bracket(top, bottom, t, em, s)
	case "{", "}":
		b = ml.brace(top, bottom, t, em, s == "}")
	case "|", "‖", "∣", "∥":
		b = ml.bars(top, bottom, t, em, s == "‖" || s == "∥")
	case "⟨", "⟩", "〈", "〉":
		b = ml.angle(top, bottom, t, em, s == "⟩" || s == "〉")
	default:
		// Anything else (arrows, slashes) is its glyph, scaled.
		if nat <= 0 {
			return g
		}
		size := em * min(total/nat, 4)
		g = ml.symbol(s, size)
		shift := (g.h-g.d)/2 - a
		b = &mbox{w: g.w, h: g.h - shift, d: g.d + shift}
		b.add(g, 0, shift)
	}
	b.text = s
	return b
}

// clamp returns v held between lo and hi.
func clamp(v, lo, hi float64) float64 { return max(lo, min(hi, v)) }

// polygon returns the segments of a closed polygon of points x0, y0,
// x1, y1, … wound one way, so filled polygons that overlap add up.
func polygon(pts []float64) []pathSeg {
	area := 0.0
	n := len(pts) / 2
	for i := range n {
		j := (i + 1) % n
		area += pts[2*i]*pts[2*j+1] - pts[2*j]*pts[2*i+1]
	}
	if area < 0 {
		rev := make([]float64, 0, len(pts))
		for i := n - 1; i >= 0; i-- {
			rev = append(rev, pts[2*i], pts[2*i+1])
		}
		pts = rev
	}
	segs := make([]pathSeg, 0, n+1)
	for i := range n {
		op := byte('L')
		if i == 0 {
			op = 'M'
		}
		segs = append(segs, pathSeg{Op: op, Pts: []float64{pts[2*i], pts[2*i+1]}})
	}
	return append(segs, pathSeg{Op: 'Z'})
}

// stroke returns the outline of a stroke of varying width along the
// points xs, ys: widths gives its width at each point.
func stroke(xs, ys, widths []float64) []float64 {
	n := len(xs)
	left := make([]float64, 0, 2*n)
	right := make([]float64, 0, 2*n)
	for i := range n {
		a, b := max(i-1, 0), min(i+1, n-1)
		tx, ty := xs[b]-xs[a], ys[b]-ys[a]
		l := math.Hypot(tx, ty)
		if l == 0 {
			l = 1
		}
		nx, ny := ty/l, -tx/l
		h := widths[i] / 2
		left = append(left, xs[i]+nx*h, ys[i]+ny*h)
		right = append(right, xs[i]-nx*h, ys[i]-ny*h)
	}
	for i := n - 1; i >= 0; i-- {
		left = append(left, right[2*i], right[2*i+1])
	}
	return left
}

// mirror flips the ops of b left for right.
func mirror(b *mbox) {
	for _, op := range b.ops {
		if p, ok := op.(*pathOp); ok {
			for i := range p.Segs {
				for k := 0; k+1 < len(p.Segs[i].Pts); k += 2 {
					p.Segs[i].Pts[k] = b.w - p.Segs[i].Pts[k]
				}
			}
		}
	}
}

// paren draws a parenthesis from top above the baseline to bottom below
// it; t is its height in ems. Tall ones straighten in the middle.
func (ml *mathLayout) paren(top, bottom, t, em float64, right bool) *mbox {
	iw := clamp(0.25+0.088*(t-0.9), 0.25, 0.45) * em
	thick := clamp(0.075+0.012*(t-1), 0.075, 0.1) * em
	tip := 0.025 * em
	lb, rb := 0.1*em, 0.09*em
	b := &mbox{w: lb + iw + rb, h: top, d: bottom}
	xTip, xBulge := lb+iw-tip/2, lb+thick/2
	p := clamp(2+(t-1.5)*0.6, 2, 5)
	const n = 40
	xs, ys, ws := make([]float64, n+1), make([]float64, n+1), make([]float64, n+1)
	y0, y1 := -top+tip/2, bottom-tip/2
	for i := range n + 1 {
		s := float64(i) / n
		e := math.Abs(2*s - 1)
		xs[i] = xTip - (xTip-xBulge)*(1-math.Pow(e, p))
		ys[i] = y0 + (y1-y0)*s
		ws[i] = tip + (thick-tip)*(1-e*e)
	}
	c := ml.color
	b.ops = []Op{&pathOp{Fill: &c, Segs: polygon(stroke(xs, ys, ws))}}
	if right {
		mirror(b)
	}
	return b
}

// bracket draws [ ] and the ceiling and floor brackets, which keep only
// their top or bottom arm.
func (ml *mathLayout) bracket(top, bottom, t, em float64, s string) *mbox {
	stem := clamp(0.065+0.005*(t-1), 0.065, 0.085) * em
	arm := clamp(0.2+0.02*(t-1), 0.2, 0.27) * em
	at := 0.05 * em
	lb, rb := 0.12*em, 0.08*em
	b := &mbox{w: lb + arm + rb, h: top, d: bottom}
	x0, x1, yt, yb := lb, lb+arm, -top, bottom
	upper := s != "⌊" && s != "⌋"
	lower := s != "⌈" && s != "⌉"
	var pts []float64
	if upper {
		pts = append(pts, x0, yt, x1, yt, x1, yt+at, x0+stem, yt+at)
	} else {
		pts = append(pts, x0, yt, x0+stem, yt)
	}
	if lower {
		pts = append(pts, x0+stem, yb-at, x1, yb-at, x1, yb, x0, yb)
	} else {
		pts = append(pts, x0+stem, yb, x0, yb)
	}
	c := ml.color
	b.ops = []Op{&pathOp{Fill: &c, Segs: polygon(pts)}}
	if s == "]" || s == "⌉" || s == "⌋" {
		mirror(b)
	}
	return b
}

// brace draws { or }: two arms, each curling from a thin tip into a
// straight stem and into the point at the middle.
func (ml *mathLayout) brace(top, bottom, t, em float64, right bool) *mbox {
	iw := clamp(0.3+0.05*(t-1), 0.3, 0.45) * em
	thick := clamp(0.07+0.01*(t-1), 0.07, 0.09) * em
	thin := 0.02 * em
	lb, rb := 0.06*em, 0.08*em
	b := &mbox{w: lb + iw + rb, h: top, d: bottom}
	x0, x1 := lb, lb+iw
	xs := (x0 + x1) / 2
	yt, mid := -top+thin/2, (bottom-top)/2
	r := min(0.25*em, (mid-yt)/2)
	const k = 0.5523 // a quarter circle as a cubic
	var px, py []float64
	cubic := func(ax, ay, bx, by, cx, cy, dx, dy float64, n int) {
		for i := range n {
			s := float64(i) / float64(n)
			u := 1 - s
			px = append(px, u*u*u*ax+3*u*u*s*bx+3*u*s*s*cx+s*s*s*dx)
			py = append(py, u*u*u*ay+3*u*u*s*by+3*u*s*s*cy+s*s*s*dy)
		}
	}
	cubic(x1, yt, x1-k*(x1-xs), yt, xs, yt+r-k*r, xs, yt+r, 12)
	if mid-r > yt+r {
		px, py = append(px, xs), append(py, yt+r)
	}
	cubic(xs, mid-r, xs, mid-r+k*r, x0+k*(xs-x0), mid, x0, mid, 12)
	px, py = append(px, x0), append(py, mid)
	ws := make([]float64, len(px))
	for i := range ws {
		u := float64(i) / float64(len(px)-1)
		ws[i] = thin + (thick-thin)*math.Pow(math.Sin(math.Pi*u), 0.6)
	}
	upper := stroke(px, py, ws)
	lower := make([]float64, len(upper))
	for i := 0; i < len(upper); i += 2 {
		lower[i], lower[i+1] = upper[i], 2*mid-upper[i+1]
	}
	c := ml.color
	b.ops = []Op{&pathOp{Fill: &c, Segs: append(polygon(upper), polygon(lower)...)}}
	if right {
		mirror(b)
	}
	return b
}

// bars draws | or ‖ as rules.
func (ml *mathLayout) bars(top, bottom, t, em float64, double bool) *mbox {
	w := clamp(0.064+0.005*(t-1), 0.064, 0.085) * em
	lb := 0.1 * em
	b := &mbox{w: 2*lb + w, h: top, d: bottom}
	rect := func(x float64) []pathSeg {
		return polygon([]float64{x, -top, x + w, -top, x + w, bottom, x, bottom})
	}
	segs := rect(lb)
	if double {
		segs = append(segs, rect(lb+w+0.12*em)...)
		b.w += w + 0.12*em
	}
	c := ml.color
	b.ops = []Op{&pathOp{Fill: &c, Segs: segs}}
	return b
}

// angle draws ⟨ or ⟩ as two strokes meeting at the middle.
func (ml *mathLayout) angle(top, bottom, t, em float64, right bool) *mbox {
	iw := clamp(0.26+0.05*(t-1), 0.26, 0.42) * em
	lw := 0.05 * em
	lb, rb := 0.1*em, 0.08*em
	b := &mbox{w: lb + iw + rb, h: top, d: bottom}
	mid := (bottom - top) / 2
	c := ml.color
	b.ops = []Op{&pathOp{Stroke: &c, LineW: lw, Segs: []pathSeg{
		{Op: 'M', Pts: []float64{lb + iw, -top + lw/2}},
		{Op: 'L', Pts: []float64{lb + lw/2, mid}},
		{Op: 'L', Pts: []float64{lb + iw, bottom - lw/2}},
	}}}
	if right {
		mirror(b)
	}
	return b
}

// radicalSign draws a radical sign reaching from bottom below the
// baseline to top above it, with its vinculum running on over the
// radicand, bodyW wide, that follows the sign.
func (ml *mathLayout) radicalSign(top, bottom, bodyW, em float64) *mbox {
	theta := ml.k.RadicalRule * em
	t := (top + bottom) / em
	iw := clamp(0.6+0.03*(t-1), 0.6, 0.75) * em
	x0 := 0.06 * em
	xr := x0 + iw
	b := &mbox{w: xr, h: top, d: bottom}
	yt, yb := -top, bottom
	// The tick: a short thin stroke rising to the top of the heavy one.
	tickTop := yb - min(0.5*(top+bottom), 0.48*em)
	tx := x0 + 0.12*em
	// The heavy stroke down to the bottom vertex.
	vx := x0 + clamp(0.33+0.02*(t-1), 0.33, 0.42)*em
	// The thin stroke up to the vinculum.
	up := 0.045 * em
	c := ml.color
	segs := polygon([]float64{x0, tickTop + 0.075*em, tx - 0.02*em, tickTop - 0.012*em, tx + 0.01*em, tickTop + 0.03*em, x0 + 0.02*em, tickTop + 0.11*em})
	segs = append(segs, polygon([]float64{tx - 0.02*em, tickTop - 0.012*em, tx + 0.085*em, tickTop - 0.04*em, vx + 0.03*em, yb, vx - 0.005*em, yb})...)
	segs = append(segs, polygon([]float64{vx - 0.005*em, yb, vx + 0.03*em, yb, xr, yt, xr - up, yt})...)
	segs = append(segs, polygon([]float64{xr - up, yt, xr + bodyW, yt, xr + bodyW, yt + theta, xr - up, yt + theta})...)
	b.ops = []Op{&pathOp{Fill: &c, Segs: segs}}
	return b
}
