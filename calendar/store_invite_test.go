package calendar_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// userRange returns n user ids from first on.
func userRange(first int64, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
	}
	return ids
}

// TestStoreInvitesMoreAccountsThanSQLiteHasVariables is issue 12 item 6: inviting 34,000
// accounts (more than SQLite's 32,766 variables, PostgreSQL's 65,535 parameters / 2) stores
// them all, and the event can then be read, listed by an invitee, answered and synced.
func TestStoreInvitesMoreAccountsThanSQLiteHasVariables(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e, origs := weekly30(t, st, calendar.Private)
		ids := userRange(1000, 34000)
		if _, err := st.Invite(ctx, alice, e.ID, ids, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatalf("invite 34,000: %v", err)
		}
		invitee := calendar.Viewer{UserID: ids[len(ids)-1]}
		if titles := titles(t, st, invitee, march); len(titles) != 5 {
			t.Errorf("the last invitee's March lists %q, want the 5 instances", titles)
		}
		if err := st.Answer(ctx, invitee, e.ID, calendar.ScopeInstance, origs[0], calendar.Yes); err != nil {
			t.Errorf("the last invitee answers: %v", err)
		}
		synced, err := st.OrganizedEvents(ctx, alice.UserID, nil, at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z"))
		if err != nil {
			t.Fatal(err)
		}
		if len(synced) != 1 || len(synced[0].Invitations) != len(ids) {
			t.Fatalf("the sync's read: %d events, want 1 with %d invitations", len(synced), len(ids))
		}
		// The sync saves the whole event back (here with a new title): the invitations stay.
		synced[0].Segments[0].Title = "Synced"
		if err := st.Replace(ctx, synced[0]); err != nil {
			t.Fatalf("replace of the event with 34,000 invitees: %v", err)
		}
		if n := countRows(t, db, "invitations", e.ID); n != int64(len(ids)) {
			t.Errorf("%d invitations stored after the sync's save, want %d", n, len(ids))
		}
	})
}

// TestStoreInviteAboveTheCapStoresNothing: an invitation that would take an event past
// calendar.MaxInvitations is refused as a whole, naming the field, and stores nothing; the
// people already invited stay as they were. (How invitations count: TestInviteAboveTheCap.)
func TestStoreInviteAboveTheCapStoresNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e, _ := weekly30(t, st, calendar.Public)
		_, err := st.Invite(ctx, alice, e.ID, userRange(1000, calendar.MaxInvitations+1), calendar.ScopeAll, time.Time{})
		var ve *calendar.ValidationError
		if !errors.As(err, &ve) || ve.Fields["invitees"] == "" {
			t.Fatalf("inviting %d people: %v, want a validation error on invitees", calendar.MaxInvitations+1, err)
		}
		if n := countRows(t, db, "invitations", e.ID); n != 0 {
			t.Fatalf("%d invitations stored by a refused request", n)
		}
		if _, err := st.Invite(ctx, alice, e.ID, userRange(10, 10), calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		// Ten invited, and one more than the rest of the cap.
		if _, err := st.Invite(ctx, alice, e.ID, userRange(1000, calendar.MaxInvitations-9), calendar.ScopeAll, time.Time{}); !errors.As(err, &ve) {
			t.Fatalf("inviting past the cap: %v, want a validation error", err)
		}
		if n := countRows(t, db, "invitations", e.ID); n != 10 {
			t.Fatalf("%d invitations stored, want the 10 of the first request", n)
		}
	})
}

func countRows(t *testing.T, db *gorm.DB, table string, eventID int64) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Where("event_id = ?", eventID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
