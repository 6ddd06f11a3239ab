package epub

import (
	"bytes"
	"fmt"
	"html"
	"path"
	"strconv"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/bindery-books/bindery/book"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// chapterRenderer renders one chapter's AST to XHTML. It overrides
// goldmark's HTML renderer for every node whose output must differ in a
// book: links (resolved against the book), images (packaged), code
// (highlighted), raw HTML, footnotes (EPUB 3 notes) and Bindery's own kinds.
type chapterRenderer struct {
	b   *book.Book
	ch  *book.Chapter
	pkg *packager
	// diagrams counts the chapter's diagrams, for their file names.
	diagrams int
	// line is the file line of the raw HTML being sanitized.
	line int
	// rawOpen counts raw HTML elements left open so far.
	rawOpen int
}

// RegisterFuncs lists every node kind this renderer handles.
func (r *chapterRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindParagraph, r.paragraph)
	reg.Register(ast.KindLink, r.link)
	reg.Register(ast.KindAutoLink, r.autoLink)
	reg.Register(ast.KindImage, r.image)
	reg.Register(ast.KindFencedCodeBlock, r.codeBlock)
	reg.Register(ast.KindCodeBlock, r.codeBlock)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(extast.KindTaskCheckBox, r.taskCheckBox)
	reg.Register(extast.KindFootnoteLink, r.footnoteLink)
	reg.Register(extast.KindFootnoteBacklink, r.footnoteBacklink)
	reg.Register(extast.KindFootnoteList, r.footnoteList)
	reg.Register(extast.KindFootnote, r.footnote)
	reg.Register(book.KindAdmonition, r.admonition)
	reg.Register(book.KindDetails, r.details)
	reg.Register(book.KindTab, r.tab)
	reg.Register(book.KindSteps, r.steps)
	reg.Register(book.KindMathBlock, r.mathBlock)
	reg.Register(book.KindMathInline, r.mathInline)
}

// render returns the XHTML body of a chapter.
func (r *chapterRenderer) render() ([]byte, error) {
	rd := renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(ghtml.NewRenderer(ghtml.WithXHTML()), 1000),
		util.Prioritized(extension.NewTableHTMLRenderer(extension.WithTableCellAlignMethod(extension.TableCellAlignStyle)), 500),
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
		util.Prioritized(r, 100),
	))
	var buf bytes.Buffer
	if err := rd.Render(&buf, r.ch.Source, r.ch.Doc); err != nil {
		return nil, fmt.Errorf("%s: render: %w", r.ch.Path, err)
	}
	return buf.Bytes(), nil
}

func esc(s string) string { return html.EscapeString(s) }

func (r *chapterRenderer) href(t book.Target) string {
	switch t.Kind {
	case book.Internal:
		h := t.Chapter.ID + ".xhtml"
		if t.Chapter == r.ch {
			h = ""
		}
		if t.Fragment != "" {
			h += "#" + t.Fragment
		}
		if h == "" {
			h = "#_top"
		}
		return h
	default:
		return t.URL
	}
}

// paragraph renders a paragraph, or a figure when the paragraph is one
// image alone: captioned with the image's title, else its alt text.
func (r *chapterRenderer) paragraph(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	img, alone := node.FirstChild().(*ast.Image)
	alone = alone && node.FirstChild() == node.LastChild()
	if alone {
		if res, err := r.b.Resource(r.ch, string(img.Destination)); err != nil || res.Remote && !r.b.FetchRemote() {
			alone = false
		}
	}
	if !alone {
		if entering {
			w.WriteString("<p>")
		} else {
			w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	}
	if entering {
		w.WriteString(`<figure class="image">`)
		return ast.WalkContinue, nil
	}
	if caption := cmpOr(string(img.Title), book.PlainText(img, src)); caption != "" {
		fmt.Fprintf(w, "<figcaption>%s</figcaption>", esc(caption))
	}
	w.WriteString("</figure>\n")
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) link(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	t := r.b.Link(r.ch, string(n.Destination))
	h := r.href(t)
	if h == "" {
		return ast.WalkContinue, nil // a page outside the book without base_url: its text only
	}
	if entering {
		fmt.Fprintf(w, `<a href="%s"`, esc(h))
		if t.Kind != book.Internal {
			w.WriteString(` class="external"`)
		}
		if len(n.Title) > 0 {
			fmt.Fprintf(w, ` title="%s"`, esc(string(n.Title)))
		}
		w.WriteString(">")
	} else {
		w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) autoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	u := string(n.URL(src))
	label := string(n.Label(src))
	if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
		u = "mailto:" + u
	}
	fmt.Fprintf(w, `<a class="external" href="%s">%s</a>`, esc(u), esc(label))
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) image(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	alt := book.PlainText(n, src)
	dest := string(n.Destination)
	title := string(n.Title)
	res, err := r.b.Resource(r.ch, dest)
	if err != nil {
		r.b.ImageProblem(r.ch.PosOf(n), dest, err)
		fmt.Fprintf(w, `<span class="missing-image">[%s]</span>`, esc(cmpOr(alt, title, dest)))
		return ast.WalkSkipChildren, nil
	}
	if res.Remote && r.b.FetchRemote() {
		if name, err := r.pkg.addRemote(res); err == nil {
			fmt.Fprintf(w, `<img src="%s" alt="%s" />`, esc(name), esc(alt))
			return ast.WalkSkipChildren, nil
		} else {
			r.b.Diagnostics.Warnf(r.ch.PosOf(n), "image %q: %v; shown as a link", dest, err)
		}
	} else if res.Remote {
		r.b.RemoteImage(r.ch.PosOf(n), dest, true)
		fmt.Fprintf(w, `<span class="remote-image">[%s: <a class="external" href="%s">%s</a>]</span>`, esc(cmpOr(alt, "image")), esc(dest), esc(dest))
		return ast.WalkSkipChildren, nil
	}
	name, err := r.pkg.addImage(res)
	if err != nil {
		r.b.Diagnostics.Warnf(r.ch.PosOf(n), "image %q: %v", dest, err)
		fmt.Fprintf(w, `<span class="missing-image">[%s]</span>`, esc(cmpOr(alt, dest)))
		return ast.WalkSkipChildren, nil
	}
	fmt.Fprintf(w, `<img src="%s" alt="%s"`, esc(name), esc(alt))
	if title != "" {
		fmt.Fprintf(w, ` title="%s"`, esc(title))
	}
	w.WriteString(" />")
	return ast.WalkSkipChildren, nil
}

func cmpOr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func codeText(n ast.Node, src []byte) string {
	var b strings.Builder
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		s := l.At(i)
		b.Write(s.Value(src))
	}
	return b.String()
}

func (r *chapterRenderer) codeBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	lang := ""
	if f, ok := node.(*ast.FencedCodeBlock); ok && f.Info != nil {
		lang = book.CodeLanguage(string(f.Info.Segment.Value(src)))
	}
	code := codeText(node, src)
	if lang == "mermaid" && r.mermaid(w, node, code) {
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<div class="code">`)
	if lang != "" {
		fmt.Fprintf(w, `<p class="code-lang">%s</p>`, esc(lang))
	}
	if lang != "" {
		fmt.Fprintf(w, `<pre class="chroma language-%s"><code>`, esc(lang))
	} else {
		w.WriteString(`<pre class="chroma"><code>`)
	}
	writeTokens(w, book.Highlight(lang, code))
	w.WriteString("</code></pre></div>\n")
	return ast.WalkSkipChildren, nil
}

// writeTokens writes highlighted tokens as spans with chroma's short class names.
func writeTokens(w util.BufWriter, toks []chroma.Token) {
	for _, t := range toks {
		v := esc(t.Value)
		cls := chroma.StandardTypes[t.Type]
		if cls == "" {
			cls = chroma.StandardTypes[t.Type.Category()]
		}
		if cls == "" || t.Type == chroma.Text || t.Type == chroma.TextWhitespace {
			w.WriteString(v)
			continue
		}
		fmt.Fprintf(w, `<span class="%s">%s</span>`, cls, v)
	}
}

func (r *chapterRenderer) htmlBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var raw strings.Builder
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		s := l.At(i)
		raw.Write(s.Value(src))
	}
	if n.HasClosure() {
		raw.Write(n.ClosureLine.Value(src))
	}
	r.line = r.ch.NodeLine(n)
	w.WriteString(r.sanitize(raw.String()))
	return ast.WalkSkipChildren, nil
}

func (r *chapterRenderer) rawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var raw strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		s := n.Segments.At(i)
		raw.Write(s.Value(src))
	}
	if n.Segments.Len() > 0 {
		r.line = r.ch.Line(n.Segments.At(0).Start)
	}
	w.WriteString(r.sanitize(raw.String()))
	return ast.WalkSkipChildren, nil
}

func (r *chapterRenderer) taskCheckBox(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*extast.TaskCheckBox).IsChecked {
		w.WriteString(`<span class="task done" role="img" aria-label="done">☑</span> `)
	} else {
		w.WriteString(`<span class="task" role="img" aria-label="to do">☐</span> `)
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) footnoteLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.FootnoteLink)
	id := strconv.Itoa(n.Index)
	ref := "_fnref-" + id
	if n.RefIndex > 0 {
		ref += "-" + strconv.Itoa(n.RefIndex)
	}
	fmt.Fprintf(w, `<a id="%s" class="noteref" href="#_fn-%s" epub:type="noteref" role="doc-noteref">%s</a>`, ref, id, id)
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) footnoteBacklink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.FootnoteBacklink)
	ref := "_fnref-" + strconv.Itoa(n.Index)
	if n.RefIndex > 0 {
		ref += "-" + strconv.Itoa(n.RefIndex)
	}
	fmt.Fprintf(w, ` <a class="backlink" href="#%s" role="doc-backlink" aria-label="back to text">↑</a>`, ref)
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) footnoteList(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(`<section class="footnotes" epub:type="footnotes" role="doc-endnotes">` + "\n<h2 class=\"notes\">Notes</h2>\n")
	} else {
		w.WriteString("</section>\n")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) footnote(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*extast.Footnote)
	if entering {
		fmt.Fprintf(w, `<aside id="_fn-%d" class="footnote" epub:type="footnote" role="doc-footnote"><span class="fn-num">%d.</span> `, n.Index, n.Index)
	} else {
		w.WriteString("</aside>\n")
	}
	return ast.WalkContinue, nil
}

var admonitionTitles = map[string]string{
	"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning",
	"caution": "Caution", "info": "Info", "error": "Error", "danger": "Danger",
}

func (r *chapterRenderer) admonition(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*book.Admonition)
	if entering {
		title := cmpOr(n.Title, admonitionTitles[n.Variant], strings.ToUpper(n.Variant[:min(1, len(n.Variant))])+n.Variant[min(1, len(n.Variant)):])
		fmt.Fprintf(w, `<aside class="admonition %s" role="note"><p class="admonition-title">%s</p>`+"\n", esc(n.Variant), esc(title))
	} else {
		w.WriteString("</aside>\n")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) details(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*book.Details)
	if entering {
		fmt.Fprintf(w, `<div class="details"><p class="details-summary">%s</p>`+"\n", esc(n.Summary))
	} else {
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) tab(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*book.Tab)
	if entering {
		fmt.Fprintf(w, `<div class="tab"><p class="tab-label">%s</p>`+"\n", esc(n.Label))
	} else {
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) steps(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(`<div class="steps">` + "\n")
	} else {
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) mathBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*book.MathBlock)
		w.WriteString(`<div class="math display">`)
		w.WriteString(r.pkg.mathML(n.TeX, true))
		w.WriteString("</div>\n")
	}
	return ast.WalkSkipChildren, nil
}

func (r *chapterRenderer) mathInline(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(r.pkg.mathML(node.(*book.MathInline).TeX, false))
	}
	return ast.WalkSkipChildren, nil
}

// mermaid writes a diagram as an SVG image and reports whether it did; on
// false the caller shows the block as code.
func (r *chapterRenderer) mermaid(w util.BufWriter, node ast.Node, code string) bool {
	if r.pkg.drawDiagram == nil {
		return false
	}
	svg, alt, line, err := r.pkg.drawDiagram(code)
	if err != nil {
		r.pkg.diagramFailed(r.ch, node, line, err)
		return false
	}
	r.diagrams++
	name := path.Join("diagrams", fmt.Sprintf("%s-%d.svg", r.ch.ID, r.diagrams))
	r.pkg.addFile(name, "image/svg+xml", svg)
	r.pkg.diagramDrawn()
	fmt.Fprintf(w, `<figure class="diagram"><img src="%s" alt="%s" /></figure>`+"\n", esc(name), esc(alt))
	return true
}

// sanitize filters raw HTML, resolving its links and packaging its images.
func (r *chapterRenderer) sanitize(raw string) string {
	return sanitize(raw, &r.rawOpen, func(tag, attr, val string) (string, string) {
		if attr == "href" {
			return r.href(r.b.Link(r.ch, val)), ""
		}
		res, err := r.b.Resource(r.ch, val)
		if err != nil {
			r.b.ImageProblem(book.Pos{File: r.ch.Path, Line: r.line}, val, err)
			return "", "[image: " + val + "]"
		}
		if res.Remote && r.b.FetchRemote() {
			if name, err := r.pkg.addRemote(res); err == nil {
				return name, ""
			}
		}
		if res.Remote {
			r.b.RemoteImage(book.Pos{File: r.ch.Path, Line: r.line}, val, false)
			return "", "[image: " + val + "]"
		}
		name, err := r.pkg.addImage(res)
		if err != nil {
			return "", "[image: " + val + "]"
		}
		return name, ""
	})
}
