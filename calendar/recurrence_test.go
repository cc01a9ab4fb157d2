package calendar_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
)

func TestParseRuleAcceptsWhatOutlookCanRepresent(t *testing.T) {
	mon, tue, wed, thu, fri := time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday
	base := func(f calendar.Frequency) calendar.Rule {
		return calendar.Rule{Freq: f, Interval: 1, WeekStart: mon}
	}
	with := func(r calendar.Rule, edit func(*calendar.Rule)) calendar.Rule { edit(&r); return r }
	days := func(ds ...time.Weekday) []calendar.WeekdayNum {
		out := make([]calendar.WeekdayNum, len(ds))
		for i, d := range ds {
			out[i] = calendar.WeekdayNum{Weekday: d}
		}
		return out
	}
	tests := []struct {
		name, in, canonical string
		want                calendar.Rule
	}{
		{"daily", "FREQ=DAILY", "FREQ=DAILY", base(calendar.Daily)},
		{"lower case with prefix", "rrule:freq=daily;interval=3", "FREQ=DAILY;INTERVAL=3",
			with(base(calendar.Daily), func(r *calendar.Rule) { r.Interval = 3 })},
		{"surrounding space", "  FREQ=DAILY  ", "FREQ=DAILY", base(calendar.Daily)},
		{"interval 99", "FREQ=DAILY;INTERVAL=99", "FREQ=DAILY;INTERVAL=99",
			with(base(calendar.Daily), func(r *calendar.Rule) { r.Interval = 99 })},
		{"count 999", "FREQ=DAILY;COUNT=999", "FREQ=DAILY;COUNT=999",
			with(base(calendar.Daily), func(r *calendar.Rule) { r.Count = 999 })},
		{"until UTC time", "FREQ=DAILY;UNTIL=20260301T080000Z", "FREQ=DAILY;UNTIL=20260301T080000Z",
			with(base(calendar.Daily), func(r *calendar.Rule) { r.Until = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC) })},
		{"until date ends with that day", "FREQ=DAILY;UNTIL=20260301", "FREQ=DAILY;UNTIL=20260301T235959Z",
			with(base(calendar.Daily), func(r *calendar.Rule) { r.Until = time.Date(2026, 3, 1, 23, 59, 59, 0, time.UTC) })},
		{"weekly implied day", "FREQ=WEEKLY", "FREQ=WEEKLY", base(calendar.Weekly)},
		{"weekly list in canonical order", "FREQ=WEEKLY;BYDAY=WE,MO;COUNT=10", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10",
			with(base(calendar.Weekly), func(r *calendar.Rule) { r.ByDay, r.Count = days(mon, wed), 10 })},
		{"weekly every other with week start", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU",
			with(base(calendar.Weekly), func(r *calendar.Rule) { r.Interval, r.ByDay, r.WeekStart = 2, days(tue, thu), time.Sunday })},
		{"explicit Monday week start is the default", "FREQ=WEEKLY;WKST=MO", "FREQ=WEEKLY", base(calendar.Weekly)},
		{"monthly implied day", "FREQ=MONTHLY", "FREQ=MONTHLY", base(calendar.Monthly)},
		{"monthly day 15", "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=MONTHLY;BYMONTHDAY=15",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByMonthDay = []int{15} })},
		{"monthly day 28", "FREQ=MONTHLY;BYMONTHDAY=28", "FREQ=MONTHLY;BYMONTHDAY=28",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByMonthDay = []int{28} })},
		{"monthly day 31 or last", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByMonthDay, r.BySetPos = []int{28, 29, 30, 31}, -1 })},
		{"monthly day 30 or last", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByMonthDay, r.BySetPos = []int{28, 29, 30}, -1 })},
		{"monthly day 29 or last, any order", "FREQ=MONTHLY;BYMONTHDAY=29,28;BYSETPOS=-1", "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByMonthDay, r.BySetPos = []int{28, 29}, -1 })},
		{"monthly second Tuesday", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=2TU",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByDay = []calendar.WeekdayNum{{Weekday: tue, N: 2}} })},
		{"monthly last Friday", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByDay = []calendar.WeekdayNum{{Weekday: fri, N: -1}} })},
		{"monthly ordinal with plus sign", "FREQ=MONTHLY;BYDAY=+1WE", "FREQ=MONTHLY;BYDAY=1WE",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByDay = []calendar.WeekdayNum{{Weekday: wed, N: 1}} })},
		{"monthly last weekday", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByDay, r.BySetPos = days(mon, tue, wed, thu, fri), -1 })},
		{"one weekday with BYSETPOS folds into an ordinal", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "FREQ=MONTHLY;BYDAY=2TU",
			with(base(calendar.Monthly), func(r *calendar.Rule) { r.ByDay = []calendar.WeekdayNum{{Weekday: tue, N: 2}} })},
		{"yearly implied month and day", "FREQ=YEARLY", "FREQ=YEARLY", base(calendar.Yearly)},
		{"yearly in March on the start's day", "FREQ=YEARLY;BYMONTH=3", "FREQ=YEARLY;BYMONTH=3",
			with(base(calendar.Yearly), func(r *calendar.Rule) { r.ByMonth = 3 })},
		{"yearly March 15", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15", "FREQ=YEARLY;BYMONTHDAY=15;BYMONTH=3",
			with(base(calendar.Yearly), func(r *calendar.Rule) { r.ByMonth, r.ByMonthDay = 3, []int{15} })},
		{"yearly February 29 or last", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1", "FREQ=YEARLY;BYMONTHDAY=28,29;BYMONTH=2;BYSETPOS=-1",
			with(base(calendar.Yearly), func(r *calendar.Rule) { r.ByMonth, r.ByMonthDay, r.BySetPos = 2, []int{28, 29}, -1 })},
		{"yearly fourth Thursday of November", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "FREQ=YEARLY;BYDAY=4TH;BYMONTH=11",
			with(base(calendar.Yearly), func(r *calendar.Rule) { r.ByMonth, r.ByDay = 11, []calendar.WeekdayNum{{Weekday: thu, N: 4}} })},
		{"yearly first weekend day of May", "FREQ=YEARLY;BYMONTH=5;BYDAY=SA,SU;BYSETPOS=1", "FREQ=YEARLY;BYDAY=SA,SU;BYMONTH=5;BYSETPOS=1",
			with(base(calendar.Yearly), func(r *calendar.Rule) {
				r.ByMonth, r.ByDay, r.BySetPos = 5, days(time.Saturday, time.Sunday), 1
			})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := calendar.ParseRule(tc.in)
			if err != nil {
				t.Fatalf("ParseRule(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("ParseRule(%q) = %+v, want %+v", tc.in, *got, tc.want)
			}
			if s := got.String(); s != tc.canonical {
				t.Errorf("String() = %q, want %q", s, tc.canonical)
			}
			back, err := calendar.ParseRule(got.String())
			if err != nil || !reflect.DeepEqual(*back, *got) {
				t.Errorf("ParseRule(String()) = %+v, %v; want %+v", back, err, *got)
			}
		})
	}
}

func TestParseRuleRejectsWhatOutlookCannotRepresent(t *testing.T) {
	tests := []struct {
		name, in, part string
		mentions       string // a piece of the message that tells the user what to do
	}{
		{"empty", "", "RRULE", "empty"},
		{"hourly", "FREQ=HOURLY", "FREQ", "not supported"},
		{"minutely", "FREQ=MINUTELY", "FREQ", "not supported"},
		{"secondly", "FREQ=SECONDLY", "FREQ", "not supported"},
		{"unknown frequency", "FREQ=FORTNIGHTLY", "FREQ", "DAILY, WEEKLY"},
		{"no frequency", "INTERVAL=2", "FREQ", "missing"},
		{"by year day", "FREQ=YEARLY;BYYEARDAY=100", "BYYEARDAY", "BYYEARDAY is not supported: Outlook cannot represent it"},
		{"by week number", "FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO", "not supported"},
		{"by hour", "FREQ=DAILY;BYHOUR=9", "BYHOUR", "not supported"},
		{"by minute", "FREQ=DAILY;BYMINUTE=30", "BYMINUTE", "not supported"},
		{"by second", "FREQ=DAILY;BYSECOND=1", "BYSECOND", "not supported"},
		{"several ordinals", "FREQ=MONTHLY;BYDAY=1MO,3MO", "BYDAY", "Several ordinal"},
		{"ordinal mixed with plain weekday", "FREQ=MONTHLY;BYDAY=MO,2TU", "BYDAY", "Several ordinal"},
		{"fifth weekday", "FREQ=MONTHLY;BYDAY=5MO", "BYDAY", "1st to 4th or the last"},
		{"second to last weekday", "FREQ=MONTHLY;BYDAY=-2MO", "BYDAY", "1st to 4th or the last"},
		{"ordinal zero", "FREQ=MONTHLY;BYDAY=0MO", "BYDAY", "not a weekday"},
		{"ordinal in a weekly rule", "FREQ=WEEKLY;BYDAY=2MO", "BYDAY", "FREQ=MONTHLY"},
		{"weekday list without BYSETPOS", "FREQ=MONTHLY;BYDAY=MO,TU", "BYDAY", "BYSETPOS"},
		{"monthly plain weekday", "FREQ=MONTHLY;BYDAY=MO", "BYDAY", "BYSETPOS"},
		{"ordinal with BYSETPOS", "FREQ=MONTHLY;BYDAY=2TU;BYSETPOS=1", "BYSETPOS", "ordinal"},
		{"BYSETPOS 5", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=5", "BYSETPOS", "1 to 4"},
		{"BYSETPOS -2", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-2", "BYSETPOS", "1 to 4"},
		{"several BYSETPOS", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1,2", "BYSETPOS", "one"},
		{"BYSETPOS without BYDAY", "FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS", "BYDAY"},
		{"BYSETPOS in a weekly rule", "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1", "BYSETPOS", "weekly"},
		{"negative month day", "FREQ=MONTHLY;BYMONTHDAY=-1", "BYMONTHDAY", "28,29,30,31;BYSETPOS=-1"},
		{"plain day 31", "FREQ=MONTHLY;BYMONTHDAY=31", "BYMONTHDAY", "BYMONTHDAY=28,29,30,31;BYSETPOS=-1"},
		{"plain day 30", "FREQ=MONTHLY;BYMONTHDAY=30", "BYMONTHDAY", "BYMONTHDAY=28,29,30;BYSETPOS=-1"},
		{"plain day 29", "FREQ=MONTHLY;BYMONTHDAY=29", "BYMONTHDAY", "BYMONTHDAY=28,29;BYSETPOS=-1"},
		{"month day 0", "FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY", "not a day"},
		{"month day 32", "FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY", "not a day"},
		{"several month days", "FREQ=MONTHLY;BYMONTHDAY=1,15", "BYMONTHDAY", "one day from 1 to 28"},
		{"repeated month day", "FREQ=MONTHLY;BYMONTHDAY=28,28;BYSETPOS=-1", "BYMONTHDAY", "more than once"},
		{"day 31 form without BYSETPOS", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31", "BYSETPOS", "BYSETPOS=-1"},
		{"day 31 form with first position", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=1", "BYSETPOS", "BYSETPOS=-1"},
		{"not an Outlook month day form", "FREQ=MONTHLY;BYMONTHDAY=29,30,31;BYSETPOS=-1", "BYMONTHDAY", "28,29,30,31"},
		{"month day with BYSETPOS", "FREQ=MONTHLY;BYMONTHDAY=15;BYSETPOS=-1", "BYSETPOS", "one day"},
		{"weekday and month day", "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=3", "BYMONTHDAY", "cannot be combined"},
		{"monthly with BYMONTH", "FREQ=MONTHLY;BYMONTH=3", "BYMONTH", "yearly"},
		{"several months", "FREQ=YEARLY;BYMONTH=3,4", "BYMONTH", "one month"},
		{"month 13", "FREQ=YEARLY;BYMONTH=13", "BYMONTH", "between 1 and 12"},
		{"month 0", "FREQ=YEARLY;BYMONTH=0", "BYMONTH", "between 1 and 12"},
		{"yearly weekday without month", "FREQ=YEARLY;BYDAY=2TU", "BYMONTH", "needs BYMONTH"},
		{"yearly month day without month", "FREQ=YEARLY;BYMONTHDAY=5", "BYMONTH", "needs BYMONTH"},
		{"weekly month day", "FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY", "FREQ=MONTHLY"},
		{"weekly month", "FREQ=WEEKLY;BYMONTH=3", "BYMONTH", "FREQ=YEARLY"},
		{"repeated weekday", "FREQ=WEEKLY;BYDAY=MO,MO", "BYDAY", "more than once"},
		{"daily weekdays", "FREQ=DAILY;BYDAY=MO,TU", "BYDAY", "FREQ=WEEKLY"},
		{"daily month", "FREQ=DAILY;BYMONTH=3", "BYMONTH", "FREQ=YEARLY"},
		{"count above 999", "FREQ=DAILY;COUNT=1000", "COUNT", "999"},
		{"count 0", "FREQ=DAILY;COUNT=0", "COUNT", "at least 1"},
		{"negative count", "FREQ=DAILY;COUNT=-1", "COUNT", "not a number"},
		{"count not a number", "FREQ=DAILY;COUNT=ten", "COUNT", "not a number"},
		{"huge count", "FREQ=DAILY;COUNT=99999999999999999999", "COUNT", "not a number"},
		{"interval above 99", "FREQ=DAILY;INTERVAL=100", "INTERVAL", "99"},
		{"interval 0", "FREQ=DAILY;INTERVAL=0", "INTERVAL", "at least 1"},
		{"count with until", "FREQ=DAILY;COUNT=5;UNTIL=20260301", "UNTIL", "cannot both"},
		{"until on a day that does not exist", "FREQ=DAILY;UNTIL=20260230", "UNTIL", "not a date"},
		{"until without zone", "FREQ=DAILY;UNTIL=20260301T080000", "UNTIL", "UTC"},
		{"until with dashes", "FREQ=DAILY;UNTIL=2026-03-01", "UNTIL", "not a date"},
		{"repeated FREQ", "FREQ=DAILY;FREQ=WEEKLY", "FREQ", "more than once"},
		{"repeated COUNT", "FREQ=DAILY;COUNT=2;COUNT=3", "COUNT", "more than once"},
		{"unknown part", "FREQ=DAILY;X-FOO=1", "X-FOO", "not a part"},
		{"part without value", "FREQ=WEEKLY;BYDAY=", "BYDAY", "no value"},
		{"part without equals sign", "FREQ=DAILY;FOO", "RRULE", "NAME=VALUE"},
		{"trailing semicolon", "FREQ=DAILY;", "RRULE", "NAME=VALUE"},
		{"DTSTART inside", "FREQ=DAILY;DTSTART=20260301T080000Z", "DTSTART", "start"},
		{"unknown week start", "FREQ=WEEKLY;WKST=XX", "WKST", "weekday"},
		{"unknown weekday", "FREQ=WEEKLY;BYDAY=XY", "BYDAY", "not a weekday"},
		{"empty weekday", "FREQ=WEEKLY;BYDAY=MO,,TU", "BYDAY", "not a weekday"},
		{"too long", "FREQ=DAILY;" + strings.Repeat("X", 600), "RRULE", "too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := calendar.ParseRule(tc.in)
			var re *calendar.RuleError
			if !errors.As(err, &re) {
				t.Fatalf("ParseRule(%q) = %+v, %v; want a *RuleError", tc.in, r, err)
			}
			if re.Part != tc.part {
				t.Errorf("Part = %q, want %q (message %q)", re.Part, tc.part, re.Message)
			}
			if !strings.Contains(err.Error(), tc.mentions) {
				t.Errorf("message %q does not mention %q", err.Error(), tc.mentions)
			}
		})
	}
}

func TestParseRuleInEndsDateOnlyUntilWithThatDayInTheZone(t *testing.T) {
	la := mustZone(t, "America/Los_Angeles")
	r, err := calendar.ParseRuleIn("FREQ=DAILY;UNTIL=20260305", la)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 3, 5, 23, 59, 59, 0, la)
	if !r.Until.Equal(want) || r.Until.Location() != time.UTC {
		t.Errorf("Until = %v, want %v as UTC", r.Until, want)
	}
	if got := r.String(); got != "FREQ=DAILY;UNTIL=20260306T075959Z" {
		t.Errorf("String() = %q", got)
	}
}

func TestRuleValidateChecksHandBuiltRules(t *testing.T) {
	tests := []struct {
		name string
		rule calendar.Rule
		part string // "" when valid
	}{
		{"weekly with days", calendar.Rule{Freq: calendar.Weekly, ByDay: []calendar.WeekdayNum{{Weekday: time.Friday}}, WeekStart: time.Monday}, ""},
		{"interval 0 reads as 1", calendar.Rule{Freq: calendar.Daily}, ""},
		{"no frequency", calendar.Rule{}, "FREQ"},
		{"interval 100", calendar.Rule{Freq: calendar.Daily, Interval: 100}, "INTERVAL"},
		{"week start out of range", calendar.Rule{Freq: calendar.Weekly, WeekStart: 7}, "WKST"},
		{"count 1000", calendar.Rule{Freq: calendar.Daily, Count: 1000}, "COUNT"},
		{"weekday out of range", calendar.Rule{Freq: calendar.Weekly, ByDay: []calendar.WeekdayNum{{Weekday: 9}}}, "BYDAY"},
		{"count and until", calendar.Rule{Freq: calendar.Daily, Count: 2, Until: time.Now()}, "UNTIL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rule.Validate()
			var re *calendar.RuleError
			switch {
			case tc.part == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.part != "" && (!errors.As(err, &re) || re.Part != tc.part):
				t.Errorf("Validate() = %v, want a *RuleError for %s", err, tc.part)
			}
		})
	}
}

func TestRuleEqualComparesCanonicalForms(t *testing.T) {
	a := mustRule(t, "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2")
	b := mustRule(t, "FREQ=MONTHLY;BYDAY=2TU")
	if !a.Equal(*b) {
		t.Errorf("%v and %v should be equal", a, b)
	}
	shuffled := calendar.Rule{Freq: calendar.Weekly, WeekStart: time.Monday,
		ByDay: []calendar.WeekdayNum{{Weekday: time.Friday}, {Weekday: time.Monday}}}
	if !shuffled.Equal(*mustRule(t, "FREQ=WEEKLY;BYDAY=MO,FR")) {
		t.Error("the order of BYDAY should not matter")
	}
	if mustRule(t, "FREQ=WEEKLY;BYDAY=MO").Equal(*mustRule(t, "FREQ=WEEKLY;BYDAY=MO;WKST=SU")) {
		t.Error("rules with different week starts should differ")
	}
}

func TestRuleDayOfMonthAndSetDayOfMonth(t *testing.T) {
	for _, tc := range []struct {
		name, rule string
		day        int
	}{
		{"plain day", "FREQ=MONTHLY;BYMONTHDAY=15", 15},
		{"day 29", "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1", 29},
		{"day 30", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", 30},
		{"day 31", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", 31},
		{"weekday rule", "FREQ=MONTHLY;BYDAY=2TU", 0},
		{"implied day", "FREQ=MONTHLY", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustRule(t, tc.rule)
			if got := r.DayOfMonth(); got != tc.day {
				t.Errorf("DayOfMonth() = %d, want %d", got, tc.day)
			}
			if tc.day == 0 {
				return
			}
			built := calendar.Rule{Freq: calendar.Monthly, WeekStart: time.Monday, ByDay: []calendar.WeekdayNum{{Weekday: time.Monday, N: 1}}}
			if err := built.SetDayOfMonth(tc.day); err != nil {
				t.Fatal(err)
			}
			if !built.Equal(*r) || built.Validate() != nil {
				t.Errorf("SetDayOfMonth(%d) = %v, want %v", tc.day, built, r)
			}
		})
	}
	var r calendar.Rule
	if err := r.SetDayOfMonth(32); err == nil {
		t.Error("SetDayOfMonth(32) should fail")
	}
}

func TestRuleWeekdayOrdinalAndWeekdays(t *testing.T) {
	for _, tc := range []struct {
		name, rule string
		ordinal    int
		days       []time.Weekday
	}{
		{"ordinal", "FREQ=MONTHLY;BYDAY=-1FR", -1, []time.Weekday{time.Friday}},
		{"list with position", "FREQ=YEARLY;BYMONTH=5;BYDAY=SU,SA;BYSETPOS=1", 1, []time.Weekday{time.Saturday, time.Sunday}},
		{"weekly", "FREQ=WEEKLY;BYDAY=SU,MO", 0, []time.Weekday{time.Monday, time.Sunday}},
		{"month day", "FREQ=MONTHLY;BYMONTHDAY=3", 0, []time.Weekday{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustRule(t, tc.rule)
			if got := r.WeekdayOrdinal(); got != tc.ordinal {
				t.Errorf("WeekdayOrdinal() = %d, want %d", got, tc.ordinal)
			}
			if got := r.Weekdays(); !reflect.DeepEqual(got, tc.days) {
				t.Errorf("Weekdays() = %v, want %v", got, tc.days)
			}
		})
	}
}

func TestScheduleValidateRejectsRulesOutlookCannotSyncForThisStart(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, berlin) }
	tests := []struct {
		name  string
		first time.Time
		rule  string
		part  string // "" when valid
	}{
		{"monthly from the 28th", at(2026, 1, 28), "FREQ=MONTHLY", ""},
		{"monthly from the 31st skips short months", at(2026, 1, 31), "FREQ=MONTHLY", "BYMONTHDAY"},
		{"monthly from the 31st in Outlook's form", at(2026, 1, 31), "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", ""},
		{"yearly on January 31", at(2026, 1, 31), "FREQ=YEARLY", ""},
		{"yearly on February 29 skips years", at(2028, 2, 29), "FREQ=YEARLY", "BYMONTHDAY"},
		{"yearly in April from the 31st never happens", at(2026, 1, 31), "FREQ=YEARLY;BYMONTH=4", "BYMONTH"},
		{"until before the start", at(2026, 3, 2), "FREQ=DAILY;UNTIL=20260301T000000Z", "UNTIL"},
		{"no instance before UNTIL", at(2026, 3, 4), "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260308T000000Z", "RRULE"},
		{"rule part", at(2026, 3, 4), "", "BYDAY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &calendar.Rule{Freq: calendar.Daily, ByDay: []calendar.WeekdayNum{{Weekday: time.Monday}}}
			if tc.rule != "" {
				r = mustRule(t, tc.rule)
			}
			err := calendar.Schedule{First: tc.first, Duration: time.Hour, Rule: r}.Validate()
			var re *calendar.RuleError
			switch {
			case tc.part == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.part != "" && (!errors.As(err, &re) || re.Part != tc.part):
				t.Errorf("Validate() = %v, want a *RuleError for %s", err, tc.part)
			}
		})
	}
}

func TestScheduleExplicitRuleWritesOutImpliedParts(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	tests := []struct {
		name  string
		first time.Time
		rule  string
		want  string
	}{
		{"weekly takes the start's weekday", time.Date(2026, 3, 4, 9, 0, 0, 0, berlin), "FREQ=WEEKLY;COUNT=3", "FREQ=WEEKLY;BYDAY=WE;COUNT=3"},
		{"weekly keeps its list", time.Date(2026, 3, 4, 9, 0, 0, 0, berlin), "FREQ=WEEKLY;BYDAY=MO,FR", "FREQ=WEEKLY;BYDAY=MO,FR"},
		{"monthly takes the start's day", time.Date(2026, 3, 14, 9, 0, 0, 0, berlin), "FREQ=MONTHLY", "FREQ=MONTHLY;BYMONTHDAY=14"},
		{"yearly takes month and day", time.Date(2026, 3, 14, 9, 0, 0, 0, berlin), "FREQ=YEARLY", "FREQ=YEARLY;BYMONTHDAY=14;BYMONTH=3"},
		{"yearly on January 31", time.Date(2026, 1, 31, 9, 0, 0, 0, berlin), "FREQ=YEARLY", "FREQ=YEARLY;BYMONTHDAY=28,29,30,31;BYMONTH=1;BYSETPOS=-1"},
		{"yearly weekday keeps its month", time.Date(2026, 11, 26, 9, 0, 0, 0, berlin), "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "FREQ=YEARLY;BYDAY=4TH;BYMONTH=11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := calendar.Schedule{First: tc.first, Duration: time.Hour, Rule: mustRule(t, tc.rule)}
			got, ok := s.ExplicitRule()
			if !ok || got.String() != tc.want {
				t.Fatalf("ExplicitRule() = %v, %v; want %s", got, ok, tc.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("explicit rule does not validate: %v", err)
			}
			explicit := s
			explicit.Rule = &got
			from, to := tc.first, tc.first.AddDate(3, 0, 0)
			if a, b := s.Starts(from, to, 0), explicit.Starts(from, to, 0); !reflect.DeepEqual(a, b) {
				t.Errorf("explicit rule expands to %v, want %v", b, a)
			}
		})
	}
	if _, ok := (calendar.Schedule{First: time.Now()}).ExplicitRule(); ok {
		t.Error("a one-off has no explicit rule")
	}
}

func mustRule(t testing.TB, s string) *calendar.Rule {
	t.Helper()
	r, err := calendar.ParseRule(s)
	if err != nil {
		t.Fatalf("ParseRule(%q): %v", s, err)
	}
	return r
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}
