package synce2e

import (
	"os"
	"slices"
	"testing"
)

// caseScope is a testing.TB whose cleanups (and temporary directories) belong to one case
// of a property test instead of the whole test: a 1,000-case run would otherwise keep every
// case's database and fake Outlook open until the end, and run out of file descriptors.
type caseScope struct {
	testing.TB
	cleanups []func()
}

// Cleanup runs fn when the case ends.
func (s *caseScope) Cleanup(fn func()) { s.cleanups = append(s.cleanups, fn) }

// TempDir returns a new directory removed when the case ends.
func (s *caseScope) TempDir() string {
	dir, err := os.MkdirTemp("", "synce2e-case-")
	if err != nil {
		s.Fatalf("temporary directory: %v", err)
	}
	s.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// end runs the case's cleanups, the last registered first.
func (s *caseScope) end() {
	for _, fn := range slices.Backward(s.cleanups) {
		fn()
	}
	s.cleanups = nil
}
