package fakeoutlook

import (
	"strings"
	"testing"
	"time"
)

func mustRecurrence(t *testing.T, p PatternedRecurrence) *recurrence {
	t.Helper()
	r, err := parseRecurrence(p)
	if err != nil {
		t.Fatalf("parseRecurrence: %v", err)
	}
	return r
}

func dateStrings(ds []time.Time) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Format(dateLayout))
	}
	return strings.Join(out, " ")
}

func TestRecurrenceDates(t *testing.T) {
	tests := []struct {
		name    string
		pattern RecurrencePattern
		rng     RecurrenceRange
		until   string
		want    string
	}{
		{
			name:    "daily every second day, numbered",
			pattern: RecurrencePattern{Type: "daily", Interval: 2},
			rng:     RecurrenceRange{Type: "numbered", StartDate: "2025-01-30", NumberOfOccurrences: 3},
			until:   "2025-12-31",
			want:    "2025-01-30 2025-02-01 2025-02-03",
		},
		{
			name:    "weekly on two days every other week from monday-first weeks",
			pattern: RecurrencePattern{Type: "weekly", Interval: 2, DaysOfWeek: []string{"friday", "tuesday"}, FirstDayOfWeek: "monday"},
			rng:     RecurrenceRange{Type: "endDate", StartDate: "2025-01-08", EndDate: "2025-01-31"},
			until:   "2025-12-31",
			want:    "2025-01-10 2025-01-21 2025-01-24",
		},
		{
			name:    "weekly end date is inclusive",
			pattern: RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{"monday"}},
			rng:     RecurrenceRange{Type: "endDate", StartDate: "2025-01-06", EndDate: "2025-01-20"},
			until:   "2025-12-31",
			want:    "2025-01-06 2025-01-13 2025-01-20",
		},
		{
			name:    "absolute monthly day 31 falls on the last day of shorter months",
			pattern: RecurrencePattern{Type: "absoluteMonthly", Interval: 1, DayOfMonth: 31},
			rng:     RecurrenceRange{Type: "noEnd", StartDate: "2025-01-31"},
			until:   "2025-05-31",
			want:    "2025-01-31 2025-02-28 2025-03-31 2025-04-30 2025-05-31",
		},
		{
			name:    "absolute monthly day 30 in a leap February",
			pattern: RecurrencePattern{Type: "absoluteMonthly", Interval: 1, DayOfMonth: 30},
			rng:     RecurrenceRange{Type: "numbered", StartDate: "2024-01-30", NumberOfOccurrences: 3},
			until:   "2030-01-01",
			want:    "2024-01-30 2024-02-29 2024-03-30",
		},
		{
			name:    "absolute yearly 29 February in common years",
			pattern: RecurrencePattern{Type: "absoluteYearly", Interval: 1, DayOfMonth: 29, Month: 2},
			rng:     RecurrenceRange{Type: "numbered", StartDate: "2024-02-29", NumberOfOccurrences: 3},
			until:   "2030-01-01",
			want:    "2024-02-29 2025-02-28 2026-02-28",
		},
		{
			name:    "relative monthly with several days takes the first that satisfies it",
			pattern: RecurrencePattern{Type: "relativeMonthly", Interval: 1, DaysOfWeek: []string{"saturday", "sunday"}, Index: "first"},
			rng:     RecurrenceRange{Type: "numbered", StartDate: "2025-01-01", NumberOfOccurrences: 3},
			until:   "2030-01-01",
			want:    "2025-01-04 2025-02-01 2025-03-01",
		},
		{
			name:    "relative monthly second weekday",
			pattern: RecurrencePattern{Type: "relativeMonthly", Interval: 1, DaysOfWeek: []string{"monday", "tuesday", "wednesday", "thursday", "friday"}, Index: "second"},
			rng:     RecurrenceRange{Type: "numbered", StartDate: "2025-02-01", NumberOfOccurrences: 2},
			until:   "2030-01-01",
			want:    "2025-02-04 2025-03-04",
		},
		{
			name:    "relative monthly last friday every third month",
			pattern: RecurrencePattern{Type: "relativeMonthly", Interval: 3, DaysOfWeek: []string{"friday"}, Index: "last"},
			rng:     RecurrenceRange{Type: "numbered", StartDate: "2025-01-01", NumberOfOccurrences: 3},
			until:   "2030-01-01",
			want:    "2025-01-31 2025-04-25 2025-07-25",
		},
		{
			name:    "relative yearly fourth thursday of november",
			pattern: RecurrencePattern{Type: "relativeYearly", Interval: 1, DaysOfWeek: []string{"thursday"}, Index: "fourth", Month: 11},
			rng:     RecurrenceRange{Type: "numbered", StartDate: "2025-01-01", NumberOfOccurrences: 2},
			until:   "2030-01-01",
			want:    "2025-11-27 2026-11-26",
		},
		{
			name:    "no end stops at the horizon",
			pattern: RecurrencePattern{Type: "daily", Interval: 1},
			rng:     RecurrenceRange{Type: "noEnd", StartDate: "2025-01-01"},
			until:   "2025-01-03",
			want:    "2025-01-01 2025-01-02 2025-01-03",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRecurrence(t, PatternedRecurrence{Pattern: tt.pattern, Range: tt.rng})
			until, _ := time.Parse(dateLayout, tt.until)
			if got := dateStrings(r.dates(until)); got != tt.want {
				t.Errorf("dates = %s\nwant    %s", got, tt.want)
			}
		})
	}
}

func TestOccurrencesKeepWallTimeAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	r := mustRecurrence(t, PatternedRecurrence{
		Pattern: RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{"friday"}},
		Range:   RecurrenceRange{Type: "numbered", StartDate: "2025-03-21", NumberOfOccurrences: 3},
	})
	first := time.Date(2025, 3, 21, 9, 0, 0, 0, berlin)
	got := r.occurrenceStarts(first, berlin, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	want := []string{"2025-03-21T08:00:00Z", "2025-03-28T08:00:00Z", "2025-04-04T07:00:00Z"}
	if len(got) != len(want) {
		t.Fatalf("got %d occurrences, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Format(time.RFC3339) != want[i] {
			t.Errorf("occurrence %d at %s, want %s (09:00 Berlin time)", i, got[i].Format(time.RFC3339), want[i])
		}
	}
}

func TestRecurrenceValidation(t *testing.T) {
	valid := func() PatternedRecurrence {
		return PatternedRecurrence{
			Pattern: RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{"monday"}},
			Range:   RecurrenceRange{Type: "noEnd", StartDate: "2025-01-06"},
		}
	}
	tests := []struct {
		name   string
		change func(*PatternedRecurrence)
		want   string
	}{
		{"unknown pattern type", func(p *PatternedRecurrence) { p.Pattern.Type = "hourly" }, "pattern.type"},
		{"interval zero", func(p *PatternedRecurrence) { p.Pattern.Interval = 0 }, "interval"},
		{"interval over 99", func(p *PatternedRecurrence) { p.Pattern.Interval = 100 }, "interval"},
		{"weekly without days", func(p *PatternedRecurrence) { p.Pattern.DaysOfWeek = nil }, "daysOfWeek"},
		{"bad day name", func(p *PatternedRecurrence) { p.Pattern.DaysOfWeek = []string{"funday"} }, "funday"},
		{"ignored index still validated", func(p *PatternedRecurrence) { p.Pattern.Index = "fifth" }, "index"},
		{"ignored month still validated", func(p *PatternedRecurrence) { p.Pattern.Month = 13 }, "month"},
		{"absolute monthly without day", func(p *PatternedRecurrence) {
			p.Pattern = RecurrencePattern{Type: "absoluteMonthly", Interval: 1}
		}, "dayOfMonth"},
		{"yearly without month", func(p *PatternedRecurrence) {
			p.Pattern = RecurrencePattern{Type: "absoluteYearly", Interval: 1, DayOfMonth: 3}
		}, "month"},
		{"end date range without end", func(p *PatternedRecurrence) { p.Range.Type = "endDate" }, "endDate"},
		{"end before start", func(p *PatternedRecurrence) {
			p.Range.Type, p.Range.EndDate = "endDate", "2025-01-01"
		}, "endDate"},
		{"numbered without count", func(p *PatternedRecurrence) { p.Range.Type = "numbered" }, "numberOfOccurrences"},
		{"bad start date", func(p *PatternedRecurrence) { p.Range.StartDate = "06/01/2025" }, "startDate"},
		{"unknown range type", func(p *PatternedRecurrence) { p.Range.Type = "forever" }, "range.type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.change(&p)
			_, err := parseRecurrence(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("parseRecurrence error = %v, want one naming %q", err, tt.want)
			}
		})
	}
	if _, err := parseRecurrence(valid()); err != nil {
		t.Fatalf("the valid recurrence was refused: %v", err)
	}
}

func TestRecurrenceWireFillsGraphDefaults(t *testing.T) {
	r := mustRecurrence(t, PatternedRecurrence{
		Pattern: RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{"Monday"}},
		Range:   RecurrenceRange{Type: "noEnd", StartDate: "2025-01-06"},
	})
	w := r.wire("W. Europe Standard Time")
	want := PatternedRecurrence{
		Pattern: RecurrencePattern{Type: "weekly", Interval: 1, Month: 0, DayOfMonth: 0, DaysOfWeek: []string{"monday"},
			FirstDayOfWeek: "sunday", Index: "first"},
		Range: RecurrenceRange{Type: "noEnd", StartDate: "2025-01-06", EndDate: "0001-01-01",
			RecurrenceTimeZone: "W. Europe Standard Time", NumberOfOccurrences: 0},
	}
	if w.Pattern.Type != want.Pattern.Type || w.Pattern.FirstDayOfWeek != want.Pattern.FirstDayOfWeek ||
		w.Pattern.Index != want.Pattern.Index || strings.Join(w.Pattern.DaysOfWeek, ",") != "monday" ||
		w.Range != want.Range {
		t.Errorf("wire = %+v\nwant   %+v", w, want)
	}
}

func TestOccurrenceIDsRoundTrip(t *testing.T) {
	master := newEventID()
	if !strings.HasSuffix(master, "==") {
		t.Errorf("event id %q should end in '=' padding like Graph's ids", master)
	}
	orig := time.Date(2025, 1, 13, 9, 0, 0, 0, time.UTC)
	id := occurrenceID(master, orig)
	gotMaster, gotOrig, ok := parseOccurrenceID(id)
	if !ok || gotMaster != master || !gotOrig.Equal(orig) {
		t.Fatalf("parseOccurrenceID(%q) = %q, %s, %t", id, gotMaster, gotOrig, ok)
	}
	if _, _, ok := parseOccurrenceID(master); ok {
		t.Error("a master id parsed as an occurrence id")
	}
}

// TestOccurrencesFromAGapKeepThePatternsWallTime: a weekly 02:30 New York series from the
// spring-forward day has its first occurrence after the gap, at 03:30 EDT, as Exchange reads
// a skipped time, and the others at 02:30; a time sent in the gap is read the same way.
func TestOccurrencesFromAGapKeepThePatternsWallTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	r := mustRecurrence(t, PatternedRecurrence{
		Pattern: RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{"sunday"}},
		Range:   RecurrenceRange{Type: "numbered", StartDate: "2026-03-08", NumberOfOccurrences: 3},
	})
	wall := time.Date(2026, 3, 8, 2, 30, 0, 0, time.UTC)
	got := r.occurrenceStarts(wall, ny, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	want := []string{"2026-03-08T07:30:00Z", "2026-03-15T06:30:00Z", "2026-03-22T06:30:00Z"}
	if len(got) != len(want) {
		t.Fatalf("got %d occurrences, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Format(time.RFC3339) != want[i] {
			t.Errorf("occurrence %d at %s, want %s", i, got[i].Format(time.RFC3339), want[i])
		}
	}
	for _, tc := range []struct{ zone, wall, want string }{
		{"America/New_York", "2026-03-08T02:30:00.0000000", "2026-03-08T07:30:00Z"}, // skipped: the offset before the gap
		{"America/New_York", "2026-11-01T01:30:00.0000000", "2026-11-01T05:30:00Z"}, // repeated: the first (EDT)
		{"Europe/Berlin", "2026-03-29T02:30:00", "2026-03-29T01:30:00Z"},
		{"Europe/Berlin", "2026-10-25T02:30:00", "2026-10-25T00:30:00Z"},
	} {
		at, _, err := newZones(true).parseDateTimeTimeZone(DateTimeTimeZone{DateTime: tc.wall, TimeZone: tc.zone}, "start")
		if err != nil {
			t.Fatalf("%s %s: %v", tc.zone, tc.wall, err)
		}
		if at.Format(time.RFC3339) != tc.want {
			t.Errorf("%s in %s read as %s, want %s", tc.wall, tc.zone, at.Format(time.RFC3339), tc.want)
		}
	}
}
