package tex

// symbol is what a command without arguments stands for.
type symbol struct {
	text  string
	ident bool // a letter-like symbol (Ident); otherwise an operator (Op)
	class Class
	// limits: a large operator whose scripts go above and below in display.
	limits  bool
	upright bool // an upright identifier (capital Greek, as TeX sets them)
}

func ident(s string) symbol   { return symbol{text: s, ident: true} }
func upright(s string) symbol { return symbol{text: s, ident: true, upright: true} }
func op(s string, c Class) symbol {
	return symbol{text: s, class: c}
}

// symbols is the one table of TeX's symbol commands, for both outputs.
// The characters are those of unicode-math and MathML: \cdot is U+22C5
// DOT OPERATOR, \bullet U+2219 BULLET OPERATOR.
var symbols = map[string]symbol{
	// Greek: lower case italic, capitals upright, as TeX sets them.
	"alpha": ident("α"), "beta": ident("β"), "gamma": ident("γ"), "delta": ident("δ"), "epsilon": ident("ϵ"),
	"varepsilon": ident("ε"), "zeta": ident("ζ"), "eta": ident("η"), "theta": ident("θ"), "vartheta": ident("ϑ"),
	"iota": ident("ι"), "kappa": ident("κ"), "lambda": ident("λ"), "mu": ident("μ"), "nu": ident("ν"),
	"xi": ident("ξ"), "pi": ident("π"), "varpi": ident("ϖ"), "rho": ident("ρ"), "varrho": ident("ϱ"),
	"sigma": ident("σ"), "varsigma": ident("ς"), "tau": ident("τ"), "upsilon": ident("υ"), "phi": ident("ϕ"),
	"varphi": ident("φ"), "chi": ident("χ"), "psi": ident("ψ"), "omega": ident("ω"),
	"Gamma": upright("Γ"), "Delta": upright("Δ"), "Theta": upright("Θ"), "Lambda": upright("Λ"), "Xi": upright("Ξ"),
	"Pi": upright("Π"), "Sigma": upright("Σ"), "Upsilon": upright("Υ"), "Phi": upright("Φ"), "Psi": upright("Ψ"),
	"Omega": upright("Ω"),

	// Letter-like symbols.
	"infty": ident("∞"), "partial": ident("∂"), "nabla": ident("∇"), "ell": upright("ℓ"), "hbar": ident("ℏ"),
	"emptyset": ident("∅"), "varnothing": ident("∅"), "aleph": ident("ℵ"), "Re": ident("ℜ"), "Im": ident("ℑ"),
	"wp": ident("℘"),

	// Binary operators.
	"times": op("×", Bin), "cdot": op("⋅", Bin), "div": op("÷", Bin), "pm": op("±", Bin), "mp": op("∓", Bin),
	"ast": op("∗", Bin), "star": op("⋆", Bin), "circ": op("∘", Bin), "bullet": op("∙", Bin), "oplus": op("⊕", Bin),
	"otimes": op("⊗", Bin), "cup": op("∪", Bin), "cap": op("∩", Bin), "setminus": op("∖", Bin),
	"land": op("∧", Bin), "wedge": op("∧", Bin), "lor": op("∨", Bin), "vee": op("∨", Bin),

	// Relations and arrows.
	"leq": op("≤", Rel), "le": op("≤", Rel), "geq": op("≥", Rel), "ge": op("≥", Rel), "neq": op("≠", Rel),
	"ne": op("≠", Rel), "approx": op("≈", Rel), "equiv": op("≡", Rel), "sim": op("∼", Rel), "simeq": op("≃", Rel),
	"cong": op("≅", Rel), "propto": op("∝", Rel), "ll": op("≪", Rel), "gg": op("≫", Rel), "in": op("∈", Rel),
	"notin": op("∉", Rel), "ni": op("∋", Rel), "subset": op("⊂", Rel), "subseteq": op("⊆", Rel),
	"supset": op("⊃", Rel), "supseteq": op("⊇", Rel), "mid": op("∣", Rel), "parallel": op("∥", Rel),
	"perp": op("⊥", Rel), "vdash": op("⊢", Rel), "models": op("⊨", Rel), "coloneqq": op("≔", Rel),
	"to": op("→", Rel), "rightarrow": op("→", Rel), "leftarrow": op("←", Rel), "gets": op("←", Rel),
	"leftrightarrow": op("↔", Rel), "Rightarrow": op("⇒", Rel), "Leftarrow": op("⇐", Rel),
	"Leftrightarrow": op("⇔", Rel), "implies": op("⟹", Rel), "iff": op("⟺", Rel), "mapsto": op("↦", Rel),
	"longrightarrow": op("⟶", Rel), "Longrightarrow": op("⟹", Rel), "uparrow": op("↑", Rel),
	"downarrow": op("↓", Rel), "therefore": op("∴", Rel), "because": op("∵", Rel),

	// Ordinary symbols.
	"forall": op("∀", Ord), "exists": op("∃", Ord), "nexists": op("∄", Ord), "neg": op("¬", Ord),
	"lnot": op("¬", Ord), "ldots": op("…", Ord), "cdots": op("⋯", Ord), "vdots": op("⋮", Ord),
	"ddots": op("⋱", Ord), "dots": op("…", Ord), "prime": op("′", Ord), "angle": op("∠", Ord),
	"vert": op("|", Ord), "Vert": op("‖", Ord), "top": op("⊤", Ord), "bot": op("⊥", Ord),
	"triangle": op("△", Ord), "square": op("□", Ord), "checkmark": op("✓", Ord), "S": op("§", Ord),
	"P": op("¶", Ord), "dagger": op("†", Ord), "ddagger": op("‡", Ord), "copyright": op("©", Ord),
	"degree": op("°", Ord), "colon": op(":", Punct),

	// Delimiters.
	"langle": op("⟨", Open), "rangle": op("⟩", Close), "lceil": op("⌈", Open), "rceil": op("⌉", Close),
	"lfloor": op("⌊", Open), "rfloor": op("⌋", Close), "lbrace": op("{", Open), "rbrace": op("}", Close),
	"lvert": op("|", Open), "rvert": op("|", Close), "lVert": op("‖", Open), "rVert": op("‖", Close),

	// Large operators. Integrals keep their scripts beside them, as in TeX.
	"sum": {text: "∑", class: Large, limits: true}, "prod": {text: "∏", class: Large, limits: true},
	"coprod": {text: "∐", class: Large, limits: true}, "bigcup": {text: "⋃", class: Large, limits: true},
	"bigcap": {text: "⋂", class: Large, limits: true}, "bigoplus": {text: "⨁", class: Large, limits: true},
	"bigotimes": {text: "⨂", class: Large, limits: true}, "bigvee": {text: "⋁", class: Large, limits: true},
	"bigwedge": {text: "⋀", class: Large, limits: true},
	"int":      op("∫", Large), "iint": op("∬", Large), "oint": op("∮", Large),
}

// functions are the operator names TeX sets upright; those marked true take
// their scripts above and below in display math.
var functions = map[string]bool{
	"sin": false, "cos": false, "tan": false, "cot": false, "sec": false, "csc": false, "arcsin": false,
	"arccos": false, "arctan": false, "sinh": false, "cosh": false, "tanh": false, "log": false, "ln": false,
	"lg": false, "exp": false, "deg": false, "dim": false, "ker": false, "arg": false, "hom": false,
	"mod": false, "bmod": false, "pmod": false,
	"lim": true, "limsup": true, "liminf": true, "max": true, "min": true, "sup": true, "inf": true,
	"det": true, "gcd": true, "Pr": true,
}

// accents are the commands that set a mark over their argument.
var accents = map[string]bool{
	"hat": true, "widehat": true, "bar": true, "overline": true, "vec": true, "overrightarrow": true,
	"tilde": true, "widetilde": true, "dot": true, "ddot": true, "check": true, "acute": true,
	"grave": true, "breve": true, "underline": true,
}

// fonts maps font commands to the variant they give their argument's letters.
var fonts = map[string]string{
	"mathbf": "bold", "boldsymbol": "bold-italic", "bm": "bold-italic", "mathbb": "double-struck",
	"mathcal": "script", "mathscr": "script", "mathfrak": "fraktur", "mathit": "italic",
	"mathrm": "normal", "mathsf": "sans-serif", "mathtt": "monospace",
}

// texts are the commands whose argument is text, with its variant.
var texts = map[string]string{
	"text": "", "textrm": "", "textup": "", "textnormal": "", "mbox": "", "hbox": "", "textsf": "",
	"texttt": "", "textit": "italic", "emph": "italic", "textbf": "bold",
}

// spaces maps spacing commands to their width in ems.
var spaces = map[string]float64{
	",": 0.167, ":": 0.222, ">": 0.222, ";": 0.278, "!": 0, "quad": 1, "qquad": 2, " ": 0.25, "enspace": 0.5,
}

// ignored are commands that change nothing a book shows.
var ignored = map[string]bool{
	"displaystyle": true, "textstyle": true, "scriptstyle": true, "scriptscriptstyle": true,
	"limits": true, "nolimits": true, "nonumber": true, "notag": true,
}

// environments are the environments the parser knows, all set as tables.
var environments = map[string]bool{
	"matrix": true, "pmatrix": true, "bmatrix": true, "Bmatrix": true, "vmatrix": true, "Vmatrix": true,
	"smallmatrix": true, "cases": true, "aligned": true, "align": true, "align*": true, "alignat": true,
	"gathered": true, "gather": true, "gather*": true, "split": true, "array": true, "equation": true,
	"equation*": true, "eqnarray": true,
}

// Fences returns the delimiters an environment sets around its table:
// ( ) for pmatrix, [ ] for bmatrix, a brace on the left for cases.
func Fences(env string) (open, close string) {
	switch env {
	case "pmatrix":
		return "(", ")"
	case "bmatrix":
		return "[", "]"
	case "Bmatrix":
		return "{", "}"
	case "vmatrix":
		return "|", "|"
	case "Vmatrix":
		return "‖", "‖"
	case "cases":
		return "{", ""
	}
	return "", ""
}

// charOp classifies a character that stands for itself as an operator,
// and gives the character that sets it: the minus sign for a hyphen.
func charOp(c rune) *Op {
	switch c {
	case '=', '<', '>', ':':
		return &Op{Text: string(c), Class: Rel}
	case '+':
		return &Op{Text: "+", Class: Bin}
	case '-':
		return &Op{Text: "−", Class: Bin}
	case '*':
		return &Op{Text: "∗", Class: Bin}
	case ',', ';':
		return &Op{Text: string(c), Class: Punct}
	case '(', '[':
		return &Op{Text: string(c), Class: Open}
	case ')', ']':
		return &Op{Text: string(c), Class: Close}
	}
	return &Op{Text: string(c), Class: Ord}
}
