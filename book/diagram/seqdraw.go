package diagram

import (
	"fmt"
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

// seqLayout is a sequence diagram being laid out: participants in columns,
// events in rows from the top down.
type seqLayout struct {
	sq     *sequence
	th     *theme
	n      int
	names  []*label
	aw     []float64 // participant box widths
	actorH float64
	xs     []float64 // lifeline positions
	labels map[*seqEvent]*label
	wrap   float64 // messages and notes wrap here; 0: they do not
	height float64

	actorTop   float64
	y          float64 // the top of the next row
	minX, maxX float64

	stack   []*seqFrame
	actives []seqActive
	open    [][]int // open activations per participant: indexes into actives
	number  int
	step    int
	numOn   bool

	bg, frames, msgs builder // rect blocks, block frames, messages and notes
}

// seqReq says that lifeline j must be at least d right of lifeline i.
type seqReq struct {
	i, j int
	d    float64
}

func (sq *sequence) draw() (*Drawing, error) {
	doc := sq.doc
	if sq.title != "" && doc.title == "" {
		doc.title = sq.title
	}
	if len(sq.actors) == 0 {
		d := finish(&builder{}, 40, 20, doc, "sequence")
		d.Alt = altText(doc, "Sequence diagram", nil)
		return d, nil
	}
	th := newTheme(doc.theme)
	l, b := sq.lay(th, 0)
	// A diagram too wide to read on a page has its messages and notes
	// wrapped, as narrow as makes its text largest.
	best := pageScale(l.maxX-l.minX, l.height)
	if best*seqNoteSize < minLegible {
		for _, wrap := range seqWraps {
			wl, wb := sq.lay(th, wrap)
			if s := pageScale(wl.maxX-wl.minX, wl.height); s > best*1.05 {
				l, b, best = wl, wb, s
			}
		}
	}
	d := finish(b, l.maxX-l.minX, l.height, doc, "sequence")
	d.Alt = sq.alt(l.names, l.labels)
	return d, nil
}

// seqWraps are the widths messages and notes may be wrapped at, points.
var seqWraps = []float64{240, 180, 130}

// lay lays the diagram out with message and note text wrapped at wrap
// points (0: not wrapped) and draws it.
func (sq *sequence) lay(th *theme, wrap float64) (*seqLayout, *builder) {
	l := &seqLayout{sq: sq, th: th, n: len(sq.actors), labels: map[*seqEvent]*label{}, step: 1, wrap: wrap}
	l.measureActors()
	l.placeActors(l.measureEvents())
	l.actorTop = l.boxTitleRoom()
	l.y = l.actorTop + l.actorH + seqMsgGap
	l.open = make([][]int, l.n)
	for _, ev := range sq.events {
		l.event(ev)
	}
	bottom := l.y
	for a := range l.open {
		for len(l.open[a]) > 0 {
			l.deactivate(a, bottom-seqMsgGap/2)
		}
	}
	b := l.paint(bottom)
	b.translate(-l.minX, 0)
	l.height = bottom + l.actorH
	return l, b
}

// measureActors measures the participants' names and boxes.
func (l *seqLayout) measureActors() {
	l.names = make([]*label, l.n)
	l.aw = make([]float64, l.n)
	l.actorH = seqActorMinH
	for i, a := range l.sq.actors {
		name := a.name
		if name == "" {
			name = a.id
		}
		l.names[i] = newLabel(name, fontSize, 0)
		l.aw[i] = max(seqActorMinW, l.names[i].w+2*seqActorPadX)
		h := l.names[i].h + 2*seqActorPadY
		if a.stick {
			h = seqStickH + l.names[i].h + 4
		}
		l.actorH = max(l.actorH, h)
	}
}

// measureEvents measures messages and notes and returns the room they need
// between lifelines; the room they need left of the first lifeline and
// right of the last goes to minX and maxX.
func (l *seqLayout) measureEvents() []seqReq {
	var reqs []seqReq
	n := l.n
	left, right := l.aw[0]/2, l.aw[n-1]/2
	// need asks for room d right of lifeline a (or left of it, d < 0).
	need := func(a int, d float64) {
		switch {
		case d > 0 && a+1 < n:
			reqs = append(reqs, seqReq{a, a + 1, d})
		case d > 0:
			right = max(right, d)
		case a > 0:
			reqs = append(reqs, seqReq{a - 1, a, -d})
		default:
			left = max(left, -d)
		}
	}
	for _, ev := range l.sq.events {
		switch ev.kind {
		case evMessage:
			lb := labelOf(ev.text, seqMsgSize, l.wrap, l.wrap > 0)
			l.labels[ev] = lb
			w := lb.w + 2*seqActorPadX
			if l.sq.numbered {
				w += 2 * seqNumberR
			}
			switch {
			case ev.from == ev.to:
				need(ev.from, seqActW+max(seqSelfW, lb.w+4)+seqActorPadX)
			case ev.from < ev.to:
				reqs = append(reqs, seqReq{ev.from, ev.to, w})
			default:
				reqs = append(reqs, seqReq{ev.to, ev.from, w})
			}
		case evNote:
			lb := labelOf(ev.text, seqNoteSize, l.wrap, l.wrap > 0)
			l.labels[ev] = lb
			w := lb.w + 2*seqNotePad
			a, b := min(ev.from, ev.to), max(ev.from, ev.to)
			switch {
			case ev.noteSide == "right":
				need(ev.from, w+2*seqNoteGap)
			case ev.noteSide == "left":
				need(ev.from, -(w + 2*seqNoteGap))
			case a == b:
				need(a, w/2+seqNoteGap)
				need(a, -(w/2 + seqNoteGap))
			default:
				reqs = append(reqs, seqReq{a, b, w - 2*seqNoteGap})
			}
		}
	}
	l.minX, l.maxX = -left, right
	return reqs
}

// placeActors places the lifelines left to right, each as close to the one
// before as the participants' boxes and the requirements allow.
func (l *seqLayout) placeActors(reqs []seqReq) {
	l.xs = make([]float64, l.n)
	for k := 1; k < l.n; k++ {
		l.xs[k] = l.xs[k-1] + l.aw[k-1]/2 + seqActorGap + l.aw[k]/2
		for _, r := range reqs {
			if r.j == k {
				l.xs[k] = max(l.xs[k], l.xs[r.i]+r.d)
			}
		}
	}
	l.maxX += l.xs[l.n-1]
	for i := range l.n {
		l.minX = min(l.minX, l.xs[i]-l.aw[i]/2)
		l.maxX = max(l.maxX, l.xs[i]+l.aw[i]/2)
	}
}

// boxTitleRoom returns the room the titles of participant boxes need above
// the participants.
func (l *seqLayout) boxTitleRoom() float64 {
	top := 0.0
	for _, bx := range l.sq.boxes {
		if bx.title != "" {
			top = max(top, newLabel(bx.title, seqBlockSize, 0).h+seqBoxTitlePad)
		}
	}
	return top
}

// event lays out one event at the current row.
func (l *seqLayout) event(ev *seqEvent) {
	switch ev.kind {
	case evNumber:
		l.numOn = ev.numOn
		if ev.numOn {
			l.number, l.step = ev.numStart, ev.step
		}
	case evActivate:
		l.activate(ev.from, l.y-seqMsgGap/2)
	case evDeactivate:
		l.deactivate(ev.from, l.y-seqMsgGap/2)
	case evMessage:
		if ev.from == ev.to {
			l.selfMessage(ev)
		} else {
			l.message(ev)
		}
	case evNote:
		l.note(ev)
	case evBlock:
		f := &seqFrame{ev: ev, top: l.y, minX: math.Inf(1), maxX: math.Inf(-1), depth: len(l.stack)}
		l.stack = append(l.stack, f)
		l.y += blockHeader(ev.text) + seqMsgGap
	case evSection:
		if len(l.stack) > 0 {
			f := l.stack[len(l.stack)-1]
			f.sections = append(f.sections, seqSection{y: l.y, text: ev.text})
			l.y += blockHeader(ev.text) + seqMsgGap
		}
	case evEnd:
		l.endBlock()
	}
}

// edge returns where a message meets the lifeline of participant a,
// coming from the side of fromX.
func (l *seqLayout) edge(a int, fromX float64) float64 {
	if len(l.open[a]) == 0 {
		return l.xs[a]
	}
	lvl := l.actives[l.open[a][len(l.open[a])-1]].level
	cx := l.xs[a] + float64(lvl)*seqActW/2
	if fromX < cx {
		return cx - seqActW/2
	}
	return cx + seqActW/2
}

// extend widens the open blocks to hold x0..x1, and the drawing too.
func (l *seqLayout) extend(x0, x1 float64) {
	for _, f := range l.stack {
		f.minX = min(f.minX, x0)
		f.maxX = max(f.maxX, x1)
	}
	l.minX, l.maxX = min(l.minX, x0), max(l.maxX, x1)
}

func (l *seqLayout) activate(a int, at float64) {
	l.actives = append(l.actives, seqActive{actor: a, top: at, bottom: -1, level: len(l.open[a])})
	l.open[a] = append(l.open[a], len(l.actives)-1)
}

func (l *seqLayout) deactivate(a int, at float64) {
	if len(l.open[a]) == 0 {
		return
	}
	k := l.open[a][len(l.open[a])-1]
	l.open[a] = l.open[a][:len(l.open[a])-1]
	l.actives[k].bottom = max(at, l.actives[k].top+seqActW)
}

func (l *seqLayout) messagePaint(ev *seqEvent) Paint {
	paint := Paint{Stroke: ptr(l.th.line), Width: seqLineW}
	if ev.dotted {
		paint.Dash = []float64{3, 3}
	}
	return paint
}

// badge draws the message's autonumber at x, y when numbering is on.
func (l *seqLayout) badge(x, y float64) {
	if !l.numOn {
		return
	}
	l.extend(x-seqNumberR, x+seqNumberR)
	numberBadge(&l.msgs, x, y, l.number)
	l.number += l.step
}

// message draws a message between two lifelines, its text above the arrow.
func (l *seqLayout) message(ev *seqEvent) {
	lb := l.labels[ev]
	l.y += lb.h
	y := l.y
	x0 := l.edge(ev.from, l.xs[ev.to])
	if ev.activate {
		l.activate(ev.to, y)
	}
	x1 := l.edge(ev.to, l.xs[ev.from])
	l.msgs.line(x0, y, x1, y, l.messagePaint(ev))
	head(&l.msgs, ev.head, Point{x1, y}, Point{x0, y}, l.th.line)
	head(&l.msgs, ev.tailHead, Point{x0, y}, Point{x1, y}, l.th.line)
	l.msgs.text(lb, (x0+x1)/2, y-lb.h-2, l.th.text, Middle)
	l.extend(min(x0, x1), max(x0, x1))
	l.extend((x0+x1)/2-lb.w/2, (x0+x1)/2+lb.w/2)
	l.badge(x0, y)
	if ev.deact {
		l.deactivate(ev.from, y)
	}
	l.y += seqAfterMsg
}

// selfMessage draws a message from a lifeline to itself: a loop to the
// right, its text above the loop, starting at the lifeline.
func (l *seqLayout) selfMessage(ev *seqEvent) {
	lb := l.labels[ev]
	l.y += lb.h
	y := l.y
	x := l.edge(ev.from, math.Inf(1))
	if ev.activate {
		l.activate(ev.to, y)
	}
	x1 := x + seqSelfW
	var pb pathBuilder
	pb.move(x, y).cubic(x1, y-2, x1, y+seqSelfH+2, x+arrowLen/2, y+seqSelfH)
	l.msgs.path(pb.p, l.messagePaint(ev))
	head(&l.msgs, ev.head, Point{x, y + seqSelfH}, Point{x + arrowLen, y + seqSelfH}, l.th.line)
	tx := x + 4
	if l.numOn {
		tx += seqNumberR
	}
	l.msgs.text(lb, tx, y-lb.h-2, l.th.text, Start)
	l.extend(x-seqActW, max(x1, tx+lb.w)+seqActW)
	l.badge(x, y)
	if ev.deact {
		l.deactivate(ev.from, y+seqSelfH)
	}
	l.y += seqSelfH + seqAfterMsg
}

// note draws a note left or right of a lifeline, or over one or two.
func (l *seqLayout) note(ev *seqEvent) {
	lb := l.labels[ev]
	w, h := lb.w+2*seqNotePad, lb.h+2*seqNotePad/2
	var x float64
	switch ev.noteSide {
	case "right":
		x = l.xs[ev.from] + seqNoteGap
	case "left":
		x = l.xs[ev.from] - seqNoteGap - w
	default:
		a, c := min(ev.from, ev.to), max(ev.from, ev.to)
		if a == c {
			x = l.xs[a] - w/2
		} else {
			w = max(w, l.xs[c]-l.xs[a]+2*seqNoteGap*2.5)
			x = (l.xs[a]+l.xs[c])/2 - w/2
		}
	}
	l.msgs.path(rectPath(x, l.y, w, h, 0), Paint{Fill: ptr(l.th.noteFill), Stroke: ptr(l.th.noteStroke), Width: strokeThin})
	l.msgs.text(lb, x+w/2, l.y+seqNotePad/2, l.th.noteText, Middle)
	l.extend(x, x+w)
	l.y += h + seqNoteGap
}

// endBlock closes the innermost block and draws its frame.
func (l *seqLayout) endBlock() {
	if len(l.stack) == 0 {
		return
	}
	f := l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	if math.IsInf(f.minX, 1) {
		f.minX, f.maxX = l.xs[0]-l.aw[0]/2, l.xs[l.n-1]+l.aw[l.n-1]/2
	}
	x0, x1 := f.minX-seqBlockPad, f.maxX+seqBlockPad
	// Room for the label tab and the condition.
	tab := tabWidth(f.ev)
	if t := newLabel(bracket(f.ev.text), seqBlockSize, 0); !t.empty() {
		x1 = max(x1, x0+tab+t.w+2*seqBlockPad)
	}
	x1 = max(x1, x0+tab+2*seqBlockPad)
	bottom := l.y
	l.y += seqMsgGap
	l.extend(x0, x1)
	if f.ev.block == "rect" {
		l.bg.path(rectPath(x0, f.top, x1-x0, bottom-f.top, 0), Paint{Fill: f.ev.fill})
		return
	}
	frame(&l.frames, f, x0, x1, bottom, l.th)
}

// paint paints, in order: participant boxes (groups), rect blocks,
// lifelines, activations, frames, messages and notes, and the participants
// at the top and bottom.
func (l *seqLayout) paint(bottom float64) *builder {
	b := &builder{}
	for _, bx := range l.sq.boxes {
		if bx.first < 0 {
			continue
		}
		x0 := l.xs[bx.first] - l.aw[bx.first]/2 - seqBoxTitlePad
		x1 := l.xs[bx.last] + l.aw[bx.last]/2 + seqBoxTitlePad
		b.path(rectPath(x0, 0, x1-x0, bottom+l.actorH+seqBoxTitlePad, 0), Paint{Fill: bx.fill, Stroke: ptr(colBoxLine), Width: 0.5})
		if bx.title != "" {
			b.text(newLabel(bx.title, seqBlockSize, 0), (x0+x1)/2, 0, l.th.text, Middle)
		}
		l.minX, l.maxX = min(l.minX, x0), max(l.maxX, x1)
	}
	b.ops = append(b.ops, l.bg.ops...)
	for i := range l.n {
		b.line(l.xs[i], l.actorTop+l.actorH, l.xs[i], bottom, Paint{Stroke: ptr(colActorLine), Width: seqLifelineW})
	}
	for _, a := range l.actives {
		x := l.xs[a.actor] + float64(a.level)*seqActW/2 - seqActW/2
		bot := a.bottom
		if bot < 0 {
			bot = bottom
		}
		b.path(rectPath(x, a.top, seqActW, bot-a.top, 0), Paint{Fill: ptr(colActivation), Stroke: ptr(colActivLine), Width: 0.75})
	}
	b.ops = append(b.ops, l.frames.ops...)
	b.ops = append(b.ops, l.msgs.ops...)
	b.group += l.frames.group + l.msgs.group
	for i, a := range l.sq.actors {
		for _, yTop := range []float64{l.actorTop, bottom} {
			drawActor(b, a, l.names[i], l.xs[i], yTop, l.aw[i], l.actorH, l.th, l.sq.doc)
		}
	}
	return b
}

func bracket(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "[" + s + "]"
}

// blockHeader is the height of a block's header line.
func blockHeader(text string) float64 {
	l := newLabel(bracket(text), seqBlockSize, 0)
	return max(l.h, seqBlockSize*lineHeight)
}

func tabWidth(ev *seqEvent) float64 {
	return font.Width(faceOf(font.Regular), seqBlockSize, ev.block) + 16
}

// frame draws a block's dashed frame, its label tab, condition and sections.
func frame(b *builder, f *seqFrame, x0, x1, bottom float64, th *theme) {
	line := Paint{Stroke: ptr(colActorLine), Width: 1.5, Dash: []float64{1.5, 1.5}}
	b.path(rectPath(x0, f.top, x1-x0, bottom-f.top, 0), line)
	tab := tabWidth(f.ev)
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
func head(b *builder, kind int, tip, from Point, col Color) {
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
func numberBadge(b *builder, x, y float64, n int) {
	b.path(ellipsePath(x, y, seqNumberR, seqNumberR), Paint{Fill: ptr(colLine), Stroke: ptr(colLine), Width: 0.5})
	l := plainLabel(strconv.Itoa(n), 8.5, font.Regular)
	b.text(l, x, y-l.h/2, colWhite, Middle)
}

// drawActor draws a participant box or stick figure with its top at y.
func drawActor(b *builder, a *seqActor, name *label, x, y, w, h float64, th *theme, doc *document) {
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
	doc.checkContrast(st, fill, col, fmt.Sprintf("participant %q", a.id))
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
