package fakeoutlook

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Recurrence follows Graph's patternedRecurrence
// (api-reference/v1.0/resources/patternedrecurrence.md and
// concepts/outlook-schedule-recurring-events.md) with Exchange's rules where
// Graph's docs are silent: an absolute monthly or yearly day 29, 30 or 31
// falls on the last day of a shorter month (Exchange's
// AbsoluteMonthlyRecurrence), and a relative pattern with several days picks
// the index-th day of the month that is any of them ("the first weekday").

const dateLayout = "2006-01-02"

// zeroDate is how Graph writes an unset date.
const zeroDate = "0001-01-01"

// maxPeriods bounds expansion so that no request can make the fake loop for
// long; 100 years of daily occurrences fit.
const maxPeriods = 40000

// weekdayName is Graph's name of a day of the week.
func weekdayName(d time.Weekday) string { return strings.ToLower(d.String()) }

func parseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) {
			return d, true
		}
	}
	return 0, false
}

// indexNames are Graph's weekIndex values; "last" is index 5.
func indexNames() []string { return []string{"first", "second", "third", "fourth", "last"} }

// recurrence is a validated patternedRecurrence.
type recurrence struct {
	kind       string // pattern type
	interval   int
	month      int
	dayOfMonth int
	days       []time.Weekday // sorted from firstDay
	firstDay   time.Weekday
	index      int // 1..4, or 5 for last
	rangeType  string
	startDate  time.Time // UTC midnight
	endDate    time.Time // UTC midnight; zero unless rangeType is endDate
	count      int       // numbered ranges
	tzName     string    // recurrenceTimeZone as given
}

// recurrenceError is a validation failure, answered with 400.
type recurrenceError struct{ msg string }

func (e *recurrenceError) Error() string { return e.msg }

func invalid(format string, args ...any) error {
	return &recurrenceError{msg: fmt.Sprintf(format, args...)}
}

// parseRecurrence validates a patternedRecurrence. Like Graph, it checks
// every field that is present, even the ones the pattern type ignores.
func parseRecurrence(p PatternedRecurrence) (*recurrence, error) {
	r := &recurrence{kind: p.Pattern.Type, interval: p.Pattern.Interval, month: p.Pattern.Month,
		dayOfMonth: p.Pattern.DayOfMonth, rangeType: p.Range.Type, count: p.Range.NumberOfOccurrences,
		tzName: p.Range.RecurrenceTimeZone}
	switch r.kind {
	case "daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly":
	default:
		return nil, invalid("recurrence.pattern.type '%s' is not one of daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly.", r.kind)
	}
	if r.interval < 1 || r.interval > 99 {
		return nil, invalid("recurrence.pattern.interval must be between 1 and 99.")
	}
	if r.month < 0 || r.month > 12 {
		return nil, invalid("recurrence.pattern.month must be between 1 and 12.")
	}
	if r.dayOfMonth < 0 || r.dayOfMonth > 31 {
		return nil, invalid("recurrence.pattern.dayOfMonth must be between 1 and 31.")
	}
	r.firstDay = time.Sunday
	if p.Pattern.FirstDayOfWeek != "" {
		d, ok := parseWeekday(p.Pattern.FirstDayOfWeek)
		if !ok {
			return nil, invalid("recurrence.pattern.firstDayOfWeek '%s' is not a day of the week.", p.Pattern.FirstDayOfWeek)
		}
		r.firstDay = d
	}
	for _, name := range p.Pattern.DaysOfWeek {
		d, ok := parseWeekday(name)
		if !ok {
			return nil, invalid("recurrence.pattern.daysOfWeek contains '%s', which is not a day of the week.", name)
		}
		if !slices.Contains(r.days, d) {
			r.days = append(r.days, d)
		}
	}
	slices.SortFunc(r.days, func(a, b time.Weekday) int {
		return int((a-r.firstDay+7)%7) - int((b-r.firstDay+7)%7)
	})
	r.index = 1
	if p.Pattern.Index != "" {
		i := slices.IndexFunc(indexNames(), func(n string) bool { return strings.EqualFold(n, p.Pattern.Index) })
		if i < 0 {
			return nil, invalid("recurrence.pattern.index '%s' is not one of first, second, third, fourth, last.", p.Pattern.Index)
		}
		r.index = i + 1
	}
	switch r.kind {
	case "weekly", "relativeMonthly", "relativeYearly":
		if len(r.days) == 0 {
			return nil, invalid("recurrence.pattern.daysOfWeek is required for a %s pattern.", r.kind)
		}
	}
	switch r.kind {
	case "absoluteMonthly", "absoluteYearly":
		if r.dayOfMonth == 0 {
			return nil, invalid("recurrence.pattern.dayOfMonth is required for a %s pattern.", r.kind)
		}
	}
	if (r.kind == "absoluteYearly" || r.kind == "relativeYearly") && r.month == 0 {
		return nil, invalid("recurrence.pattern.month is required for a %s pattern.", r.kind)
	}

	var err error
	if r.startDate, err = time.Parse(dateLayout, p.Range.StartDate); err != nil {
		return nil, invalid("recurrence.range.startDate '%s' is not a date (yyyy-MM-dd).", p.Range.StartDate)
	}
	var end time.Time
	if p.Range.EndDate != "" {
		if end, err = time.Parse(dateLayout, p.Range.EndDate); err != nil {
			return nil, invalid("recurrence.range.endDate '%s' is not a date (yyyy-MM-dd).", p.Range.EndDate)
		}
	}
	if r.count < 0 {
		return nil, invalid("recurrence.range.numberOfOccurrences must not be negative.")
	}
	switch r.rangeType {
	case "endDate":
		if end.IsZero() || p.Range.EndDate == zeroDate {
			return nil, invalid("recurrence.range.endDate is required for an endDate range.")
		}
		if end.Before(r.startDate) {
			return nil, invalid("recurrence.range.endDate must not be before recurrence.range.startDate.")
		}
		r.endDate = end
	case "numbered":
		if r.count < 1 {
			return nil, invalid("recurrence.range.numberOfOccurrences must be at least 1 for a numbered range.")
		}
	case "noEnd":
	default:
		return nil, invalid("recurrence.range.type '%s' is not one of endDate, noEnd, numbered.", r.rangeType)
	}
	return r, nil
}

// wire renders the recurrence as Graph returns it, with every default
// filled in.
func (r *recurrence) wire(tzName string) PatternedRecurrence {
	days := make([]string, 0, len(r.days))
	for _, d := range r.days {
		days = append(days, weekdayName(d))
	}
	end := zeroDate
	if r.rangeType == "endDate" {
		end = r.endDate.Format(dateLayout)
	}
	count := 0
	if r.rangeType == "numbered" {
		count = r.count
	}
	return PatternedRecurrence{
		Pattern: RecurrencePattern{Type: r.kind, Interval: r.interval, Month: r.month, DayOfMonth: r.dayOfMonth,
			DaysOfWeek: days, FirstDayOfWeek: weekdayName(r.firstDay), Index: indexNames()[r.index-1]},
		Range: RecurrenceRange{Type: r.rangeType, StartDate: r.startDate.Format(dateLayout), EndDate: end,
			RecurrenceTimeZone: tzName, NumberOfOccurrences: count},
	}
}

// samePattern reports whether two recurrences have the same pattern (the
// range may differ).
func (r *recurrence) samePattern(o *recurrence) bool {
	return r.kind == o.kind && r.interval == o.interval && r.month == o.month &&
		r.dayOfMonth == o.dayOfMonth && slices.Equal(r.days, o.days) && r.firstDay == o.firstDay &&
		r.index == o.index && r.startDate.Equal(o.startDate)
}

// dates returns the occurrence dates from the start of the range up to and
// including until, honouring the range's end or count.
func (r *recurrence) dates(until time.Time) []time.Time {
	var out []time.Time
	emit := func(d time.Time) bool { // false: stop
		if d.Before(r.startDate) {
			return true
		}
		if d.After(until) || (r.rangeType == "endDate" && d.After(r.endDate)) {
			return false
		}
		if r.rangeType == "numbered" && len(out) >= r.count {
			return false
		}
		out = append(out, d)
		return true
	}
	y, m, _ := r.startDate.Date()
	for k := 0; k < maxPeriods; k++ {
		var ds []time.Time
		switch r.kind {
		case "daily":
			ds = []time.Time{r.startDate.AddDate(0, 0, k*r.interval)}
		case "weekly":
			back := (int(r.startDate.Weekday()) - int(r.firstDay) + 7) % 7
			week := r.startDate.AddDate(0, 0, -back+7*r.interval*k)
			for _, d := range r.days {
				ds = append(ds, week.AddDate(0, 0, (int(d)-int(r.firstDay)+7)%7))
			}
		case "absoluteMonthly":
			ds = []time.Time{clampedDate(y, m+time.Month(k*r.interval), r.dayOfMonth)}
		case "relativeMonthly":
			ds = []time.Time{r.relativeDay(y, m+time.Month(k*r.interval))}
		case "absoluteYearly":
			ds = []time.Time{clampedDate(y+k*r.interval, time.Month(r.month), r.dayOfMonth)}
		case "relativeYearly":
			ds = []time.Time{r.relativeDay(y+k*r.interval, time.Month(r.month))}
		}
		for _, d := range ds {
			if !emit(d) {
				return out
			}
		}
	}
	return out
}

// clampedDate is day of the month, or the month's last day when the month is
// shorter (Outlook's "day 31 of every month").
func clampedDate(y int, m time.Month, day int) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) // normalises m > 12
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(day, last)-1)
}

// relativeDay is the index-th day of the month that falls on one of the
// pattern's days, or the last such day.
func (r *recurrence) relativeDay(y int, m time.Month) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	var matches []time.Time
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		if slices.Contains(r.days, d.Weekday()) {
			matches = append(matches, d)
		}
	}
	if r.index == 5 || r.index > len(matches) {
		return matches[len(matches)-1]
	}
	return matches[r.index-1]
}

// occurrenceStarts returns the original starts of a series whose pattern has
// the wall time wall (floating) in loc, up to (excluding) until. Each is placed
// as Exchange places wall times (resolveWall).
func (r *recurrence) occurrenceStarts(wall time.Time, loc *time.Location, until time.Time) []time.Time {
	lf := wall
	lastDate := until.In(loc)
	lastDay := time.Date(lastDate.Year(), lastDate.Month(), lastDate.Day(), 0, 0, 0, 0, time.UTC)
	var out []time.Time
	for _, d := range r.dates(lastDay) {
		start := resolveWall(time.Date(d.Year(), d.Month(), d.Day(), lf.Hour(), lf.Minute(), lf.Second(), 0, time.UTC), loc).UTC()
		if !start.Before(until) {
			break
		}
		out = append(out, start)
	}
	return out
}
