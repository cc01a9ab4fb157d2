package calendar_test

import (
	"testing"
	"time"

	"intracal/calendar"
)

// The two benchmarks expand the same rules over the same one-month window, for series that
// began ten years before it and for series that began the month before it. Expansion moves
// rrule-go's start to just before the window, so the two should cost about the same:
//
//	go test -run '^$' -bench 'BenchmarkStarts' -benchmem ./calendar/
func BenchmarkStartsOldSeries(b *testing.B) {
	benchmarkStarts(b, time.Date(2016, 3, 10, 9, 0, 0, 0, mustZone(b, "Europe/Berlin")))
}

func BenchmarkStartsNewSeries(b *testing.B) {
	benchmarkStarts(b, time.Date(2026, 2, 10, 9, 0, 0, 0, mustZone(b, "Europe/Berlin")))
}

func benchmarkStarts(b *testing.B, first time.Time) {
	loc := first.Location()
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, loc), time.Date(2026, 4, 1, 0, 0, 0, 0, loc)
	for _, rule := range []struct{ name, rrule string }{
		{"daily", "FREQ=DAILY"},
		{"weekly", "FREQ=WEEKLY;BYDAY=MO,WE,FR"},
		{"monthly", "FREQ=MONTHLY;BYDAY=2TU"},
		{"yearly", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"},
		// Twenty years of Mondays: COUNT is kept by arithmetic, not by iterating from First.
		{"weekly-count", "FREQ=WEEKLY;BYDAY=MO;COUNT=999"},
	} {
		s := calendar.Schedule{First: first, Duration: time.Hour, Rule: mustRule(b, rule.rrule)}
		if len(s.Starts(from, to, 0)) == 0 {
			b.Fatalf("%s: no instance in the window", rule.name)
		}
		b.Run(rule.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Starts(from, to, 0)
			}
		})
	}
}
