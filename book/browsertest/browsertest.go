// Package browsertest starts headless Chromium for the tests that look at
// Bindery's output as a browser shows it: diagrams' text, pages at a
// phone's width, the live preview.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Start starts headless Chromium (Debian's chromium package) for a test
// and returns a context to drive it with; the browser and its profile go
// when the test ends, or when timeout has passed. extra adds options, such
// as a window size. It skips the test when Chromium is not installed,
// unless BINDERY_REQUIRE_TOOLS is set to something other than 0.
func Start(t testing.TB, timeout time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		const msg = "chromium not installed (apt-get install chromium)"
		if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
			t.Fatalf("%s, and BINDERY_REQUIRE_TOOLS is set", msg)
		}
		t.Skipf("%s: skipping", msg)
	}
	// A fresh profile, removed with retries (not t.TempDir, whose cleanup
	// fails the test): Chromium's helpers may still write to it for a
	// moment after the browser is cancelled.
	profile, err := os.MkdirTemp("", "bindery-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	// Without the flags that stop its background networking, Chromium
	// hangs on a closed network.
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	}, extra...)
	ctx, cancelT := context.WithTimeout(context.Background(), timeout)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() {
		chromedp.Cancel(bctx)
		cancelC()
		cancelA()
		cancelT()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return bctx
}
