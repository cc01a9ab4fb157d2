package outlooksync

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/migrations/dbtest"
)

// A create's base is kept from before it is sent until its link is saved or deleted, per
// segment and user, and one that no link followed goes after pendingKeep.
func TestPendingCreatesLastUntilTheirLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		st := NewStore(db)
		st.now = func() time.Time { return now }
		sent := func(title string) Base {
			return Base{Series: SeriesState{Subject: title}, Attendees: []string{"bob@example.com"}}
		}
		if err := st.SavePending(ctx, 1, []PendingCreate{{EventID: 10, SegmentUID: "a", Base: sent("first")}, {EventID: 10, SegmentUID: "b", Base: sent("second")}}); err != nil {
			t.Fatal(err)
		}
		if err := st.SavePending(ctx, 1, []PendingCreate{{EventID: 10, SegmentUID: "a", Base: sent("first, again")}}); err != nil {
			t.Fatal(err)
		}
		if err := st.SavePending(ctx, 2, []PendingCreate{{EventID: 20, SegmentUID: "a", Base: sent("someone else's")}}); err != nil {
			t.Fatal(err)
		}
		titles := func(user int64) map[string]string {
			t.Helper()
			got, err := st.Pending(ctx, user)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, p := range got {
				out[p.SegmentUID] = p.Base.Series.Subject
				if len(p.Base.Attendees) != 1 {
					t.Errorf("pending %s lost its attendees: %+v", p.SegmentUID, p.Base)
				}
			}
			return out
		}
		if got := titles(1); len(got) != 2 || got["a"] != "first, again" || got["b"] != "second" {
			t.Fatalf("pending creates of user 1 = %v, want a resent and b", got)
		}
		if err := st.SaveLink(ctx, 1, Link{EventID: 10, SegmentUID: "a", RemoteID: "AAA", Base: sent("first, again")}); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteLink(ctx, 1, 10, "b"); err != nil {
			t.Fatal(err)
		}
		if got := titles(1); len(got) != 0 {
			t.Errorf("after their links were saved and deleted, still pending: %v", got)
		}
		now = now.Add(pendingKeep + time.Hour)
		if err := st.SavePending(ctx, 1, []PendingCreate{{EventID: 11, SegmentUID: "c", Base: sent("later")}}); err != nil {
			t.Fatal(err)
		}
		if got := titles(2); len(got) != 1 {
			t.Errorf("another user's pending create went with user 1's: %v", got)
		}
		if err := st.SavePending(ctx, 2, []PendingCreate{{EventID: 21, SegmentUID: "d", Base: sent("later")}}); err != nil {
			t.Fatal(err)
		}
		if got := titles(2); len(got) != 1 || got["d"] != "later" {
			t.Errorf("pending creates of user 2 = %v, want only the new one once the old was kept %v", got, pendingKeep)
		}
		if err := ForgetUser(ctx, db, 2); err != nil {
			t.Fatal(err)
		}
		if got := titles(2); len(got) != 0 {
			t.Errorf("a deleted user's pending creates stayed: %v", got)
		}
	})
}
