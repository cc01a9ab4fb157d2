package pages

import (
	"testing"
	"time"

	"intracal/calendar"
)

func TestRepeatBuilderMakesTheRuleTheCalendarAccepts(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		form repeatForm
		want string
	}{
		{"does not repeat", repeatForm{Freq: ""}, ""},
		{"daily", repeatForm{Freq: "daily", Interval: "1", Ends: "never"}, "FREQ=DAILY"},
		{"every 3 days, 5 times", repeatForm{Freq: "daily", Interval: "3", Ends: "count", Count: "5"}, "FREQ=DAILY;INTERVAL=3;COUNT=5"},
		{"weekly on two days", repeatForm{Freq: "weekly", Interval: "1", Weekdays: []string{"WE", "MO"}, Ends: "never"}, "FREQ=WEEKLY;BYDAY=MO,WE"},
		{"every other week until a date, which ends with that day in the event's zone",
			repeatForm{Freq: "weekly", Interval: "2", Weekdays: []string{"TU"}, Ends: "until", Until: "2026-06-30"},
			"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20260630T215959Z"},
		{"monthly on day 15", repeatForm{Freq: "monthly", Interval: "1", MonthMode: "day", MonthDay: "15", Ends: "never"}, "FREQ=MONTHLY;BYMONTHDAY=15"},
		{"monthly on day 31 is Outlook's day 31 or the last day", repeatForm{Freq: "monthly", Interval: "1", MonthMode: "day", MonthDay: "31", Ends: "never"},
			"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"},
		{"monthly on day 29", repeatForm{Freq: "monthly", Interval: "1", MonthMode: "day", MonthDay: "29", Ends: "never"},
			"FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1"},
		{"monthly on the second Tuesday", repeatForm{Freq: "monthly", Interval: "1", MonthMode: "weekday", MonthOrdinal: "2", MonthWeekday: "TU", Ends: "never"},
			"FREQ=MONTHLY;BYDAY=2TU"},
		{"every 3 months on the last Friday", repeatForm{Freq: "monthly", Interval: "3", MonthMode: "weekday", MonthOrdinal: "-1", MonthWeekday: "FR", Ends: "count", Count: "4"},
			"FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR;COUNT=4"},
		{"yearly on 14 March", repeatForm{Freq: "yearly", Interval: "1", YearMonth: "3", YearMode: "day", YearDay: "14", Ends: "never"},
			"FREQ=YEARLY;BYMONTHDAY=14;BYMONTH=3"},
		{"yearly on the first Monday of September", repeatForm{Freq: "yearly", Interval: "1", YearMonth: "9", YearMode: "weekday", YearOrdinal: "1", YearWeekday: "MO", Ends: "never"},
			"FREQ=YEARLY;BYDAY=1MO;BYMONTH=9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := tt.form.rrule(berlin)
			if len(errs) > 0 {
				t.Fatalf("errors %v", errs)
			}
			if got != tt.want {
				t.Fatalf("rrule %q, want %q", got, tt.want)
			}
			if got == "" {
				return
			}
			if _, err := calendar.ParseRuleIn(got, berlin); err != nil {
				t.Fatalf("the calendar refuses %q: %v", got, err)
			}
		})
	}
}

func TestRepeatBuilderNamesTheFieldInError(t *testing.T) {
	tests := []struct {
		name  string
		form  repeatForm
		field string
	}{
		{"interval not a number", repeatForm{Freq: "daily", Interval: "x"}, "interval"},
		{"interval too large", repeatForm{Freq: "daily", Interval: "100"}, "interval"},
		{"weekly without a weekday", repeatForm{Freq: "weekly", Interval: "1"}, "weekdays"},
		{"weekly with a made-up weekday", repeatForm{Freq: "weekly", Interval: "1", Weekdays: []string{"XX"}}, "weekdays"},
		{"monthly day 32", repeatForm{Freq: "monthly", Interval: "1", MonthMode: "day", MonthDay: "32"}, "monthDay"},
		{"monthly fifth weekday", repeatForm{Freq: "monthly", Interval: "1", MonthMode: "weekday", MonthOrdinal: "5", MonthWeekday: "MO"}, "monthWeekday"},
		{"yearly 30 February", repeatForm{Freq: "yearly", Interval: "1", YearMonth: "2", YearMode: "day", YearDay: "30"}, "yearDay"},
		{"yearly month 13", repeatForm{Freq: "yearly", Interval: "1", YearMonth: "13", YearMode: "day", YearDay: "1"}, "yearMonth"},
		{"end date not a date", repeatForm{Freq: "daily", Interval: "1", Ends: "until", Until: "soon"}, "until"},
		{"count 0", repeatForm{Freq: "daily", Interval: "1", Ends: "count", Count: "0"}, "count"},
		{"count 1000", repeatForm{Freq: "daily", Interval: "1", Ends: "count", Count: "1000"}, "count"},
		{"unknown frequency", repeatForm{Freq: "hourly", Interval: "1"}, "freq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := tt.form.rrule(time.UTC)
			if errs[tt.field] == "" {
				t.Fatalf("rrule %q, errors %v: want a message for %s", got, errs, tt.field)
			}
		})
	}
}

// The form shows a stored rule so that building it again gives the same rule: an untouched
// builder must never count as a change.
func TestRepeatFormShowsAStoredRuleUnchanged(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 3, 31, 9, 0, 0, 0, berlin)
	for _, rule := range []string{
		"FREQ=DAILY;INTERVAL=2;COUNT=7",
		"FREQ=WEEKLY;BYDAY=MO,WE,FR",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20260630T215959Z",
		"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
		"FREQ=MONTHLY;BYDAY=-1TU",
		"FREQ=YEARLY;BYDAY=1MO;BYMONTH=9",
		"FREQ=YEARLY;BYMONTHDAY=14;BYMONTH=3;COUNT=3",
	} {
		t.Run(rule, func(t *testing.T) {
			r, err := calendar.ParseRuleIn(rule, berlin)
			if err != nil {
				t.Fatal(err)
			}
			got, errs := newRepeatForm(r, first, berlin, 0).rrule(berlin)
			if len(errs) > 0 || got != rule {
				t.Fatalf("the form builds %q (%v) from %q", got, errs, rule)
			}
		})
	}
}

func TestRepeatFormDefaultsFollowTheStart(t *testing.T) {
	// Tuesday 17 March 2026 is the third Tuesday of its month.
	f := newRepeatForm(nil, time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC), time.UTC, 0)
	if f.Freq != "" || len(f.Weekdays) != 1 || f.Weekdays[0] != "TU" || f.MonthDay != "17" ||
		f.MonthOrdinal != "3" || f.MonthWeekday != "TU" || f.YearMonth != "3" || f.Ends != "never" {
		t.Fatalf("defaults %+v", f)
	}
	// A "this and following" form shows the instances that remain.
	r, _ := calendar.ParseRule("FREQ=WEEKLY;BYDAY=TU;COUNT=10")
	if f := newRepeatForm(r, time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC), time.UTC, 4); f.Ends != "count" || f.Count != "4" {
		t.Fatalf("remaining count: %+v", f)
	}
}

func TestDescribeRule(t *testing.T) {
	tests := []struct{ rule, want string }{
		{"FREQ=DAILY", "Every day"},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10", "Every 2 weeks on Monday and Wednesday, 10 times"},
		{"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "Every month on day 31 (or the month's last day)"},
		{"FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday"},
		{"FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=14;UNTIL=20300314T235959Z", "Every year on March 14, until Thu 14 Mar 2030"},
	}
	for _, tt := range tests {
		r, err := calendar.ParseRule(tt.rule)
		if err != nil {
			t.Fatal(err)
		}
		if got := describeRule(r, time.UTC); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.rule, got, tt.want)
		}
	}
}
