package outlooksync

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/migrations/dbtest"
)

// An awaited split is kept per user and Outlook series, a newer record of the same series
// replacing the older, is neither returned nor kept once it is older than asked, and goes
// with a deleted user.
func TestAwaitedSplitsAreReplacedAndExpire(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		st := NewStore(db)
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		split := func(id, title string, when time.Time) AwaitedSplit {
			return AwaitedSplit{RemoteID: id, EventID: 7, DeletedAt: when,
				Was:       SeriesState{Subject: title, Rule: "FREQ=DAILY;COUNT=4"},
				Shortened: SeriesState{Subject: title, Rule: "FREQ=DAILY;COUNT=2"}}
		}
		if err := st.SaveAwaited(ctx, 1, []AwaitedSplit{split("A", "first", at), split("B", "second", at)}, at.Add(-trimmedKept)); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveAwaited(ctx, 1, []AwaitedSplit{split("A", "first, again", at.Add(time.Hour))}, at.Add(-trimmedKept)); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveAwaited(ctx, 2, []AwaitedSplit{split("A", "someone else's", at)}, at.Add(-trimmedKept)); err != nil {
			t.Fatal(err)
		}
		subjects := func(user int64, since time.Time) map[string]string {
			t.Helper()
			got, err := st.Awaited(ctx, user, since)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, a := range got {
				out[a.RemoteID] = a.Was.Subject
				if a.Shortened.Rule != "FREQ=DAILY;COUNT=2" || a.EventID != 7 {
					t.Errorf("awaited %s came back as %+v", a.RemoteID, a)
				}
			}
			return out
		}
		if got := subjects(1, at.Add(-trimmedKept)); len(got) != 2 || got["A"] != "first, again" || got["B"] != "second" {
			t.Fatalf("awaited splits of user 1 = %v, want A replaced and B", got)
		}
		if got := subjects(1, at.Add(time.Minute)); len(got) != 1 || got["A"] != "first, again" {
			t.Errorf("awaited since a minute later = %v, want only A", got)
		}
		later := at.Add(trimmedKept + 2*time.Hour)
		if err := st.SaveAwaited(ctx, 1, []AwaitedSplit{split("C", "later", later)}, later.Add(-trimmedKept)); err != nil {
			t.Fatal(err)
		}
		var rows int64
		if err := db.Model(&awaitedRow{}).Where("user_id = ?", 1).Count(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if rows != 1 {
			t.Errorf("user 1 keeps %d awaited splits after a day, want only the new one", rows)
		}
		if got := subjects(2, at.Add(-trimmedKept)); len(got) != 1 {
			t.Errorf("user 2's awaited splits = %v, want theirs untouched", got)
		}
		if err := ForgetUser(ctx, db, 2); err != nil {
			t.Fatal(err)
		}
		if got := subjects(2, at.Add(-trimmedKept)); len(got) != 0 {
			t.Errorf("a deleted user's awaited splits stayed: %v", got)
		}
	})
}
