package app

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// occurrenceTimes lists a listing's instances as "start end".
func occurrenceTimes(out map[string]any) []string {
	var got []string
	for _, o := range out["occurrences"].([]any) {
		m := o.(map[string]any)
		got = append(got, m["start"].(string)+" "+m["end"].(string))
	}
	return got
}

// adjustedMessages lists an answer's adjusted entries as "field kind: message".
func adjustedMessages(out map[string]any) []string {
	var got []string
	list, _ := out["adjusted"].([]any)
	for _, a := range list {
		m := a.(map[string]any)
		got = append(got, m["field"].(string)+" "+m["kind"].(string)+": "+m["message"].(string))
	}
	return got
}

// TestAPITimesInGapsAndOverlaps: the three cases of issue #12 item 7 through the JSON API.
// Each keeps its length, the listing and the event agree, and the answer says what was
// made of the time.
func TestAPITimesInGapsAndOverlaps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		const alice = "alice@example.com"

		// 02:30-03:30 on Berlin's spring-forward night: an hour from 03:30 CEST.
		ev := h.mustDo(alice, "POST", "/api/v1/events", map[string]any{
			"title": "Gap", "start": "2026-03-29T02:30:00", "end": "2026-03-29T03:30:00", "timeZone": "Europe/Berlin",
		}, http.StatusCreated)
		seg := ev["segments"].([]any)[0].(map[string]any)
		if seg["start"] != "2026-03-29T03:30:00" || seg["end"] != "2026-03-29T04:30:00" || seg["firstStart"] != "2026-03-29T01:30:00Z" {
			t.Errorf("gap event stored as %v-%v (first %v), want 03:30-04:30 (01:30Z)", seg["start"], seg["end"], seg["firstStart"])
		}
		want := "start skipped: 02:30 does not exist on 29 March 2026 in Europe/Berlin (clocks go forward); the event starts at 03:30. It keeps its length and ends at 04:30."
		if got := adjustedMessages(ev); strings.Join(got, "\n") != want {
			t.Errorf("adjusted = %q, want %q", got, want)
		}
		out := h.mustDo(alice, "GET", "/api/v1/occurrences?from=2026-03-29T00:00:00Z&to=2026-03-30T00:00:00Z", nil, http.StatusOK)
		if got := occurrenceTimes(out); strings.Join(got, "|") != "2026-03-29T03:30:00+02:00 2026-03-29T04:30:00+02:00" {
			t.Errorf("gap listing = %q", got)
		}

		// A weekly 02:30 New York series from the spring-forward day: 03:30 EDT that day,
		// 02:30 every later week.
		ev = h.mustDo(alice, "POST", "/api/v1/events", map[string]any{
			"title": "Backup", "start": "2026-03-08T02:30:00", "end": "2026-03-08T03:30:00", "timeZone": "America/New_York",
			"rrule": "FREQ=WEEKLY;COUNT=3",
		}, http.StatusCreated)
		if got := adjustedMessages(ev); len(got) != 1 || !strings.Contains(got[0], "Later instances start at 02:30.") {
			t.Errorf("series adjusted = %q", got)
		}
		out = h.mustDo(alice, "GET", "/api/v1/occurrences?from=2026-03-07T00:00:00Z&to=2026-03-25T00:00:00Z", nil, http.StatusOK)
		wantSeries := []string{
			"2026-03-08T03:30:00-04:00 2026-03-08T04:30:00-04:00",
			"2026-03-15T02:30:00-04:00 2026-03-15T03:30:00-04:00",
			"2026-03-22T02:30:00-04:00 2026-03-22T03:30:00-04:00",
		}
		if got := occurrenceTimes(out); strings.Join(got, "|") != strings.Join(wantSeries, "|") {
			t.Errorf("series listing = %q\nwant %q", got, wantSeries)
		}

		// 02:30-03:00 on Berlin's fall-back night: from the first 02:30 (CEST) to 03:00 CET.
		ev = h.mustDo(alice, "POST", "/api/v1/events", map[string]any{
			"title": "Overlap", "start": "2026-10-25T02:30:00", "end": "2026-10-25T03:00:00", "timeZone": "Europe/Berlin",
		}, http.StatusCreated)
		seg = ev["segments"].([]any)[0].(map[string]any)
		if seg["end"] != "2026-10-25T03:00:00" || seg["firstStart"] != "2026-10-25T00:30:00Z" {
			t.Errorf("overlap event: end %v, first %v; want 03:00, 00:30Z", seg["end"], seg["firstStart"])
		}
		if got := adjustedMessages(ev); len(got) != 1 || !strings.HasPrefix(got[0], "start repeated: 02:30 occurs twice on 25 October 2026 in Europe/Berlin (clocks go back); the event starts at the first, 02:30 CEST (UTC+02:00)") {
			t.Errorf("overlap adjusted = %q", got)
		}
		out = h.mustDo(alice, "GET", "/api/v1/occurrences?from=2026-10-24T00:00:00Z&to=2026-10-26T00:00:00Z", nil, http.StatusOK)
		if got := occurrenceTimes(out); strings.Join(got, "|") != "2026-10-25T02:30:00+02:00 2026-10-25T03:00:00+01:00" {
			t.Errorf("overlap listing = %q, want the end the event shows, 03:00+01:00", got)
		}

		// A plain time says nothing, and a move of the start into a gap is told.
		ev = h.mustDo(alice, "POST", "/api/v1/events", map[string]any{
			"title": "Plain", "start": "2026-03-28T02:30:00", "end": "2026-03-28T03:30:00", "timeZone": "Europe/Berlin",
		}, http.StatusCreated)
		if _, ok := ev["adjusted"]; ok {
			t.Errorf("a plain time has adjusted: %v", ev["adjusted"])
		}
		path := "/api/v1/events/" + itoa(int(ev["id"].(float64)))
		ev = h.mustDo(alice, "PATCH", path, map[string]any{"start": "2026-03-29T02:30:00", "end": "2026-03-29T03:30:00", "version": 1}, http.StatusOK)
		if got := adjustedMessages(ev); len(got) != 1 || !strings.HasPrefix(got[0], "start skipped: 02:30 does not exist on 29 March 2026") {
			t.Errorf("patch adjusted = %q", got)
		}
		seg = ev["segments"].([]any)[0].(map[string]any)
		if seg["start"] != "2026-03-29T03:30:00" || seg["end"] != "2026-03-29T04:30:00" {
			t.Errorf("patched into the gap: %v-%v, want 03:30-04:30", seg["start"], seg["end"])
		}

		// One instance of a series moved into the gap keeps its length, and the answer
		// speaks of that instance.
		ev = h.mustDo(alice, "POST", "/api/v1/events", map[string]any{
			"title": "Sunday", "start": "2026-03-22T09:00:00", "end": "2026-03-22T10:00:00", "timeZone": "Europe/Berlin",
			"rrule": "FREQ=WEEKLY;COUNT=3",
		}, http.StatusCreated)
		path = "/api/v1/events/" + itoa(int(ev["id"].(float64)))
		ev = h.mustDo(alice, "PATCH", path+"?scope=instance&instance=2026-03-29T07:00:00Z", map[string]any{"start": "2026-03-29T02:30:00"}, http.StatusOK)
		if got := adjustedMessages(ev); strings.Join(got, "|") != "start skipped: 02:30 does not exist on 29 March 2026 in Europe/Berlin (clocks go forward); the event starts at 03:30." {
			t.Errorf("instance patch adjusted = %q", got)
		}
		if o := ev["overrides"].([]any); len(o) != 1 || o[0].(map[string]any)["start"] != "2026-03-29T01:30:00Z" || o[0].(map[string]any)["end"] != "2026-03-29T02:30:00Z" {
			t.Errorf("moved instance = %v, want 01:30Z-02:30Z", o)
		}

		// Bad input around a gap still gets a 4xx and stores nothing.
		before := h.mustDo(alice, "GET", "/api/v1/occurrences?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z", nil, http.StatusOK)
		for _, body := range []string{
			`{"title":"T","start":"2026-03-29T02:30:00","end":"2026-03-29T01:00:00","timeZone":"Europe/Berlin"}`,
			`{"title":"T","start":"2026-03-29T02:30:00+02:00","timeZone":"Europe/Berlin"}`,
			`{"title":"T","start":"2026-03-29T02:61:00","timeZone":"Europe/Berlin"}`,
		} {
			if code, out := h.do(alice, "POST", "/api/v1/events", body); code != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422: %v", body, code, out)
			}
		}
		after := h.mustDo(alice, "GET", "/api/v1/occurrences?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z", nil, http.StatusOK)
		if len(occurrenceTimes(before)) != len(occurrenceTimes(after)) {
			t.Errorf("a rejected event was stored: %q then %q", occurrenceTimes(before), occurrenceTimes(after))
		}
	})
}

// TestEventFormTellsWhenATimeWasAdjusted: the form's create says what became of 02:30 on
// the spring-forward night, on the page the person lands on.
func TestEventFormTellsWhenATimeWasAdjusted(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	_, body := alice.page("/events/new?date=2026-03-29&time=02:30")
	form := formOf(t, body)
	form.Set("title", "Night shift")
	form.Set("startDate", "2026-03-29")
	form.Set("startTime", "02:30")
	form.Set("endDate", "2026-03-29")
	form.Set("endTime", "03:30")
	form.Set("timeZone", "Europe/Berlin")
	res, body := alice.submit("/events/new", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d:\n%s", res.StatusCode, body)
	}
	loc := res.Header.Get("Location")
	_, page := alice.page(loc)
	want := "02:30 does not exist on 29 March 2026 in Europe/Berlin (clocks go forward); the event starts at 03:30."
	if !strings.Contains(page, "Event created.") || !strings.Contains(page, want) {
		t.Errorf("the event's page does not tell what became of 02:30 (want %q)", want)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/events/"), 10, 64)
	if err != nil {
		t.Fatalf("create goes to %q: %v", loc, err)
	}
	seg := h.reload(id).Segments[0]
	if got := seg.Start.UTC().Format("2006-01-02T15:04Z"); got != "2026-03-29T01:30Z" || seg.Duration.String() != "1h0m0s" {
		t.Errorf("stored start %s, length %v; want 01:30Z for 1h", got, seg.Duration)
	}
}

// TestEventEditFormAroundAGap: saving the edit form of a series from a gap with only a new
// end keeps the later weeks at 02:30 (the form sends the first start as shown, 03:30), and
// moving a plain event into a gap says what became of the time.
func TestEventEditFormAroundAGap(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	e := h.event("alice@example.com", calendar.EventInput{Title: "Backup", Start: "2026-03-08T02:30", End: "2026-03-08T03:30",
		TimeZone: "America/New_York", RRule: "FREQ=WEEKLY;COUNT=3"})
	_, body := alice.page(editPath(e.ID, "2026-03-08T07:30:00Z", "all"))
	f := formOf(t, body)
	if f.Get("startTime") != "03:30" {
		t.Fatalf("the form shows the first start at %q, want 03:30 (as it happens)", f.Get("startTime"))
	}
	f.Set("endTime", "05:00")
	if res, body := alice.submit("/events/"+itoa64(e.ID)+"/edit", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d:\n%s", res.StatusCode, body)
	}
	var got []string
	for _, o := range h.reload(e.ID).Instances(calendar.Viewer{UserID: e.OrganizerID}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), false) {
		got = append(got, o.Start.Format("01-02 15:04")+"-"+o.End.Format("15:04"))
	}
	if want := "03-08 03:30-05:00 03-15 02:30-04:00 03-22 02:30-04:00"; strings.Join(got, " ") != want {
		t.Errorf("after the form edit: %q, want %q", strings.Join(got, " "), want)
	}

	plain := h.event("alice@example.com", calendar.EventInput{Title: "Night", Start: "2026-03-28T02:30", End: "2026-03-28T03:30", TimeZone: "Europe/Berlin"})
	_, body = alice.page(editPath(plain.ID, "2026-03-28T01:30:00Z", "all"))
	f = formOf(t, body)
	f.Set("startDate", "2026-03-29")
	f.Set("endDate", "2026-03-29")
	res, body := alice.submit("/events/"+itoa64(plain.ID)+"/edit", f)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d:\n%s", res.StatusCode, body)
	}
	_, page := alice.page(res.Header.Get("Location"))
	if want := "02:30 does not exist on 29 March 2026 in Europe/Berlin (clocks go forward); the event starts at 03:30."; !strings.Contains(page, want) {
		t.Errorf("the page after the edit does not say %q", want)
	}
	if d := h.reload(plain.ID).Segments[0].Duration; d != time.Hour {
		t.Errorf("moved into the gap, the event lasts %v, want 1h", d)
	}
}
