package synce2e

import (
	"flag"
	"os"
	"slices"
	"strconv"
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

// rapidCases sets how many cases a randomised test draws and from which seed: checks cases
// from smDefaultSeed, so that make test fails only when the code does; with
// SYNC_RAPID_CHECKS set (the long runs of docs/sync.md), that many new ones. -rapid.checks
// and -rapid.seed given on the command line win.
func rapidCases(t testing.TB, checks string) {
	t.Helper()
	given := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
	seed := smDefaultSeed
	if s := os.Getenv("SYNC_RAPID_CHECKS"); s != "" {
		if _, err := strconv.Atoi(s); err == nil {
			checks, seed = s, ""
		}
	}
	for name, v := range map[string]string{"rapid.checks": checks, "rapid.seed": seed} {
		f := flag.Lookup(name)
		if f == nil || given[name] {
			continue
		}
		if v == "" {
			v = f.DefValue
		}
		// Value.Set, not flag.Set: the next test's call still sees the flag as not given.
		if err := f.Value.Set(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
