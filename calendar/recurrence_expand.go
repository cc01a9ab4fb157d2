package calendar

import (
	"time"

	"github.com/teambition/rrule-go"
)

// Schedule is the time frame a rule expands in.
//
// Expansion follows First's wall clock in First's own location: rrule-go produces wall times
// and WallTime places each in the zone, so a 09:00 Europe/Berlin meeting stays at 09:00 local
// across daylight-saving changes. All-day schedules expand dates, as midnight UTC.
//
// rrule-go iterates from DTSTART, which would
// make a window of a series that began ten years ago cost ten years of iteration; instead the
// expansion writes out the parts the rule takes from its start (weekday, day of month, month,
// time of day) and moves DTSTART to the start of a period a whole number of intervals later,
// just before the window, so that the phase of INTERVAL is kept. COUNT is kept by arithmetic:
// every period after the first holds the same number of instances for each rule Outlook can
// represent, so the number of instances before a period is known without iterating them.
type Schedule struct {
	First time.Time // the first start, a wall time in its location (the IANA zone); for all-day, midnight UTC of the date
	// Wall is the series' intended wall clock (floating: UTC fields) when First could not show
	// it: the first instance fell in a gap, so First is later than the wall time the series
	// keeps (a weekly 02:30 from a spring-forward day: First 03:30, later weeks 02:30). Zero,
	// or a Wall that does not resolve to First, means First's own wall clock.
	Wall     time.Time
	Duration time.Duration // negative is read as zero
	AllDay   bool
	Rule     *Rule // nil: a one-off
}

// Starts returns, in order, the starts of the instances whose interval [start, start+Duration)
// overlaps [from, to) (a zero-length instance overlaps when from <= start < to), at most limit
// of them (limit <= 0 means no cap). Instances are the rule's matches at or after First
// (rrule-go semantics: First itself only when it matches the rule), in First's location. The
// cost depends on the instances in the window, not on how far First lies before it.
func (s Schedule) Starts(from, to time.Time, limit int) []time.Time {
	var out []time.Time
	s.eachStart(from, to, limit, func(t time.Time) bool {
		out = append(out, t)
		return true
	})
	return out
}

// eachStart calls fn with what Starts returns, in order, until fn returns false: listings
// take the starts one at a time rather than a slice per series.
func (s Schedule) eachStart(from, to time.Time, limit int, fn func(time.Time) bool) {
	if !from.Before(to) {
		return
	}
	d := max(s.Duration, 0)
	overlaps := func(t time.Time) bool {
		return t.Before(to) && (!t.Before(from) || t.Add(d).After(from))
	}
	if s.Rule == nil {
		if first := s.first(); overlaps(first) {
			fn(first)
		}
		return
	}
	e := s.expansion()
	if e == nil {
		return
	}
	n := 0
	e.each(from.Add(-d), func(t time.Time) bool {
		if !t.Before(to) {
			return false
		}
		if overlaps(t) {
			n++
			return fn(t) && (limit <= 0 || n < limit)
		}
		return true
	})
}

// Contains reports whether t (any location) is the start of an instance of the schedule.
func (s Schedule) Contains(t time.Time) bool {
	if s.Rule == nil {
		return t.Equal(s.first())
	}
	e := s.expansion()
	if e == nil {
		return false
	}
	found := false
	e.each(t, func(x time.Time) bool {
		if x.Before(t) {
			return true
		}
		found = x.Equal(t)
		return false
	})
	return found
}

// CountBefore returns how many instances start before t (used to split a COUNT rule).
func (s Schedule) CountBefore(t time.Time) int {
	if s.Rule == nil {
		if s.first().Before(t) {
			return 1
		}
		return 0
	}
	e := s.expansion()
	if e == nil {
		return 0
	}
	// Keeps the arithmetic below from counting periods past the end.
	if !e.until.IsZero() && t.After(e.until) {
		t = e.until.Add(time.Second)
	}
	if horizon := time.Date(maxYear+1, 1, 1, 0, 0, 0, 0, e.loc); t.After(horizon) {
		t = horizon
	}
	k, n := 0, 0
	if e.regular {
		if k = e.periodAtOrBefore(e.localDay(t).AddDate(0, 0, -2)); k > 0 {
			n = e.firstPeriodCount() + (k-1)*e.perPeriod
		}
	}
	if e.count > 0 && n >= e.count {
		return e.count
	}
	e.iterate(k, func(x time.Time) bool {
		if !x.Before(t) || e.count > 0 && n >= e.count {
			return false
		}
		n++
		return true
	})
	return n
}

// Last returns the start of the last instance, and false when the rule is unbounded (or, for
// a broken rule, yields no instance at all). A one-off's last start is First.
func (s Schedule) Last() (time.Time, bool) {
	if s.Rule == nil {
		return s.first(), true
	}
	e := s.expansion()
	if e == nil {
		return time.Time{}, false
	}
	switch {
	case e.count > 0:
		k, skip := 0, e.count-1
		if e.regular {
			if c0 := e.firstPeriodCount(); e.count > c0 {
				k = (e.count-c0-1)/e.perPeriod + 1
				skip = e.count - c0 - (k-1)*e.perPeriod - 1
			}
			if e.periodStart(k).Year() > maxYear {
				// COUNT is not reached before rrule-go's last year: the series ends there.
				return e.lastFrom(time.Date(maxYear, 12, 31, 0, 0, 0, 0, time.UTC))
			}
		}
		var last time.Time
		found := false
		e.iterate(k, func(t time.Time) bool {
			last, found = t, true
			skip--
			return skip >= 0
		})
		return last, found
	case !e.until.IsZero():
		return e.lastFrom(e.localDay(e.until))
	}
	return time.Time{}, false
}

// FirstStart returns the start of the first instance (First itself for a one-off), false if
// there is none.
func (s Schedule) FirstStart() (time.Time, bool) {
	if s.Rule == nil {
		return s.first(), true
	}
	e := s.expansion()
	if e == nil {
		return time.Time{}, false
	}
	var first time.Time
	found := false
	e.iterate(0, func(t time.Time) bool {
		first, found = t, true
		return false
	})
	return first, found
}

// first is the first start as expansion reads it: the series' wall clock (wall) resolved by
// WallTime; midnight UTC of First's date for all-day.
func (s Schedule) first() time.Time {
	if s.AllDay {
		y, m, d := s.First.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	w := s.wall()
	y, m, d := w.Date()
	h, mi, sec := w.Clock()
	return WallTime(y, m, d, h, mi, sec, s.First.Location())
}

// wall is the series' wall clock, floating: Wall when it stands for First (WallTime of Wall
// is First), else First's own wall clock. The check makes a Wall left behind by a change of
// First harmless.
func (s Schedule) wall() time.Time {
	if !s.Wall.IsZero() && !s.AllDay {
		y, m, d := s.Wall.Date()
		h, mi, sec := s.Wall.Clock()
		if WallTime(y, m, d, h, mi, sec, s.First.Location()).Equal(s.First) {
			return s.Wall
		}
	}
	return floatingWall(s.First)
}

// expansion is a schedule prepared for iteration: the rule with its implied parts written
// out for rrule-go, and the period arithmetic that lets iteration start near a window.
//
// rrule-go runs on wall times held as UTC ("floating"), and each is then placed in the zone
// by WallTime. Run in the zone itself, rrule-go derives dates from local midnights, which
// repeats one day and loses the next where clocks change at midnight (Santiago, Havana), and
// it leaves skipped and repeated times to time.Date, whose choice depends on the zone's side
// of UTC.
type expansion struct {
	wall     time.Time // the first start's wall time, floating
	loc      *time.Location
	freq     Frequency
	interval int
	count    int
	until    time.Time     // an instant; zero for none
	opt      rrule.ROption // floating, without Dtstart, set per iteration
	// period0 is the first day of the period holding First (its day, week per WKST, month or
	// year), floating midnight.
	period0 time.Time
	// regular is true when every period after the first holds exactly perPeriod instances,
	// which holds for every rule Outlook can represent; COUNT arithmetic relies on it.
	regular   bool
	perPeriod int
	c0        int // instances in the first period; -1 until counted
	// month is the one month of a yearly rule, which rrule-go then runs as a monthly one.
	month time.Month
	// hms backs opt's BYHOUR, BYMINUTE and BYSECOND, saving three allocations per expansion.
	hms [3]int
}

// maxYear is the last year rrule-go expands; a series has no instance after it.
const maxYear = 9999

var rruleFreqs = map[Frequency]rrule.Frequency{
	Daily: rrule.DAILY, Weekly: rrule.WEEKLY, Monthly: rrule.MONTHLY, Yearly: rrule.YEARLY,
}

// rruleDays maps time.Weekday to rrule-go's weekdays.
var rruleDays = [7]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}

// expansion prepares s for iteration; nil when the rule is too broken to expand (unknown
// frequency or weekday), which then yields no instance rather than a panic.
func (s Schedule) expansion() *expansion {
	r := s.Rule.canonical()
	freq, ok := rruleFreqs[r.Freq]
	if !ok || r.WeekStart < time.Sunday || r.WeekStart > time.Saturday {
		return nil
	}
	loc := time.UTC
	if !s.AllDay {
		loc = s.First.Location()
	}
	wall := floatingWall(s.first())
	if !s.AllDay {
		wall = s.wall()
	}
	y, mo, d := wall.Date()
	h, m, sec := wall.Clock()
	e := &expansion{
		wall: time.Date(y, mo, d, h, m, sec, 0, time.UTC), loc: loc, freq: r.Freq,
		interval: max(r.Interval, 1), count: max(r.Count, 0), until: r.Until, perPeriod: 1, c0: -1,
	}
	// The time of day is explicit so that a DTSTART moved to a period's midnight keeps it.
	e.hms = [3]int{h, m, sec}
	e.opt = rrule.ROption{
		Freq: freq, Interval: e.interval, Wkst: rruleDays[r.WeekStart],
		Byhour: e.hms[0:1:1], Byminute: e.hms[1:2:2], Bysecond: e.hms[2:3:3], Bymonthday: r.ByMonthDay,
		// Without UNTIL rrule-go stops 290 years after DTSTART; the end is ours to apply.
		Until: time.Date(maxYear, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	for _, d := range r.ByDay {
		if d.Weekday < time.Sunday || d.Weekday > time.Saturday {
			return nil
		}
		wd := rruleDays[d.Weekday]
		e.opt.Byweekday = append(e.opt.Byweekday, wd.Nth(d.N))
	}
	if r.BySetPos != 0 {
		e.opt.Bysetpos = []int{r.BySetPos}
	}
	if len(r.ByDay) == 1 && r.ByDay[0].N != 0 && r.BySetPos == 0 && (r.Freq == Monthly || r.Freq == Yearly && r.ByMonth != 0) {
		// The nth weekday of a month is the nth of that weekday's days in it: the same days,
		// and rrule-go finds them without building a year-long mask for every month.
		e.opt.Byweekday, e.opt.Bysetpos = []rrule.Weekday{rruleDays[r.ByDay[0].Weekday]}, []int{r.ByDay[0].N}
	}
	if r.ByMonth != 0 {
		e.opt.Bymonth = []int{r.ByMonth}
	}
	// The parts rrule-go would take from DTSTART, taken from First instead.
	implied := len(r.ByDay) == 0 && len(r.ByMonthDay) == 0
	dayAlwaysThere := true
	switch r.Freq {
	case Daily:
		e.period0 = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	case Weekly:
		if len(r.ByDay) == 0 {
			e.opt.Byweekday = []rrule.Weekday{rruleDays[wall.Weekday()]}
		}
		e.perPeriod = len(e.opt.Byweekday)
		back := (int(wall.Weekday()) - int(r.WeekStart) + 7) % 7
		e.period0 = time.Date(y, mo, d-back, 0, 0, 0, 0, time.UTC)
	case Monthly:
		if implied {
			e.opt.Bymonthday = []int{d}
			dayAlwaysThere = d <= 28
		}
		e.period0 = time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	case Yearly:
		if implied {
			month := mo
			if r.ByMonth == 0 {
				e.opt.Bymonth = []int{int(mo)}
			} else {
				month = time.Month(r.ByMonth)
			}
			e.opt.Bymonthday = []int{d}
			dayAlwaysThere = d <= daysIn(month, 2001)
		}
		e.period0 = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if len(e.opt.Bymonth) == 1 {
			// One month a year is the same as that month every 12*INTERVAL months, and
			// rrule-go then scans a month per period instead of a whole year.
			e.month = time.Month(e.opt.Bymonth[0])
			e.opt.Freq, e.opt.Interval = rrule.MONTHLY, 12*e.interval
		}
	}
	shape := r
	shape.Count, shape.Until = 0, time.Time{}
	e.regular = dayAlwaysThere && shape.Validate() == nil
	return e
}

// localDay returns the date of t in the schedule's zone, as floating midnight.
func (e *expansion) localDay(t time.Time) time.Time {
	y, m, d := t.In(e.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// periodStart returns the first day of period k, k intervals after the first period.
func (e *expansion) periodStart(k int) time.Time {
	n := k * e.interval
	switch e.freq {
	case Daily:
		return e.period0.AddDate(0, 0, n)
	case Weekly:
		return e.period0.AddDate(0, 0, 7*n)
	case Monthly:
		return e.period0.AddDate(0, n, 0)
	default:
		return e.period0.AddDate(n, 0, 0)
	}
}

// periodAtOrBefore returns the last period k >= 0 that starts on or before day.
func (e *expansion) periodAtOrBefore(day time.Time) int {
	var units int
	switch e.freq {
	case Daily:
		units = int((day.Unix() - e.period0.Unix()) / (24 * 3600))
	case Weekly:
		units = int((day.Unix() - e.period0.Unix()) / (7 * 24 * 3600))
	case Monthly:
		units = (day.Year()-e.period0.Year())*12 + int(day.Month()) - int(e.period0.Month())
	default:
		units = day.Year() - e.period0.Year()
	}
	if units <= 0 {
		return 0
	}
	return units / e.interval
}

// lastFrom returns the last instance of a series that ends on or before day (by UNTIL or by
// rrule-go's last year), iterating only from about a period before day.
func (e *expansion) lastFrom(day time.Time) (time.Time, bool) {
	k := 0
	if e.regular {
		// The period before the one holding day is full, so it holds an instance.
		k = max(e.periodAtOrBefore(day.AddDate(0, 0, -2))-1, 0)
	}
	var last time.Time
	found := false
	e.iterate(k, func(t time.Time) bool {
		last, found = t, true
		return true
	})
	return last, found
}

// iterate calls fn with the instances from period k on (from First for k = 0), in order,
// up to UNTIL, until fn returns false. It does not apply COUNT.
func (e *expansion) iterate(k int, fn func(time.Time) bool) {
	clock := wallClock{loc: e.loc}
	e.iterateWall(k, func(w time.Time) bool {
		t := clock.instant(w)
		if !e.until.IsZero() && t.After(e.until) {
			return false
		}
		return fn(t)
	})
}

// iterateWall calls fn with the floating wall times of the instances from period k on,
// without UNTIL or COUNT, until fn returns false.
func (e *expansion) iterateWall(k int, fn func(time.Time) bool) {
	opt := e.opt
	opt.Dtstart = e.wall
	if k > 0 {
		opt.Dtstart = e.periodStart(k)
	}
	if e.month != 0 && !(k == 0 && e.month == e.wall.Month()) {
		// A yearly rule run as a monthly one starts in its month: of the period's year, or
		// for the first period the next period's when the month is already past at First.
		y := opt.Dtstart.Year()
		if k == 0 && e.month < e.wall.Month() {
			y += e.interval
		}
		opt.Dtstart = time.Date(y, e.month, 1, 0, 0, 0, 0, time.UTC)
	}
	if opt.Dtstart.Year() > maxYear {
		return
	}
	if e.fastWall(opt.Dtstart, fn) {
		return
	}
	r, err := rrule.NewRRule(opt)
	if err != nil {
		return // only a hand-built rule out of rrule-go's bounds gets here: it has no instance
	}
	next := r.Iterator()
	for w, ok := next(); ok; w, ok = next() {
		if !fn(w) {
			return
		}
	}
}

// firstPeriodCount returns how many instances the first period holds (from First on).
func (e *expansion) firstPeriodCount() int {
	if e.c0 < 0 {
		end := e.periodStart(1)
		e.c0 = 0
		e.iterateWall(0, func(w time.Time) bool {
			if !w.Before(end) {
				return false
			}
			e.c0++
			return true
		})
	}
	return e.c0
}

// each calls fn with the instances in order, honouring COUNT and UNTIL, until fn returns
// false. It starts near from: every instance at or after from is passed, and at most about a
// period of earlier ones.
func (e *expansion) each(from time.Time, fn func(time.Time) bool) {
	if !e.until.IsZero() && from.After(e.until) {
		return
	}
	// Two days of margin: an instance on an earlier date starts before from in any zone.
	k := e.periodAtOrBefore(e.localDay(from).AddDate(0, 0, -2))
	remaining := -1 // no COUNT
	if e.count > 0 {
		if !e.regular {
			k = 0
		}
		remaining = e.count
		if k > 0 {
			remaining -= e.firstPeriodCount() + (k-1)*e.perPeriod
		}
		if remaining <= 0 {
			return
		}
	}
	e.iterate(k, func(t time.Time) bool {
		if remaining == 0 {
			return false
		}
		if remaining > 0 {
			remaining--
		}
		return fn(t)
	})
}
