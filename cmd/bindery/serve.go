package main

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/bindery-books/bindery/book"
	"github.com/bindery-books/bindery/book/epub"
	"github.com/bindery-books/bindery/book/pdf"
)

// bindery serve: a live preview. The book is served as the EPUB's own
// XHTML pages, with a bar to move between them, the problems of each page
// over it, and a script that reloads a page when it changes. A watcher
// (serve_watch.go) reports changes to the sources; after a short quiet
// spell a book.Reloader loads the book again, parsing only the chapters
// that changed, and a new site (serve_site.go) renders only the pages
// whose inputs changed. Open pages hear of it over server-sent events.

//go:embed live/live.js live/live.css
var liveFiles embed.FS

// serveConfig is what bindery serve is asked to do.
type serveConfig struct {
	options
	dir  string
	addr string
	open bool
	// poll polls folders instead of asking for notifications.
	poll bool
	// debounce is the quiet spell after a change before a build; pollEvery
	// how often polled folders are listed.
	debounce, pollEvery time.Duration
}

// Defaults of bindery serve.
const (
	defaultAddr = "127.0.0.1:8080"
	debounce    = 100 * time.Millisecond
	pollEvery   = 300 * time.Millisecond
	// shutdownGrace bounds a clean shutdown: SIGINT and SIGTERM end the
	// command within it.
	shutdownGrace = 800 * time.Millisecond
)

// runServe runs bindery serve until SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveCommand(ctx, args, stderr)
}

// serveCommand runs bindery serve until ctx is done.
func serveCommand(ctx context.Context, args []string, stderr io.Writer) int {
	cfg, code := parseServeFlags(args, stderr)
	if code >= 0 {
		return code
	}
	s, err := newServer(cfg, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "bindery serve: %v\n", err)
		return exitBook
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		s.close()
		fmt.Fprintf(stderr, "bindery serve: %v (choose another with --addr)\n", err)
		return exitBook
	}
	url := "http://" + ln.Addr().String() + "/"
	s.logf("serving %q at %s (Ctrl-C to stop)", s.current().title, url)
	if !isLoopback(ln.Addr()) {
		s.logf("warning: %s is reachable from other machines", ln.Addr())
	}
	if cfg.open {
		if err := openBrowser(url); err != nil {
			s.logf("--open: %v", err)
		}
	}
	return s.serve(ctx, ln)
}

// parseServeFlags parses bindery serve's flags and DIR, in any order. It
// returns an exit code when the command must stop, else -1.
func parseServeFlags(args []string, stderr io.Writer) (serveConfig, int) {
	cfg := serveConfig{debounce: debounce, pollEvery: pollEvery}
	fs := serveFlags(&cfg, stderr)
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return cfg, exitOK
			}
			return cfg, exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(dirs) > 1:
		fmt.Fprintf(stderr, "bindery serve: one DIR at most, got %d\n", len(dirs))
		return cfg, exitUsage
	case cfg.pageSize != "" && !slices.Contains(book.PageSizes, cfg.pageSize):
		fmt.Fprintf(stderr, "bindery serve: --page-size %q: want one of %s\n", cfg.pageSize, strings.Join(book.PageSizes, ", "))
		return cfg, exitUsage
	case cfg.fontSize != 0 && (cfg.fontSize < 6 || cfg.fontSize > 20):
		fmt.Fprintf(stderr, "bindery serve: --font-size %v: want between 6 and 20\n", cfg.fontSize)
		return cfg, exitUsage
	}
	if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
		fmt.Fprintf(stderr, "bindery serve: --addr %q: want HOST:PORT, such as %s\n", cfg.addr, defaultAddr)
		return cfg, exitUsage
	}
	cfg.dir = "content"
	if len(dirs) == 1 {
		cfg.dir = dirs[0]
	}
	return cfg, -1
}

// serveFlags returns bindery serve's flags, bound to cfg.
func serveFlags(cfg *serveConfig, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bindery serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", defaultAddr, "serve at `HOST:PORT`; another host than 127.0.0.1 or localhost lets other machines in")
	fs.BoolVar(&cfg.open, "open", false, "open the book in a browser")
	fs.BoolVar(&cfg.poll, "poll", false, "watch by listing folders every 300ms, where file system notifications do not work (network drives, some containers)")
	fs.StringVar(&cfg.root, "root", "", "content root that site-absolute links resolve against (default: nearest folder named content)")
	fs.BoolVar(&cfg.drafts, "drafts", false, "include pages marked draft: true")
	fs.BoolVar(&cfg.strict, "strict", false, "treat warnings as errors")
	fs.BoolVar(&cfg.fetchRemote, "fetch-remote", false, "download remote (http, https) images into the book")
	fs.BoolVar(&cfg.quiet, "q", false, "print errors only")
	fs.BoolVar(&cfg.verbose, "v", false, "print what each build did")
	fs.StringVar(&cfg.pageSize, "page-size", "", "page size of the PDF download: "+strings.Join(book.PageSizes, ", ")+" (default: book.yaml's, else a4)")
	fs.BoolVar(&cfg.twoSide, "twoside", false, "lay out the PDF download for two-sided print")
	fs.Float64Var(&cfg.fontSize, "font-size", 0, "body text size of the PDF download in points (default: book.yaml's, else 10.5)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: bindery serve [--addr HOST:PORT] [--open] [flags] [DIR]\n\n"+
			"Serves the book in DIR for a browser and rebuilds it as its sources change.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// server is a running preview.
type server struct {
	cfg      serveConfig
	bookDir  string // absolute
	reloader *book.Reloader
	watcher  *watcher

	outMu  sync.Mutex
	stderr io.Writer

	// site is the current site; only the build loop replaces it.
	site atomic.Pointer[site]
	// Of the build loop alone.
	builds  int
	revs    map[string]int // each chapter's revision, by file
	printed map[string]bool
	root    *os.Root // the content root, for the source view
	rootAbs string
	sources map[string]bool // paths within the root the source view shows
	bookRel string          // the book's folder within the root, "." for the root

	srcMu sync.Mutex // guards root, rootAbs, sources for requests

	events hub

	dlMu      sync.Mutex
	downloads map[string]*download

	done     chan struct{} // closed at shutdown
	doneOnce sync.Once
	// buildHook, when set, is called after each build with the site;
	// tests and benchmarks wait on it. testLoad, when set, loads the book
	// instead of the Reloader.
	buildHook func(*site)
	testLoad  func() (*book.Book, error)
}

// newServer loads the book for the first time and starts watching it. A
// book that does not build is no reason to stop: the preview shows why,
// and builds again when the sources change.
func newServer(cfg serveConfig, stderr io.Writer) (*server, error) {
	fi, err := os.Stat(cfg.dir)
	if err != nil {
		return nil, fmt.Errorf("%s: no such folder", cfg.dir)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a folder", cfg.dir)
	}
	abs, err := filepath.Abs(cfg.dir)
	if err != nil {
		return nil, err
	}
	s := &server{
		cfg:       cfg,
		bookDir:   abs,
		stderr:    stderr,
		revs:      map[string]int{},
		printed:   map[string]bool{},
		sources:   map[string]bool{},
		downloads: map[string]*download{},
		done:      make(chan struct{}),
		reloader: &book.Reloader{Dir: cfg.dir, Options: book.Options{
			Root: cfg.root, Drafts: cfg.drafts, Strict: cfg.strict, FetchRemote: cfg.fetchRemote}},
	}
	s.events.init()
	s.build()
	s.watcher = newWatcher(abs, cfg.poll, cfg.pollEvery, s.logf)
	s.watcher.set(s.reloader.Files())
	return s, nil
}

// logf prints a line on standard error.
func (s *server) logf(format string, args ...any) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	fmt.Fprintf(s.stderr, "bindery: "+format+"\n", args...)
}

func (s *server) current() *site { return s.site.Load() }

// close stops watching and ends the open event streams.
func (s *server) close() {
	s.doneOnce.Do(func() { close(s.done) })
	if s.watcher != nil {
		s.watcher.close()
	}
	s.srcMu.Lock()
	if s.root != nil {
		s.root.Close()
		s.root = nil
	}
	s.srcMu.Unlock()
}

// serve serves the preview on ln and builds again whenever the sources
// change, until ctx is done: then it shuts down within shutdownGrace.
func (s *server) serve(ctx context.Context, ln net.Listener) int {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		s.loop(ctx)
	}()
	select {
	case <-ctx.Done():
	case err := <-errc:
		s.close()
		<-loopDone
		s.logf("%v", err)
		return exitBook
	}
	// Event streams never end on their own: close them first, so that
	// Shutdown finds the connections idle.
	s.close()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	// A build under way is not waited for past the grace: it only reads.
	select {
	case <-loopDone:
	case <-sctx.Done():
	}
	if !s.cfg.quiet {
		s.logf("stopped")
	}
	return exitOK
}

// loop builds the book again after each change, once the sources have
// been quiet for cfg.debounce: an editor's save is often several events.
func (s *server) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-s.watcher.changed:
		}
		t := time.NewTimer(s.cfg.debounce)
	quiet:
		for {
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-s.done:
				t.Stop()
				return
			case <-s.watcher.changed:
				t.Reset(s.cfg.debounce)
			case <-t.C:
				break quiet
			}
		}
		s.build()
		s.watcher.set(s.reloader.Files())
	}
}

// build loads the book again, makes the next site and tells the open
// pages.
func (s *server) build() {
	start := time.Now()
	last := s.current()
	defer func() {
		// A bug met on some input must not take the preview down: the
		// build fails, the last good pages stay, and the next build
		// starts afresh.
		if r := recover(); r != nil {
			s.logf("internal error: %v\n%s", r, debug.Stack())
			s.reloader = &book.Reloader{Dir: s.reloader.Dir, Options: s.reloader.Options}
			s.builds++
			st := failed(last, fmt.Errorf("internal error: %v (please report it)", r), s.rootDisplay(last), s.builds)
			s.site.Store(st)
			s.events.publish(st.message())
			if s.buildHook != nil {
				s.buildHook(st)
			}
		}
	}()
	load := s.reloader.Load
	if s.testLoad != nil {
		load = s.testLoad
	}
	b, err := load()
	s.builds++
	var st *site
	if b == nil {
		st = failed(last, err, s.rootDisplay(last), s.builds)
		if s.root == nil {
			// The source view shows why the first build failed.
			s.setSources(st.rootDisplay)
		}
	} else {
		for _, ch := range b.Chapters {
			if s.reloader.Changed(ch) {
				s.revs[ch.File]++
			}
		}
		st = newSite(last, b, err, s.revs, s.builds)
		s.setSources(b.Root())
	}
	st.took = time.Since(start)
	s.site.Store(st)
	s.events.publish(st.message())
	s.report(last, st, b, start)
	if s.buildHook != nil {
		s.buildHook(st)
	}
}

// rootDisplay returns the content root as messages name it: the last
// good site's, else found as Load finds it.
func (s *server) rootDisplay(last *site) string {
	if last != nil && last.rootDisplay != "" {
		return last.rootDisplay
	}
	if s.cfg.root != "" {
		return s.cfg.root
	}
	for d := s.bookDir; ; d = filepath.Dir(d) {
		if filepath.Base(d) == "content" {
			return d
		}
		if filepath.Dir(d) == d {
			return s.cfg.dir
		}
	}
}

// report prints what a build found: problems not printed before, and with
// -v what it did.
func (s *server) report(last, st *site, b *book.Book, start time.Time) {
	if s.cfg.verbose {
		changed := 0
		for path, p := range st.pages {
			if lp := last.pageOrNil(path); lp == nil || lp.rev != p.rev {
				changed++
			}
		}
		if b != nil {
			rs := s.reloader.Stats()
			s.logf("build %d in %v: %s parsed, %d relinked, %d reused; %s changed",
				st.build, time.Since(start).Round(time.Millisecond), count(rs.Parsed, "chapter"), rs.Relinked, rs.Reused, count(changed, "page"))
		} else {
			s.logf("build %d in %v: the book does not build; %s changed", st.build, time.Since(start).Round(time.Millisecond), count(changed, "page"))
		}
	}
	ds := st.failure
	if len(ds) == 0 {
		ds = st.problems
	}
	now := map[string]bool{}
	for _, d := range ds {
		line := d.Error()
		now[line] = true
		if s.printed[line] || s.cfg.quiet && d.Level == book.LevelWarning {
			continue
		}
		s.outMu.Lock()
		fmt.Fprintln(s.stderr, line)
		s.outMu.Unlock()
	}
	if len(st.failure) == 0 && !s.cfg.quiet {
		var fixed []string
		for line := range s.printed {
			if !now[line] {
				fixed = append(fixed, line)
			}
		}
		slices.Sort(fixed)
		for _, line := range fixed {
			s.logf("fixed: %s", line)
		}
	}
	s.printed = now
}

// setSources records the content root and the files in it the source view
// may show: those the last good build read, and those of the book's
// folder.
func (s *server) setSources(rootDisplay string) {
	abs, err := filepath.Abs(rootDisplay)
	if err != nil {
		return
	}
	s.srcMu.Lock()
	defer s.srcMu.Unlock()
	if s.root == nil || s.rootAbs != abs {
		if s.root != nil {
			s.root.Close()
		}
		s.root, s.rootAbs = nil, abs
		if r, err := os.OpenRoot(abs); err == nil {
			s.root = r
		}
	}
	s.sources = map[string]bool{}
	for _, f := range s.reloader.Files() {
		if rel, err := filepath.Rel(abs, f); err == nil && filepath.IsLocal(rel) {
			s.sources[filepath.ToSlash(rel)] = true
		}
	}
	s.bookRel = "-" // nothing, unless the book's folder is in the root
	if rel, err := filepath.Rel(abs, s.bookDir); err == nil && (rel == "." || filepath.IsLocal(rel)) {
		s.bookRel = filepath.ToSlash(rel)
	}
}

// message is what an open page hears of a build: the revision of every
// page, and of the stylesheet.
func (st *site) message() []byte {
	revs := make(map[string]string, len(st.pages))
	for path, p := range st.pages {
		revs[path] = p.rev
	}
	data, _ := json.Marshal(struct {
		Build int               `json:"build"`
		Pages map[string]string `json:"pages"`
		Style string            `json:"style"`
		OK    bool              `json:"ok"`
	}{st.build, revs, st.styleRev, len(st.failure) == 0})
	return fmt.Appendf(nil, "id: %d\nevent: build\ndata: %s\n\n", st.build, data)
}

// hub hands each build's message to the open event streams.
type hub struct {
	mu   sync.Mutex
	subs map[chan []byte]bool
	last []byte
}

func (h *hub) init() { h.subs = map[chan []byte]bool{} }

// publish sends msg to every stream. A stream that has not taken the last
// message yet gets this one instead: each message says it all.
func (h *hub) publish(msg []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last = msg
	for c := range h.subs {
		select {
		case <-c:
		default:
		}
		c <- msg
	}
}

// subscribe returns a stream's channel, which holds the last message.
func (h *hub) subscribe() chan []byte {
	c := make(chan []byte, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last != nil {
		c <- h.last
	}
	h.subs[c] = true
	return c
}

func (h *hub) unsubscribe(c chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, c)
}

// Paths of the preview's own.
const (
	liveJS         = "/_bindery/live.js"
	liveCSS        = "/_bindery/live.css"
	eventsPath     = "/_bindery/events"
	sourcePrefix   = "/_bindery/source/"
	downloadPrefix = "/_bindery/download/"
)

// ServeHTTP serves the preview: the pages of the book, the files they
// show, the preview's script, the event stream, the source view and the
// downloads. Nothing else: every path is checked first (see cleanPath).
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !s.hostAllowed(r) {
		http.Error(w, "bindery serve answers to localhost only: use --addr to serve other hosts", http.StatusForbidden)
		return
	}
	p, ok := cleanPath(r)
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	st := s.current()
	switch {
	case p == eventsPath:
		s.serveEvents(w, r)
		return
	case p == liveJS || p == liveCSS:
		data, _ := liveFiles.ReadFile("live/" + path.Base(p))
		s.serveBytes(w, r, data, digest(data), mimeType(p))
		return
	case strings.HasPrefix(p, sourcePrefix):
		s.serveSource(w, r, strings.TrimPrefix(p, sourcePrefix))
		return
	case strings.HasPrefix(p, downloadPrefix):
		s.serveDownload(w, r, st, strings.TrimPrefix(p, downloadPrefix))
		return
	case p == "/style.css":
		s.serveBytes(w, r, st.style, st.styleRev, "text/css; charset=utf-8")
		return
	}
	if pg := st.pages[p]; pg != nil {
		s.serveBytes(w, r, pg.data, pg.rev, "application/xhtml+xml; charset=utf-8")
		return
	}
	if res, ok := st.resources[p]; ok {
		s.serveBytes(w, r, res.Data, digest(res.Data), res.MediaType)
		return
	}
	s.notFound(w, p)
}

// notFound answers a path the book has no page for. The page it sends
// listens for builds, so a chapter that comes back shows again.
func (s *server) notFound(w http.ResponseWriter, p string) {
	body := fmt.Sprintf("<h1>Not in the book</h1>\n<p>The book has no page %s. <a href=\"/\">Contents</a></p>\n", esc(p))
	doc := xhtmlDoc("en", "Not in the book", body)
	if strings.HasSuffix(p, ".xhtml") {
		extra := fmt.Sprintf("<meta name=\"bindery-page\" content=\"%s\" />\n<meta name=\"bindery-rev\" content=\"\" />\n<script src=\"%s\" defer=\"defer\"></script>\n", esc(p), liveJS)
		doc = bytes.Replace(doc, []byte("</head>"), []byte(extra+"</head>"), 1)
	}
	w.Header().Set("Content-Type", "application/xhtml+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusNotFound)
	w.Write(doc)
}

// serveBytes serves data with rev as its entity tag. Browsers must ask
// again each time (no-cache): a diagram drawn anew keeps its name.
func (s *server) serveBytes(w http.ResponseWriter, r *http.Request, data []byte, rev, mime string) {
	h := w.Header()
	h.Set("Content-Type", mime)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", `"`+rev+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

func mimeType(p string) string {
	switch path.Ext(p) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	}
	return "application/octet-stream"
}

// hostAllowed refuses requests for another host than the loopback one the
// preview listens on, when it listens on loopback: a web page elsewhere
// cannot then read the book through a name of its own that points here
// (DNS rebinding).
func (s *server) hostAllowed(r *http.Request) bool {
	host, _, err := net.SplitHostPort(s.cfg.addr)
	if err != nil {
		return false
	}
	if ip := net.ParseIP(host); !(host == "localhost" || ip != nil && ip.IsLoopback()) {
		return true // the user asked to serve other machines
	}
	h := r.Host
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// serveEvents streams each build's message to a page.
func (s *server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	c := s.events.subscribe()
	defer s.events.unsubscribe(c)
	if _, err := io.WriteString(w, "retry: 500\n\n"); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		var msg []byte
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case msg = <-c:
		case <-ping.C:
			msg = []byte(": ping\n\n")
		}
		if _, err := w.Write(msg); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// download is a build of the EPUB or the PDF for the downloads, kept
// until the book changes.
type download struct {
	fingerprint string
	done        chan struct{}
	data        []byte
	err         error
}

// serveDownload serves the book's EPUB or PDF, built when first asked for
// and kept until the book changes. It loads the book afresh: a build for
// download takes seconds, and must not hold up the preview, whose book
// each reload changes.
func (s *server) serveDownload(w http.ResponseWriter, r *http.Request, st *site, name string) {
	format := strings.TrimPrefix(path.Ext(name), ".")
	if st.slug == "" || name != st.slug+"."+format || format != "epub" && format != "pdf" {
		s.notFound(w, downloadPrefix+name)
		return
	}
	if len(st.failure) > 0 || st.hasErrors {
		http.Error(w, "the book has errors: no "+strings.ToUpper(format)+" until they are fixed (see the contents page)", http.StatusConflict)
		return
	}
	s.dlMu.Lock()
	d := s.downloads[format]
	if d == nil || d.fingerprint != st.fingerprint {
		d = &download{fingerprint: st.fingerprint, done: make(chan struct{})}
		s.downloads[format] = d
		go s.makeDownload(d, format)
	}
	s.dlMu.Unlock()
	select {
	case <-d.done:
	case <-r.Context().Done():
		return
	case <-s.done:
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if d.err != nil {
		http.Error(w, d.err.Error(), http.StatusConflict)
		return
	}
	mime := "application/epub+zip"
	if format == "pdf" {
		mime = "application/pdf"
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	s.serveBytes(w, r, d.data, d.fingerprint+"-"+format, mime)
}

func (s *server) makeDownload(d *download, format string) {
	defer close(d.done)
	o := s.cfg.options
	b, err := book.Load(s.cfg.dir, book.Options{Root: o.root, Drafts: o.drafts, Strict: o.strict, FetchRemote: o.fetchRemote})
	if err != nil {
		d.err = fmt.Errorf("the book has errors: no %s until they are fixed:\n%v", strings.ToUpper(format), err)
		return
	}
	var buf bytes.Buffer
	if format == "epub" {
		err = epub.Write(&buf, b, epub.Config{})
	} else {
		_, err = pdf.Write(&buf, b, pdf.Config{PageSize: o.pageSize, TwoSide: o.twoSide, FontSize: o.fontSize, Version: version()})
	}
	if err == nil {
		err = b.Diagnostics.Err()
	}
	if err != nil {
		d.err = fmt.Errorf("%s: %v", format, err)
		return
	}
	d.data = buf.Bytes()
}

// openBrowser opens url in the user's browser. Tests replace it.
var openBrowser = func(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
