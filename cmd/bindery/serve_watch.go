package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watcher tells when files of a book may have changed. It watches folders,
// not files: a folder's watch sees its files written, created, removed and
// renamed, so an editor that saves by writing a new file and renaming it
// over the old one is seen like any other. fsnotify does not watch
// recursively, so the book's folder is walked for its sub-folders, new
// folders are added as they appear, and the set of folders is brought up
// to date after every build (a folder removed and made again is watched
// again). Where notifications cannot be had (no inotify, or its limit
// reached) folders are polled instead.
type watcher struct {
	// changed receives a value when something may have changed; it holds
	// one at most.
	changed chan struct{}
	// poll is how often polled folders are listed.
	poll time.Duration
	// warn reports problems of watching.
	warn func(format string, args ...any)

	notify *fsnotify.Watcher // nil when every folder is polled

	mu       sync.Mutex
	bookDir  string
	watched  map[string]bool // folders notifications come from
	polled   map[string]map[string]fileState
	warned   bool
	done     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// errNoSpace is what adding a watch fails with when inotify's limit is
// reached.
var errNoSpace error = syscall.ENOSPC

// fileState is what polling compares of a file.
type fileState struct {
	size int64
	mod  time.Time
	mode fs.FileMode
}

// newWatcher starts watching. forcePoll polls every folder.
func newWatcher(bookDir string, forcePoll bool, poll time.Duration, warn func(string, ...any)) *watcher {
	w := &watcher{
		changed: make(chan struct{}, 1),
		poll:    poll,
		warn:    warn,
		bookDir: bookDir,
		watched: map[string]bool{},
		polled:  map[string]map[string]fileState{},
		done:    make(chan struct{}),
	}
	if !forcePoll {
		n, err := fsnotify.NewWatcher()
		if err != nil {
			warn("watch: %v; polling every %v instead", err, poll)
		} else {
			w.notify = n
			w.wg.Add(1)
			go w.notifications()
		}
	}
	w.wg.Add(1)
	go w.polling()
	return w
}

// signal records that something may have changed.
func (w *watcher) signal() {
	select {
	case w.changed <- struct{}{}:
	default:
	}
}

// close stops watching.
func (w *watcher) close() {
	w.stopOnce.Do(func() {
		close(w.done)
		if w.notify != nil {
			w.notify.Close()
		}
	})
	w.wg.Wait()
}

// ignored reports whether a file's events are an editor's scratch work:
// swap files, backups, lock files, temporary files. The file an editor
// saves to has events of its own.
func ignored(name string) bool {
	base := filepath.Base(name)
	switch {
	case strings.HasPrefix(base, "."), strings.HasPrefix(base, "#"), strings.HasSuffix(base, "~"),
		base == "4913", strings.Contains(base, "___jb_"):
		return true
	}
	switch filepath.Ext(base) {
	case ".swp", ".swx", ".swo", ".tmp", ".bak", ".orig", ".part", ".crdownload":
		return true
	}
	return false
}

func (w *watcher) notifications() {
	defer w.wg.Done()
	for {
		select {
		case ev, ok := <-w.notify.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod || ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				// A new folder: watch it, and what it already holds.
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() && w.wanted(ev.Name) {
					w.addTree(ev.Name)
				}
			}
			w.signal()
		case err, ok := <-w.notify.Errors:
			if !ok {
				return
			}
			// Events were lost (the queue overflowed): build again, to
			// be sure.
			w.warn("watch: %v", err)
			w.signal()
		}
	}
}

// wanted reports whether a new folder is one to watch: inside the book's
// folder, and not hidden.
func (w *watcher) wanted(dir string) bool {
	rel, err := filepath.Rel(w.bookDir, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if strings.HasPrefix(part, ".") && part != "." {
			return false
		}
	}
	return true
}

// addTree watches dir and the folders inside it.
func (w *watcher) addTree(dir string) {
	dirs := folders(dir)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range dirs {
		w.addLocked(d)
	}
}

// folders returns dir and the folders inside it that are not hidden.
func folders(dir string) []string {
	var dirs []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		dirs = append(dirs, p)
		return nil
	})
	return dirs
}

// addLocked watches one folder, by notifications if it can, else by
// polling.
func (w *watcher) addLocked(dir string) {
	if w.watched[dir] || w.polled[dir] != nil {
		return
	}
	if w.notify != nil {
		err := w.notify.Add(dir)
		if err == nil {
			w.watched[dir] = true
			return
		}
		select {
		case <-w.done:
			return // closed under way
		default:
		}
		if !w.warned {
			w.warned = true
			hint := ""
			if errors.Is(err, errNoSpace) {
				hint = " (the limit of inotify watches: sysctl fs.inotify.max_user_watches)"
			}
			w.warn("watch %s: %v%s; polling it every %v", dir, err, hint, w.poll)
		}
	}
	w.polled[dir] = list(dir)
}

// set brings the watched folders up to date: the book's folder and the
// folders inside it, and the folders of the files given (those a build
// looked at). Folders that no longer exist or matter are dropped.
func (w *watcher) set(files []string) {
	want := map[string]bool{}
	for _, d := range folders(w.bookDir) {
		want[d] = true
	}
	for _, f := range files {
		for _, d := range []string{f, filepath.Dir(f)} {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				want[d] = true
			}
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case <-w.done:
		return
	default:
	}
	if w.notify != nil {
		// The watcher drops folders that were removed on its own.
		live := map[string]bool{}
		for _, d := range w.notify.WatchList() {
			live[d] = true
		}
		for d := range w.watched {
			if !live[d] {
				delete(w.watched, d)
			}
		}
	}
	for d := range w.watched {
		if !want[d] {
			_ = w.notify.Remove(d)
			delete(w.watched, d)
		}
	}
	for d := range w.polled {
		if !want[d] {
			delete(w.polled, d)
		}
	}
	dirs := make([]string, 0, len(want))
	for d := range want {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	for _, d := range dirs {
		w.addLocked(d)
	}
}

// list returns the state of the files of a folder, or nil when it cannot
// be listed.
func list(dir string) map[string]fileState {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return map[string]fileState{}
	}
	m := make(map[string]fileState, len(entries))
	for _, e := range entries {
		if ignored(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		m[e.Name()] = fileState{size: fi.Size(), mod: fi.ModTime(), mode: fi.Mode()}
	}
	return m
}

// polling lists the polled folders every w.poll and signals a difference.
func (w *watcher) polling() {
	defer w.wg.Done()
	t := time.NewTicker(w.poll)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
		}
		w.mu.Lock()
		dirs := make([]string, 0, len(w.polled))
		for d := range w.polled {
			dirs = append(dirs, d)
		}
		w.mu.Unlock()
		changed := false
		for _, d := range dirs {
			now := list(d)
			w.mu.Lock()
			before, ok := w.polled[d]
			if ok {
				w.polled[d] = now
			}
			w.mu.Unlock()
			if ok && !sameListing(before, now) {
				changed = true
			}
		}
		if changed {
			w.signal()
		}
	}
}

func sameListing(a, b map[string]fileState) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !v.mod.Equal(w.mod) || v.size != w.size || v.mode != w.mode {
			return false
		}
	}
	return true
}
