package diagram

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// srcLine is one meaningful line of a diagram's source: trimmed, with its
// 1-based line number within the source given to Render.
type srcLine struct {
	num    int
	text   string
	indent int // columns of leading white space, a tab counting four
}

// document is a diagram's source with comments, directives, front matter
// and accessibility statements taken out.
type document struct {
	lines    []srcLine // meaningful lines, trimmed, in order
	header   int       // index in lines of the diagram type line; -1 when none
	lastLine int       // number of the last source line

	title    string // front matter title
	accTitle string
	accDescr string
	theme    map[string]string // themeVariables from an init directive or front matter
	config   string            // the text of init directives and front matter, for settings of one kind
	warnings []Warning
}

// warn records a warning about source line line, once.
func (d *document) warn(line int, msg string) {
	w := Warning{Line: line, Msg: msg}
	if !slices.Contains(d.warnings, w) {
		d.warnings = append(d.warnings, w)
	}
}

// Limits on input, so that hostile sources cannot make a layout run away.
const (
	maxSourceBytes = 256 << 10
	maxNodes       = 600
	maxEdges       = 1500
	maxLabelRunes  = 2000
)

// keyword returns the diagram type word of the header line.
func (d *document) keyword() string {
	if d.header < 0 {
		return ""
	}
	f := strings.FieldsFunc(d.lines[d.header].text, func(r rune) bool { return r == ' ' || r == '\t' || r == ';' })
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// headerRest returns what follows the diagram type word on the header line.
func (d *document) headerRest() string {
	t := d.lines[d.header].text
	kw := d.keyword()
	return strings.TrimSpace(t[strings.Index(t, kw)+len(kw):])
}

// body returns the lines after the header.
func (d *document) body() []srcLine {
	if d.header < 0 {
		return nil
	}
	return d.lines[d.header+1:]
}

var (
	themeVarRE = lazyRegexp(`['"]?([A-Za-z][A-Za-z0-9]*)['"]?\s*:\s*['"]([^'"]*)['"]`)
	accLineRE  = lazyRegexp(`^(accTitle|accDescr)\s*:\s*(.*)$`)
)

// preprocess splits src into meaningful lines. It never fails on content:
// syntax errors are found by the parsers.
func preprocess(src string) (*document, error) {
	if len(src) > maxSourceBytes {
		return nil, &ParseError{Line: 1, Msg: "diagram source too large"}
	}
	src = strings.ToValidUTF8(src, "\uFFFD")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	raw := strings.Split(src, "\n")
	d := &document{header: -1, lastLine: len(raw)}
	for len(raw) > 0 && strings.TrimSpace(raw[len(raw)-1]) == "" {
		raw = raw[:len(raw)-1]
	}
	if d.lastLine > len(raw) {
		d.lastLine = max(len(raw), 1)
	}
	i := 0
	// Front matter: --- ... --- before the diagram.
	for i < len(raw) && strings.TrimSpace(raw[i]) == "" {
		i++
	}
	if i < len(raw) && strings.TrimSpace(raw[i]) == "---" {
		for j := i + 1; j < len(raw); j++ {
			t := strings.TrimSpace(raw[j])
			if t == "---" {
				d.frontMatter(raw[i+1 : j])
				i = j + 1
				break
			}
		}
	}
	inAccDescr := false
	var descr []string
	for ; i < len(raw); i++ {
		expanded := strings.ReplaceAll(raw[i], "\t", "    ")
		t := strings.TrimSpace(expanded)
		indent := len(expanded) - len(strings.TrimLeft(expanded, " "))
		if inAccDescr {
			if k := strings.IndexByte(t, '}'); k >= 0 {
				descr = append(descr, strings.TrimSpace(t[:k]))
				d.accDescr = strings.TrimSpace(strings.Join(descr, " "))
				inAccDescr = false
			} else {
				descr = append(descr, t)
			}
			continue
		}
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "%%{") {
			d.directive(t)
			continue
		}
		if strings.HasPrefix(t, "%%") {
			continue
		}
		t = stripTrailingComment(t)
		if t == "" {
			continue
		}
		if m := accLineRE().FindStringSubmatch(t); m != nil {
			if m[1] == "accTitle" {
				d.accTitle = strings.TrimSpace(m[2])
			} else {
				d.accDescr = strings.TrimSpace(m[2])
			}
			continue
		}
		if strings.HasPrefix(t, "accDescr") && strings.HasSuffix(strings.TrimSpace(strings.TrimPrefix(t, "accDescr")), "{") {
			inAccDescr, descr = true, nil
			continue
		}
		if d.header < 0 {
			d.header = len(d.lines)
		}
		d.lines = append(d.lines, srcLine{num: i + 1, text: t, indent: indent})
	}
	return d, nil
}

// stripTrailingComment removes a " %% comment" that follows a statement,
// outside quotes.
func stripTrailingComment(t string) string {
	inQuote := false
	for i := 0; i+1 < len(t); i++ {
		switch {
		case t[i] == '"':
			inQuote = !inQuote
		case !inQuote && t[i] == '%' && t[i+1] == '%' && i > 0 && (t[i-1] == ' ' || t[i-1] == ';'):
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}

// directive reads the theme variables of a %%{init: ...}%% directive.
func (d *document) directive(t string) {
	d.config += t + "\n"
	k := strings.Index(t, "themeVariables")
	if k < 0 {
		return
	}
	d.themeVars(t[k+len("themeVariables"):])
}

func (d *document) themeVars(s string) {
	for _, m := range themeVarRE().FindAllStringSubmatch(s, -1) {
		if d.theme == nil {
			d.theme = map[string]string{}
		}
		d.theme[m[1]] = m[2]
	}
}

// frontMatter reads the title and theme variables of YAML front matter.
func (d *document) frontMatter(lines []string) {
	d.config += strings.Join(lines, "\n") + "\n"
	inVars := false
	varIndent := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		indent := len(l) - len(strings.TrimLeft(l, " "))
		if inVars && indent <= varIndent && t != "" {
			inVars = false
		}
		switch {
		case strings.HasPrefix(t, "title:") && indent == 0:
			d.title = unquote(strings.TrimSpace(strings.TrimPrefix(t, "title:")))
		case strings.HasPrefix(t, "themeVariables:"):
			inVars, varIndent = true, indent
			d.themeVars(strings.TrimPrefix(t, "themeVariables:"))
		case inVars:
			if k := strings.IndexByte(t, ':'); k > 0 {
				if d.theme == nil {
					d.theme = map[string]string{}
				}
				d.theme[strings.Trim(t[:k], `"' `)] = unquote(strings.TrimSpace(t[k+1:]))
			}
		}
	}
}

// endEntityRE matches an entity code at the end of a line: mermaid's #41;
// or #quot;, or HTML's &quot; and &#41;.
var endEntityRE = lazyRegexp(`(?:#|&#?)[A-Za-z0-9]{1,31};$`)

// trimSemicolon removes the semicolon that may end a statement, unless it
// ends an entity code.
func trimSemicolon(s string) string {
	if !strings.HasSuffix(s, ";") || endEntityRE().MatchString(s) {
		return s
	}
	return s[:len(s)-1]
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// lazyRegexp returns a regular expression compiled on first use: compiled
// when the package is loaded, this package's forty would cost every run
// of bindery a millisecond and a half before main, diagrams or none.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
