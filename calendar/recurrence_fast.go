package calendar

import (
	"slices"
	"time"

	"github.com/teambition/rrule-go"
)

// fastWall is iterateWall without rrule-go for the shapes a calendar holds: a daily rule, a
// weekly rule on plain weekdays, and a monthly rule (a yearly one runs as monthly, see
// expansion) on days of the month, weekdays, nth weekdays, with or without BYSETPOS. Their
// instances follow by arithmetic, and rrule-go's per-instance cost (and, for monthly rules,
// a new iterator with year-long masks per call) dominated the month view. It reports false
// when the rule has another shape, for rrule-go to handle. TestStartsMatchesNaiveExpansion
// and TestFastWallMatchesRRule hold these paths to rrule-go's own answers.
func (e *expansion) fastWall(dtstart time.Time, fn func(time.Time) bool) bool {
	o := e.opt
	if len(o.Byhour) != 1 || len(o.Byminute) != 1 || len(o.Bysecond) != 1 ||
		len(o.Byyearday) > 0 || len(o.Byweekno) > 0 || len(o.Byeaster) > 0 || o.Interval < 1 {
		return false
	}
	tod := time.Duration(o.Byhour[0])*time.Hour + time.Duration(o.Byminute[0])*time.Minute + time.Duration(o.Bysecond[0])*time.Second
	// rrule-go's UNTIL here is the last second of maxYear.
	end := time.Date(maxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour // floating times are UTC: every day has 24 hours
	midnight := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	switch o.Freq {
	case rrule.DAILY:
		if len(o.Bymonth) > 0 || len(o.Bymonthday) > 0 || len(o.Bysetpos) > 0 || len(o.Byweekday) > 0 {
			return false
		}
		step := time.Duration(o.Interval) * day
		for t := midnight(dtstart).Add(tod); t.Before(end); t = t.Add(step) {
			if !t.Before(dtstart) && !fn(t) {
				return true
			}
		}
		return true
	case rrule.WEEKLY:
		if len(o.Bymonth) > 0 || len(o.Bymonthday) > 0 || len(o.Bysetpos) > 0 {
			return false
		}
		wkst := time.Weekday((o.Wkst.Day() + 1) % 7)
		offsets := make([]time.Duration, 0, len(o.Byweekday))
		for _, wd := range o.Byweekday {
			if wd.N() != 0 {
				return false
			}
			offsets = append(offsets, time.Duration((int(time.Weekday((wd.Day()+1)%7))-int(wkst)+7)%7)*day+tod)
		}
		slices.Sort(offsets)
		offsets = slices.Compact(offsets)
		back := (int(dtstart.Weekday()) - int(wkst) + 7) % 7
		step := time.Duration(7*o.Interval) * day
		for week := midnight(dtstart).Add(-time.Duration(back) * day); week.Before(end); week = week.Add(step) {
			for _, off := range offsets {
				t := week.Add(off)
				if !t.Before(end) {
					return true
				}
				if !t.Before(dtstart) && !fn(t) {
					return true
				}
			}
		}
		return true
	case rrule.MONTHLY:
		return e.fastMonthly(dtstart, tod, end, fn)
	}
	return false
}

// fastMonthly is fastWall for a monthly rule: in every INTERVAL-th month from DTSTART's (of
// those BYMONTH allows) the days that match BYMONTHDAY and BYDAY (an nth weekday counted in
// the month), BYSETPOS picking among them, at or after DTSTART.
func (e *expansion) fastMonthly(dtstart time.Time, tod time.Duration, end time.Time, fn func(time.Time) bool) bool {
	o := e.opt
	if len(o.Bymonthday) == 0 && len(o.Byweekday) == 0 {
		return false // rrule-go would take the day from DTSTART; expansion always writes it out
	}
	var monthDays [32]bool
	for _, d := range o.Bymonthday {
		if d < 1 || d > 31 {
			return false
		}
		monthDays[d] = true
	}
	var months [13]bool
	for _, m := range o.Bymonth {
		if m < 1 || m > 12 {
			return false
		}
		months[m] = true
	}
	for _, wd := range o.Byweekday {
		if (wd.N() == 0) != (o.Byweekday[0].N() == 0) {
			return false // rrule-go yields nothing for plain and nth weekdays mixed
		}
	}
	for _, p := range o.Bysetpos {
		if p == 0 || p > 31 || p < -31 {
			return false
		}
	}
	var buf, picked [31]int // a month's days, and those BYSETPOS picks
	var days []int
	y, m := dtstart.Year(), dtstart.Month()
	for {
		first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		if !first.Before(end) {
			return true
		}
		if len(o.Bymonth) == 0 || months[m] {
			n := daysIn(m, y)
			wd1 := first.Weekday()
			days = buf[:0]
			for d := 1; d <= n; d++ {
				if len(o.Bymonthday) > 0 && !monthDays[d] {
					continue
				}
				if len(o.Byweekday) > 0 && !weekdayMatches(o.Byweekday, d, n, wd1) {
					continue
				}
				days = append(days, d)
			}
			if len(o.Bysetpos) > 0 {
				days = pickSetPos(picked[:0], days, o.Bysetpos)
			}
			for _, d := range days {
				t := first.Add(time.Duration(d-1)*24*time.Hour + tod)
				if !t.Before(end) {
					return true
				}
				if !t.Before(dtstart) && !fn(t) {
					return true
				}
			}
		}
		m += time.Month(o.Interval)
		for m > 12 {
			m -= 12
			y++
		}
	}
}

// weekdayMatches reports whether day d of a month of n days whose first falls on wd1 matches
// one of the BYDAY entries: a plain weekday, or the nth (from the end when negative) of that
// weekday in the month.
func weekdayMatches(byDay []rrule.Weekday, d, n int, wd1 time.Weekday) bool {
	wd := time.Weekday((int(wd1) + d - 1) % 7)
	for _, b := range byDay {
		if time.Weekday((b.Day()+1)%7) != wd {
			continue
		}
		switch k := b.N(); {
		case k == 0:
			return true
		case k > 0 && (d-1)/7+1 == k:
			return true
		case k < 0 && (n-d)/7+1 == -k:
			return true
		}
	}
	return false
}

// pickSetPos appends to dst the days of the period (ascending) that BYSETPOS picks, ascending
// and without repeats: position p counts from the first day, -p from the last.
func pickSetPos(dst, days []int, setPos []int) []int {
	for _, p := range setPos {
		i := p - 1
		if p < 0 {
			i = len(days) + p
		}
		if i >= 0 && i < len(days) {
			dst = append(dst, days[i])
		}
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}
