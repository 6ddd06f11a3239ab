package diagram

import (
	"math"
	"strings"
	"time"

	"github.com/bindery-books/bindery/book/font"
)

// Gantt chart sizes, points: the chart is made as wide as a page holds
// with its text still legible.
const (
	ganttWidth   = 500.0
	ganttText    = 10.0
	ganttRowH    = 20.0
	ganttBarH    = 14.0
	ganttPad     = 6.0
	ganttSecWrap = 100.0
	ganttMinW    = 280.0
)

var (
	colTask         = Color{0x8A, 0x90, 0xDD}
	colTaskLine     = Color{0x53, 0x4F, 0xBC}
	colActiveTask   = Color{0xBF, 0xC7, 0xFF}
	colDoneTask     = Color{0xD3, 0xD3, 0xD3}
	colDoneTaskLine = Color{0x80, 0x80, 0x80}
	colCritTask     = Color{0xF2, 0x7C, 0x76}
	colCritLine     = Color{0xB7, 0x1C, 0x1C}
	colGrid         = Color{0x94, 0x94, 0x94}
	colExcluded     = Color{0xEE, 0xEE, 0xEE}
	ganttBands      = []Color{{0xE5, 0xE5, 0xFF}, {0xFF, 0xFF, 0xFF}, {0xFF, 0xF8, 0xC4}, {0xFF, 0xFF, 0xFF}}
)

// ganttLayout places a chart's rows and time axis.
type ganttLayout struct {
	gt         *gantt
	b          *builder
	x0, w      float64 // the time axis: left and width
	top        float64 // the first row
	t0, t1     time.Time
	rows       map[*ganttTask]float64 // the top of each task's row
	bottom     float64
	sectionTop []float64
}

func (gt *gantt) draw() (*Drawing, error) {
	l := &ganttLayout{gt: gt, b: &builder{}, rows: map[*ganttTask]float64{}}
	l.span()
	secLabels := l.sectionLabels()
	colW := 0.0
	for _, lb := range secLabels {
		colW = max(colW, lb.w+2*ganttPad)
	}
	l.x0, l.w = colW, max(ganttMinW, ganttWidth-colW)
	l.top = 0
	for _, t := range gt.tasks {
		if t.vert {
			l.top = ganttRowH // room for the markers' labels
		}
	}
	if gt.topAxis {
		l.top += ganttRowH
	}
	l.placeRows(secLabels)
	l.paintBands(secLabels)
	l.paintExcluded()
	l.paintAxis()
	for _, t := range gt.tasks {
		if !t.vert {
			l.paintTask(t)
		}
	}
	l.paintMarkers()
	d := finish(l.b, l.x0+l.w, l.bottom+ganttRowH, gt.doc, "gantt")
	d.Alt = gt.alt()
	return d, nil
}

// span finds the time the chart covers.
func (l *ganttLayout) span() {
	for i, t := range l.gt.tasks {
		if i == 0 || t.start.Before(l.t0) {
			l.t0 = t.start
		}
		if i == 0 || t.end.After(l.t1) {
			l.t1 = t.end
		}
	}
	if !l.t1.After(l.t0) {
		l.t1 = l.t0.AddDate(0, 0, 1)
	}
}

// x returns where time t is on the axis.
func (l *ganttLayout) x(t time.Time) float64 {
	return l.x0 + l.w*float64(t.Sub(l.t0))/float64(l.t1.Sub(l.t0))
}

// sectionLabels returns the sections in order, wrapped to the left column;
// tasks before any section form one without a name.
func (l *ganttLayout) sectionLabels() []*label {
	var out []*label
	for _, s := range l.sections() {
		out = append(out, wrappedLabel(s, ganttText, ganttSecWrap))
	}
	return out
}

// sections returns the names of the sections that hold tasks, in order.
func (l *ganttLayout) sections() []string {
	var out []string
	for _, t := range l.gt.tasks {
		if t.vert {
			continue
		}
		if len(out) == 0 || out[len(out)-1] != t.section {
			out = append(out, t.section)
		}
	}
	return out
}

// placeRows gives each task a row, section by section; a section is at
// least as tall as its wrapped name.
func (l *ganttLayout) placeRows(secLabels []*label) {
	y := l.top
	secs := l.sections()
	k := -1
	for _, t := range l.gt.tasks {
		if t.vert {
			continue
		}
		if k < 0 || secs[k] != t.section {
			if k >= 0 {
				y = max(y, l.sectionTop[k]+secLabels[k].h+4)
			}
			k++
			l.sectionTop = append(l.sectionTop, y)
		}
		l.rows[t] = y
		y += ganttRowH
	}
	if k >= 0 {
		y = max(y, l.sectionTop[k]+secLabels[k].h+4)
	}
	l.sectionTop = append(l.sectionTop, y)
	l.bottom = y
}

// paintBands paints a band across the chart for each section, with its
// name on the left.
func (l *ganttLayout) paintBands(secLabels []*label) {
	for i, lb := range secLabels {
		y0, y1 := l.sectionTop[i], l.sectionTop[i+1]
		l.b.path(rectPath(0, y0, l.x0+l.w, y1-y0, 0), Paint{Fill: ptr(ganttBands[i%len(ganttBands)])})
		l.b.text(lb, ganttPad, y0+2, colText, Start)
	}
}

// paintExcluded shades the excluded days.
func (l *ganttLayout) paintExcluded() {
	if len(l.gt.excludes) == 0 || l.t1.Sub(l.t0) > 3660*24*time.Hour {
		return
	}
	day := floorTo(l.t0, tickStep{1, "day"}, time.Sunday)
	for ; day.Before(l.t1); day = day.AddDate(0, 0, 1) {
		if !l.gt.excluded(day) {
			continue
		}
		a, b := l.x(maxTime(day, l.t0)), l.x(minTime(day.AddDate(0, 0, 1), l.t1))
		l.b.path(rectPath(a, l.top, b-a, l.bottom-l.top, 0), Paint{Fill: ptr(colExcluded)})
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// paintAxis paints the grid lines and the dates under the chart (and over
// it with topAxis).
func (l *ganttLayout) paintAxis() {
	format := l.gt.axisFormat
	if format == "" {
		format = "%Y-%m-%d"
	}
	step := l.step(format)
	grid := Paint{Stroke: ptr(colGrid), Width: 0.5}
	tick := floorTo(l.t0, step, l.gt.weekStart)
	if tick.Before(l.t0) {
		tick = step.next(tick)
	}
	lastRight := math.Inf(-1)
	for n := 0; !tick.After(l.t1) && n < 500; n++ {
		x := l.x(tick)
		l.b.line(x, l.top, x, l.bottom, grid)
		lb := plainLabel(formatD3(tick, format), ganttText, font.Regular)
		if x-lb.w/2 > lastRight+4 {
			l.b.text(lb, x, l.bottom+3, colText, Middle)
			if l.gt.topAxis {
				l.b.text(lb, x, l.top-lb.h-1, colText, Middle)
			}
			lastRight = x + lb.w/2
		}
		tick = step.next(tick)
	}
	l.b.line(l.x0, l.bottom, l.x0+l.w, l.bottom, Paint{Stroke: ptr(colText), Width: strokeThin})
}

// step returns the interval between ticks: the author's, or the shortest
// of d3's whose dates fit side by side.
func (l *ganttLayout) step(format string) tickStep {
	if s, ok := parseTickInterval(l.gt.tickInterval); ok && l.t1.Sub(l.t0)/s.approx() <= 200 {
		return s
	}
	labelW := font.Width(faceOf(font.Regular), ganttText, formatD3(l.t0, format)) + 10
	most := max(2, math.Floor(l.w/labelW))
	span := l.t1.Sub(l.t0)
	for _, s := range autoSteps {
		if float64(span)/float64(s.approx()) <= most {
			return s
		}
	}
	return autoSteps[len(autoSteps)-1]
}

// paintTask paints a task's bar (or a milestone's diamond) with its name
// inside, or beside it when it does not fit.
func (l *ganttLayout) paintTask(t *ganttTask) {
	y := l.rows[t] + (ganttRowH-ganttBarH)/2
	fill, stroke := colTask, colTaskLine
	switch {
	case t.done:
		fill, stroke = colDoneTask, colDoneTaskLine
	case t.active:
		fill = colActiveTask
	case t.crit:
		fill = colCritTask
	}
	if t.crit {
		stroke = colCritLine
	}
	paint := Paint{Fill: ptr(fill), Stroke: ptr(stroke), Width: strokeThin}
	lb := plainLabel(t.name, ganttText, font.Regular)
	if t.milestone {
		cx := (l.x(t.start) + l.x(t.renderEnd)) / 2
		r := ganttBarH / 2
		cy := y + r
		l.b.path(polygon(Point{cx, cy - r}, Point{cx + r, cy}, Point{cx, cy + r}, Point{cx - r, cy}), paint)
		l.label(lb, cx-r, cx+r, y, false)
		return
	}
	x0, x1 := l.x(t.start), l.x(t.renderEnd)
	if x1-x0 < 1 {
		x1 = x0 + 1
	}
	l.b.path(rectPath(x0, y, x1-x0, ganttBarH, 1.5), paint)
	l.label(lb, x0, x1, y, lb.w+8 <= x1-x0)
}

// label writes a task's name inside its bar, or after it when it fits
// before the end of the chart, or else before it.
func (l *ganttLayout) label(lb *label, x0, x1, y float64, inside bool) {
	top := y + ganttBarH/2 - lb.h/2
	switch {
	case inside:
		l.b.text(lb, (x0+x1)/2, top, colText, Middle)
	case x1+4+lb.w <= l.x0+l.w || x0-4-lb.w < l.x0:
		l.b.text(lb, x1+4, top, colText, Start)
	default:
		l.b.text(lb, x0-4, top, colText, End)
	}
}

// paintMarkers paints vertical markers (vert tasks) across the chart, with
// their names above it.
func (l *ganttLayout) paintMarkers() {
	lastRight := math.Inf(-1)
	for _, t := range l.gt.tasks {
		if !t.vert {
			continue
		}
		x := l.x(t.start)
		l.b.line(x, l.top-2, x, l.bottom, Paint{Stroke: ptr(colCritLine), Width: 1, Dash: []float64{4, 2}})
		lb := plainLabel(t.name, ganttText, font.Regular)
		y := l.top - lb.h - 2
		if l.gt.topAxis {
			y -= ganttRowH
		}
		if x-lb.w/2 > lastRight+4 {
			l.b.text(lb, x, y, colCritLine, Middle)
			lastRight = x + lb.w/2
		}
	}
}

// alt lists the tasks section by section with their dates.
func (gt *gantt) alt() string {
	withTime := false
	for _, t := range gt.tasks {
		for _, d := range []time.Time{t.start, t.end} {
			if d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 {
				withTime = true
			}
		}
	}
	layout := "2006-01-02"
	if withTime {
		layout = "2006-01-02 15:04"
	}
	var parts []string
	section := ""
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			p := strings.Join(cur, "; ")
			if section != "" {
				p = "Section " + oneLine(section) + ": " + p
			}
			parts = append(parts, p)
		}
		cur = nil
	}
	for _, t := range gt.tasks {
		if t.section != section {
			flush()
			section = t.section
		}
		var s string
		switch {
		case t.milestone || t.vert:
			s = oneLine(t.name) + " on " + t.start.Format(layout)
		default:
			s = oneLine(t.name) + ", " + t.start.Format(layout) + " to " + t.renderEnd.Format(layout)
		}
		var tags []string
		for _, tag := range []struct {
			on   bool
			word string
		}{{t.milestone, "milestone"}, {t.done, "done"}, {t.active, "active"}, {t.crit, "critical"}} {
			if tag.on {
				tags = append(tags, tag.word)
			}
		}
		if len(tags) > 0 {
			s += " (" + strings.Join(tags, ", ") + ")"
		}
		cur = append(cur, s)
	}
	flush()
	return altText(gt.doc, "Gantt chart", parts)
}
