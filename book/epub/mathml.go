package epub

import (
	"strings"
	"unicode"
)

// TeX to MathML: the subset of LaTeX math that technical writing uses —
// letters, numbers and operators, scripts, fractions, roots, accents, Greek
// letters and common symbols, \text, fonts (\mathbf, \mathbb, \mathcal),
// \left…\right, and matrix-like environments. What it does not know it
// shows as text, so the result is always valid MathML; the TeX source is
// kept as the annotation either way.

// texToMathML converts TeX math to the children of a <math> element.
func texToMathML(tex string, display bool) string {
	p := &texParser{src: []rune(tex), display: display}
	items := p.sequence(0)
	return "<mrow>" + strings.Join(items, "") + "</mrow>"
}

type texParser struct {
	src     []rune
	pos     int
	display bool
	depth   int
}

var texSymbols = map[string]string{
	// Greek
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
	"eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
	"xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
	"upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
	"Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
	// letter-like
	"infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "hbar": "ℏ", "emptyset": "∅", "varnothing": "∅",
	"aleph": "ℵ", "Re": "ℜ", "Im": "ℑ", "wp": "℘",
}

var texOperators = map[string]string{
	"times": "×", "cdot": "⋅", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆", "circ": "∘",
	"bullet": "∙", "oplus": "⊕", "otimes": "⊗", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠",
	"ne": "≠", "approx": "≈", "equiv": "≡", "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝",
	"ll": "≪", "gg": "≫", "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
	"Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹", "iff": "⟺", "mapsto": "↦",
	"in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
	"cup": "∪", "cap": "∩", "setminus": "∖", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨", "neg": "¬",
	"lnot": "¬", "forall": "∀", "exists": "∃", "nexists": "∄", "mid": "∣", "parallel": "∥", "perp": "⊥",
	"ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "dots": "…", "prime": "′", "angle": "∠",
	"langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "vert": "|",
	"lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖", "rVert": "‖", "colon": ":", "uparrow": "↑",
	"downarrow": "↓", "therefore": "∴", "because": "∵", "top": "⊤", "bot": "⊥", "vdash": "⊢", "models": "⊨",
	"oint": "∮", "iint": "∬",
}

var texBigOperators = map[string]string{
	"sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁",
	"bigotimes": "⨂", "bigvee": "⋁", "bigwedge": "⋀",
}

var texFunctions = map[string]bool{
	"sin": true, "cos": true, "tan": true, "cot": true, "sec": true, "csc": true, "arcsin": true, "arccos": true,
	"arctan": true, "sinh": true, "cosh": true, "tanh": true, "log": true, "ln": true, "lg": true, "exp": true,
	"min": true, "max": true, "sup": true, "inf": true, "lim": true, "limsup": true, "liminf": true, "det": true,
	"gcd": true, "deg": true, "dim": true, "ker": true, "arg": true, "Pr": true, "mod": true, "bmod": true,
}

var texAccents = map[string]string{
	"hat": "^", "widehat": "^", "bar": "¯", "overline": "¯", "vec": "→", "overrightarrow": "→", "tilde": "~",
	"widetilde": "~", "dot": "˙", "ddot": "¨", "check": "ˇ", "acute": "´", "grave": "`", "breve": "˘",
}

var texFonts = map[string]string{
	"mathbf": "bold", "boldsymbol": "bold-italic", "mathbb": "double-struck", "mathcal": "script",
	"mathscr": "script", "mathfrak": "fraktur", "mathit": "italic", "mathrm": "normal", "mathsf": "sans-serif",
	"mathtt": "monospace", "operatorname": "normal",
}

var texSpaces = map[string]string{",": "0.167em", ":": "0.222em", ";": "0.278em", "!": "0em", "quad": "1em", "qquad": "2em", " ": "0.25em", "enspace": "0.5em"}

func xmlText(s string) string { return escapeXML(s, true) }

func (p *texParser) peek() rune {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *texParser) skipSpace() {
	for p.pos < len(p.src) && unicode.IsSpace(p.src[p.pos]) {
		p.pos++
	}
}

// command reads a command name after a backslash.
func (p *texParser) command() string {
	start := p.pos
	for p.pos < len(p.src) && unicode.IsLetter(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start && p.pos < len(p.src) {
		p.pos++
	}
	return string(p.src[start:p.pos])
}

// sequence parses items until a closing brace, \right, \end, & or \\ at
// the given level (the caller checks which).
func (p *texParser) sequence(level int) []string {
	var items []string
	for p.pos < len(p.src) {
		p.skipSpace()
		c := p.peek()
		if c == 0 || c == '}' || c == '&' {
			break
		}
		if c == '\\' && p.pos+1 < len(p.src) {
			save := p.pos
			p.pos++
			name := p.command()
			if name == "right" || name == "end" || name == "\\" {
				p.pos = save
				break
			}
			p.pos = save
		}
		if c == '^' || c == '_' {
			p.pos++
			base := "<mrow></mrow>"
			if len(items) > 0 {
				base = items[len(items)-1]
				items = items[:len(items)-1]
			}
			items = append(items, p.scripts(base, c))
			continue
		}
		if it := p.atom(); it != "" {
			items = append(items, it)
		}
	}
	return items
}

// scripts builds sub/superscripts on base; first is the script just read.
func (p *texParser) scripts(base string, first rune) string {
	a := p.argument()
	var sub, sup string
	if first == '_' {
		sub = a
	} else {
		sup = a
	}
	p.skipSpace()
	if c := p.peek(); (c == '^' && sup == "") || (c == '_' && sub == "") {
		p.pos++
		if c == '^' {
			sup = p.argument()
		} else {
			sub = p.argument()
		}
	}
	under := p.display && strings.Contains(base, `movablelimits="true"`)
	switch {
	case sub != "" && sup != "":
		if under {
			return "<munderover>" + base + sub + sup + "</munderover>"
		}
		return "<msubsup>" + base + sub + sup + "</msubsup>"
	case sub != "":
		if under {
			return "<munder>" + base + sub + "</munder>"
		}
		return "<msub>" + base + sub + "</msub>"
	default:
		return "<msup>" + base + sup + "</msup>"
	}
}

// argument parses one argument: a group or a single atom.
func (p *texParser) argument() string {
	p.skipSpace()
	if p.peek() == '{' {
		return p.group()
	}
	if p.pos >= len(p.src) {
		return "<mrow></mrow>"
	}
	c := p.peek()
	if c >= '0' && c <= '9' { // x^23 takes one digit
		p.pos++
		return "<mn>" + string(c) + "</mn>"
	}
	if it := p.atom(); it != "" {
		return it
	}
	return "<mrow></mrow>"
}

// group parses {…} as an mrow.
func (p *texParser) group() string {
	p.pos++ // {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 64 {
		start := p.pos
		for p.pos < len(p.src) && p.src[p.pos] != '}' {
			p.pos++
		}
		s := string(p.src[start:p.pos])
		p.pos = min(p.pos+1, len(p.src))
		return "<mtext>" + xmlText(s) + "</mtext>"
	}
	items := p.sequence(p.depth)
	for p.pos < len(p.src) && p.src[p.pos] != '}' { // stray & or \\ inside a group
		p.pos++
		items = append(items, p.sequence(p.depth)...)
	}
	if p.peek() == '}' {
		p.pos++
	}
	return "<mrow>" + strings.Join(items, "") + "</mrow>"
}

// rawGroup returns the text of a {…} argument without parsing it.
func (p *texParser) rawGroup() string {
	p.skipSpace()
	if p.peek() != '{' {
		return string(p.command())
	}
	p.pos++
	start, depth := p.pos, 1
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '{':
			depth++
		case '}':
			depth--
		}
		if depth == 0 {
			break
		}
		p.pos++
	}
	s := string(p.src[start:min(p.pos, len(p.src))])
	p.pos = min(p.pos+1, len(p.src))
	return s
}

func (p *texParser) atom() string {
	c := p.peek()
	switch {
	case c == '{':
		return p.group()
	case c == '\\':
		p.pos++
		return p.control(p.command())
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9':
		start := p.pos
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
			p.pos++
		}
		return "<mn>" + string(p.src[start:p.pos]) + "</mn>"
	case unicode.IsLetter(c):
		p.pos++
		return "<mi>" + xmlText(string(c)) + "</mi>"
	case c == '\'':
		p.pos++
		return "<mo>′</mo>"
	case c == '~':
		p.pos++
		return `<mspace width="0.25em"></mspace>`
	default:
		p.pos++
		if c == '}' || c == '&' {
			return ""
		}
		return "<mo>" + xmlText(string(c)) + "</mo>"
	}
}

func (p *texParser) control(name string) string {
	if s, ok := texSymbols[name]; ok {
		return "<mi>" + s + "</mi>"
	}
	if s, ok := texOperators[name]; ok {
		return "<mo>" + s + "</mo>"
	}
	if s, ok := texBigOperators[name]; ok {
		return `<mo movablelimits="true">` + s + "</mo>"
	}
	if texFunctions[name] {
		if name == "lim" || name == "max" || name == "min" || name == "sup" || name == "inf" {
			return `<mo movablelimits="true">` + name + "</mo>"
		}
		return `<mi mathvariant="normal">` + name + "</mi><mo>\u2061</mo>"
	}
	if w, ok := texSpaces[name]; ok {
		return `<mspace width="` + w + `"></mspace>`
	}
	if a, ok := texAccents[name]; ok {
		return `<mover accent="true">` + p.argument() + "<mo>" + xmlText(a) + "</mo></mover>"
	}
	if v, ok := texFonts[name]; ok {
		if name == "operatorname" {
			return `<mi mathvariant="normal">` + xmlText(p.rawGroup()) + "</mi>"
		}
		arg := p.argument()
		return strings.ReplaceAll(arg, "<mi>", `<mi mathvariant="`+v+`">`)
	}
	switch name {
	case "frac", "dfrac", "tfrac", "cfrac":
		return "<mfrac>" + p.argument() + p.argument() + "</mfrac>"
	case "binom", "dbinom", "tbinom":
		return `<mrow><mo>(</mo><mfrac linethickness="0">` + p.argument() + p.argument() + `</mfrac><mo>)</mo></mrow>`
	case "sqrt":
		p.skipSpace()
		if p.peek() == '[' {
			p.pos++
			start := p.pos
			for p.pos < len(p.src) && p.src[p.pos] != ']' {
				p.pos++
			}
			idx := texToMathML(string(p.src[start:p.pos]), false)
			p.pos = min(p.pos+1, len(p.src))
			return "<mroot>" + p.argument() + idx + "</mroot>"
		}
		return "<msqrt>" + p.argument() + "</msqrt>"
	case "text", "textrm", "textit", "textbf", "mbox", "textsf", "texttt", "hbox":
		return "<mtext>" + xmlText(p.rawGroup()) + "</mtext>"
	case "left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big", "bigg", "Bigg", "middle":
		p.skipSpace()
		if p.peek() == '\\' {
			p.pos++
			d := p.command()
			if d == "{" || d == "}" || d == "|" {
				return `<mo stretchy="true">` + xmlText(map[string]string{"{": "{", "}": "}", "|": "‖"}[d]) + "</mo>"
			}
			if s, ok := texOperators[d]; ok {
				return `<mo stretchy="true">` + s + "</mo>"
			}
			return ""
		}
		c := p.peek()
		p.pos++
		if c == '.' || c == 0 {
			return ""
		}
		return `<mo stretchy="true">` + xmlText(string(c)) + "</mo>"
	case "{", "}", "|", "#", "$", "%", "&", "_":
		if name == "|" {
			return "<mo>‖</mo>"
		}
		return "<mo>" + xmlText(name) + "</mo>"
	case "\\":
		return ""
	case "begin":
		return p.environment(p.rawGroup())
	case "end":
		p.rawGroup()
		return ""
	case "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits":
		return ""
	}
	return "<mtext>\\" + xmlText(name) + "</mtext>"
}

// environment parses matrix-like environments into a table.
func (p *texParser) environment(env string) string {
	if strings.HasPrefix(env, "array") || env == "array" {
		p.rawGroup() // column spec
	}
	var rows []string
	var cells []string
	for p.pos < len(p.src) {
		items := p.sequence(p.depth)
		cells = append(cells, "<mtd>"+strings.Join(items, "")+"</mtd>")
		if p.pos >= len(p.src) {
			break
		}
		c := p.peek()
		if c == '&' {
			p.pos++
			continue
		}
		if c == '}' {
			p.pos++
			continue
		}
		// \\ or \end
		p.pos++
		name := p.command()
		if name == "\\" {
			rows = append(rows, "<mtr>"+strings.Join(cells, "")+"</mtr>")
			cells = nil
			continue
		}
		if name == "end" {
			p.rawGroup()
			break
		}
		if name == "right" {
			p.pos -= len("right") + 1
			break
		}
	}
	if len(cells) > 0 {
		rows = append(rows, "<mtr>"+strings.Join(cells, "")+"</mtr>")
	}
	table := "<mtable>" + strings.Join(rows, "") + "</mtable>"
	switch env {
	case "pmatrix":
		return "<mrow><mo>(</mo>" + table + "<mo>)</mo></mrow>"
	case "bmatrix":
		return "<mrow><mo>[</mo>" + table + "<mo>]</mo></mrow>"
	case "vmatrix":
		return "<mrow><mo>|</mo>" + table + "<mo>|</mo></mrow>"
	case "cases":
		return "<mrow><mo>{</mo>" + table + "</mrow>"
	}
	return table
}
