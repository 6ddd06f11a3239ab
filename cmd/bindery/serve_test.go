package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bindery-books/bindery/book"
)

// testBook is the book the serve tests edit: content/ is the content root,
// content/book the book.
var testBook = map[string]string{
	"content/book/_index.md": "---\ntitle: Served\n---\n- [One](one.md)\n- Second part\n  - [Two](two.md)\n  - [Three](three.md)\n",
	"content/book/book.yaml": "title: Served\nauthors: A. Writer\n",
	"content/book/one.md":    "---\ntitle: One\n---\nThe first words.\n\nSee [two's section](/book/two#a-section).\n\n![A square](square.png)\n\n```elixir\nIO.puts(:one)\n```\n",
	"content/book/two.md":    "---\ntitle: Two\n---\nThe second words.\n\n## A section\n\nMore.\n\n```mermaid\ngraph TD\n  A --> B\n```\n",
	"content/book/three.md":  "---\ntitle: Three\n---\nThe third words, back to [one](/book/one).\n",
}

// square returns a PNG of one colour.
func square(t testing.TB, c color.Color) string {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	for y := range 8 {
		for x := range 8 {
			m.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// preview is a bindery serve running in the test.
type preview struct {
	t     testing.TB
	s     *server
	url   string
	sites chan *site
	log   *syncBuffer
}

// syncBuffer is a buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startPreview serves the book in dir until the test ends.
func startPreview(t testing.TB, dir string, edit func(*serveConfig)) *preview {
	t.Helper()
	return startPreviewWith(t, dir, edit, nil)
}

// startPreviewWith is startPreview with setup called on the server before
// it serves.
func startPreviewWith(t testing.TB, dir string, edit func(*serveConfig), setup func(*server)) *preview {
	t.Helper()
	cfg := serveConfig{dir: dir, addr: "127.0.0.1:0", debounce: debounce, pollEvery: pollEvery}
	cfg.quiet = true
	if edit != nil {
		edit(&cfg)
	}
	log := &syncBuffer{}
	s, err := newServer(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	p := &preview{t: t, s: s, sites: make(chan *site, 100), log: log}
	s.buildHook = func(st *site) { p.sites <- st }
	if setup != nil {
		setup(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- s.serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("serve: exit %d", code)
		}
	})
	return p
}

// wait waits for a build whose site satisfies ok, and returns it.
func (p *preview) wait(what string, ok func(*site) bool) *site {
	p.t.Helper()
	if st := p.s.current(); ok(st) {
		return st
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case st := <-p.sites:
			if ok(st) {
				return st
			}
		case <-timeout:
			p.t.Fatalf("no build %s within 30s; log:\n%s", what, p.log)
		}
	}
}

// get fetches a path of the preview.
func (p *preview) get(path string) (int, string) {
	p.t.Helper()
	resp, err := http.Get(p.url + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

// page fetches a page, failing the test unless it is served.
func (p *preview) page(path string) string {
	p.t.Helper()
	code, body := p.get(path)
	if code != http.StatusOK {
		p.t.Fatalf("GET %s: %d\n%s", path, code, body)
	}
	return body
}

// write writes a file of the book, or removes it when data is "".
func write(t testing.TB, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if data == "" {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// edit replaces old with new in a file of the book.
func edit(t testing.TB, dir, name, old, new string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not hold %q", name, old)
	}
	write(t, dir, name, strings.Replace(string(data), old, new, 1))
}

func newTestBook(t testing.TB) (root, bookDir string) {
	t.Helper()
	files := map[string]string{"content/book/square.png": square(t, color.Black)}
	for k, v := range testBook {
		files[k] = v
	}
	root = writeBookTB(t, files)
	return root, filepath.Join(root, "content", "book")
}

// writeBookTB is writeBook for benchmarks too.
func writeBookTB(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		write(t, dir, name, data)
	}
	return dir
}

// TestServe edits a served book and checks, after each change, that the
// pages that show it change and no other does, and that the pages served
// are those a fresh build would serve.
func TestServe(t *testing.T) {
	root, dir := newTestBook(t)
	p := startPreview(t, dir, nil)
	first := p.s.current()
	for _, path := range []string{"/", "/one.xhtml", "/part-1.xhtml", "/two.xhtml", "/three.xhtml"} {
		if first.pages[path] == nil {
			t.Fatalf("no page %s; pages: %v", path, keys(first.pages))
		}
	}
	body := p.page("/one.xhtml")
	for _, want := range []string{"The first words.", `href="two.xhtml#a-section"`, `src="images/square-`, `class="bindery-bar"`, `rel="next" href="/part-1.xhtml"`, liveJS} {
		if !strings.Contains(body, want) {
			t.Errorf("/one.xhtml lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "bindery-problems") {
		t.Errorf("/one.xhtml shows problems:\n%s", body)
	}
	img := regexp.MustCompile(`src="(images/[^"]+)"`).FindStringSubmatch(body)
	if code, data := p.get("/" + img[1]); code != 200 || !strings.HasPrefix(data, "\x89PNG") {
		t.Errorf("GET /%s: %d", img[1], code)
	}
	if code, data := p.get("/diagrams/two-1.svg"); code != 200 || !strings.Contains(data, "<svg") {
		t.Errorf("GET /diagrams/two-1.svg: %d", code)
	}
	if code, data := p.get("/style.css"); code != 200 || !strings.Contains(data, "chroma") {
		t.Errorf("GET /style.css: %d", code)
	}

	steps := []struct {
		name string
		edit func()
		// ready tells the build that made the edit's site.
		ready func(st *site) bool
		// changed lists the pages whose revision changes.
		changed []string
		check   func(st *site)
	}{
		{
			name:    "text of a chapter",
			edit:    func() { edit(t, dir, "three.md", "The third words", "The 3rd words") },
			ready:   holds("/three.xhtml", "The 3rd words"),
			changed: []string{"/three.xhtml"},
		},
		{
			name:    "a heading another chapter links to",
			edit:    func() { edit(t, dir, "two.md", "## A section", "## Another section") },
			ready:   holds("/one.xhtml", "bindery-problems"),
			changed: []string{"/one.xhtml", "/two.xhtml", "/"},
			check: func(st *site) {
				one := string(st.pages["/one.xhtml"].data)
				if !regexp.MustCompile(`<a href="/_bindery/source/book/one.md#L6">[^<]*one.md:6</a>: warning: link to &#34;/book/two#a-section&#34;: names no heading`).MatchString(one) {
					t.Errorf("no problem with its line in /one.xhtml:\n%s", one)
				}
			},
		},
		{
			name:    "the heading back",
			edit:    func() { edit(t, dir, "two.md", "## Another section", "## A section") },
			ready:   lacks("/one.xhtml", "bindery-problems"),
			changed: []string{"/one.xhtml", "/two.xhtml", "/"},
		},
		{
			name: "a picture",
			edit: func() { write(t, dir, "square.png", square(t, color.White)) },
			ready: func(st *site) bool {
				return st.pages["/one.xhtml"].rev != first.pages["/one.xhtml"].rev && !st.has("/one.xhtml", img[1])
			},
			changed: []string{"/one.xhtml"},
		},
		{
			name:    "a diagram",
			edit:    func() { edit(t, dir, "two.md", "A --> B", "A --> C") },
			ready:   func(st *site) bool { return strings.Contains(string(st.resources["/diagrams/two-1.svg"].Data), ">C<") },
			changed: []string{"/two.xhtml"},
		},
		{
			name:    "the title of a chapter",
			edit:    func() { edit(t, dir, "two.md", "title: Two", "title: Deux") },
			ready:   holds("/two.xhtml", "Deux"),
			changed: []string{"/", "/two.xhtml", "/part-1.xhtml", "/three.xhtml"}, // its neighbours name it
		},
		{
			name: "the order",
			edit: func() {
				edit(t, dir, "_index.md", "  - [Two](two.md)\n  - [Three](three.md)", "  - [Three](three.md)\n  - [Two](two.md)")
			},
			ready:   holds("/three.xhtml", "Chapter 2"),
			changed: []string{"/", "/part-1.xhtml", "/two.xhtml", "/three.xhtml"},
		},
		{
			name:    "book.yaml",
			edit:    func() { write(t, dir, "book.yaml", "title: Served Again\nauthors: A. Writer\n") },
			ready:   holds("/", "Served Again"),
			changed: []string{"/", "/one.xhtml", "/part-1.xhtml", "/two.xhtml", "/three.xhtml"},
		},
		{
			name: "a broken index",
			edit: func() { edit(t, dir, "_index.md", "- [One](one.md)", "- [One](one.md)\n- [Gone](gone.md)") },
			ready: func(st *site) bool {
				return len(st.failure) > 0
			},
			changed: []string{"/", "/one.xhtml", "/part-1.xhtml", "/two.xhtml", "/three.xhtml"},
			check: func(st *site) {
				one := string(st.pages["/one.xhtml"].data)
				if !strings.Contains(one, "The first words.") || !regexp.MustCompile(`id="bindery-failure"(?s:.*)<a href="/_bindery/source/book/_index.md#L5">[^<]*_index.md:5</a>: no chapter at gone.md`).MatchString(one) {
					t.Errorf("/one.xhtml is not the last good page under the error:\n%s", one)
				}
			},
		},
		{
			name:    "the index fixed",
			edit:    func() { edit(t, dir, "_index.md", "\n- [Gone](gone.md)", "") },
			ready:   func(st *site) bool { return len(st.failure) == 0 },
			changed: []string{"/", "/one.xhtml", "/part-1.xhtml", "/two.xhtml", "/three.xhtml"},
		},
		{
			name: "a new chapter in a new folder",
			edit: func() {
				write(t, dir, "more/four.md", "---\ntitle: Four\n---\nThe fourth words.\n")
				edit(t, dir, "_index.md", "- [One](one.md)", "- [One](one.md)\n- [Four](more/four.md)")
			},
			ready: holds("/four.xhtml", "The fourth words."),
			// The chapters after it are numbered anew.
			changed: []string{"/", "/one.xhtml", "/four.xhtml", "/part-1.xhtml", "/two.xhtml", "/three.xhtml"},
		},
		{
			name:    "a chapter in the new folder",
			edit:    func() { edit(t, dir, "more/four.md", "fourth words", "4th words") },
			ready:   holds("/four.xhtml", "The 4th words."),
			changed: []string{"/four.xhtml"},
		},
	}
	last := p.s.current()
	for _, step := range steps {
		step.edit()
		st := p.wait(step.name, step.ready)
		var changed []string
		for path, pg := range st.pages {
			if lp := last.pages[path]; lp == nil || lp.rev != pg.rev {
				changed = append(changed, path)
			}
		}
		if !sameSet(changed, step.changed) {
			t.Errorf("%s: pages changed: %v, want %v", step.name, changed, step.changed)
		}
		if step.check != nil {
			step.check(st)
		}
		if len(st.failure) == 0 {
			// Every page is the one a fresh build makes.
			b, err := book.Load(dir, book.Options{})
			if b == nil {
				t.Fatal(err)
			}
			fresh := newSite(nil, b, err, map[string]int{}, st.build)
			for path, pg := range fresh.pages {
				if got := st.pages[path]; got == nil || !bytes.Equal(got.data, pg.data) {
					t.Errorf("%s: %s differs from a fresh build's", step.name, path)
				}
			}
			if len(fresh.pages) != len(st.pages) {
				t.Errorf("%s: %d pages, a fresh build has %d", step.name, len(st.pages), len(fresh.pages))
			}
		}
		last = st
	}
	_ = root
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// has reports whether a page of the site holds s.
func (st *site) has(path, s string) bool {
	p := st.pages[path]
	return p != nil && strings.Contains(string(p.data), s)
}

func holds(path, s string) func(*site) bool {
	return func(st *site) bool { return st.has(path, s) }
}

func lacks(path, s string) func(*site) bool {
	return func(st *site) bool { return st.pages[path] != nil && !st.has(path, s) }
}

// TestServeEvents reads the event stream as a page does: a message on
// connecting, then one per build, with the revision of every page.
func TestServeEvents(t *testing.T) {
	_, dir := newTestBook(t)
	p := startPreview(t, dir, nil)
	resp, err := http.Get(p.url + eventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	events := sseReader(resp.Body)
	before := <-events
	if !strings.Contains(before, `"/one.xhtml":"`+p.s.current().pages["/one.xhtml"].rev+`"`) {
		t.Fatalf("the first message lacks the page's revision:\n%s", before)
	}
	edit(t, dir, "one.md", "The first words.", "The first words, changed.")
	rev := p.wait("with the edit", holds("/one.xhtml", "changed.")).pages["/one.xhtml"].rev
	for msg := range events {
		if strings.Contains(msg, `"/one.xhtml":"`+rev+`"`) {
			return
		}
	}
	t.Error("the stream ended without the build")
}

// sseReader returns the data of the messages of an event stream.
func sseReader(r io.Reader) <-chan string {
	c := make(chan string)
	go func() {
		defer close(c)
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				c <- data
			}
		}
	}()
	return c
}

// TestServePaths asks for files outside the book in every way a path can
// be written: none is served, and the book's own are.
func TestServePaths(t *testing.T) {
	const secret = "TOP-SECRET-7d1f"
	root, dir := newTestBook(t)
	write(t, root, "secret.md", secret+"\n")
	write(t, root, "content/secret.md", secret+"\n")
	if err := os.Symlink(filepath.Join(root, "secret.md"), filepath.Join(dir, "link.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(dir, "outside")); err != nil {
		t.Fatal(err)
	}
	p := startPreview(t, dir, nil)
	addr := strings.TrimPrefix(p.url, "http://")
	for _, target := range []string{
		"/../secret.md",
		"/../../secret.md",
		"/%2e%2e/secret.md",
		"/%2E%2E/%2E%2E/secret.md",
		"/.%2e/secret.md",
		"/%2e./secret.md",
		"/..%2fsecret.md",
		"/..%2F..%2Fsecret.md",
		"/..%5csecret.md",
		"/..\\secret.md",
		"/%252e%252e/secret.md",
		"/%25252e%25252e/secret.md",
		"/%c0%ae%c0%ae/secret.md",
		"/%e0%80%ae%e0%80%ae/secret.md",
		"/%u002e%u002e/secret.md",
		"/%ef%bc%8e%ef%bc%8e/secret.md",
		"/..;/secret.md",
		"//secret.md",
		"/images/../../secret.md",
		"/_bindery/source/../../secret.md",
		"/_bindery/source/../secret.md",
		"/_bindery/source/%2e%2e/secret.md",
		"/_bindery/source/%2e%2e/%2e%2e/secret.md",
		"/_bindery/source/..%2fsecret.md",
		"/_bindery/source/%2fsecret.md",
		"/_bindery/source//secret.md",
		"/_bindery/source/" + filepath.ToSlash(root) + "/secret.md",
		"/_bindery/source/secret.md",
		"/_bindery/source/book/link.md",
		"/_bindery/source/book/outside/secret.md",
		"/_bindery/source/book/outside/content/secret.md",
		"/_bindery/source/book/./../secret.md",
		"/_bindery/source/book/one.md%00.png",
		"/_bindery/source/C:/secret.md",
		"/_bindery/source/book/..%5c..%5csecret.md",
		"http://" + addr + "/../secret.md",
		"http://" + addr + "/_bindery/source/%2e%2e/secret.md",
	} {
		code, body := rawGet(t, addr, target)
		if strings.Contains(body, secret) {
			t.Errorf("GET %s: %d, served the secret", target, code)
		}
		if code == http.StatusOK {
			t.Errorf("GET %s: %d, want a refusal", target, code)
		}
	}
	code, body := rawGet(t, addr, "/_bindery/source/book/one.md")
	if code != http.StatusOK || !strings.Contains(body, `id="L4"`) || !strings.Contains(body, "The first words.") {
		t.Errorf("GET /_bindery/source/book/one.md: %d\n%s", code, body)
	}
	for _, target := range []string{"/_bindery/source/book/_index.md", "/_bindery/source/book/book.yaml", "/one.xhtml", "/", "/style.css"} {
		if code, _ := rawGet(t, addr, target); code != http.StatusOK {
			t.Errorf("GET %s: %d", target, code)
		}
	}
	// Another host name than loopback's is refused: a page elsewhere
	// cannot read the book through a name that points here.
	req, _ := http.NewRequest("GET", p.url+"/one.xhtml", nil)
	req.Host = "attacker.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Host attacker.example: %d, want 403", resp.StatusCode)
	}
	if code, _ := p.get("/one.xhtml"); code != http.StatusOK {
		t.Errorf("GET /one.xhtml: %d", code)
	}
	resp, err = http.Post(p.url+"/one.xhtml", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", resp.StatusCode)
	}
}

// rawGet sends a request line as it is, which a client would clean.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// TestServeDownloads downloads the EPUB and the PDF, which are kept until
// the book changes, and are refused while it has errors.
func TestServeDownloads(t *testing.T) {
	_, dir := newTestBook(t)
	p := startPreview(t, dir, nil)
	get := func(name string) (int, string, string) {
		resp, err := http.Get(p.url + downloadPrefix + name)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(data)
	}
	code, ct, epub1 := get("served.epub")
	if code != 200 || ct != "application/epub+zip" || !strings.HasPrefix(epub1, "PK") {
		t.Fatalf("EPUB: %d %s", code, ct)
	}
	made := func() *download {
		p.s.dlMu.Lock()
		defer p.s.dlMu.Unlock()
		return p.s.downloads["epub"]
	}
	first := made()
	if _, _, again := get("served.epub"); again != epub1 || made() != first {
		t.Error("the EPUB was made again for an unchanged book")
	}
	if code, ct, data := get("served.pdf"); code != 200 || ct != "application/pdf" || !strings.HasPrefix(data, "%PDF") {
		t.Errorf("PDF: %d %s", code, ct)
	}
	edit(t, dir, "one.md", "The first words.", "The first words, changed.")
	p.wait("with the edit", holds("/one.xhtml", "changed."))
	if _, _, epub2 := get("served.epub"); epub2 == epub1 {
		t.Error("the EPUB did not change with the book")
	}
	if code, _, _ := get("other.epub"); code != http.StatusNotFound {
		t.Errorf("other.epub: %d", code)
	}
	write(t, dir, "one.md", "---\ntitle: One\n---\n![out](../../../../out.png)\n")
	p.wait("with the error", func(st *site) bool { return st.hasErrors })
	if code, _, msg := get("served.epub"); code != http.StatusConflict || !strings.Contains(msg, "errors") {
		t.Errorf("EPUB of a book with errors: %d %s", code, msg)
	}
}

// TestServeBrokenFirstBuild starts on a book that does not build: the
// preview says why, and comes up once it is fixed.
func TestServeBrokenFirstBuild(t *testing.T) {
	_, dir := newTestBook(t)
	edit(t, dir, "_index.md", "- [One](one.md)", "- [One](nothing.md)")
	p := startPreview(t, dir, nil)
	code, body := p.get("/")
	if code != 200 || !strings.Contains(body, "bindery-failure") || !strings.Contains(body, "_index.md:4</a>: no chapter at nothing.md") {
		t.Fatalf("GET /: %d\n%s", code, body)
	}
	href := regexp.MustCompile(`<a href="(/_bindery/source/[^"#]+)#L4">`).FindStringSubmatch(body)
	if href == nil {
		t.Fatalf("no link to the source:\n%s", body)
	}
	if code, src := p.get(href[1]); code != 200 || !strings.Contains(src, "nothing.md") {
		t.Errorf("GET %s: %d", href[1], code)
	}
	edit(t, dir, "_index.md", "- [One](nothing.md)", "- [One](one.md)")
	p.wait("fixed", holds("/one.xhtml", "The first words."))
	if _, body := p.get("/"); strings.Contains(body, "bindery-failure") {
		t.Errorf("the failure stays:\n%s", body)
	}
}

// TestServeUsage checks bindery serve's usage errors.
func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{{"serve", "--nosuchflag"}, {"serve", "a", "b"}, {"serve", "--addr", "nocolon"}, {"serve", "--page-size", "b5"}} {
		if code, _, _ := runCLI(args...); code != exitUsage {
			t.Errorf("bindery %v: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, _, errOut := runCLI("serve", "-h"); code != exitOK || !strings.Contains(errOut, "--addr HOST:PORT") {
		t.Errorf("serve -h: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := runCLI("serve", filepath.Join(t.TempDir(), "none")); code != exitBook || !strings.Contains(errOut, "no such folder") {
		t.Errorf("serve on no folder: exit %d\n%s", code, errOut)
	}
}

// TestServeSignals runs bindery serve as a process and stops it with
// SIGINT, then SIGTERM, while a page listens for builds: it stops
// cleanly, with exit status 0.
func TestServeSignals(t *testing.T) {
	if os.Getenv("BINDERY_SERVE_CHILD") != "" {
		os.Exit(run(strings.Split(os.Getenv("BINDERY_SERVE_CHILD"), "\n"), os.Stdout, os.Stderr))
	}
	_, dir := newTestBook(t)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestServeSignals$")
		cmd.Env = append(os.Environ(), "BINDERY_SERVE_CHILD="+strings.Join([]string{"serve", "--addr", "127.0.0.1:0", dir}, "\n"))
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stderr)
		url := ""
		for url == "" && lines.Scan() {
			if m := regexp.MustCompile(`at (http://\S+/)`).FindStringSubmatch(lines.Text()); m != nil {
				url = m[1]
			}
		}
		if url == "" {
			cmd.Process.Kill()
			t.Fatalf("%v: bindery serve did not say where it serves", sig)
		}
		resp, err := http.Get(url + "_bindery/events")
		if err != nil {
			t.Fatal(err)
		}
		<-sseReader(resp.Body)
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		go io.Copy(io.Discard, stderr)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%v: %v", sig, err)
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%v: bindery serve did not stop", sig)
		}
		resp.Body.Close()
		if _, err := http.Get(url); err == nil {
			t.Errorf("%v: still serving after stopping", sig)
		}
	}
}

// TestCleanPath checks the first gate every request passes, on request
// lines as they come: only plain absolute paths of names get through.
func TestCleanPath(t *testing.T) {
	for _, c := range []struct {
		target string
		want   string // "" for a refusal
	}{
		{"/", "/"},
		{"/one.xhtml", "/one.xhtml"},
		{"/images/a-1b2c.png", "/images/a-1b2c.png"},
		{"/_bindery/source/book/one.md", "/_bindery/source/book/one.md"},
		{"/caf%C3%A9.xhtml", "/café.xhtml"},
		{"/a%20b.md", "/a b.md"},
		{"http://127.0.0.1/one.xhtml", "/one.xhtml"},
		{"/..", ""},
		{"/../x", ""},
		{"/a/../x", ""},
		{"/a/./x", ""},
		{"/a//x", ""},
		{"//x", ""},
		{"/a/", ""},
		{"/.hidden", ""},
		{"/%2e%2e/x", ""},
		{"/%2E%2e/x", ""},
		{"/.%2e/x", ""},
		{"/a%2fb", ""},
		{"/a%2Fb", ""},
		{"/a%5cb", ""},
		{"/a\\b", ""},
		{"/%252e%252e/x", ""},
		{"/a%00b", ""},
		{"/a%0ab", ""},
		{"/a%7fb", ""},
		{"/%c0%ae%c0%ae/x", ""},
		{"/%ff/x", ""},
		{"/C:/x", ""},
		{"/a%3ab", ""},
		{"*", ""},
	} {
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + c.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")))
		if err != nil {
			if c.want != "" {
				t.Errorf("%s: %v", c.target, err)
			}
			continue
		}
		got, ok := cleanPath(req)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("cleanPath(%s) = %q, want %q", c.target, got, c.want)
		}
	}
}

// TestServeOpen runs the command with --open: it opens the book's address
// in the browser, and stops when its context ends.
func TestServeOpen(t *testing.T) {
	_, dir := newTestBook(t)
	ctx, cancel := context.WithCancel(context.Background())
	opened := make(chan string, 1)
	old := openBrowser
	openBrowser = func(url string) error {
		opened <- url
		return nil
	}
	t.Cleanup(func() { openBrowser = old })
	done := make(chan int)
	log := &syncBuffer{}
	go func() { done <- serveCommand(ctx, []string{"--open", "--addr", "127.0.0.1:0", "-q", dir}, log) }()
	var url string
	select {
	case url = <-opened:
	case code := <-done:
		t.Fatalf("exit %d before opening:\n%s", code, log)
	case <-time.After(30 * time.Second):
		t.Fatal("nothing opened")
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("opened %q", url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// TestServeREADME checks that README's section on bindery serve names
// every flag of the command.
func TestServeREADME(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Preview while you write\n")
	if !ok {
		t.Fatal(`README has no "## Preview while you write" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var headings []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "## ") {
			headings = append(headings, line)
		}
	}
	if i := slices.Index(headings, "## Set up"); i < 0 || i+1 >= len(headings) || headings[i+1] != "## Preview while you write" {
		t.Errorf("README does not show bindery serve first after setting up: %q", headings)
	}
	var cfg serveConfig
	serveFlags(&cfg, io.Discard).VisitAll(func(f *flag.Flag) {
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		if !strings.Contains(section, "`"+dash+f.Name) {
			t.Errorf("README's section on bindery serve lacks %s%s", dash, f.Name)
		}
	})
	if !strings.Contains(section, defaultAddr) {
		t.Errorf("README does not give the default address %s", defaultAddr)
	}
}

// TestServePanic checks that a build that panics is a failed build: the
// preview stays up with the last good pages, and the next build works.
func TestServePanic(t *testing.T) {
	_, dir := newTestBook(t)
	var armed atomic.Bool
	armed.Store(true)
	p := startPreviewWith(t, dir, nil, func(s *server) {
		s.testLoad = func() (*book.Book, error) {
			if armed.CompareAndSwap(true, false) {
				panic("a bug")
			}
			return s.reloader.Load()
		}
	})
	edit(t, dir, "one.md", "The first words.", "The first words, changed.")
	st := p.wait("that panicked", func(st *site) bool { return len(st.failure) > 0 })
	if !st.has("/one.xhtml", "internal error: a bug") || !st.has("/one.xhtml", "The first words.") {
		t.Errorf("/one.xhtml:\n%s", st.pages["/one.xhtml"].data)
	}
	edit(t, dir, "one.md", "The first words, changed.", "The first words, changed again.")
	p.wait("after the panic", holds("/one.xhtml", "changed again."))
	if !strings.Contains(p.log.String(), "internal error: a bug") {
		t.Errorf("the panic was not logged:\n%s", p.log)
	}
}

// TestServeBooks serves the content book and every corpus section and
// follows every link of every page: each page is served, well-formed, and
// every picture, diagram, stylesheet and page it refers to is there.
func TestServeBooks(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	ref := regexp.MustCompile(`(?:src|href)="([^"#?]*)[^"]*"`)
	for name, dir := range books(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(dir, "_index.md")); err != nil {
				t.Skipf("%s has no _index.md", dir)
			}
			p := startPreview(t, dir, nil)
			st := p.s.current()
			if len(st.failure) > 0 {
				t.Fatalf("the book does not build: %v", st.failure)
			}
			checked := map[string]bool{}
			for path := range st.pages {
				body := p.page(path)
				d := xml.NewDecoder(strings.NewReader(body))
				d.Strict = true
				for {
					if _, err := d.Token(); err == io.EOF {
						break
					} else if err != nil {
						t.Fatalf("%s is not well-formed: %v", path, err)
					}
				}
				for _, m := range ref.FindAllStringSubmatch(body, -1) {
					target := m[1]
					if target == "" || strings.HasPrefix(target, "http:") || strings.HasPrefix(target, "https:") || strings.HasPrefix(target, "mailto:") {
						continue
					}
					if !strings.HasPrefix(target, "/") {
						target = "/" + target // pages are at the root
					}
					if checked[target] || strings.HasPrefix(target, downloadPrefix) {
						continue
					}
					checked[target] = true
					if code, _ := p.get(target); code != http.StatusOK {
						t.Errorf("%s refers to %s: %d", path, target, code)
					}
				}
			}
			if len(checked) < len(st.pages) {
				t.Errorf("%d targets checked for %d pages", len(checked), len(st.pages))
			}
		})
	}
}
