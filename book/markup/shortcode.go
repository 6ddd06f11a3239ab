package markup

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Hugo shortcodes ({{< name args >}} … {{< /name >}}, and the {{% %}} form)
// are parsed into shortcode nodes, blocks when a tag stands on its own line
// and inlines otherwise, never inside code. After parsing, the transformer
// turns them into the dialect's kinds (Admonition, Details, Tab, Steps) or
// goldmark's (figures, links, code), or drops their markup with a problem,
// so no reader ever sees "{{<".

// kindShortcode is the kind of a block shortcode not yet transformed.
var kindShortcode = ast.NewNodeKind("Shortcode")

// shortcode is a parsed block shortcode. It exists only between parsing
// and the transformer; the outputs never see one.
type shortcode struct {
	ast.BaseBlock
	Name string
	// Args holds named arguments; positional ones are "0", "1", …
	Args map[string]string
	// Raw shortcodes (highlight) keep their inner lines as code.
	Raw bool
	// Offset is the byte offset of the opening tag.
	Offset int
	// langStart and langStop bound a raw shortcode's language argument.
	langStart, langStop int
	closed              bool // its closing tag was seen
	self                bool // takes no inner content
	depth               int  // nested openings of the same name seen while open
}

func (n *shortcode) Kind() ast.NodeKind { return kindShortcode }
func (n *shortcode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Name": n.Name}, nil)
}

// IsRaw reports whether inner content is code rather than markdown.
func (n *shortcode) IsRaw() bool { return n.Raw }

// shortcodeTag is one parsed tag.
type shortcodeTag struct {
	name    string
	args    map[string]string
	closing bool // {{< /name >}}
	self    bool // {{< name />}}
	length  int  // bytes the tag spans
	argPos  map[string][2]int
}

var tagStart = regexp.MustCompile(`^\{\{([<%])\s*`)

// parseTag parses a shortcode tag at the start of b.
func parseTag(b []byte) (shortcodeTag, bool) {
	var t shortcodeTag
	m := tagStart.FindSubmatch(b)
	if m == nil {
		return t, false
	}
	delim := m[1][0]
	end := []byte(">}}")
	if delim == '%' {
		end = []byte("%}}")
	}
	i := len(m[0])
	stop := bytes.Index(b[i:], end)
	if stop < 0 {
		return t, false
	}
	body := b[i : i+stop]
	if bytes.IndexByte(body, '\n') >= 0 && bytes.Count(body, []byte{'\n'}) > 20 {
		return t, false
	}
	t.length = i + stop + len(end)
	s := strings.TrimSpace(string(body))
	if strings.HasPrefix(s, "/*") { // {{</* escaped */>}}: Hugo shows it as text
		return t, false
	}
	if strings.HasSuffix(s, "/") {
		t.self = true
		s = strings.TrimSpace(strings.TrimSuffix(s, "/"))
	}
	if strings.HasPrefix(s, "/") {
		t.closing = true
		s = strings.TrimSpace(s[1:])
	}
	args, pos := splitArgs(s, i+len(string(body))-len(strings.TrimLeft(string(body), " \t")))
	if len(args) == 0 {
		return t, false
	}
	t.name = args[0][1]
	if !validName(t.name) {
		return t, false
	}
	t.args = map[string]string{}
	t.argPos = map[string][2]int{}
	n := 0
	for k, a := range args[1:] {
		key := a[0]
		if key == "" {
			key = strconv.Itoa(n)
			n++
		}
		t.args[key] = a[1]
		t.argPos[key] = pos[k+1]
	}
	return t, true
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '/' || r == '.') {
			return false
		}
	}
	return true
}

// splitArgs splits "name key=\"v\" pos" into [key, value] pairs (key "" for
// positional ones) with the byte span of each value relative to base.
func splitArgs(s string, base int) ([][2]string, [][2]int) {
	var out [][2]string
	var pos [][2]int
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		if i >= len(s) {
			break
		}
		key := ""
		// key=
		j := i
		for j < len(s) && s[j] != '=' && s[j] != ' ' && s[j] != '"' && s[j] != '`' && s[j] != '\'' {
			j++
		}
		if j < len(s) && s[j] == '=' {
			key = s[i:j]
			i = j + 1
		}
		var val string
		start := i
		if i < len(s) && (s[i] == '"' || s[i] == '`' || s[i] == '\'') {
			q := s[i]
			k := i + 1
			var v strings.Builder
			for k < len(s) && s[k] != q {
				if s[k] == '\\' && q == '"' && k+1 < len(s) {
					k++
				}
				v.WriteByte(s[k])
				k++
			}
			val = v.String()
			start = i + 1
			i = min(k+1, len(s))
			pos = append(pos, [2]int{base + start, base + k})
		} else {
			k := i
			for k < len(s) && s[k] != ' ' && s[k] != '\t' && s[k] != '\n' {
				k++
			}
			val = s[i:k]
			pos = append(pos, [2]int{base + i, base + k})
			i = k
		}
		out = append(out, [2]string{key, val})
	}
	return out, pos
}

// selfClosing lists shortcodes that never take inner content.
var selfClosing = map[string]bool{
	"youtube": true, "vimeo": true, "figure": true, "ref": true, "relref": true, "param": true,
	"gist": true, "tweet": true, "x": true, "instagram": true, "qr": true, "icon": true, "badge": true,
}

// rawShortcodes keep their inner lines as code.
var rawShortcodes = map[string]bool{"highlight": true}

type shortcodeBlockParser struct{}

func (shortcodeBlockParser) Trigger() []byte { return []byte{'{'} }

// lineTag parses a tag that fills the whole (trimmed) line.
func lineTag(line []byte) (shortcodeTag, int, bool) {
	trimmed := bytes.TrimLeft(line, " \t")
	indent := len(line) - len(trimmed)
	t, ok := parseTag(trimmed)
	if !ok || len(bytes.TrimSpace(trimmed[t.length:])) != 0 {
		return t, 0, false
	}
	return t, indent, true
}

// maxShortcodeDepth bounds shortcode nesting: every line is shown to every
// open block, so deeper nesting would cost time for no real document.
const maxShortcodeDepth = 32

func (shortcodeBlockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	depth := 0
	for p := parent; p != nil; p = p.Parent() {
		if _, ok := p.(*shortcode); ok {
			depth++
		}
	}
	if depth >= maxShortcodeDepth {
		return nil, parser.NoChildren
	}
	line, seg := reader.PeekLine()
	t, indent, ok := lineTag(line)
	if !ok {
		return nil, parser.NoChildren
	}
	n := &shortcode{Name: t.name, Args: t.args, Offset: seg.Start + indent}
	if t.closing {
		n.Name = "/" + t.name // a stray closing tag; resolved into a warning
		reader.Advance(len(line) - trailingNewline(line))
		return n, parser.NoChildren
	}
	reader.Advance(len(line) - trailingNewline(line))
	if t.self || selfClosing[t.name] {
		n.self = true
		return n, parser.NoChildren
	}
	if rawShortcodes[t.name] {
		n.Raw = true
		if p, ok := t.argPos["0"]; ok {
			n.langStart, n.langStop = seg.Start+indent+p[0], seg.Start+indent+p[1]
		}
		return n, parser.NoChildren
	}
	return n, parser.HasChildren
}

func (shortcodeBlockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*shortcode)
	if strings.HasPrefix(n.Name, "/") || n.self {
		return parser.Close
	}
	line, seg := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	if t, _, ok := lineTag(line); ok && t.name == n.Name && !t.self {
		if t.closing {
			if n.depth == 0 {
				reader.Advance(len(line) - trailingNewline(line))
				n.closed = true
				return parser.Close
			}
			n.depth--
		} else if !n.Raw {
			n.depth++
		}
	}
	if n.Raw {
		n.Lines().Append(seg)
		reader.Advance(seg.Len() - trailingNewline(line))
		return parser.Continue | parser.NoChildren
	}
	return parser.Continue | parser.HasChildren
}

func (shortcodeBlockParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (shortcodeBlockParser) CanInterruptParagraph() bool                                { return true }
func (shortcodeBlockParser) CanAcceptIndentedLine() bool                                { return false }

// shortcodeInlineParser parses tags inside paragraphs. An inline shortcode
// becomes an (inline) Shortcode node with no children; the text between an
// opening and a closing inline tag stays where it is.
type shortcodeInlineParser struct{}

func (shortcodeInlineParser) Trigger() []byte { return []byte{'{'} }

func (shortcodeInlineParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	t, ok := parseTag(line)
	if !ok {
		return nil
	}
	block.Advance(t.length)
	name := t.name
	if t.closing {
		name = "/" + name
	}
	return &shortcodeInline{Name: name, Args: t.args, Offset: seg.Start}
}

// kindShortcodeInline is the kind of an inline shortcode not yet transformed.
var kindShortcodeInline = ast.NewNodeKind("ShortcodeInline")

type shortcodeInline struct {
	ast.BaseInline
	Name   string
	Args   map[string]string
	Offset int
}

func (n *shortcodeInline) Kind() ast.NodeKind { return kindShortcodeInline }
func (n *shortcodeInline) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Name": n.Name}, nil)
}

// refInLink matches a ref or relref shortcode used as a link destination.
var refInLink = regexp.MustCompile(`\]\(\s*\{\{[<%]\s*(?:rel)?ref\s+"?([^"\s>%]+)"?\s*[>%]\}\}\s*\)`)

// preprocess rewrites what a parser cannot see as syntax: a ref shortcode
// inside a link destination becomes the path it names. Line breaks are
// kept, so positions stay right.
func preprocess(src []byte) []byte {
	if !bytes.Contains(src, []byte("{{")) {
		return src
	}
	return refInLink.ReplaceAll(src, []byte("](${1})"))
}
