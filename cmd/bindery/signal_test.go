//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterrupt stops builds with SIGINT and SIGTERM once their temporary
// file exists: the process exits with 130 or 143 and leaves no file
// behind, neither the temporary file nor the output.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	files := map[string]string{"content/_index.md": "---\ntitle: Long\n---\n"}
	para := strings.Repeat("A paragraph of words that the PDF sets into justified lines, one after the other. ", 20)
	for i := range 120 {
		files["content/_index.md"] += fmt.Sprintf("- [Chapter %d](c%d.md)\n", i, i)
		files[fmt.Sprintf("content/c%d.md", i)] = strings.Repeat(para+"\n\n", 60)
	}
	dir := writeBook(t, files)
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			outDir := t.TempDir()
			out := filepath.Join(outDir, "book.pdf")
			cmd := exec.Command(os.Args[0], "pdf", "-q", "-o", out, filepath.Join(dir, "content"))
			cmd.Env = append(os.Environ(), "BINDERY_TEST_MAIN=1")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			tmp := ""
			for deadline := time.Now().Add(2 * time.Minute); tmp == "" && time.Now().Before(deadline); {
				select {
				case err := <-exited:
					t.Fatalf("the build ended (%v) before its temporary file was seen: make the book longer\n%s", err, stderr.String())
				case <-time.After(5 * time.Millisecond):
				}
				m, _ := filepath.Glob(filepath.Join(outDir, ".book.pdf.*.tmp"))
				if len(m) > 0 {
					tmp = m[0]
				}
			}
			if tmp == "" {
				cmd.Process.Kill()
				t.Fatal("no temporary file within two minutes")
			}
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-exited:
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				t.Fatalf("still running a minute after %v", c.sig)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != c.code {
				t.Errorf("exit %v, want status %d\n%s", err, c.code, stderr.String())
			}
			left, _ := os.ReadDir(outDir)
			for _, e := range left {
				t.Errorf("left behind: %s", e.Name())
			}
		})
	}
}
