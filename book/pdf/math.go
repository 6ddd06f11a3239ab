package pdf

import (
	"strings"
	"unicode"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/font"
)

// Math in the PDF is set as text the way TeX would: letters in italic,
// digits, operators and function names upright, Greek and symbols from
// their TeX names, superscripts and subscripts raised and smaller, fractions
// as a/b. It is no TeX engine, but it reads as mathematics, never as source.

// mathSpans sets TeX in the style of the text around it.
func mathSpans(tex string, base style) []span {
	p := &texReader{s: []rune(tex)}
	m := &mathSetter{base: base}
	m.seq(p, base, 0)
	return m.spans
}

type texReader struct {
	s []rune
	i int
}

func (p *texReader) eof() bool { return p.i >= len(p.s) }
func (p *texReader) peek() rune {
	if p.eof() {
		return 0
	}
	return p.s[p.i]
}

// command reads a control sequence after its backslash.
func (p *texReader) command() string {
	start := p.i
	for !p.eof() && unicode.IsLetter(p.s[p.i]) {
		p.i++
	}
	if p.i == start && !p.eof() {
		p.i++ // a control symbol: \, \{ \\
	}
	return string(p.s[start:p.i])
}

// group reads a braced group, or a single token, and returns its source.
func (p *texReader) group() string {
	for !p.eof() && p.s[p.i] == ' ' {
		p.i++
	}
	if p.eof() {
		return ""
	}
	if p.s[p.i] == '{' {
		depth := 0
		start := p.i + 1
		for ; !p.eof(); p.i++ {
			switch p.s[p.i] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					p.i++
					return string(p.s[start : p.i-1])
				}
			case '\\':
				p.i++
			}
		}
		return string(p.s[start:])
	}
	if p.s[p.i] == '\\' {
		p.i++
		return "\\" + p.command()
	}
	p.i++
	return string(p.s[p.i-1])
}

type mathSetter struct {
	base  style
	spans []span
}

func (m *mathSetter) emit(st style, s string) {
	if s == "" {
		return
	}
	if n := len(m.spans); n > 0 && m.spans[n-1].st == st {
		m.spans[n-1].text += s
		return
	}
	m.spans = append(m.spans, span{st: st, text: s})
}

func upright(st style) style {
	st.Face.Style &^= font.Italic
	return st
}

func italic(st style) style {
	st.Face.Style |= font.Italic
	return st
}

// maxMathDepth bounds nested groups in hostile TeX.
const maxMathDepth = 30

// seq sets TeX source in style st.
func (m *mathSetter) seq(p *texReader, st style, depth int) {
	if depth > maxMathDepth {
		m.emit(upright(st), string(p.s[p.i:]))
		p.i = len(p.s)
		return
	}
	for !p.eof() {
		r := p.s[p.i]
		switch {
		case r == '{':
			g := p.group()
			m.seq(&texReader{s: []rune(g)}, st, depth+1)
		case r == '}':
			p.i++
		case r == '^' || r == '_':
			p.i++
			g := p.group()
			sub := st
			sub.Size = round2(st.Size * 0.72)
			if r == '^' {
				sub.Rise = st.Rise + st.Size*0.36
			} else {
				sub.Rise = st.Rise - st.Size*0.16
			}
			m.seq(&texReader{s: []rune(g)}, sub, depth+1)
		case r == '\\':
			p.i++
			m.control(p, p.command(), st, depth)
		case r == '&':
			p.i++
			m.emit(upright(st), " ")
		case r == '~':
			p.i++
			m.emit(upright(st), "\u00a0")
		case unicode.IsSpace(r):
			p.i++
		case unicode.IsLetter(r):
			p.i++
			m.emit(italic(st), string(r))
		case strings.ContainsRune("=<>+", r):
			p.i++
			m.emit(upright(st), " "+string(r)+" ")
		case r == '-':
			p.i++
			m.emit(upright(st), " − ")
		case r == ',':
			p.i++
			m.emit(upright(st), ", ")
		case r == '*':
			p.i++
			m.emit(upright(st), "∗")
		default:
			p.i++
			m.emit(upright(st), string(r))
		}
	}
}

// control sets a control sequence.
func (m *mathSetter) control(p *texReader, name string, st style, depth int) {
	if s, ok := texSymbols[name]; ok {
		if unicode.IsLetter([]rune(s)[0]) && len([]rune(s)) == 1 && name != "ell" {
			if strings.ToLower(name) == name { // lower-case Greek is italic in TeX
				m.emit(italic(st), s)
				return
			}
		}
		if texRelations[name] {
			s = " " + s + " "
		}
		m.emit(upright(st), s)
		return
	}
	if texFunctions[name] {
		m.emit(upright(st), name)
		m.emit(upright(st), "\u2009")
		return
	}
	switch name {
	case "frac", "dfrac", "tfrac", "cfrac":
		num, den := p.group(), p.group()
		m.fracPart(num, st, depth)
		m.emit(upright(st), "/")
		m.fracPart(den, st, depth)
	case "binom":
		n, k := p.group(), p.group()
		m.emit(upright(st), "(")
		m.seq(&texReader{s: []rune(n)}, st, depth+1)
		m.emit(upright(st), " choose ")
		m.seq(&texReader{s: []rune(k)}, st, depth+1)
		m.emit(upright(st), ")")
	case "sqrt":
		if p.peek() == '[' {
			end := strings.IndexRune(string(p.s[p.i:]), ']')
			if end > 0 {
				idx := string(p.s[p.i+1 : p.i+end])
				p.i += end + 1
				sup := st
				sup.Size = round2(st.Size * 0.6)
				sup.Rise = st.Rise + st.Size*0.4
				m.emit(upright(sup), idx)
			}
		}
		g := p.group()
		m.emit(upright(st), "√")
		if len([]rune(strings.TrimSpace(g))) > 1 {
			m.emit(upright(st), "(")
			m.seq(&texReader{s: []rune(g)}, st, depth+1)
			m.emit(upright(st), ")")
		} else {
			m.seq(&texReader{s: []rune(g)}, st, depth+1)
		}
	case "text", "textrm", "mathrm", "operatorname", "textup", "mbox", "textnormal":
		m.emit(upright(st), strings.ReplaceAll(p.group(), "\\", ""))
	case "textit", "mathit", "emph":
		m.emit(italic(st), p.group())
	case "textbf", "mathbf", "boldsymbol", "bm":
		b := st
		b.Face.Style |= font.Bold
		m.seq(&texReader{s: []rune(p.group())}, b, depth+1)
	case "mathcal", "mathbb", "mathfrak", "mathsf", "mathtt", "texttt", "mathscr":
		m.seq(&texReader{s: []rune(p.group())}, upright(st), depth+1)
	case "overline", "bar", "hat", "widehat", "tilde", "widetilde", "vec", "dot", "ddot", "underline":
		g := p.group()
		m.seq(&texReader{s: []rune(g)}, st, depth+1)
		if mark, ok := texAccents[name]; ok && len([]rune(g)) == 1 {
			m.emit(italic(st), mark)
		}
	case "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "middle":
		// Sizes are the type's own: drop the sizing, keep the delimiter.
		if p.peek() == '.' {
			p.i++
		}
	case "begin", "end":
		p.group() // environment names: aligned, cases, matrix…
	case "\\":
		m.emit(upright(st), "; ")
	case ",", ":", ";", ">":
		m.emit(upright(st), "\u2009")
	case "!":
	case "quad":
		m.emit(upright(st), "\u2003")
	case "qquad":
		m.emit(upright(st), "\u2003\u2003")
	case " ":
		m.emit(upright(st), " ")
	case "{", "}", "$", "%", "&", "#", "_", "|":
		s := name
		if s == "|" {
			s = "‖"
		}
		m.emit(upright(st), s)
	case "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "label", "tag", "nonumber", "notag":
		if name == "label" || name == "tag" {
			p.group()
		}
	default:
		m.emit(upright(st), "\\"+name)
	}
}

// fracPart sets one side of a fraction, in parentheses when it has more than one term.
func (m *mathSetter) fracPart(g string, st style, depth int) {
	g = strings.TrimSpace(g)
	simple := !strings.ContainsAny(g, "+-=<> ") || strings.HasPrefix(g, "\\") && !strings.ContainsAny(g, "+-=<> ")
	if !simple {
		m.emit(upright(st), "(")
	}
	m.seq(&texReader{s: []rune(g)}, st, depth+1)
	if !simple {
		m.emit(upright(st), ")")
	}
}

var texAccents = map[string]string{
	"overline": "\u0305", "bar": "\u0304", "hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303",
	"widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "underline": "\u0332",
}

var texFunctions = map[string]bool{
	"sin": true, "cos": true, "tan": true, "log": true, "ln": true, "exp": true, "max": true, "min": true,
	"lim": true, "sup": true, "inf": true, "det": true, "arg": true, "deg": true, "gcd": true, "mod": true,
	"sinh": true, "cosh": true, "tanh": true, "arcsin": true, "arccos": true, "arctan": true, "Pr": true,
	"dim": true, "ker": true, "lg": true, "bmod": true, "pmod": true,
}

var texRelations = map[string]bool{
	"leq": true, "le": true, "geq": true, "ge": true, "neq": true, "ne": true, "approx": true, "equiv": true,
	"sim": true, "simeq": true, "cong": true, "propto": true, "in": true, "notin": true, "subset": true,
	"subseteq": true, "supset": true, "supseteq": true, "to": true, "rightarrow": true, "leftarrow": true,
	"Rightarrow": true, "Leftarrow": true, "Leftrightarrow": true, "leftrightarrow": true, "mapsto": true,
	"implies": true, "iff": true, "ll": true, "gg": true, "times": true, "cdot": true, "pm": true, "mp": true,
	"div": true, "cup": true, "cap": true, "land": true, "lor": true, "wedge": true, "vee": true, "mid": true,
	"longrightarrow": true, "Longrightarrow": true, "gets": true, "coloneqq": true, "oplus": true, "otimes": true,
}

var texSymbols = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
	"eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
	"xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
	"upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
	"Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
	"leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "equiv": "≡",
	"sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "in": "∈", "notin": "∉", "ni": "∋",
	"subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩",
	"emptyset": "∅", "varnothing": "∅", "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬",
	"land": "∧", "lor": "∨", "wedge": "∧", "vee": "∨", "to": "→", "rightarrow": "→", "leftarrow": "←",
	"gets": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "leftrightarrow": "↔",
	"mapsto": "↦", "implies": "⟹", "iff": "⟺", "longrightarrow": "⟶", "Longrightarrow": "⟹",
	"uparrow": "↑", "downarrow": "↓",
	"infty": "∞", "partial": "∂", "nabla": "∇", "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓",
	"ast": "∗", "star": "⋆", "circ": "∘", "bullet": "•", "oplus": "⊕", "otimes": "⊗",
	"sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "oint": "∮", "bigcup": "⋃", "bigcap": "⋂",
	"ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱",
	"langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
	"lbrace": "{", "rbrace": "}", "vert": "|", "Vert": "‖", "lvert": "|", "rvert": "|",
	"ll": "≪", "gg": "≫", "prime": "′", "angle": "∠", "perp": "⊥", "parallel": "∥", "mid": "∣",
	"ell": "ℓ", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "deg": "°", "degree": "°",
	"therefore": "∴", "because": "∵", "coloneqq": "≔", "triangle": "△", "square": "□", "checkmark": "✓",
	"S": "§", "P": "¶", "dagger": "†", "ddagger": "‡", "copyright": "©",
}

// mathBlock sets display math centred, a line for each \\ of the source.
func (c *converter) mathBlock(n *book.MathBlock) {
	s := c.w.st
	c.vspace(s.Para * 1.5)
	size := round2(s.Body * 1.1)
	tex := strings.TrimSpace(n.TeX)
	for _, line := range splitTeXLines(tex) {
		spans := mathSpans(line, style{Face: serif, Size: size, Color: c.color})
		c.setText(spans, lineStyle{X: c.x, Width: c.width, Align: alignCenter, Lead: size * 1.6, Face: serif, Size: size}, "math")
	}
	c.vspace(s.Para * 1.5)
}

// splitTeXLines splits display math at its line breaks (\\) outside braces.
func splitTeXLines(tex string) []string {
	var lines []string
	depth := 0
	start := 0
	rs := []rune(tex)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '{':
			depth++
		case '}':
			depth--
		case '\\':
			if i+1 < len(rs) && rs[i+1] == '\\' && depth == 0 {
				lines = append(lines, string(rs[start:i]))
				i++
				start = i + 1
			} else {
				i++
			}
		}
	}
	lines = append(lines, string(rs[start:]))
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
