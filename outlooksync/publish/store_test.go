package publish

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/migrations/dbtest"
)

// A published space's targets are made once per member, leased by one holder at a time
// while due, keep the copies of their last run in place of the earlier ones, and go with
// their copies when removed; an unpublished space with targets left is still visited.
func TestPublishStoreTargetsLeasesAndCopies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		st := NewStore(db)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if err := st.SetPublished(ctx, 5, 1, true, now); err != nil {
			t.Fatal(err)
		}
		if on, err := st.Published(ctx, 5); err != nil || !on {
			t.Fatalf("published: %v %v", on, err)
		}
		for range 2 {
			if err := st.EnsureTarget(ctx, 5, 9, now); err != nil {
				t.Fatal(err)
			}
		}
		ts, err := st.Targets(ctx, 5)
		if err != nil || len(ts) != 1 {
			t.Fatalf("targets %+v %v, want one", ts, err)
		}
		tg := ts[0]
		if ok, err := st.Lease(ctx, tg.ID, "a", now, now.Add(time.Minute), false); err != nil || !ok {
			t.Fatalf("first lease: %v %v", ok, err)
		}
		if ok, err := st.Lease(ctx, tg.ID, "b", now, now.Add(time.Minute), false); err != nil || ok {
			t.Fatalf("a second holder got the lease: %v %v", ok, err)
		}
		tg.Mailbox, tg.CalendarID, tg.LastOKAt = "anna@example.com", "CAL1", &now
		first := []Item{{EventID: 1, SegmentUID: "U1", RemoteID: "R1", ChangeKey: "K1", Digest: "d", Schedule: "s"}}
		if err := st.Finish(ctx, tg, first, []HistoryEntry{{UserID: 9, At: now, EventID: 1, Summary: "Published"}}, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if ok, err := st.Lease(ctx, tg.ID, "b", now.Add(time.Minute), now.Add(2*time.Minute), false); err != nil || ok {
			t.Fatalf("leased before it was due: %v %v", ok, err)
		}
		second := []Item{{EventID: 2, SegmentUID: "U2", RemoteID: "R2", ChangeKey: "K2", Digest: "d2", Schedule: "s2"}}
		if err := st.Finish(ctx, tg, second, nil, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		items, err := st.Items(ctx, tg.ID)
		if err != nil || len(items) != 1 || items[0] != second[0] {
			t.Fatalf("items %+v %v, want only the last run's", items, err)
		}
		if err := st.SetPublished(ctx, 5, 1, false, now); err != nil {
			t.Fatal(err)
		}
		if ids, err := st.SpacesToVisit(ctx); err != nil || len(ids) != 1 || ids[0] != 5 {
			t.Fatalf("spaces to visit %v %v, want the unpublished space with a target left", ids, err)
		}
		if err := st.Remove(ctx, tg, []HistoryEntry{{UserID: 9, At: now, Summary: "Unpublished"}}); err != nil {
			t.Fatal(err)
		}
		if items, err := st.Items(ctx, tg.ID); err != nil || len(items) != 0 {
			t.Fatalf("copies left after Remove: %+v %v", items, err)
		}
		if ids, err := st.SpacesToVisit(ctx); err != nil || len(ids) != 0 {
			t.Fatalf("spaces to visit %v %v, want none", ids, err)
		}
		h, err := st.History(ctx, 5, 10)
		if err != nil || len(h) != 2 || h[0].Summary != "Unpublished" {
			t.Fatalf("history %+v %v", h, err)
		}
	})
}
