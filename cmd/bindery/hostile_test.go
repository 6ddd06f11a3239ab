package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bindery-books/bindery/cmd/bindery/internal/verify"
	"golang.org/x/tools/txtar"
)

// The hostile-input suite: each testdata/hostile/*.txtar is a book someone
// else wrote (its files) and a script (its comment) that builds it and says
// what must come of it. Script lines, one command each; # starts a comment:
//
//	symlink NAME TARGET    make NAME a symbolic link to TARGET
//	hardlink NAME TARGET   make NAME a hard link to the file TARGET
//	mkfifo NAME            make NAME a named pipe
//	rename NAME "NEW"      rename NAME to NEW, a Go string (any byte)
//	truncate NAME SIZE     make NAME a file of SIZE bytes (sparse: cheap)
//	env KEY=VALUE          set an environment variable for what follows
//	bindery ARGS...        run bindery in the book's folder
//	exit N                 the run's exit status is N
//	stderr 'RE'            stderr matches RE; ! stderr 'RE': it does not
//	exists NAME            NAME exists; ! exists NAME: it does not
//	same NAME              NAME still holds what the archive gave it
//	nothing-new            the folder holds only what the archive and the
//	                       script made: nothing was written
//	valid NAME             NAME is an EPUB verify.EPUB accepts, or a PDF
//	                       qpdf --check accepts
//	epub NAME has 'RE'     some file of the EPUB NAME matches RE
//	epub NAME lacks 'RE'   no file of the EPUB NAME matches RE
//	                       (NAME:ENTRY: the file ENTRY of the EPUB only)
//	pdf NAME lacks 'RE'    the PDF NAME does not match RE
//
// $WORK in arguments is the book's folder. A file's text may hold
// {{repeat N "TEXT"}}, replaced by TEXT N times, and a file whose name ends
// in .b64 is written without that suffix, base64-decoded. After every run,
// the suite also checks that nothing panicked, that no temporary file is
// left behind, and that the run took less than a minute.
func TestHostile(t *testing.T) {
	files, _ := filepath.Glob("testdata/hostile/*.txtar")
	if len(files) == 0 {
		t.Fatal("no hostile cases in testdata/hostile")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			work := t.TempDir()
			// The real path: messages name files relative to it.
			if work, err = filepath.EvalSymlinks(work); err != nil {
				t.Fatal(err)
			}
			written := map[string][]byte{}
			for _, f := range ar.Files {
				name, data := f.Name, expand(t, f.Data)
				if n, ok := strings.CutSuffix(name, ".b64"); ok {
					name = n
					if data, err = base64.StdEncoding.DecodeString(string(bytes.TrimSpace(data))); err != nil {
						t.Fatalf("%s: %v", f.Name, err)
					}
				}
				p := filepath.Join(work, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
				written[name] = data
			}
			t.Chdir(work)
			s := &script{t: t, work: work, written: written, made: map[string]bool{}, file: file}
			for i, line := range strings.Split(string(ar.Comment), "\n") {
				s.line = i + 1
				s.exec(line)
			}
			if !s.ran {
				t.Fatalf("%s: the script runs no bindery command", file)
			}
		})
	}
}

var repeatMacro = regexp.MustCompile(`\{\{repeat (\d+) "((?:[^"\\]|\\.)*)"\}\}`)

// expand replaces the {{repeat N "TEXT"}} macros of a file's text.
func expand(t *testing.T, data []byte) []byte {
	return repeatMacro.ReplaceAllFunc(data, func(m []byte) []byte {
		sm := repeatMacro.FindSubmatch(m)
		n, _ := strconv.Atoi(string(sm[1]))
		s, err := strconv.Unquote(`"` + string(sm[2]) + `"`)
		if err != nil {
			t.Fatalf("repeat %s: %v", sm[2], err)
		}
		return []byte(strings.Repeat(s, n))
	})
}

type script struct {
	t       *testing.T
	work    string
	file    string
	line    int
	written map[string][]byte
	made    map[string]bool // links and pipes the script made
	ran     bool
	// code and stderr are the last run's.
	code   int
	stderr string
}

func (s *script) fatalf(format string, args ...any) {
	s.t.Helper()
	s.t.Fatalf("%s:%d: %s", s.file, s.line, fmt.Sprintf(format, args...))
}

func (s *script) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("%s:%d: %s", s.file, s.line, fmt.Sprintf(format, args...))
}

// words splits a script line into words; single quotes group words and
// keep what is inside them as written.
func words(line string) []string {
	var ws []string
	var cur strings.Builder
	in, any := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			in, any = !in, true
		case (r == ' ' || r == '\t') && !in:
			if any {
				ws = append(ws, cur.String())
			}
			cur.Reset()
			any = false
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any {
		ws = append(ws, cur.String())
	}
	return ws
}

func (s *script) exec(line string) {
	t := s.t
	t.Helper()
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return
	}
	ws := words(strings.ReplaceAll(line, "$WORK", s.work))
	neg := ws[0] == "!"
	if neg {
		ws = ws[1:]
	}
	arg := func(i int) string {
		if i >= len(ws) {
			s.fatalf("%s: too few arguments", ws[0])
		}
		return ws[i]
	}
	switch ws[0] {
	case "symlink":
		if err := os.Symlink(arg(2), filepath.Join(s.work, arg(1))); err != nil {
			s.fatalf("%v", err)
		}
		s.made[arg(1)] = true
	case "hardlink":
		if err := os.Link(filepath.Join(s.work, arg(2)), filepath.Join(s.work, arg(1))); err != nil {
			s.fatalf("%v", err)
		}
		s.made[arg(1)] = true
	case "mkfifo":
		if err := mkfifo(filepath.Join(s.work, arg(1))); err != nil {
			s.fatalf("%v", err)
		}
		s.made[arg(1)] = true
	case "rename":
		to, err := strconv.Unquote(arg(2))
		if err != nil {
			s.fatalf("rename: %v", err)
		}
		if err := os.Rename(filepath.Join(s.work, arg(1)), filepath.Join(s.work, to)); err != nil {
			s.fatalf("%v", err)
		}
		delete(s.written, arg(1))
		s.made[filepath.ToSlash(to)] = true
	case "truncate":
		n, err := strconv.ParseInt(arg(2), 10, 64)
		if err != nil {
			s.fatalf("%v", err)
		}
		p := filepath.Join(s.work, arg(1))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			s.fatalf("%v", err)
		}
		f, err := os.Create(p)
		if err == nil {
			err = f.Truncate(n)
			f.Close()
		}
		if err != nil {
			s.fatalf("%v", err)
		}
		s.made[arg(1)] = true
	case "env":
		k, v, _ := strings.Cut(arg(1), "=")
		t.Setenv(k, v)
	case "bindery":
		s.run(ws[1:])
	case "exit":
		want, _ := strconv.Atoi(arg(1))
		if s.code != want {
			s.fatalf("exit %d, want %d; stderr:\n%s", s.code, want, s.stderr)
		}
	case "stderr":
		re, err := regexp.Compile("(?m)" + arg(1))
		if err != nil {
			s.fatalf("%v", err)
		}
		if re.MatchString(s.stderr) == neg {
			s.errorf("stderr %smatches %q:\n%s", map[bool]string{true: "", false: "never "}[neg], arg(1), s.stderr)
		}
	case "exists":
		_, err := os.Lstat(filepath.Join(s.work, arg(1)))
		if (err == nil) == neg {
			s.errorf("%s: exists is %v", arg(1), err == nil)
		}
	case "nothing-new":
		_ = filepath.WalkDir(s.work, func(p string, d fs.DirEntry, err error) error {
			rel, _ := filepath.Rel(s.work, p)
			rel = filepath.ToSlash(rel)
			if err != nil || d.IsDir() && !s.made[rel] {
				return nil
			}
			if _, ok := s.written[rel]; !ok && !s.made[rel] {
				s.errorf("%s was written", rel)
			}
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		})
	case "same":
		got, err := os.ReadFile(filepath.Join(s.work, arg(1)))
		if err != nil || !bytes.Equal(got, s.written[arg(1)]) {
			s.errorf("%s was changed (%v)", arg(1), err)
		}
	case "valid":
		s.valid(arg(1))
	case "epub", "pdf":
		re, err := regexp.Compile(arg(3))
		if err != nil {
			s.fatalf("%v", err)
		}
		var found string
		if ws[0] == "epub" {
			found = s.grepEPUB(arg(1), re)
		} else {
			data, err := os.ReadFile(filepath.Join(s.work, arg(1)))
			if err != nil {
				s.fatalf("%v", err)
			}
			found = re.FindString(string(data))
		}
		switch arg(2) {
		case "has":
			if found == "" {
				s.errorf("%s: nothing matches %q", arg(1), arg(3))
			}
		case "lacks":
			if found != "" {
				s.errorf("%s: %q matches %q", arg(1), found, arg(3))
			}
		default:
			s.fatalf("%s NAME has|lacks RE", ws[0])
		}
	default:
		s.fatalf("unknown command %q", ws[0])
	}
}

// run runs bindery and checks what every run must do.
func (s *script) run(args []string) {
	s.ran = true
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := runCLI(args...)
		done <- result{code, stderr}
	}()
	select {
	case r := <-done:
		s.code, s.stderr = r.code, r.stderr
	case <-time.After(time.Minute):
		s.fatalf("bindery %s: still running after a minute", strings.Join(args, " "))
	}
	if strings.Contains(s.stderr, "panic") || strings.Contains(s.stderr, "goroutine ") {
		s.errorf("bindery panicked:\n%s", s.stderr)
	}
	_ = filepath.WalkDir(s.work, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") && strings.HasSuffix(d.Name(), ".tmp") {
			s.errorf("left behind: %s", p)
		}
		return nil
	})
}

// valid checks an output file as EPUBCheck and qpdf would.
func (s *script) valid(name string) {
	p := filepath.Join(s.work, name)
	switch filepath.Ext(name) {
	case ".epub":
		data, err := os.ReadFile(p)
		if err != nil {
			s.fatalf("%v", err)
		}
		if err := verify.EPUB(data); err != nil {
			s.errorf("%s:\n%v", name, err)
		}
	case ".pdf":
		checked, err := verify.PDF(p)
		if !checked {
			requirePDFTools(s.t)
		}
		if err != nil {
			s.errorf("%s: %v", name, err)
		}
	default:
		s.fatalf("valid: %s is neither .epub nor .pdf", name)
	}
}

// grepEPUB returns the first match of re in a file of the EPUB, or "".
// NAME:ENTRY looks in one file of the EPUB only.
func (s *script) grepEPUB(name string, re *regexp.Regexp) string {
	name, entry, _ := strings.Cut(name, ":")
	zr, err := zip.OpenReader(filepath.Join(s.work, name))
	if err != nil {
		s.fatalf("%v", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if entry != "" && f.Name != entry {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			s.fatalf("%v", err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if m := re.Find(data); m != nil {
			return f.Name + ": " + string(m)
		}
	}
	return ""
}
