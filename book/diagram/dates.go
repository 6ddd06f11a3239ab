package diagram

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// This file reads dates as mermaid's gantt charts do, with dayjs format
// strings (YYYY-MM-DD), and writes them with d3's (%Y-%m-%d). All times
// are UTC, so that a chart does not depend on where it is built.

// dayjsTokens are the dayjs parse tokens, longest first.
var dayjsTokens = []string{"YYYY", "MMMM", "MMM", "SSS", "YY", "MM", "DD", "Do", "HH", "hh", "mm", "ss", "ZZ",
	"M", "D", "H", "h", "m", "s", "A", "a", "X", "x", "Z", "Q", "SS", "S"}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// dateLayout is a compiled dayjs format.
type dateLayout struct {
	re     *regexp.Regexp
	fields []string // the token of each group
}

var (
	layoutMu    sync.Mutex
	layoutCache = map[string]*dateLayout{}
)

// compileDayjs turns a dayjs format into a regular expression.
func compileDayjs(format string) *dateLayout {
	layoutMu.Lock()
	defer layoutMu.Unlock()
	if l, ok := layoutCache[format]; ok {
		return l
	}
	var re strings.Builder
	var fields []string
	re.WriteString("^")
	for i := 0; i < len(format); {
		if format[i] == '[' {
			// [literal text]
			if k := strings.IndexByte(format[i:], ']'); k > 0 {
				re.WriteString(regexp.QuoteMeta(format[i+1 : i+k]))
				i += k + 1
				continue
			}
		}
		tok := ""
		for _, t := range dayjsTokens {
			if strings.HasPrefix(format[i:], t) {
				tok = t
				break
			}
		}
		if tok == "" {
			re.WriteString(regexp.QuoteMeta(format[i : i+1]))
			i++
			continue
		}
		fields = append(fields, tok)
		switch tok {
		case "YYYY":
			re.WriteString(`([+-]?\d{4})`)
		case "YY", "MM", "DD", "HH", "hh", "mm", "ss", "SS":
			re.WriteString(`(\d{2})`)
		case "M", "D", "H", "h", "m", "s", "Q":
			re.WriteString(`(\d{1,2})`)
		case "Do":
			re.WriteString(`(\d{1,2})(?:st|nd|rd|th)`)
		case "SSS":
			re.WriteString(`(\d{3})`)
		case "S":
			re.WriteString(`(\d)`)
		case "MMMM", "MMM":
			re.WriteString(`([A-Za-z]+)`)
		case "A", "a":
			re.WriteString(`([AaPp][Mm])`)
		case "X":
			re.WriteString(`(-?\d+(?:\.\d+)?)`)
		case "x":
			re.WriteString(`(-?\d+)`)
		case "Z", "ZZ":
			re.WriteString(`([+-]\d{2}:?\d{2}|Z)`)
		}
		i += len(tok)
	}
	re.WriteString("$")
	l := &dateLayout{re: regexp.MustCompile(re.String()), fields: fields}
	if len(layoutCache) < 256 {
		layoutCache[format] = l
	}
	return l
}

// parseDayjs reads s strictly in a dayjs format. It is one case per
// token, read as a table.
func parseDayjs(s, format string) (time.Time, bool) {
	l := compileDayjs(strings.TrimSpace(format))
	m := l.re.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	year, month, day := 1970, 1, 1
	hour, minute, sec, ms := 0, 0, 0, 0
	pm, hasAmPm := false, false
	offset := 0
	for i, tok := range l.fields {
		v := m[i+1]
		n, _ := strconv.Atoi(v)
		switch tok {
		case "YYYY":
			year = n
		case "YY":
			year = 1900 + n
			if n < 69 {
				year = 2000 + n
			}
		case "M", "MM":
			month = n
		case "Q":
			month = (n-1)*3 + 1
		case "MMMM", "MMM":
			month = 0
			for k, name := range monthNames {
				if strings.EqualFold(v, name) || len(v) >= 3 && strings.EqualFold(v, name[:3]) {
					month = k + 1
				}
			}
		case "D", "DD", "Do":
			day = n
		case "H", "HH", "h", "hh":
			hour = n
		case "m", "mm":
			minute = n
		case "s", "ss":
			sec = n
		case "S":
			ms = n * 100
		case "SS":
			ms = n * 10
		case "SSS":
			ms = n
		case "A", "a":
			hasAmPm, pm = true, strings.EqualFold(v, "pm")
		case "X":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.Abs(f) > 1e12 {
				return time.Time{}, false
			}
			return time.UnixMilli(int64(f * 1000)).UTC(), true
		case "x":
			if len(v) > 16 {
				return time.Time{}, false
			}
			return time.UnixMilli(int64(n)).UTC(), true
		case "Z", "ZZ":
			if v != "Z" {
				v = strings.ReplaceAll(v, ":", "")
				hh, _ := strconv.Atoi(v[1:3])
				mm, _ := strconv.Atoi(v[3:5])
				offset = (hh*60 + mm) * 60
				if v[0] == '-' {
					offset = -offset
				}
			}
		}
	}
	if hasAmPm {
		hour %= 12
		if pm {
			hour += 12
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 || year < -9999 || year > 9999 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, ms*int(time.Millisecond), time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 February
	}
	return t.Add(-time.Duration(offset) * time.Second), true
}

// parseLooseDate reads the ISO forms JavaScript's Date accepts, which
// mermaid falls back to when a date does not match the chart's format.
func parseLooseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339, "2006-01-02 15:04", "2006-01-02 15:04:05", "2006/01/02", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

var durationRE = lazyRegexp(`^(\d+(?:\.\d+)?)(ms|[Mdhmswy])$`)

// addDuration adds a mermaid duration ("3d", "2w", "1.5h") to t, as dayjs
// does: days and weeks rounded to whole days, months and years whole.
func addDuration(t time.Time, s string) (time.Time, bool) {
	m := durationRE().FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return t, false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || v > 1e6 {
		return t, false
	}
	switch m[2] {
	case "y":
		return t.AddDate(int(v), 0, 0), true
	case "M":
		return t.AddDate(0, int(v), 0), true
	case "w":
		return t.AddDate(0, 0, int(math.Round(v*7))), true
	case "d":
		return t.AddDate(0, 0, int(math.Round(v))), true
	case "h":
		return t.Add(time.Duration(v * float64(time.Hour))), true
	case "m":
		return t.Add(time.Duration(v * float64(time.Minute))), true
	case "s":
		return t.Add(time.Duration(v * float64(time.Second))), true
	case "ms":
		return t.Add(time.Duration(v * float64(time.Millisecond))), true
	}
	return t, false
}

// formatD3 writes t with a d3 time format: %Y-%m-%d, %b %e, %H:%M. It is
// one case per directive, read as a table.
func formatD3(t time.Time, format string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		pad := byte(0)
		if strings.IndexByte("-_0", format[i]) >= 0 && i+1 < len(format) {
			pad = format[i]
			i++
		}
		num := func(v, width int, def byte) {
			p := def
			if pad != 0 {
				p = pad
			}
			s := strconv.Itoa(v)
			switch p {
			case '-':
			case '_':
				s = strings.Repeat(" ", max(0, width-len(s))) + s
			default:
				s = strings.Repeat("0", max(0, width-len(s))) + s
			}
			b.WriteString(s)
		}
		switch format[i] {
		case 'Y':
			num(t.Year(), 4, '0')
		case 'y':
			num(t.Year()%100, 2, '0')
		case 'm':
			num(int(t.Month()), 2, '0')
		case 'd':
			num(t.Day(), 2, '0')
		case 'e':
			num(t.Day(), 2, '_')
		case 'H':
			num(t.Hour(), 2, '0')
		case 'I':
			num((t.Hour()+11)%12+1, 2, '0')
		case 'M':
			num(t.Minute(), 2, '0')
		case 'S':
			num(t.Second(), 2, '0')
		case 'L':
			num(t.Nanosecond()/1e6, 3, '0')
		case 'j':
			num(t.YearDay(), 3, '0')
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'b', 'h':
			b.WriteString(t.Month().String()[:3])
		case 'B':
			b.WriteString(t.Month().String())
		case 'a':
			b.WriteString(t.Weekday().String()[:3])
		case 'A':
			b.WriteString(t.Weekday().String())
		case 'w':
			num(int(t.Weekday()), 1, '0')
		case 'u':
			num((int(t.Weekday())+6)%7+1, 1, '0')
		case 'U':
			num((t.YearDay()+6-int(t.Weekday()))/7, 2, '0')
		case 'W', 'V':
			_, w := t.ISOWeek()
			num(w, 2, '0')
		case 'q':
			num((int(t.Month())+2)/3, 1, '0')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}

// tickStep is an interval between axis ticks.
type tickStep struct {
	n    int
	unit string // millisecond, second, minute, hour, day, week, month, year
}

func (s tickStep) String() string { return fmt.Sprintf("%d%s", s.n, s.unit) }

// approx returns the step's rough length.
func (s tickStep) approx() time.Duration {
	d := map[string]time.Duration{
		"millisecond": time.Millisecond, "second": time.Second, "minute": time.Minute, "hour": time.Hour,
		"day": 24 * time.Hour, "week": 7 * 24 * time.Hour, "month": 30 * 24 * time.Hour, "year": 365 * 24 * time.Hour,
	}[s.unit]
	return time.Duration(s.n) * d
}

var tickIntervalRE = lazyRegexp(`^([1-9][0-9]*)(millisecond|second|minute|hour|day|week|month)$`)

// parseTickInterval reads mermaid's tickInterval: 1day, 2week, 1month.
func parseTickInterval(s string) (tickStep, bool) {
	m := tickIntervalRE().FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return tickStep{}, false
	}
	n, _ := strconv.Atoi(m[1])
	return tickStep{n: min(n, 10000), unit: m[2]}, true
}

// autoSteps are the tick intervals d3 chooses among, shortest first.
var autoSteps = []tickStep{
	{1, "second"}, {5, "second"}, {15, "second"}, {30, "second"},
	{1, "minute"}, {5, "minute"}, {15, "minute"}, {30, "minute"},
	{1, "hour"}, {3, "hour"}, {6, "hour"}, {12, "hour"},
	{1, "day"}, {2, "day"}, {1, "week"}, {1, "month"}, {3, "month"}, {1, "year"},
	{2, "year"}, {5, "year"}, {10, "year"}, {25, "year"}, {50, "year"}, {100, "year"},
}

// floorTo returns the first tick at or before t: the start of its minute,
// day, week (starting on weekStart), month or year, in steps of s.n.
func floorTo(t time.Time, s tickStep, weekStart time.Weekday) time.Time {
	y, mo, d := t.Date()
	switch s.unit {
	case "millisecond":
		return t.Truncate(time.Duration(s.n) * time.Millisecond)
	case "second", "minute", "hour":
		return t.Truncate(s.approx())
	case "day":
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	case "week":
		day := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		back := (int(day.Weekday()) - int(weekStart) + 7) % 7
		return day.AddDate(0, 0, -back)
	case "month":
		m0 := (int(mo) - 1) / s.n * s.n
		return time.Date(y, time.Month(m0+1), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y/s.n*s.n, 1, 1, 0, 0, 0, 0, time.UTC)
}

// next returns the tick after t.
func (s tickStep) next(t time.Time) time.Time {
	switch s.unit {
	case "day":
		return t.AddDate(0, 0, s.n)
	case "week":
		return t.AddDate(0, 0, 7*s.n)
	case "month":
		return t.AddDate(0, s.n, 0)
	case "year":
		return t.AddDate(s.n, 0, 0)
	}
	return t.Add(s.approx())
}
