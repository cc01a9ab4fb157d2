package httpkit

import (
	"time"

	"intracal/calendar"
)

// What the event API and the event pages share about an edit: reading the times and the
// repeat rule a request sent, and telling what was made of wall times clocks skip or repeat.

// WallInput reads a start or end the request sent; nil when it sent none.
func WallInput(s *string) *calendar.WallInput {
	if s == nil {
		return nil
	}
	w := calendar.ParseWallInput(*s)
	return &w
}

// RuleInput reads a repeat rule the request sent; nil when it sent none.
func RuleInput(s *string) *calendar.RuleInput {
	if s == nil {
		return nil
	}
	r := calendar.ParseRuleInput(*s)
	return &r
}

// ChangeAdjustments returns what an edit that gave a start made of wall times that clocks
// skip or repeat, read in the zone the change gave or else that of the segment the edited
// instance (at; zero for the whole event) belongs to. An edit of one instance is told about
// that instance, not a series.
func ChangeAdjustments(ch calendar.Change, scope calendar.Scope, at time.Time, saved *calendar.Event) []calendar.Adjustment {
	if ch.Start == nil || saved == nil || len(saved.Segments) == 0 {
		return nil
	}
	seg := saved.Segments[0]
	for _, s := range saved.Segments[1:] {
		if first, ok := s.Schedule().FirstStart(); ok && !at.IsZero() && !first.After(at) {
			seg = s
		}
	}
	zone, allDay, repeats := seg.TimeZone, seg.AllDay, false
	if ch.TimeZone != nil && *ch.TimeZone != "" {
		zone = *ch.TimeZone
	}
	if ch.AllDay != nil {
		allDay = *ch.AllDay
	}
	if scope != calendar.ScopeInstance {
		if ch.RRule != nil {
			repeats = ch.RRule.Repeats()
		} else {
			repeats = seg.Rule != nil
		}
	}
	var end calendar.WallInput
	if ch.End != nil {
		end = *ch.End
	}
	return calendar.WallAdjustments(*ch.Start, end, zone, allDay, repeats)
}
