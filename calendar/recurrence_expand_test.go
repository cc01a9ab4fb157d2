package calendar_test

import (
	"reflect"
	"testing"
	"time"

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
