package diagram

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bindery-books/bindery/book/font"
)

// gitGraph is a parsed gitGraph: commits on branches, in order.
type gitGraph struct {
	doc      *document
	dir      string // LR, TB or BT
	branches []*gitBranch
	byName   map[string]*gitBranch
	commits  []*gitCommit
	byID     map[string]*gitCommit
	steps    []string // what happened, in words, for the alt text
}

type gitBranch struct {
	name  string
	order float64
	head  *gitCommit
	index int // the lane, once sorted
}

// Commit kinds.
const (
	gitNormal = iota
	gitReverse
	gitHighlight
	gitMerge
	gitCherry
)

type gitCommit struct {
	id      string // as written; "" when the author gave none
	branch  *gitBranch
	parents []*gitCommit
	kind    int
	tags    []string
	msg     string
	seq     int
	from    string // a cherry-pick's source commit id
}

var (
	gitHeaderRE = lazyRegexp(`^(?:(LR|TB|BT)\s*)?:?$`)
	gitOptRE    = lazyRegexp(`^(id|msg|tag|type|parent|order)\s*:\s*("(?:[^"]*)"|\S+)\s*`)
	gitMainRE   = lazyRegexp(`mainBranchName['"]?\s*:\s*['"]([^'"]+)['"]`)
	gitOrderRE  = lazyRegexp(`mainBranchOrder['"]?\s*:\s*([0-9]+)`)
)

func parseGitGraph(doc *document) (*gitGraph, error) {
	gg := &gitGraph{doc: doc, dir: "LR", byName: map[string]*gitBranch{}, byID: map[string]*gitCommit{}}
	rest := strings.TrimSpace(doc.headerRest())
	m := gitHeaderRE().FindStringSubmatch(rest)
	if m == nil {
		return nil, &ParseError{Line: doc.lines[doc.header].num, Msg: fmt.Sprintf("unexpected %q after gitGraph", snippet(rest))}
	}
	if m[1] != "" {
		gg.dir = m[1]
	}
	main := "main"
	if mm := gitMainRE().FindStringSubmatch(doc.config); mm != nil {
		main = mm[1]
	}
	order := 0.0
	if mo := gitOrderRE().FindStringSubmatch(doc.config); mo != nil {
		order, _ = strconv.ParseFloat(mo[1], 64)
	}
	cur := gg.addBranch(main, order)
	for _, ln := range doc.body() {
		s := strings.TrimSpace(trimSemicolon(ln.text))
		if len(gg.commits) > maxNodes || len(gg.branches) > 64 {
			return nil, &ParseError{Line: ln.num, Msg: "diagram too large"}
		}
		word, args, _ := strings.Cut(s, " ")
		args = strings.TrimSpace(args)
		var err error
		switch word {
		case "commit":
			err = gg.commit(cur, args, ln.num)
		case "branch":
			cur, err = gg.branch(cur, args, ln.num)
		case "checkout", "switch":
			name := strings.Trim(args, `"`)
			b, ok := gg.byName[name]
			if !ok {
				return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("%s %q: no such branch", word, name)}
			}
			cur = b
		case "merge":
			err = gg.merge(cur, args, ln.num)
		case "cherry-pick":
			err = gg.cherryPick(cur, args, ln.num)
		default:
			return nil, &ParseError{Line: ln.num, Msg: fmt.Sprintf("unexpected %q", snippet(s))}
		}
		if err != nil {
			return nil, err
		}
	}
	return gg, nil
}

// options reads id: "x" tag: "v1" type: HIGHLIGHT and a bare "message".
func options(s string, line int) (map[string][]string, error) {
	opts := map[string][]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if m := gitOptRE().FindStringSubmatch(s); m != nil {
			opts[m[1]] = append(opts[m[1]], strings.Trim(m[2], `"`))
			s = s[len(m[0]):]
			continue
		}
		if s[0] == '"' {
			if k := strings.IndexByte(s[1:], '"'); k >= 0 {
				opts["msg"] = append(opts["msg"], s[1:k+1])
				s = s[k+2:]
				continue
			}
		}
		return nil, &ParseError{Line: line, Msg: fmt.Sprintf("unexpected %q", snippet(s))}
	}
	return opts, nil
}

func (gg *gitGraph) addBranch(name string, order float64) *gitBranch {
	b := &gitBranch{name: name, order: order}
	gg.branches = append(gg.branches, b)
	gg.byName[name] = b
	return b
}

func (gg *gitGraph) newCommit(cur *gitBranch, opts map[string][]string, line int) (*gitCommit, error) {
	c := &gitCommit{branch: cur, seq: len(gg.commits), tags: opts["tag"]}
	if ids := opts["id"]; len(ids) > 0 {
		c.id = ids[len(ids)-1]
		if _, dup := gg.byID[c.id]; dup {
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("commit id %q is already used", c.id)}
		}
		gg.byID[c.id] = c
	}
	if ms := opts["msg"]; len(ms) > 0 {
		c.msg = ms[len(ms)-1]
	}
	if ts := opts["type"]; len(ts) > 0 {
		switch ts[len(ts)-1] {
		case "NORMAL":
		case "REVERSE":
			c.kind = gitReverse
		case "HIGHLIGHT":
			c.kind = gitHighlight
		default:
			return nil, &ParseError{Line: line, Msg: fmt.Sprintf("commit type %q: want NORMAL, REVERSE or HIGHLIGHT", ts[len(ts)-1])}
		}
	}
	if cur.head != nil {
		c.parents = []*gitCommit{cur.head}
	}
	cur.head = c
	gg.commits = append(gg.commits, c)
	return c, nil
}

func (gg *gitGraph) commit(cur *gitBranch, args string, line int) error {
	opts, err := options(args, line)
	if err != nil {
		return err
	}
	c, err := gg.newCommit(cur, opts, line)
	if err != nil {
		return err
	}
	gg.steps = append(gg.steps, "commit "+c.describe()+" on "+cur.name)
	return nil
}

func (gg *gitGraph) branch(cur *gitBranch, args string, line int) (*gitBranch, error) {
	name, rest := args, ""
	if strings.HasPrefix(args, `"`) {
		if k := strings.IndexByte(args[1:], '"'); k >= 0 {
			name, rest = args[1:k+1], args[k+2:]
		}
	} else if k := strings.IndexAny(args, " \t"); k >= 0 {
		name, rest = args[:k], args[k:]
	}
	if name == "" {
		return nil, &ParseError{Line: line, Msg: "branch needs a name"}
	}
	if _, dup := gg.byName[name]; dup {
		return nil, &ParseError{Line: line, Msg: fmt.Sprintf("branch %q already exists", name)}
	}
	opts, err := options(rest, line)
	if err != nil {
		return nil, err
	}
	order := float64(len(gg.branches))
	if o := opts["order"]; len(o) > 0 {
		if v, err := strconv.ParseFloat(o[0], 64); err == nil {
			order = v
		}
	}
	b := gg.addBranch(name, order)
	b.head = cur.head
	gg.steps = append(gg.steps, "branch "+name+" from "+cur.name)
	return b, nil
}

func (gg *gitGraph) merge(cur *gitBranch, args string, line int) error {
	name, rest := args, ""
	if strings.HasPrefix(args, `"`) {
		if k := strings.IndexByte(args[1:], '"'); k >= 0 {
			name, rest = args[1:k+1], args[k+2:]
		}
	} else if k := strings.IndexAny(args, " \t"); k >= 0 {
		name, rest = args[:k], args[k:]
	}
	other, ok := gg.byName[name]
	switch {
	case !ok:
		return &ParseError{Line: line, Msg: fmt.Sprintf("merge %q: no such branch", name)}
	case other == cur:
		return &ParseError{Line: line, Msg: fmt.Sprintf("cannot merge branch %q into itself", name)}
	case other.head == nil:
		return &ParseError{Line: line, Msg: fmt.Sprintf("merge %q: the branch has no commits", name)}
	}
	opts, err := options(rest, line)
	if err != nil {
		return err
	}
	c, err := gg.newCommit(cur, opts, line)
	if err != nil {
		return err
	}
	if c.kind == gitNormal {
		c.kind = gitMerge
	}
	c.parents = append(c.parents, other.head)
	gg.steps = append(gg.steps, "merge "+name+" into "+cur.name+c.suffix())
	return nil
}

func (gg *gitGraph) cherryPick(cur *gitBranch, args string, line int) error {
	opts, err := options(args, line)
	if err != nil {
		return err
	}
	ids := opts["id"]
	if len(ids) == 0 {
		return &ParseError{Line: line, Msg: "cherry-pick needs the id: of a commit"}
	}
	src, ok := gg.byID[ids[0]]
	switch {
	case !ok:
		return &ParseError{Line: line, Msg: fmt.Sprintf("cherry-pick %q: no such commit", ids[0])}
	case src.branch == cur:
		return &ParseError{Line: line, Msg: fmt.Sprintf("cherry-pick %q: the commit is on the current branch", ids[0])}
	}
	delete(opts, "id")
	c, err := gg.newCommit(cur, opts, line)
	if err != nil {
		return err
	}
	c.kind, c.from = gitCherry, src.id
	c.parents = append(c.parents, src)
	gg.steps = append(gg.steps, "cherry-pick "+src.id+" onto "+cur.name+c.suffix())
	return nil
}

// describe names a commit in the alt text: its id and tags.
func (c *gitCommit) describe() string {
	s := c.id
	if c.msg != "" {
		if s != "" {
			s += " "
		}
		s += "“" + c.msg + "”"
	}
	return strings.TrimSpace(s + c.suffix())
}

func (c *gitCommit) suffix() string {
	var s []string
	for _, t := range c.tags {
		s = append(s, "tag "+t)
	}
	switch c.kind {
	case gitReverse:
		s = append(s, "reverse")
	case gitHighlight:
		s = append(s, "highlighted")
	}
	if len(s) == 0 {
		return ""
	}
	return " (" + strings.Join(s, ", ") + ")"
}

// Git graph sizes, points.
const (
	gitR        = 7.0  // a commit's radius
	gitStep     = 36.0 // between commits
	gitLane     = 44.0 // between branches
	gitText     = 10.0
	gitLabelPad = 4.0
)

// gitColors are the branches' colours, dark enough for white text.
var gitColors = []Color{
	{0x60, 0x50, 0xC8}, {0x8A, 0x6D, 0x00}, {0x1F, 0x7A, 0x4D}, {0xB3, 0x45, 0x0E},
	{0xB0, 0x1E, 0x78}, {0x1D, 0x6F, 0xB8}, {0x7A, 0x4B, 0x2A}, {0x52, 0x5F, 0x70},
}

func (b *gitBranch) color() Color {
	return darkenTo(gitColors[b.index%len(gitColors)], minTextContrast)
}

func (gg *gitGraph) draw() (*Drawing, error) {
	lanes := slices.Clone(gg.branches)
	slices.SortStableFunc(lanes, func(a, b *gitBranch) int { return cmp.Compare(a.order, b.order) })
	for i, b := range lanes {
		b.index = i
	}
	l := &gitLayout{gg: gg, lanes: lanes, b: &builder{}, vertical: gg.dir != "LR"}
	l.measure()
	l.place()
	l.paintLanes()
	l.paintEdges()
	l.paintCommits()
	d := finish(l.b, 0, 0, gg.doc, "git")
	d.Alt = altText(gg.doc, "Git graph", []string{strings.Join(gg.steps, "; ")})
	return d, nil
}

// gitLayout places a git graph: a lane per branch, a step per commit.
type gitLayout struct {
	gg       *gitGraph
	lanes    []*gitBranch
	b        *builder
	vertical bool
	lane     float64  // between lanes
	names    []*label // lane labels, by lane
	nameW    float64  // the widest lane label: room before the first commit
	labels   map[*gitCommit]*label
	pos      map[*gitCommit]Point
}

// measure labels the lanes and the commits that have an id or a message.
func (l *gitLayout) measure() {
	l.labels = map[*gitCommit]*label{}
	l.lane = gitLane
	for _, c := range l.gg.commits {
		if len(c.tags) > 0 && !l.vertical {
			l.lane = gitLane + gitText*lineHeight
		}
	}
	for _, b := range l.lanes {
		lb := plainLabel(b.name, gitText, font.Bold)
		l.names = append(l.names, lb)
		l.nameW = max(l.nameW, lb.w+2*gitLabelPad)
	}
	for _, c := range l.gg.commits {
		t := c.id
		if c.kind == gitCherry {
			t = "cherry-pick: " + c.from
		}
		if c.msg != "" {
			t = c.msg
		}
		if t != "" {
			l.labels[c] = plainLabel(t, gitText, font.Regular)
		}
	}
	if l.vertical {
		// Labels and tags go left of their commits, between the lanes.
		for _, c := range l.gg.commits {
			w := 0.0
			if lb := l.labels[c]; lb != nil {
				w += lb.w + 4
			}
			for _, t := range c.tags {
				w = max(w, w+font.Width(faceOf(font.Regular), gitText, t)+2*gitLabelPad+6)
			}
			l.lane = max(l.lane, w+2*gitR+10)
		}
		for _, lb := range l.names {
			l.lane = max(l.lane, lb.w+2*gitLabelPad+6)
		}
	}
}

// place gives each commit its point: along its lane, one step after the
// commit before, or more when the labels of the two would meet.
func (l *gitLayout) place() {
	l.pos = map[*gitCommit]Point{}
	along := l.nameW + 2*gitR
	if l.vertical {
		along = 2*gitR + gitText*lineHeight + 4
	}
	var prev *gitCommit
	for _, c := range l.gg.commits {
		if prev != nil {
			step := gitStep
			if !l.vertical {
				a, b := l.labels[prev], l.labels[c]
				need := 0.0
				if a != nil {
					need += a.w / 2
				}
				if b != nil {
					need += b.w / 2
				}
				step = max(step, need+8)
			}
			along += step
		}
		across := float64(c.branch.index) * l.lane
		if l.vertical {
			y := along
			if l.gg.dir == "BT" {
				y = -along
			}
			l.pos[c] = Point{across, y}
		} else {
			l.pos[c] = Point{along, across}
		}
		prev = c
	}
}

// paintLanes paints each branch's line with its name.
func (l *gitLayout) paintLanes() {
	end := 0.0
	for _, p := range l.pos {
		if l.vertical {
			end = max(end, math.Abs(p.Y))
		} else {
			end = max(end, p.X)
		}
	}
	for i, b := range l.lanes {
		col := b.color()
		lb := l.names[i]
		across := float64(i) * l.lane
		w, h := lb.w+2*gitLabelPad, lb.h+2
		if l.vertical {
			sign := 1.0
			if l.gg.dir == "BT" {
				sign = -1
			}
			l.b.line(across, 0, across, sign*(end+gitStep/2), Paint{Stroke: ptr(col), Width: 1, Dash: []float64{2, 3}})
			top := 0.0
			if sign < 0 {
				top = -h
			}
			l.b.path(rectPath(across-w/2, top, w, h, 3), Paint{Fill: ptr(col)})
			l.b.text(lb, across, top+1, colWhite, Middle)
			continue
		}
		l.b.line(w, across, end+gitStep/2, across, Paint{Stroke: ptr(col), Width: 1, Dash: []float64{2, 3}})
		l.b.path(rectPath(0, across-h/2, w, h, 3), Paint{Fill: ptr(col)})
		l.b.text(lb, gitLabelPad, across-lb.h/2, colWhite, Start)
	}
}

// paintEdges paints each commit's links to its parents: straight along a
// lane, curving between lanes at the commit's end.
func (l *gitLayout) paintEdges() {
	for _, c := range l.gg.commits {
		to := l.pos[c]
		for _, p := range c.parents {
			from := l.pos[p]
			col := c.branch.color()
			if p.branch != c.branch && len(c.parents) > 1 && p == c.parents[1] {
				col = p.branch.color()
			}
			paint := Paint{Stroke: ptr(col), Width: 2}
			if c.kind == gitCherry && p == c.parents[len(c.parents)-1] {
				paint.Dash = []float64{3, 3}
			}
			var pb pathBuilder
			pb.move(from.X, from.Y)
			switch {
			case from.X == to.X || from.Y == to.Y:
				pb.line(to.X, to.Y)
			case l.vertical && p == c.parents[0]:
				// A branch starting: across to its lane just after the
				// parent, then along it, so that it reaches the commit
				// from above, clear of its label on the left.
				mid := from.Y + (to.Y-from.Y)/3
				pb.cubic(from.X, mid, from.X, mid, to.X, mid).line(to.X, to.Y)
			case l.vertical:
				// A merge: along the other lane, then across to the commit.
				mid := to.Y - (to.Y-from.Y)/3
				pb.line(from.X, mid).cubic(from.X, to.Y, from.X, to.Y, to.X, to.Y)
			default:
				mid := to.X - gitStep/2
				pb.line(max(from.X, mid-gitStep/2), from.Y).cubic(mid, from.Y, to.X, from.Y, to.X, to.Y)
			}
			l.b.path(pb.p, paint)
		}
	}
}

// paintCommits paints each commit in its kind's shape, with its label and
// tags.
func (l *gitLayout) paintCommits() {
	for _, c := range l.gg.commits {
		p := l.pos[c]
		col := c.branch.color()
		switch c.kind {
		case gitHighlight:
			l.b.path(rectPath(p.X-gitR, p.Y-gitR, 2*gitR, 2*gitR, 0), Paint{Fill: ptr(col), Stroke: ptr(colLine), Width: 1})
		case gitReverse:
			l.b.path(ellipsePath(p.X, p.Y, gitR, gitR), Paint{Fill: ptr(col), Stroke: ptr(colLine), Width: 1})
			k := gitR * 0.55
			l.b.line(p.X-k, p.Y-k, p.X+k, p.Y+k, Paint{Stroke: ptr(colWhite), Width: 1.5})
			l.b.line(p.X-k, p.Y+k, p.X+k, p.Y-k, Paint{Stroke: ptr(colWhite), Width: 1.5})
		case gitMerge:
			l.b.path(ellipsePath(p.X, p.Y, gitR, gitR), Paint{Fill: ptr(col), Stroke: ptr(colLine), Width: 1})
			l.b.path(ellipsePath(p.X, p.Y, gitR*0.5, gitR*0.5), Paint{Fill: ptr(colWhite)})
		case gitCherry:
			l.b.path(ellipsePath(p.X, p.Y, gitR, gitR), Paint{Fill: ptr(col), Stroke: ptr(colLine), Width: 1})
			l.b.path(ellipsePath(p.X-2, p.Y+1.5, 2, 2), Paint{Fill: ptr(colWhite)})
			l.b.path(ellipsePath(p.X+2, p.Y+1.5, 2, 2), Paint{Fill: ptr(colWhite)})
		default:
			l.b.path(ellipsePath(p.X, p.Y, gitR, gitR), Paint{Fill: ptr(col), Stroke: ptr(colLine), Width: 1})
		}
		if lb := l.labels[c]; lb != nil {
			if l.vertical {
				l.b.text(lb, p.X-gitR-4, p.Y-lb.h/2, colText, End)
			} else {
				l.b.text(lb, p.X, p.Y+gitR+2, colText, Middle)
			}
		}
		l.paintTags(c, p)
	}
}

// paintTags paints a commit's tags as labels over it (left of it, top to
// bottom).
func (l *gitLayout) paintTags(c *gitCommit, p Point) {
	for i, t := range c.tags {
		lb := plainLabel(t, gitText, font.Regular)
		w, h := lb.w+2*gitLabelPad, lb.h
		var x, y float64
		if l.vertical {
			x, y = p.X-gitR-6-w, p.Y-h/2+float64(i)*(h+2)
			if lb := l.labels[c]; lb != nil {
				x -= lb.w + 4
			}
		} else {
			x, y = p.X-w/2, p.Y-gitR-4-h-float64(i)*(h+2)
		}
		l.b.path(rectPath(x, y, w, h, 2), Paint{Fill: ptr(Color{0xFF, 0xFF, 0xDE}), Stroke: ptr(colNoteStroke), Width: strokeThin})
		l.b.text(lb, x+w/2, y, colText, Middle)
	}
}
