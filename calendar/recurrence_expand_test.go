package calendar_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/teambition/rrule-go"
	"pgregory.net/rapid"

	"intracal/calendar"
)

// wallTimes renders starts as local wall times, which is what a person checks a calendar by.
func wallTimes(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format("2006-01-02 15:04 MST")
	}
	return out
}

func TestStartsExpandsEachRuleForm(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	newYork := mustZone(t, "America/New_York")
	losAngeles := mustZone(t, "America/Los_Angeles")
	saoPaulo := mustZone(t, "America/Sao_Paulo")
	utcDay := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		schedule calendar.Schedule
		from, to time.Time
		limit    int
		want     []string
	}{
		{
			name:     "weekly meeting stays at 09:00 Berlin across the spring change",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 16, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO")},
			from:     time.Date(2026, 3, 16, 0, 0, 0, 0, berlin), to: time.Date(2026, 4, 7, 0, 0, 0, 0, berlin),
			want: []string{"2026-03-16 09:00 CET", "2026-03-23 09:00 CET", "2026-03-30 09:00 CEST", "2026-04-06 09:00 CEST"},
		},
		{
			name:     "every seven days stays at 09:00 New York across the spring change",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 6, 9, 0, 0, 0, newYork), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY;INTERVAL=7")},
			from:     time.Date(2026, 3, 1, 0, 0, 0, 0, newYork), to: time.Date(2026, 3, 21, 0, 0, 0, 0, newYork),
			want: []string{"2026-03-06 09:00 EST", "2026-03-13 09:00 EDT", "2026-03-20 09:00 EDT"},
		},
		{
			name:     "daily across the autumn change in New York",
			schedule: calendar.Schedule{First: time.Date(2026, 10, 31, 9, 0, 0, 0, newYork), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY;COUNT=3")},
			from:     time.Date(2026, 10, 1, 0, 0, 0, 0, newYork), to: time.Date(2026, 12, 1, 0, 0, 0, 0, newYork),
			want: []string{"2026-10-31 09:00 EDT", "2026-11-01 09:00 EST", "2026-11-02 09:00 EST"},
		},
		{
			name:     "a time that the spring change skips moves forward on that day only",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 28, 2, 30, 0, 0, berlin), Duration: 30 * time.Minute, Rule: mustRule(t, "FREQ=DAILY;COUNT=3")},
			from:     time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 4, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-03-28 02:30 CET", "2026-03-29 03:30 CEST", "2026-03-30 02:30 CEST"},
		},
		{
			name:     "a time that New York's spring change skips moves forward, not back",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 7, 2, 30, 0, 0, newYork), Duration: 30 * time.Minute, Rule: mustRule(t, "FREQ=DAILY;COUNT=3")},
			from:     time.Date(2026, 3, 1, 0, 0, 0, 0, newYork), to: time.Date(2026, 4, 1, 0, 0, 0, 0, newYork),
			want: []string{"2026-03-07 02:30 EST", "2026-03-08 03:30 EDT", "2026-03-09 02:30 EDT"},
		},
		{
			name:     "a time repeated by the autumn change is the first of the two",
			schedule: calendar.Schedule{First: time.Date(2026, 10, 24, 2, 30, 0, 0, berlin), Duration: 30 * time.Minute, Rule: mustRule(t, "FREQ=DAILY;COUNT=3")},
			from:     time.Date(2026, 10, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 11, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-10-24 02:30 CEST", "2026-10-25 02:30 CEST", "2026-10-26 02:30 CET"},
		},
		{
			name:     "midnight skipped by a change at midnight keeps its day",
			schedule: calendar.Schedule{First: time.Date(2000, 10, 6, 0, 0, 0, 0, saoPaulo), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY")},
			from:     time.Date(2000, 10, 6, 0, 0, 0, 0, saoPaulo), to: time.Date(2000, 10, 10, 0, 0, 0, 0, saoPaulo),
			want: []string{"2000-10-06 00:00 -03", "2000-10-07 00:00 -03", "2000-10-08 01:00 -02", "2000-10-09 00:00 -02"},
		},
		{
			name:     "all-day yearly is a date",
			schedule: calendar.Schedule{First: utcDay(2020, 2, 10), Duration: 24 * time.Hour, AllDay: true, Rule: mustRule(t, "FREQ=YEARLY")},
			from:     utcDay(2025, 1, 1), to: utcDay(2027, 1, 1),
			want: []string{"2025-02-10 00:00 UTC", "2026-02-10 00:00 UTC"},
		},
		{
			name:     "all-day instance overlaps a window inside its day",
			schedule: calendar.Schedule{First: utcDay(2026, 3, 2), Duration: 24 * time.Hour, AllDay: true, Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO,TU")},
			from:     time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), to: time.Date(2026, 3, 10, 13, 0, 0, 0, time.UTC),
			want: []string{"2026-03-10 00:00 UTC"},
		},
		{
			name:     "all-day First given in another zone is its date",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 0, 0, 0, 0, berlin), Duration: 24 * time.Hour, AllDay: true, Rule: mustRule(t, "FREQ=DAILY;COUNT=2")},
			from:     utcDay(2026, 3, 1), to: utcDay(2026, 3, 10),
			want: []string{"2026-03-02 00:00 UTC", "2026-03-03 00:00 UTC"},
		},
		{
			name:     "day 31 falls on the last day of shorter months",
			schedule: calendar.Schedule{First: time.Date(2027, 12, 31, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1")},
			from:     time.Date(2027, 12, 1, 0, 0, 0, 0, berlin), to: time.Date(2028, 5, 1, 0, 0, 0, 0, berlin),
			want: []string{"2027-12-31 09:00 CET", "2028-01-31 09:00 CET", "2028-02-29 09:00 CET", "2028-03-31 09:00 CEST", "2028-04-30 09:00 CEST"},
		},
		{
			name:     "day 30 falls on February's last day",
			schedule: calendar.Schedule{First: time.Date(2026, 1, 30, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1")},
			from:     time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 4, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-01-30 09:00 CET", "2026-02-28 09:00 CET", "2026-03-30 09:00 CEST"},
		},
		{
			name:     "yearly February 29 or last",
			schedule: calendar.Schedule{First: utcDay(2028, 2, 29), Duration: 24 * time.Hour, AllDay: true, Rule: mustRule(t, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1")},
			from:     utcDay(2028, 1, 1), to: utcDay(2031, 1, 1),
			want: []string{"2028-02-29 00:00 UTC", "2029-02-28 00:00 UTC", "2030-02-28 00:00 UTC"},
		},
		{
			name:     "second Tuesday of the month",
			schedule: calendar.Schedule{First: time.Date(2026, 1, 13, 14, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=MONTHLY;BYDAY=2TU")},
			from:     time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 4, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-01-13 14:00 CET", "2026-02-10 14:00 CET", "2026-03-10 14:00 CET"},
		},
		{
			name:     "last Friday of every other month",
			schedule: calendar.Schedule{First: time.Date(2026, 1, 30, 14, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR")},
			from:     time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 7, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-01-30 14:00 CET", "2026-03-27 14:00 CET", "2026-05-29 14:00 CEST"},
		},
		{
			name:     "last weekday of the month",
			schedule: calendar.Schedule{First: time.Date(2026, 1, 1, 17, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")},
			from:     time.Date(2026, 5, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 9, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-05-29 17:00 CEST", "2026-06-30 17:00 CEST", "2026-07-31 17:00 CEST", "2026-08-31 17:00 CEST"},
		},
		{
			name:     "fourth Thursday of November",
			schedule: calendar.Schedule{First: utcDay(2026, 11, 1), Duration: 24 * time.Hour, AllDay: true, Rule: mustRule(t, "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH")},
			from:     utcDay(2026, 1, 1), to: utcDay(2029, 1, 1),
			want: []string{"2026-11-26 00:00 UTC", "2027-11-25 00:00 UTC", "2028-11-23 00:00 UTC"},
		},
		{
			name:     "a start that does not match begins with the next match",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 4, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO")},
			from:     time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 3, 17, 0, 0, 0, 0, berlin),
			want: []string{"2026-03-09 09:00 CET", "2026-03-16 09:00 CET"},
		},
		{
			// RFC 5545's own example: the week start decides which weeks INTERVAL=2 skips.
			name:     "every other week with Monday as week start",
			schedule: calendar.Schedule{First: time.Date(1997, 8, 5, 9, 0, 0, 0, newYork), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO")},
			from:     time.Date(1997, 8, 1, 0, 0, 0, 0, newYork), to: time.Date(1997, 9, 30, 0, 0, 0, 0, newYork),
			want: []string{"1997-08-05 09:00 EDT", "1997-08-10 09:00 EDT", "1997-08-19 09:00 EDT", "1997-08-24 09:00 EDT"},
		},
		{
			name:     "every other week with Sunday as week start",
			schedule: calendar.Schedule{First: time.Date(1997, 8, 5, 9, 0, 0, 0, newYork), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU")},
			from:     time.Date(1997, 8, 1, 0, 0, 0, 0, newYork), to: time.Date(1997, 9, 30, 0, 0, 0, 0, newYork),
			want: []string{"1997-08-05 09:00 EDT", "1997-08-17 09:00 EDT", "1997-08-19 09:00 EDT", "1997-08-31 09:00 EDT"},
		},
		{
			name:     "every other week keeps its phase ten years on",
			schedule: calendar.Schedule{First: time.Date(2016, 1, 4, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;INTERVAL=2")},
			from:     time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 4, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-03-02 09:00 CET", "2026-03-16 09:00 CET", "2026-03-30 09:00 CEST"},
		},
		{
			name:     "COUNT ends the series",
			schedule: calendar.Schedule{First: time.Date(2016, 1, 4, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=5")},
			from:     time.Date(2016, 1, 1, 0, 0, 0, 0, berlin), to: time.Date(2016, 3, 1, 0, 0, 0, 0, berlin),
			want: []string{"2016-01-04 09:00 CET", "2016-01-06 09:00 CET", "2016-01-11 09:00 CET", "2016-01-13 09:00 CET", "2016-01-18 09:00 CET"},
		},
		{
			name:     "COUNT reached years before the window",
			schedule: calendar.Schedule{First: time.Date(2016, 1, 4, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY;COUNT=999")},
			from:     time.Date(2026, 1, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 2, 1, 0, 0, 0, 0, berlin),
			want: []string{},
		},
		{
			name:     "COUNT of an old series ends inside the window",
			schedule: calendar.Schedule{First: time.Date(2016, 1, 4, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=999")},
			from:     time.Date(2025, 7, 1, 0, 0, 0, 0, berlin), to: time.Date(2025, 8, 1, 0, 0, 0, 0, berlin),
			// Two instances a week: instance 999 is the Monday 499 weeks after the first, 2025-07-28.
			want: []string{"2025-07-03 09:00 CEST", "2025-07-07 09:00 CEST", "2025-07-10 09:00 CEST", "2025-07-14 09:00 CEST",
				"2025-07-17 09:00 CEST", "2025-07-21 09:00 CEST", "2025-07-24 09:00 CEST", "2025-07-28 09:00 CEST"},
		},
		{
			name:     "UNTIL includes an instance starting exactly then",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY;UNTIL=20260304T080000Z")},
			from:     time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 4, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-03-02 09:00 CET", "2026-03-03 09:00 CET", "2026-03-04 09:00 CET"},
		},
		{
			name:     "UNTIL a second earlier excludes it",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY;UNTIL=20260304T075959Z")},
			from:     time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 4, 1, 0, 0, 0, 0, berlin),
			want: []string{"2026-03-02 09:00 CET", "2026-03-03 09:00 CET"},
		},
		{
			name: "date-only UNTIL read in the zone keeps the evening of that day",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 18, 0, 0, 0, losAngeles), Duration: time.Hour,
				Rule: must(calendar.ParseRuleIn("FREQ=DAILY;UNTIL=20260303", losAngeles))},
			from: time.Date(2026, 3, 1, 0, 0, 0, 0, losAngeles), to: time.Date(2026, 4, 1, 0, 0, 0, 0, losAngeles),
			want: []string{"2026-03-02 18:00 PST", "2026-03-03 18:00 PST"},
		},
		{
			name:     "an instance that began before the window and still runs overlaps it",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: 2 * time.Hour, Rule: mustRule(t, "FREQ=DAILY")},
			from:     time.Date(2026, 3, 3, 10, 0, 0, 0, berlin), to: time.Date(2026, 3, 3, 10, 30, 0, 0, berlin),
			want: []string{"2026-03-03 09:00 CET"},
		},
		{
			name:     "an instance that ends as the window begins does not overlap it",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY")},
			from:     time.Date(2026, 3, 3, 10, 0, 0, 0, berlin), to: time.Date(2026, 3, 3, 11, 0, 0, 0, berlin),
			want: []string{},
		},
		{
			name:     "a zero-length instance at the window's start is in it, at its end is not",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Rule: mustRule(t, "FREQ=DAILY")},
			from:     time.Date(2026, 3, 3, 9, 0, 0, 0, berlin), to: time.Date(2026, 3, 4, 9, 0, 0, 0, berlin),
			want: []string{"2026-03-03 09:00 CET"},
		},
		{
			name:     "limit caps the instances",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY")},
			from:     time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), to: time.Date(2027, 3, 1, 0, 0, 0, 0, berlin), limit: 2,
			want: []string{"2026-03-02 09:00 CET", "2026-03-03 09:00 CET"},
		},
		{
			name:     "window before the first start",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY")},
			from:     time.Date(2020, 3, 1, 0, 0, 0, 0, berlin), to: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin),
			want: []string{},
		},
		{
			name:     "one-off inside the window",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: time.Hour},
			from:     time.Date(2026, 3, 2, 9, 30, 0, 0, berlin), to: time.Date(2026, 3, 3, 0, 0, 0, 0, berlin),
			want: []string{"2026-03-02 09:00 CET"},
		},
		{
			name:     "one-off outside the window",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: time.Hour},
			from:     time.Date(2026, 3, 2, 10, 0, 0, 0, berlin), to: time.Date(2026, 3, 3, 0, 0, 0, 0, berlin),
			want: []string{},
		},
		{
			name:     "empty window",
			schedule: calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Rule: mustRule(t, "FREQ=DAILY")},
			from:     time.Date(2026, 3, 3, 9, 0, 0, 0, berlin), to: time.Date(2026, 3, 3, 9, 0, 0, 0, berlin),
			want: []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := wallTimes(tc.schedule.Starts(tc.from, tc.to, tc.limit))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Starts = %q\nwant     %q", got, tc.want)
			}
		})
	}
}

func TestWallTimeReadsSkippedAndRepeatedTimesAsRFC5545Does(t *testing.T) {
	tests := []struct {
		name, zone string
		wall       time.Time // fields read as a wall time
		want       string    // RFC 3339 instant
	}{
		{"ordinary time", "Europe/Berlin", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "2026-03-02T09:00:00+01:00"},
		{"skipped in Berlin", "Europe/Berlin", time.Date(2026, 3, 29, 2, 30, 0, 0, time.UTC), "2026-03-29T03:30:00+02:00"},
		{"skipped in New York", "America/New_York", time.Date(2026, 3, 8, 2, 30, 0, 0, time.UTC), "2026-03-08T03:30:00-04:00"},
		{"repeated in Berlin", "Europe/Berlin", time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC), "2026-10-25T02:30:00+02:00"},
		{"repeated in New York", "America/New_York", time.Date(2026, 11, 1, 1, 30, 0, 0, time.UTC), "2026-11-01T01:30:00-04:00"},
		{"first minute after the gap", "America/New_York", time.Date(2026, 3, 8, 3, 0, 0, 0, time.UTC), "2026-03-08T03:00:00-04:00"},
		{"first minute after the overlap", "America/New_York", time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC), "2026-11-01T02:00:00-05:00"},
		{"skipped midnight", "America/Sao_Paulo", time.Date(2000, 10, 8, 0, 0, 0, 0, time.UTC), "2000-10-08T01:00:00-02:00"},
		{"half-hour gap", "Australia/Lord_Howe", time.Date(2026, 10, 4, 2, 15, 0, 0, time.UTC), "2026-10-04T02:45:00+11:00"},
		{"half-hour overlap", "Australia/Lord_Howe", time.Date(2026, 4, 5, 1, 45, 0, 0, time.UTC), "2026-04-05T01:45:00+11:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loc := mustZone(t, tc.zone)
			y, m, d := tc.wall.Date()
			h, mi, s := tc.wall.Clock()
			got := calendar.WallTime(y, m, d, h, mi, s, loc)
			if got.Format(time.RFC3339) != tc.want || got.Location() != loc {
				t.Errorf("WallTime = %s in %v, want %s in %s", got.Format(time.RFC3339), got.Location(), tc.want, tc.zone)
			}
		})
	}
}

func TestScheduleContains(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	s := calendar.Schedule{First: time.Date(2016, 1, 4, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=999")}
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"the first start", time.Date(2016, 1, 4, 9, 0, 0, 0, berlin), true},
		{"an instance given in UTC", time.Date(2025, 7, 28, 7, 0, 0, 0, time.UTC), true},
		{"an instance after the summer change", time.Date(2025, 7, 24, 9, 0, 0, 0, berlin), true},
		{"the right day at another time", time.Date(2025, 7, 24, 9, 0, 1, 0, berlin), false},
		{"a day the rule skips", time.Date(2025, 7, 23, 9, 0, 0, 0, berlin), false},
		{"past COUNT", time.Date(2025, 7, 31, 9, 0, 0, 0, berlin), false},
		{"before the first start", time.Date(2015, 12, 31, 9, 0, 0, 0, berlin), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Contains(tc.t); got != tc.want {
				t.Errorf("Contains(%v) = %v, want %v", tc.t, got, tc.want)
			}
		})
	}
	one := calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin)}
	if !one.Contains(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)) || one.Contains(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Error("a one-off contains exactly its start")
	}
}

func TestScheduleCountBefore(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	weekly := calendar.Schedule{First: time.Date(2016, 1, 4, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=999")}
	daily := calendar.Schedule{First: time.Date(2016, 1, 1, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY")}
	until := calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), Duration: time.Hour, Rule: mustRule(t, "FREQ=DAILY;UNTIL=20260310T080000Z")}
	tests := []struct {
		name string
		s    calendar.Schedule
		t    time.Time
		want int
	}{
		{"before the first", weekly, time.Date(2015, 1, 1, 0, 0, 0, 0, berlin), 0},
		{"at the first", weekly, time.Date(2016, 1, 4, 9, 0, 0, 0, berlin), 0},
		{"just after the first", weekly, time.Date(2016, 1, 4, 9, 0, 1, 0, berlin), 1},
		{"at the fourth", weekly, time.Date(2016, 1, 14, 9, 0, 0, 0, berlin), 3},
		{"at the last", weekly, time.Date(2025, 7, 28, 9, 0, 0, 0, berlin), 998},
		{"after the last", weekly, time.Date(2030, 1, 1, 0, 0, 0, 0, berlin), 999},
		{"ten years of days", daily, time.Date(2026, 1, 1, 9, 0, 0, 0, berlin), 3653},
		{"past UNTIL", until, time.Date(2027, 1, 1, 0, 0, 0, 0, berlin), 9},
		{"one-off before", calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin)}, time.Date(2026, 3, 2, 9, 0, 0, 0, berlin), 0},
		{"one-off after", calendar.Schedule{First: time.Date(2026, 3, 2, 9, 0, 0, 0, berlin)}, time.Date(2026, 3, 2, 9, 0, 1, 0, berlin), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.CountBefore(tc.t); got != tc.want {
				t.Errorf("CountBefore(%v) = %d, want %d", tc.t, got, tc.want)
			}
		})
	}
}

func TestScheduleFirstStartAndLast(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, berlin) }
	tests := []struct {
		name              string
		s                 calendar.Schedule
		first, last       time.Time
		hasFirst, bounded bool
	}{
		{"one-off", calendar.Schedule{First: at(2026, 3, 2, 9)}, at(2026, 3, 2, 9), at(2026, 3, 2, 9), true, true},
		{"unbounded", calendar.Schedule{First: at(2026, 3, 2, 9), Rule: mustRule(t, "FREQ=DAILY")}, at(2026, 3, 2, 9), time.Time{}, true, false},
		{"first does not match", calendar.Schedule{First: at(2026, 3, 4, 9), Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=2")}, at(2026, 3, 9, 9), at(2026, 3, 16, 9), true, true},
		{"COUNT in the first period", calendar.Schedule{First: at(2026, 3, 2, 9), Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=2")}, at(2026, 3, 2, 9), at(2026, 3, 4, 9), true, true},
		{"COUNT after a short first period", calendar.Schedule{First: at(2026, 3, 4, 9), Rule: mustRule(t, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;COUNT=6")}, at(2026, 3, 4, 9), at(2026, 3, 30, 9), true, true},
		{"COUNT of old monthly", calendar.Schedule{First: at(2016, 1, 12, 9), Rule: mustRule(t, "FREQ=MONTHLY;BYDAY=2TU;COUNT=120")}, at(2016, 1, 12, 9), at(2025, 12, 9, 9), true, true},
		{"COUNT of monthly from the 31st skips short months", calendar.Schedule{First: at(2026, 1, 31, 9), Rule: mustRule(t, "FREQ=MONTHLY;COUNT=3")}, at(2026, 1, 31, 9), at(2026, 5, 31, 9), true, true},
		{"UNTIL between instances", calendar.Schedule{First: at(2016, 1, 12, 9), Rule: mustRule(t, "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260101T000000Z")}, at(2016, 1, 12, 9), at(2025, 12, 9, 9), true, true},
		{"UNTIL on an instance", calendar.Schedule{First: at(2026, 3, 2, 9), Rule: mustRule(t, "FREQ=DAILY;UNTIL=20260310T080000Z")}, at(2026, 3, 2, 9), at(2026, 3, 10, 9), true, true},
		{"UNTIL before the first match", calendar.Schedule{First: at(2026, 3, 4, 9), Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260305T000000Z")}, time.Time{}, time.Time{}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			first, ok := tc.s.FirstStart()
			if ok != tc.hasFirst || !first.Equal(tc.first) {
				t.Errorf("FirstStart() = %v, %v; want %v, %v", first, ok, tc.first, tc.hasFirst)
			}
			last, bounded := tc.s.Last()
			if bounded != tc.bounded || !last.Equal(tc.last) {
				t.Errorf("Last() = %v, %v; want %v, %v", last, bounded, tc.last, tc.bounded)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// propertyZones mix daylight-saving rules: at 02:00/03:00 (Berlin, New York), at midnight
// (Sao Paulo until 2019, Santiago, Tehran until 2022), by half an hour (Lord Howe), and none.
var propertyZones = []string{"UTC", "Europe/Berlin", "America/New_York", "America/Sao_Paulo",
	"America/Santiago", "Asia/Tehran", "Australia/Lord_Howe", "Asia/Kolkata"}

// TestStartsMatchesNaiveExpansion checks the fast-forwarded expansion against rrule-go run
// from First, for random rules Outlook can represent (and monthly or yearly rules that take a
// day 29 to 31 from their start, whose months vary), random starts, zones and windows.
func TestStartsMatchesNaiveExpansion(t *testing.T) {
	for _, name := range propertyZones {
		t.Run(name, func(t *testing.T) {
			loc := mustZone(t, name)
			rapid.Check(t, func(rt *rapid.T) { checkAgainstNaive(rt, drawSchedule(rt, loc)) })
		})
	}
}

func checkAgainstNaive(rt *rapid.T, s calendar.Schedule) {
	first := s.First
	from := first.AddDate(0, 0, rapid.IntRange(-800, 12*365).Draw(rt, "fromDays")).
		Add(time.Duration(rapid.IntRange(0, 47).Draw(rt, "fromHalfHours")) * 30 * time.Minute)
	to := from.Add(rapid.SampledFrom([]time.Duration{time.Hour, 24 * time.Hour, 7 * 24 * time.Hour,
		31 * 24 * time.Hour, 92 * 24 * time.Hour, 400 * 24 * time.Hour}).Draw(rt, "window"))
	limit := rapid.SampledFrom([]int{0, 0, 1, 3, 50}).Draw(rt, "limit")

	got := s.Starts(from, to, limit)
	want := naiveStarts(s, from, to, limit)
	if !sameInstants(got, want) {
		rt.Fatalf("rule %v from %v\nStarts(%v, %v, %d) = %v\nnaive = %v", s.Rule, first, from, to, limit, got, want)
	}

	// The other questions, at a start of the window and at an instance near it.
	probes := []time.Time{from, to}
	if len(want) > 0 {
		probes = append(probes, want[0], want[len(want)-1].Add(time.Second))
	}
	for _, p := range probes {
		if got, want := s.CountBefore(p), naiveCountBefore(s, p); got != want {
			rt.Fatalf("rule %v from %v: CountBefore(%v) = %d, naive %d", s.Rule, first, p, got, want)
		}
		if got, want := s.Contains(p), naiveContains(s, p); got != want {
			rt.Fatalf("rule %v from %v: Contains(%v) = %v, naive %v", s.Rule, first, p, got, want)
		}
	}
	gotFirst, ok := s.FirstStart()
	wantFirst, wantOK := naiveFirst(s)
	if ok != wantOK || !gotFirst.Equal(wantFirst) {
		rt.Fatalf("rule %v from %v: FirstStart() = %v, %v; naive %v, %v", s.Rule, first, gotFirst, ok, wantFirst, wantOK)
	}
	if s.Rule.Count > 0 || !s.Rule.Until.IsZero() {
		gotLast, ok := s.Last()
		wantLast, wantOK := naiveLast(s)
		if ok != wantOK || !gotLast.Equal(wantLast) {
			rt.Fatalf("rule %v from %v: Last() = %v, %v; naive %v, %v", s.Rule, first, gotLast, ok, wantLast, wantOK)
		}
	}
}

// drawSchedule draws a schedule whose First is already as expansion reads it (whole seconds;
// midnight UTC for all-day), so that the naive expansion can start from it unchanged.
func drawSchedule(rt *rapid.T, loc *time.Location) calendar.Schedule {
	allDay := rapid.IntRange(0, 4).Draw(rt, "allDay") == 0
	y := rapid.IntRange(2000, 2030).Draw(rt, "year")
	m := time.Month(rapid.IntRange(1, 12).Draw(rt, "month"))
	d := rapid.IntRange(1, 31).Draw(rt, "day") // past the month's end rolls over
	h := rapid.SampledFrom([]int{0, 0, 1, 2, 3, 9, 23}).Draw(rt, "hour")
	mi := rapid.SampledFrom([]int{0, 30}).Draw(rt, "minute")
	first := time.Date(y, m, d, h, mi, 0, 0, loc)
	duration := rapid.SampledFrom([]time.Duration{0, 30 * time.Minute, time.Hour, 25 * time.Hour, 7 * 24 * time.Hour}).Draw(rt, "duration")
	if allDay {
		y, m, d := first.Date()
		first = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		duration = time.Duration(rapid.IntRange(1, 3).Draw(rt, "days")) * 24 * time.Hour
	}
	r := drawRule(rt)
	switch rapid.IntRange(0, 3).Draw(rt, "end") {
	case 1:
		r.Count = rapid.SampledFrom([]int{1, 2, 5, 13, 60, 999}).Draw(rt, "count")
	case 2:
		r.Until = first.AddDate(0, 0, rapid.IntRange(-3, 10*365).Draw(rt, "untilDays")).
			Add(time.Duration(rapid.IntRange(-2, 2).Draw(rt, "untilHours")) * time.Hour).UTC()
	}
	if err := r.Validate(); err != nil {
		rt.Fatalf("generated an invalid rule %v: %v", r, err)
	}
	return calendar.Schedule{First: first, Duration: duration, AllDay: allDay, Rule: &r}
}

func drawRule(rt *rapid.T) calendar.Rule {
	weekdays := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	r := calendar.Rule{
		Freq:      rapid.SampledFrom([]calendar.Frequency{calendar.Daily, calendar.Weekly, calendar.Monthly, calendar.Yearly}).Draw(rt, "freq"),
		Interval:  rapid.SampledFrom([]int{1, 1, 2, 3, 5, 99}).Draw(rt, "interval"),
		WeekStart: rapid.SampledFrom(weekdays).Draw(rt, "wkst"),
	}
	if r.Freq == calendar.Daily {
		return r
	}
	if r.Freq == calendar.Weekly {
		for _, d := range rapid.SliceOfNDistinct(rapid.SampledFrom(weekdays), 0, 7, func(d time.Weekday) time.Weekday { return d }).Draw(rt, "byDay") {
			r.ByDay = append(r.ByDay, calendar.WeekdayNum{Weekday: d})
		}
		return r
	}
	pattern := rapid.IntRange(0, 4).Draw(rt, "pattern")
	switch pattern {
	case 1:
		r.ByMonthDay = []int{rapid.IntRange(1, 28).Draw(rt, "monthDay")}
	case 2:
		if err := r.SetDayOfMonth(rapid.IntRange(29, 31).Draw(rt, "lateDay")); err != nil {
			rt.Fatal(err)
		}
	case 3:
		r.ByDay = []calendar.WeekdayNum{{Weekday: rapid.SampledFrom(weekdays).Draw(rt, "weekday"), N: rapid.SampledFrom([]int{1, 2, 3, 4, -1}).Draw(rt, "ordinal")}}
	case 4:
		for _, d := range rapid.SliceOfNDistinct(rapid.SampledFrom(weekdays), 1, 7, func(d time.Weekday) time.Weekday { return d }).Draw(rt, "weekdays") {
			r.ByDay = append(r.ByDay, calendar.WeekdayNum{Weekday: d})
		}
		r.BySetPos = rapid.SampledFrom([]int{1, 2, 3, 4, -1}).Draw(rt, "setPos")
	}
	if r.Freq == calendar.Yearly {
		low := 1
		if pattern == 0 {
			low = 0 // the month may come from First as well
		}
		r.ByMonth = rapid.IntRange(low, 12).Draw(rt, "byMonth")
	}
	return r
}

// naiveNext runs rrule-go from First with the rule as written, leaving the implied parts to
// rrule-go, and places each wall time in the zone with WallTime: the reference that the
// fast-forwarded expansion must match. rrule-go runs on floating (UTC) wall times, as the
// expansion does, because in the zone itself it loses days where clocks change at midnight.
func naiveNext(s calendar.Schedule) func() (time.Time, bool) {
	r := s.Rule
	loc := s.First.Location()
	y, m, d := s.First.Date()
	h, mi, sec := s.First.Clock()
	days := [7]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}
	opt := rrule.ROption{
		Freq:    map[calendar.Frequency]rrule.Frequency{calendar.Daily: rrule.DAILY, calendar.Weekly: rrule.WEEKLY, calendar.Monthly: rrule.MONTHLY, calendar.Yearly: rrule.YEARLY}[r.Freq],
		Dtstart: time.Date(y, m, d, h, mi, sec, 0, time.UTC), Interval: r.Interval, Wkst: days[r.WeekStart], Count: r.Count,
		Bymonthday: r.ByMonthDay,
		// Without UNTIL rrule-go stops 290 years after DTSTART, a limit of its own and not
		// part of the rule; a yearly COUNT=999 runs past it. UNTIL is applied below.
		Until: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	for _, d := range r.ByDay {
		wd := days[d.Weekday]
		opt.Byweekday = append(opt.Byweekday, wd.Nth(d.N))
	}
	if r.ByMonth != 0 {
		opt.Bymonth = []int{r.ByMonth}
	}
	if r.BySetPos != 0 {
		opt.Bysetpos = []int{r.BySetPos}
	}
	rr, err := rrule.NewRRule(opt)
	if err != nil {
		panic(err)
	}
	next := rr.Iterator()
	return func() (time.Time, bool) {
		w, ok := next()
		if !ok {
			return time.Time{}, false
		}
		y, m, d := w.Date()
		h, mi, sec := w.Clock()
		t := calendar.WallTime(y, m, d, h, mi, sec, loc)
		if !r.Until.IsZero() && t.After(r.Until) {
			return time.Time{}, false
		}
		return t, true
	}
}

func naiveStarts(s calendar.Schedule, from, to time.Time, limit int) []time.Time {
	var out []time.Time
	next := naiveNext(s)
	for t, ok := next(); ok && t.Before(to); t, ok = next() {
		if !t.Before(from) || t.Add(s.Duration).After(from) {
			out = append(out, t)
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out
}

func naiveCountBefore(s calendar.Schedule, at time.Time) int {
	n := 0
	next := naiveNext(s)
	for t, ok := next(); ok && t.Before(at); t, ok = next() {
		n++
	}
	return n
}

func naiveContains(s calendar.Schedule, at time.Time) bool {
	next := naiveNext(s)
	for t, ok := next(); ok && !t.After(at); t, ok = next() {
		if t.Equal(at) {
			return true
		}
	}
	return false
}

func naiveFirst(s calendar.Schedule) (time.Time, bool) {
	return naiveNext(s)()
}

func naiveLast(s calendar.Schedule) (last time.Time, found bool) {
	next := naiveNext(s)
	for t, ok := next(); ok; t, ok = next() {
		last, found = t, true
	}
	return last, found
}

func sameInstants(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) || a[i].Location().String() != b[i].Location().String() {
			return false
		}
	}
	return true
}
