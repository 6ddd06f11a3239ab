package diagram

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// gantt is a parsed gantt chart.
type gantt struct {
	doc          *document
	dateFormat   string
	axisFormat   string
	tickInterval string
	excludes     []string // lower case: weekends, weekday names, dates
	includes     []string
	inclusiveEnd bool
	topAxis      bool
	weekend      time.Weekday // the first day of the weekend: Saturday or Friday
	weekStart    time.Weekday
	sections     []string
	tasks        []*ganttTask
	byID         map[string]*ganttTask

	excludedDays, includedDays []time.Time // excludes and includes that are dates
}

type ganttTask struct {
	name, section string
	id            string
	done, active  bool
	crit          bool
	milestone     bool
	vert          bool // a vertical marker across the chart
	startSpec     string
	endSpec       string
	prev          *ganttTask // the task before, for a task that starts after it
	start, end    time.Time
	renderEnd     time.Time // the end drawn, before excluded days stretched it
	resolved      bool
	line          int
}

var ganttTaskRE = lazyRegexp(`^([^:]+?)\s*:(.*)$`)

func parseGantt(doc *document) (*gantt, error) {
	gt := &gantt{doc: doc, dateFormat: "YYYY-MM-DD", byID: map[string]*ganttTask{}, weekend: time.Saturday, weekStart: time.Sunday}
	var prev *ganttTask
	section := ""
	for _, ln := range doc.body() {
		s := strings.TrimSpace(ln.text)
		if len(gt.tasks) > maxNodes {
			return nil, &ParseError{Line: ln.num, Msg: "diagram too large"}
		}
		if gt.setting(s, &section) {
			continue
		}
		m := ganttTaskRE().FindStringSubmatch(s)
		if m == nil {
			return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("unexpected %q: want a task, name : data", snippet(s))}
		}
		t, err := gt.task(m[1], m[2], ln.num, section, prev)
		if err != nil {
			return nil, err
		}
		gt.tasks = append(gt.tasks, t)
		if t.id != "" {
			gt.byID[t.id] = t
		}
		prev = t
	}
	if err := gt.schedule(); err != nil {
		return nil, err
	}
	return gt, nil
}

// setting reads a line that sets up the chart rather than adding a task.
func (gt *gantt) setting(s string, section *string) bool {
	word, rest, _ := strings.Cut(s, " ")
	rest = strings.TrimSpace(rest)
	switch word {
	case "dateFormat":
		gt.dateFormat = rest
	case "axisFormat":
		gt.axisFormat = rest
	case "tickInterval":
		gt.tickInterval = rest
	case "excludes":
		gt.excludes = splitList(rest)
	case "includes":
		gt.includes = splitList(rest)
	case "inclusiveEndDates":
		gt.inclusiveEnd = true
	case "topAxis":
		gt.topAxis = true
	case "todayMarker", "displayMode", "click":
		// The chart is the same whenever it is built: no today marker.
	case "weekday":
		for d := time.Sunday; d <= time.Saturday; d++ {
			if strings.EqualFold(rest, d.String()) {
				gt.weekStart = d
			}
		}
	case "weekend":
		if strings.EqualFold(rest, "friday") {
			gt.weekend = time.Friday
		}
	case "title":
		if gt.doc.title == "" {
			gt.doc.title = rest
		}
	case "section":
		*section = rest
		gt.sections = append(gt.sections, rest)
	default:
		return s == "inclusiveEndDates" || s == "topAxis"
	}
	return true
}

// days returns the items of a list that are dates.
func (gt *gantt) days(list []string) []time.Time {
	var out []time.Time
	for _, s := range list {
		if d, ok := gt.parseDate(s); ok {
			out = append(out, d)
		}
	}
	return out
}

func splitList(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// task reads "name : [tags,] [id,] [start,] end" as mermaid does: leading
// tags, then one to three fields.
func (gt *gantt) task(name, data string, line int, section string, prev *ganttTask) (*ganttTask, error) {
	t := &ganttTask{name: strings.TrimSpace(name), section: section, line: line}
	fields := strings.Split(data, ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
tags:
	for len(fields) > 0 {
		switch fields[0] {
		case "done":
			t.done = true
		case "active":
			t.active = true
		case "crit":
			t.crit = true
		case "milestone":
			t.milestone = true
		case "vert":
			t.vert = true
		default:
			break tags
		}
		fields = fields[1:]
	}
	switch len(fields) {
	case 1:
		t.prev, t.endSpec = prev, fields[0]
		if prev == nil {
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("task %q has no start: the first task needs a start date", t.name)}
		}
	case 2:
		t.startSpec, t.endSpec = fields[0], fields[1]
	case 3:
		t.id, t.startSpec, t.endSpec = fields[0], fields[1], fields[2]
	default:
		return nil, &ParseError{Line: line, Msg: fmt.Sprintf("task %q: want [tags,] [id,] [start,] end or duration", t.name)}
	}
	if t.endSpec == "" && !t.milestone && !t.vert {
		return nil, &ParseError{Line: line, Msg: fmt.Sprintf("task %q has no end or duration", t.name)}
	}
	return t, nil
}

// schedule works out when each task starts and ends, in passes, since a
// task may start after one written below it.
func (gt *gantt) schedule() error {
	gt.excludedDays, gt.includedDays = gt.days(gt.excludes), gt.days(gt.includes)
	for range 10 {
		done := true
		for _, t := range gt.tasks {
			if t.resolved {
				continue
			}
			if err := gt.resolve(t); err != nil {
				return err
			}
			done = done && t.resolved
		}
		if done {
			return nil
		}
	}
	// Dependencies that never resolve (a cycle, or an unknown task):
	// mermaid starts such tasks today; start them with the chart.
	first, ok := gt.firstStart()
	for _, t := range gt.tasks {
		if t.resolved {
			continue
		}
		if !ok {
			return &ParseError{Line: t.line, Msg: fmt.Sprintf("task %q: no date to start from", t.name)}
		}
		gt.doc.warn(t.line, fmt.Sprintf("task %q starts after a task that has no date; drawn at the start", t.name))
		if err := gt.finish(t, first); err != nil {
			return err
		}
	}
	return nil
}

func (gt *gantt) firstStart() (time.Time, bool) {
	var first time.Time
	ok := false
	for _, t := range gt.tasks {
		if t.resolved && (!ok || t.start.Before(first)) {
			first, ok = t.start, true
		}
	}
	return first, ok
}

// resolve dates a task when what it depends on is dated.
func (gt *gantt) resolve(t *ganttTask) error {
	if t.prev != nil {
		if !t.prev.resolved {
			return nil
		}
		return gt.finish(t, t.prev.end)
	}
	spec := t.startSpec
	if ids, ok := strings.CutPrefix(spec, "after "); ok {
		var latest *ganttTask
		for _, id := range strings.Fields(ids) {
			d := gt.byID[id]
			if d == nil {
				continue
			}
			if !d.resolved {
				return nil
			}
			if latest == nil || d.end.After(latest.end) {
				latest = d
			}
		}
		if latest == nil {
			return nil
		}
		return gt.finish(t, latest.end)
	}
	start, ok := gt.parseDate(spec)
	if !ok {
		return &ParseError{Line: t.line, Msg: fmt.Sprintf("task %q: invalid date %q for dateFormat %s", t.name, spec, gt.dateFormat)}
	}
	return gt.finish(t, start)
}

func (gt *gantt) parseDate(s string) (time.Time, bool) {
	if t, ok := parseDayjs(s, gt.dateFormat); ok {
		return t, true
	}
	return parseLooseDate(s)
}

// finish dates a task's end from its start: a date, a duration, or "until"
// other tasks; excluded days stretch it.
func (gt *gantt) finish(t *ganttTask, start time.Time) error {
	t.start = start
	spec := t.endSpec
	manual := false
	switch {
	case strings.HasPrefix(spec, "until "):
		var earliest *ganttTask
		for _, id := range strings.Fields(spec[len("until "):]) {
			d := gt.byID[id]
			if d == nil {
				continue
			}
			if !d.resolved {
				return nil
			}
			if earliest == nil || d.start.Before(earliest.start) {
				earliest = d
			}
		}
		if earliest == nil {
			return nil
		}
		t.end = earliest.start
	default:
		if end, ok := gt.parseDate(spec); ok && spec != "" && !durationRE().MatchString(spec) {
			if gt.inclusiveEnd {
				end = end.AddDate(0, 0, 1)
			}
			t.end, manual = end, true
		} else if end, ok := addDuration(start, spec); ok {
			t.end = end
		} else if spec == "" {
			t.end = start
		} else {
			return &ParseError{Line: t.line, Msg: fmt.Sprintf("task %q: %q is neither a date for dateFormat %s nor a duration like 3d", t.name, spec, gt.dateFormat)}
		}
	}
	if t.end.Sub(t.start) > 200*365*24*time.Hour {
		return &ParseError{Line: t.line, Msg: fmt.Sprintf("task %q lasts more than 200 years", t.name)}
	}
	t.renderEnd = t.end
	if len(gt.excludes) > 0 && !manual {
		gt.skipExcluded(t)
	}
	t.resolved = true
	return nil
}

// skipExcluded moves a task's end past the excluded days it spans, as
// mermaid does, and keeps the end to draw before the last of them.
func (gt *gantt) skipExcluded(t *ganttTask) {
	day := t.start.AddDate(0, 0, 1)
	end := t.end
	invalid := false
	for n := 0; !day.After(end) && n < 20000; n++ {
		if !invalid {
			t.renderEnd = end
		}
		invalid = gt.excluded(day)
		if invalid {
			end = end.AddDate(0, 0, 1)
		}
		day = day.AddDate(0, 0, 1)
	}
	t.end = end
}

// excluded reports whether day is an excluded day.
func (gt *gantt) excluded(day time.Time) bool {
	isDay := func(d time.Time) bool { return sameDay(d, day) }
	if slices.ContainsFunc(gt.includedDays, isDay) {
		return false
	}
	for _, s := range gt.excludes {
		switch {
		case s == "weekends":
			if wd := day.Weekday(); wd == gt.weekend || wd == (gt.weekend+1)%7 {
				return true
			}
		case strings.EqualFold(s, day.Weekday().String()):
			return true
		}
	}
	return slices.ContainsFunc(gt.excludedDays, isDay)
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
