package calendar

import (
	"slices"
	"time"
)

// fastWall is iterateWall without rrule-go for the two commonest shapes, a daily rule and a
// weekly rule on plain weekdays: their instances follow by arithmetic, and rrule-go's
// per-instance cost dominated the month view. It reports false when the rule has another
// shape, for rrule-go to handle. TestStartsMatchesNaiveExpansion holds both paths to
// rrule-go's own answers.
func (e *expansion) fastWall(dtstart time.Time, fn func(time.Time) bool) bool {
	o := e.opt
	if len(o.Bymonth) > 0 || len(o.Bymonthday) > 0 || len(o.Bysetpos) > 0 || len(o.Byhour) != 1 ||
		len(o.Byminute) != 1 || len(o.Bysecond) != 1 || e.month != 0 {
		return false
	}
	h, mi, s := o.Byhour[0], o.Byminute[0], o.Bysecond[0]
	at := func(day time.Time) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, mi, s, 0, time.UTC)
	}
	switch e.freq {
	case Daily:
		if len(o.Byweekday) > 0 {
			return false
		}
		for day := at(dtstart); day.Year() <= maxYear; day = day.AddDate(0, 0, e.interval) {
			if !day.Before(dtstart) && !fn(day) {
				return true
			}
		}
		return true
	case Weekly:
		wkst := time.Weekday((o.Wkst.Day() + 1) % 7)
		offsets := make([]int, 0, len(o.Byweekday))
		for _, wd := range o.Byweekday {
			if wd.N() != 0 {
				return false
			}
			offsets = append(offsets, (int(time.Weekday((wd.Day()+1)%7))-int(wkst)+7)%7)
		}
		slices.Sort(offsets)
		offsets = slices.Compact(offsets)
		back := (int(dtstart.Weekday()) - int(wkst) + 7) % 7
		week := time.Date(dtstart.Year(), dtstart.Month(), dtstart.Day()-back, 0, 0, 0, 0, time.UTC)
		for ; week.Year() <= maxYear; week = week.AddDate(0, 0, 7*e.interval) {
			for _, off := range offsets {
				day := at(week.AddDate(0, 0, off))
				if !day.Before(dtstart) && !fn(day) {
					return true
				}
			}
		}
		return true
	}
	return false
}
