package app

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// createdID is the event a create redirected to.
func createdID(t *testing.T, res *http.Response) int64 {
	t.Helper()
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/events/"), 10, 64)
	if err != nil {
		t.Fatalf("create goes to %q: %v", loc, err)
	}
	return id
}

// The new-event form invites colleagues named by address or by name, and the event is
// stored with them invited to every instance in the one create (version 1: no update after
// it, so the organizer's Outlook sends one invitation).
func TestNewEventFormInvitesByAddressAndName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		alice := h.as("alice@example.com")
		_, body := alice.page("/events/new?date=2026-03-04&time=14:00")
		if !strings.Contains(body, `<label for="invitees">Invite people</label>`) {
			t.Fatal("the new-event form has no Invite people field")
		}
		form := formOf(t, body)
		form.Set("title", "Planning")
		form.Set("freq", "weekly")
		form.Set("ends", "count")
		form.Set("count", "3")
		form.Set("invitees", "Bob Baker <BOB@example.com>; carol chen, alice@example.com")
		res, body := alice.submit("/events/new", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: status %d:\n%s", res.StatusCode, body)
		}
		e := h.reload(createdID(t, res))
		if e.Version != 1 {
			t.Errorf("the event is at version %d: it was changed after the create", e.Version)
		}
		invited := map[int64]bool{}
		for _, in := range e.Invitations {
			if in.Instance != nil {
				t.Errorf("invitation of user %d to one instance, want all instances", in.UserID)
			}
			invited[in.UserID] = true
		}
		bob, carol := h.users["bob@example.com"].ID, h.users["carol@example.com"].ID
		if len(e.Invitations) != 2 || !invited[bob] || !invited[carol] {
			t.Fatalf("invitations %+v, want Bob and Carol (the organizer is not her own invitee)", e.Invitations)
		}
		_, page := alice.page(res.Header.Get("Location"))
		if !strings.Contains(page, "Event created. Invited Bob Baker and Carol Chen.") {
			t.Error("the event's page does not say who was invited")
		}
		// Bob sees every instance in his calendar.
		occ, _, err := h.app.store.Occurrences(t.Context(), calendar.Viewer{UserID: bob}, calendar.Query{From: at("2026-03-01T00:00:00Z"), To: at("2026-04-01T00:00:00Z")})
		if err != nil {
			t.Fatal(err)
		}
		if len(occ) != 3 {
			t.Errorf("Bob's calendar holds %d instances of the invitation, want 3", len(occ))
		}
	})
}

// Names that fit nobody, or more than one person, are named in the field's message; the form
// comes back with everything typed, and nothing is stored.
func TestNewEventFormRefusesUnknownInvitees(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	_, body := alice.page("/events/new?date=2026-03-04")
	base := formOf(t, body)
	tests := []struct {
		name, invitees string
		want           []string
	}{
		{"unknown address and name", "bob@example.com, zed@example.com, Nobody Known",
			[]string{"Nobody on this site has the name or address “zed@example.com” and “Nobody Known”."}},
		{"a name of two people", "a",
			[]string{"“a” could be Ada Admin (admin@example.com) or Alice Andersen (alice@example.com): write the e-mail address."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range base {
				form[k] = v
			}
			form.Set("title", "Kept <title>")
			form.Set("location", "Room 7")
			form.Set("invitees", tt.invitees)
			res, body := alice.submit("/events/new", form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(body, `id="invitees-err"`) {
				t.Fatal("no message next to the Invite people field")
			}
			for _, w := range tt.want {
				if !strings.Contains(html.UnescapeString(body), w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if fieldValue(t, body, "title") != "Kept <title>" || fieldValue(t, body, "location") != "Room 7" || fieldValue(t, body, "invitees") != tt.invitees {
				t.Error("the form came back without what was typed")
			}
		})
	}
	occ, _, err := h.app.store.Occurrences(t.Context(), calendar.Viewer{UserID: h.users["alice@example.com"].ID},
		calendar.Query{From: at("2026-03-01T00:00:00Z"), To: at("2026-04-01T00:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	if len(occ) != 0 {
		t.Errorf("a refused form stored %d instances", len(occ))
	}
}
