package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// The quick card holds what the details page offers the viewer: answers with their scopes
// (only this date for an invitee of one instance), delete with its scopes for the organizer,
// and nothing of an event the viewer may not see.
func TestQuickCardOffersWhatTheViewerMayDo(t *testing.T) {
	h, e := seriesHarness(t, dbtest.SQLite(t))
	inst := url.Values{"instance": {"2026-03-16T08:00:00Z"}, "back": {"/calendar?view=week&date=2026-03-16"}}.Encode()
	card := "/events/" + itoa64(e.ID) + "/card?" + inst

	code, body := h.as("alice@example.com").page(card)
	if code != http.StatusOK || strings.Contains(body, "<html") {
		t.Fatalf("organizer's card: %d, a whole page: %v", code, strings.Contains(body, "<html"))
	}
	for _, want := range []string{`id="qcard-title"`, "Standup (demo day)", `action="/events/` + itoa64(e.ID) + `/delete"`,
		`<option value="following">This and following</option>`, `name="back" value="/calendar?date=2026-03-16&amp;view=week"`, "Edit", "Open"} {
		if !strings.Contains(body, want) {
			t.Errorf("organizer's card lacks %q", want)
		}
	}
	if strings.Contains(body, "/rsvp") {
		t.Error("the organizer is asked to answer their own event")
	}

	_, body = h.as("bob@example.com").page(card)
	if !strings.Contains(body, `action="/events/`+itoa64(e.ID)+`/rsvp"`) || !strings.Contains(body, `<option value="all">All instances</option>`) ||
		strings.Contains(body, "/delete") || strings.Contains(body, "/edit?") {
		t.Errorf("invitee's card: answers with scopes, no delete or edit:\n%s", body)
	}

	// An invitee of one instance of a private event answers for that date only.
	priv := h.event("alice@example.com", calendar.EventInput{Title: "Review", Start: "2026-03-03T10:00", End: "2026-03-03T11:00",
		TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;COUNT=4", Privacy: calendar.Private})
	cv := calendar.Viewer{UserID: h.users["alice@example.com"].ID}
	if _, err := h.app.store.Invite(t.Context(), cv, priv.ID, []int64{h.users["carol@example.com"].ID}, calendar.ScopeInstance, at("2026-03-10T09:00:00Z")); err != nil {
		t.Fatal(err)
	}
	_, body = h.as("carol@example.com").page("/events/" + itoa64(priv.ID) + "/card?instance=2026-03-10T09%3A00%3A00Z")
	if !strings.Contains(body, `name="scope" value="instance"`) || strings.Contains(body, "<select") || !strings.Contains(body, "this date only") {
		t.Errorf("one-instance invitee's card:\n%s", body)
	}
	// Bob sees nothing of the private event, not even that it exists.
	if code, _ := h.as("bob@example.com").page("/events/" + itoa64(priv.ID) + "/card?instance=2026-03-10T09%3A00%3A00Z"); code != http.StatusNotFound {
		t.Errorf("bob's card of alice's private event: %d, want 404", code)
	}
	if code, _ := h.as("alice@example.com").page("/events/" + itoa64(e.ID) + "/card?instance=nonsense"); code != http.StatusBadRequest {
		t.Errorf("a card of a bad instance: %d, want 400", code)
	}
}

// A form sent from the card returns to the calendar page it came from, and never elsewhere.
func TestCardFormsReturnOnlyToACalendarPage(t *testing.T) {
	for _, tt := range []struct{ back, want string }{
		{"/calendar?view=day&date=2026-03-16", "/calendar?date=2026-03-16&view=day"},
		{"https://evil.example/calendar", "/events/"},
		{"//evil.example/calendar", "/events/"},
		{"/settings", "/events/"},
		{`/calendar\@evil`, "/events/"},
	} {
		h, e := seriesHarness(t, dbtest.SQLite(t))
		res, _ := h.as("bob@example.com").submit("/events/"+itoa64(e.ID)+"/rsvp", url.Values{"instance": {"2026-03-16T08:00:00Z"},
			"response": {"yes"}, "back": {tt.back}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, tt.want) {
			t.Errorf("back %q: %d to %q, want %q", tt.back, res.StatusCode, loc, tt.want)
		}
	}
}

// A drag sends days and minutes; the calendar moves the instance, this and following, or the
// whole event in the viewer's wall clock, and refuses what it cannot do with a clear 4xx.
func TestMoveByDaysAndMinutes(t *testing.T) {
	h, e := seriesHarness(t, dbtest.SQLite(t)) // Mondays 09:00-09:15 Berlin from 2 March, 10 times
	alice := h.as("alice@example.com")
	move := func(form url.Values) (*http.Response, string) {
		t.Helper()
		return alice.submit("/events/"+itoa64(e.ID)+"/move", form)
	}
	starts := func() map[string]string {
		t.Helper()
		occ, _, err := h.app.store.Occurrences(t.Context(), calendar.Viewer{UserID: h.users["alice@example.com"].ID},
			calendar.Query{From: at("2026-03-01T00:00:00Z"), To: at("2026-06-01T00:00:00Z"), Max: 100})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, o := range occ {
			out[o.OriginalStart.UTC().Format("01-02")] = o.Start.Format("Mon 01-02 15:04") + "-" + o.End.Format("15:04")
		}
		return out
	}
	// This instance: a day later and an hour later, 30 minutes longer.
	res, body := move(url.Values{"instance": {"2026-03-09T08:00:00Z"}, "scope": {"instance"}, "days": {"1"}, "minutes": {"60"}, "endMinutes": {"90"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d %s", res.StatusCode, body)
	}
	got := starts()
	if got["03-09"] != "Tue 03-10 10:00-10:45" || got["03-02"] != "Mon 03-02 09:00-09:15" {
		t.Fatalf("after moving one instance: %v", got)
	}
	// All instances, across the change to summer time on 29 March: still 09:30 wall time.
	if res, body := move(url.Values{"instance": {"2026-03-23T08:00:00Z"}, "scope": {"all"}, "minutes": {"30"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move all: %d %s", res.StatusCode, body)
	}
	got = starts()
	if got["03-02"] != "Mon 03-02 09:30-09:45" || got["04-06"] != "Mon 04-06 09:30-09:45" {
		t.Fatalf("after moving all instances by 30 minutes: %v", got)
	}

	for _, tt := range []struct {
		name string
		form url.Values
		want int
	}{
		{"days not a number", url.Values{"instance": {"2026-03-02T08:30:00Z"}, "days": {"x"}}, http.StatusBadRequest},
		{"too far", url.Values{"instance": {"2026-03-02T08:30:00Z"}, "days": {"5000"}}, http.StatusBadRequest},
		{"bad scope", url.Values{"instance": {"2026-03-02T08:30:00Z"}, "days": {"1"}, "scope": {"some"}}, http.StatusBadRequest},
		{"end before start", url.Values{"instance": {"2026-03-02T08:30:00Z"}, "scope": {"instance"}, "endMinutes": {"-30"}}, http.StatusUnprocessableEntity},
		{"no such instance", url.Values{"instance": {"2026-03-03T08:30:00Z"}, "days": {"1"}}, http.StatusNotFound},
	} {
		if res, body := move(tt.form); res.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d\n%s", tt.name, res.StatusCode, tt.want, body)
		}
	}
	// Only the organizer moves; and the move is a state change that needs the CSRF token.
	if res, _ := h.as("bob@example.com").submit("/events/"+itoa64(e.ID)+"/move", url.Values{"instance": {"2026-03-02T08:30:00Z"}, "days": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an invitee's move: %d, want 403", res.StatusCode)
	}
	if res := alice.postForm("/events/"+itoa64(e.ID)+"/move", url.Values{"instance": {"2026-03-02T08:30:00Z"}, "days": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a move without the CSRF token: %d, want 403", res.StatusCode)
	}
	if got := starts(); got["03-02"] != "Mon 03-02 09:30-09:45" {
		t.Errorf("a refused move changed the event: %v", got)
	}
}

// Quick create: the card for an hour dragged over, with "More options" carrying it to the
// full form, and bad parameters refused.
func TestQuickCreateCard(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	code, body := alice.page("/events/new/card?date=2026-03-03&time=14:00&end=15:30&back=%2Fcalendar%3Fview%3Dweek")
	if code != http.StatusOK {
		t.Fatalf("new card: %d", code)
	}
	for _, want := range []string{"Tuesday 3 March, 14:00 – 15:30", `name="endTime" value="15:30"`, `name="timeZone" value="Europe/Berlin"`,
		`name="reminder" value="15"`, `href="/events/new?date=2026-03-03&amp;end=15%3A30&amp;time=14%3A00"`} {
		if !strings.Contains(body, want) {
			t.Errorf("new card lacks %q", want)
		}
	}
	if _, body := alice.page("/events/new/card?date=2026-03-03&time=9:30&end=10:30"); !strings.Contains(body, "09:30 – 10:30") {
		t.Error("a one-digit hour is not read as such")
	}
	_, form := alice.page("/events/new?date=2026-03-03&time=14:00&end=15:30&title=Retro")
	if f := formOf(t, form); f.Get("endTime") != "15:30" || f.Get("title") != "Retro" {
		t.Errorf("More options: end %q title %q", f.Get("endTime"), f.Get("title"))
	}
	for _, bad := range []string{"date=03/03/2026", "date=2026-03-03&time=25:00", "date=2026-03-03&time=10:00&end=later"} {
		if code, _ := alice.page("/events/new/card?" + bad); code != http.StatusBadRequest {
			t.Errorf("new card with %s: %d, want 400", bad, code)
		}
	}
}

// A drag to another day moves a weekly series' days with it: "this and following" from the
// third Monday repeats on Tuesdays from there with the dates it had left, "all" moves every
// date; a monthly pattern, whose days are dates, and "all" of an event with parts of their own
// are refused with the reason.
func TestMoveARepeatingEventToAnotherDay(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	cv := calendar.Viewer{UserID: h.users["alice@example.com"].ID}
	dates := func(id int64) string {
		t.Helper()
		occ, _, err := h.app.store.Occurrences(t.Context(), cv, calendar.Query{From: at("2026-03-01T00:00:00Z"), To: at("2026-07-01T00:00:00Z"), Max: 100})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range occ {
			if o.EventID == id {
				out = append(out, o.Start.Format("Mon 2 Jan 15:04"))
			}
		}
		return strings.Join(out, ", ")
	}
	move := func(id int64, form url.Values) (int, string) {
		t.Helper()
		res, body := alice.submit("/events/"+itoa64(id)+"/move", form)
		return res.StatusCode, body
	}
	weekly := func() *calendar.Event {
		return h.event("alice@example.com", calendar.EventInput{Title: "Standup", Start: "2026-03-02T09:00", End: "2026-03-02T09:15",
			TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=6"})
	}

	a := weekly()
	if code, body := move(a.ID, url.Values{"instance": {"2026-03-16T08:00:00Z"}, "scope": {"following"}, "days": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("following: %d %s", code, body)
	}
	if got, want := dates(a.ID), "Mon 2 Mar 09:00, Mon 9 Mar 09:00, Tue 17 Mar 09:00, Tue 24 Mar 09:00, Tue 31 Mar 09:00, Tue 7 Apr 09:00"; got != want {
		t.Errorf("this and following a day later:\n got %s\nwant %s", got, want)
	}

	b := weekly()
	if code, body := move(b.ID, url.Values{"instance": {"2026-03-16T08:00:00Z"}, "scope": {"all"}, "days": {"1"}, "minutes": {"30"}}); code != http.StatusSeeOther {
		t.Fatalf("all: %d %s", code, body)
	}
	if got, want := dates(b.ID), "Tue 3 Mar 09:30, Tue 10 Mar 09:30, Tue 17 Mar 09:30, Tue 24 Mar 09:30, Tue 31 Mar 09:30, Tue 7 Apr 09:30"; got != want {
		t.Errorf("all a day and half an hour later:\n got %s\nwant %s", got, want)
	}

	monthly := h.event("alice@example.com", calendar.EventInput{Title: "Report", Start: "2026-03-02T09:00", End: "2026-03-02T10:00",
		TimeZone: "Europe/Berlin", RRule: "FREQ=MONTHLY;BYMONTHDAY=2;COUNT=4"})
	before := dates(monthly.ID)
	if code, body := move(monthly.ID, url.Values{"instance": {"2026-04-02T07:00:00Z"}, "scope": {"following"}, "days": {"1"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "pattern keeps its days") {
		t.Errorf("a monthly pattern dragged a day: %d", code)
	}
	if dates(monthly.ID) != before {
		t.Error("a refused move changed the monthly series")
	}

	c := weekly()
	title := "Standup (new)"
	if _, _, err := h.app.store.Edit(t.Context(), cv, c.ID, nil, calendar.ScopeFollowing, at("2026-03-16T08:00:00Z"), calendar.Change{Title: &title}); err != nil {
		t.Fatal(err)
	}
	if code, body := move(c.ID, url.Values{"instance": {"2026-03-23T08:00:00Z"}, "scope": {"all"}, "minutes": {"30"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "parts with times of their own") {
		t.Errorf("all of an event with two parts: %d", code)
	}
}
