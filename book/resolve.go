package book

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// resolver turns the shortcodes and alerts of a parsed chapter into the
// book's own node kinds, warning about what it cannot keep.
type resolver struct {
	ch  *Chapter
	ds  *Diagnostics
	src []byte
}

func (r *resolver) warn(offset int, format string, args ...any) {
	if r.ds == nil {
		return
	}
	r.ds.Warnf(Pos{r.ch.Path, r.ch.Line(offset)}, format, args...)
}

// resolve walks the blocks under parent.
func (r *resolver) resolve(parent ast.Node) {
	for c := parent.FirstChild(); c != nil; {
		next := c.NextSibling()
		switch n := c.(type) {
		case *Shortcode:
			r.block(parent, n)
		case *ast.Blockquote:
			if a := r.alert(parent, n); a != nil {
				r.resolve(a)
			} else {
				r.resolve(n)
			}
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
			r.inlines(n)
		default:
			if c.Type() == ast.TypeBlock {
				r.resolve(c)
			} else {
				r.inlines(c)
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

func arg(sc map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(sc[k]); v != "" {
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

func (r *resolver) block(parent ast.Node, sc *Shortcode) {
	if strings.HasPrefix(sc.Name, "/") {
		r.warn(sc.Offset, "closing shortcode {{< %s >}} has no opening one; removed", sc.Name)
		parent.RemoveChild(parent, sc)
		return
	}
	if !sc.self && !sc.Raw && !hasAttr(sc, "closed") {
		r.warn(sc.Offset, "shortcode %q is never closed; its content runs to the end of the enclosing block", sc.Name)
	}
	var n ast.Node
	switch sc.Name {
	case "callout", "alert", "admonition", "notice", "hint":
		v := strings.ToLower(arg(sc.Args, "type", "0", "context"))
		variant := admonitionVariants[v]
		if variant == "" {
			variant = "note"
		}
		n = &Admonition{Variant: variant, Title: arg(sc.Args, "title")}
	case "details", "collapse", "expand", "spoiler":
		n = &Details{Summary: cmpOrStr(arg(sc.Args, "summary", "title", "0"), "Details")}
	case "tabs":
		items := strings.Split(arg(sc.Args, "items"), ",")
		i := 0
		for c := sc.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*Shortcode); ok && t.Name == "tab" {
				if arg(t.Args, "name", "title", "0", "label") == "" {
					label := "Tab " + strconv.Itoa(i+1)
					if i < len(items) && strings.TrimSpace(items[i]) != "" {
						label = strings.TrimSpace(items[i])
					}
					t.Args["name"] = label
				}
				i++
			}
		}
		r.resolve(sc)
		lift(parent, sc)
		return
	case "tab":
		n = &Tab{Label: cmpOrStr(arg(sc.Args, "name", "title", "0", "label"), "Tab")}
	case "steps":
		n = &Steps{}
	case "highlight", "code":
		r.codeBlock(parent, sc)
		return
	case "figure", "img", "image":
		r.figure(parent, sc)
		return
	case "youtube", "vimeo":
		p := ast.NewParagraph()
		p.SetAttributeString(offsetAttr, sc.Offset)
		r.video(p, sc.Name, sc.Args)
		parent.ReplaceChild(parent, sc, p)
		return
	case "ref", "relref":
		p := ast.NewParagraph()
		dest := arg(sc.Args, "0", "path")
		l := ast.NewLink()
		l.Destination = []byte(dest)
		l.AppendChild(l, ast.NewString([]byte(dest)))
		p.AppendChild(p, l)
		parent.ReplaceChild(parent, sc, p)
		return
	default:
		r.warn(sc.Offset, "unknown shortcode %q: markup removed, content kept", sc.Name)
		if sc.Raw {
			r.codeBlock(parent, sc)
			return
		}
		r.resolve(sc)
		lift(parent, sc)
		return
	}
	n.SetAttributeString(offsetAttr, sc.Offset)
	replace(parent, sc, n)
	r.resolve(n)
}

func cmpOrStr(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

func (r *resolver) codeBlock(parent ast.Node, sc *Shortcode) {
	var info *ast.Text
	if a, ok := sc.AttributeString("lang-start"); ok {
		b, _ := sc.AttributeString("lang-stop")
		info = ast.NewTextSegment(text.NewSegment(a.(int), b.(int)))
	}
	cb := ast.NewFencedCodeBlock(info)
	cb.SetAttributeString(offsetAttr, sc.Offset)
	cb.SetLines(sc.Lines())
	parent.ReplaceChild(parent, sc, cb)
}

func (r *resolver) figure(parent ast.Node, sc *Shortcode) {
	src := arg(sc.Args, "src", "0")
	if src == "" {
		r.warn(sc.Offset, "shortcode %q without src: removed", sc.Name)
		parent.RemoveChild(parent, sc)
		return
	}
	img := ast.NewImage(ast.NewLink())
	img.SetAttributeString(offsetAttr, sc.Offset)
	img.Destination = []byte(src)
	img.Title = []byte(arg(sc.Args, "caption", "title"))
	if alt := arg(sc.Args, "alt", "caption", "title"); alt != "" {
		img.AppendChild(img, ast.NewString([]byte(alt)))
	}
	p := ast.NewParagraph()
	p.AppendChild(p, img)
	parent.ReplaceChild(parent, sc, p)
}

// video appends "Video: title — URL" to parent.
func (r *resolver) video(parent ast.Node, name string, args map[string]string) {
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
	l.Destination = []byte(url)
	l.AppendChild(l, ast.NewString([]byte(url)))
	parent.AppendChild(parent, l)
}

// inlines resolves inline shortcodes under n.
func (r *resolver) inlines(n ast.Node) {
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
				r.warn(s.Offset, "closing shortcode {{< %s >}} has no opening one; removed", s.Name)
			}
			parent.RemoveChild(parent, s)
		case s.Name == "youtube" || s.Name == "vimeo":
			tmp := ast.NewEmphasis(1) // a holder; its children move in front of s
			r.video(tmp, s.Name, s.Args)
			for c := tmp.FirstChild(); c != nil; {
				next := c.NextSibling()
				parent.InsertBefore(parent, s, c)
				c = next
			}
			parent.RemoveChild(parent, s)
		case s.Name == "ref" || s.Name == "relref":
			dest := arg(s.Args, "0", "path")
			l := ast.NewLink()
			l.Destination = []byte(dest)
			l.AppendChild(l, ast.NewString([]byte(dest)))
			parent.ReplaceChild(parent, s, l)
		default:
			if !selfClosing[s.Name] {
				open[s.Name]++
			}
			if !knownShortcodes[s.Name] {
				r.warn(s.Offset, "unknown shortcode %q: markup removed, content kept", s.Name)
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
func (r *resolver) alert(parent ast.Node, bq *ast.Blockquote) ast.Node {
	p, ok := bq.FirstChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return nil
	}
	first := p.Lines().At(0)
	marker := strings.ToUpper(strings.TrimSpace(string(first.Value(r.src))))
	variant, ok := alertMarkers[marker]
	if !ok {
		return nil
	}
	// Drop the inlines of the marker line.
	for c := p.FirstChild(); c != nil; {
		next := c.NextSibling()
		start, ok := nodeOffset(c)
		if t, isText := c.(*ast.Text); isText {
			start, ok = t.Segment.Start, true
		}
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
	a := &Admonition{Variant: variant}
	replace(parent, bq, a)
	return a
}

func hasAttr(n ast.Node, name string) bool {
	_, ok := n.AttributeString(name)
	return ok
}

// maxNesting bounds how deep blocks nest. Deeper levels become plain text:
// no reader follows a hundred indents, and XHTML parsers and page layouts
// have limits of their own.
const maxNesting = 48

// limitNesting flattens blocks nested deeper than maxNesting.
func (r *resolver) limitNesting(n ast.Node, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() != ast.TypeBlock {
			continue
		}
		if depth < maxNesting {
			r.limitNesting(c, depth+1)
			continue
		}
		if c.FirstChild() == nil || c.FirstChild().Type() != ast.TypeBlock {
			continue
		}
		if off, ok := nodeOffset(c); ok {
			r.warn(off, "blocks nested more than %d deep: the deeper levels are set as plain text", maxNesting)
		}
		var txt strings.Builder
		_ = ast.Walk(c, func(d ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch d := d.(type) {
			case *ast.Text:
				txt.Write(d.Segment.Value(r.src))
				txt.WriteByte(' ')
			case *ast.String:
				txt.Write(d.Value)
				txt.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		})
		p := ast.NewParagraph()
		p.AppendChild(p, ast.NewString([]byte(strings.TrimSpace(txt.String()))))
		// A list item holds the text; any other container is replaced.
		if _, ok := c.(*ast.ListItem); ok {
			for g := c.FirstChild(); g != nil; {
				next := g.NextSibling()
				c.RemoveChild(c, g)
				g = next
			}
			c.AppendChild(c, p)
			continue
		}
		n.ReplaceChild(n, c, p)
		c = p
	}
}
