// Package tex parses the TeX math that technical writing uses into a tree
// both outputs set from: MathML in the EPUB, type in the PDF. It knows
// letters, numbers and operators, scripts, fractions and binomials, roots,
// accents, Greek letters and symbols from one table, \text, fonts (\mathbf,
// \mathbb, \mathcal), \left…\right, and matrix-like environments.
//
// Parsing never fails: what the parser does not know becomes text in the
// tree, so every formula can be set, and a Problem says what was not
// understood and where.
package tex

// Formula is parsed TeX math.
type Formula struct {
	// Source is the TeX as written.
	Source string
	// Display is true for display math ($$…$$).
	Display bool
	// Lines holds the formula, one row per line: display math broken with
	// \\ outside any environment has several.
	Lines []*Row
	// Problems lists what the parser did not understand.
	Problems []Problem
}

// Problem is something of a formula the parser did not understand. Offset
// is the byte offset in Source where it starts.
type Problem struct {
	Offset int
	Msg    string
}

// Node is a node of a formula: one of the types below.
type Node interface{ node() }

// Row is a sequence of nodes set side by side: a braced group, or a whole
// line.
type Row struct{ Items []Node }

// Ident is a letter or a letter-like symbol (x, α, ∞). Variant is empty for
// the default (italic for single Latin and lower-case Greek letters) or a
// MathML mathvariant: "normal", "bold", "italic", "bold-italic",
// "double-struck", "script", "fraktur", "sans-serif", "monospace".
type Ident struct {
	Text    string
	Variant string
}

// Number is a run of digits, with a decimal point.
type Number struct{ Text string }

// Op is an operator, a relation, a delimiter or punctuation.
type Op struct {
	Text  string
	Class Class
	// Limits says the operator takes its scripts above and below in
	// display math (∑, ∏, ∫ as TeX sets them).
	Limits bool
	// Stretchy delimiters come from \left, \right and \big.
	Stretchy bool
}

// Class is what role an operator plays, which sets its spacing.
type Class int

const (
	Ord   Class = iota // an ordinary symbol: no space around it
	Bin                // a binary operator: +, −, ×
	Rel                // a relation: =, <, →, ∈
	Large              // a large operator: ∑, ∫
	Open               // an opening delimiter
	Close              // a closing delimiter
	Punct              // punctuation: ,
)

// Func is a function name set upright: \sin, \log, \lim.
type Func struct {
	Name string
	// Limits says its scripts go above and below in display math (\lim, \max).
	Limits bool
}

// Text is text in a formula (\text{…}), set as text. Variant is "" or
// "italic" or "bold".
type Text struct {
	Text    string
	Variant string
}

// Space is horizontal space of Em ems (\, \quad ~).
type Space struct{ Em float64 }

// Scripts sets Sub and Sup (either may be nil) on Base.
type Scripts struct {
	Base, Sub, Sup Node
}

// Frac is a fraction; Binom a binomial coefficient, set without a rule and
// in parentheses.
type Frac struct {
	Num, Den Node
	Binom    bool
}

// Sqrt is a square root, or a root of Index when it is not nil.
type Sqrt struct {
	Body, Index Node
}

// Accent puts an accent (Name: hat, bar, vec, dot, tilde, …) over Body.
type Accent struct {
	Name string
	Body Node
}

// Table is a matrix-like environment: Env names it (matrix, pmatrix,
// bmatrix, vmatrix, cases, aligned, array, …); each row holds its cells.
type Table struct {
	Env  string
	Rows [][]*Row
}

// Unknown is a command the parser does not know: it is set as its name.
type Unknown struct{ Name string }

func (*Row) node()     {}
func (*Ident) node()   {}
func (*Number) node()  {}
func (*Op) node()      {}
func (*Func) node()    {}
func (*Text) node()    {}
func (*Space) node()   {}
func (*Scripts) node() {}
func (*Frac) node()    {}
func (*Sqrt) node()    {}
func (*Accent) node()  {}
func (*Table) node()   {}
func (*Unknown) node() {}

// Walk calls fn for n and every node under it, parents first.
func Walk(n Node, fn func(Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *Row:
		for _, k := range n.Items {
			Walk(k, fn)
		}
	case *Scripts:
		Walk(n.Base, fn)
		Walk(n.Sub, fn)
		Walk(n.Sup, fn)
	case *Frac:
		Walk(n.Num, fn)
		Walk(n.Den, fn)
	case *Sqrt:
		Walk(n.Body, fn)
		Walk(n.Index, fn)
	case *Accent:
		Walk(n.Body, fn)
	case *Table:
		for _, r := range n.Rows {
			for _, c := range r {
				Walk(c, fn)
			}
		}
	}
}
