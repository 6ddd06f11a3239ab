package pdf

import (
	"math"
	"strings"
	"testing"

	"github.com/bindery-books/bindery/book/tex"
)

// These tests check the geometry of display math: where the layout puts
// the parts of a formula relative to each other, measured on the ink of
// what it draws.

const testSize = 10.0

// layoutMath sets the first line of src in style st at testSize.
func layoutMath(t *testing.T, src string, st mstyle) *mbox {
	t.Helper()
	f := tex.Parse(src, true)
	ml := newMathLayout(testSize, black, func(format string, args ...any) { t.Errorf("warning: "+format, args...) })
	return ml.row(f.Lines[0].Items, st, false)
}

// textInk returns the ink of the text ops that set exactly s, in order.
func textInk(t *testing.T, b *mbox, s string) []rect {
	t.Helper()
	var rs []rect
	for _, op := range b.ops {
		if o, ok := op.(*textOp); ok && o.S == s {
			rs = append(rs, inkOfOp(o))
		}
	}
	if len(rs) == 0 {
		t.Fatalf("no text %q in %s", s, dumpOps(b.ops))
	}
	return rs
}

func dumpOps(ops []Op) string {
	var s strings.Builder
	for _, op := range ops {
		op.dump(&s)
	}
	return s.String()
}

func opsOf[T Op](b *mbox) []T {
	var out []T
	for _, op := range b.ops {
		if o, ok := op.(T); ok {
			out = append(out, o)
		}
	}
	return out
}

const eps = 0.01

func TestMathFraction(t *testing.T) {
	k := mathK()
	for _, c := range []struct {
		st          mstyle
		gap, size   float64
		description string
	}{
		{displayStyle, k.FracNumDisplayGapMin, testSize, "display"},
		{textStyle, k.FracNumGapMin, testSize * 0.7, "text"},
	} {
		b := layoutMath(t, `\frac{a}{b+c}`, c.st)
		bars := opsOf[*lineOp](b)
		if len(bars) != 1 {
			t.Fatalf("%s: %d rules, want 1", c.description, len(bars))
		}
		bar := bars[0]
		if want := k.FracRule * testSize; math.Abs(bar.W-want) > eps {
			t.Errorf("%s: rule %.3f thick, want %.3f", c.description, bar.W, want)
		}
		if want := -k.AxisHeight * testSize; math.Abs(bar.Y1-want) > eps {
			t.Errorf("%s: rule at %.2f, want the axis %.2f", c.description, bar.Y1, want)
		}
		num := textInk(t, b, "a")[0]
		den := textInk(t, b, "b")[0].union(textInk(t, b, "c")[0])
		if gap := (bar.Y1 - bar.W/2) - num.y1; gap < c.gap*testSize-eps {
			t.Errorf("%s: numerator %.2f above the rule, want at least %.2f", c.description, gap, c.gap*testSize)
		}
		if gap := den.y0 - (bar.Y1 + bar.W/2); gap < c.gap*testSize-eps {
			t.Errorf("%s: denominator %.2f below the rule, want at least %.2f", c.description, gap, c.gap*testSize)
		}
		if den.x0 < bar.X1-eps || den.x1 > bar.X2+0.2 {
			t.Errorf("%s: rule %.2f–%.2f does not span the denominator %.2f–%.2f", c.description, bar.X1, bar.X2, den.x0, den.x1)
		}
		mid := (bar.X1 + bar.X2) / 2
		for _, o := range opsOf[*textOp](b) {
			if o.S == "a" && math.Abs(o.X+measure(o.Face, o.Size, "a")/2-mid) > eps {
				t.Errorf("%s: numerator not centred on the rule", c.description)
			}
			if o.Size != c.size {
				t.Errorf("%s: %q set at %g, want %g", c.description, o.S, o.Size, c.size)
			}
		}
		checkBox(t, b, c.description)
	}
}

func TestMathLimits(t *testing.T) {
	for _, c := range []struct {
		src, op string
		st      mstyle
		above   bool
	}{
		{`\sum_{i=1}^{n} x_i`, "∑", displayStyle, true},
		{`\prod_{k=1}^{n} k`, "∏", displayStyle, true},
		{`\sum_{i=1}^{n} x_i`, "∑", textStyle, false},
		{`\int_0^\infty f`, "∫", displayStyle, false},
		{`\lim_{n\to\infty} a_n`, "lim", displayStyle, true},
		{`\lim_{n\to\infty} a_n`, "lim", textStyle, false},
	} {
		b := layoutMath(t, c.src, c.st)
		op := textInk(t, b, c.op)[0]
		var sup, sub rect
		switch c.op {
		case "∫":
			sub, sup = textInk(t, b, "0")[0], textInk(t, b, "∞")[0]
		case "lim":
			sub = textInk(t, b, "n")[0]
		default:
			sup, sub = textInk(t, b, "n")[0], textInk(t, b, "1")[0]
		}
		if c.above {
			if c.op != "lim" {
				if sup.y1 > op.y0 {
					t.Errorf("%s: upper limit reaches %.2f, below the top of %s at %.2f", c.src, sup.y1, c.op, op.y0)
				}
				if math.Abs(sup.cx()-op.cx()) > 1 {
					t.Errorf("%s: upper limit at %.2f not centred over %s at %.2f", c.src, sup.cx(), c.op, op.cx())
				}
			}
			if sub.y0 < op.y1 {
				t.Errorf("%s: lower limit starts at %.2f, above the foot of %s at %.2f", c.src, sub.y0, c.op, op.y1)
			}
			continue
		}
		if sub.x0 < op.x1-0.5 {
			t.Errorf("%s: subscript at %.2f, not beside %s ending at %.2f", c.src, sub.x0, c.op, op.x1)
		}
		if c.op != "lim" && (sup.x0 < op.x1-0.5 || sup.y1 > sub.y0) {
			t.Errorf("%s: superscript at %.2f,%.2f not beside and above", c.src, sup.x0, sup.y1)
		}
	}
	// A display operator is bigger than a text one.
	d := textInk(t, layoutMath(t, `\sum x`, displayStyle), "∑")[0]
	x := textInk(t, layoutMath(t, `\sum x`, textStyle), "∑")[0]
	if d.y1-d.y0 < 1.3*(x.y1-x.y0) {
		t.Errorf("display ∑ %.2f high, text ∑ %.2f", d.y1-d.y0, x.y1-x.y0)
	}
}

func TestMathRadical(t *testing.T) {
	b := layoutMath(t, `\sqrt{x^2+y^2}`, displayStyle)
	paths := opsOf[*pathOp](b)
	if len(paths) != 1 {
		t.Fatalf("%d paths, want one radical", len(paths))
	}
	sign := inkOfOp(paths[0])
	body := emptyRect()
	for _, o := range opsOf[*textOp](b) {
		body = body.union(inkOfOp(o))
	}
	if sign.x1 < body.x1-eps {
		t.Errorf("vinculum ends at %.2f, radicand at %.2f", sign.x1, body.x1)
	}
	if sign.x0 > body.x0 {
		t.Errorf("sign starts at %.2f, after the radicand at %.2f", sign.x0, body.x0)
	}
	if gap := body.y0 - (sign.y0 + mathK().RadicalRule*testSize); gap < mathK().RadicalDisplayGap*testSize-eps {
		t.Errorf("vinculum %.2f above the radicand, want at least %.2f", gap, mathK().RadicalDisplayGap*testSize)
	}
	if sign.y1 < body.y1 {
		t.Errorf("sign ends at %.2f, above the radicand's foot %.2f", sign.y1, body.y1)
	}
	checkBox(t, b, "sqrt")

	// A root's index sits in the crook of the sign, raised and small.
	b = layoutMath(t, `\sqrt[3]{x}`, displayStyle)
	idx := textInk(t, b, "3")[0]
	x := textInk(t, b, "x")[0]
	if idx.y1 > -0.2*testSize {
		t.Errorf("index foot at %.2f, not raised", idx.y1)
	}
	if idx.x1 > x.x0 {
		t.Errorf("index ends at %.2f, over the radicand at %.2f", idx.x1, x.x0)
	}
	for _, o := range opsOf[*textOp](b) {
		if o.S == "3" && o.Size != testSize*0.5 {
			t.Errorf("index set at %g, want scriptscript %g", o.Size, testSize*0.5)
		}
	}
	// Nested roots grow.
	in := inkOfOp(opsOf[*pathOp](layoutMath(t, `\sqrt{x}`, displayStyle))[0])
	out := inkOfOp(opsOf[*pathOp](layoutMath(t, `\sqrt{\sqrt{\frac{a}{b}}}`, displayStyle))[0])
	if out.y1-out.y0 <= in.y1-in.y0 {
		t.Errorf("a root over a fraction %.2f high, over x %.2f", out.y1-out.y0, in.y1-in.y0)
	}
}

func TestMathMatrix(t *testing.T) {
	b := layoutMath(t, `\begin{bmatrix} 1 & 200 & 3 \\ 4000 & 5 & 66 \\ 7 & 8 & 999999 \end{bmatrix}`, displayStyle)
	cols := [][]string{{"1", "4000", "7"}, {"200", "5", "8"}, {"3", "66", "999999"}}
	for j, col := range cols {
		c := textInk(t, b, col[0])[0].cx()
		for _, s := range col[1:] {
			// Digits are centred by their advance: allow for side bearings.
			if got := textInk(t, b, s)[0].cx(); math.Abs(got-c) > 0.3 {
				t.Errorf("column %d: %q centred at %.2f, %q at %.2f", j, s, got, col[0], c)
			}
		}
	}
	rows := [][]string{{"1", "200", "3"}, {"4000", "5", "66"}, {"7", "8", "999999"}}
	prev := math.Inf(-1)
	for i, row := range rows {
		y := opBaseline(b, row[0])
		for _, s := range row[1:] {
			if got := opBaseline(b, s); math.Abs(got-y) > eps {
				t.Errorf("row %d: %q on %.2f, %q on %.2f", i, s, got, row[0], y)
			}
		}
		if y-prev < 1.2*testSize-eps {
			t.Errorf("row %d only %.2f below the one before", i, y-prev)
		}
		prev = y
	}
	paths := opsOf[*pathOp](b)
	if len(paths) != 2 {
		t.Fatalf("%d delimiters drawn, want 2", len(paths))
	}
	cells := emptyRect()
	for _, o := range opsOf[*textOp](b) {
		cells = cells.union(inkOfOp(o))
	}
	l, r := inkOfOp(paths[0]), inkOfOp(paths[1])
	if l.x1 > cells.x0 || r.x0 < cells.x1 {
		t.Errorf("brackets %.2f and %.2f overlap the cells %.2f–%.2f", l.x1, r.x0, cells.x0, cells.x1)
	}
	if h := l.y1 - l.y0; h < 0.9*(cells.y1-cells.y0) {
		t.Errorf("bracket %.2f high for cells %.2f high", h, cells.y1-cells.y0)
	}
	// The matrix is centred on the axis.
	if mid := (l.y0 + l.y1) / 2; math.Abs(mid+mathK().AxisHeight*testSize) > eps {
		t.Errorf("bracket centred at %.2f, axis at %.2f", mid, -mathK().AxisHeight*testSize)
	}
	checkBox(t, b, "bmatrix")
}

// opBaseline returns the baseline of the text op that sets s.
func opBaseline(b *mbox, s string) float64 {
	for _, o := range opsOf[*textOp](b) {
		if o.S == s {
			return o.Y
		}
	}
	return math.NaN()
}

func TestMathAlignment(t *testing.T) {
	f := tex.Parse(`\begin{aligned} a + b &= c \\ d &= e + f + g \\ &\le h \end{aligned}`, true)
	ml := newMathLayout(testSize, black, nil)
	rows, _ := ml.tableRows(f.Lines[0].Items[0].(*tex.Table), displayStyle)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	var rels []float64
	for _, r := range rows {
		for _, o := range opsOf[*textOp](r) {
			if o.S == "=" || o.S == "≤" {
				rels = append(rels, o.X)
			}
		}
	}
	if len(rels) != 3 || math.Abs(rels[0]-rels[1]) > eps || math.Abs(rels[0]-rels[2]) > eps {
		t.Errorf("relations at %v, want one column", rels)
	}
	// The right side's relation is spaced as a relation after {}.
	a := textInk(t, rows[0], "a")[0]
	if a.x0 > rels[0] {
		t.Errorf("left side at %.2f, right of the relation at %.2f", a.x0, rels[0])
	}
}

func TestMathSpacing(t *testing.T) {
	mu := testSize / 18
	gapAfter := func(b *mbox, left, right string) float64 {
		var l, r *textOp
		for _, o := range opsOf[*textOp](b) {
			if o.S == left && l == nil {
				l = o
			}
			if o.S == right {
				r = o
			}
		}
		if l == nil || r == nil {
			t.Fatalf("no %q or %q in %s", left, right, dumpOps(b.ops))
		}
		return r.X - (l.X + measure(l.Face, l.Size, l.S))
	}
	for _, c := range []struct {
		src, l, r string
		st        mstyle
		want      float64
	}{
		{`a+b`, "a", "+", displayStyle, 4 * mu},      // ord bin: medium
		{`a=b`, "a", "=", displayStyle, 5 * mu},      // ord rel: thick
		{`-a`, "−", "a", displayStyle, 0},            // a unary minus is ordinary
		{`a,b`, ",", "b", displayStyle, 3 * mu},      // punct ord: thin
		{`\sin x`, "sin", "x", displayStyle, 3 * mu}, // op ord: thin
		{`(a)`, "(", "a", displayStyle, 0},           // open ord
		{`a=-b`, "=", "−", displayStyle, 5 * mu},     // rel, then a unary minus
		{`x^{a+b}`, "a", "+", displayStyle, 0},       // no medium space in scripts
	} {
		b := layoutMath(t, c.src, c.st)
		if got := gapAfter(b, c.l, c.r); math.Abs(got-c.want) > eps {
			t.Errorf("%s: %.3f between %q and %q, want %.3f", c.src, got, c.l, c.r, c.want)
		}
	}
	// \left( … \right) is an inner atom: a thin space after an operator.
	b := layoutMath(t, `\lim\left(x\right)`, displayStyle)
	lim := opsOf[*textOp](b)[0]
	paren := inkOfOp(opsOf[*textOp](b)[1])
	if gap := paren.x0 - (lim.X + measure(lim.Face, lim.Size, "lim")); gap < 3*mu-0.5 {
		t.Errorf(`\lim\left(: %.2f between, want a thin space`, gap)
	}
}

// checkBox checks that a box has no negative dimensions and that what it
// draws stays within its height and depth.
func checkBox(t *testing.T, b *mbox, what string) {
	t.Helper()
	if b.w < 0 || b.h < 0 || b.d < 0 {
		t.Errorf("%s: box %.2f×(%.2f+%.2f) has a negative size", what, b.w, b.h, b.d)
	}
	r := inkOfOps(b.ops)
	if r.x1 < r.x0 {
		return
	}
	if r.y0 < -b.h-eps || r.y1 > b.d+eps {
		t.Errorf("%s: ink from %.2f to %.2f, box from %.2f to %.2f", what, r.y0, r.y1, -b.h, b.d)
	}
	if r.x0 < -0.15*testSize || r.x1 > b.w+0.15*testSize {
		t.Errorf("%s: ink from %.2f to %.2f, box 0 to %.2f", what, r.x0, r.x1, b.w)
	}
}

// hardFormulas are the fixture's formulas and more.
var hardFormulas = []string{
	`x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}`,
	`\sum_{i=1}^{n} i = \frac{n(n+1)}{2}`,
	`\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}`,
	`\lim_{n\to\infty} \left(1 + \frac{1}{n}\right)^n = e`,
	`A = \begin{bmatrix} a_{11} & a_{12} & a_{13} \\ a_{21} & a_{22} & a_{23} \\ a_{31} & a_{32} & a_{33} \end{bmatrix}`,
	`|x| = \begin{cases} x & \text{if } x \ge 0 \\ -x & \text{otherwise} \end{cases}`,
	`\frac{1}{1 + \frac{1}{1 + \frac{1}{x}}} = \sqrt[3]{\frac{a}{b}}`,
	`\hat{x} + \vec{v} + \overline{AB} + \widehat{xyz} + \tilde{n} + \widetilde{abcd} + \vec{AB} + \underline{u} + \binom{n}{k}`,
	`\left\{ x \in \mathbb{R} : |x| < 1 \right\} \left\langle \frac{a}{b} \right\rangle \left\lfloor \frac{n}{2} \right\rfloor \left. \frac{df}{dx} \right|_{x=0}`,
	`\det \begin{vmatrix} a & b \\ c & d \end{vmatrix} = \left\lVert \frac{u}{v} \right\rVert \begin{pmatrix} 1 \\ 2 \end{pmatrix}`,
	`\mathcal{O}(n \log n) \quad \max_{x \in S} f(x) \quad f'(x) \quad \sqrt{\sqrt{\sqrt{x}}}`,
	`\begin{array}{cc} a & b \\ c & d \end{array} \begin{smallmatrix} 1 & 2 \end{smallmatrix} \begin{Bmatrix} 1 \end{Bmatrix}`,
}

func TestMathBoxes(t *testing.T) {
	for _, src := range hardFormulas {
		for _, st := range []mstyle{displayStyle, textStyle, {level: 2}, {level: 3, cramped: true}} {
			checkBox(t, layoutMath(t, src, st), src)
		}
	}
}

// TestMathDisplay checks the items of display formulas: inside the
// measure, inside their height, the rows of an alignment a line each, and
// a formula too wide for the measure shrunk or set as text.
func TestMathDisplay(t *testing.T) {
	fr := displayFrame{size: 10.5, lead: 14.5, width: 300, height: 600, color: black}
	wide := `x = ` + strings.Repeat(`a_1 + \frac{b}{c} + `, 8) + `z`
	huge := `\begin{pmatrix}` + strings.Repeat(strings.Repeat(`x & `, 59)+`x \\ `, 60) + `\end{pmatrix}`
	for _, c := range []struct {
		src          string
		items, lines int
	}{
		{`x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}`, 1, 0},
		{`\begin{aligned} a &= b \\ c &= d \\ e &= f \end{aligned}`, 3, 0},
		{`a = b \\ c = d`, 2, 0},
		{wide, 1, 0},
		{strings.Repeat(wide, 4), 0, 1},
		{huge, 0, 1},
	} {
		lines := mathDisplay(tex.Parse(c.src, true), fr)
		items, spans := 0, 0
		for _, l := range lines {
			if l.item == nil {
				spans++
				continue
			}
			items++
			r := inkOfOps(l.item.Ops)
			if r.x0 < -eps || r.x1 > fr.width+eps {
				t.Errorf("%.40s: ink from %.2f to %.2f, measure %g", c.src, r.x0, r.x1, fr.width)
			}
			if r.y0 < -eps || r.y1 > l.item.H+eps {
				t.Errorf("%.40s: ink from %.2f to %.2f, item %.2f high", c.src, r.y0, r.y1, l.item.H)
			}
		}
		if items != c.items || spans != c.lines {
			t.Errorf("%.40s: %d items and %d linear lines, want %d and %d", c.src, items, spans, c.items, c.lines)
		}
	}
}

// TestMathHostile sets formulas built to break a layout: deep nesting,
// huge matrices, thousands of fences. Each must give items inside the
// frame with a number of operations bounded by the source's length.
func TestMathHostile(t *testing.T) {
	fr := displayFrame{size: 10.5, lead: 14.5, width: 300, height: 600, color: black}
	for name, src := range map[string]string{
		"deep fractions": strings.Repeat(`\frac{1}{`, 100) + "x" + strings.Repeat("}", 100),
		"deep roots":     strings.Repeat(`\sqrt[n]{`, 100) + "x" + strings.Repeat("}", 100),
		"deep scripts":   strings.Repeat(`x^{`, 100) + "x" + strings.Repeat("}", 100),
		"deep fences":    strings.Repeat(`\left(`, 500) + "x" + strings.Repeat(`\right)`, 500),
		"deep accents":   strings.Repeat(`\hat{`, 100) + "x" + strings.Repeat("}", 100),
		"huge matrix":    `\begin{bmatrix}` + strings.Repeat(strings.Repeat("x & ", 199)+`x \\`, 200) + `\end{bmatrix}`,
		"tall cases":     `\begin{cases}` + strings.Repeat(`x & y \\`, 400) + `\end{cases}`,
		"nested tables":  strings.Repeat(`\begin{pmatrix} a & `, 60) + "x" + strings.Repeat(`\end{pmatrix}`, 60),
		"unbalanced":     `\right) \left( x \right] \middle| \left\langle` + strings.Repeat(`\right)`, 50),
		"long row":       strings.Repeat(`x_1 + `, 3000) + "y",
		"long alignment": `\begin{aligned}` + strings.Repeat(`a &= b + c \\`, 2000) + `\end{aligned}`,
	} {
		f := tex.Parse(src, true)
		ops := 0
		for _, l := range mathDisplay(f, fr) {
			if l.item == nil {
				continue
			}
			ops += len(l.item.Ops)
			r := inkOfOps(l.item.Ops)
			if r.x1 >= r.x0 && (r.x0 < -eps || r.x1 > fr.width+eps || r.y0 < -eps || r.y1 > l.item.H+eps) {
				t.Errorf("%s: ink %.1f,%.1f to %.1f,%.1f outside the item %g×%.1f", name, r.x0, r.y0, r.x1, r.y1, fr.width, l.item.H)
			}
			if l.item.H > fr.height+fr.lead {
				t.Errorf("%s: item %.1f high, frame %g", name, l.item.H, fr.height)
			}
		}
		if ops > 4*len(src) {
			t.Errorf("%s: %d operations for %d bytes of source", name, ops, len(src))
		}
	}
}

// TestMathFences checks \left and \right: sized to what they enclose,
// both of a pair alike, also when the parser leaves a \right inside a
// group as a plain character, with its scripts.
func TestMathFences(t *testing.T) {
	for _, src := range []string{
		`\left(\frac{a}{b}\right)^2`,
		`e^{\left(\frac{a}{b}\right)^2}`,
		`\sqrt{\left[\frac{a}{b}\right]}`,
		`\left. \frac{df}{dx} \right|_{x=0}`,
		`\left| \frac{a}{b} \right|`,
	} {
		b := layoutMath(t, src, displayStyle)
		paths := opsOf[*pathOp](b)
		var fences []rect
		for _, p := range paths {
			if r := inkOfOp(p); r.y1-r.y0 > 0.5*testSize {
				fences = append(fences, r)
			}
		}
		want := 2
		if strings.Contains(src, `\left.`) {
			want = 1
		}
		if strings.Contains(src, `\sqrt`) {
			want = 3 // and the radical sign
		}
		if len(fences) != want {
			t.Errorf("%s: %d tall delimiters drawn, want %d: %s", src, len(fences), want, dumpOps(b.ops))
			continue
		}
		l, r := fences[max(0, len(fences)-2)], fences[len(fences)-1]
		if want > 1 && math.Abs((l.y1-l.y0)-(r.y1-r.y0)) > eps {
			t.Errorf("%s: delimiters %.2f and %.2f high", src, l.y1-l.y0, r.y1-r.y0)
		}
		for _, o := range opsOf[*textOp](b) {
			if strings.ContainsAny(o.S, "()[]|") {
				t.Errorf("%s: delimiter %q set as text", src, o.S)
			}
		}
	}
}

// BenchmarkMathDisplay lays out the hard formulas as display math.
func BenchmarkMathDisplay(b *testing.B) {
	fr := displayFrame{size: 10.5, lead: 14.5, width: 428, height: 600, color: black}
	fs := make([]*tex.Formula, len(hardFormulas))
	for i, src := range hardFormulas {
		fs[i] = tex.Parse(src, true)
	}
	for b.Loop() {
		for _, f := range fs {
			mathDisplay(f, fr)
		}
	}
}

// FuzzMathDisplay checks that no formula makes display math panic or
// draw outside its items.
func FuzzMathDisplay(f *testing.F) {
	for _, src := range hardFormulas {
		f.Add(src)
	}
	fr := displayFrame{size: 10.5, lead: 14.5, width: 300, height: 600, color: black}
	f.Fuzz(func(t *testing.T, src string) {
		for _, l := range mathDisplay(tex.Parse(src, true), fr) {
			if l.item == nil {
				continue
			}
			r := inkOfOps(l.item.Ops)
			if r.x1 >= r.x0 && (r.x0 < -eps || r.x1 > fr.width+eps || r.y0 < -eps || r.y1 > l.item.H+eps) {
				t.Errorf("ink %.2f,%.2f to %.2f,%.2f outside the item %g×%.2f", r.x0, r.y0, r.x1, r.y1, fr.width, l.item.H)
			}
		}
	})
}
