package diagram

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// journey is a parsed user journey: tasks in sections, each with a score
// from 1 to 5 and the actors taking part.
type journey struct {
	doc    *document
	tasks  []*jTask
	actors []string
}

type jTask struct {
	name    string
	section string
	score   int
	actors  []string
}

func parseJourney(doc *document) (*journey, error) {
	j := &journey{doc: doc}
	section := ""
	seen := map[string]bool{}
	for _, ln := range doc.body() {
		s := strings.TrimSpace(trimSemicolon(ln.text))
		switch {
		case keywordIs(s, "title"):
			if j.doc.title == "" {
				j.doc.title = strings.TrimSpace(s[len("title"):])
			}
			continue
		case keywordIs(s, "section"):
			section = strings.TrimSpace(s[len("section"):])
			continue
		}
		name, rest, ok := strings.Cut(s, ":")
		if !ok {
			return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("unexpected %q: want a task, name: score: actors", snippet(s))}
		}
		scoreText, actors, _ := strings.Cut(rest, ":")
		score, err := strconv.Atoi(strings.TrimSpace(scoreText))
		if err != nil {
			return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("task %q: score %q is not a whole number", strings.TrimSpace(name), strings.TrimSpace(scoreText))}
		}
		t := &jTask{name: strings.TrimSpace(name), section: section, score: min(max(score, 0), 5)}
		for _, a := range strings.Split(actors, ",") {
			if a = strings.TrimSpace(a); a != "" {
				t.actors = append(t.actors, a)
				if !seen[a] {
					seen[a] = true
					j.actors = append(j.actors, a)
				}
			}
		}
		j.tasks = append(j.tasks, t)
		if len(j.tasks) > maxNodes {
			return nil, &ParseError{Line: ln.num, Msg: "diagram too large"}
		}
	}
	return j, nil
}

// Journey sizes, points.
const (
	jTaskW   = 95.0
	jGap     = 10.0
	jText    = 11.0
	jPad     = 6.0
	jFaceR   = 9.0
	jScoreH  = 16.0 // between two scores
	jDotR    = 4.0
	jMaxWide = 560.0
)

// jActorColors are the actors' colours, strong enough to read as marks.
var jActorColors = []Color{
	{0x8F, 0xBC, 0x8F}, {0x7B, 0x68, 0xEE}, {0xE0, 0x6C, 0x9F}, {0xE9, 0xA4, 0x3D},
	{0x4A, 0x9F, 0xD8}, {0xA0, 0x78, 0x4E}, {0x5F, 0xA8, 0x8F}, {0xB0, 0x60, 0xD0},
}

func (j *journey) actorColor(a string) Color {
	if i := slices.Index(j.actors, a); i >= 0 {
		return darkenTo(jActorColors[i%len(jActorColors)], 3)
	}
	return colLine
}

func (j *journey) draw() (*Drawing, error) {
	b := &builder{}
	var w, h float64
	if float64(len(j.tasks))*(jTaskW+jGap) <= jMaxWide {
		top := j.legendAcross(b)
		w, h = j.drawAcross(b, top)
	} else {
		w, h = j.drawDown(b, j.legend(b))
	}
	d := finish(b, w, h, j.doc, "journey")
	d.Alt = j.alt()
	return d, nil
}

// legend lists the actors with their colours at the top left and returns
// its width.
func (j *journey) legend(b *builder) float64 {
	if len(j.actors) == 0 {
		return 0
	}
	w := 0.0
	y := 0.0
	for _, a := range j.actors {
		lb := plainLabel(a, jText, font.Regular)
		b.path(ellipsePath(jDotR+1, y+lb.h/2, jDotR+1, jDotR+1), Paint{Fill: ptr(j.actorColor(a)), Stroke: ptr(colLine), Width: 0.5})
		b.text(lb, 2*jDotR+8, y, colText, Start)
		w = max(w, 2*jDotR+8+lb.w)
		y += lb.h
	}
	return w + 2*jGap
}

// legendAcross lists the actors in a row at the top and returns its height.
func (j *journey) legendAcross(b *builder) float64 {
	if len(j.actors) == 0 {
		return 0
	}
	x, h := 0.0, 0.0
	for _, a := range j.actors {
		lb := plainLabel(a, jText, font.Regular)
		b.path(ellipsePath(x+jDotR+1, lb.h/2, jDotR+1, jDotR+1), Paint{Fill: ptr(j.actorColor(a)), Stroke: ptr(colLine), Width: 0.5})
		b.text(lb, x+2*jDotR+6, 0, colText, Start)
		x += 2*jDotR + 6 + lb.w + 2*jGap
		h = lb.h
	}
	return h + jGap
}

// sections returns the tasks' sections in order with their first task.
func (j *journey) sections() (names []string, first []int) {
	for i, t := range j.tasks {
		if len(names) == 0 || names[len(names)-1] != t.section {
			names = append(names, t.section)
			first = append(first, i)
		}
	}
	return names, append(first, len(j.tasks))
}

func jLabel(s string, width float64) *label { return wrappedLabel(s, jText, width-2*jPad) }

// jBox paints a filled box with a label centred in it.
func jBox(b *builder, lb *label, x, y, w, h float64, fill Color) {
	b.path(rectPath(x, y, w, h, 3), Paint{Fill: ptr(fill), Stroke: ptr(colNodeStroke), Width: strokeThin})
	b.text(lb, x+w/2, y+h/2-lb.h/2, colText, Middle)
}

// drawAcross lays the tasks out left to right, as mermaid does: sections
// over their tasks, each task's face as high as its score below it.
func (j *journey) drawAcross(b *builder, y0 float64) (float64, float64) {
	x := func(i int) float64 { return float64(i) * (jTaskW + jGap) }
	names, first := j.sections()
	secH, taskH := 0.0, 0.0
	var secLabels, taskLabels []*label
	for k, n := range names {
		lb := jLabel(n, x(first[k+1]-1)+jTaskW-x(first[k]))
		secLabels = append(secLabels, lb)
		secH = max(secH, lb.h+2*jPad)
	}
	for _, t := range j.tasks {
		lb := jLabel(t.name, jTaskW)
		taskLabels = append(taskLabels, lb)
		taskH = max(taskH, lb.h+2*jPad+2*jDotR+4)
	}
	for k := range names {
		if names[k] == "" {
			continue
		}
		jBox(b, secLabels[k], x(first[k]), y0, x(first[k+1]-1)+jTaskW-x(first[k]), secH, tlColors[k%len(tlColors)])
	}
	top := y0 + secH + jGap
	scoreTop := top + taskH + jGap + jFaceR
	bottom := scoreTop + 4*jScoreH + jFaceR + jGap
	k := 0
	for i, t := range j.tasks {
		for k+1 < len(names) && first[k+1] <= i {
			k++
		}
		cx := x(i) + jTaskW/2
		b.line(cx, top+taskH, cx, bottom, Paint{Stroke: ptr(colGrid), Width: 0.75, Dash: []float64{3, 3}})
		// The actors' dots on top, the name under them.
		b.path(rectPath(x(i), top, jTaskW, taskH, 3), Paint{Fill: ptr(tlColors[k%len(tlColors)]), Stroke: ptr(colNodeStroke), Width: strokeThin})
		j.dots(b, t, x(i)+jPad, top+jPad+jDotR)
		lb := taskLabels[i]
		textTop := top + jPad + 2*jDotR + 4
		b.text(lb, cx, textTop+(top+taskH-jPad-textTop)/2-lb.h/2, colText, Middle)
		face(b, cx, scoreTop+float64(5-t.score)*jScoreH, t.score)
	}
	right := x(len(j.tasks)-1) + jTaskW
	b.line(0, bottom, right+4, bottom, Paint{Stroke: ptr(colLine), Width: 1.5})
	b.arrowhead(Point{right + 10, bottom}, Point{right, bottom}, 8, 4, colLine)
	return right + 10, bottom + 4
}

// drawDown lays a journey too long for a page's width out top to bottom:
// a row per task, the face as far right as its score, sections heading
// their tasks.
func (j *journey) drawDown(b *builder, x0 float64) (float64, float64) {
	names, first := j.sections()
	scoreX := x0 + 2*jTaskW + 4 + float64(j.mostActors())*(2*jDotR+2) + jGap + jFaceR
	right := scoreX + 4*jScoreH*1.5 + jFaceR
	y := 0.0
	k := -1
	for i, t := range j.tasks {
		for k+1 < len(names) && first[k+1] <= i {
			k++
			if names[k] != "" {
				lb := jLabel(names[k], right-x0)
				h := lb.h + 2*jPad
				jBox(b, lb, x0, y, right-x0, h, tlColors[k%len(tlColors)])
				y += h + jGap/2
			}
		}
		lb := jLabel(t.name, 2*jTaskW)
		h := max(lb.h+2*jPad, 2*jFaceR+4)
		jBox(b, lb, x0, y, 2*jTaskW, h, tlColors[max(k, 0)%len(tlColors)])
		b.line(x0+2*jTaskW, y+h/2, right, y+h/2, Paint{Stroke: ptr(colGrid), Width: 0.75, Dash: []float64{3, 3}})
		j.dots(b, t, x0+2*jTaskW+4, y+h/2)
		face(b, scoreX+float64(t.score-1)*jScoreH*1.5, y+h/2, t.score)
		y += h + jGap/2
	}
	return right, y
}

// mostActors returns the most actors a task has.
func (j *journey) mostActors() int {
	n := 0
	for _, t := range j.tasks {
		n = max(n, len(t.actors))
	}
	return n
}

// dots marks the actors taking part in a task, left to right from x.
func (j *journey) dots(b *builder, t *jTask, x, y float64) {
	for k, a := range t.actors {
		b.path(ellipsePath(x+jDotR+float64(k)*(2*jDotR+2), y, jDotR, jDotR), Paint{Fill: ptr(j.actorColor(a)), Stroke: ptr(colLine), Width: 0.5})
	}
}

// face draws a face for a score: smiling above 3, sad below, straight at 3.
func face(b *builder, cx, cy float64, score int) {
	b.path(ellipsePath(cx, cy, jFaceR, jFaceR), Paint{Fill: ptr(Color{0xFF, 0xF3, 0x9E}), Stroke: ptr(colLine), Width: 1})
	eye := Paint{Fill: ptr(colLine)}
	b.path(ellipsePath(cx-3, cy-2.5, 1.2, 1.2), eye)
	b.path(ellipsePath(cx+3, cy-2.5, 1.2, 1.2), eye)
	mouth := Paint{Stroke: ptr(colLine), Width: 1}
	var pb pathBuilder
	switch {
	case score > 3:
		pb.move(cx-4, cy+2).cubic(cx-2, cy+5.5, cx+2, cy+5.5, cx+4, cy+2)
	case score < 3:
		pb.move(cx-4, cy+5).cubic(cx-2, cy+2, cx+2, cy+2, cx+4, cy+5)
	default:
		pb.move(cx-4, cy+3.5).line(cx+4, cy+3.5)
	}
	b.path(pb.p, mouth)
}

// alt lists the tasks section by section with their scores and actors.
func (j *journey) alt() string {
	var parts []string
	names, first := j.sections()
	for k, n := range names {
		var ts []string
		for _, t := range j.tasks[first[k]:first[k+1]] {
			s := fmt.Sprintf("%s (score %d", oneLine(t.name), t.score)
			if len(t.actors) > 0 {
				s += ": " + strings.Join(t.actors, ", ")
			}
			ts = append(ts, s+")")
		}
		p := strings.Join(ts, "; ")
		if n != "" {
			p = "Section " + oneLine(n) + ": " + p
		}
		parts = append(parts, p)
	}
	return altText(j.doc, "User journey", parts)
}
