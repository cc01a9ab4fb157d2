package calendar_test

import (
	"context"
	"sync"
	"testing"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// sameAsFresh lists q for v through st and through a new store on db (an empty cache), fails
// when they differ, and returns the titles.
func sameAsFresh(t *testing.T, db *gorm.DB, st *calendar.Store, v calendar.Viewer, q calendar.Query) []string {
	t.Helper()
	got, _, err := st.Occurrences(context.Background(), v, q)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := calendar.NewStore(db).Occurrences(context.Background(), v, q)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := describe(got), describe(want); g != w {
		t.Fatalf("the listing differs from a fresh read:\n%s", lineDiff(g, w))
	}
	return titles(t, st, v, q)
}

// TestStoreListingSeesEditsWithWarmCache holds the listing cache to what the database says:
// after every change, made through Edit or Replace, by this store or by a second store on
// the same database (another app instance), both stores list what a fresh read lists.
func TestStoreListingSeesEditsWithWarmCache(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st, other := calendar.NewStore(db), calendar.NewStore(db)
		e := create(t, st, alice, calendar.EventInput{Title: "Standup", Start: "2026-03-02T09:00:00", End: "2026-03-02T09:15:00",
			RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=5"})
		if _, err := st.SetRSVP(ctx, bob, e.ID, calendar.ScopeAll, at("2026-03-02T08:00:00Z"), calendar.Yes); err != nil {
			t.Fatal(err)
		}
		// expect checks both stores, warm, against a fresh read and against want.
		expect := func(step string, v calendar.Viewer, want ...string) {
			t.Helper()
			for i, s := range []*calendar.Store{st, other} {
				got := sameAsFresh(t, db, s, v, march)
				if len(got) != len(want) {
					t.Fatalf("%s: store %d lists %q, want %q", step, i, got, want)
				}
				for k := range want {
					if got[k] != want[k] {
						t.Fatalf("%s: store %d lists %q, want %q", step, i, got, want)
					}
				}
			}
		}
		expect("created", alice, "03-02 09:00 Standup", "03-09 09:00 Standup", "03-16 09:00 Standup", "03-23 09:00 Standup", "03-30 09:00 Standup")

		if _, _, err := st.Edit(ctx, alice, e.ID, nil, calendar.ScopeAll, at("2026-03-02T08:00:00Z"), calendar.Change{Title: sp("Daily")}); err != nil {
			t.Fatal(err)
		}
		expect("series renamed by this store", alice, "03-02 09:00 Daily", "03-09 09:00 Daily", "03-16 09:00 Daily", "03-23 09:00 Daily", "03-30 09:00 Daily")

		if _, _, err := other.Edit(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-03-09T08:00:00Z"),
			calendar.Change{Title: sp("Late"), Start: wp("2026-03-09T11:00:00"), End: wp("2026-03-09T11:15:00")}); err != nil {
			t.Fatal(err)
		}
		expect("instance moved by the other store", alice, "03-02 09:00 Daily", "03-09 11:00 Late", "03-16 09:00 Daily", "03-23 09:00 Daily", "03-30 09:00 Daily")

		if _, _, err := other.Edit(ctx, alice, e.ID, nil, calendar.ScopeFollowing, at("2026-03-23T08:00:00Z"), calendar.Change{Title: sp("Retro")}); err != nil {
			t.Fatal(err)
		}
		expect("series split by the other store", alice, "03-02 09:00 Daily", "03-09 11:00 Late", "03-16 09:00 Daily", "03-23 09:00 Retro", "03-30 09:00 Retro")

		// The sync's path: a whole event changed in memory and saved with Replace.
		full, err := other.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		full.Segments[0].Title = "Synced"
		full.Overrides = nil
		if err := other.Replace(ctx, full); err != nil {
			t.Fatal(err)
		}
		expect("replaced by the other store", alice, "03-02 09:00 Synced", "03-09 09:00 Synced", "03-16 09:00 Synced", "03-23 09:00 Retro", "03-30 09:00 Retro")
		expect("bob's answer", bob, "03-02 09:00 Synced", "03-09 09:00 Synced", "03-16 09:00 Synced", "03-23 09:00 Retro", "03-30 09:00 Retro")

		// Made private, the event leaves bob's listing though both caches hold its segments.
		private := calendar.Private
		if _, _, err := st.Edit(ctx, alice, e.ID, nil, calendar.ScopeAll, at("2026-03-02T08:00:00Z"), calendar.Change{Privacy: &private}); err != nil {
			t.Fatal(err)
		}
		expect("made private", bob)
	})
}

// TestStoreListingConcurrentWithEdits lists from several goroutines through one store while
// another edits (run with -race), then checks the listing against a fresh read.
func TestStoreListingConcurrentWithEdits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := calendar.NewStore(db)
		var ids []int64
		for _, title := range []string{"A", "B", "C", "D"} {
			ids = append(ids, create(t, st, alice, calendar.EventInput{Title: title, Start: "2026-03-02T09:00:00", End: "2026-03-02T10:00:00",
				RRule: "FREQ=DAILY;COUNT=40"}).ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := 0; g < 3; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 5; i++ {
					if _, _, err := st.Occurrences(ctx, alice, march); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		for i, id := range ids {
			title := "Edited"
			if _, _, err := st.Edit(ctx, alice, id, nil, calendar.ScopeInstance, at("2026-03-10T08:00:00Z").AddDate(0, 0, i),
				calendar.Change{Title: &title}); err != nil {
				t.Fatal(err)
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		sameAsFresh(t, db, st, alice, march)
	})
}
