package app

import (
	"regexp"
	"strings"
	"testing"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// between is the part of body from the first from up to the next to after it (or the end),
// for assertions on one region of a page.
func between(body, from, to string) string {
	i := strings.Index(body, from)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest[len(from):], to); j >= 0 {
		return rest[:len(from)+j]
	}
	return rest
}

// Two 15-minute instances one after the other overlap on the screen (a chip is at least 24
// minutes high), so they stand side by side, each half the width.
func TestWeekPutsBackToBackShortInstancesSideBySide(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	a := h.event("alice@example.com", calendar.EventInput{Title: "First", Start: "2026-03-03T09:00", End: "2026-03-03T09:15", TimeZone: "Europe/Berlin"})
	b := h.event("alice@example.com", calendar.EventInput{Title: "Second", Start: "2026-03-03T09:15", End: "2026-03-03T09:30", TimeZone: "Europe/Berlin"})
	c := h.event("alice@example.com", calendar.EventInput{Title: "Later", Start: "2026-03-03T11:00", End: "2026-03-03T12:00", TimeZone: "Europe/Berlin"})
	for _, path := range []string{"/calendar?view=week&date=2026-03-03", "/calendar?view=day&date=2026-03-03"} {
		_, body := h.as("alice@example.com").page(path)
		style := func(id int64) string {
			m := regexp.MustCompile(`style="([^"]*)" href="/events/` + itoa64(id) + `\?`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: no placed chip for event %d", path, id)
			}
			return m[1]
		}
		if s := style(a.ID); !strings.Contains(s, "--lane: 0; --lanes: 2") {
			t.Errorf("%s: first chip %q, want lane 0 of 2", path, s)
		}
		if s := style(b.ID); !strings.Contains(s, "--lane: 1; --lanes: 2") {
			t.Errorf("%s: second chip %q, want lane 1 of 2", path, s)
		}
		if s := style(c.ID); !strings.Contains(s, "--lane: 0; --lanes: 1") {
			t.Errorf("%s: a later chip %q, want the whole width", path, s)
		}
	}
}

// An instance over several days is one bar across them: in the month, in the all-day row of
// the week, and split where a week ends, marked as going on.
func TestMultiDayInstancesAreOneBarAcrossTheirDays(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	trip := h.event("alice@example.com", calendar.EventInput{Title: "Trip", Start: "2026-03-03", End: "2026-03-05", AllDay: true, TimeZone: "Europe/Berlin"})
	late := h.event("alice@example.com", calendar.EventInput{Title: "Night shift", Start: "2026-03-03T18:00", End: "2026-03-04T06:00", TimeZone: "Europe/Berlin"})
	fair := h.event("alice@example.com", calendar.EventInput{Title: "Fair", Start: "2026-03-07", End: "2026-03-10", AllDay: true, TimeZone: "Europe/Berlin"})
	alice := h.as("alice@example.com")
	barOf := func(region string, id int64) []string {
		return regexp.MustCompile(`class="([^"]*\bbar\b[^"]*)" style="([^"]*)" href="/events/`+itoa64(id)+`\?`).FindAllString(region, -1)
	}

	_, month := alice.page("/calendar?date=2026-03-10")
	bars := between(month, `class="month-bars"`, `class="day`)
	if got := barOf(month, trip.ID); len(got) != 1 || !strings.Contains(got[0], "grid-column: 2 / span 3") {
		t.Errorf("the trip in the month: %q, want one bar from Tuesday over three days", got)
	}
	if !strings.Contains(bars, "Trip") {
		t.Error("the trip is not in the week's bars")
	}
	if got := barOf(month, late.ID); len(got) != 1 || !strings.Contains(got[0], "grid-column: 2 / span 2") || !strings.Contains(got[0], "ev-multiday") {
		t.Errorf("the night shift in the month: %q, want one bar over Tuesday and Wednesday", got)
	}
	fairBars := barOf(month, fair.ID)
	if len(fairBars) != 2 || !strings.Contains(fairBars[0], "cont-after") || !strings.Contains(fairBars[0], "grid-column: 6 / span 2") ||
		!strings.Contains(fairBars[1], "cont-before") || !strings.Contains(fairBars[1], "grid-column: 1 / span 2") {
		t.Errorf("the fair across two weeks: %q, want a bar to Sunday going on and one from Monday", fairBars)
	}

	_, week := alice.page("/calendar?view=week&date=2026-03-03")
	allday := between(week, `class="allday-bars"`, `class="week-hours"`)
	if got := barOf(allday, late.ID); len(got) != 1 || !strings.Contains(got[0], "grid-column: 2 / span 2") {
		t.Errorf("the night shift in the week's all-day row: %q", got)
	}
	if strings.Contains(between(week, `class="week-hours"`, `class="legend"`), "Night shift") {
		t.Error("the night shift is also placed in the hours")
	}
	if got := barOf(allday, trip.ID); len(got) != 1 || !strings.Contains(got[0], "grid-column: 2 / span 3") {
		t.Errorf("the trip in the week: %q", got)
	}
}

// Beside every view, a small month whose days open the same view at that date.
func TestMiniMonthOpensTheViewAtADay(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	_, body := h.as("alice@example.com").page("/calendar?view=week&date=2026-03-04")
	mini := between(body, `class="mini"`, `</nav>`)
	for _, want := range []string{"March 2026", `href="/calendar?date=2026-03-19&amp;view=week" aria-label="Thursday 19 March 2026"`,
		`class=" today shown"><a href="/calendar?date=2026-03-02&amp;view=week"`, `aria-label="Previous month"`} {
		if !strings.Contains(mini, want) {
			t.Errorf("mini-month lacks %q:\n%s", want, mini)
		}
	}
}

// On the night the clocks go forward an instance from 01:30 to 03:30 wall time (an hour long)
// covers the rows from 01:30 to 03:30, as its top is placed by the wall clock too.
func TestWeekChipCoversItsWallClockHoursOnAClockChange(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	e := h.event("alice@example.com", calendar.EventInput{Title: "Night job", Start: "2026-03-29T01:30", End: "2026-03-29T03:30", TimeZone: "Europe/Berlin"})
	_, body := h.as("alice@example.com").page("/calendar?view=day&date=2026-03-29")
	m := regexp.MustCompile(`style="([^"]*)" href="/events/` + itoa64(e.ID) + `\?`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(m[1], "--top: 0.500; --len: 2.000") {
		t.Fatalf("the night job is placed %v, want from 01:30 for two rows", m)
	}
}
