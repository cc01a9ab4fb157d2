package outlooksync

import (
	"fmt"
	"strings"
	"time"

	"intracal/calendar"
)

var weekdayNames = [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

var indexNames = map[int]string{1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}

func weekdayByName(s string) (time.Weekday, bool) {
	for i, n := range weekdayNames {
		if strings.EqualFold(n, s) {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

func indexByName(s string) (int, bool) {
	for n, name := range indexNames {
		if strings.EqualFold(name, s) {
			return n, true
		}
	}
	return 0, false
}

// RecurrenceOf renders a segment's schedule as Graph's patternedRecurrence: the parts an
// RRULE takes from the start are written out, a COUNT becomes a numbered range (Outlook
// accepts it though its UI offers none), an UNTIL an endDate range ending on the local date
// of the last instance (Outlook's end date is an inclusive date in the series' zone). Nil for
// a one-off.
func RecurrenceOf(seg calendar.Segment) (*Recurrence, error) {
	sched := seg.Schedule()
	r, ok := sched.ExplicitRule()
	if !ok {
		return nil, nil
	}
	first, ok := sched.FirstStart()
	if !ok {
		return nil, fmt.Errorf("segment %s has no instance", seg.UID)
	}
	p := RecurrencePattern{Interval: max(r.Interval, 1), FirstDayOfWeek: weekdayNames[r.WeekStart]}
	days := func() []string {
		out := make([]string, 0, len(r.ByDay))
		for _, d := range r.ByDay {
			out = append(out, weekdayNames[d.Weekday])
		}
		return out
	}
	index := func() (string, error) {
		n := r.WeekdayOrdinal()
		name, ok := indexNames[n]
		if !ok {
			return "", fmt.Errorf("rule %s: no Outlook index for %d", r.String(), n)
		}
		return name, nil
	}
	var err error
	switch r.Freq {
	case calendar.Daily:
		p.Type = "daily"
	case calendar.Weekly:
		p.Type = "weekly"
		p.DaysOfWeek = days()
	case calendar.Monthly, calendar.Yearly:
		yearly := r.Freq == calendar.Yearly
		if yearly {
			p.Month = r.ByMonth
		}
		if dom := r.DayOfMonth(); dom > 0 {
			p.Type, p.DayOfMonth = "absoluteMonthly", dom
			if yearly {
				p.Type = "absoluteYearly"
			}
		} else {
			p.Type = "relativeMonthly"
			if yearly {
				p.Type = "relativeYearly"
			}
			p.DaysOfWeek = days()
			if p.Index, err = index(); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("rule %s: frequency %s has no Outlook pattern", r.String(), r.Freq)
	}
	loc := first.Location()
	rg := RecurrenceRange{Type: "noEnd", StartDate: first.Format("2006-01-02"), RecurrenceTimeZone: seg.TimeZone}
	switch {
	case r.Count > 0:
		rg.Type, rg.NumberOfOccurrences = "numbered", r.Count
	case !r.Until.IsZero():
		last, _ := sched.Last()
		rg.Type, rg.EndDate = "endDate", last.In(loc).Format("2006-01-02")
	}
	return &Recurrence{Pattern: p, Range: rg}, nil
}

// RuleOf reads Graph's patternedRecurrence back as a rule for a series in loc. An endDate
// range ends with that day in loc.
func RuleOf(rec *Recurrence, loc *time.Location) (*calendar.Rule, error) {
	if rec == nil {
		return nil, nil
	}
	p := rec.Pattern
	r := &calendar.Rule{Interval: max(p.Interval, 1), WeekStart: time.Monday}
	if d, ok := weekdayByName(p.FirstDayOfWeek); ok {
		r.WeekStart = d
	}
	weekdays := func(n int) error {
		if len(p.DaysOfWeek) == 0 {
			return fmt.Errorf("pattern %s without daysOfWeek", p.Type)
		}
		for _, s := range p.DaysOfWeek {
			d, ok := weekdayByName(s)
			if !ok {
				return fmt.Errorf("unknown weekday %q", s)
			}
			r.ByDay = append(r.ByDay, calendar.WeekdayNum{Weekday: d})
		}
		if n != 0 {
			if len(r.ByDay) == 1 {
				r.ByDay[0].N = n
			} else {
				r.BySetPos = n
			}
		}
		return nil
	}
	relIndex := func() (int, error) {
		n, ok := indexByName(p.Index)
		if !ok {
			return 0, fmt.Errorf("unknown index %q", p.Index)
		}
		return n, nil
	}
	switch strings.ToLower(p.Type) {
	case "daily":
		r.Freq = calendar.Daily
	case "weekly":
		r.Freq = calendar.Weekly
		if err := weekdays(0); err != nil {
			return nil, err
		}
	case "absolutemonthly", "absoluteyearly":
		r.Freq = calendar.Monthly
		if strings.EqualFold(p.Type, "absoluteYearly") {
			r.Freq, r.ByMonth = calendar.Yearly, p.Month
		}
		if err := r.SetDayOfMonth(p.DayOfMonth); err != nil {
			return nil, err
		}
	case "relativemonthly", "relativeyearly":
		r.Freq = calendar.Monthly
		if strings.EqualFold(p.Type, "relativeYearly") {
			r.Freq, r.ByMonth = calendar.Yearly, p.Month
		}
		n, err := relIndex()
		if err != nil {
			return nil, err
		}
		if err := weekdays(n); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown recurrence pattern %q", p.Type)
	}
	switch strings.ToLower(rec.Range.Type) {
	case "numbered":
		r.Count = rec.Range.NumberOfOccurrences
	case "enddate":
		d, err := time.ParseInLocation("2006-01-02", rec.Range.EndDate, loc)
		if err != nil {
			return nil, fmt.Errorf("recurrence end date %q: %w", rec.Range.EndDate, err)
		}
		r.Until = d.AddDate(0, 0, 1).Add(-time.Second).UTC()
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("recurrence from Outlook: %w", err)
	}
	return r, nil
}
