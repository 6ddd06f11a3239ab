// Package diagram draws mermaid diagrams natively: it parses the source of a
// ```mermaid block, lays it out and records one drawing list that is played
// back two ways, as a standalone SVG document for the EPUB (Drawing.SVG) and
// on an abstract Canvas that the PDF writer implements (Drawing.Draw).
//
// Flowcharts, state, class and entity relationship diagrams are laid out by
// Graphviz dot (compiled to WebAssembly, package internal/dot) with every
// label measured in the book's own fonts (book/font), so boxes fit their
// text in both outputs: nodes are given to dot at fixed sizes, edge labels
// become nodes half way along their edges (as dagre, mermaid's own layout,
// does), and room for the titles of clusters is reserved with stand-in text
// whose size graphviz knows exactly. Subgraphs, composite states and
// namespaces are clusters; a subgraph or composite state with a direction
// of its own that no edge crosses is laid out apart and placed as one node.
// Sequence diagrams, gantt charts, timelines, pie charts, mindmaps, user
// journeys, git graphs and quadrant charts get layouts of their own. The
// look is mermaid's default theme, set in DejaVu Sans, with lines and frames
// dark enough for e-ink.
//
// Every drawing is made to be legible on a book's page: long labels wrap,
// a graph too wide to read when scaled to the page is laid out across, and
// charts with many columns go down the page instead. Drawing.MinTextSize
// tells a printer how small the text comes out at a scale.
//
// Kinds that are not drawn natively (requirement, C4, sankey, ...) return an
// *UnsupportedError so the caller can show the source instead; bad syntax
// returns a *ParseError with the line; problems that do not stop a drawing
// (text a style makes hard to read) are in Drawing.Warnings. Render caches
// its results by source, and graphviz runs in one WASM instance, created on
// first use (or in the background from Preload) and shared behind a mutex.
package diagram

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bindery-books/bindery/book/diagram/internal/dot"
	"github.com/bindery-books/bindery/book/font"
)

// Drawing is a laid-out diagram: a list of drawing operations in a box of
// Width × Height points, origin top-left, y down.
type Drawing struct {
	Kind          string  // "flowchart", "state", "sequence", "class", "er", "gantt", ...
	Width, Height float64 // points; origin top-left, y down
	Alt           string  // alt text built from the content
	Ops           []Op    // the drawing list, in painting order

	// Warnings are problems of the source that did not stop the drawing,
	// such as a style that sets text on a fill it does not contrast with.
	Warnings []Warning
}

// Warning is a problem found in a diagram's source that does not stop it
// being drawn. Line is 1-based within the source given to Render, like
// ParseError's; the message does not repeat it.
type Warning struct {
	Line int
	Msg  string
}

// MinTextSize returns the size in points of the smallest text of the
// drawing when it is drawn at scale (1: its own size), or 0 when it has no
// text. A printer compares it with the smallest size it accepts (8pt, say)
// to decide whether to scale a drawing down to the measure, turn it, or
// give it a page of its own.
func (d *Drawing) MinTextSize(scale float64) float64 {
	size := 0.0
	for i := range d.Ops {
		if op := &d.Ops[i]; op.Kind == OpText && (size == 0 || op.Style.Size < size) {
			size = op.Style.Size
		}
	}
	return size * scale
}

// FitScale returns the scale, at most 1, at which the drawing fits a box of
// w × h points.
func (d *Drawing) FitScale(w, h float64) float64 {
	if d.Width <= 0 || d.Height <= 0 {
		return 1
	}
	return min(1, w/d.Width, h/d.Height)
}

// OpKind tells what an Op draws.
type OpKind int

const (
	OpPath OpKind = iota // a path with a paint
	OpText               // one line of text
)

// Op is one drawing operation: a painted path or a line of text.
type Op struct {
	Kind OpKind

	// OpPath
	Path  Path
	Paint Paint

	// OpText: Text drawn with its baseline anchor at (X, Y).
	X, Y  float64
	Text  string
	Style TextStyle

	// A line of several runs in different styles is drawn as one text
	// op per run, each placed from its left (Anchor Start); group numbers
	// the line (0: a line of one run) so that the SVG can write it as one
	// <text> anchored at lineX like the line, whatever font a reader uses.
	group      int
	lineX      float64
	lineAnchor Anchor
}

// Color is an opaque sRGB colour.
type Color struct{ R, G, B uint8 }

// Point is a position in points, y down.
type Point struct{ X, Y float64 }

// SegKind is the kind of a path segment.
type SegKind int

const (
	MoveTo SegKind = iota
	LineTo
	CubicTo
	Close
)

// Seg is one path segment. MoveTo and LineTo use Pts[0]; CubicTo uses
// Pts[0] and Pts[1] as control points and Pts[2] as the end point.
type Seg struct {
	Kind SegKind
	Pts  [3]Point
}

// Path is a sequence of segments, possibly with several subpaths.
type Path struct{ Segs []Seg }

// Paint says how a path is filled and stroked.
type Paint struct {
	Fill   *Color    // nil: no fill
	Stroke *Color    // nil: no stroke
	Width  float64   // stroke width, points
	Dash   []float64 // nil: solid
}

// Anchor is the horizontal alignment of text relative to its x.
type Anchor int

const (
	Start Anchor = iota
	Middle
	End
)

// TextStyle is the face, size, colour and alignment of a line of text.
type TextStyle struct {
	Face   font.Face
	Size   float64 // points
	Color  Color
	Anchor Anchor
}

// Canvas is what a drawing is played back on. The PDF writer implements it.
type Canvas interface {
	Path(p Path, paint Paint)
	Text(x, y float64, s string, st TextStyle) // (x, y) is the baseline point the anchor refers to
}

// Draw replays the drawing list on c.
func (d *Drawing) Draw(c Canvas) {
	for i := range d.Ops {
		op := &d.Ops[i]
		switch op.Kind {
		case OpPath:
			c.Path(op.Path, op.Paint)
		case OpText:
			c.Text(op.X, op.Y, op.Text, op.Style)
		}
	}
}

// ParseError reports bad mermaid syntax. Line is 1-based within the source
// given to Render. The message does not repeat the line: a caller reports
// it at the chapter's file and line of the offending source line.
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return e.Msg }

// UnsupportedError reports a diagram kind that is not drawn natively.
type UnsupportedError struct {
	Kind string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s diagrams are not drawn natively", e.Kind)
}

// Unsupported reports true: callers that must not import this package can
// tell the error from a syntax error with errors.As and an interface.
func (e *UnsupportedError) Unsupported() bool { return true }

// unsupportedKinds are the mermaid diagram keywords recognised but not drawn.
var unsupportedKinds = map[string]string{
	"requirementDiagram":   "requirement",
	"C4Context":            "C4",
	"C4Container":          "C4",
	"C4Component":          "C4",
	"C4Dynamic":            "C4",
	"C4Deployment":         "C4",
	"sankey-beta":          "sankey",
	"sankey":               "sankey",
	"xychart-beta":         "xychart",
	"xychart":              "xychart",
	"block-beta":           "block",
	"block":                "block",
	"packet-beta":          "packet",
	"packet":               "packet",
	"kanban":               "kanban",
	"architecture-beta":    "architecture",
	"architecture":         "architecture",
	"radar-beta":           "radar",
	"treemap-beta":         "treemap",
	"zenuml":               "zenuml",
	"info":                 "info",
	"requirement":          "requirement",
	"stateDiagram-v1":      "state-v1",
	"sequenceDiagram-beta": "sequence-beta",
}

// Render parses mermaid source (the body of a ```mermaid block) and lays it
// out. It returns a *ParseError for bad syntax and an *UnsupportedError for
// kinds that are not drawn natively. It is safe for concurrent use.
//
// Results are cached by source text, so a build that draws a diagram for the
// EPUB and again for the PDF lays it out once; the returned Drawing is
// shared and must not be modified.
func Render(src string) (*Drawing, error) {
	e, _ := entry(src)
	return e.render(src)
}

// Forget drops the drawing of src from the cache, for a caller done with
// it (book.Chapter.Release): a long book printed once need not keep every
// diagram it drew.
func Forget(src string) {
	cacheMu.Lock()
	delete(cache, src)
	cacheMu.Unlock()
}

// entry returns the cache entry of src, made if new.
func entry(src string) (e *cacheEntry, made bool) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	e, ok := cache[src]
	if !ok {
		if len(cache) >= maxCache {
			clear(cache)
		}
		e = &cacheEntry{}
		cache[src] = e
	}
	return e, !ok
}

// Prefetch starts drawing src in the background, so that Render finds it
// drawn or under way: a book prefetches each diagram as it parses the
// chapter, and draws it while other work keeps the other cores busy.
// Prefetched diagrams are drawn in the order given, as many at a time as
// there are cores.
func Prefetch(src string) {
	e, made := entry(src)
	if !made {
		return
	}
	prefetch.Lock()
	defer prefetch.Unlock()
	prefetch.queue = append(prefetch.queue, func() { e.render(src) })
	if prefetch.workers < runtime.GOMAXPROCS(0) {
		prefetch.workers++
		go drawPrefetched()
	}
}

// prefetch is the queue of diagrams to draw in the background.
var prefetch struct {
	sync.Mutex
	queue   []func()
	workers int // goroutines drawing from the queue
}

// drawPrefetched draws queued diagrams until none is left.
func drawPrefetched() {
	for {
		prefetch.Lock()
		if len(prefetch.queue) == 0 {
			prefetch.workers--
			prefetch.queue = nil
			prefetch.Unlock()
			return
		}
		draw := prefetch.queue[0]
		prefetch.queue = prefetch.queue[1:]
		prefetch.Unlock()
		draw()
	}
}

// render draws the entry's source once; later calls return the drawing.
func (e *cacheEntry) render(src string) (*Drawing, error) {
	e.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				e.d, e.err = nil, fmt.Errorf("internal error: %v", r)
			}
		}()
		e.d, e.err = render(src)
	})
	return e.d, e.err
}

type cacheEntry struct {
	once    sync.Once
	d       *Drawing
	err     error
	svgOnce sync.Once // the SVG is made on first use: a PDF needs none
	svg     []byte
}

// maxCache bounds the number of cached diagrams.
const maxCache = 4096

var (
	cacheMu sync.Mutex
	cache   = map[string]*cacheEntry{}
)

// RenderSVG renders src and returns its SVG and alt text (cached like Render).
func RenderSVG(src string) ([]byte, string, error) {
	d, err := Render(src)
	if err != nil {
		return nil, "", err
	}
	cacheMu.Lock()
	e := cache[src]
	cacheMu.Unlock()
	if e == nil || e.d != d {
		return d.SVG(), d.Alt, nil // the cache started again since
	}
	e.svgOnce.Do(func() { e.svg = d.SVG() })
	return e.svg, d.Alt, nil
}

// drawer is a diagram parsed, ready to lay out and draw.
type drawer interface {
	draw() (*Drawing, error)
}

// kind makes a parser of one kind of diagram the first step of drawing it.
func kind[T drawer](parse func(*document) (T, error)) func(*document) (*Drawing, error) {
	return func(doc *document) (*Drawing, error) {
		d, err := parse(doc)
		if err != nil {
			return nil, err
		}
		return d.draw()
	}
}

// kinds maps the keywords of the kinds drawn natively to their drawing.
var kinds = map[string]func(*document) (*Drawing, error){
	"graph":           kind(parseFlowchart),
	"flowchart":       kind(parseFlowchart),
	"flowchart-v2":    kind(parseFlowchart),
	"flowchart-elk":   kind(parseFlowchart),
	"stateDiagram":    kind(parseState),
	"stateDiagram-v2": kind(parseState),
	"sequenceDiagram": kind(parseSequence),
	"classDiagram":    kind(parseClass),
	"classDiagram-v2": kind(parseClass),
	"erDiagram":       kind(parseER),
	"gantt":           kind(parseGantt),
	"timeline":        kind(parseTimeline),
	"pie":             kind(parsePie),
	"mindmap":         kind(parseMindmap),
	"journey":         kind(parseJourney),
	"gitGraph":        kind(parseGitGraph),
	"gitGraph:":       kind(parseGitGraph),
	"quadrantChart":   kind(parseQuadrant),
}

// dotKinds are the keywords of the kinds laid out by Graphviz dot.
var dotKinds = map[string]bool{
	"graph": true, "flowchart": true, "flowchart-v2": true, "flowchart-elk": true,
	"stateDiagram": true, "stateDiagram-v2": true,
	"classDiagram": true, "classDiagram-v2": true,
	"erDiagram": true,
}

// UsesGraphviz reports whether src, the body of a ```mermaid block, is of a
// kind that Graphviz lays out: flowcharts, state, class and entity
// relationship diagrams.
func UsesGraphviz(src string) bool {
	doc, err := preprocess(src)
	return err == nil && dotKinds[doc.keyword()]
}

// preloading is set once Preload has been called.
var preloading atomic.Bool

// Preload starts loading Graphviz (compiling its WASM module, or reading
// it compiled from the cache) in the background, so that the first layout
// does not wait for it: a caller that meets a diagram that UsesGraphviz
// before it renders it calls Preload. Calls after the first do nothing.
func Preload() {
	if !preloading.Swap(true) {
		dot.Preload()
	}
}

// Preloading reports whether Preload has been called.
func Preloading() bool { return preloading.Load() }

func render(src string) (*Drawing, error) {
	doc, err := preprocess(src)
	if err != nil {
		return nil, err
	}
	if doc.header < 0 {
		return nil, &ParseError{Line: max(1, doc.lastLine), Msg: "no diagram type"}
	}
	kw := doc.keyword()
	if draw, ok := kinds[kw]; ok {
		return draw(doc)
	}
	if k, ok := unsupportedKinds[kw]; ok {
		return nil, &UnsupportedError{Kind: k}
	}
	if strings.HasPrefix(kw, "C4") || strings.HasSuffix(kw, "-beta") {
		return nil, &UnsupportedError{Kind: kw}
	}
	return nil, &ParseError{Line: doc.lines[doc.header].num, Msg: fmt.Sprintf("unknown diagram type %q", kw)}
}
