//go:build unix

package dot

import (
	"os"
	"syscall"
)

// private reports whether dir is a directory (not a link to one) of the
// user's that no one else can read or write. A directory of the user's
// that others may use is made private first (MkdirAll's 0700 is narrowed
// by the umask, never widened, but the directory may be older).
func private(dir string) bool {
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != os.Getuid() {
		return false
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return true
	}
	if os.Chmod(dir, 0o700) != nil {
		return false
	}
	fi, err = os.Lstat(dir)
	return err == nil && fi.IsDir() && fi.Mode().Perm()&0o077 == 0
}
