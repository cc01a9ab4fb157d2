package app

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// addPeople stores n accounts p0@people.test, p1@people.test, ... and returns their
// addresses and ids. One statement makes them in the database: built row by row in Go they
// took most of the test's time (47 s of 112 under the race detector on SQLite).
func addPeople(t *testing.T, db *gorm.DB, n int) ([]string, []int64) {
	t.Helper()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Exec(`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?)
		INSERT INTO users (email, name, password_hash, is_admin, time_zone, created_at, updated_at)
		SELECT 'p' || i || '@people.test', 'Person ' || i, '', false, 'Europe/Berlin', ?, ? FROM seq`, n, now, now).Error
	if err != nil {
		t.Fatal(err)
	}
	var us []accounts.User
	if err := db.Select("id", "email").Where("email LIKE ?", "%@people.test").Find(&us).Error; err != nil {
		t.Fatal(err)
	}
	if len(us) != n {
		t.Fatalf("%d people stored, want %d", len(us), n)
	}
	slices.SortFunc(us, func(a, b accounts.User) int { return cmp.Compare(a.ID, b.ID) })
	emails := make([]string, n)
	ids := make([]int64, n)
	for i, u := range us {
		emails[i], ids[i] = u.Email, u.ID
	}
	return emails, ids
}

func invitationRows(t *testing.T, db *gorm.DB, eventID int) int64 {
	t.Helper()
	var n int64
	if err := db.Table("invitations").Where("event_id = ?", eventID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAPIInvites34000People is issue 12 item 6: inviting 34,000 accounts (more than SQLite's
// 32,766 variables in one IN list) answers 200 with them all, the event can be read again,
// and the organizer's Outlook sync finds every invitee's address.
func TestAPIInvites34000People(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		const n = 34000
		emails, ids := addPeople(t, db, n)
		ev := h.mustDo("alice@example.com", "POST", "/api/v1/events", map[string]any{
			"title": "All hands", "start": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00", "timeZone": "Europe/Berlin",
		}, http.StatusCreated)
		id := int(ev["id"].(float64))
		path := "/api/v1/events/" + itoa(id)

		out := h.mustDo("alice@example.com", "POST", path+"/invitations", map[string]any{"emails": emails}, http.StatusOK)
		if inv := out["invitations"].([]any); len(inv) != n {
			t.Fatalf("the answer lists %d invitations, want %d", len(inv), n)
		}
		got := h.mustDo("alice@example.com", "GET", path, nil, http.StatusOK)
		inv := got["invitations"].([]any)
		if len(inv) != n {
			t.Fatalf("GET lists %d invitations, want %d", len(inv), n)
		}
		if last := inv[n-1].(map[string]any); last["email"] != emails[n-1] {
			t.Errorf("last invitation = %v, want %s by name", last, emails[n-1])
		}

		addrs, err := h.app.people.Emails(context.Background(), ids)
		if err != nil {
			t.Fatalf("the sync's look-up of the invitees' addresses: %v", err)
		}
		if len(addrs) != n {
			t.Errorf("the sync found %d addresses, want %d", len(addrs), n)
		}
	})
}

// TestAPIInviteRefusedWholeStoresNothing: an invitation naming an unknown address, or more
// people than an event may have, is a 422 on the field and invites nobody.
func TestAPIInviteRefusedWholeStoresNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		ev := h.mustDo("alice@example.com", "POST", "/api/v1/events", map[string]any{"title": "Plan", "start": "2026-03-02T09:00:00"}, http.StatusCreated)
		id := int(ev["id"].(float64))
		path := "/api/v1/events/" + itoa(id) + "/invitations"

		out := h.mustDo("alice@example.com", "POST", path, map[string]any{
			"emails": []string{"bob@example.com", "carol@example.com", "nobody@example.com"}}, http.StatusUnprocessableEntity)
		if f := out["error"].(map[string]any)["fields"].(map[string]any); f["emails[2]"] == nil {
			t.Errorf("fields = %v, want emails[2] named", f)
		}

		many := make([]string, calendar.MaxInvitations+1)
		for i := range many {
			many[i] = fmt.Sprintf("%d@x", i) // short: the body stays under the 1 MiB limit
		}
		out = h.mustDo("alice@example.com", "POST", path, map[string]any{"emails": many}, http.StatusUnprocessableEntity)
		if f := out["error"].(map[string]any)["fields"].(map[string]any); f["emails"] == nil {
			t.Errorf("fields = %v, want emails named", f)
		}
		out = h.mustDo("alice@example.com", "POST", "/api/v1/events", map[string]any{"title": "Plan", "start": "2026-03-02T09:00:00",
			"invitees": make([]map[string]any, calendar.MaxInvitations+1)}, http.StatusUnprocessableEntity)
		if f := out["error"].(map[string]any)["fields"].(map[string]any); f["invitees"] == nil {
			t.Errorf("create: fields = %v, want invitees named", f)
		}
		if n := invitationRows(t, db, id); n != 0 {
			t.Errorf("%d invitations stored by refused requests", n)
		}
	})
}
