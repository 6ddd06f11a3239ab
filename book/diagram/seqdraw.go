package diagram

import (
	"math"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// Sequence diagram sizes, points.
const (
	seqActorMinW   = 90.0
	seqActorPadX   = 12.0
	seqActorPadY   = 10.0
	seqActorMinH   = 40.0
	seqActorGap    = 37.5
	seqMsgSize     = 12.0
	seqNoteSize    = 11.0
	seqMsgGap      = 10.0 // above a message's text
	seqAfterMsg    = 12.0
	seqSelfW       = 30.0
	seqSelfH       = 18.0
	seqActW        = 10.0
	seqNotePad     = 8.0
	seqNoteGap     = 10.0
	seqBlockPad    = 10.0
	seqBlockSize   = 11.0
	seqLineW       = 1.1
	seqLifelineW   = 0.75
	seqStickH      = 36.0
	seqNumberR     = 7.0
	seqBoxTitlePad = 6.0
)

// seqFrame is a block (loop, alt, ...) being laid out.
type seqFrame struct {
	ev       *seqEvent
	top      float64
	sections []seqSection
	minX     float64
	maxX     float64
	depth    int
}

type seqSection struct {
	y    float64
	text string
}

// seqActive is an activation bar.
type seqActive struct {
	actor  int
	top    float64
	bottom float64
	level  int
}

func (sq *sequence) draw() *Drawing {
	th := newTheme(sq.doc.theme)
	n := len(sq.actors)
	doc := sq.doc
	if sq.title != "" && doc.title == "" {
		doc.title = sq.title
	}
	if n == 0 {
		b := &builder{}
		d := finish(b, 40, 20, doc, "sequence")
		d.Alt = altText(doc, "Sequence diagram", nil)
		return d
	}

	// Participant boxes.
	names := make([]*label, n)
	aw := make([]float64, n)
	actorH := seqActorMinH
	for i, a := range sq.actors {
		name := a.name
		if name == "" {
			name = a.id
		}
		names[i] = newLabel(name, fontSize, 0)
		aw[i] = max(seqActorMinW, names[i].w+2*seqActorPadX)
		h := names[i].h + 2*seqActorPadY
		if a.stick {
			h = seqStickH + names[i].h + 4
		}
		actorH = max(actorH, h)
	}

	// Measure messages and notes, and collect the room they need between
	// lifelines: need[i][j] is the least distance from lifeline i to j > i.
	type req struct {
		i, j int
		d    float64
	}
	var reqs []req
	leftNeed := aw[0] / 2
	rightNeed := aw[n-1] / 2
	msgLabels := map[*seqEvent]*label{}
	for _, ev := range sq.events {
		switch ev.kind {
		case evMessage:
			l := newLabel(ev.text, seqMsgSize, 0)
			msgLabels[ev] = l
			w := l.w + 2*seqActorPadX
			if sq.numbered {
				w += 2 * seqNumberR
			}
			switch {
			case ev.from == ev.to:
				need := seqSelfW + max(l.w/2, 0) + seqActorPadX
				if ev.from+1 < n {
					reqs = append(reqs, req{ev.from, ev.from + 1, need + seqActW})
				} else {
					rightNeed = max(rightNeed, need+seqActW)
				}
			case ev.from < ev.to:
				reqs = append(reqs, req{ev.from, ev.to, w})
			default:
				reqs = append(reqs, req{ev.to, ev.from, w})
			}
		case evNote:
			l := newLabel(ev.text, seqNoteSize, 0)
			msgLabels[ev] = l
			w := l.w + 2*seqNotePad
			switch ev.noteSide {
			case "right":
				if ev.from+1 < n {
					reqs = append(reqs, req{ev.from, ev.from + 1, w + 2*seqNoteGap})
				} else {
					rightNeed = max(rightNeed, w+2*seqNoteGap)
				}
			case "left":
				if ev.from > 0 {
					reqs = append(reqs, req{ev.from - 1, ev.from, w + 2*seqNoteGap})
				} else {
					leftNeed = max(leftNeed, w+2*seqNoteGap)
				}
			default:
				a, b := min(ev.from, ev.to), max(ev.from, ev.to)
				if a == b {
					if a+1 < n {
						reqs = append(reqs, req{a, a + 1, w/2 + aw[a+1]/2})
					} else {
						rightNeed = max(rightNeed, w/2+seqNoteGap)
					}
					if a > 0 {
						reqs = append(reqs, req{a - 1, a, w/2 + aw[a-1]/2})
					} else {
						leftNeed = max(leftNeed, w/2+seqNoteGap)
					}
				} else {
					reqs = append(reqs, req{a, b, w - 2*seqNoteGap})
				}
			}
		}
	}
	xs := make([]float64, n)
	xs[0] = leftNeed
	for k := 1; k < n; k++ {
		xs[k] = xs[k-1] + aw[k-1]/2 + seqActorGap + aw[k]/2
		for _, r := range reqs {
			if r.j == k {
				xs[k] = max(xs[k], xs[r.i]+r.d)
			}
		}
	}

	b := &builder{}
	var bg builder // rect blocks and boxes, painted first
	var frames builder
	minX, maxX := 0.0, xs[n-1]+rightNeed

	// Box titles push the participants down.
	top := 0.0
	boxTitles := make([]*label, len(sq.boxes))
	for i, bx := range sq.boxes {
		if bx.title != "" {
			boxTitles[i] = newLabel(bx.title, seqBlockSize, 0)
			top = max(top, boxTitles[i].h+seqBoxTitlePad)
		}
	}
	actorTop := top
	y := actorTop + actorH + seqMsgGap

	var (
		stack   []*seqFrame
		actives []seqActive
		open    = make([][]int, n) // open activations per actor: indexes into actives
		number  = 0
		step    = 1
		numOn   = false
	)
	// edge returns where a message meets the lifeline of actor a, coming
	// from the side of x.
	edge := func(a int, fromX float64) float64 {
		if len(open[a]) == 0 {
			return xs[a]
		}
		lvl := actives[open[a][len(open[a])-1]].level
		cx := xs[a] + float64(lvl)*seqActW/2
		if fromX < cx {
			return cx - seqActW/2
		}
		return cx + seqActW/2
	}
	extend := func(x0, x1 float64) {
		for _, f := range stack {
			f.minX = min(f.minX, x0)
			f.maxX = max(f.maxX, x1)
		}
	}
	activate := func(a int, at float64) {
		lvl := len(open[a])
		actives = append(actives, seqActive{actor: a, top: at, bottom: -1, level: lvl})
		open[a] = append(open[a], len(actives)-1)
	}
	deactivate := func(a int, at float64) {
		if len(open[a]) == 0 {
			return
		}
		k := open[a][len(open[a])-1]
		open[a] = open[a][:len(open[a])-1]
		actives[k].bottom = max(at, actives[k].top+seqActW)
	}
	var msgOps builder
	for _, ev := range sq.events {
		switch ev.kind {
		case evNumber:
			numOn = ev.numOn
			if ev.numOn {
				number, step = ev.numStart, ev.step
			}
		case evActivate:
			activate(ev.from, y-seqMsgGap/2)
		case evDeactivate:
			deactivate(ev.from, y-seqMsgGap/2)
		case evMessage:
			l := msgLabels[ev]
			y += l.h
			if ev.from == ev.to {
				x := edge(ev.from, math.Inf(1))
				if ev.activate {
					activate(ev.to, y)
				}
				x1 := x + seqSelfW
				var pb pathBuilder
				pb.move(x, y).cubic(x1, y-2, x1, y+seqSelfH+2, x+arrowLen/2, y+seqSelfH)
				paint := Paint{Stroke: ptr(th.line), Width: seqLineW}
				if ev.dotted {
					paint.Dash = []float64{3, 3}
				}
				msgOps.path(pb.p, paint)
				sq.head(&msgOps, ev.head, Point{x, y + seqSelfH}, Point{x + arrowLen, y + seqSelfH}, th.line)
				msgOps.text(l, x+seqSelfW/2+seqActW, y-l.h-2, th.text, Middle)
				extend(x-seqActW, x1+l.w/2+seqActW)
				if numOn {
					extend(x-seqNumberR, x+seqNumberR)
					sq.numberBadge(&msgOps, x, y, number)
					number += step
				}
				if ev.deact {
					deactivate(ev.from, y+seqSelfH)
				}
				y += seqSelfH + seqAfterMsg
				continue
			}
			x0 := edge(ev.from, xs[ev.to])
			if ev.activate {
				activate(ev.to, y)
			}
			x1 := edge(ev.to, xs[ev.from])
			paint := Paint{Stroke: ptr(th.line), Width: seqLineW}
			if ev.dotted {
				paint.Dash = []float64{3, 3}
			}
			msgOps.line(x0, y, x1, y, paint)
			sq.head(&msgOps, ev.head, Point{x1, y}, Point{x0, y}, th.line)
			sq.head(&msgOps, ev.tailHead, Point{x0, y}, Point{x1, y}, th.line)
			msgOps.text(l, (x0+x1)/2, y-l.h-2, th.text, Middle)
			extend(min(x0, x1), max(x0, x1))
			if numOn {
				extend(x0-seqNumberR, x0+seqNumberR)
				sq.numberBadge(&msgOps, x0, y, number)
				number += step
			}
			if ev.deact {
				deactivate(ev.from, y)
			}
			y += seqAfterMsg
		case evNote:
			l := msgLabels[ev]
			w, h := l.w+2*seqNotePad, l.h+2*seqNotePad/2
			var x float64
			switch ev.noteSide {
			case "right":
				x = xs[ev.from] + seqNoteGap
			case "left":
				x = xs[ev.from] - seqNoteGap - w
			default:
				a, c := min(ev.from, ev.to), max(ev.from, ev.to)
				if a == c {
					x = xs[a] - w/2
				} else {
					span := xs[c] - xs[a] + 2*seqNoteGap*2.5
					w = max(w, span)
					x = (xs[a]+xs[c])/2 - w/2
				}
			}
			msgOps.path(rectPath(x, y, w, h, 0), Paint{Fill: ptr(th.noteFill), Stroke: ptr(th.noteStroke), Width: strokeThin})
			msgOps.text(l, x+w/2, y+seqNotePad/2, th.noteText, Middle)
			extend(x, x+w)
			minX, maxX = min(minX, x), max(maxX, x+w)
			y += h + seqNoteGap
		case evBlock:
			f := &seqFrame{ev: ev, top: y, minX: math.Inf(1), maxX: math.Inf(-1), depth: len(stack)}
			stack = append(stack, f)
			y += sq.blockHeader(ev.text) + seqMsgGap
		case evSection:
			if len(stack) > 0 {
				f := stack[len(stack)-1]
				f.sections = append(f.sections, seqSection{y: y, text: ev.text})
				y += sq.blockHeader(ev.text) + seqMsgGap
			}
		case evEnd:
			if len(stack) == 0 {
				continue
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if math.IsInf(f.minX, 1) {
				f.minX, f.maxX = xs[0]-aw[0]/2, xs[n-1]+aw[n-1]/2
			}
			pad := seqBlockPad
			x0, x1 := f.minX-pad, f.maxX+pad
			// Room for the label tab and the condition.
			tab := sq.tabWidth(f.ev)
			if t := newLabel(bracket(f.ev.text), seqBlockSize, 0); !t.empty() {
				x1 = max(x1, x0+tab+t.w+2*pad)
			}
			x1 = max(x1, x0+tab+2*pad)
			bottom := y
			y += seqMsgGap
			extend(x0, x1)
			minX, maxX = min(minX, x0), max(maxX, x1)
			if f.ev.block == "rect" {
				bg.path(rectPath(x0, f.top, x1-x0, bottom-f.top, 0), Paint{Fill: f.ev.fill})
				continue
			}
			sq.frame(&frames, f, x0, x1, bottom, th)
		}
	}
	bottom := y
	for a := range open {
		for len(open[a]) > 0 {
			deactivate(a, bottom-seqMsgGap/2)
		}
	}

	// Participant boxes (groups), lifelines, activations, frames, messages,
	// participants top and bottom.
	for i, bx := range sq.boxes {
		if bx.first < 0 {
			continue
		}
		x0 := xs[bx.first] - aw[bx.first]/2 - seqBoxTitlePad
		x1 := xs[bx.last] + aw[bx.last]/2 + seqBoxTitlePad
		fill := bx.fill
		paint := Paint{Fill: fill, Stroke: ptr(Color{0xCC, 0xCC, 0xCC}), Width: 0.5}
		b.path(rectPath(x0, 0, x1-x0, bottom+actorH+seqBoxTitlePad, 0), paint)
		if l := boxTitles[i]; l != nil {
			b.text(l, (x0+x1)/2, 0, th.text, Middle)
		}
		minX, maxX = min(minX, x0), max(maxX, x1)
	}
	b.ops = append(b.ops, bg.ops...)
	for i := range sq.actors {
		b.line(xs[i], actorTop+actorH, xs[i], bottom, Paint{Stroke: ptr(colActorLine), Width: seqLifelineW})
	}
	for _, a := range actives {
		x := xs[a.actor] + float64(a.level)*seqActW/2 - seqActW/2
		bot := a.bottom
		if bot < 0 {
			bot = bottom
		}
		b.path(rectPath(x, a.top, seqActW, bot-a.top, 0), Paint{Fill: ptr(colActivation), Stroke: ptr(colActivLine), Width: 0.75})
	}
	b.ops = append(b.ops, frames.ops...)
	b.ops = append(b.ops, msgOps.ops...)
	for i, a := range sq.actors {
		for _, yTop := range []float64{actorTop, bottom} {
			sq.drawActor(b, a, names[i], xs[i], yTop, aw[i], actorH, th)
		}
	}
	for i := range sq.actors {
		minX = min(minX, xs[i]-aw[i]/2)
		maxX = max(maxX, xs[i]+aw[i]/2)
	}
	b.translate(-minX, 0)
	d := finish(b, maxX-minX, bottom+actorH, doc, "sequence")
	d.Alt = sq.alt(names, msgLabels)
	return d
}

func bracket(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "[" + s + "]"
}

// blockHeader is the height of a block's header line.
func (sq *sequence) blockHeader(text string) float64 {
	l := newLabel(bracket(text), seqBlockSize, 0)
	return max(l.h, seqBlockSize*lineHeight)
}

func (sq *sequence) tabWidth(ev *seqEvent) float64 {
	return font.Width(faceOf(font.Regular), seqBlockSize, ev.block) + 16
}

// frame draws a block's dashed frame, its label tab, condition and sections.
func (sq *sequence) frame(b *builder, f *seqFrame, x0, x1, bottom float64, th *theme) {
	line := Paint{Stroke: ptr(colActorLine), Width: 1.5, Dash: []float64{1.5, 1.5}}
	b.path(rectPath(x0, f.top, x1-x0, bottom-f.top, 0), line)
	tab := sq.tabWidth(f.ev)
	hh := seqBlockSize * lineHeight
	b.path(polygon(Point{x0, f.top}, Point{x0 + tab, f.top}, Point{x0 + tab, f.top + hh*0.6}, Point{x0 + tab - 6, f.top + hh}, Point{x0, f.top + hh}),
		Paint{Fill: ptr(th.nodeFill), Stroke: ptr(colActorLine), Width: 0.75})
	kw := plainLabel(f.ev.block, seqBlockSize, font.Regular)
	b.text(kw, x0+tab/2-3, f.top, colBlack, Middle)
	if t := newLabel(bracket(f.ev.text), seqBlockSize, 0); !t.empty() {
		b.text(t, (x0+tab+x1)/2, f.top, colBlack, Middle)
	}
	for _, s := range f.sections {
		b.line(x0, s.y, x1, s.y, line)
		if t := newLabel(bracket(s.text), seqBlockSize, 0); !t.empty() {
			b.text(t, (x0+x1)/2, s.y, colBlack, Middle)
		}
	}
}

// head draws a message's arrowhead at tip.
func (sq *sequence) head(b *builder, kind int, tip, from Point, col Color) {
	switch kind {
	case headFilled:
		b.arrowhead(tip, from, arrowLen, arrowLen/2.4, col)
	case headOpen:
		dx, dy := tip.X-from.X, tip.Y-from.Y
		d := math.Hypot(dx, dy)
		if d < 1e-6 {
			return
		}
		ux, uy := dx/d, dy/d
		bx, by := tip.X-ux*arrowLen, tip.Y-uy*arrowLen
		h := arrowLen / 2.4
		var pb pathBuilder
		pb.move(bx-uy*h, by+ux*h).line(tip.X, tip.Y).line(bx+uy*h, by-ux*h)
		b.path(pb.p, Paint{Stroke: ptr(col), Width: seqLineW})
	case headCross:
		b.marker(markCross, tip, from, col, seqLineW)
	}
}

// numberBadge draws an autonumber circle at the start of a message.
func (sq *sequence) numberBadge(b *builder, x, y float64, n int) {
	b.path(ellipsePath(x, y, seqNumberR, seqNumberR), Paint{Fill: ptr(colLine), Stroke: ptr(colLine), Width: 0.5})
	l := plainLabel(strconv.Itoa(n), 8.5, font.Regular)
	b.text(l, x, y-l.h/2, colWhite, Middle)
}

// drawActor draws a participant box or stick figure with its top at y.
func (sq *sequence) drawActor(b *builder, a *seqActor, name *label, x, y, w, h float64, th *theme) {
	st := a.style
	fill, stroke := ptr(th.nodeFill), ptr(colActorLine)
	if st.fill != nil || st.fillNone {
		fill = st.fill
	}
	if st.stroke != nil || st.strokeNone {
		stroke = st.stroke
	}
	col := colBlack
	if st.color != nil {
		col = *st.color
	}
	if a.stick {
		// Head, body, arms, legs; the name below.
		s := Paint{Stroke: stroke, Width: 1.5}
		if stroke == nil || st.stroke == nil {
			s.Stroke = ptr(colText)
		}
		cy := y + 6
		headFill := fill
		if headFill == nil {
			headFill = ptr(colWhite)
		}
		b.path(ellipsePath(x, cy, 6, 6), Paint{Fill: headFill, Stroke: s.Stroke, Width: 1.5})
		b.line(x, cy+6, x, y+24, s)
		b.line(x-10, y+15, x+10, y+15, s)
		b.line(x, y+24, x-9, y+seqStickH-2, s)
		b.line(x, y+24, x+9, y+seqStickH-2, s)
		b.text(name, x, y+seqStickH+2, th.text, Middle)
		return
	}
	b.path(rectPath(x-w/2, y, w, h, 3), Paint{Fill: fill, Stroke: stroke, Width: strokeThin})
	b.text(name, x, y+h/2-name.h/2, col, Middle)
}

// alt describes the messages in order.
func (sq *sequence) alt(names []*label, labels map[*seqEvent]*label) string {
	var who []string
	for _, l := range names {
		who = append(who, l.plain())
	}
	var parts []string
	if len(who) > 0 {
		list := strings.Join(who, ", ")
		if len(who) > 1 {
			list = strings.Join(who[:len(who)-1], ", ") + " and " + who[len(who)-1]
		}
		parts = append(parts, "between "+list)
	}
	for _, ev := range sq.events {
		switch ev.kind {
		case evMessage:
			s := names[ev.from].plain() + " → " + names[ev.to].plain()
			if t := labels[ev].plain(); t != "" {
				s += ": " + t
			}
			parts = append(parts, s)
		case evNote:
			s := "Note over " + names[ev.from].plain()
			if ev.noteSide != "over" {
				s = "Note " + ev.noteSide + " of " + names[ev.from].plain()
			} else if ev.to != ev.from {
				s += " and " + names[ev.to].plain()
			}
			parts = append(parts, s+": "+labels[ev].plain())
		case evBlock:
			if ev.block == "rect" {
				continue
			}
			s := strings.ToUpper(ev.block[:1]) + ev.block[1:]
			if t := oneLine(ev.text); t != "" {
				s += " " + t
			}
			parts = append(parts, s)
		case evSection:
			s := ev.block
			if t := oneLine(ev.text); t != "" {
				s += " " + t
			}
			parts = append(parts, strings.ToUpper(s[:1])+s[1:])
		case evEnd:
			parts = append(parts, "End")
		}
	}
	s := altText(sq.doc, "Sequence diagram", nil)
	if sq.doc.accDescr != "" {
		return s
	}
	s = strings.TrimSuffix(s, ".")
	if len(parts) > 0 {
		s += " " + parts[0]
		if len(parts) > 1 {
			s += ": " + strings.Join(parts[1:], "; ")
		}
	}
	return bound(s + ".")
}
