package main

import (
	"bytes"
	"embed"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// scaffold holds the files bindery new writes, with placeholders such as
// [[title]] that scaffoldData.replacer fills (plain replacement, not
// text/template, whose reflection would cost the binary 3 MB).
// gitignore is written as .gitignore.
//
//go:embed all:scaffold
var scaffold embed.FS

// scaffoldData fills the scaffold's templates.
type scaffoldData struct {
	Title, Author string
	Slug          string // names the files make epub and make pdf write
	// ActionRef is the ref of the bindery action the workflow uses: this
	// bindery's release tag, else main.
	ActionRef string
	Release   bool // ActionRef is a release tag
	// Date is the day the book was started, its date until
	// SOURCE_DATE_EPOCH (or a newer date in a chapter) says otherwise.
	Date string
}

// releaseTag matches the version of a released bindery (not a pseudo-version).
var releaseTag = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$`)

func runNew(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bindery new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	title := fs.String("title", "", "the book's `TITLE` (default: made from DIR's name)")
	author := fs.String("author", "Your Name", "the book's `AUTHOR`")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `Usage: bindery new [flags] [DIR]

Start a book in DIR (default: the working folder): content/ with an index,
two chapters, an image and book.yaml; a Makefile; a GitHub workflow that
builds the book and attaches it to releases; a .gitignore. Nothing that
exists is overwritten: if any of these files exists, nothing is written.

Flags:
`)
		fs.PrintDefaults()
	}
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(dirs) > 1 {
		fmt.Fprintf(stderr, "bindery new: one DIR at most, got %d\n", len(dirs))
		return exitUsage
	}
	dir := "."
	if len(dirs) == 1 {
		dir = dirs[0]
	}
	if *title == "" {
		*title = titleFromDir(dir)
	}
	for _, f := range []struct{ name, v string }{{"--title", *title}, {"--author", *author}} {
		if strings.TrimSpace(f.v) == "" || strings.ContainsFunc(f.v, unicode.IsControl) {
			fmt.Fprintf(stderr, "bindery new: %s %q: want a line of text\n", f.name, f.v)
			return exitUsage
		}
	}
	files, err := scaffoldFiles(scaffoldData{
		Title:     *title,
		Author:    *author,
		Slug:      slug(*title),
		ActionRef: actionRef(version()),
		Release:   releaseTag.MatchString(version()),
		Date:      time.Now().Format(time.DateOnly),
	})
	if err != nil {
		fmt.Fprintf(stderr, "bindery new: %v\n", err)
		return exitBook
	}
	if err := writeScaffold(dir, files); err != nil {
		printErr(stderr, fmt.Errorf("bindery new: %w", err))
		return exitBook
	}
	fmt.Fprintf(stdout, "Started %q in %s:\n", *title, dir)
	for _, f := range files {
		fmt.Fprintf(stdout, "\t%s\n", filepath.Join(dir, filepath.FromSlash(f.name)))
	}
	fmt.Fprintf(stdout, "\nBuild it with 'bindery build %s' (or make, in %s): the EPUB and the PDF go into %s.\n",
		filepath.Join(dir, "content"), dir, filepath.Join(dir, "dist"))
	return exitOK
}

// actionRef returns the ref of the bindery action a new book's workflow
// uses: the version of this bindery when it is a release, else main.
func actionRef(v string) string {
	if releaseTag.MatchString(v) {
		return v
	}
	return "main"
}

// titleFromDir makes a title from a folder's name: "my-first_book" gives
// "My First Book".
func titleFromDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	words := strings.FieldsFunc(filepath.Base(dir), func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || unicode.IsSpace(r)
	})
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	if len(words) == 0 || filepath.Base(dir) == string(filepath.Separator) {
		return "My Book"
	}
	return strings.Join(words, " ")
}

// scaffoldFile is one file bindery new writes; name is slash-separated,
// relative to DIR.
type scaffoldFile struct {
	name string
	data []byte
}

// figureName is the image the second chapter shows, drawn by drawFigure.
const figureName = "content/images/open-book.png"

// scaffoldFiles renders the scaffold's templates and draws its image, and
// returns the files sorted by name.
func scaffoldFiles(d scaffoldData) ([]scaffoldFile, error) {
	r := d.replacer()
	var files []scaffoldFile
	err := fs.WalkDir(scaffold, "scaffold", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		src, err := fs.ReadFile(scaffold, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "scaffold/")
		if name == "gitignore" {
			name = ".gitignore"
		}
		out := r.Replace(string(src))
		if i := strings.Index(out, "[["); i >= 0 {
			return fmt.Errorf("%s: unknown placeholder %.20q", p, out[i:])
		}
		files = append(files, scaffoldFile{name, []byte(out)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var img bytes.Buffer
	if err := png.Encode(&img, drawFigure()); err != nil {
		return nil, err
	}
	files = append(files, scaffoldFile{figureName, img.Bytes()})
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

// replacer fills the scaffold's placeholders.
func (d scaffoldData) replacer() *strings.Replacer {
	comment := "# @main builds bindery from source with Go, which is slower; pin a\n" +
		"        # release instead (@v1.2.3) to download its binary."
	if d.Release {
		comment = "# A release of Bindery: the action downloads its binary for the runner."
	}
	return strings.NewReplacer(
		"[[title]]", yamlString(d.Title),
		"[[author]]", yamlString(d.Author),
		"[[slug]]", d.Slug,
		"[[date]]", d.Date,
		"[[action-ref]]", d.ActionRef,
		"[[action-comment]]", comment,
	)
}

// yamlString quotes s as a YAML double-quoted scalar; s has no control
// characters, so Go's quoting is valid YAML.
func yamlString(s string) string {
	return strconv.Quote(s)
}

// writeScaffold writes files under dir, refusing, before it writes
// anything, when any of them exists or a folder on its way is a file. On an
// error while writing it removes what it wrote.
func writeScaffold(dir string, files []scaffoldFile) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a folder; nothing written", dir)
	}
	var exist []error
	seen := map[string]bool{}
	for _, f := range files {
		// The file and every folder on its way within dir.
		for p := f.name; p != "."; p = path.Dir(p) {
			if seen[p] {
				continue
			}
			seen[p] = true
			full := filepath.Join(dir, filepath.FromSlash(p))
			fi, err := os.Lstat(full)
			switch {
			case errors.Is(err, fs.ErrNotExist):
			case err != nil:
				exist = append(exist, err)
			case p == f.name:
				exist = append(exist, fmt.Errorf("%s exists", full))
			case !fi.IsDir():
				exist = append(exist, fmt.Errorf("%s exists and is not a folder", full))
			}
		}
	}
	if len(exist) > 0 {
		sort.Slice(exist, func(i, j int) bool { return exist[i].Error() < exist[j].Error() })
		return fmt.Errorf("nothing written, since a new book overwrites nothing; start it in a new folder (bindery new DIR) or move these away:\n%w", errors.Join(exist...))
	}

	var made []string // files and folders created, in order
	undo := func() {
		for i := len(made) - 1; i >= 0; i-- {
			os.Remove(made[i])
		}
	}
	for _, f := range files {
		full := filepath.Join(dir, filepath.FromSlash(f.name))
		created, err := mkdirs(filepath.Dir(full))
		made = append(made, created...)
		if err != nil {
			undo()
			return err
		}
		w, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			undo()
			return err
		}
		made = append(made, full)
		_, err = w.Write(f.data)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			undo()
			return err
		}
	}
	return nil
}

// mkdirs creates dir and the folders above it that are missing, and returns
// those it created, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for p := dir; ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			break
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			return made, err
		}
		made = append(made, missing[i])
	}
	return made, nil
}

// drawFigure draws the new book's figure, an open book seen from above:
// two pages of grey lines of text, a darker heading on the left page and a
// blue picture on the right. It is drawn rather than shipped so that every
// byte of a new book comes from this source.
func drawFigure() image.Image {
	const w, h = 480, 270
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	fill := func(r image.Rectangle, c color.Color) {
		draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
	}
	var (
		desk    = color.NRGBA{0xe9, 0xe4, 0xda, 0xff}
		cover   = color.NRGBA{0x7a, 0x2e, 0x2e, 0xff}
		paper   = color.NRGBA{0xfd, 0xfb, 0xf6, 0xff}
		shade   = color.NRGBA{0xe2, 0xdc, 0xcf, 0xff}
		text    = color.NRGBA{0x9a, 0x9a, 0x9a, 0xff}
		heading = color.NRGBA{0x3a, 0x3a, 0x3a, 0xff}
		sky     = color.NRGBA{0x5b, 0x8d, 0xc9, 0xff}
		hill    = color.NRGBA{0x3f, 0x7d, 0x4e, 0xff}
		sun     = color.NRGBA{0xf2, 0xc1, 0x4e, 0xff}
	)
	fill(img.Bounds(), desk)
	fill(image.Rect(28, 22, w-28, h-18), cover)
	left, right := image.Rect(36, 28, w/2-2, h-26), image.Rect(w/2+2, 28, w-36, h-26)
	fill(left, paper)
	fill(right, paper)
	fill(image.Rect(w/2-10, 28, w/2-2, h-26), shade) // the gutter's shadow
	fill(image.Rect(w/2+2, 28, w/2+10, h-26), shade)

	// The left page: a heading, then justified lines, the last one short.
	fill(image.Rect(left.Min.X+22, left.Min.Y+24, left.Min.X+120, left.Min.Y+34), heading)
	for i, y := 0, left.Min.Y+52; y < left.Max.Y-20; i, y = i+1, y+14 {
		end := left.Max.X - 22
		if i%6 == 5 {
			end = left.Min.X + 22 + (end-left.Min.X-22)*(40+i*7%50)/100
		}
		fill(image.Rect(left.Min.X+22, y, end, y+5), text)
	}

	// The right page: a picture of a hill under a sun, then more lines.
	pic := image.Rect(right.Min.X+22, right.Min.Y+22, right.Max.X-22, right.Min.Y+112)
	fill(pic, sky)
	for x := pic.Min.X; x < pic.Max.X; x++ {
		// A hill: a parabola's top inside the picture.
		dx := float64(x-pic.Min.X)/float64(pic.Dx()) - 0.6
		top := pic.Min.Y + 45 + int(160*dx*dx)
		if top < pic.Max.Y {
			fill(image.Rect(x, top, x+1, pic.Max.Y), hill)
		}
	}
	cx, cy, r := pic.Min.X+40, pic.Min.Y+28, 14
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				img.Set(x, y, sun)
			}
		}
	}
	for y := pic.Max.Y + 20; y < right.Max.Y-20; y += 14 {
		fill(image.Rect(right.Min.X+22, y, right.Max.X-22, y+5), text)
	}
	return img
}
