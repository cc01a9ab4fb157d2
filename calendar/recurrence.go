package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Frequency of a rule: the FREQ part of an RRULE.
type Frequency string

// The frequencies Outlook can represent. HOURLY, MINUTELY and SECONDLY have no Outlook
// pattern, so they are never accepted.
const (
	Daily   Frequency = "DAILY"
	Weekly  Frequency = "WEEKLY"
	Monthly Frequency = "MONTHLY"
	Yearly  Frequency = "YEARLY"
)

// WeekdayNum is a BYDAY entry: a weekday with an optional ordinal (0 = none, 1..4 or -1).
type WeekdayNum struct {
	Weekday time.Weekday
	N       int
}

// Rule is a recurrence rule restricted to what Outlook's patternedRecurrence can represent,
// so that every event can be synced. The mapping to Graph is direct: Interval is interval,
// ByDay the daysOfWeek, the ordinal or BySetPos the index, DayOfMonth the dayOfMonth,
// ByMonth the month, WeekStart the firstDayOfWeek, Count a numbered range and Until an
// endDate range.
type Rule struct {
	Freq     Frequency
	Interval int // 1..99 (1 when absent; 0 is read as 1)
	ByDay    []WeekdayNum
	// ByMonthDay is one day 1..28, or {28,29,30,31}, {28,29,30} or {28,29} with BySetPos -1,
	// which is Outlook's "day 31 (30, 29) of the month, or its last day when shorter". A plain
	// RFC 5545 BYMONTHDAY=31 skips the shorter months instead, which Outlook cannot represent.
	ByMonthDay []int
	ByMonth    int          // 0 or 1..12, yearly rules only
	BySetPos   int          // 0, 1..4 or -1: picks one of the days of a BYDAY list or the form above
	WeekStart  time.Weekday // WKST; ParseRule sets Monday when absent, a hand-built Rule must set it
	Count      int          // 0 = none, 1..999
	Until      time.Time    // zero = none; an instant, compared as such with the instances' starts
}

// RuleError says which part of a rule is not accepted, in words meant for the person who
// wrote the rule.
type RuleError struct {
	Part    string // the RRULE part, such as "BYDAY", or "RRULE" for the whole
	Message string
}

func (e *RuleError) Error() string { return e.Message }

func ruleErr(part, format string, args ...any) *RuleError {
	return &RuleError{Part: part, Message: fmt.Sprintf(format, args...)}
}

// weekdayCodes are the RRULE names of the weekdays, indexed by time.Weekday.
var weekdayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

func weekdayCode(d time.Weekday) string {
	if d < 0 || int(d) >= len(weekdayCodes) {
		return strconv.Itoa(int(d))
	}
	return weekdayCodes[d]
}

// isoOrder ranks weekdays Monday first, the order canonical rules list them in.
func isoOrder(d time.Weekday) int { return (int(d) + 6) % 7 }

// outlookMonthDayForms are the BYMONTHDAY lists that, with BYSETPOS=-1, mean "day 29, 30 or
// 31 of the month, or the month's last day when it is shorter", keyed by that day.
var outlookMonthDayForms = map[int][]int{29: {28, 29}, 30: {28, 29, 30}, 31: {28, 29, 30, 31}}

// outlookFormDay returns the day 29..31 that days (sorted) spell with BYSETPOS=-1, or 0.
func outlookFormDay(days []int) int {
	for day, form := range outlookMonthDayForms {
		if slices.Equal(days, form) {
			return day
		}
	}
	return 0
}

// canonical returns a copy of r in the form String writes and ParseRule returns: interval at
// least 1, lists sorted, a single weekday with BYSETPOS folded into an ordinal (the same days,
// and what Graph's relative patterns hold), UNTIL in UTC to the second, empty lists nil.
func (r Rule) canonical() Rule {
	c := r
	if c.Interval == 0 {
		c.Interval = 1
	}
	c.ByDay = nil
	if len(r.ByDay) > 0 {
		c.ByDay = slices.Clone(r.ByDay)
		slices.SortStableFunc(c.ByDay, func(a, b WeekdayNum) int { return isoOrder(a.Weekday) - isoOrder(b.Weekday) })
	}
	c.ByMonthDay = nil
	if len(r.ByMonthDay) > 0 {
		c.ByMonthDay = slices.Clone(r.ByMonthDay)
		slices.Sort(c.ByMonthDay)
	}
	if (c.Freq == Monthly || c.Freq == Yearly) && len(c.ByDay) == 1 && c.ByDay[0].N == 0 && c.BySetPos != 0 {
		c.ByDay[0].N, c.BySetPos = c.BySetPos, 0
	}
	if !c.Until.IsZero() {
		c.Until = c.Until.UTC().Truncate(time.Second)
	}
	return c
}

// String renders the canonical RRULE text (stable order, no DTSTART) that ParseRule reads
// back to an equal Rule. UNTIL is written as UTC "20260301T080000Z".
func (r Rule) String() string {
	c := r.canonical()
	var b strings.Builder
	b.WriteString("FREQ=")
	b.WriteString(string(c.Freq))
	if c.Interval != 1 {
		fmt.Fprintf(&b, ";INTERVAL=%d", c.Interval)
	}
	if len(c.ByDay) > 0 {
		b.WriteString(";BYDAY=")
		for i, d := range c.ByDay {
			if i > 0 {
				b.WriteByte(',')
			}
			if d.N != 0 {
				b.WriteString(strconv.Itoa(d.N))
			}
			b.WriteString(weekdayCode(d.Weekday))
		}
	}
	if len(c.ByMonthDay) > 0 {
		b.WriteString(";BYMONTHDAY=")
		for i, d := range c.ByMonthDay {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
	}
	if c.ByMonth != 0 {
		fmt.Fprintf(&b, ";BYMONTH=%d", c.ByMonth)
	}
	if c.BySetPos != 0 {
		fmt.Fprintf(&b, ";BYSETPOS=%d", c.BySetPos)
	}
	if c.WeekStart != time.Monday {
		b.WriteString(";WKST=")
		b.WriteString(weekdayCode(c.WeekStart))
	}
	if c.Count != 0 {
		fmt.Fprintf(&b, ";COUNT=%d", c.Count)
	}
	if !c.Until.IsZero() {
		b.WriteString(";UNTIL=")
		b.WriteString(c.Until.Format(untilLayout))
	}
	return b.String()
}

// Equal reports whether r and o are the same rule once both are in canonical form (so
// BYDAY=TU;BYSETPOS=2 equals BYDAY=2TU, and the order of list entries does not matter).
func (r Rule) Equal(o Rule) bool {
	a, b := r.canonical(), o.canonical()
	return a.Freq == b.Freq && a.Interval == b.Interval && slices.Equal(a.ByDay, b.ByDay) &&
		slices.Equal(a.ByMonthDay, b.ByMonthDay) && a.ByMonth == b.ByMonth && a.BySetPos == b.BySetPos &&
		a.WeekStart == b.WeekStart && a.Count == b.Count && a.Until.Equal(b.Until)
}

// DayOfMonth returns Outlook's "day N of the month" (1..31) for a BYMONTHDAY rule, 0
// otherwise. Day 29, 30 or 31 means that day or the month's last day when it is shorter.
func (r Rule) DayOfMonth() int {
	days := slices.Sorted(slices.Values(r.ByMonthDay))
	switch {
	case len(days) == 1 && r.BySetPos == 0:
		return days[0]
	case len(days) > 1 && r.BySetPos == -1:
		return outlookFormDay(days)
	}
	return 0
}

// SetDayOfMonth makes r repeat on Outlook's "day N of the month" (1..31): BYMONTHDAY=N for
// days up to 28, the BYSETPOS=-1 form for 29, 30 and 31. It clears BYDAY.
func (r *Rule) SetDayOfMonth(day int) error {
	switch {
	case day >= 1 && day <= 28:
		r.ByMonthDay, r.BySetPos = []int{day}, 0
	case day >= 29 && day <= 31:
		r.ByMonthDay, r.BySetPos = slices.Clone(outlookMonthDayForms[day]), -1
	default:
		return ruleErr("BYMONTHDAY", "The day of the month must be between 1 and 31.")
	}
	r.ByDay = nil
	return nil
}

// WeekdayOrdinal returns Graph's index for a monthly or yearly weekday rule: 1..4, or -1 for
// the last; 0 when the rule has none.
func (r Rule) WeekdayOrdinal() int {
	c := r.canonical()
	if c.Freq != Monthly && c.Freq != Yearly || len(c.ByDay) == 0 {
		return 0
	}
	if len(c.ByDay) == 1 && c.ByDay[0].N != 0 {
		return c.ByDay[0].N
	}
	return c.BySetPos
}

// Weekdays returns the BYDAY weekdays, Monday first, without their ordinals.
func (r Rule) Weekdays() []time.Weekday {
	c := r.canonical()
	out := make([]time.Weekday, 0, len(c.ByDay))
	for _, d := range c.ByDay {
		out = append(out, d.Weekday)
	}
	return out
}

// Validate reports, as a *RuleError, what Outlook could not represent about the schedule's
// rule: the rule's own parts (Rule.Validate), a monthly or yearly rule that takes its day from
// a start on a day some months or years lack, an UNTIL before the start, or a rule that yields
// no instance. Nil for a one-off.
func (s Schedule) Validate() error {
	if s.Rule == nil {
		return nil
	}
	r := s.Rule.canonical()
	if err := r.Validate(); err != nil {
		return err
	}
	first := s.first()
	if len(r.ByDay) == 0 && len(r.ByMonthDay) == 0 {
		day := first.Day()
		switch r.Freq {
		case Monthly:
			if day > 28 {
				return ruleErr("BYMONTHDAY", "A monthly repeat from day %d would skip the months without that day, which Outlook cannot represent: add BYMONTHDAY=%s;BYSETPOS=-1 to repeat on day %d or the month's last day.", day, joinInts(outlookMonthDayForms[day]), day)
			}
		case Yearly:
			month := first.Month()
			if r.ByMonth != 0 {
				month = time.Month(r.ByMonth)
			}
			if day > daysIn(month, 2000) {
				return ruleErr("BYMONTH", "A yearly repeat on day %d of %s never happens.", day, month)
			}
			if day > daysIn(month, 2001) {
				return ruleErr("BYMONTHDAY", "A yearly repeat on %s %d would skip the years without that day, which Outlook cannot represent: add BYMONTH=%d;BYMONTHDAY=%s;BYSETPOS=-1 to repeat on that day or the month's last day.", month, day, month, joinInts(outlookMonthDayForms[day]))
			}
		}
	}
	if !r.Until.IsZero() && r.Until.Before(first) {
		return ruleErr("UNTIL", "UNTIL is before the start of the event.")
	}
	if _, ok := s.FirstStart(); !ok {
		return ruleErr("RRULE", "The repeat rule yields no occurrence from the start of the event on.")
	}
	return nil
}

// ExplicitRule returns the rule with the parts an RRULE takes from the start written out, as
// Graph wants them: the weekday of a weekly rule, the day of the month of a monthly rule, the
// month and day of a yearly one (days 29 to 31 in Outlook's form). For a schedule that passes
// Validate the explicit rule has the same instances. False for a one-off.
func (s Schedule) ExplicitRule() (Rule, bool) {
	if s.Rule == nil {
		return Rule{}, false
	}
	r := s.Rule.canonical()
	first := s.first()
	implied := len(r.ByDay) == 0 && len(r.ByMonthDay) == 0
	switch r.Freq {
	case Weekly:
		if len(r.ByDay) == 0 {
			r.ByDay = []WeekdayNum{{Weekday: first.Weekday()}}
		}
	case Monthly:
		if implied {
			_ = r.SetDayOfMonth(first.Day()) // a date's day is always 1..31
		}
	case Yearly:
		if r.ByMonth == 0 {
			r.ByMonth = int(first.Month())
		}
		if implied {
			_ = r.SetDayOfMonth(first.Day())
		}
	}
	return r, true
}

// daysIn returns the number of days of month in year.
func daysIn(month time.Month, year int) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// WallTime returns the instant of a wall-clock time in loc, read as RFC 5545 (section 3.3.5)
// reads local times: a time that occurs twice when clocks go back is the first of the two
// (01:30 on New York's autumn night is EDT), and a time that clocks skip is read with the
// offset before the gap (02:30 on a spring-forward night is 03:30 summer time). time.Date
// leaves both cases open, and in practice resolves a skipped time backwards in zones west of
// UTC. The result is in loc.
func WallTime(year int, month time.Month, day, hour, minute, second int, loc *time.Location) time.Time {
	t, _ := resolveWall(year, month, day, hour, minute, second, loc)
	return t
}

// WallKind says how a wall-clock time maps to instants in its zone.
type WallKind int

const (
	WallExact    WallKind = iota // the wall time occurs once
	WallSkipped                  // clocks skip it (spring forward): read with the offset before the gap
	WallRepeated                 // it occurs twice (fall back): the first is taken
)

// resolveWall is WallTime that also says which case the wall time fell in.
func resolveWall(year int, month time.Month, day, hour, minute, second int, loc *time.Location) (time.Time, WallKind) {
	t := time.Date(year, month, day, hour, minute, second, 0, loc)
	_, before := t.Add(-transitionReach).Zone()
	_, after := t.Add(transitionReach).Zone()
	if before == after {
		return t, WallExact // no change of offset nearby: the one reading
	}
	wall := time.Date(year, month, day, hour, minute, second, 0, time.UTC)
	withBefore := wall.Add(-time.Duration(before) * time.Second).In(loc)
	withAfter := wall.Add(-time.Duration(after) * time.Second).In(loc)
	beforeFits, afterFits := sameWall(withBefore, wall), sameWall(withAfter, wall)
	switch {
	case beforeFits && afterFits: // repeated: the first of the two
		if withAfter.Before(withBefore) {
			return withAfter, WallRepeated
		}
		return withBefore, WallRepeated
	case afterFits:
		return withAfter, WallExact
	case beforeFits:
		return withBefore, WallExact
	}
	// Skipped: read with the offset before the gap.
	return withBefore, WallSkipped
}

// placeWall places the floating wall time w in loc: the instant, and w itself when the
// instant cannot show it (w is skipped), for Segment.Wall.
func placeWall(w time.Time, loc *time.Location) (time.Time, time.Time) {
	y, m, d := w.Date()
	h, mi, s := w.Clock()
	t, kind := resolveWall(y, m, d, h, mi, s, loc)
	if kind == WallSkipped {
		return t, w
	}
	return t, time.Time{}
}

// floatingWall returns the wall clock t shows in its location, as a floating time (UTC fields).
func floatingWall(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}

// transitionReach is how far from a wall time a change of offset can lie and still make the
// time skipped or repeated: more than any gap or overlap a zone has had.
const transitionReach = 6 * time.Hour

// sameWall reports whether t (in its location) shows the wall time held in wall (floating).
func sameWall(t, wall time.Time) bool {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, 0, time.UTC).Equal(wall)
}
