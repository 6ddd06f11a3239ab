package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book/browsertest"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium starts headless Chromium for a test and returns a context to
// drive one tab with, and the errors its pages log. It skips the test when
// Chromium is not installed, unless BINDERY_REQUIRE_TOOLS is set.
func chromium(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	bctx := browsertest.Start(t, 3*time.Minute, chromedp.WindowSize(1000, 700))
	var mu sync.Mutex
	var logged []string
	chromedp.ListenTarget(bctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			mu.Lock()
			logged = append(logged, ev.ExceptionDetails.Error())
			mu.Unlock()
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				mu.Lock()
				logged = append(logged, strings.Join(args, " "))
				mu.Unlock()
			}
		}
	})
	if err := chromedp.Run(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return bctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), logged...)
	}
}

// TestServeBrowser opens a chapter in Chromium, then edits the book the
// way an author does, never reloading the page by hand: new text shows
// where the reader was; a broken link shows its problem over the page,
// and the problem goes when the link is fixed; a broken index shows the
// error over the last good page, which stays.
func TestServeBrowser(t *testing.T) {
	ctx, logged := chromium(t)
	_, dir := newTestBook(t)
	// A chapter long enough to scroll.
	var long strings.Builder
	long.WriteString("---\ntitle: One\n---\nThe first words.\n\n")
	for i := range 120 {
		fmt.Fprintf(&long, "Paragraph %d of a long chapter, which goes on for a while so that a reader scrolls down through it.\n\n", i+1)
	}
	write(t, dir, "one.md", long.String())
	p := startPreview(t, dir, nil)

	// poll waits for expr to hold in the page, through the reloads the
	// preview makes.
	poll := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		var err error
		for time.Now().Before(deadline) {
			var ok bool
			if err = chromedp.Run(ctx, chromedp.Evaluate(expr, &ok)); err == nil && ok {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		var body string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.outerHTML`, &body))
		t.Fatalf("%s: not within 30s (%v)\npage:\n%.3000s\nlog:\n%s", what, err, body, p.log)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(p.url+"/one.xhtml")); err != nil {
		t.Fatal(err)
	}
	poll("the page", `document.querySelector("nav.bindery-bar") !== null && document.body.textContent.includes("Paragraph 120")`)
	// The page listens before the first edit.
	poll("listening", `document.documentElement.getAttribute("data-bindery-live") === "open"`)
	var y float64
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.scrollTo(0, 1500); window.scrollY`, &y)); err != nil {
		t.Fatal(err)
	}
	if y < 1400 {
		t.Fatalf("scrolled to %v: the page is too short", y)
	}
	var marker bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.binderyMarker = true`, &marker)); err != nil {
		t.Fatal(err)
	}

	edit(t, dir, "one.md", "The first words.", "Freshly written words.")
	poll("the new text", `document.body.textContent.includes("Freshly written words.")`)
	poll("the place kept", fmt.Sprintf(`Math.abs(window.scrollY - %v) < 5`, y))
	var reloaded bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.binderyMarker === undefined`, &reloaded)); err != nil || !reloaded {
		t.Fatalf("the page was not reloaded (%v)", err)
	}

	edit(t, dir, "one.md", "Paragraph 3 of", "A [broken link](/book/nowhere) and paragraph 3 of")
	poll("the problem", `(() => {
		const o = document.getElementById("bindery-problems");
		if (!o) return false;
		const r = o.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && r.bottom <= window.innerHeight &&
			/one\.md:10: warning: link to "\/book\/nowhere": no such page/.test(o.textContent);
	})()`)
	edit(t, dir, "one.md", "A [broken link](/book/nowhere) and paragraph 3 of", "Paragraph 3 of")
	poll("the problem gone", `document.body.textContent.includes("Paragraph 3 of") && document.getElementById("bindery-problems") === null`)

	edit(t, dir, "_index.md", "- [One](one.md)", "- [One](one.md)\n- [Gone](gone.md)")
	poll("the error", `(() => {
		const o = document.getElementById("bindery-failure");
		return o !== null && o.getBoundingClientRect().height > 0 && o.textContent.includes("_index.md:5: no chapter at gone.md") &&
			document.body.textContent.includes("Freshly written words.");
	})()`)
	edit(t, dir, "_index.md", "\n- [Gone](gone.md)", "")
	poll("the error gone", `document.getElementById("bindery-failure") === null && document.body.textContent.includes("Freshly written words.")`)

	var parseErrors float64
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.getElementsByTagName("parsererror").length`, &parseErrors)); err != nil {
		t.Fatal(err)
	}
	if parseErrors != 0 {
		t.Error("the page is not well-formed XHTML")
	}
	for _, l := range logged() {
		t.Errorf("the page logged: %s", l)
	}
}
