package calendar

import (
	"fmt"
	"strings"
	"time"
)

// Adjustment tells the person that a wall time they gave does not name one instant in its
// zone, and what was made of it (RFC 5545, section 3.3.5).
type Adjustment struct {
	Field   string   // "start" or "end"
	Kind    WallKind // WallSkipped or WallRepeated
	Message string   // a sentence for the person
}

// adjustment describes how the wall time w given for field was read as the instant t.
func adjustment(field string, w, t time.Time, kind WallKind, zone string) Adjustment {
	verb := "starts"
	if field == "end" {
		verb = "ends"
	}
	day := w.Format("2 January 2006")
	given := w.Format("15:04")
	if kind == WallSkipped {
		return Adjustment{Field: field, Kind: kind, Message: fmt.Sprintf(
			"%s does not exist on %s in %s (clocks go forward); the event %s at %s.", given, day, zone, verb, t.Format("15:04"))}
	}
	later := t.Add(laterRepeat(t))
	return Adjustment{Field: field, Kind: kind, Message: fmt.Sprintf(
		"%s occurs twice on %s in %s (clocks go back); the event %s at the first, %s, not the second, %s.",
		given, day, zone, verb, zoned(t), zoned(later))}
}

// laterRepeat is how much later the second occurrence of t's wall time comes: the size of
// the change of offset after t.
func laterRepeat(t time.Time) time.Duration {
	_, now := t.Zone()
	_, after := t.Add(transitionReach).Zone()
	return time.Duration(now-after) * time.Second
}

// zoned shows t's wall time with its zone abbreviation and offset: "02:30 CEST (UTC+02:00)".
func zoned(t time.Time) string {
	name, _ := t.Zone()
	off := t.Format("-07:00")
	if strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
		return t.Format("15:04") + " (UTC" + off + ")" // the zone has no abbreviation
	}
	return t.Format("15:04") + " " + name + " (UTC" + off + ")"
}

// TimeAdjustments returns what NewEvent (or an edit giving these fields) makes of wall times
// that clocks skip or repeat in zone: one Adjustment for each, none when every time is plain
// or the input is invalid. A series whose first instance moved keeps the given wall time for
// its later instances, and the message says so.
func TimeAdjustments(start, end, zone string, allDay bool, rrule string) []Adjustment {
	return WallAdjustments(ParseWallInput(start), ParseWallInput(end), zone, allDay, strings.TrimSpace(rrule) != "")
}

// WallAdjustments is TimeAdjustments for inputs already read; repeats says whether the
// schedule has a rule.
func WallAdjustments(start, end WallInput, zone string, allDay, repeats bool) []Adjustment {
	if allDay {
		return nil
	}
	t, ok := parseTimes(&ValidationError{}, start, end, zone, allDay)
	if !ok {
		return nil
	}
	for i, a := range t.adjustments {
		if a.Field == "start" && a.Kind == WallSkipped {
			if t.end.Sub(t.start) > 0 && !end.IsZero() {
				t.adjustments[i].Message += " It keeps its length and ends at " + t.end.Format("15:04") + "."
			}
			if repeats {
				t.adjustments[i].Message = strings.Replace(t.adjustments[i].Message, "the event starts", "its first instance starts", 1) +
					" Later instances start at " + t.wall.Format("15:04") + "."
			}
		}
	}
	return t.adjustments
}
