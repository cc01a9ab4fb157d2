package fakeoutlook

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Raw-HTTP tests of the event endpoints: every shape and quirk issue 4
// lists. The SDK-driven tests in sdk_test.go prove the SDK parses them.

func (f *fixture) createSeries(tok string, body map[string]any) map[string]any {
	f.t.Helper()
	return f.must(http.StatusCreated, call{method: "POST", path: "/me/events", token: tok, body: body}).json(f.t)
}

func (f *fixture) instances(tok, masterID, window string) []map[string]any {
	f.t.Helper()
	r := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(masterID) + "/instances?" + window + "&$top=100", token: tok})
	return values(f.t, r.json(f.t))
}

func TestCreateSeriesAnswersAMasterAsGraphDoes(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	ev := f.createSeries(tok, weeklySeries("Team sync", "W. Europe Standard Time", nil))

	checks := map[string]any{
		"type": "seriesMaster", "subject": "Team sync", "originalStartTimeZone": "W. Europe Standard Time",
		"isOrganizer": true, "seriesMasterId": nil, "transactionId": nil,
	}
	for k, want := range checks {
		if ev[k] != want {
			t.Errorf("%s = %v, want %v", k, ev[k], want)
		}
	}
	if ev["@odata.etag"] != `W/"`+ev["changeKey"].(string)+`"` {
		t.Errorf("@odata.etag %v does not carry changeKey %v", ev["@odata.etag"], ev["changeKey"])
	}
	start := ev["start"].(map[string]any)
	if start["dateTime"] != "2025-01-06T08:00:00.0000000" || start["timeZone"] != "UTC" {
		t.Errorf("start = %v, want 09:00 Berlin as UTC with seven fractional digits", start)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$`).MatchString(ev["createdDateTime"].(string)) {
		t.Errorf("createdDateTime %v", ev["createdDateTime"])
	}
	rec := ev["recurrence"].(map[string]any)
	pattern, rng := rec["pattern"].(map[string]any), rec["range"].(map[string]any)
	defaults := map[string]any{"firstDayOfWeek": "sunday", "index": "first", "month": 0.0, "dayOfMonth": 0.0}
	for k, want := range defaults {
		if pattern[k] != want {
			t.Errorf("pattern.%s = %v, want Graph's default %v", k, pattern[k], want)
		}
	}
	if rng["endDate"] != "0001-01-01" || rng["numberOfOccurrences"] != 0.0 || rng["recurrenceTimeZone"] != "W. Europe Standard Time" {
		t.Errorf("range = %v, want Graph's defaults", rng)
	}
	uid, _ := ev["iCalUId"].(string)
	if !strings.HasPrefix(uid, globalObjectIDPrefix) {
		t.Errorf("iCalUId %q is not GlobalObjectId-shaped", uid)
	}
}

func TestSeriesRangeStartMustBeTheStartDate(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	body := weeklySeries("x", "UTC", map[string]any{"type": "noEnd", "startDate": "2025-01-07"})
	r := f.must(http.StatusBadRequest, call{method: "POST", path: "/me/events", token: tok, body: body})
	if errorCode(t, r) != "ErrorPropertyValidationFailure" || !strings.Contains(string(r.body), "startDate") {
		t.Errorf("error %s", r.body)
	}
}

func TestDeletedOccurrenceIsMissingAndListedInCancelledOccurrences(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	id := master["id"].(string)
	before := f.instances(tok, id, january)
	if len(before) != 4 {
		t.Fatalf("%d instances in January, want 4 Mondays from the 6th", len(before))
	}
	second := before[1]
	if second["type"] != "occurrence" || second["seriesMasterId"] != id || second["originalStart"] != "2025-01-13T09:00:00Z" {
		t.Fatalf("second instance %v", second)
	}
	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(second["id"].(string)), token: tok})

	after := f.instances(tok, id, january)
	for _, in := range after {
		if in["id"] == second["id"] {
			t.Fatal("the deleted occurrence is still listed")
		}
	}
	if len(after) != 3 {
		t.Errorf("%d instances after the delete, want 3", len(after))
	}
	view := values(t, f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?" + january, token: tok}).json(t))
	if len(view) != 3 {
		t.Errorf("calendarView has %d items, want 3 (no master, no deleted occurrence)", len(view))
	}
	f.must(http.StatusNotFound, call{method: "GET", path: "/me/events/" + url.PathEscape(second["id"].(string)), token: tok})

	plain := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(id), token: tok}).json(t)
	if _, ok := plain["cancelledOccurrences"]; ok {
		t.Error("cancelledOccurrences returned without $select")
	}
	sel := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(id) + "?$select=subject,cancelledOccurrences", token: tok}).json(t)
	got, _ := sel["cancelledOccurrences"].([]any)
	if len(got) != 1 || got[0] != "OID."+id+".2025-01-13" {
		t.Errorf("cancelledOccurrences = %v, want [OID.{masterId}.2025-01-13]", sel["cancelledOccurrences"])
	}
	if _, ok := sel["start"]; ok {
		t.Error("$select returned a property it did not name")
	}
}

func TestPatchedOccurrenceBecomesAnException(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "W. Europe Standard Time", nil))
	occ := f.instances(tok, master["id"].(string), january)[2]

	patched := f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(occ["id"].(string)), token: tok,
		body: map[string]any{"subject": "Sync (moved)",
			"start": map[string]any{"dateTime": "2025-01-20T15:00:00", "timeZone": "W. Europe Standard Time"},
			"end":   map[string]any{"dateTime": "2025-01-20T15:30:00", "timeZone": "W. Europe Standard Time"}}}).json(t)
	if patched["type"] != "exception" || patched["id"] != occ["id"] || patched["originalStart"] != "2025-01-20T08:00:00Z" {
		t.Fatalf("patched occurrence: type %v id kept %t originalStart %v", patched["type"], patched["id"] == occ["id"], patched["originalStart"])
	}
	if patched["start"].(map[string]any)["dateTime"] != "2025-01-20T14:00:00.0000000" {
		t.Errorf("exception start %v", patched["start"])
	}
	after := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(master["id"].(string)), token: tok}).json(t)
	if after["changeKey"] == master["changeKey"] {
		t.Error("the master's changeKey did not change, though its exception did")
	}
	if after["subject"] != "Sync" {
		t.Errorf("the master's subject became %v", after["subject"])
	}
}

func TestOccurrenceCannotCrossItsNeighbour(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	occ := f.instances(tok, master["id"].(string), january)[1] // 13 January
	r := f.must(http.StatusBadRequest, call{method: "PATCH", path: "/me/events/" + url.PathEscape(occ["id"].(string)), token: tok,
		body: map[string]any{"start": map[string]any{"dateTime": "2025-01-20T10:00:00", "timeZone": "UTC"},
			"end": map[string]any{"dateTime": "2025-01-20T10:30:00", "timeZone": "UTC"}}})
	if errorCode(t, r) != "ErrorOccurrenceCrossingBoundary" {
		t.Errorf("code %s", errorCode(t, r))
	}
}

func TestStaleIfMatchGets412(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	ev := f.createSeries(tok, map[string]any{"subject": "One-off",
		"start": map[string]any{"dateTime": "2025-01-07T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-01-07T11:00:00", "timeZone": "UTC"}})
	path := "/me/events/" + url.PathEscape(ev["id"].(string))
	etag := ev["@odata.etag"].(string)
	first := f.must(http.StatusOK, call{method: "PATCH", path: path, token: tok, body: map[string]any{"subject": "A"},
		headers: map[string]string{"If-Match": etag}}).json(t)
	r := f.must(http.StatusPreconditionFailed, call{method: "PATCH", path: path, token: tok, body: map[string]any{"subject": "B"},
		headers: map[string]string{"If-Match": etag}})
	if errorCode(t, r) != "ErrorIrresolvableConflict" {
		t.Errorf("code %s", errorCode(t, r))
	}
	f.must(http.StatusOK, call{method: "PATCH", path: path, token: tok, body: map[string]any{"subject": "B"},
		headers: map[string]string{"If-Match": first["@odata.etag"].(string)}})
}

func TestTransactionIDMakesARepeatedPostReturnTheFirstEvent(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	body := map[string]any{"subject": "Created once", "transactionId": "7E163156-7762-4BEB-A1C6-729EA81755A7",
		"start": map[string]any{"dateTime": "2025-01-07T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-01-07T11:00:00", "timeZone": "UTC"}}
	a := f.createSeries(tok, body)
	b := f.createSeries(tok, body)
	if a["id"] != b["id"] || b["transactionId"] != "7E163156-7762-4BEB-A1C6-729EA81755A7" {
		t.Fatalf("repeated POST made %v then %v", a["id"], b["id"])
	}
	list := values(t, f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: tok}).json(t))
	if len(list) != 1 {
		t.Errorf("%d events, want 1", len(list))
	}
}

func TestPatternChangeDropsExceptionsAndCancellations(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	id := master["id"].(string)
	inst := f.instances(tok, id, january)
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(inst[1]["id"].(string)), token: tok, body: map[string]any{"subject": "changed"}})
	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(inst[2]["id"].(string)), token: tok})

	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(id), token: tok, body: map[string]any{
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": 1, "daysOfWeek": []string{"monday", "wednesday"}},
			"range":   map[string]any{"type": "noEnd", "startDate": "2025-01-06"}}}})
	after := f.instances(tok, id, january)
	if len(after) != 8 {
		t.Fatalf("%d instances, want 8 Mondays and Wednesdays", len(after))
	}
	for _, in := range after {
		if in["type"] != "occurrence" || in["subject"] != "Sync" {
			t.Errorf("instance %v %v survived the pattern change", in["type"], in["subject"])
		}
	}
	sel := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(id) + "?$select=cancelledOccurrences", token: tok}).json(t)
	if len(sel["cancelledOccurrences"].([]any)) != 0 {
		t.Errorf("cancellations survived the pattern change: %v", sel["cancelledOccurrences"])
	}
}

func TestShorteningTheRangeDropsOnlyLaterExceptions(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	id := master["id"].(string)
	inst := f.instances(tok, id, january)
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(inst[0]["id"].(string)), token: tok, body: map[string]any{"subject": "early"}})
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(inst[3]["id"].(string)), token: tok, body: map[string]any{"subject": "late"}})
	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(inst[2]["id"].(string)), token: tok})

	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(id), token: tok, body: map[string]any{
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": 1, "daysOfWeek": []string{"monday"}},
			"range":   map[string]any{"type": "endDate", "startDate": "2025-01-06", "endDate": "2025-01-14"}}}})
	after := f.instances(tok, id, january)
	if got := strings.Join(subjects(after), ","); got != "Sync,early" && got != "early,Sync" {
		t.Errorf("instances %s, want the early exception and one occurrence", got)
	}
	sel := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(id) + "?$select=cancelledOccurrences", token: tok}).json(t)
	if len(sel["cancelledOccurrences"].([]any)) != 0 {
		t.Errorf("a cancellation past the new end survived: %v", sel["cancelledOccurrences"])
	}
	// Lengthening the range again does not bring the late exception back.
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(id), token: tok, body: map[string]any{
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": 1, "daysOfWeek": []string{"monday"}},
			"range":   map[string]any{"type": "noEnd", "startDate": "2025-01-06"}}}})
	for _, in := range f.instances(tok, id, january) {
		if in["subject"] == "late" {
			t.Error("the dropped exception came back")
		}
	}
}

func TestSeriesSubjectChangeDoesNotReachExceptions(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	id := master["id"].(string)
	inst := f.instances(tok, id, january)
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(inst[1]["id"].(string)), token: tok,
		body: map[string]any{"location": map[string]any{"displayName": "Room 2"}}})
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(id), token: tok, body: map[string]any{"subject": "Renamed"}})
	got := subjects(f.instances(tok, id, january))
	if strings.Join(got, ",") != "Sync,Renamed,Renamed,Renamed" {
		t.Errorf("subjects %v: the exception should keep the old subject (exceptions listed first)", got)
	}
}

func TestThisAndAllFollowingLeavesTwoUnlinkedSeries(t *testing.T) {
	f := newFixture(t, Options{})
	f.token("ada@example.com")
	old, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Planning", TimeZone: "Europe/Berlin",
		Start: time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC),
		Recurrence: &PatternedRecurrence{Pattern: RecurrencePattern{Type: "weekly", DaysOfWeek: []string{"monday"}},
			Range: RecurrenceRange{Type: "numbered", NumberOfOccurrences: 6}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.fake.UpdateOccurrence("ada@example.com", old.ID, time.Date(2025, 1, 27, 8, 0, 0, 0, time.UTC),
		Change{Subject: ptr("late exception")}); err != nil {
		t.Fatal(err)
	}
	later := time.Date(2025, 1, 20, 9, 0, 0, 0, time.UTC)
	child, err := f.fake.SplitSeries("ada@example.com", old.ID, time.Date(2025, 1, 20, 8, 0, 0, 0, time.UTC),
		Change{Subject: ptr("Planning (new time)"), Start: &later, End: ptr(later.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	parent, _ := f.fake.GetEvent("ada@example.com", old.ID)
	if parent.Recurrence.Range.Type != "endDate" || parent.Recurrence.Range.EndDate != "2025-01-13" {
		t.Errorf("parent range %+v, want it to end on the 13th", parent.Recurrence.Range)
	}
	if child.ICalUID == parent.ICalUID || child.SeriesMasterID != "" {
		t.Error("the new series is linked to the old one")
	}
	if child.Recurrence.Range.Type != "numbered" || child.Recurrence.Range.NumberOfOccurrences != 4 || child.Recurrence.Range.StartDate != "2025-01-20" {
		t.Errorf("child range %+v, want the remaining 4 occurrences from the 20th", child.Recurrence.Range)
	}
	all, _ := f.fake.CalendarView("ada@example.com", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	var got []string
	for _, e := range all {
		got = append(got, e.Start.Format("01-02T15")+" "+e.Subject)
		if e.Subject == "late exception" {
			t.Error("the exception past the split survived")
		}
	}
	want := "01-06T08 Planning,01-13T08 Planning,01-20T09 Planning (new time),01-27T09 Planning (new time),02-03T09 Planning (new time),02-10T09 Planning (new time)"
	if strings.Join(got, ",") != want {
		t.Errorf("calendar\n got %s\nwant %s", strings.Join(got, ","), want)
	}
}

func TestPreferOutlookTimezone(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	f.createSeries(tok, weeklySeries("Sync", "Europe/Berlin", nil))
	r := f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?" + january, token: tok,
		headers: map[string]string{"Prefer": `outlook.timezone="Pacific Standard Time"`}})
	if r.header.Get("Preference-Applied") != `outlook.timezone="Pacific Standard Time"` {
		t.Errorf("Preference-Applied = %q", r.header.Get("Preference-Applied"))
	}
	first := values(t, r.json(t))[0]["start"].(map[string]any)
	if first["dateTime"] != "2025-01-06T00:00:00.0000000" || first["timeZone"] != "Pacific Standard Time" {
		t.Errorf("start %v, want 09:00 Berlin as midnight Pacific", first)
	}
}

func TestGzippedRequestBodiesAreAccepted(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprint(zw, `{"subject":"zipped","start":{"dateTime":"2025-01-07T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2025-01-07T11:00:00","timeZone":"UTC"}}`)
	zw.Close()
	ev := f.must(http.StatusCreated, call{method: "POST", path: "/me/events", token: tok, body: buf.Bytes(),
		headers: map[string]string{"Content-Encoding": "gzip"}}).json(t)
	if ev["subject"] != "zipped" {
		t.Errorf("subject %v", ev["subject"])
	}
}

func TestErrorsHaveGraphsShape(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	r := f.must(http.StatusNotFound, call{method: "GET", path: "/me/events/" + url.PathEscape(newEventID()), token: tok,
		headers: map[string]string{"client-request-id": "c-1"}})
	e := r.json(t)["error"].(map[string]any)
	inner, _ := e["innerError"].(map[string]any)
	if e["code"] != "ErrorItemNotFound" || e["message"] == "" || inner["request-id"] == nil || inner["date"] == nil || inner["client-request-id"] != "c-1" {
		t.Errorf("error body %s", r.body)
	}
	if r.header.Get("request-id") == "" {
		t.Error("no request-id header")
	}
}

func TestUnknownPropertyIsRefused(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	r := f.must(http.StatusBadRequest, call{method: "POST", path: "/me/events", token: tok,
		body: map[string]any{"subject": "x", "colour": "red", "@odata.type": "#microsoft.graph.event"}})
	if errorCode(t, r) != "RequestBodyRead" || !strings.Contains(string(r.body), "colour") {
		t.Errorf("error %s", r.body)
	}
}

func TestExtendedPropertiesAreStoredAndReturnedWithExpand(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	const propID = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name intracal"
	ev := f.createSeries(tok, map[string]any{"subject": "tagged",
		"start": map[string]any{"dateTime": "2025-01-07T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-01-07T11:00:00", "timeZone": "UTC"},
		"singleValueExtendedProperties": []map[string]string{{"id": propID, "value": "event-42"},
			{"id": "String {00020329-0000-0000-C000-000000000046} Name other", "value": "x"}}})
	if _, ok := ev["singleValueExtendedProperties"]; ok {
		t.Error("extended properties returned without $expand")
	}
	path := "/me/events/" + url.PathEscape(ev["id"].(string)) + "?$expand=" +
		url.QueryEscape("singleValueExtendedProperties($filter=id eq '"+propID+"')")
	got := f.must(http.StatusOK, call{method: "GET", path: path, token: tok}).json(t)
	props, _ := got["singleValueExtendedProperties"].([]any)
	if len(props) != 1 || props[0].(map[string]any)["value"] != "event-42" {
		t.Errorf("expanded properties %v, want only the filtered one", got["singleValueExtendedProperties"])
	}
	filter := url.QueryEscape("singleValueExtendedProperties/Any(ep: ep/id eq '" + propID + "' and ep/value eq 'event-42')")
	found := values(t, f.must(http.StatusOK, call{method: "GET", path: "/me/events?$filter=" + filter, token: tok}).json(t))
	if len(found) != 1 || found[0]["id"] != ev["id"] {
		t.Errorf("$filter on the extended property found %v", idsOf(found))
	}
}

func TestIDsAndUserPathForms(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	ev := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	id := ev["id"].(string)
	if !strings.HasSuffix(id, "=") {
		t.Fatalf("id %q has no padding", id)
	}
	mb := f.fake.Mailboxes()[0]
	for _, path := range []string{
		"/me/events/" + url.PathEscape(id),
		"/me/events/" + strings.ReplaceAll(id, "=", "%3D"),
		"/me/events/" + id,
		"/users/" + mb.ID + "/events/" + url.PathEscape(id),
		"/users/ada@example.com/events/" + url.PathEscape(id),
		"/users/me-token-to-replace/events/" + url.PathEscape(id),
		"/me/calendar/events/" + url.PathEscape(id),
		"/ME/Events/" + url.PathEscape(id),
	} {
		r := f.do(call{method: "GET", path: path, token: tok})
		if r.status != http.StatusOK || r.json(t)["id"] != id {
			t.Errorf("GET %s: %d", path, r.status)
		}
	}
}

func TestEventsArePagedWithNextLinks(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	for i := range 12 {
		f.createSeries(tok, map[string]any{"subject": fmt.Sprintf("e%02d", i),
			"start": map[string]any{"dateTime": "2025-01-07T10:00:00", "timeZone": "UTC"},
			"end":   map[string]any{"dateTime": "2025-01-07T11:00:00", "timeZone": "UTC"}})
	}
	var seen []string
	next := f.graph("/me/events?$select=subject")
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("too many pages")
		}
		body := f.must(http.StatusOK, call{method: "GET", path: next, token: tok}).json(t)
		seen = append(seen, subjects(values(t, body))...)
		next, _ = body["@odata.nextLink"].(string)
	}
	if len(seen) != 12 || seen[0] != "e00" || seen[11] != "e11" {
		t.Errorf("paged through %v", seen)
	}
}

func TestCalendarViewNeedsAWindow(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	r := f.must(http.StatusBadRequest, call{method: "GET", path: "/me/calendarView?startDateTime=2025-01-01T00:00:00Z", token: tok})
	if errorCode(t, r) != "ErrorInvalidParameter" {
		t.Errorf("code %s", errorCode(t, r))
	}
}

func TestAllDayAndMonthlyLastDayThroughGraph(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	ev := f.createSeries(tok, map[string]any{"subject": "Month end", "isAllDay": true,
		"start": map[string]any{"dateTime": "2025-01-31T00:00:00", "timeZone": "Europe/Berlin"},
		"end":   map[string]any{"dateTime": "2025-02-01T00:00:00", "timeZone": "Europe/Berlin"},
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31},
			"range":   map[string]any{"type": "numbered", "startDate": "2025-01-31", "numberOfOccurrences": 3}}})
	inst := f.instances(tok, ev["id"].(string), "startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-06-01T00:00:00Z")
	got := startsOf(t, inst)
	// All-day items are midnight to midnight of their dates whatever zone is asked for
	// (here UTC), while originalStart is the series zone's midnight in UTC.
	want := "2025-01-31T00:00:00.0000000,2025-02-28T00:00:00.0000000,2025-03-31T00:00:00.0000000"
	if strings.Join(got, ",") != want {
		t.Errorf("starts %v, want the dates 31 Jan, 28 Feb, 31 Mar at midnight", got)
	}
	var orig []string
	for _, in := range inst {
		orig = append(orig, in["originalStart"].(string))
	}
	if strings.Join(orig, ",") != "2025-01-30T23:00:00Z,2025-02-27T23:00:00Z,2025-03-30T22:00:00Z" {
		t.Errorf("originalStart %v, want Berlin midnight of 31 Jan, 28 Feb, 31 Mar in UTC", orig)
	}
	r := f.must(http.StatusBadRequest, call{method: "POST", path: "/me/events", token: tok, body: map[string]any{"subject": "bad", "isAllDay": true,
		"start": map[string]any{"dateTime": "2025-01-31T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-02-01T00:00:00", "timeZone": "UTC"}}})
	if errorCode(t, r) != "ErrorPropertyValidationFailure" {
		t.Errorf("all-day event not at midnight: %s", r.body)
	}
}

func TestICalUIDPerSeriesOrPerOccurrence(t *testing.T) {
	for _, perOccurrence := range []bool{false, true} {
		t.Run(fmt.Sprintf("per occurrence %t", perOccurrence), func(t *testing.T) {
			f := newFixture(t, Options{Quirks: Quirks{ICalUIDPerOccurrence: perOccurrence}})
			tok := f.token("ada@example.com")
			master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
			inst := f.instances(tok, master["id"].(string), january)
			uid0, uid1 := inst[0]["iCalUId"].(string), inst[1]["iCalUId"].(string)
			if perOccurrence {
				// The instance's date sits in bytes 16-19 of the GlobalObjectId.
				if uid0 == uid1 || uid1[32:40] != "07E9010D" || uid1[40:] != master["iCalUId"].(string)[40:] {
					t.Errorf("occurrence iCalUIds %s %s", uid0, uid1)
				}
			} else if uid0 != master["iCalUId"] || uid1 != master["iCalUId"] {
				t.Errorf("occurrences do not share the series' iCalUId")
			}
		})
	}
}

func TestAllDayOccurrencesEndAtMidnightAcrossDaylightSaving(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	ev := f.createSeries(tok, map[string]any{"subject": "Trip", "isAllDay": true,
		"start": map[string]any{"dateTime": "2027-03-14T00:00:00", "timeZone": "Eastern Standard Time"},
		"end":   map[string]any{"dateTime": "2027-03-15T00:00:00", "timeZone": "Eastern Standard Time"},
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "daily", "interval": 1},
			"range":   map[string]any{"type": "numbered", "startDate": "2027-03-14", "numberOfOccurrences": 3}}})
	inst := f.instances(tok, ev["id"].(string), "startDateTime=2027-03-01T00:00:00Z&endDateTime=2027-04-01T00:00:00Z")
	var got []string
	for _, in := range inst {
		got = append(got, in["start"].(map[string]any)["dateTime"].(string)[:10]+".."+in["end"].(map[string]any)["dateTime"].(string)[:10])
	}
	// 14 March 2027, the first day, is 23 hours long in New York: each later occurrence still
	// lasts until the next midnight, not 23 hours.
	if strings.Join(got, ",") != "2027-03-14..2027-03-15,2027-03-15..2027-03-16,2027-03-16..2027-03-17" {
		t.Errorf("all-day occurrences %v, want one day each", got)
	}
}

// An all-day series split on the day daylight saving time ends (Sydney, 4 April 2027) gets a
// new series that starts and ends at midnight there, as Outlook's own does: its first day
// has 25 hours, and the series' 24 would end it at 23:00.
func TestAllDaySplitOnAChangeOfDaylightSavingTime(t *testing.T) {
	f := newFixture(t, Options{})
	f.token("ada@example.com")
	syd, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2027, 3, 21, 0, 0, 0, 0, syd)
	old, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Sundays", TimeZone: "Australia/Sydney", IsAllDay: true,
		Start: first, End: first.AddDate(0, 0, 1),
		Recurrence: &PatternedRecurrence{Pattern: RecurrencePattern{Type: "weekly", DaysOfWeek: []string{"sunday"}},
			Range: RecurrenceRange{Type: "numbered", NumberOfOccurrences: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2027, 4, 4, 0, 0, 0, 0, syd)
	child, err := f.fake.SplitSeries("ada@example.com", old.ID, at, Change{Location: ptr("Split")})
	if err != nil {
		t.Fatalf("split on the last day of daylight saving time: %v", err)
	}
	if s, e := child.Start.In(syd), child.End.In(syd); !s.Equal(at) || !e.Equal(time.Date(2027, 4, 5, 0, 0, 0, 0, syd)) {
		t.Errorf("the new series runs %v to %v, want midnight to midnight of 4 April in Sydney", s, e)
	}
}
