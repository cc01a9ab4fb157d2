package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar/ical/icaltest"
	"intracal/migrations/dbtest"
)

// feedGet fetches a feed's address as a calendar app does: no session, no token.
func feedGet(t *testing.T, h *apiHarness, address string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	u, err := url.Parse(address)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, u.RequestURI(), nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.app.Handler().ServeHTTP(rec, req)
	return rec
}

// TestCalendarFeedByAPI: a person turns their feed on, a calendar app reads it without a
// session (series, the person's answers, their private event as busy, nobody else's
// private event), revalidates it with its ETag (304), and the address stops when it is
// regenerated or turned off.
func TestCalendarFeedByAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		const alice, bob, carol = "alice@example.com", "bob@example.com", "carol@example.com"
		if out := h.mustDo(alice, "GET", "/api/v1/me/feed", nil, http.StatusOK); out["url"] != nil {
			t.Fatalf("a feed before it was turned on: %v", out)
		}
		day := time.Now().AddDate(0, 0, 7).Format("2006-01-02")
		at := func(hm string) string { return day + "T" + hm + ":00" }
		standup := h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Standup", "start": at("09:00"), "end": at("09:15"),
			"timeZone": "Europe/Berlin", "rrule": "FREQ=WEEKLY;COUNT=10"}, http.StatusCreated)
		dentist := h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Dentist", "start": at("11:00"), "end": at("12:00"),
			"timeZone": "Europe/Berlin", "privacy": "private"}, http.StatusCreated)
		h.mustDo(bob, "POST", "/api/v1/events", map[string]any{"title": "Bob's appraisal", "start": at("13:00"), "end": at("14:00"),
			"timeZone": "Europe/Berlin", "privacy": "private", "invitees": []map[string]any{{"email": alice}}}, http.StatusCreated)
		lunch := h.mustDo(bob, "POST", "/api/v1/events", map[string]any{"title": "Team lunch", "start": at("12:00"), "end": at("13:00"),
			"timeZone": "Europe/Berlin", "invitees": []map[string]any{{"email": alice}}}, http.StatusCreated)
		h.mustDo(alice, "PUT", fmt.Sprintf("/api/v1/events/%v/rsvp", lunch["id"]), map[string]any{"response": "yes", "scope": "all"}, http.StatusOK)

		on := h.mustDo(alice, "POST", "/api/v1/me/feed", nil, http.StatusCreated)
		address, _ := on["url"].(string)
		if !strings.HasPrefix(address, "http://127.0.0.1:8080/feeds/") || !strings.HasPrefix(on["webcal"].(string), "webcal://127.0.0.1:8080/feeds/") ||
			on["private"] != "busy" {
			t.Fatalf("feed: %v", on)
		}
		rec := feedGet(t, h, address, nil)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") {
			t.Fatalf("the feed: %d %s", rec.Code, body)
		}
		for _, want := range []string{"BEGIN:VCALENDAR", "SUMMARY:Standup", "RRULE:FREQ=WEEKLY;COUNT=10", "TZID:Europe/Berlin",
			"SUMMARY:Team lunch", "PARTSTAT=ACCEPTED", "SUMMARY:Busy", "CLASS:PRIVATE"} {
			if !strings.Contains(body, want) {
				t.Errorf("the feed lacks %q", want)
			}
		}
		for _, leak := range []string{"Dentist", "appraisal"} {
			if strings.Contains(body, leak) {
				t.Errorf("the feed shows %q", leak)
			}
		}
		etag := rec.Header().Get("ETag")
		if etag == "" || rec.Header().Get("Last-Modified") == "" {
			t.Fatalf("no validators: %v", rec.Header())
		}
		if again := feedGet(t, h, address, http.Header{"If-None-Match": {etag}}); again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Fatalf("a revalidation: %d", again.Code)
		}

		h.mustDo(alice, "PUT", "/api/v1/me/feed", map[string]any{"private": "hidden"}, http.StatusOK)
		if got := feedGet(t, h, address, nil).Body.String(); strings.Contains(got, "SUMMARY:Busy") || !strings.Contains(got, "SUMMARY:Standup") {
			t.Fatalf("with private events left out:\n%s", got)
		}
		if code, out := h.do(alice, "PUT", "/api/v1/me/feed", map[string]any{"private": "loud"}); code != http.StatusBadRequest {
			t.Fatalf("a wrong private mode: %d %v", code, out)
		}

		again := h.mustDo(alice, "POST", "/api/v1/me/feed", nil, http.StatusCreated)
		if again["url"] == address {
			t.Fatal("regenerating kept the address")
		}
		if rec := feedGet(t, h, address, nil); rec.Code != http.StatusNotFound {
			t.Fatalf("the old address after a regeneration: %d", rec.Code)
		}
		if rec := feedGet(t, h, again["url"].(string), nil); rec.Code != http.StatusOK {
			t.Fatalf("the new address: %d", rec.Code)
		}
		h.mustDo(alice, "DELETE", "/api/v1/me/feed", nil, http.StatusNoContent)
		if rec := feedGet(t, h, again["url"].(string), nil); rec.Code != http.StatusNotFound {
			t.Fatalf("the address after turning off: %d", rec.Code)
		}
		if rec := feedGet(t, h, "http://127.0.0.1:8080/feeds/not-a-token.ics", nil); rec.Code != http.StatusNotFound {
			t.Fatalf("a made-up address: %d", rec.Code)
		}

		// One event to download, with its series; someone else's private one is not found.
		dl := h.raw(alice, fmt.Sprintf("/events/%v/ics", standup["id"]))
		if dl.Code != http.StatusOK || !strings.Contains(dl.Body.String(), "RRULE:FREQ=WEEKLY;COUNT=10") ||
			!strings.Contains(dl.Header().Get("Content-Disposition"), `filename="Standup.ics"`) {
			t.Fatalf("download: %d %v\n%s", dl.Code, dl.Header(), dl.Body.String())
		}
		if dl := h.raw(carol, fmt.Sprintf("/events/%v/ics", dentist["id"])); dl.Code != http.StatusNotFound {
			t.Fatalf("carol downloads alice's private event: %d", dl.Code)
		}
	})
}

// TestCalendarFeedOnTheSettingsPage: the settings page turns the feed on and shows its
// addresses, gives it a new one, and turns it off.
func TestCalendarFeedOnTheSettingsPage(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	if _, body := alice.page("/settings"); !strings.Contains(body, "Turn the feed on") {
		t.Fatalf("the settings page offers no feed:\n%s", body)
	}
	if res, _ := alice.submit("/settings/feed", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turn on: %d", res.StatusCode)
	}
	_, body := alice.page("/settings")
	first := fieldValue(t, body, "feed-url")
	if !strings.Contains(first, "/feeds/") || !strings.Contains(body, `href="webcal://`) || !strings.Contains(body, "is on") {
		t.Fatalf("the settings page after turning the feed on:\n%s", body)
	}
	alice.submit("/settings/feed", nil)
	_, body = alice.page("/settings")
	if second := fieldValue(t, body, "feed-url"); second == first || !strings.Contains(body, "The old one no longer works") {
		t.Fatalf("a new address: %q then %q", first, second)
	}
	alice.submit("/settings/feed/private", url.Values{"private": {"hidden"}})
	if _, body = alice.page("/settings"); !strings.Contains(body, `value="hidden" checked`) {
		t.Fatal("the private choice was not kept")
	}
	alice.submit("/settings/feed/off", nil)
	if _, body = alice.page("/settings"); !strings.Contains(body, "Turn the feed on") || !strings.Contains(body, "is off") {
		t.Fatalf("after turning off:\n%s", body)
	}
}

func importICS(t *testing.T, h *apiHarness, as, query string, body []byte) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/imports"+query, bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/calendar")
	req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	rec := httptest.NewRecorder()
	h.app.Handler().ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

// TestImportAnICSFileByAPI imports a Google Calendar export: the events it can hold are in
// My Calendar with their changed and cancelled instances, the others are listed with the
// reason; the same file again changes nothing, a changed one updates its event.
func TestImportAnICSFileByAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		const alice = "alice@example.com"
		file, err := os.ReadFile("../calendar/ical/testdata/google.ics")
		if err != nil {
			t.Fatal(err)
		}
		code, out := importICS(t, h, alice, "", file)
		if code != http.StatusOK || out["imported"] != 4.0 || out["unchanged"] != 0.0 || len(out["refused"].([]any)) != 3 {
			t.Fatalf("import: %d %v", code, out)
		}
		list := h.mustDo(alice, "GET", "/api/v1/occurrences?from=2026-03-16T00:00:00Z&to=2026-03-23T00:00:00Z", nil, http.StatusOK)
		got := strings.Join(occTitles(list), "\n")
		if !strings.Contains(got, "2026-03-16T09:00 Standup") || !strings.Contains(got, "2026-03-18T09:30 Standup (late)") {
			t.Fatalf("the imported series in My Calendar:\n%s", got)
		}
		if code, out = importICS(t, h, alice, "", file); code != http.StatusOK || out["imported"] != 0.0 || out["unchanged"] != 4.0 {
			t.Fatalf("the same file again: %d %v", code, out)
		}
		changed := bytes.Replace(file, []byte("SUMMARY:Quarterly review"), []byte("SUMMARY:Quarterly review (Q1)"), 1)
		if code, out = importICS(t, h, alice, "", changed); code != http.StatusOK || out["updated"] != 1.0 || out["unchanged"] != 3.0 {
			t.Fatalf("a changed file: %d %v", code, out)
		}
		list = h.mustDo(alice, "GET", "/api/v1/occurrences?from=2026-03-05T00:00:00Z&to=2026-03-06T00:00:00Z", nil, http.StatusOK)
		if got := strings.Join(occTitles(list), "\n"); !strings.Contains(got, "Quarterly review (Q1)") || strings.Count(got, "Quarterly review") != 1 {
			t.Fatalf("after the update:\n%s", got)
		}
		if code, _ := importICS(t, h, alice, "", []byte("this is not a calendar")); code != http.StatusBadRequest {
			t.Fatalf("garbage: %d", code)
		}
		if code, _ := importICS(t, h, alice, "?calendarId=999999", file); code != http.StatusNotFound {
			t.Fatalf("into a calendar that does not exist: %d", code)
		}
		req := httptest.NewRequest(http.MethodPost, "/api/v1/imports", bytes.NewReader(file))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.tokens[alice])
		rec := httptest.NewRecorder()
		h.app.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusUnsupportedMediaType {
			t.Fatalf("JSON instead of a file: %d", rec.Code)
		}
	})
}

// TestImportAnICSFileOnThePage uploads a file with the import form (multipart, with the CSRF
// token) and reads the summary page.
func TestImportAnICSFileOnThePage(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	if code, body := alice.page("/import"); code != http.StatusOK || !strings.Contains(body, `name="file"`) || !strings.Contains(body, "My Calendar") {
		t.Fatalf("the import page: %d\n%s", code, body)
	}
	file, err := os.ReadFile("../calendar/ical/testdata/outlook.ics")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", alice.csrf())
	fw, _ := mw.CreateFormFile("file", "outlook.ics")
	_, _ = fw.Write(file)
	_ = mw.Close()
	res := alice.do(http.MethodPost, "/import", &buf, http.Header{"Content-Type": {mw.FormDataContentType()}})
	body := readBody(res)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<strong>3</strong> imported") {
		t.Fatalf("the summary page: %d\n%s", res.StatusCode, body)
	}
}

// TestSpaceFeedByAPI: a space's administrator turns its feed on; the address shows the
// space's public events, to everyone for a public space and to members only for a private
// one; other members cannot manage it.
func TestSpaceFeedByAPI(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	const alice, bob, carol = "alice@example.com", "bob@example.com", "carol@example.com"
	day := time.Now().AddDate(0, 0, 3).Format("2006-01-02")
	for _, vis := range []string{"public", "private"} {
		sp := h.mustDo(alice, "POST", "/api/v1/spaces", map[string]any{"name": "Team " + vis, "visibility": vis}, http.StatusCreated)
		id, calID := int64(sp["id"].(float64)), int64(sp["calendarId"].(float64))
		base := fmt.Sprintf("/api/v1/spaces/%d/feed", id)
		h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Offsite " + vis, "start": day + "T09:00:00", "end": day + "T17:00:00",
			"timeZone": "Europe/Berlin", "calendarId": calID}, http.StatusCreated)
		h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Secret " + vis, "start": day + "T18:00:00", "end": day + "T19:00:00",
			"timeZone": "Europe/Berlin", "calendarId": calID, "privacy": "private"}, http.StatusCreated)
		if vis == "private" {
			h.mustDo(alice, "POST", fmt.Sprintf("/api/v1/spaces/%d/members", id), map[string]any{"emails": []string{bob}}, http.StatusOK)
		} else {
			h.mustDo(bob, "POST", fmt.Sprintf("/api/v1/spaces/%d/join", id), nil, http.StatusOK)
		}
		if code, out := h.do(bob, "POST", base, nil); code != http.StatusForbidden {
			t.Fatalf("%s: a member turns the feed on: %d %v", vis, code, out)
		}
		on := h.mustDo(alice, "POST", base, nil, http.StatusCreated)
		if got := h.mustDo(bob, "GET", base, nil, http.StatusOK); got["url"] != on["url"] {
			t.Fatalf("%s: bob sees %v, want %v", vis, got, on)
		}
		code, _ := h.do(carol, "GET", base, nil)
		if want := map[string]int{"public": http.StatusOK, "private": http.StatusNotFound}[vis]; code != want {
			t.Fatalf("%s: carol, no member, asks for the address: %d, want %d", vis, code, want)
		}
		body := feedGet(t, h, on["url"].(string), nil).Body.String()
		if !strings.Contains(body, "SUMMARY:Offsite "+vis) || strings.Contains(body, "Secret") || !strings.Contains(body, "X-WR-CALNAME:Team "+vis) {
			t.Fatalf("%s: the space's feed:\n%s", vis, body)
		}
		h.mustDo(alice, "DELETE", base, nil, http.StatusNoContent)
		if rec := feedGet(t, h, on["url"].(string), nil); rec.Code != http.StatusNotFound {
			t.Fatalf("%s: the address after turning off: %d", vis, rec.Code)
		}
	}
}

// TestAFeedEqualsTheOccurrencesAPI: the feed of a calendar with a split series, changed,
// moved and cancelled instances, an all-day series, an answered invitation and events in
// three zones, expanded by rrule-go as a subscribing app does, holds the instances
// GET /api/v1/occurrences lists for the same span.
func TestAFeedEqualsTheOccurrencesAPI(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	const alice, bob = "alice@example.com", "bob@example.com"
	monday := time.Now().UTC().AddDate(0, 0, 7-int(time.Now().UTC().Weekday())+1).Truncate(24 * time.Hour)
	d := func(days int, hm string) string {
		return monday.AddDate(0, 0, days).Format("2006-01-02") + "T" + hm + ":00"
	}
	ev := h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Standup", "start": d(0, "09:00"), "end": d(0, "09:15"),
		"timeZone": "Europe/Berlin", "rrule": "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=16"}, http.StatusCreated)
	path := fmt.Sprintf("/api/v1/events/%v", ev["id"])
	berlin, _ := time.LoadLocation("Europe/Berlin")
	inst := func(days int) string {
		day := monday.AddDate(0, 0, days)
		return time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, berlin).UTC().Format(time.RFC3339)
	}
	h.mustDo(alice, "PATCH", path+"?scope=instance&instance="+inst(3), map[string]any{"title": "Standup (demo)", "version": 1}, http.StatusOK)
	h.mustDo(alice, "DELETE", path+"?scope=instance&instance="+inst(7), nil, http.StatusOK)
	h.mustDo(alice, "PATCH", path+"?scope=following&instance="+inst(21), map[string]any{"title": "Standup v2", "start": d(21, "10:00"), "end": d(21, "10:15"), "version": 3}, http.StatusOK)
	h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Offsite", "start": monday.AddDate(0, 0, 2).Format("2006-01-02"),
		"end": monday.AddDate(0, 0, 4).Format("2006-01-02"), "allDay": true, "rrule": "FREQ=MONTHLY;COUNT=4"}, http.StatusCreated)
	h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Call New York", "start": d(1, "11:00"), "end": d(1, "12:00"),
		"timeZone": "America/New_York", "rrule": "FREQ=DAILY;INTERVAL=3;COUNT=12"}, http.StatusCreated)
	lunch := h.mustDo(bob, "POST", "/api/v1/events", map[string]any{"title": "Lunch", "start": d(2, "12:00"), "end": d(2, "13:00"),
		"timeZone": "Asia/Tokyo", "invitees": []map[string]any{{"email": alice}}}, http.StatusCreated)
	h.mustDo(alice, "PUT", fmt.Sprintf("/api/v1/events/%v/rsvp", lunch["id"]), map[string]any{"response": "yes", "scope": "all"}, http.StatusOK)

	on := h.mustDo(alice, "POST", "/api/v1/me/feed", nil, http.StatusCreated)
	from, to := monday.AddDate(0, 0, -7), monday.AddDate(0, 4, 0)
	got := icaltest.Expand(t, feedGet(t, h, on["url"].(string), nil).Body.Bytes(), from, to)
	list := h.mustDo(alice, "GET", "/api/v1/occurrences?from="+from.Format(time.RFC3339)+"&to="+to.Format(time.RFC3339), nil, http.StatusOK)
	var want []string
	for _, o := range list["occurrences"].([]any) {
		m := o.(map[string]any)
		layout := time.RFC3339
		if len(m["start"].(string)) == len("2006-01-02") {
			layout = "2006-01-02" // all-day: the date, as the feed's DATE values
		}
		start, err := time.Parse(layout, m["start"].(string))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, start.UTC().Format(time.RFC3339)+" "+m["title"].(string))
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(want) < 30 {
		t.Fatalf("the feed expands to\n  %s\nthe occurrences API lists\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestSpaceFeedOnTheSpacePages: the space's administrator turns its feed on in the space's
// settings; its page then offers "Subscribe" to whoever sees it; a member who is no
// administrator cannot turn it off.
func TestSpaceFeedOnTheSpacePages(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice, bob := h.as("alice@example.com"), h.as("bob@example.com")
	res, _ := alice.submit("/spaces/new", url.Values{"name": {"Design"}, "visibility": {"public"}})
	id := spaceIDFrom(t, res)
	if _, body := alice.page("/spaces/" + id + "/settings"); !strings.Contains(body, "Turn the feed on") {
		t.Fatalf("the settings lack the feed:\n%s", body)
	}
	if res, _ := alice.submit("/spaces/"+id+"/feed", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turn on: %d", res.StatusCode)
	}
	_, body := alice.page("/spaces/" + id + "/settings")
	address := fieldValue(t, body, "space-feed-url")
	if !strings.Contains(address, "/feeds/") {
		t.Fatalf("no address in the settings:\n%s", body)
	}
	if _, body := bob.page("/spaces/" + id); !strings.Contains(body, `href="webcal://`) || !strings.Contains(body, ">Subscribe</a>") {
		t.Fatalf("the space's page offers no subscription to bob:\n%s", body)
	}
	if res, _ := bob.submit("/spaces/"+id+"/feed/off", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("bob turns the space's feed off: %d", res.StatusCode)
	}
	if res, _ := alice.submit("/spaces/"+id+"/feed/off", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turn off: %d", res.StatusCode)
	}
	if _, body := bob.page("/spaces/" + id); strings.Contains(body, ">Subscribe</a>") {
		t.Fatal("the space's page still offers the feed after it was turned off")
	}
}
