// Command bindery compiles a Hugo-style folder of markdown into a book: an
// EPUB 3 for e-readers and a print-quality PDF.
//
// Usage:
//
//	bindery epub  [-o FILE] [flags] [DIR]
//	bindery pdf   [-o FILE] [flags] [DIR]
//	bindery build [-o OUTDIR] [flags] [DIR]
//	bindery check [--strict] [DIR]
//	bindery serve [--addr HOST:PORT] [--open] [flags] [DIR]
//	bindery new   [DIR]
//	bindery version
//
// DIR is the folder holding the book's _index.md; it defaults to "content".
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/bindery-books/bindery/book"
)

// Exit codes.
const (
	exitOK    = 0
	exitBook  = 1 // errors in the book
	exitUsage = 2
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("bindery: ")
	onSignal()
	if len(os.Args) > 1 && (os.Args[1] == "epub" || os.Args[1] == "pdf" || os.Args[1] == "build") {
		limitMemory()
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// memoryLimit is the heap size past which the garbage collector of
// bindery epub, pdf and build works harder rather than let the heap grow
// (GOMEMLIMIT overrides it). A build holds its book and a window of
// chapters being written (the PDF draws each chapter's pages as soon as
// they are final): a very large book would otherwise take twice what it
// holds, as the collector lets garbage pile up to the size of what is
// live. A book of 2,056 chapters holds about 300 MB once loaded, most of
// it the chapters' syntax trees, which the format written last lets go of
// as it goes (book.Chapter.Release); its PDF takes 13 s on two cores at
// 0.83 GB. With a limit of 2 GB, the EPUB of a book that size grew to
// 1.7 GB and took more CPU time, not less (page faults).
const memoryLimit = 768 << 20

// Under memoryLimit, bindery epub, pdf and build do not collect garbage
// at all (GOGC=off): a run is short, and a book of ordinary size is built
// before its heap reaches the limit (the golang corpus section allocates
// some 60 MB), 5 ms sooner than with collections at five times what is
// live, and a few dozen times sooner than at Go's default of twice. A
// large book meets the limit, and is collected as often as it needs. When
// GOMEMLIMIT sets another limit, or none, the heap grows to gcPercent more
// than what is live before each collection (GOGC overrides both).
const gcPercent = 400

// limitMemory sets the soft memory limit and the collector's pace unless
// the environment does.
func limitMemory() {
	limited := os.Getenv("GOMEMLIMIT") == ""
	if limited {
		debug.SetMemoryLimit(memoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		if limited {
			debug.SetGCPercent(-1)
		} else {
			debug.SetGCPercent(gcPercent)
		}
	}
}

const usage = `Bindery compiles a folder of markdown into a book.

Usage:

	bindery <command> [flags] [DIR]

Commands:

	epub     write an EPUB 3 (default: <slug>.epub)
	pdf      write a print PDF (default: <slug>.pdf)
	build    write every format into a folder (default: dist)
	check    meet every problem a build meets; write nothing
	serve    preview the book in a browser, rebuilt as its sources change
	new      start a new book in DIR (default: the working folder)
	version  print the version

DIR is the folder holding the book's _index.md (default: content).
Run 'bindery <command> -h' for a command's flags.
`

func run(args []string, stdout, stderr io.Writer) int {
	log.SetOutput(stderr)
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "epub", "pdf", "build", "check":
		return runBook(args[0], args[1:], stdout, stderr)
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "new":
		return runNew(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "bindery", version())
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "bindery: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// httpClient fetches remote pictures; nil is the book package's, which
// fetches only from public addresses. Tests set it to reach their server.
var httpClient *http.Client

// buildVersion is the release version, stamped in by the release build
// with -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion string

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 && (v == "" || v == "(devel)") {
			v = "devel-" + s.Value[:12]
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return v
}

// options are the flags of the book commands.
type options struct {
	out         string
	root        string
	drafts      bool
	fetchRemote bool
	strict      bool
	quiet       bool
	verbose     bool
	pageSize    string
	twoSide     bool
	fontSize    float64
	// pageList puts the PDF's page list into the EPUB: build sets it.
	pageList bool
	// pages holds the page list of the PDF written in this run, for the
	// EPUB written after it (see renderOrder); nil when none is shared.
	pages *pageShare
	// release lets the format rendered last release each chapter once
	// printed (book.Chapter.Release): the book is not printed again.
	release bool
}

// pageShare carries the page list from the PDF to the EPUB of one run.
type pageShare struct {
	starts []book.PageStart
	ok     bool
}

func runBook(cmd string, args []string, stdout, stderr io.Writer) int {
	o, dir, code := parseFlags(cmd, args, stderr)
	if code >= 0 {
		return code
	}
	r := &reporter{w: stderr, quiet: o.quiet, verbose: o.verbose, tty: isTerminal(stderr)}
	b, err := book.Load(dir, book.Options{Root: o.root, Drafts: o.drafts, Strict: o.strict, FetchRemote: o.fetchRemote, HTTPClient: httpClient})
	if b != nil {
		r.notes(b)
		r.diagnostics(b)
	}
	if err != nil {
		if b == nil {
			printErr(stderr, err)
		} else if cmd == "check" {
			// A whole book whose chapters have errors: check reports
			// what the outputs would add to them too.
			check(b, o, r)
		}
		return exitBook
	}
	r.verbosef("%s: %d chapters, %d parts", b.Index, len(b.Chapters), len(b.Parts))
	switch cmd {
	case "check":
		return check(b, o, r)
	case "build":
		return build(b, o, r)
	}
	return writeOne(b, o, r, cmd, o.out)
}

// parseFlags parses a book command's flags and DIR, which may come in any
// order. It returns an exit code when the command must stop (bad usage, or
// -h), else -1.
func parseFlags(cmd string, args []string, stderr io.Writer) (options, string, int) {
	var o options
	fs := flagSet(cmd, &o, stderr)
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return o, "", exitOK
			}
			return o, "", exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(dirs) > 1:
		fmt.Fprintf(stderr, "bindery %s: one DIR at most, got %d\n", cmd, len(dirs))
		return o, "", exitUsage
	case o.pageSize != "" && !slices.Contains(book.PageSizes, o.pageSize):
		fmt.Fprintf(stderr, "bindery %s: --page-size %q: want one of %s\n", cmd, o.pageSize, strings.Join(book.PageSizes, ", "))
		return o, "", exitUsage
	case o.fontSize != 0 && (o.fontSize < 6 || o.fontSize > 20):
		fmt.Fprintf(stderr, "bindery %s: --font-size %v: want between 6 and 20\n", cmd, o.fontSize)
		return o, "", exitUsage
	}
	dir := "content"
	if len(dirs) == 1 {
		dir = dirs[0]
	}
	return o, dir, -1
}

// flagSet returns the flags of a book command, bound to o.
func flagSet(cmd string, o *options, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bindery "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch cmd {
	case "epub", "pdf":
		fs.StringVar(&o.out, "o", "", "write the book to `FILE` (default: the book's slug, .epub or .pdf, in the working folder)")
	case "build":
		fs.StringVar(&o.out, "o", "dist", "write every format into `OUTDIR`")
	}
	fs.StringVar(&o.root, "root", "", "content root that site-absolute links resolve against (default: nearest folder named content)")
	fs.BoolVar(&o.drafts, "drafts", false, "include pages marked draft: true")
	fs.BoolVar(&o.strict, "strict", false, "treat warnings as errors")
	fs.BoolVar(&o.fetchRemote, "fetch-remote", false, "download remote (http, https) images into the book")
	if cmd != "check" {
		fs.BoolVar(&o.quiet, "q", false, "print errors only")
		fs.BoolVar(&o.verbose, "v", false, "print every step")
	}
	if cmd == "pdf" || cmd == "build" {
		fs.StringVar(&o.pageSize, "page-size", "", "page size: "+strings.Join(book.PageSizes, ", ")+" (default: book.yaml's, else a4)")
		fs.BoolVar(&o.twoSide, "twoside", false, "lay out for two-sided print: mirrored margins, chapters open on recto pages")
		fs.Float64Var(&o.fontSize, "font-size", 0, "body text size in points (default: book.yaml's, else 11; 9.5 on a5 and 6x9in)")
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: bindery %s [flags] [DIR]\n\nFlags:\n", cmd)
		fs.PrintDefaults()
	}
	return fs
}

// printErr prints a joined error one problem per line.
func printErr(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(w, line)
	}
}

// slug names output files after the book's title.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		return "book"
	}
	return s
}

// check is a build that writes nothing: both outputs are rendered and
// thrown away, so every problem a build meets (a character no font has,
// an SVG the PDF cannot draw) is met here too.
func check(b *book.Book, o options, r *reporter) int {
	o.pages = &pageShare{}
	order := renderOrder(formats)
	for k, i := range order {
		format := formats[i]
		o.release = k == len(order)-1
		err := render(b, o, r, format, io.Discard)
		r.notes(b)
		r.diagnostics(b)
		if err != nil {
			fmt.Fprintf(r.w, "bindery: %s: %v\n", format, err)
			return exitBook
		}
	}
	if b.Diagnostics.Err() != nil {
		return exitBook
	}
	r.infof("%s: %d chapters, links resolved", b.Index, len(b.Chapters))
	return exitOK
}

func build(b *book.Book, o options, r *reporter) int {
	if fi, err := os.Stat(o.out); err == nil && !fi.IsDir() {
		fmt.Fprintf(r.w, "bindery: %s: not a folder\n", o.out)
		return exitBook
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		fmt.Fprintf(r.w, "bindery: %v\n", err)
		return exitBook
	}
	o.pageList = true // the EPUB carries the pages of the PDF beside it
	var outs []string
	for _, format := range formats {
		outs = append(outs, filepath.Join(o.out, slug(b.Meta.Title)+"."+format))
	}
	return writeAll(b, o, r, formats, outs)
}
