package pdf

import (
	"cmp"

	"github.com/bindery-books/bindery/book"
)

// figure sets a figure: the picture scaled to the measure and to the page,
// with its caption; or, when the picture cannot be shown, a link to a
// remote one or a framed stand-in.
func (c *converter) figure(n *book.Figure) {
	img := n.Image()
	switch {
	case img.Picture != nil:
		c.picture(img.Picture, n.Caption, img.Alt)
	case img.RemoteURL != "":
		s := c.w.st
		c.vspace(s.Para)
		c.paragraph([]span{
			{st: style{Face: serifItal, Size: s.Body, Color: grey}, text: "[" + cmp.Or(img.Alt, "image") + ": "},
			{st: style{Face: serif, Size: s.Body, Color: linkBlue, URL: img.RemoteURL}, text: img.RemoteURL},
			{st: style{Face: serifItal, Size: s.Body, Color: grey}, text: "]"},
		}, alignLeft)
		c.vspace(s.Para)
	default:
		c.placeholder(cmp.Or(img.Alt, img.Src), "image not shown")
	}
}

// picture places an image centred in the measure, at most at 96 pixels to
// the inch, no wider than the measure and no taller than two thirds of the
// text block, with a caption under it. Its Figure is described by its alt
// text, else its caption; a picture with neither is decoration.
func (c *converter) picture(pic *book.Picture, caption, alt string) {
	s := c.w.st
	if pic.MediaType == "image/svg+xml" {
		c.w.b.Diagnostics.Warnf(c.pos, "pdf: SVG images are not drawn in the PDF yet; a stand-in is set instead")
		c.placeholder(cmp.Or(caption, pic.Name), "image not shown")
		return
	}
	w := float64(pic.Width) * 0.75
	h := float64(pic.Height) * 0.75
	if w > c.width {
		h *= c.width / w
		w = c.width
	}
	if maxH := c.w.g.TextH * 0.66; h > maxH {
		w *= maxH / h
		h = maxH
	}
	c.vspace(s.Para * 1.5)
	float := c.floatable()
	fig := c.open("Figure")
	fig.Alt = cmp.Or(alt, caption)
	it := &Item{H: h, Kind: "image", Float: float, Ops: []Op{&imageOp{X: c.x + (c.width-w)/2, Y: 0, W: w, H: h, Pic: pic}}}
	if fig.Alt == "" {
		it.Tag = artifactLayout
	}
	c.emit(it)
	c.close(fig)
	if caption != "" {
		c.vspace(s.Para * 0.6)
		c.keep = 1
		c.within("Caption", func() {
			lines := c.setText([]span{{st: style{Face: serifItal, Size: s.Small, Color: grey}, text: caption}},
				lineStyle{X: c.x + c.width*0.1, Width: c.width * 0.8, Align: alignCenter, Lead: s.Small * 1.3, Face: serifItal, Size: s.Small}, "caption")
			for _, it := range lines {
				it.Float = float
			}
		})
	}
	c.vspace(s.Para * 1.5)
}

// floatable returns the Float number of a figure emitted next: one that
// stands alone in the full measure may float, one inside a box, a list or a
// quote stays with what surrounds it (0). The number is the figure's place
// in the chapter's flow, so figures next to each other differ.
func (c *converter) floatable() int {
	if len(c.frames) > 0 || c.marker != nil || c.x != 0 || c.width != c.w.g.TextW {
		return 0
	}
	return len(c.items) + 1
}

// placeholder is a framed box that stands for a picture that cannot be shown.
func (c *converter) placeholder(what, why string) {
	s := c.w.st
	c.vspace(s.Para * 1.5)
	text := "[" + why + ": " + what + "]"
	st := style{Face: sansItal, Size: s.Small, Color: grey}
	ws := c.tx.words([]span{{st: st, text: text}})
	inner := c.width * 0.7
	ws, lines := breakLines(ws, inner)
	lead := s.Small * 1.35
	h := float64(len(lines))*lead + 2*s.Body
	it := &Item{H: h, Kind: "placeholder", Ops: []Op{&rectOp{X: c.x + c.width*0.1, Y: 0, W: c.width * 0.8, H: h, Stroke: &lightGrey, LineW: 0.8}}}
	for i, l := range lines {
		li := setLine(ws, l, lineStyle{X: c.x + c.width*0.15, Width: inner, Align: alignCenter, Lead: lead, Face: sansItal, Size: s.Small})
		for _, op := range li.Ops {
			shiftOp(op, 0, s.Body+float64(i)*lead)
		}
		it.Ops = append(it.Ops, li.Ops...)
	}
	c.within("P", func() { c.emit(it) })
	c.vspace(s.Para * 1.5)
}
