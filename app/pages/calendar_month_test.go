package pages

import (
	"slices"
	"testing"
	"time"

	"intracal/calendar"
)

func TestGroupByDayListsBannersFirstThenByStart(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, berlin) }
	occ := []calendar.Occurrence{ // sorted by start, as the store gives them
		{Content: calendar.Content{Title: "early"}, Start: at(2, 8), End: at(2, 9)},
		{Content: calendar.Content{Title: "night shift"}, Start: at(2, 22), End: at(3, 6)},
		{Content: calendar.Content{Title: "offsite"}, AllDay: true, Start: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)},
		{Content: calendar.Content{Title: "late"}, Start: at(3, 18), End: at(3, 19)},
	}
	byDay, _ := groupByDay(occ, berlin, at(2, 0), at(9, 0))
	titles := func(d int) []string {
		var out []string
		for _, i := range byDay[dayKey(at(d, 0))] {
			out = append(out, occ[i].Title)
		}
		return out
	}
	for d, want := range map[int][]string{2: {"night shift", "early"}, 3: {"night shift", "offsite", "late"}, 4: {"offsite"}, 5: nil} {
		if got := titles(d); !slices.Equal(got, want) {
			t.Errorf("2026-03-%02d: %q, want %q", d, got, want)
		}
	}
}
