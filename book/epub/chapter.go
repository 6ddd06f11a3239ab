package epub

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/markup"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// chapterRenderer renders one resolved chapter to XHTML. It registers a
// function for every node kind whose output differs from goldmark's HTML in
// a book: the book's own kinds (links, images, figures, code, diagrams,
// raw HTML), the dialect's (admonitions, details, tabs, steps, math) and
// footnotes as EPUB 3 notes. It only prints: every decision was made when
// the book was loaded.
type chapterRenderer struct {
	ch  *book.Chapter
	pkg *packager
	// groups are the print edition's page starts inside this chapter's
	// blocks, a group per block; groupOf numbers the blocks (see
	// pagebreak.go).
	groups  [][]book.PageStart
	groupOf map[ast.Node]int
	// rowHeaders marks the tables whose first column labels the rows.
	rowHeaders map[*extast.Table]bool
	// dirs caches the direction of each block; rtl is 1 when the chapter
	// has right-to-left text or the book is written right to left, -1 when
	// not, 0 before it is known (see direction.go).
	dirs map[ast.Node]string
	rtl  int
	// raw is set once the chapter's raw HTML is written: only raw HTML
	// can leave the body in need of wellFormed's repair.
	raw bool
}

// RegisterFuncs lists every node kind this renderer handles.
func (r *chapterRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindParagraph, r.paragraph)
	reg.Register(extast.KindTable, r.table)
	reg.Register(extast.KindTableCell, r.tableCell)
	reg.Register(book.KindLink, r.link)
	reg.Register(book.KindImage, r.image)
	reg.Register(book.KindFigure, r.figure)
	reg.Register(book.KindCodeBlock, r.codeBlock)
	reg.Register(book.KindDiagram, r.diagram)
	reg.Register(book.KindHTML, r.html)
	reg.Register(book.KindHTMLText, r.htmlText)
	reg.Register(extast.KindTaskCheckBox, r.taskCheckBox)
	reg.Register(extast.KindFootnoteLink, r.footnoteLink)
	reg.Register(extast.KindFootnoteBacklink, r.footnoteBacklink)
	reg.Register(extast.KindFootnoteList, r.footnoteList)
	reg.Register(extast.KindFootnote, r.footnote)
	reg.Register(markup.KindAdmonition, r.admonition)
	reg.Register(markup.KindDetails, r.details)
	reg.Register(markup.KindTab, r.tab)
	reg.Register(markup.KindSteps, r.steps)
	reg.Register(markup.KindMathBlock, r.mathBlock)
	reg.Register(markup.KindMathInline, r.mathInline)
	// Loading replaces these with the book's kinds; meeting one is a bug,
	// and goldmark would write raw HTML through unfiltered.
	for _, k := range []ast.NodeKind{ast.KindLink, ast.KindAutoLink, ast.KindImage, ast.KindFencedCodeBlock,
		ast.KindCodeBlock, ast.KindHTMLBlock, ast.KindRawHTML} {
		reg.Register(k, unresolved)
	}
}

func unresolved(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	return ast.WalkStop, fmt.Errorf("epub: unresolved %s node", node.Kind())
}

// render returns the XHTML body of a chapter, with the print edition's
// page breaks marked.
func (r *chapterRenderer) render() ([]byte, error) {
	rd := renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(&marking{r: r, renderers: []util.PrioritizedValue{
		util.Prioritized(ghtml.NewRenderer(ghtml.WithXHTML()), 1000),
		util.Prioritized(extension.NewTableHTMLRenderer(), 500),
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
		util.Prioritized(r, 100),
	}}, 0)))
	// XHTML is two to three times its markdown.
	buf := bytes.NewBuffer(buffers.Take(3*len(r.ch.Source) + 4096))
	if err := rd.Render(buf, r.ch.Source, r.ch.Doc); err != nil {
		return nil, fmt.Errorf("%s: render: %w", r.ch.Path, err)
	}
	return placeBreaks(buf.Bytes(), r.groups), nil
}

func esc(s string) string { return html.EscapeString(s) }

// href returns the address of a target, relative to the chapter; "" for a
// target set as text.
func (r *chapterRenderer) href(t book.Target) string {
	switch t.Kind {
	case book.Internal:
		h := t.Chapter.ID + ".xhtml"
		if t.Chapter == r.ch {
			h = ""
		}
		switch {
		case t.Note > 0:
			h += "#_fn-" + strconv.Itoa(t.Note)
		case t.NoteRef > 0:
			h += "#_fnref-" + strconv.Itoa(t.NoteRef)
		case t.Fragment != "":
			h += "#" + t.Fragment
		case h == "":
			h = "#_top"
		}
		return h
	case book.Refused:
		return ""
	}
	return t.URL
}

func (r *chapterRenderer) paragraph(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString("<p>")
		// A note's number opens its first paragraph, so that it stays on
		// the paragraph's first line.
		if fn, ok := node.Parent().(*extast.Footnote); ok && node.PreviousSibling() == nil {
			fmt.Fprintf(w, `<span class="fn-num">%d.</span> `, fn.Index)
		}
	} else {
		w.WriteString("</p>\n")
	}
	return ast.WalkContinue, nil
}

// figure writes a picture set apart with its caption; a figure whose
// picture cannot be shown is a paragraph with the image's stand-in.
func (r *chapterRenderer) figure(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*book.Figure)
	if n.Image().Picture == nil {
		return r.paragraph(w, src, node, entering)
	}
	if entering {
		w.WriteString(`<figure class="image">`)
		return ast.WalkContinue, nil
	}
	if n.Caption != "" {
		fmt.Fprintf(w, "<figcaption>%s</figcaption>", esc(n.Caption))
	}
	w.WriteString("</figure>\n")
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) link(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*book.Link)
	h := r.href(n.Target)
	if h == "" {
		return ast.WalkContinue, nil // set as text: the link's words only
	}
	if !entering {
		w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	fmt.Fprintf(w, `<a href="%s"`, esc(h))
	if n.Target.Kind != book.Internal {
		w.WriteString(` class="external"`)
	}
	if n.Title != "" {
		fmt.Fprintf(w, ` title="%s"`, esc(n.Title))
	}
	w.WriteString(">")
	return ast.WalkContinue, nil
}

// image writes a picture, or the link of a remote image that was not
// fetched, or the alt text of one that cannot be shown.
func (r *chapterRenderer) image(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*book.Image)
	switch {
	case n.Picture != nil:
		name := r.pkg.addPicture(n.Picture)
		if strings.TrimSpace(n.Alt) == "" {
			r.pkg.missingAlt()
		}
		fmt.Fprintf(w, `<img src="%s" alt="%s"`, esc(name), esc(n.Alt))
		if n.Title != "" {
			fmt.Fprintf(w, ` title="%s"`, esc(n.Title))
		}
		w.WriteString(" />")
	case n.RemoteURL != "":
		fmt.Fprintf(w, `<span class="remote-image">[%s: <a class="external" href="%s">%s</a>]</span>`,
			esc(cmp.Or(n.Alt, "image")), esc(n.RemoteURL), esc(n.RemoteURL))
	default:
		fmt.Fprintf(w, `<span class="missing-image">[%s]</span>`, esc(cmp.Or(n.Alt, n.Title, n.Src)))
	}
	return ast.WalkSkipChildren, nil
}

func (r *chapterRenderer) codeBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		writeCode(w, node.(*book.CodeBlock))
	}
	return ast.WalkSkipChildren, nil
}

// writeCode writes a code block: its language, then its highlighted
// tokens, a line at a time (see writeLines).
func writeCode(w util.BufWriter, n *book.CodeBlock) {
	w.WriteString(`<div class="code">`)
	if n.Lang != "" {
		fmt.Fprintf(w, `<p class="code-lang">%s</p><pre class="chroma language-%s"><code>`, esc(n.Lang), esc(n.Lang))
	} else {
		w.WriteString(`<pre class="chroma"><code>`)
	}
	writeLines(w, n.Tokens())
	w.WriteString("</code></pre></div>\n")
}

// diagram writes a drawn diagram as an SVG image with its alt text, or its
// source as code when it could not be drawn.
func (r *chapterRenderer) diagram(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*book.Diagram)
	if n.Drawing == nil {
		fmt.Fprintf(w, `<p class="diagram-note">%s</p>`+"\n", esc(n.Note))
		writeCode(w, n.Code)
		return ast.WalkSkipChildren, nil
	}
	name := r.pkg.addDiagram(n)
	if strings.TrimSpace(n.Drawing.Alt) == "" {
		r.pkg.missingAlt()
	}
	fmt.Fprintf(w, `<figure class="diagram"><img src="%s" alt="%s" /></figure>`+"\n", esc(name), esc(n.Drawing.Alt))
	return ast.WalkSkipChildren, nil
}

// html writes an element of raw HTML that passed the allowlist.
func (r *chapterRenderer) html(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*book.HTML)
	if n.Name == "" {
		return ast.WalkContinue, nil // a holder of text
	}
	if !entering {
		if !book.IsVoid(n.Tag) {
			w.WriteString("</" + n.Name + ">")
		}
		return ast.WalkContinue, nil
	}
	r.raw = true
	w.WriteString("<" + n.Name)
	for _, a := range n.Attrs {
		fmt.Fprintf(w, ` %s="%s"`, a.Key, esc(a.Val))
	}
	if book.IsVoid(n.Tag) {
		w.WriteString(" />")
	} else {
		w.WriteString(">")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) htmlText(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(esc(node.(*book.HTMLText).Value))
	}
	return ast.WalkContinue, nil
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

// noteRefID is the ID of a footnote's reference: "_fnref-2", or
// "_fnref-2-1" for its second reference.
func noteRefID(index, refIndex int) string {
	id := "_fnref-" + strconv.Itoa(index)
	if refIndex > 0 {
		id += "-" + strconv.Itoa(refIndex)
	}
	return id
}

func (r *chapterRenderer) footnoteLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.FootnoteLink)
	fmt.Fprintf(w, `<a id="%s" class="noteref" href="#_fn-%d" epub:type="noteref" role="doc-noteref">%d</a>`, noteRefID(n.Index, n.RefIndex), n.Index, n.Index)
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) footnoteBacklink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.FootnoteBacklink)
	fmt.Fprintf(w, ` <a class="backlink" href="#%s" role="doc-backlink" aria-label="back to text">↑</a>`, noteRefID(n.Index, n.RefIndex))
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
		fmt.Fprintf(w, `<aside id="_fn-%d" class="footnote" epub:type="footnote" role="doc-footnote">`, n.Index)
		if _, ok := n.FirstChild().(*ast.Paragraph); !ok {
			fmt.Fprintf(w, `<p class="fn-num">%d.</p>`, n.Index)
		}
	} else {
		w.WriteString("</aside>\n")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) admonition(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*markup.Admonition)
	if entering {
		fmt.Fprintf(w, `<aside class="admonition %s" role="note"><p class="admonition-title">%s</p>`+"\n", esc(n.Variant), esc(n.Title))
	} else {
		w.WriteString("</aside>\n")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) details(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*markup.Details)
	if entering {
		fmt.Fprintf(w, `<div class="details"><p class="details-summary">%s</p>`+"\n", esc(n.Summary))
	} else {
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func (r *chapterRenderer) tab(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*markup.Tab)
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
		w.WriteString(`<div class="math display">`)
		w.WriteString(mathML(node.(*markup.MathBlock).Formula))
		w.WriteString("</div>\n")
	}
	return ast.WalkSkipChildren, nil
}

func (r *chapterRenderer) mathInline(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(mathML(node.(*markup.MathInline).Formula))
	}
	return ast.WalkSkipChildren, nil
}
