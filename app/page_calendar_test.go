package app

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

func TestCalendarViewsShowInstancesOnTheirDays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		e := h.event("alice@example.com", calendar.EventInput{Title: "Team standup", Start: "2026-03-02T09:00", End: "2026-03-02T09:15",
			TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6"})
		alice := h.as("alice@example.com")
		link := func(orig string) string { return `href="/events/` + itoa64(e.ID) + `?instance=` + orig + `"` }

		tests := []struct {
			name, path string
			want       []string
			notWant    []string
		}{
			{"month", "/calendar?date=2026-03-10", []string{"March 2026", link("2026-03-02T08%3A00%3A00Z"), link("2026-03-16T08%3A00%3A00Z"),
				`data-date="2026-03-02"`, `aria-current="date"`, "09:00"}, []string{link("2026-03-23T08%3A00%3A00Z")}},
			{"week", "/calendar?view=week&date=2026-03-04", []string{"2 – 8 March 2026", link("2026-03-02T08%3A00%3A00Z"), link("2026-03-04T08%3A00%3A00Z"),
				"09:00 – 09:15", `href="/events/new?date=2026-03-05&amp;time=14%3A00"`}, []string{link("2026-03-09T08%3A00%3A00Z")}},
			{"agenda", "/calendar?view=agenda&date=2026-03-02", []string{"Upcoming", "Monday 2 March", "Wednesday 11 March", link("2026-03-18T08%3A00%3A00Z")},
				[]string{"<h2>Monday 23 March"}},
			{"day", "/calendar?view=day&date=2026-03-04", []string{"Wednesday 4 March 2026", link("2026-03-04T08%3A00%3A00Z"), "09:00 – 09:15",
				`title="Times in Europe/Berlin">CET</abbr>`, `--days: 1`}, []string{link("2026-03-02T08%3A00%3A00Z")}},
			{"the start page is the month", "/", []string{"March 2026", link("2026-03-02T08%3A00%3A00Z")}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, body := alice.page(tt.path)
				if status != http.StatusOK {
					t.Fatalf("status %d:\n%s", status, body)
				}
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
				for _, w := range tt.notWant {
					if strings.Contains(body, w) {
						t.Errorf("page has %q", w)
					}
				}
			})
		}
	})
}

func TestCalendarNavigationAndBadParameters(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	_, body := alice.page("/calendar?date=2026-01-15")
	for _, w := range []string{`href="/calendar?date=2025-12-01" rel="prev"`, `href="/calendar?date=2026-02-01" rel="next"`,
		`href="/calendar?date=2026-03-02">Today`, `href="/calendar?date=2026-01-15&amp;view=week"`} {
		if !strings.Contains(body, w) {
			t.Errorf("month of January lacks %q", w)
		}
	}
	for _, path := range []string{"/calendar?date=yesterday", "/calendar?view=year", "/events/new?date=2026-02-30"} {
		if status, _ := alice.page(path); status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", path, status)
		}
	}
}

func TestTimesAreShownInTheViewersZone(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	e := h.event("alice@example.com", calendar.EventInput{Title: "Berlin review", Start: "2026-03-03T15:00", End: "2026-03-03T16:00",
		TimeZone: "Europe/Berlin"}, "carol@example.com")

	// Carol is in New York: 15:00 in Berlin is 09:00 there, and the event's own time is shown.
	carol := h.as("carol@example.com")
	_, body := carol.page("/calendar?view=agenda&date=2026-03-02")
	if !strings.Contains(body, "09:00 – 10:00") || !strings.Contains(body, "15:00 – 16:00 Europe/Berlin") {
		t.Errorf("agenda for New York lacks the local time and the event's zone:\n%s", body)
	}
	_, body = carol.page("/events/" + itoa64(e.ID))
	if !strings.Contains(body, "Tuesday 3 March 2026, 09:00 – 10:00") || !strings.Contains(body, "America/New_York") ||
		!strings.Contains(body, "Event time: Tuesday 3 March 2026, 15:00 – 16:00 (Europe/Berlin)") {
		t.Errorf("details for New York lack the local time or the event's own:\n%s", body)
	}
	// Alice is in Berlin: no second time.
	_, body = h.as("alice@example.com").page("/events/" + itoa64(e.ID))
	if strings.Contains(body, "Event time:") {
		t.Error("details show the event's zone to a viewer in the same zone")
	}

	// Changing the profile zone changes the times on every page.
	res, _ := carol.submit("/settings", map[string][]string{"timeZone": {"Asia/Tokyo"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the zone: status %d", res.StatusCode)
	}
	_, body = carol.page("/calendar?view=agenda&date=2026-03-02")
	if !strings.Contains(body, "23:00 – 00:00") {
		t.Errorf("after the change to Tokyo the agenda does not show 23:00:\n%s", body)
	}
	res, body = carol.submit("/settings", map[string][]string{"timeZone": {"Mars/Olympus"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Use an IANA time zone") {
		t.Errorf("an unknown zone: status %d, want 422 with a message", res.StatusCode)
	}
}

func TestMonthCellListsAFewAndLinksTheRest(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	for i := 0; i < 7; i++ {
		h.event("alice@example.com", calendar.EventInput{Title: "Busy " + itoa64(int64(i)), Start: "2026-03-04T1" + itoa64(int64(i)) + ":00",
			TimeZone: "Europe/Berlin"})
	}
	_, body := h.as("alice@example.com").page("/calendar?date=2026-03-04")
	const listed = 4 // of the seven, then "+3 more"
	if n := strings.Count(body, ">Busy "); n != listed {
		t.Errorf("%d instances listed in the cell, want %d", n, listed)
	}
	if !strings.Contains(body, "+3 more") || !strings.Contains(body, `href="/calendar?date=2026-03-04&amp;view=agenda"`) {
		t.Error("the cell does not link the instances it leaves out")
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
