package outlooksync

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/migrations/dbtest"
)

// KeptParts names the parts of an event that a link names, leaving out the links of a mailbox
// whose cycle is running (it may be deleting their series): an undo renews the UIDs of the
// others.
func TestKeptPartsLeavesOutTheLinksOfARunningCycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := NewStore(db)
		ctx := context.Background()
		for _, l := range []struct {
			user int64
			uid  string
		}{{1, "a"}, {2, "b"}} {
			if err := st.SaveLink(ctx, l.user, Link{EventID: 10, SegmentUID: l.uid, RemoteID: "R" + l.uid}); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.SaveLink(ctx, 1, Link{EventID: 11, SegmentUID: "c", RemoteID: "Rc"}); err != nil {
			t.Fatal(err)
		}
		kept := func() string {
			t.Helper()
			got, err := st.KeptParts(db, 10)
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, u := range []string{"a", "b", "c"} {
				if got[u] {
					out += u
				}
			}
			return out
		}
		if got := kept(); got != "ab" {
			t.Errorf("kept %q, want ab", got)
		}
		if ok, err := st.AcquireLease(ctx, 2, "test", time.Minute, false); err != nil || !ok {
			t.Fatalf("lease: %v %v", ok, err)
		}
		if got := kept(); got != "a" {
			t.Errorf("kept %q while user 2's cycle runs, want a", got)
		}
		if err := st.ReleaseLease(ctx, 2, "test", time.Minute); err != nil {
			t.Fatal(err)
		}
		if got := kept(); got != "ab" {
			t.Errorf("kept %q once the cycle is done, want ab", got)
		}
	})
}
