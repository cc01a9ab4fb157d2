package calendar_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// Publishing reads a space whole, with no viewer: its members and every live event with
// instances in the window, another member's private event too (the publisher filters per
// member); events outside the window, deleted ones and another calendar's are left out, and a
// space that is gone is not found.
func TestPublishedSpaceReadsTheSpaceForEveryMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := t.Context()
		choir := newSpace(t, st, alice, "Choir", calendar.SpacePrivate)
		if err := st.AddSpaceMembers(ctx, alice, choir.ID, []int64{bob.UserID}, calendar.RoleMember); err != nil {
			t.Fatal(err)
		}
		weekly := spaceEvent(t, st, alice, choir, calendar.EventInput{Title: "Rehearsal", Start: "2026-03-02T18:00:00", RRule: "FREQ=WEEKLY;BYDAY=MO"})
		private := spaceEvent(t, st, bob, choir, calendar.EventInput{Title: "Solo lesson", Start: "2026-03-04T10:00:00", Privacy: calendar.Private})
		spaceEvent(t, st, alice, choir, calendar.EventInput{Title: "Last year", Start: "2025-03-04T10:00:00"})
		gone := spaceEvent(t, st, alice, choir, calendar.EventInput{Title: "Cancelled", Start: "2026-03-05T10:00:00"})
		if _, err := st.Delete(ctx, alice, gone.ID, nil, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		got, err := st.PublishedSpace(ctx, choir.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if got.Space.Name != "Choir" || len(got.Members) != 2 || got.Space.Members != 2 {
			t.Fatalf("space %+v members %+v", got.Space, got.Members)
		}
		var ids []int64
		for _, e := range got.Events {
			ids = append(ids, e.ID)
		}
		if len(ids) != 2 || ids[0] != weekly.ID || ids[1] != private.ID {
			t.Fatalf("events %v, want the series and the private event (%d, %d)", ids, weekly.ID, private.ID)
		}
		if _, err := st.PublishedSpace(ctx, choir.ID+1000, from, to); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("a space that does not exist: %v, want not found", err)
		}
	})
}
