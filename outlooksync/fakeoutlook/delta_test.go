package fakeoutlook

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Delta tests, against the shapes of concepts/delta-query-events.md and
// api-reference/v1.0/api/event-delta.md and the field reports noted in
// delta.go.

const deltaWindow = "startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-02-01T00:00:00Z"

// deltaRound follows next links from start until a delta link, returning
// every item and the delta link.
func (f *fixture) deltaRound(tok, start string, pageSize string) (items []map[string]any, deltaLink string, pages int) {
	f.t.Helper()
	next := start
	headers := map[string]string{}
	if pageSize != "" {
		headers["Prefer"] = "odata.maxpagesize=" + pageSize
	}
	for next != "" {
		pages++
		if pages > 50 {
			f.t.Fatal("delta did not end")
		}
		body := f.must(http.StatusOK, call{method: "GET", path: next, token: tok, headers: headers}).json(f.t)
		items = append(items, values(f.t, body)...)
		next, _ = body["@odata.nextLink"].(string)
		if d, ok := body["@odata.deltaLink"].(string); ok {
			if next != "" {
				f.t.Fatal("a page has both a next link and a delta link")
			}
			deltaLink = d
		}
	}
	return items, deltaLink, pages
}

func byType(items []map[string]any) map[string]int {
	out := map[string]int{}
	for _, it := range items {
		if _, ok := it["@removed"]; ok {
			out["removed"]++
			continue
		}
		t, _ := it["type"].(string)
		out[t]++
	}
	return out
}

func TestDeltaFirstRoundPagesToADeltaLink(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	inst := f.instances(tok, master["id"].(string), january)
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(inst[1]["id"].(string)), token: tok, body: map[string]any{"subject": "moved"}})
	f.createSeries(tok, map[string]any{"subject": "Single",
		"start": map[string]any{"dateTime": "2025-01-08T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-01-08T11:00:00", "timeZone": "UTC"}})
	f.createSeries(tok, map[string]any{"subject": "Outside the window",
		"start": map[string]any{"dateTime": "2025-03-08T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-03-08T11:00:00", "timeZone": "UTC"}})

	first := f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView/delta?" + deltaWindow, token: tok,
		headers: map[string]string{"Prefer": "odata.maxpagesize=2"}})
	body := first.json(t)
	if len(values(t, body)) != 0 || !strings.Contains(body["@odata.nextLink"].(string), "$skiptoken=") {
		t.Fatalf("first delta page %s, want an empty page with a $skiptoken next link", first.body)
	}
	if !strings.Contains(first.header.Get("Preference-Applied"), "odata.track-changes") ||
		!strings.Contains(first.header.Get("Preference-Applied"), "odata.maxpagesize=2") {
		t.Errorf("Preference-Applied = %q", first.header.Get("Preference-Applied"))
	}
	items, deltaLink, pages := f.deltaRound(tok, body["@odata.nextLink"].(string), "2")
	if !strings.Contains(deltaLink, "$deltatoken=") {
		t.Fatalf("delta link %q", deltaLink)
	}
	counts := byType(items)
	if counts["seriesMaster"] != 0 || counts["occurrence"] != 3 || counts["exception"] != 1 || counts["singleInstance"] != 1 || len(items) != 5 {
		t.Fatalf("first round %v, want 3 occurrences, 1 exception and the single in the window, and no master", counts)
	}
	if pages != 3 {
		t.Errorf("%d pages of at most 2 items for 5 items, want 3", pages)
	}
	for _, it := range items {
		if it["type"] == "occurrence" {
			if _, full := it["subject"]; full || it["seriesMasterId"] != master["id"] || it["start"] == nil || it["end"] == nil {
				t.Errorf("occurrence %v, want a stub: id, type, seriesMasterId, start, end", it)
			}
		}
		if it["type"] == "exception" && (it["subject"] != "moved" || it["originalStart"] == nil) {
			t.Errorf("exception %v, want it in full", it)
		}
	}

	// Nothing changed: the next round is one page with no items.
	again, link2, pages2 := f.deltaRound(tok, deltaLink, "")
	if len(again) != 0 || pages2 != 1 || link2 == "" {
		t.Errorf("unchanged round: %d items in %d pages", len(again), pages2)
	}
}

func TestDeltaReportsChangesAndRemovals(t *testing.T) {
	// The series whose occurrence is deleted must show up, to see how: the earlier field
	// reports' behaviour, with masters in the pages.
	f := newFixture(t, Options{Quirks: Quirks{DeltaReportsSeriesOfCancelledOccurrence: true, DeltaIncludesMasters: true}})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	single := f.createSeries(tok, map[string]any{"subject": "Single",
		"start": map[string]any{"dateTime": "2025-01-08T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-01-08T11:00:00", "timeZone": "UTC"}})
	mover := f.createSeries(tok, map[string]any{"subject": "Will move away",
		"start": map[string]any{"dateTime": "2025-01-09T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-01-09T11:00:00", "timeZone": "UTC"}})
	_, deltaLink, _ := f.deltaRound(tok, f.graph("/me/calendarView/delta?"+deltaWindow), "")

	inst := f.instances(tok, master["id"].(string), january)
	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(inst[2]["id"].(string)), token: tok})
	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(single["id"].(string)), token: tok})
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(mover["id"].(string)), token: tok, body: map[string]any{
		"start": map[string]any{"dateTime": "2025-04-09T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-04-09T11:00:00", "timeZone": "UTC"}}})
	outside := f.createSeries(tok, map[string]any{"subject": "Created outside the window",
		"start": map[string]any{"dateTime": "2025-05-09T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-05-09T11:00:00", "timeZone": "UTC"}})

	items, _, _ := f.deltaRound(tok, deltaLink, "")
	removedIDs := map[string]bool{}
	for _, it := range items {
		if r, ok := it["@removed"].(map[string]any); ok {
			if r["reason"] != "deleted" {
				t.Errorf("@removed reason %v", r["reason"])
			}
			removedIDs[it["id"].(string)] = true
		}
	}
	for name, id := range map[string]any{"deleted single": single["id"], "moved out of the window": mover["id"], "new outside the window": outside["id"]} {
		if !removedIDs[id.(string)] {
			t.Errorf("the %s is not reported as @removed", name)
		}
	}
	if removedIDs[inst[2]["id"].(string)] {
		t.Error("the deleted occurrence was reported as @removed; Outlook only reports its master as updated")
	}
	counts := byType(items)
	if counts["seriesMaster"] != 1 || counts["occurrence"] != 3 {
		t.Errorf("the changed series came back as %v, want its master and its 3 remaining occurrences", counts)
	}
}

func TestDeltaShowsNothingOfADeletedOccurrence(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	_, deltaLink, _ := f.deltaRound(tok, f.graph("/me/calendarView/delta?"+deltaWindow), "")
	inst := f.instances(tok, master["id"].(string), january)
	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(inst[2]["id"].(string)), token: tok})
	items, deltaLink, _ := f.deltaRound(tok, deltaLink, "")
	if len(items) != 0 {
		t.Errorf("a deleted occurrence showed in delta as %v; by default it leaves no trace", byType(items))
	}
	// A later change of the series is seen, and its occurrences then lack the deleted one.
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(master["id"].(string)), token: tok, body: map[string]any{"subject": "Sync 2"}})
	items, _, _ = f.deltaRound(tok, deltaLink, "")
	if counts := byType(items); counts["occurrence"] != 3 || counts["seriesMaster"] != 0 {
		t.Errorf("after a series change delta has %v, want its 3 remaining occurrences", counts)
	}
}

func TestDeltaTokenTooManyRoundsOldIsGone(t *testing.T) {
	f := newFixture(t, Options{DeltaGenerationsKept: 2})
	tok := f.token("ada@example.com")
	f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	_, old, _ := f.deltaRound(tok, f.graph("/me/calendarView/delta?"+deltaWindow), "")
	link := old
	for range 2 {
		_, link, _ = f.deltaRound(tok, link, "")
	}
	f.must(http.StatusOK, call{method: "GET", path: old, token: tok})
	_, link, _ = f.deltaRound(tok, link, "")
	r := f.must(http.StatusGone, call{method: "GET", path: old, token: tok})
	if errorCode(t, r) != "SyncStateNotFound" {
		t.Errorf("a token 3 rounds old: %s", r.body)
	}
	f.must(http.StatusOK, call{method: "GET", path: link, token: tok})
}

func TestDeltaCanReportCancelledOccurrencesAsRemoved(t *testing.T) {
	f := newFixture(t, Options{Quirks: Quirks{DeltaRemovesCancelledOccurrences: true, DeltaFirstPageNotEmpty: true}})
	tok := f.token("ada@example.com")
	master := f.createSeries(tok, weeklySeries("Sync", "UTC", nil))
	first := f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView/delta?" + deltaWindow, token: tok}).json(t)
	if len(values(t, first)) != 4 {
		t.Fatalf("first page has %d items, want the 4 occurrences at once", len(values(t, first)))
	}
	inst := f.instances(tok, master["id"].(string), january)
	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(inst[0]["id"].(string)), token: tok})
	items, _, _ := f.deltaRound(tok, first["@odata.deltaLink"].(string), "")
	counts := byType(items)
	if counts["removed"] != 1 || counts["seriesMaster"] != 0 || counts["occurrence"] != 3 {
		t.Errorf("round %v, want one @removed, no master, 3 occurrences", counts)
	}
}

func TestDeltaTokensGone(t *testing.T) {
	tests := []struct {
		name string
		gone func(f *fixture, link string) string
	}{
		{"unknown token", func(f *fixture, link string) string {
			return f.graph("/me/calendarView/delta?$deltatoken=not-a-token")
		}},
		{"expired on demand", func(f *fixture, link string) string {
			if err := f.fake.ExpireDeltaTokens("ada@example.com"); err != nil {
				f.t.Fatal(err)
			}
			return link
		}},
		{"expired by age", func(f *fixture, link string) string {
			f.clock.Advance(8 * 24 * time.Hour)
			return link
		}},
		{"injected fault", func(f *fixture, link string) string {
			f.fake.InjectFault(Fault{Kind: FaultDeltaGone, Mailbox: "ada@example.com", Times: 1})
			return link
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{})
			tok := f.token("ada@example.com")
			_, link, _ := f.deltaRound(tok, f.graph("/me/calendarView/delta?"+deltaWindow), "")
			target := tt.gone(f, link)
			tok = f.token("ada@example.com") // the old one may have expired with the clock
			r := f.must(http.StatusGone, call{method: "GET", path: target, token: tok})
			if errorCode(t, r) != "SyncStateNotFound" {
				t.Errorf("code %s", errorCode(t, r))
			}
		})
	}
}

func TestDeltaPathForms(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	for _, p := range []string{"/me/calendarView/delta", "/me/calendarView/delta()", "/me/calendarView/delta%28%29",
		"/users/me-token-to-replace/calendarview/delta%28%29"} {
		r := f.do(call{method: "GET", path: p + "?" + deltaWindow, token: tok})
		if r.status != http.StatusOK || r.json(t)["@odata.nextLink"] == nil {
			t.Errorf("GET %s: %d %s", p, r.status, r.body)
		}
	}
	r := f.must(http.StatusBadRequest, call{method: "GET", path: "/me/calendarView/delta?$select=subject&" + deltaWindow, token: tok})
	if errorCode(t, r) != "ErrorInvalidUrlQuery" {
		t.Errorf("$select on delta: %s", r.body)
	}
}
