package markup

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// transformer turns the shortcodes and alerts of a parsed page into the
// dialect's node kinds, and flattens blocks nested too deep. It runs as a
// goldmark AST transformer, after parsing.
type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	t := &transform{src: reader.Source(), pc: pc}
	t.blocks(doc)
	t.limitNesting(doc, 0)
}

type transform struct {
	src []byte
	pc  parser.Context
}

func (t *transform) problem(offset int, format string, args ...any) {
	addProblem(t.pc, offset, fmt.Sprintf(format, args...))
}

// blocks transforms the blocks under parent.
func (t *transform) blocks(parent ast.Node) {
	for c := parent.FirstChild(); c != nil; {
		next := c.NextSibling()
		switch n := c.(type) {
		case *shortcode:
			t.shortcode(parent, n)
		case *ast.Blockquote:
			if a := t.alert(parent, n); a != nil {
				t.blocks(a)
			} else {
				t.blocks(n)
			}
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
			t.inlines(n)
		default:
			if c.Type() == ast.TypeBlock {
				t.blocks(c)
			} else {
				t.inlines(c)
			}
		}
		c = next
	}
}

var admonitionVariants = map[string]string{
	"note": "note", "info": "info", "tip": "tip", "hint": "tip", "important": "important",
	"warning": "warning", "warn": "warning", "caution": "caution", "error": "error",
	"danger": "caution", "success": "tip", "question": "note", "example": "note", "default": "note",
}

// arg returns the first non-empty argument of keys.
func arg(args map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(args[k]); v != "" {
			return v
		}
	}
	return ""
}

// replace puts n in place of old, moving old's children into n.
func replace(parent, old, n ast.Node) {
	for c := old.FirstChild(); c != nil; {
		next := c.NextSibling()
		n.AppendChild(n, c)
		c = next
	}
	parent.ReplaceChild(parent, old, n)
}

// lift replaces old by its children.
func lift(parent, old ast.Node) {
	for c := old.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, old, c)
		c = next
	}
	parent.RemoveChild(parent, old)
}

// shortcode transforms a block shortcode.
func (t *transform) shortcode(parent ast.Node, sc *shortcode) {
	if strings.HasPrefix(sc.Name, "/") {
		t.problem(sc.Offset, "closing shortcode {{< %s >}} has no opening one; removed", sc.Name)
		parent.RemoveChild(parent, sc)
		return
	}
	if !sc.self && !sc.Raw && !sc.closed {
		t.problem(sc.Offset, "shortcode %q is never closed; its content runs to the end of the enclosing block", sc.Name)
	}
	var n ast.Node
	switch sc.Name {
	case "callout", "alert", "admonition", "notice", "hint":
		variant := cmp.Or(admonitionVariants[strings.ToLower(arg(sc.Args, "type", "0", "context"))], "note")
		n = &Admonition{Variant: variant, Title: cmp.Or(arg(sc.Args, "title"), AdmonitionLabel(variant))}
	case "details", "collapse", "expand", "spoiler":
		n = &Details{Summary: cmp.Or(arg(sc.Args, "summary", "title", "0"), "Details")}
	case "tabs":
		t.tabs(parent, sc)
		return
	case "tab":
		n = &Tab{Label: cmp.Or(arg(sc.Args, "name", "title", "0", "label"), "Tab")}
	case "steps":
		n = &Steps{}
	case "highlight", "code":
		t.codeBlock(parent, sc)
		return
	case "figure", "img", "image":
		t.figure(parent, sc)
		return
	case "youtube", "vimeo":
		p := ast.NewParagraph()
		p.SetPos(sc.Offset)
		video(p, sc.Name, sc.Args, sc.Offset)
		parent.ReplaceChild(parent, sc, p)
		return
	case "ref", "relref":
		p := ast.NewParagraph()
		p.AppendChild(p, refLink(sc.Args, sc.Offset))
		parent.ReplaceChild(parent, sc, p)
		return
	default:
		t.problem(sc.Offset, "unknown shortcode %q: markup removed, content kept", sc.Name)
		if sc.Raw {
			t.codeBlock(parent, sc)
			return
		}
		t.blocks(sc)
		lift(parent, sc)
		return
	}
	n.SetPos(sc.Offset)
	replace(parent, sc, n)
	t.blocks(n)
}

// tabs labels the tabs of a tabs shortcode (from its items argument when a
// tab has no name of its own) and lifts them into the parent.
func (t *transform) tabs(parent ast.Node, sc *shortcode) {
	items := strings.Split(arg(sc.Args, "items"), ",")
	i := 0
	for c := sc.FirstChild(); c != nil; c = c.NextSibling() {
		if tab, ok := c.(*shortcode); ok && tab.Name == "tab" {
			if arg(tab.Args, "name", "title", "0", "label") == "" {
				label := "Tab " + strconv.Itoa(i+1)
				if i < len(items) && strings.TrimSpace(items[i]) != "" {
					label = strings.TrimSpace(items[i])
				}
				tab.Args["name"] = label
			}
			i++
		}
	}
	t.blocks(sc)
	lift(parent, sc)
}

// codeBlock turns a raw shortcode (highlight) into a fenced code block in
// the language of its first argument.
func (t *transform) codeBlock(parent ast.Node, sc *shortcode) {
	var info *ast.Text
	if sc.langStop > sc.langStart {
		info = ast.NewTextSegment(text.NewSegment(sc.langStart, sc.langStop))
	}
	cb := ast.NewFencedCodeBlock(info)
	cb.SetPos(sc.Offset)
	cb.SetLines(sc.Lines())
	parent.ReplaceChild(parent, sc, cb)
}

// figure turns a figure shortcode into a paragraph holding its image.
func (t *transform) figure(parent ast.Node, sc *shortcode) {
	src := arg(sc.Args, "src", "0")
	if src == "" {
		t.problem(sc.Offset, "shortcode %q without src: removed", sc.Name)
		parent.RemoveChild(parent, sc)
		return
	}
	img := ast.NewImage(ast.NewLink())
	img.SetPos(sc.Offset)
	img.Destination = []byte(src)
	img.Title = []byte(arg(sc.Args, "caption", "title"))
	if alt := arg(sc.Args, "alt", "caption", "title"); alt != "" {
		img.AppendChild(img, ast.NewString([]byte(alt)))
	}
	p := ast.NewParagraph()
	p.SetPos(sc.Offset)
	p.AppendChild(p, img)
	parent.ReplaceChild(parent, sc, p)
}

// video appends "Video: title — URL" to parent.
func video(parent ast.Node, name string, args map[string]string, offset int) {
	id := arg(args, "id", "0")
	url := "https://www.youtube.com/watch?v=" + id
	if name == "vimeo" {
		url = "https://vimeo.com/" + id
	}
	label := "Video: "
	if t := arg(args, "title", "1"); t != "" {
		label += t + " — "
	}
	parent.AppendChild(parent, ast.NewString([]byte(label)))
	l := ast.NewLink()
	l.SetPos(offset)
	l.Destination = []byte(url)
	l.AppendChild(l, ast.NewString([]byte(url)))
	parent.AppendChild(parent, l)
}

// refLink is the link a ref or relref shortcode stands for.
func refLink(args map[string]string, offset int) *ast.Link {
	dest := arg(args, "0", "path")
	l := ast.NewLink()
	l.SetPos(offset)
	l.Destination = []byte(dest)
	l.AppendChild(l, ast.NewString([]byte(dest)))
	return l
}

// inlines transforms the inline shortcodes under n.
func (t *transform) inlines(n ast.Node) {
	var found []*shortcodeInline
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if s, ok := c.(*shortcodeInline); ok && entering {
			found = append(found, s)
		}
		return ast.WalkContinue, nil
	})
	open := map[string]int{}
	for _, s := range found {
		parent := s.Parent()
		switch {
		case strings.HasPrefix(s.Name, "/"):
			if open[s.Name[1:]] > 0 {
				open[s.Name[1:]]--
			} else {
				t.problem(s.Offset, "closing shortcode {{< %s >}} has no opening one; removed", s.Name)
			}
			parent.RemoveChild(parent, s)
		case s.Name == "youtube" || s.Name == "vimeo":
			tmp := ast.NewEmphasis(1) // a holder; its children move in front of s
			video(tmp, s.Name, s.Args, s.Offset)
			parent.InsertBefore(parent, s, tmp)
			lift(parent, tmp)
			parent.RemoveChild(parent, s)
		case s.Name == "ref" || s.Name == "relref":
			parent.ReplaceChild(parent, s, refLink(s.Args, s.Offset))
		default:
			if !selfClosing[s.Name] {
				open[s.Name]++
			}
			if !knownShortcodes[s.Name] {
				t.problem(s.Offset, "unknown shortcode %q: markup removed, content kept", s.Name)
			}
			parent.RemoveChild(parent, s)
		}
	}
}

var knownShortcodes = map[string]bool{
	"callout": true, "alert": true, "admonition": true, "notice": true, "hint": true, "details": true,
	"collapse": true, "expand": true, "spoiler": true, "tabs": true, "tab": true, "steps": true,
	"highlight": true, "code": true, "figure": true, "img": true, "image": true, "youtube": true,
	"vimeo": true, "ref": true, "relref": true,
}

// alertMarkers maps GFM alert markers to admonition variants.
var alertMarkers = map[string]string{"[!NOTE]": "note", "[!TIP]": "tip", "[!IMPORTANT]": "important", "[!WARNING]": "warning", "[!CAUTION]": "caution"}

// alert turns a GFM alert (a blockquote whose first line is [!NOTE] and the
// like) into an Admonition and returns it, or returns nil.
func (t *transform) alert(parent ast.Node, bq *ast.Blockquote) ast.Node {
	p, ok := bq.FirstChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return nil
	}
	first := p.Lines().At(0)
	marker := strings.ToUpper(strings.TrimSpace(string(first.Value(t.src))))
	variant, ok := alertMarkers[marker]
	if !ok {
		return nil
	}
	// Drop the inlines of the marker line.
	for c := p.FirstChild(); c != nil; {
		next := c.NextSibling()
		start, ok := Offset(c)
		if !ok || start >= first.Stop {
			break
		}
		p.RemoveChild(p, c)
		c = next
	}
	if p.FirstChild() == nil {
		bq.RemoveChild(bq, p)
	} else {
		lines := p.Lines()
		rest := text.NewSegments()
		for i := 1; i < lines.Len(); i++ {
			rest.Append(lines.At(i))
		}
		p.SetLines(rest)
	}
	a := &Admonition{Variant: variant, Title: AdmonitionLabel(variant)}
	a.SetPos(first.Start)
	replace(parent, bq, a)
	return a
}

// maxNesting bounds how deep blocks nest. Deeper levels become plain text:
// no reader follows a hundred indents, and XHTML parsers and page layouts
// have limits of their own.
const maxNesting = 48

// limitNesting flattens blocks nested deeper than maxNesting.
func (t *transform) limitNesting(n ast.Node, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() != ast.TypeBlock {
			continue
		}
		if depth < maxNesting {
			t.limitNesting(c, depth+1)
			continue
		}
		if c.FirstChild() == nil || c.FirstChild().Type() != ast.TypeBlock {
			continue
		}
		if off, ok := Offset(c); ok {
			t.problem(off, "blocks nested more than %d deep: the deeper levels are set as plain text", maxNesting)
		}
		p := ast.NewParagraph()
		p.AppendChild(p, ast.NewString([]byte(t.flatText(c))))
		// A list item holds the text; any other container is replaced.
		if _, ok := c.(*ast.ListItem); ok {
			c.RemoveChildren(c)
			c.AppendChild(c, p)
			continue
		}
		n.ReplaceChild(n, c, p)
		c = p
	}
}

// flatText returns the words under n, separated by spaces.
func (t *transform) flatText(n ast.Node) string {
	var txt strings.Builder
	_ = ast.Walk(n, func(d ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch d := d.(type) {
		case *ast.Text:
			txt.Write(d.Segment.Value(t.src))
			txt.WriteByte(' ')
		case *ast.String:
			txt.Write(d.Value)
			txt.WriteByte(' ')
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(txt.String()), " ")
}
