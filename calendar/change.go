package calendar

import (
	"strings"
	"time"
)

// Change is a partial edit: nil fields stay as they are. Its times and rule are read once,
// where the person's text arrives (ParseWallInput, ParseRuleInput); the edit resolves them in
// the event's zone and never formats a time to read it back.
type Change struct {
	Title       *string
	Description *string
	Location    *string
	Start       *WallInput
	End         *WallInput
	TimeZone    *string
	AllDay      *bool
	RRule       *RuleInput
	Privacy     *Privacy
	Categories  *[]string
	Reminder    *Reminder
}

// IsZero reports whether the change changes nothing.
func (c Change) IsZero() bool {
	return c.Title == nil && c.Description == nil && c.Location == nil && c.Start == nil &&
		c.End == nil && c.TimeZone == nil && c.AllDay == nil && c.RRule == nil && c.Privacy == nil &&
		c.Categories == nil && c.Reminder == nil
}

// WallInput is a start or an end as a person gave it: a date, or a date and a time of day,
// in no zone (the zone is a field of its own). The zero WallInput is an empty field. Text
// that reads as neither is kept as unreadable: the edit reports it under its field with the
// message that fits the event, all-day or timed, which only the edit knows.
type WallInput struct {
	wall     time.Time // floating: its UTC fields are the reading
	dateOnly bool
	state    wallState
}

type wallState uint8

const (
	wallEmpty wallState = iota
	wallRead
	wallUnreadable
)

// ParseWallInput reads "2026-03-02T09:00:00", "2026-03-02T09:00" or "2026-03-02"; blank
// text is an empty field.
func ParseWallInput(s string) WallInput {
	s = strings.TrimSpace(s)
	if s == "" {
		return WallInput{}
	}
	if d, err := time.Parse(dateLayout, s); err == nil {
		return WallInput{wall: d, dateOnly: true, state: wallRead}
	}
	for _, l := range wallLayouts {
		if w, err := time.Parse(l, s); err == nil {
			return WallInput{wall: w, state: wallRead}
		}
	}
	return WallInput{state: wallUnreadable}
}

// WallClock is the wall input for a reading the caller holds as a time: t's own date and
// clock (to the second), or its date alone when dateOnly.
func WallClock(t time.Time, dateOnly bool) WallInput {
	if dateOnly {
		return WallInput{wall: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), dateOnly: true, state: wallRead}
	}
	return WallInput{wall: floatingWall(t), state: wallRead}
}

// IsZero reports whether the field was left empty.
func (w WallInput) IsZero() bool { return w.state == wallEmpty }

// wallAt is the reading of the instant t as the edit inputs show it: the wall time in loc,
// or the date when all-day.
func wallAt(t time.Time, loc *time.Location, allDay bool) WallInput {
	if allDay {
		return WallClock(t.UTC(), true)
	}
	return WallClock(t.In(loc), false)
}

// endAt is wallAt for an end: an all-day end is shown as the last day.
func endAt(t time.Time, loc *time.Location, allDay bool) WallInput {
	if allDay {
		return WallClock(t.UTC().AddDate(0, 0, -1), true)
	}
	return WallClock(t.In(loc), false)
}

// RuleInput is a repeat rule as a person gave it, parsed once. The zero RuleInput is no
// repetition. A date-only UNTIL ends with that day in the zone of the schedule it ends, which
// the edit knows and the caller may not; a rule that did not parse keeps its error, which the
// edit reports under "rrule".
type RuleInput struct {
	rule      *Rule // parsed with a date-only UNTIL in UTC
	untilDate bool
	err       error
}

// ParseRuleInput reads an RRULE value without DTSTART (see ParseRule); blank text is no
// repetition.
func ParseRuleInput(s string) RuleInput {
	if strings.TrimSpace(s) == "" {
		return RuleInput{}
	}
	r, err := ParseRuleIn(s, time.UTC)
	if err != nil {
		return RuleInput{err: err}
	}
	return RuleInput{rule: r, untilDate: untilIsDate(s)}
}

// RuleOf is the input for a rule the caller holds already parsed; nil is no repetition.
func RuleOf(r *Rule) RuleInput { return RuleInput{rule: copyRule(r)} }

// Repeats reports whether the input asks for repetition.
func (in RuleInput) Repeats() bool { return in.rule != nil || in.err != nil }

// in returns the rule for a schedule in loc.
func (in RuleInput) in(loc *time.Location) (*Rule, error) {
	if in.err != nil || in.rule == nil {
		return nil, in.err
	}
	r := copyRule(in.rule)
	if in.untilDate && loc != nil {
		u := r.Until.UTC()
		r.Until = time.Date(u.Year(), u.Month(), u.Day(), 23, 59, 59, 0, loc).UTC()
	}
	return r, nil
}
