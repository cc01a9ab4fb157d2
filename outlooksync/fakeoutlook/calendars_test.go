package fakeoutlook

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Tests of a mailbox's secondary calendars (calendars.go), after user-list-calendars.md,
// user-post-calendars.md, calendar-get.md, calendar-update.md and calendar-delete.md.

// newCalendar creates a calendar through Graph and returns its id.
func (f *fixture) newCalendar(tok, user, name string) string {
	f.t.Helper()
	r := f.must(http.StatusCreated, call{method: "POST", path: user + "/calendars", token: tok, body: map[string]any{"name": name}})
	return r.json(f.t)["id"].(string)
}

// A mailbox lists its default calendar and those it created; a calendar is created, read,
// renamed and deleted, a name already in use is refused whatever its case, and the default
// calendar stays.
func TestCalendarsAreListedCreatedChangedAndDeleted(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	list := values(t, f.must(http.StatusOK, call{method: "GET", path: "/me/calendars", token: tok}).json(t))
	if len(list) != 1 || list[0]["name"] != "Calendar" || list[0]["isDefaultCalendar"] != true || list[0]["color"] != "auto" {
		t.Fatalf("a new mailbox's calendars: %v", list)
	}
	defaultID := list[0]["id"].(string)
	if got := f.must(http.StatusOK, call{method: "GET", path: "/me/calendar", token: tok}).json(t); got["id"] != defaultID || got["isDefaultCalendar"] != true {
		t.Errorf("GET /me/calendar: %v", got)
	}

	created := f.must(http.StatusCreated, call{method: "POST", path: "/me/calendars", token: tok, body: map[string]any{"name": "Space: Choir"}}).json(t)
	owner, _ := created["owner"].(map[string]any)
	if created["name"] != "Space: Choir" || created["isDefaultCalendar"] != false || created["color"] != "auto" ||
		created["canEdit"] != true || created["canShare"] != true || created["canViewPrivateItems"] != true ||
		created["changeKey"] == "" || owner["address"] != "ada@example.com" || owner["name"] != "Ada" {
		t.Fatalf("created calendar: %v", created)
	}
	id := created["id"].(string)
	path := "/me/calendars/" + url.PathEscape(id)

	for _, name := range []string{"space: choir", "CALENDAR"} {
		r := f.do(call{method: "POST", path: "/me/calendars", token: tok, body: map[string]any{"name": name}})
		if r.status != http.StatusConflict || errorCode(t, r) != "ErrorFolderExists" {
			t.Errorf("a second calendar named %q: %d %s", name, r.status, r.body)
		}
	}
	if r := f.do(call{method: "POST", path: "/me/calendars", token: tok, body: map[string]any{"name": " "}}); r.status != http.StatusBadRequest {
		t.Errorf("a calendar without a name: %d %s", r.status, r.body)
	}

	got := f.must(http.StatusOK, call{method: "GET", path: path, token: tok}).json(t)
	if got["name"] != "Space: Choir" || got["changeKey"] != created["changeKey"] {
		t.Errorf("GET calendar: %v", got)
	}
	patched := f.must(http.StatusOK, call{method: "PATCH", path: path, token: tok, body: map[string]any{"name": "Space: Band", "color": "lightTeal"}}).json(t)
	if patched["name"] != "Space: Band" || patched["color"] != "lightTeal" || patched["changeKey"] == created["changeKey"] {
		t.Errorf("PATCH calendar: %v", patched)
	}
	if cals, err := f.fake.Calendars("ada@example.com"); err != nil || len(cals) != 2 || !cals[0].IsDefault || cals[1].Name != "Space: Band" {
		t.Errorf("Calendars: %v %+v", err, cals)
	}

	if r := f.do(call{method: "DELETE", path: "/me/calendars/" + url.PathEscape(defaultID), token: tok}); r.status != http.StatusBadRequest || errorCode(t, r) != "ErrorInvalidRequest" {
		t.Errorf("deleting the default calendar: %d %s", r.status, r.body)
	}
	f.must(http.StatusNoContent, call{method: "DELETE", path: path, token: tok})
	for _, m := range []string{"GET", "DELETE"} {
		if r := f.do(call{method: m, path: path, token: tok}); r.status != http.StatusNotFound || errorCode(t, r) != "ErrorItemNotFound" {
			t.Errorf("%s of a deleted calendar: %d %s", m, r.status, r.body)
		}
	}
	if n := f.fake.RequestCount("ada@example.com", EndpointCreateCalendar); n != 4 {
		t.Errorf("request log: %d calendar creates, want 4", n)
	}
}

// A series with an exception and a deleted occurrence lives in its calendar only: read back
// there through calendarView and instances, absent from the default calendar's events,
// calendarView and delta.
func TestEventsOfASecondaryCalendarStayInIt(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	calID := f.newCalendar(tok, "/me", "Space: Choir")
	cal := "/users/ada@example.com/calendars/" + url.PathEscape(calID)

	master := f.must(http.StatusCreated, call{method: "POST", path: cal + "/events", token: tok, body: weeklySeries("Rehearsal", "W. Europe Standard Time", nil)}).json(t)
	id := master["id"].(string)
	insts := values(t, f.must(http.StatusOK, call{method: "GET", path: cal + "/events/" + url.PathEscape(id) + "/instances?" + january, token: tok}).json(t))
	if len(insts) != 4 {
		t.Fatalf("%d instances in January, want 4", len(insts))
	}
	f.must(http.StatusOK, call{method: "PATCH", path: cal + "/events/" + url.PathEscape(insts[1]["id"].(string)), token: tok,
		body: map[string]any{"subject": "Rehearsal (hall)"}})
	f.must(http.StatusNoContent, call{method: "DELETE", path: cal + "/events/" + url.PathEscape(insts[2]["id"].(string)), token: tok})

	view := values(t, f.must(http.StatusOK, call{method: "GET", path: cal + "/calendarView?" + january, token: tok}).json(t))
	if want := []string{"Rehearsal", "Rehearsal (hall)", "Rehearsal"}; !slices.Equal(subjects(view), want) {
		t.Errorf("the calendar's calendarView: %v, want %v", subjects(view), want)
	}
	insts = values(t, f.must(http.StatusOK, call{method: "GET", path: cal + "/events/" + url.PathEscape(id) + "/instances?" + january, token: tok}).json(t))
	if got := byType(insts); got["exception"] != 1 || got["occurrence"] != 2 {
		t.Errorf("the calendar's instances: %v", got)
	}
	if got, err := f.fake.EventsIn("ada@example.com", calID); err != nil || len(got) != 1 || len(got[0].CancelledOccurrences) != 1 {
		t.Errorf("EventsIn: %v %+v", err, got)
	}

	if got := values(t, f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: tok}).json(t)); len(got) != 0 {
		t.Errorf("the default calendar's events show %v", subjects(got))
	}
	for _, p := range []string{"/me/calendarView?" + january, "/me/calendar/calendarView?" + january} {
		if got := values(t, f.must(http.StatusOK, call{method: "GET", path: p, token: tok}).json(t)); len(got) != 0 {
			t.Errorf("%s shows %v", p, subjects(got))
		}
	}
	if items, _, _ := f.deltaRound(tok, "/me/calendarView/delta?"+deltaWindow, ""); len(items) != 0 {
		t.Errorf("the default calendar's delta shows %d items", len(items))
	}
	if got, _ := f.fake.Events("ada@example.com"); len(got) != 0 {
		t.Errorf("Events shows the calendar's events: %+v", got)
	}
	// An id of another calendar is not found through the default one (stricter than Graph,
	// which finds an item by id in any folder of the mailbox).
	f.must(http.StatusNotFound, call{method: "GET", path: "/me/events/" + url.PathEscape(id), token: tok})
}

// Delta on a secondary calendar has its own tokens: a later round reports a change and a
// deletion there, and a token of one calendar is refused on another.
func TestDeltaOfASecondaryCalendar(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	cal := "/me/calendars/" + url.PathEscape(f.newCalendar(tok, "/me", "Space: Choir"))
	single := map[string]any{"subject": "Concert", "start": map[string]any{"dateTime": "2025-01-10T19:00:00", "timeZone": "UTC"},
		"end": map[string]any{"dateTime": "2025-01-10T21:00:00", "timeZone": "UTC"}}
	concert := f.must(http.StatusCreated, call{method: "POST", path: cal + "/events", token: tok, body: single}).json(t)["id"].(string)
	single["subject"] = "Party"
	party := f.must(http.StatusCreated, call{method: "POST", path: cal + "/events", token: tok, body: single}).json(t)["id"].(string)

	items, link, _ := f.deltaRound(tok, cal+"/calendarView/delta?"+deltaWindow, "")
	if len(items) != 2 || link == "" {
		t.Fatalf("first round: %d items, delta link %q", len(items), link)
	}
	if u, _ := url.Parse(link); u == nil || u.Path != "/v1.0"+cal+"/calendarView/delta" {
		t.Errorf("delta link %s does not name the calendar", link)
	}
	_, defaultLink, _ := f.deltaRound(tok, "/me/calendarView/delta?"+deltaWindow, "")

	f.must(http.StatusOK, call{method: "PATCH", path: cal + "/events/" + url.PathEscape(concert), token: tok, body: map[string]any{"subject": "Concert (sold out)"}})
	f.must(http.StatusNoContent, call{method: "DELETE", path: cal + "/events/" + url.PathEscape(party), token: tok})
	items, _, _ = f.deltaRound(tok, link, "")
	if got := byType(items); len(items) != 2 || got["removed"] != 1 || got["singleInstance"] != 1 {
		t.Errorf("second round: %v", items)
	}
	if items, _, _ := f.deltaRound(tok, defaultLink, ""); len(items) != 0 {
		t.Errorf("the default calendar's delta reports %d changes of another calendar", len(items))
	}

	q, _ := url.Parse(link)
	if r := f.do(call{method: "GET", path: "/me/calendarView/delta?" + q.RawQuery, token: tok}); r.status != http.StatusGone {
		t.Errorf("the calendar's token on the default calendar: %d", r.status)
	}
}

// Deleting a calendar deletes its events: they are gone for every read of it.
func TestDeletingACalendarDeletesItsEvents(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	calID := f.newCalendar(tok, "/me", "Space: Choir")
	cal := "/me/calendars/" + url.PathEscape(calID)
	id := f.must(http.StatusCreated, call{method: "POST", path: cal + "/events", token: tok, body: weeklySeries("Rehearsal", "UTC", nil)}).json(t)["id"].(string)
	f.must(http.StatusNoContent, call{method: "DELETE", path: cal, token: tok})
	for _, p := range []string{cal + "/events", cal + "/events/" + url.PathEscape(id), cal + "/calendarView?" + january, cal + "/calendarView/delta?" + january} {
		if r := f.do(call{method: "GET", path: p, token: tok}); r.status != http.StatusNotFound {
			t.Errorf("GET %s after the calendar was deleted: %d %s", p, r.status, r.body)
		}
	}
	if _, err := f.fake.EventsIn("ada@example.com", calID); err == nil {
		t.Error("EventsIn found the deleted calendar")
	}
}

// An app with the tenant's consent creates a calendar in another user's mailbox and writes
// into it; without consent, or with Calendars.Read, it is refused as for the default calendar.
func TestAppOnlyAccessToASecondaryCalendar(t *testing.T) {
	f := newFixture(t, Options{})
	if _, err := f.fake.AddMailbox("alice@example.com", "Alice"); err != nil {
		t.Fatal(err)
	}
	_, tok := f.appToken(DemoTenantID)
	noRoles := tok["access_token"].(string)
	if r := f.do(call{method: "POST", path: "/users/alice@example.com/calendars", token: noRoles, body: map[string]any{"name": "Space: Choir"}}); r.status != http.StatusUnauthorized {
		t.Errorf("creating a calendar without consent: %d %s", r.status, r.body)
	}

	if err := f.fake.GrantAdminConsent(DemoTenantID, DemoClientID, "Calendars.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	_, tok = f.appToken(DemoTenantID)
	write := tok["access_token"].(string)
	calID := f.newCalendar(write, "/users/alice@example.com", "Space: Choir")
	cal := "/users/alice@example.com/calendars/" + url.PathEscape(calID)
	body := map[string]any{"subject": "Concert", "start": map[string]any{"dateTime": "2025-01-10T19:00:00", "timeZone": "UTC"},
		"end": map[string]any{"dateTime": "2025-01-10T21:00:00", "timeZone": "UTC"}}
	f.must(http.StatusCreated, call{method: "POST", path: cal + "/events", token: write, body: body})
	if got, err := f.fake.EventsIn("alice@example.com", calID); err != nil || len(got) != 1 || got[0].Subject != "Concert" {
		t.Errorf("alice's calendar after the app's write: %v %+v", err, got)
	}
	reqs := f.fake.Requests()
	if last := reqs[len(reqs)-1]; last.Mailbox != "alice@example.com" || last.Endpoint != EndpointCreateEvent {
		t.Errorf("request log: %+v", last)
	}

	if err := f.fake.GrantAdminConsent(DemoTenantID, DemoClientID, "Calendars.Read"); err != nil {
		t.Fatal(err)
	}
	_, tok = f.appToken(DemoTenantID)
	read := tok["access_token"].(string)
	f.must(http.StatusOK, call{method: "GET", path: cal + "/events", token: read})
	f.must(http.StatusOK, call{method: "GET", path: "/users/alice@example.com/calendars", token: read})
	for _, c := range []call{
		{method: "POST", path: cal + "/events", token: read, body: body},
		{method: "PATCH", path: cal, token: read, body: map[string]any{"name": "Space: Band"}},
		{method: "DELETE", path: cal, token: read},
	} {
		if r := f.do(c); r.status != http.StatusForbidden || errorCode(t, r) != "ErrorAccessDenied" {
			t.Errorf("%s %s with Calendars.Read: %d %s", c.method, c.path, r.status, r.body)
		}
	}

	f.fake.RevokeAdminConsent(DemoTenantID, DemoClientID)
	if r := f.do(call{method: "GET", path: cal + "/events", token: read}); r.status != http.StatusUnauthorized {
		t.Errorf("after the consent was revoked: %d %s", r.status, r.body)
	}
	// A delegated user reaches only their own calendars.
	bob := f.token("bob@example.com")
	if r := f.do(call{method: "GET", path: cal + "/events", token: bob}); r.status != http.StatusForbidden {
		t.Errorf("another user's calendar, delegated: %d %s", r.status, r.body)
	}
}

// A secondary calendar, its events and its delta tokens survive a restart.
func TestStateFileKeepsSecondaryCalendars(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	calID := f.newCalendar(tok, "/me", "Space: Choir")
	cal := "/me/calendars/" + url.PathEscape(calID)
	f.must(http.StatusCreated, call{method: "POST", path: cal + "/events", token: tok, body: weeklySeries("Rehearsal", "UTC", nil)})
	_, link, _ := f.deltaRound(tok, cal+"/calendarView/delta?"+deltaWindow, "")

	path := filepath.Join(t.TempDir(), "state.json")
	if err := f.fake.SaveState(path); err != nil {
		t.Fatal(err)
	}
	g := newFixture(t, Options{})
	if err := g.fake.LoadState(path); err != nil {
		t.Fatal(err)
	}
	cals, err := g.fake.Calendars("ada@example.com")
	if err != nil || len(cals) != 2 || cals[1].ID != calID || cals[1].Name != "Space: Choir" {
		t.Fatalf("calendars after a restart: %v %+v", err, cals)
	}
	if got, err := g.fake.EventsIn("ada@example.com", calID); err != nil || len(got) != 1 || got[0].Subject != "Rehearsal" {
		t.Errorf("the calendar's events after a restart: %v %+v", err, got)
	}
	u, _ := url.Parse(link)
	items, _, _ := g.deltaRound(tok, g.graph(cal+"/calendarView/delta?"+u.RawQuery), "")
	if len(items) != 0 {
		t.Errorf("the calendar's delta token after a restart reports %d changes, want none", len(items))
	}
}

// A meeting organised from a secondary calendar invites into the attendee's default calendar,
// and the attendee's answer reaches the organizer's event where it is.
func TestMeetingFromASecondaryCalendar(t *testing.T) {
	f := newFixture(t, Options{})
	ada, bob := f.token("ada@example.com"), f.token("bob@example.com")
	calID := f.newCalendar(ada, "/me", "Space: Choir")
	body := map[string]any{"subject": "Concert", "start": map[string]any{"dateTime": "2025-01-10T19:00:00", "timeZone": "UTC"},
		"end":       map[string]any{"dateTime": "2025-01-10T21:00:00", "timeZone": "UTC"},
		"attendees": []any{map[string]any{"type": "required", "emailAddress": map[string]any{"address": "bob@example.com"}}}}
	f.must(http.StatusCreated, call{method: "POST", path: "/me/calendars/" + url.PathEscape(calID) + "/events", token: ada, body: body})
	copies := values(t, f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: bob}).json(t))
	if len(copies) != 1 || copies[0]["subject"] != "Concert" {
		t.Fatalf("bob's calendar: %v", subjects(copies))
	}
	f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(copies[0]["id"].(string)) + "/accept", token: bob,
		body: map[string]any{"sendResponse": true}})
	got, err := f.fake.EventsIn("ada@example.com", calID)
	if err != nil || len(got) != 1 || len(got[0].Attendees) != 1 || got[0].Attendees[0].Status.Response != "accepted" {
		t.Errorf("ada's event after bob accepted: %v %+v", err, got)
	}
	if m, _ := f.fake.MessagesReceived("ada@example.com"); m.Responses != 1 {
		t.Errorf("ada received %d responses, want 1", m.Responses)
	}
}

// A state file whose calendar has a name the mailbox already has, or whose delta token names a
// calendar the mailbox does not have, is refused.
func TestLoadStateRefusesCalendarsItCannotUse(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	calID := f.newCalendar(tok, "/me", "Space: Choir")
	f.deltaRound(tok, "/me/calendars/"+url.PathEscape(calID)+"/calendarView/delta?"+deltaWindow, "")
	good, err := f.fake.encodeState()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, old, new, want string }{
		{"the default calendar's name", `"name": "Space: Choir"`, `"name": "calendar"`, "already in use"},
		{"a delta token of no calendar", `"calendarId": "` + calID + `"`, `"calendarId": "nope"`, "unknown calendar"},
	} {
		data := bytes.Replace(good, []byte(tt.old), []byte(tt.new), 1)
		if bytes.Equal(data, good) {
			t.Fatalf("%s: the case did not change the file", tt.name)
		}
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := New(Options{}).LoadState(path); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: LoadState: %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}

// The Outlook-UI helpers reach items of a secondary calendar, as a member changing or
// deleting a copy in a space's calendar does, and leave the default calendar alone.
func TestOutlookUIChangesItemsOfASecondaryCalendar(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	calID := f.newCalendar(tok, "/me", "Space: Choir")
	cal := "/users/ada@example.com/calendars/" + url.PathEscape(calID)
	master := f.must(http.StatusCreated, call{method: "POST", path: cal + "/events", token: tok, body: weeklySeries("Rehearsal", "W. Europe Standard Time", nil)}).json(t)
	id := master["id"].(string)
	before, err := f.fake.GetEvent("ada@example.com", id)
	if err != nil {
		t.Fatalf("GetEvent of a secondary calendar's series: %v", err)
	}
	from, to := before.Start.Add(-time.Hour), before.Start.AddDate(0, 1, 0)
	insts, err := f.fake.Instances("ada@example.com", id, from, to)
	if err != nil || len(insts) < 3 {
		t.Fatalf("Instances: %d %v", len(insts), err)
	}
	if _, err := f.fake.UpdateOccurrence("ada@example.com", id, insts[1].OriginalStart, Change{Subject: ptr("Rehearsal (hall)")}); err != nil {
		t.Fatalf("UpdateOccurrence: %v", err)
	}
	if err := f.fake.DeleteOccurrence("ada@example.com", id, insts[2].OriginalStart); err != nil {
		t.Fatalf("DeleteOccurrence: %v", err)
	}
	after, err := f.fake.GetEvent("ada@example.com", id)
	if err != nil || after.ChangeKey == before.ChangeKey || len(after.CancelledOccurrences) != 1 {
		t.Fatalf("after the member's changes: %+v %v, want a new change key and one deleted occurrence", after, err)
	}
	if err := f.fake.DeleteEvent("ada@example.com", id); err != nil {
		t.Fatalf("DeleteEvent: %v", err)
	}
	if got, err := f.fake.EventsIn("ada@example.com", calID); err != nil || len(got) != 0 {
		t.Fatalf("EventsIn after the delete: %+v %v", got, err)
	}
}
