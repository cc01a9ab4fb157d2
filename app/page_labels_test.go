package app

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// The event form sets a colour and a reminder; the details page and the month show them to
// the organizer only; an edit of all instances changes them and keeps the categories named
// in Outlook; an edit of one instance leaves them alone.
func TestEventFormColourAndReminder(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	_, body := alice.page("/events/new?date=2026-03-04&time=14:00")
	form := formOf(t, body)
	if form.Get("reminder") != "15" || form.Get("colour") != "" {
		t.Fatalf("a new event starts with reminder %q and colour %q, want Outlook's 15 minutes and none", form.Get("reminder"), form.Get("colour"))
	}
	form.Set("title", "Design review")
	form.Set("colour", "blue")
	form.Set("reminder", "30")
	res, body := alice.submit("/events/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d:\n%s", res.StatusCode, body)
	}
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/events/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	e := h.reload(id)
	if !slices.Equal(e.Categories, []string{"Blue category"}) || e.Reminder != (calendar.Reminder{On: true, Minutes: 30}) {
		t.Fatalf("stored %q, %+v", e.Categories, e.Reminder)
	}
	if _, page := alice.page(loc); !strings.Contains(page, "Blue category") || !strings.Contains(page, "30 minutes before") {
		t.Error("the details page does not show the category and the reminder")
	}
	if _, month := alice.page("/calendar?view=month&date=2026-03-04"); !strings.Contains(month, "ev-colour-blue") {
		t.Error("the month does not colour the event")
	}

	// A category named in Outlook, then an edit of all instances here.
	cats := []string{"Blue category", "Project X"}
	if _, _, err := h.app.store.Edit(t.Context(), calendar.Viewer{UserID: h.users["alice@example.com"].ID}, id, nil, calendar.ScopeAll, e.Segments[0].Start.UTC(), calendar.Change{Categories: &cats}); err != nil {
		t.Fatal(err)
	}
	inst := e.Segments[0].Start.UTC().Format("2006-01-02T15:04:05Z")
	_, body = alice.page(editPath(id, inst, "all"))
	if !strings.Contains(body, "Also filed in Outlook under: Project X") {
		t.Error("the edit form does not show the other category")
	}
	form = formOf(t, body)
	form.Set("colour", "green")
	form.Set("reminder", "none")
	if res, body := alice.submit("/events/"+itoa64(id)+"/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: status %d:\n%s", res.StatusCode, body)
	}
	if e = h.reload(id); !slices.Equal(e.Categories, []string{"Green category", "Project X"}) || e.Reminder.On {
		t.Fatalf("after the edit: %q, %+v; want green with Project X kept, and no reminder", e.Categories, e.Reminder)
	}

	// Bob, invited, sees neither.
	if _, err := h.app.store.Invite(t.Context(), calendar.Viewer{UserID: h.users["alice@example.com"].ID}, id, []int64{h.users["bob@example.com"].ID}, calendar.ScopeAll, e.Segments[0].Start); err != nil {
		t.Fatal(err)
	}
	bob := h.as("bob@example.com")
	if _, page := bob.page(loc); strings.Contains(page, "Green category") || strings.Contains(page, "Project X") || strings.Contains(page, "Reminder") {
		t.Error("the invitee sees the organizer's categories or reminder")
	}
	if _, month := bob.page("/calendar?view=month&date=2026-03-04"); strings.Contains(month, "ev-colour-") {
		t.Error("the invitee's month shows the organizer's colour")
	}
}
