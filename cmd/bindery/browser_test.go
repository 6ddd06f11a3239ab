package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book/browsertest"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser check opens every page of the EPUB in Debian's Chromium,
// headless, at 390 px wide, three times: as the book's own light palette,
// in a night mode forced the way reading systems force it (a black page
// and light text on html and body, everything else left as the book sets
// it), and under prefers-color-scheme: dark. browser_check.js does the
// measuring in the page.

//go:embed testdata/browser_check.js
var browserCheck string

// phone is the viewport: an iPhone's width in CSS pixels.
const phoneW, phoneH = 390, 844

// nightCSS is a reading system's night mode.
const nightCSS = `html, body { background-color: #000 !important; color: #e0e0e0 !important; }`

// pageReport is what browser_check.js returns for one page in one mode.
type pageReport struct {
	Broken      []string `json:"broken"`
	Overflow    []string `json:"overflow"`
	Hang        []string `json:"hang"`
	LowContrast []string `json:"lowContrast"`
	MinContrast float64  `json:"minContrast"`
	Texts       int      `json:"texts"`
	PageWidth   float64  `json:"pageWidth"`
}

// browserModes are the ways each page is looked at.
var browserModes = []struct {
	name, css string
	dark      bool
}{
	{name: "light"},
	{name: "night", css: nightCSS},
	{name: "dark", dark: true},
}

// newBrowser starts Chromium with a phone's viewport.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	ctx := browsertest.Start(t, 15*time.Minute,
		chromedp.Flag("allow-file-access-from-files", true),
		chromedp.Flag("hide-scrollbars", true), // as on a phone
		chromedp.WindowSize(phoneW, phoneH))
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(phoneW, phoneH)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// checkBrowser opens every page of the spine in each mode and checks it.
func checkBrowser(t *testing.T, bb *builtBook) {
	ctx := newBrowser(t)
	shots := os.Getenv("BINDERY_SCREENSHOTS")
	minC := map[string]float64{}
	var texts int
	for _, mode := range browserModes {
		scheme := "light"
		if mode.dark {
			scheme = "dark"
		}
		if err := chromedp.Run(ctx, emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}})); err != nil {
			t.Fatal(err)
		}
		minC[mode.name] = math.Inf(1)
		for _, file := range bb.spine {
			var raw string
			script := fmt.Sprintf("(%s)(%q, %t)", browserCheck, mode.css, mode.name == "light")
			if err := chromedp.Run(ctx,
				chromedp.Navigate("file://"+file),
				chromedp.WaitReady("body"),
				chromedp.Evaluate(script, &raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
			); err != nil {
				t.Fatalf("%s (%s): %v", filepath.Base(file), mode.name, err)
			}
			var r pageReport
			if err := json.Unmarshal([]byte(raw), &r); err != nil {
				t.Fatalf("%s: %v: %s", filepath.Base(file), err, raw)
			}
			where := filepath.Base(file) + " (" + mode.name + ")"
			report := func(what string, items []string) {
				if len(items) > 0 {
					t.Errorf("%s: %s:\n\t%s", where, what, strings.Join(head(items, 8), "\n\t"))
				}
			}
			if mode.name == "light" {
				report("words broken inside", r.Broken)
				report("wider than the screen", r.Overflow)
				report("code continuations that do not hang", r.Hang)
				texts += r.Texts
			}
			report("text under 4.5:1", r.LowContrast)
			if r.Texts > 0 {
				minC[mode.name] = min(minC[mode.name], r.MinContrast)
			}
			if shots != "" {
				var png []byte
				if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err == nil {
					name := fmt.Sprintf("%s-%s-%s.png", bb.name, strings.TrimSuffix(filepath.Base(file), ".xhtml"), mode.name)
					_ = os.WriteFile(filepath.Join(shots, name), png, 0o644)
				}
			}
		}
	}
	t.Logf("%d pages, %d texts at %d px; lowest contrast: light %.2f, night %.2f, dark %.2f", len(bb.spine), texts, phoneW, minC["light"], minC["night"], minC["dark"])
}
