package outlooksync

import (
	"testing"
	"time"

	"intracal/calendar"
)

func segment(t *testing.T, start, zone, rrule string) calendar.Segment {
	t.Helper()
	e, err := calendar.NewEvent(1, 1, calendar.EventInput{Title: "x", Start: start, TimeZone: zone, RRule: rrule})
	if err != nil {
		t.Fatal(err)
	}
	return e.Segments[0]
}

func TestRecurrenceRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name, start, rrule  string
		pattern, rangeType  string
		index, end, days    string
		dayOfMonth, month   int
		numberOfOccurrences int
	}{
		{name: "daily", start: "2026-03-02T09:00:00", rrule: "FREQ=DAILY;INTERVAL=2", pattern: "daily", rangeType: "noEnd"},
		{name: "weekly implied weekday", start: "2026-03-02T09:00:00", rrule: "FREQ=WEEKLY", pattern: "weekly", rangeType: "noEnd", days: "monday"},
		{name: "weekly count", start: "2026-03-02T09:00:00", rrule: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", pattern: "weekly", rangeType: "numbered", days: "monday,wednesday", numberOfOccurrences: 10},
		{name: "monthly implied day", start: "2026-03-15T09:00:00", rrule: "FREQ=MONTHLY;UNTIL=20260815", pattern: "absoluteMonthly", rangeType: "endDate", dayOfMonth: 15, end: "2026-08-15"},
		{name: "monthly day 31", start: "2026-01-31T09:00:00", rrule: "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", pattern: "absoluteMonthly", rangeType: "noEnd", dayOfMonth: 31},
		{name: "second tuesday", start: "2026-03-10T09:00:00", rrule: "FREQ=MONTHLY;BYDAY=2TU", pattern: "relativeMonthly", rangeType: "noEnd", days: "tuesday", index: "second"},
		{name: "last weekday of month", start: "2026-03-31T09:00:00", rrule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", pattern: "relativeMonthly", rangeType: "noEnd", days: "monday,tuesday,wednesday,thursday,friday", index: "last"},
		{name: "yearly", start: "2026-04-15T09:00:00", rrule: "FREQ=YEARLY", pattern: "absoluteYearly", rangeType: "noEnd", dayOfMonth: 15, month: 4},
		{name: "yearly last friday of november", start: "2026-11-27T09:00:00", rrule: "FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR", pattern: "relativeYearly", rangeType: "noEnd", days: "friday", index: "last", month: 11},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seg := segment(t, tc.start, "Europe/Berlin", tc.rrule)
			rec, err := RecurrenceOf(seg)
			if err != nil {
				t.Fatal(err)
			}
			p, rg := rec.Pattern, rec.Range
			if p.Type != tc.pattern || rg.Type != tc.rangeType || p.Index != tc.index || p.DayOfMonth != tc.dayOfMonth ||
				p.Month != tc.month || rg.NumberOfOccurrences != tc.numberOfOccurrences || rg.EndDate != tc.end ||
				joinDays(p.DaysOfWeek) != tc.days || rg.StartDate != tc.start[:10] {
				t.Fatalf("recurrence = %+v", rec)
			}
			back, err := RuleOf(rec, seg.Start.Location())
			if err != nil {
				t.Fatal(err)
			}
			// The same instances over two years.
			b := seg
			b.Rule = back
			from, to := seg.Start.Add(-time.Hour), seg.Start.AddDate(2, 0, 0)
			want, got := seg.Schedule().Starts(from, to, 0), b.Schedule().Starts(from, to, 0)
			if len(want) != len(got) {
				t.Fatalf("%d instances after the round trip, want %d (rule %s -> %s)", len(got), len(want), seg.Rule, back)
			}
			for i := range want {
				if !want[i].Equal(got[i]) {
					t.Fatalf("instance %d: %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func joinDays(d []string) string {
	out := ""
	for i, s := range d {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}
