package book

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/bindery-books/bindery/book/diagram"
	"github.com/bindery-books/bindery/book/internal/par"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Resolution is the last stage of loading. Every chapter is parsed and its
// headings are known; now each chapter's AST gets what both outputs need,
// decided once: links their targets, images their checked pictures,
// paragraphs that are one image alone become figures, code blocks carry
// their language (and highlight on first use), mermaid blocks their
// drawings, and raw HTML passes the allowlist. Problems are reported here,
// at their file and line, so `bindery check` meets them as the builds do.

// resolver resolves one chapter.
type resolver struct {
	b   *Book
	ch  *Chapter
	src []byte
	// pos is the position of the node being resolved, for problems.
	pos Pos
	// diags are the chapter's problems, merged into the book's in reading
	// order once every chapter is resolved.
	diags []Diagnostic
	// drawn and asCode count the chapter's diagrams.
	drawn, asCode int
	// record, when set, keeps each link and image resolved, so that a
	// Reloader can resolve them again without parsing (see reload.go):
	// every Link and Image of a chapter must come from link and image.
	record *resolution
}

// resolveChapters resolves every chapter, on all cores. A Reloader's load
// resolves again only the links and images of the chapters it reuses (see
// reload.go).
func (b *Book) resolveChapters() {
	if b.reuse != nil {
		b.reuse.resolve(b)
		return
	}
	rs := make([]*resolver, len(b.Chapters))
	par.Each(len(b.Chapters), func(i int) {
		ch := b.Chapters[i]
		rs[i] = &resolver{b: b, ch: ch, src: ch.Source}
		rs[i].children(ch.Doc)
	})
	for _, r := range rs {
		b.Diagnostics.add(r.diags...)
		b.diagramsDrawn += r.drawn
		b.diagramsAsCode += r.asCode
	}
}

func (r *resolver) warnf(format string, args ...any) {
	r.diags = append(r.diags, r.b.Diagnostics.warning(r.pos, fmt.Sprintf(format, args...)))
}

func (r *resolver) errorf(format string, args ...any) {
	r.diags = append(r.diags, Diagnostic{Pos: r.pos, Msg: fmt.Sprintf(format, args...), Level: LevelError})
}

func (r *resolver) notef(pos Pos, format string, args ...any) {
	r.diags = append(r.diags, Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...), Level: LevelNote})
}

// children resolves the children of n: first the raw HTML among them, which
// may adopt the nodes between its tags, then each child.
func (r *resolver) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		_, block := c.(*ast.HTMLBlock)
		_, inline := c.(*ast.RawHTML)
		if block || inline {
			r.buildHTML(n, block)
			break
		}
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		r.node(c)
		c = next
	}
}

// node resolves one node, replacing it when goldmark's kind has one of the
// book's.
func (r *resolver) node(n ast.Node) {
	r.pos = r.ch.PosOf(n)
	parent := n.Parent()
	switch n := n.(type) {
	case *ast.FencedCodeBlock:
		lang := ""
		if n.Info != nil {
			lang = CodeLanguage(string(n.Info.Segment.Value(r.src)))
		}
		parent.ReplaceChild(parent, n, r.code(n, lang))
	case *ast.CodeBlock:
		parent.ReplaceChild(parent, n, r.code(n, ""))
	case *ast.Paragraph:
		if img, ok := n.FirstChild().(*ast.Image); ok && n.ChildCount() == 1 {
			parent.ReplaceChild(parent, n, r.figure(img))
			return
		}
		r.children(n)
	case *ast.Link:
		l := r.link(string(n.Destination))
		l.Title = Unescape(n.Title)
		l.SetPos(n.Pos())
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			l.AppendChild(l, c)
			c = next
		}
		parent.ReplaceChild(parent, n, l)
		r.children(l)
	case *ast.AutoLink:
		u := string(n.URL(r.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
			u = "mailto:" + u
		}
		l := r.link(u)
		l.SetPos(n.Pos())
		l.AppendChild(l, ast.NewString(n.Label(r.src)))
		parent.ReplaceChild(parent, n, l)
	case *extast.Table:
		if cols, rows := len(n.Alignments), n.ChildCount(); cols > maxTableColumns || rows > maxTableRows {
			r.errorf("table of %s and %s: larger than the %d columns and %d rows a table may have", plural(cols, "column"), plural(rows, "row"), maxTableColumns, maxTableRows)
		}
		r.children(n)
	case *ast.Image:
		img := r.image(string(n.Destination), PlainText(n, r.src), Unescape(n.Title))
		img.SetPos(n.Pos())
		parent.ReplaceChild(parent, n, img)
	default:
		r.children(n)
	}
}

// link resolves a link destination of the chapter, reporting its problem.
func (r *resolver) link(dest string) *Link {
	from := len(r.diags)
	t, problem := r.b.link(r.ch, dest)
	if problem != "" {
		r.warnf("link to %q: %s", dest, problem)
	}
	l := &Link{Target: t}
	r.record.link(r, l, dest, from)
	return l
}

// image resolves an image of the chapter: finds its file, reads and checks
// the picture, or reports why it cannot be shown.
func (r *resolver) image(src, alt, title string) *Image {
	from := len(r.diags)
	img := r.resolveImage(src, alt, title)
	r.record.image(r, img, from)
	return img
}

// resolveImage is image without the record.
func (r *resolver) resolveImage(src, alt, title string) *Image {
	img := &Image{Src: src, Alt: alt, Title: title}
	at, err := r.b.findImage(r.ch, src)
	switch {
	case errors.Is(err, errOutside):
		r.errorf("image %q: %v", src, err)
		return img
	case err != nil:
		r.warnf("image %q: %v", src, err)
		return img
	case at.url != "" && !r.b.fetch.enabled:
		r.warnf("image %q is remote and not fetched (use --fetch-remote); shown as a link", src)
		img.RemoteURL = at.url
		return img
	}
	pic, err := r.b.picture(at)
	if msg, ok := svgProblem(err); ok {
		r.errorf("image %q: %s", src, msg)
		return img
	}
	if err != nil {
		if at.url != "" {
			r.warnf("image %q: %v; shown as a link", src, err)
			img.RemoteURL = at.url
			return img
		}
		r.warnf("image %q: %v", src, err)
		return img
	}
	if len(pic.removed) > 0 {
		r.warnf("image %q: removed what a book does not carry: %s", src, strings.Join(pic.removed, ", "))
	}
	img.Picture = pic
	return img
}

// figure resolves a paragraph that is one image alone.
func (r *resolver) figure(n *ast.Image) *Figure {
	img := r.image(string(n.Destination), PlainText(n, r.src), Unescape(n.Title))
	img.SetPos(n.Pos())
	f := &Figure{Caption: cmp.Or(img.Title, img.Alt)}
	f.SetPos(n.Pos())
	f.AppendChild(f, img)
	return f
}

// code turns a code block into a CodeBlock, or a Diagram when its
// language is mermaid.
func (r *resolver) code(n ast.Node, lang string) ast.Node {
	lines := n.Lines()
	cb := &CodeBlock{Lang: lang, Code: codeText(n, r.src)}
	if lines.Len() > 0 {
		cb.Line = r.ch.Line(lines.At(0).Start)
	}
	cb.SetPos(n.Pos())
	if lang != "mermaid" {
		return cb
	}
	d := &Diagram{Code: cb}
	d.SetPos(n.Pos())
	r.ch.diagrams = append(r.ch.diagrams, cb.Code)
	// Problems are reported at the diagram's own lines: its first line
	// is the one after the fence.
	first := r.pos
	if lines.Len() > 0 {
		first.Line = r.ch.Line(lines.At(0).Start)
	}
	drawing, err := diagram.Render(cb.Code)
	if err != nil {
		r.asCode++
		d.Note = r.diagramProblem(first, err)
		return d
	}
	r.drawn++
	d.Drawing = drawing
	d.ID = fmt.Sprintf("%s-%d", r.ch.ID, r.drawn)
	// A diagram's own warnings (text too faint on its fill): the first
	// few at their lines, then how many more, so a site palette does not
	// bury the build's other messages.
	const shown = 2
	for i, w := range drawing.Warnings {
		at := first
		at.Line += max(w.Line, 1) - 1
		if i == shown {
			r.diags = append(r.diags, r.b.Diagnostics.warning(at, fmt.Sprintf("mermaid: %d more warnings of this diagram", len(drawing.Warnings)-shown)))
			break
		}
		r.diags = append(r.diags, r.b.Diagnostics.warning(at, "mermaid: "+w.Msg))
	}
	return d
}

// codeText returns the code of a code block, each line ending in a newline.
func codeText(n ast.Node, src []byte) string {
	lines := n.Lines()
	if s, ok := inPlace(lines, src); ok {
		return s
	}
	var b strings.Builder
	size := 0
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		size += s.Stop - s.Start + s.Padding
		if s.ForceNewline {
			size++
		}
	}
	b.Grow(size) // the book holds every block's code: no room to spare
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		b.Write(s.Value(src))
	}
	return b.String()
}

// inPlace returns the text of lines as a string that shares src's bytes,
// when the lines are one run of src as it stands (a fenced block at the
// margin: most code): the book holds its sources, and a copy of its code
// was a tenth more. src is never written once parsed.
func inPlace(lines *text.Segments, src []byte) (string, bool) {
	n := lines.Len()
	if n == 0 {
		return "", true
	}
	first, last := lines.At(0), lines.At(n-1)
	for i := range n {
		s := lines.At(i)
		if s.Padding != 0 || s.ForceNewline && (s.Stop == s.Start || src[s.Stop-1] != '\n') || i > 0 && lines.At(i-1).Stop != s.Start {
			return "", false
		}
	}
	if last.Stop <= first.Start {
		return "", true
	}
	return unsafe.String(&src[first.Start], last.Stop-first.Start), true
}

// diagramProblem reports a diagram shown as code, and returns the note a
// reader sees above its source. A kind that is not drawn is a note, not a
// problem: --strict must not fail a book for a kind Bindery lacks.
func (r *resolver) diagramProblem(first Pos, err error) string {
	var pe *diagram.ParseError
	var ue *diagram.UnsupportedError
	switch {
	case errors.As(err, &ue):
		r.notef(first, "mermaid: %v; shown as code", err)
		return fmt.Sprintf("Bindery does not draw %s diagrams yet: the diagram's source follows.", ue.Kind)
	case errors.As(err, &pe):
		at := first
		at.Line += max(pe.Line, 1) - 1
		r.diags = append(r.diags, r.b.Diagnostics.warning(at, "mermaid: "+err.Error()+"; shown as code"))
		return fmt.Sprintf("This diagram could not be drawn (line %d of its source: %v); its source follows.", max(pe.Line, 1), err)
	}
	r.diags = append(r.diags, r.b.Diagnostics.warning(first, "mermaid: "+err.Error()+"; shown as code"))
	return "This diagram could not be drawn; its source follows."
}

// plural returns n and a noun, in the plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// markupProblems reports the problems the dialect met parsing a chapter.
func (ch *Chapter) markupProblems(ps []markup.Problem, ds *Diagnostics) []Diagnostic {
	var out []Diagnostic
	for _, p := range ps {
		out = append(out, ds.warning(Pos{File: ch.Path, Line: ch.Line(p.Offset)}, p.Msg))
	}
	return out
}
