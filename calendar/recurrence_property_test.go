package calendar_test

import (
	"testing"
	"time"

	"github.com/teambition/rrule-go"
	"pgregory.net/rapid"

	"intracal/calendar"
)

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
