package main

import (
	"archive/zip"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// The GitHub Action (action.yml) runs .github/action/run.sh. These tests run
// that script as a runner would, with a fake runner environment, against a
// release built from this source by .github/release and served over HTTP.

const repoRoot = "../.."

// actionMeta is the part of action.yml the tests read.
type actionMeta struct {
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
			Run   string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) actionMeta {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionMeta
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// actionInputs returns the names of the action's inputs.
func actionInputs(t *testing.T) map[string]bool {
	m := map[string]bool{}
	for k := range readAction(t).Inputs {
		m[k] = true
	}
	return m
}

// TestActionYAML checks action.yml's contract: the inputs and outputs the
// README documents, each input passed to the script as INPUT_<NAME> and in
// no other way, and no expression pasted into a script.
func TestActionYAML(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using %q, want composite", a.Runs.Using)
	}
	defaults := map[string]string{"path": "content", "output": "dist", "formats": "epub,pdf", "strict": "false", "version": "", "fetch-remote": "false"}
	for name, def := range defaults {
		in, ok := a.Inputs[name]
		switch {
		case !ok:
			t.Errorf("no input %q", name)
		case in.Description == "":
			t.Errorf("input %q has no description", name)
		case in.Default == nil || *in.Default != def:
			t.Errorf("input %q: default %v, want %q", name, in.Default, def)
		}
	}
	if len(a.Inputs) != len(defaults) {
		t.Errorf("inputs %v, want those of %v", a.Inputs, defaults)
	}
	for _, out := range []string{"epub", "pdf"} {
		if v := a.Outputs[out].Value; v != "${{ steps.build.outputs."+out+" }}" {
			t.Errorf("output %s: value %q", out, v)
		}
	}
	script, err := os.ReadFile(filepath.Join(repoRoot, ".github", "action", "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	passed := map[string]bool{}
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q pastes an expression into its script: %q", s.ID, s.Run)
		}
		for k, v := range s.Env {
			if m := regexp.MustCompile(`^\$\{\{ inputs\.([a-z-]+) \}\}$`).FindStringSubmatch(v); m != nil {
				if want := "INPUT_" + strings.ToUpper(strings.ReplaceAll(m[1], "-", "_")); k != want {
					t.Errorf("input %s reaches the script as %s, want %s", m[1], k, want)
				}
				passed[m[1]] = true
			} else if strings.Contains(v, "inputs.") {
				t.Errorf("env %s=%q: an input in an expression", k, v)
			}
		}
	}
	for name := range a.Inputs {
		env := "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if !passed[name] {
			t.Errorf("input %q does not reach the script", name)
		}
		if !strings.Contains(string(script), env) {
			t.Errorf("run.sh does not read %s", env)
		}
	}
}

// releaseServer serves a release of this source, built for this machine by
// .github/release, as GitHub serves releases: /OWNER/NAME/releases/download/TAG/ASSET
// and /OWNER/NAME/releases/latest/download/ASSET, with or without the
// /OWNER/NAME/releases. The tag v0.0.0-bad serves a checksums.txt that
// does not match; any other tag but v0.0.0-test is not found.
type releaseServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits []string
}

const testVersion = "v0.0.0-test"

func newReleaseServer(t *testing.T) *releaseServer {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./.github/release", "-version", testVersion, "-targets", "host", "-o", dir)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./.github/release: %v\n%s", err, out)
	}
	rs := &releaseServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.mu.Lock()
		rs.hits = append(rs.hits, r.URL.Path)
		rs.mu.Unlock()
		p := r.URL.Path
		// GitHub's layout, /OWNER/NAME/releases/download/..., or
		// BINDERY_RELEASES_URL's, /download/...
		if m := regexp.MustCompile(`^/[^/]+/[^/]+/releases(/.*)$`).FindStringSubmatch(p); m != nil {
			p = m[1]
		}
		var asset string
		switch {
		case strings.HasPrefix(p, "/latest/download/"):
			asset = strings.TrimPrefix(p, "/latest/download/")
		case strings.HasPrefix(p, "/download/"+testVersion+"/"):
			asset = strings.TrimPrefix(p, "/download/"+testVersion+"/")
		case p == "/download/v0.0.0-bad/checksums.txt":
			data, _ := os.ReadFile(filepath.Join(dir, "checksums.txt"))
			w.Write(regexp.MustCompile(`(?m)^[0-9a-f]{8}`).ReplaceAll(data, []byte("00000000")))
			return
		case strings.HasPrefix(p, "/download/v0.0.0-bad/"):
			asset = strings.TrimPrefix(p, "/download/v0.0.0-bad/")
		default:
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join(dir, filepath.Base(asset)))
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *releaseServer) requested(prefix string) bool {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for _, h := range rs.hits {
		if strings.HasPrefix(h, prefix) {
			return true
		}
	}
	return false
}

// actionRun is the result of one run of the action's script.
type actionRun struct {
	err            error
	stdout, stderr string
	outputs        map[string]string // from GITHUB_OUTPUT
	path           string            // GITHUB_PATH
	temp           string            // RUNNER_TEMP
}

// runAction runs run.sh in the repository root, as the runner runs it in
// the workspace, with a fake runner environment and the given inputs and
// other variables.
func runAction(t *testing.T, rs *releaseServer, env map[string]string) actionRun {
	t.Helper()
	tmp := t.TempDir()
	r := actionRun{temp: filepath.Join(tmp, "runner-temp"), outputs: map[string]string{}}
	os.Mkdir(r.temp, 0o755)
	outFile, pathFile := filepath.Join(tmp, "github-output"), filepath.Join(tmp, "github-path")
	root, _ := filepath.Abs(repoRoot)
	vars := map[string]string{
		"RUNNER_OS":            map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS],
		"RUNNER_ARCH":          map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH],
		"RUNNER_TEMP":          r.temp,
		"GITHUB_OUTPUT":        outFile,
		"GITHUB_PATH":          pathFile,
		"GITHUB_ACTION_PATH":   root,
		"BINDERY_RELEASES_URL": rs.URL,
		"SOURCE_DATE_EPOCH":    "1767225600",
	}
	for k, v := range env {
		vars[k] = v
	}
	// The environment of the test, less what a runner or a caller of the
	// action may have set: when these tests run on GitHub, the fake runner
	// must not write to the real one's files.
	var environ []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "RUNNER_") || strings.HasPrefix(k, "INPUT_") || strings.HasPrefix(k, "BINDERY_") || k == "SOURCE_DATE_EPOCH" {
			continue
		}
		environ = append(environ, kv)
	}
	for k, v := range vars {
		environ = append(environ, k+"="+v)
	}
	cmd := exec.Command("bash", filepath.Join(root, ".github", "action", "run.sh"))
	cmd.Dir = root
	cmd.Env = environ
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r.err = cmd.Run()
	r.stdout, r.stderr = stdout.String(), stderr.String()
	if data, err := os.ReadFile(outFile); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				r.outputs[k] = v
			}
		}
	}
	if data, err := os.ReadFile(pathFile); err == nil {
		r.path = strings.TrimSpace(string(data))
	}
	return r
}

func requireActionTools(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the action's script is tested where bash is the system's: Linux and macOS")
	}
	for _, tool := range []string{"bash", "curl", "tar", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			if v := os.Getenv("BINDERY_REQUIRE_TOOLS"); v != "" && v != "0" {
				t.Fatalf("%s not installed, and BINDERY_REQUIRE_TOOLS is set", tool)
			}
			t.Skipf("%s not installed: skipping the action's tests", tool)
		}
	}
}

// TestAction runs the action's script against the content book and small
// books: it downloads the release, checks it against checksums.txt, builds,
// and sets the outputs; and it refuses bad inputs and bad downloads.
func TestAction(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	requireActionTools(t)
	rs := newReleaseServer(t)
	small := writeBook(t, map[string]string{
		"content/_index.md": "---\ntitle: Small Book\n---\n- [One](one.md)\n",
		"content/one.md":    "---\ntitle: One\n---\nText.\n",
	})
	broken := writeBook(t, map[string]string{
		"content/_index.md": "---\ntitle: Broken\n---\n- [One](one.md)\n",
		"content/one.md":    "---\ntitle: One\n---\nSee [nothing](/en/nowhere).\n",
	})

	t.Run("content", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "dist")
		r := runAction(t, rs, map[string]string{
			"INPUT_PATH": "content", "INPUT_OUTPUT": out + "/", "INPUT_STRICT": "true", "INPUT_VERSION": testVersion,
		})
		if r.err != nil {
			t.Fatalf("%v\n%s%s", r.err, r.stdout, r.stderr)
		}
		if !rs.requested("/download/" + testVersion + "/checksums.txt") {
			t.Error("checksums.txt was not downloaded")
		}
		if !strings.Contains(r.stdout, "Checked bindery_"+runtime.GOOS+"_"+runtime.GOARCH) {
			t.Errorf("no word of the checksum check:\n%s", r.stdout)
		}
		for f, name := range map[string]string{"epub": "elixir-in-the-field.epub", "pdf": "elixir-in-the-field.pdf"} {
			want := filepath.Join(out, name)
			if r.outputs[f] != want {
				t.Errorf("output %s=%q, want %q", f, r.outputs[f], want)
			}
			if fi, err := os.Stat(want); err != nil || fi.Size() == 0 {
				t.Errorf("%s: %v", want, err)
			}
		}
		if zr, err := zip.OpenReader(filepath.Join(out, "elixir-in-the-field.epub")); err != nil {
			t.Error(err)
		} else {
			zr.Close()
		}
		// The binary is on the PATH of later steps and is the release's.
		v, err := exec.Command(filepath.Join(r.path, "bindery"), "version").Output()
		if err != nil || strings.TrimSpace(string(v)) != "bindery "+testVersion {
			t.Errorf("bindery on GITHUB_PATH (%s): version %q, %v", r.path, v, err)
		}
		// Nothing but the outputs in the output folder, and nothing left
		// in the runner's temp folder but the installed binary.
		entries, _ := os.ReadDir(out)
		if len(entries) != 2 {
			t.Errorf("output folder holds %d files, want 2", len(entries))
		}
		left, _ := filepath.Glob(filepath.Join(r.temp, "bindery-*"))
		if len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})

	t.Run("epub from latest", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		r := runAction(t, rs, map[string]string{
			"INPUT_PATH": filepath.Join(small, "content"), "INPUT_OUTPUT": out, "INPUT_FORMATS": " EPUB ", "INPUT_VERSION": "latest",
		})
		if r.err != nil {
			t.Fatalf("%v\n%s%s", r.err, r.stdout, r.stderr)
		}
		if !rs.requested("/latest/download/bindery_") {
			t.Error("version latest did not download from /latest/download/")
		}
		if r.outputs["epub"] != filepath.Join(out, "small-book.epub") || r.outputs["pdf"] != "" {
			t.Errorf("outputs %v, want the EPUB only", r.outputs)
		}
		if _, err := os.Stat(filepath.Join(out, "small-book.pdf")); err == nil {
			t.Error("a PDF was written, though not asked for")
		}
	})

	t.Run("pdf at the action's ref", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		r := runAction(t, rs, map[string]string{
			"INPUT_PATH": filepath.Join(small, "content"), "INPUT_OUTPUT": out, "INPUT_FORMATS": "pdf",
			"BINDERY_ACTION_REF": testVersion,
		})
		if r.err != nil {
			t.Fatalf("%v\n%s%s", r.err, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "bindery "+testVersion) {
			t.Errorf("the action at ref %s did not run that release:\n%s", testVersion, r.stdout)
		}
		if r.outputs["pdf"] != filepath.Join(out, "small-book.pdf") || r.outputs["epub"] != "" {
			t.Errorf("outputs %v, want the PDF only", r.outputs)
		}
	})

	// Where composite actions lack github.action_ref and
	// github.action_repository, the action's path tells them.
	t.Run("repository and ref from the action's path", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		actionPath := filepath.Join(t.TempDir(), "_actions", "someone", "fork", testVersion)
		os.MkdirAll(actionPath, 0o755)
		r := runAction(t, rs, map[string]string{
			"INPUT_PATH": filepath.Join(small, "content"), "INPUT_OUTPUT": out, "INPUT_FORMATS": "epub",
			"GITHUB_ACTION_PATH": actionPath, "BINDERY_RELEASES_URL": "", "GITHUB_SERVER_URL": rs.URL,
		})
		if r.err != nil {
			t.Fatalf("%v\n%s%s", r.err, r.stdout, r.stderr)
		}
		if !rs.requested("/someone/fork/releases/download/" + testVersion + "/bindery_") {
			t.Errorf("not downloaded from someone/fork's release %s:\n%s", testVersion, r.stdout)
		}
	})

	// uses: ./ runs the workflow's own repository's releases.
	t.Run("uses: ./", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		root, _ := filepath.Abs(repoRoot)
		r := runAction(t, rs, map[string]string{
			"INPUT_PATH": filepath.Join(small, "content"), "INPUT_OUTPUT": out, "INPUT_FORMATS": "epub", "INPUT_VERSION": testVersion,
			"GITHUB_WORKSPACE": root, "GITHUB_REPOSITORY": "me/mine", "BINDERY_RELEASES_URL": "", "GITHUB_SERVER_URL": rs.URL,
		})
		if r.err != nil {
			t.Fatalf("%v\n%s%s", r.err, r.stdout, r.stderr)
		}
		if !rs.requested("/me/mine/releases/download/" + testVersion + "/bindery_") {
			t.Errorf("not downloaded from me/mine's release %s:\n%s", testVersion, r.stdout)
		}
	})

	t.Run("source", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		// uses: ./ gives no action ref: the action builds its own checkout.
		r := runAction(t, rs, map[string]string{
			"INPUT_PATH": filepath.Join(small, "content"), "INPUT_OUTPUT": out, "INPUT_FORMATS": "epub",
		})
		if r.err != nil {
			t.Fatalf("%v\n%s%s", r.err, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "Building bindery from") || strings.Contains(r.stdout, "Downloading") {
			t.Errorf("no source build:\n%s", r.stdout)
		}
		if _, err := os.Stat(r.outputs["epub"]); err != nil {
			t.Error(err)
		}
	})

	// A failed run writes no outputs and installs nothing unchecked.
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // in the ::error:: line, or on stderr
	}{
		{"checksum mismatch", map[string]string{"INPUT_VERSION": "v0.0.0-bad"}, "but checksums.txt says"},
		{"no such release", map[string]string{"INPUT_VERSION": "v9.9.9"}, "is v9.9.9 a release"},
		{"strict", map[string]string{"INPUT_PATH": filepath.Join(broken, "content"), "INPUT_STRICT": "true"}, `one.md:4: link to "/en/nowhere"`},
		{"formats", map[string]string{"INPUT_FORMATS": "epub,mobi"}, `input formats: "mobi"`},
		{"no formats", map[string]string{"INPUT_FORMATS": " , "}, `input formats`},
		{"strict value", map[string]string{"INPUT_STRICT": "maybe"}, `input strict: "maybe": want true or false`},
		{"version value", map[string]string{"INPUT_VERSION": "1.2.3; rm -rf /"}, `input version`},
		{"path", map[string]string{"INPUT_PATH": "$(touch pwned)"}, `input path: "$(touch pwned)": no such folder`},
		{"output line break", map[string]string{"INPUT_OUTPUT": "dist\npdf=/etc/passwd"}, `input output: a line break`},
		{"runner arch", map[string]string{"RUNNER_ARCH": "ARM"}, `runner architecture "ARM"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			env := map[string]string{"INPUT_PATH": filepath.Join(small, "content"), "INPUT_OUTPUT": out, "INPUT_VERSION": testVersion}
			for k, v := range tc.env {
				env[k] = v
			}
			r := runAction(t, rs, env)
			if r.err == nil {
				t.Fatalf("the action succeeded:\n%s", r.stdout)
			}
			if !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Errorf("no %q in the output:\n%s%s", tc.want, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, "::error title=bindery::") {
				t.Errorf("no error annotation:\n%s", r.stdout)
			}
			if len(r.outputs) > 0 {
				t.Errorf("outputs set: %v", r.outputs)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("a failed run wrote into the output folder: %v", entries)
			}
			if left, _ := filepath.Glob(filepath.Join(r.temp, "bindery-*")); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
			if tc.name == "checksum mismatch" {
				if bins, _ := filepath.Glob(filepath.Join(r.temp, "bindery", "*", "bindery*")); len(bins) > 0 {
					t.Errorf("a binary that failed its check was installed: %v", bins)
				}
			}
			if _, err := os.Stat(filepath.Join(repoRoot, "pwned")); err == nil {
				os.Remove(filepath.Join(repoRoot, "pwned"))
				t.Error("an input was run as shell")
			}
		})
	}
}

// TestActionREADME checks README's "Publish from GitHub" against
// action.yml: its tables list every input, with its default, and every
// output; its snippet gives only declared inputs.
func TestActionREADME(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Publish from GitHub\n")
	if !ok {
		t.Fatal(`README has no "## Publish from GitHub" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	a := readAction(t)
	rows := map[string][]string{}
	for _, line := range strings.Split(section, "\n") {
		if m := regexp.MustCompile("^\\| `([a-z-]+)` \\|(.*)\\|$").FindStringSubmatch(line); m != nil {
			rows[m[1]] = strings.Split(m[2], "|")
		}
	}
	for name, in := range a.Inputs {
		row, ok := rows[name]
		if !ok {
			t.Errorf("README's table lacks input %s", name)
			continue
		}
		if def := strings.TrimSpace(row[0]); *in.Default != "" && def != "`"+*in.Default+"`" {
			t.Errorf("README gives input %s the default %s, action.yml %q", name, def, *in.Default)
		}
	}
	for name := range a.Outputs {
		if _, ok := rows[name]; !ok {
			t.Errorf("README's table lacks output %s", name)
		}
	}
	if len(rows) != len(a.Inputs)+len(a.Outputs) {
		t.Errorf("README's tables list %d inputs and outputs, action.yml has %d", len(rows), len(a.Inputs)+len(a.Outputs))
	}
	_, snippet, _ := strings.Cut(section, "```yaml\n")
	snippet, _, _ = strings.Cut(snippet, "```")
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(snippet), &wf); err != nil {
		t.Fatalf("README's snippet: %v", err)
	}
	used := false
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			if strings.HasPrefix(s.Uses, "bindery-books/bindery@") {
				used = true
				for k := range s.With {
					if _, ok := a.Inputs[k]; !ok {
						t.Errorf("README's snippet gives input %q, which action.yml does not declare", k)
					}
				}
			}
		}
	}
	if !used {
		t.Error("README's snippet does not use bindery-books/bindery")
	}
}
