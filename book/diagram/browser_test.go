package diagram

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book/browsertest"
	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium for a test and returns a context to
// drive one page with, checkText defined in it. It skips the test when
// Chromium is not installed, unless BINDERY_REQUIRE_TOOLS=1.
func browser(t *testing.T) context.Context {
	t.Helper()
	bctx := browsertest.Start(t, 5*time.Minute, chromedp.Flag("hide-scrollbars", true))
	if err := chromedp.Run(bctx, chromedp.Navigate("about:blank"), chromedp.Evaluate(checkTextJS, nil)); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return bctx
}

// checkTextJS defines checkText(svg): it shows an SVG document in the page
// and reports, in the SVG's own units, the text that reaches outside its
// view box and the pairs of texts whose glyphs overlap. A text's box runs
// from its font's ascent to its descent, larger than its glyphs: boxes are
// shrunk by a fifth of their height and by half a point across before they
// are compared.
const checkTextJS = `
function checkText(svg) {
	document.body.style.margin = "0";
	document.body.innerHTML = svg.replace(/^<\?xml[^>]*>/, "");
	const root = document.querySelector("svg");
	const vb = root.viewBox.baseVal;
	const boxes = [];
	for (const t of root.querySelectorAll("text")) {
		const b = t.getBBox();
		boxes.push({s: t.textContent, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height});
	}
	const tol = 0.5;
	const outside = [];
	for (const b of boxes) {
		if (b.x0 < vb.x - tol || b.y0 < vb.y - tol || b.x1 > vb.x + vb.width + tol || b.y1 > vb.y + vb.height + tol) {
			outside.push(b.s);
		}
	}
	const overlaps = [];
	const shrink = b => {
		const dy = (b.y1 - b.y0) / 5;
		return {s: b.s, x0: b.x0 + 0.5, x1: b.x1 - 0.5, y0: b.y0 + dy, y1: b.y1 - dy};
	};
	const sb = boxes.map(shrink);
	for (let i = 0; i < sb.length; i++) {
		for (let j = i + 1; j < sb.length; j++) {
			const a = sb[i], b = sb[j];
			if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) {
				overlaps.push(a.s + " | " + b.s);
			}
		}
	}
	return {texts: boxes.length, outside: outside, overlaps: overlaps};
}
true;
`

// textCheck is what checkText reports about one SVG.
type textCheck struct {
	Texts    int      `json:"texts"`
	Outside  []string `json:"outside"`
	Overlaps []string `json:"overlaps"`
}

// checkInBrowser shows svg in the browser and reports its text problems.
func checkInBrowser(ctx context.Context, svg []byte) (textCheck, error) {
	arg, err := json.Marshal(string(svg))
	if err != nil {
		return textCheck{}, err
	}
	var res textCheck
	err = chromedp.Run(ctx, chromedp.Evaluate("checkText("+string(arg)+")", &res))
	return res, err
}

// TestBrowserText shows every golden diagram and every diagram of the
// shared corpus in headless Chromium and checks that no text reaches
// outside its canvas and that no two texts overlap.
func TestBrowserText(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	var sources []mermaidBlock
	files, _ := filepath.Glob("testdata/golden/*.mmd")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, mermaidBlock{file: f, line: 1, src: string(src)})
	}
	if _, err := os.Stat(corpusDir); err == nil {
		sources = append(sources, mermaidBlocks(t, corpusDir)...)
	} else {
		t.Logf("no corpus at %s: checking the golden diagrams only", corpusDir)
	}
	ctx := browser(t)
	var drawn, code, outside, overlaps int
	for _, b := range sources {
		d, err := Render(b.src)
		if err != nil {
			var ue *UnsupportedError
			var pe *ParseError
			if !errors.As(err, &ue) && !errors.As(err, &pe) {
				t.Errorf("%s:%d: %v", b.file, b.line, err)
			}
			code++
			continue
		}
		drawn++
		res, err := checkInBrowser(ctx, d.SVG())
		if err != nil {
			t.Fatalf("%s:%d: chromium: %v", b.file, b.line, err)
		}
		if res.Texts == 0 && strings.Contains(string(d.SVG()), "<text") {
			t.Errorf("%s:%d: the browser found no text", b.file, b.line)
		}
		if len(res.Outside) > 0 {
			outside++
			t.Errorf("%s:%d: %s text outside the canvas: %q", b.file, b.line, d.Kind, res.Outside)
		}
		if len(res.Overlaps) > 0 {
			overlaps++
			t.Errorf("%s:%d: %s text overlaps: %q", b.file, b.line, d.Kind, res.Overlaps)
		}
	}
	t.Logf("%d diagrams drawn, %d shown as code; %d with text outside the canvas, %d with overlapping text", drawn, code, outside, overlaps)
}

// TestBrowserCheck makes sure the browser check finds what it looks for.
func TestBrowserCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := browser(t)
	svg := `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="100pt" height="50pt" viewBox="0 0 100 50">
<g font-family="DejaVu Sans">
<text x="10" y="20" font-size="12">overlapping</text>
<text x="30" y="24" font-size="12">text</text>
<text x="10" y="45" font-size="12">beyond the right edge</text>
<text x="50" y="45" font-size="12" text-anchor="end">clear</text>
</g>
</svg>`
	res, err := checkInBrowser(ctx, []byte(svg))
	if err != nil {
		t.Fatal(err)
	}
	if res.Texts != 4 || len(res.Outside) != 1 || res.Outside[0] != "beyond the right edge" || len(res.Overlaps) != 2 {
		t.Errorf("got %+v, want 4 texts, one outside, two overlaps", res)
	}
}
