package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

var undoToken = regexp.MustCompile(`<form method="post" action="/undo" class="undo" id="undo-form" data-undo-seconds="(\d+)">\s*` +
	`<input type="hidden" name="csrf_token" value="[^"]+">\s*<input type="hidden" name="token" value="([^"]+)">\s*<button type="submit" class="btn">Undo</button>`)

// undoHarness is seriesHarness with Bob's answers (yes to all, no to 30 March) and the
// event's colour, so that an undo has everything to put back.
func undoHarness(t *testing.T, db *gorm.DB) (*pageHarness, *calendar.Event) {
	h, e := seriesHarness(t, db)
	bob := calendar.Viewer{UserID: h.users["bob@example.com"].ID}
	if err := h.app.store.Answer(t.Context(), bob, e.ID, calendar.ScopeAll, time.Time{}, calendar.Yes); err != nil {
		t.Fatal(err)
	}
	if err := h.app.store.Answer(t.Context(), bob, e.ID, calendar.ScopeInstance, at("2026-03-30T07:00:00Z"), calendar.No); err != nil {
		t.Fatal(err)
	}
	cats := []string{"Green category"}
	cv := calendar.Viewer{UserID: h.users["alice@example.com"].ID}
	if _, _, err := h.app.store.Edit(t.Context(), cv, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Categories: &cats}); err != nil {
		t.Fatal(err)
	}
	return h, h.reload(e.ID)
}

// seenBy lists what Alice and Bob see of the event from March to June, with their answers.
func (h *pageHarness) seenBy(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, who := range []string{"alice@example.com", "bob@example.com"} {
		occ, _, err := h.app.store.Occurrences(t.Context(), calendar.Viewer{UserID: h.users[who].ID},
			calendar.Query{From: at("2026-03-01T00:00:00Z"), To: at("2026-07-01T00:00:00Z")})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range occ {
			out = append(out, fmt.Sprintf("%s: %s %s @%s %q %q", who, o.Start.Format(time.RFC3339), o.Title, o.Location, o.RSVP, o.Categories))
		}
	}
	return out
}

// deleteFromPage deletes as the details page does and returns the page the browser lands
// on and the token of its Undo button.
func deleteFromPage(t *testing.T, b *browser, id int64, instance, scope string) (string, string) {
	t.Helper()
	res, body := b.submit("/events/"+itoa64(id)+"/delete", url.Values{"instance": {instance}, "scope": {scope}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete %s: status %d:\n%s", scope, res.StatusCode, body)
	}
	_, page := b.page(res.Header.Get("Location"))
	m := undoToken.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page after the delete has no Undo button with the CSRF token:\n%s", page)
	}
	if m[1] != "30" {
		t.Errorf("the Undo button says %s seconds are left, want 30", m[1])
	}
	return page, m[2]
}

func TestUndoAfterADeleteFromThePagePutsTheEventBack(t *testing.T) {
	for _, tt := range []struct{ scope, instance, flash string }{
		{"instance", "2026-03-23T08:00:00Z", "Deleted “Standup” on Monday 23 March."},
		{"following", "2026-03-23T08:00:00Z", "Deleted “Standup” from Monday 23 March on."},
		{"all", "2026-03-23T08:00:00Z", "Deleted the event “Standup”."},
	} {
		t.Run(tt.scope, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				h, e := undoHarness(t, db)
				alice := h.as("alice@example.com")
				before := h.seenBy(t)
				page, token := deleteFromPage(t, alice, e.ID, tt.instance, tt.scope)
				if !strings.Contains(page, tt.flash) {
					t.Errorf("the flash does not say %q", tt.flash)
				}
				if slices.Equal(h.seenBy(t), before) {
					t.Fatal("the delete changed nothing")
				}
				res, body := alice.submit("/undo", url.Values{"token": {token}})
				if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != instanceURL(e.ID, tt.instance) {
					t.Fatalf("undo: status %d to %q:\n%s", res.StatusCode, res.Header.Get("Location"), body)
				}
				if _, page := alice.page(res.Header.Get("Location")); !strings.Contains(page, "Restored “Standup”.") {
					t.Error("the instance's page does not say the event was restored")
				}
				if after := h.seenBy(t); !slices.Equal(after, before) {
					t.Errorf("after the undo:\n %s\nwant\n %s", strings.Join(after, "\n "), strings.Join(before, "\n "))
				}
				if got := h.reload(e.ID); got.Version != e.Version+2 || got.DeletedAt != nil {
					t.Errorf("version %d deleted %v, want %d and live", got.Version, got.DeletedAt, e.Version+2)
				}
				// The page after shows no Undo button again.
				if _, page := alice.page("/calendar"); undoToken.MatchString(page) {
					t.Error("the Undo button shows again on the next page")
				}
			})
		})
	}
}

func TestUndoFromThePageIsRefusedWithAReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, e := undoHarness(t, db)
		alice, bob := h.as("alice@example.com"), h.as("bob@example.com")
		refused := func(b *browser, token string, status int, msg string) {
			t.Helper()
			res, body := b.submit("/undo", url.Values{"token": {token}})
			if res.StatusCode != status || !strings.Contains(body, msg) {
				t.Errorf("undo: status %d, want %d saying %q:\n%s", res.StatusCode, status, msg, body)
			}
		}

		// Late: the button stays on a page loaded in time, but the server refuses it.
		_, token := deleteFromPage(t, alice, e.ID, "2026-03-23T08:00:00Z", "instance")
		h.clock.Advance(calendar.UndoWindow)
		refused(alice, token, http.StatusGone, "It is too late to undo this delete: a delete can be undone for 30 seconds.")
		// Another person, even one invited to the event: as if there were no such undo.
		_, token = deleteFromPage(t, alice, e.ID, "2026-03-30T07:00:00Z", "instance")
		refused(bob, token, http.StatusNotFound, "There is nothing to undo")
		// A change made after the delete.
		cv := calendar.Viewer{UserID: h.users["alice@example.com"].ID}
		if _, _, err := h.app.store.Edit(t.Context(), cv, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: sp("Room 5")}); err != nil {
			t.Fatal(err)
		}
		refused(alice, token, http.StatusConflict, "the event was changed or answered after it")
		// Without the CSRF token nothing is undone.
		_, token = deleteFromPage(t, alice, e.ID, "2026-04-06T07:00:00Z", "instance")
		res := alice.postForm("/undo", url.Values{"token": {token}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("undo without the CSRF token: status %d, want 403", res.StatusCode)
		}
		if _, cancelled, _ := h.reload(e.ID).Instance(cv, at("2026-04-06T07:00:00Z")); !cancelled {
			t.Error("an undo without the CSRF token put the instance back")
		}
		refused(alice, "", http.StatusBadRequest, "The form names no delete to undo.")

		// A page opened after the time shows no button.
		h.clock.Advance(calendar.UndoWindow)
		res, _ = alice.submit("/events/"+itoa64(e.ID)+"/delete", url.Values{"instance": {"2026-04-13T07:00:00Z"}, "scope": {"instance"}})
		h.clock.Advance(calendar.UndoWindow)
		if _, page := alice.page(res.Header.Get("Location")); undoToken.MatchString(page) || !strings.Contains(page, "Deleted “Standup” on Monday 13 April.") {
			t.Error("a page opened after the undo's time still offers it, or lost the flash")
		}
	})
}

func sp(s string) *string { return &s }

func TestUndoThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, e := undoHarness(t, db)
		alice := apiClient(t, h.app, h.users["alice@example.com"])
		bob := apiClient(t, h.app, h.users["bob@example.com"])
		before := h.seenBy(t)
		res := alice.do(http.MethodDelete, "/api/v1/events/"+itoa64(e.ID)+"?scope=following&instance=2026-03-23T08:00:00Z", nil, nil)
		var del struct {
			Deleted, EventDeleted bool
			UndoToken, UndoUntil  string
		}
		if err := json.NewDecoder(res.Body).Decode(&del); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("delete: %d %v", res.StatusCode, err)
		}
		if !del.Deleted || del.EventDeleted || del.UndoToken == "" || del.UndoUntil != h.clock.Now().Add(calendar.UndoWindow).UTC().Format(time.RFC3339) {
			t.Fatalf("delete answered %+v", del)
		}
		if res := bob.do(http.MethodPost, "/api/v1/undo/"+del.UndoToken, nil, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("undo by Bob: %d, want 404", res.StatusCode)
		}
		// A session must send its CSRF token.
		session := h.as("alice@example.com")
		if res := session.do(http.MethodPost, "/api/v1/undo/"+del.UndoToken, nil, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("undo by a session without the CSRF header: %d, want 403", res.StatusCode)
		}
		res = alice.do(http.MethodPost, "/api/v1/undo/"+del.UndoToken, nil, nil)
		var ev struct {
			ID       int64
			Segments []any
		}
		if err := json.NewDecoder(res.Body).Decode(&ev); err != nil || res.StatusCode != http.StatusOK || ev.ID != e.ID || len(ev.Segments) != 1 {
			t.Fatalf("undo: %d %v %+v", res.StatusCode, err, ev)
		}
		if after := h.seenBy(t); !slices.Equal(after, before) {
			t.Errorf("after the undo:\n %s\nwant\n %s", strings.Join(after, "\n "), strings.Join(before, "\n "))
		}
		res = alice.do(http.MethodPost, "/api/v1/undo/"+del.UndoToken, nil, nil)
		if res.StatusCode != http.StatusNotFound || apiErr(t, res).Code != "not_found" {
			t.Errorf("a second undo: %d, want 404", res.StatusCode)
		}
		res = alice.do(http.MethodDelete, "/api/v1/events/"+itoa64(e.ID)+"?scope=all", nil, nil)
		if err := json.NewDecoder(res.Body).Decode(&del); err != nil || !del.EventDeleted {
			t.Fatalf("delete all: %d %v %+v", res.StatusCode, err, del)
		}
		h.clock.Advance(calendar.UndoWindow + time.Second)
		res = alice.do(http.MethodPost, "/api/v1/undo/"+del.UndoToken, nil, nil)
		if res.StatusCode != http.StatusGone || apiErr(t, res).Code != "undo_expired" {
			t.Errorf("a late undo: %d, want 410 undo_expired", res.StatusCode)
		}
	})
}
