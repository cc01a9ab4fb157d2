package calendar

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on event content.
const (
	MaxTitle       = 255
	MaxLocation    = 255
	MaxDescription = 64 << 10
)

// wall-time layouts accepted for start and end.
var wallLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04"}

const dateLayout = "2006-01-02"

// EventInput is what a person fills in to create an event. Start and End are wall times
// ("2026-03-02T09:00:00") in TimeZone, or dates ("2026-03-02") when AllDay; for an all-day
// event End is the last day (inclusive). RRule has no DTSTART; empty means no repetition.
type EventInput struct {
	Title       string
	Description string
	Location    string
	Start       string
	End         string
	TimeZone    string
	AllDay      bool
	RRule       string
	Privacy     Privacy
	Categories  []string
	// Reminder is nil for Outlook's default (DefaultReminder).
	Reminder *Reminder
}

// checkContent validates the content fields into v.
func checkContent(v *ValidationError, c Content) {
	if strings.TrimSpace(c.Title) == "" {
		v.Add("title", "Title is required.")
	} else if utf8.RuneCountInString(c.Title) > MaxTitle {
		v.Add("title", "Title is longer than 255 characters.")
	}
	for _, f := range []struct{ name, text string }{{"title", c.Title}, {"description", c.Description}, {"location", c.Location}} {
		if !utf8.ValidString(f.text) {
			v.Add(f.name, "Text must be valid UTF-8.")
		}
	}
	if len(c.Description) > MaxDescription {
		v.Add("description", "Description is longer than 64 KiB.")
	}
	if utf8.RuneCountInString(c.Location) > MaxLocation {
		v.Add("location", "Location is longer than 255 characters.")
	}
}

// loadZone resolves an IANA zone name.
func loadZone(v *ValidationError, name string) *time.Location {
	if name == "" {
		v.Add("timeZone", "Time zone is required.")
		return nil
	}
	if strings.EqualFold(name, "local") {
		v.Add("timeZone", "Unknown time zone \"Local\": use an IANA name such as Europe/Berlin.")
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		v.Add("timeZone", "Unknown time zone \""+name+"\": use an IANA name such as Europe/Berlin.")
		return nil
	}
	return loc
}

// parseWall resolves a wall input in loc, or takes its date (midnight UTC) when allDay. A
// timed wall time is resolved by WallTime; w is the wall time as given (floating) and kind
// says whether it was skipped or repeated in loc.
func parseWall(v *ValidationError, field string, in WallInput, allDay bool, loc *time.Location) (t, w time.Time, kind WallKind, ok bool) {
	if allDay {
		if in.state != wallRead {
			v.Add(field, "Use a date like 2026-03-02.")
			return time.Time{}, time.Time{}, WallExact, false
		}
		// A wall time for an all-day event: keep its date.
		d := time.Date(in.wall.Year(), in.wall.Month(), in.wall.Day(), 0, 0, 0, 0, time.UTC)
		return d, d, WallExact, true
	}
	if loc == nil {
		return time.Time{}, time.Time{}, WallExact, false
	}
	switch {
	case in.state == wallRead && !in.dateOnly:
		y, m, d := in.wall.Date()
		h, mi, sec := in.wall.Clock()
		t, kind := resolveWall(y, m, d, h, mi, sec, loc)
		return t, in.wall, kind, true
	case in.state == wallRead:
		v.Add(field, "Give a time too, like 2026-03-02T09:00:00, or make the event all-day.")
		return time.Time{}, time.Time{}, WallExact, false
	}
	v.Add(field, "Use a date and time like 2026-03-02T09:00:00 (no offset: the time zone is separate).")
	return time.Time{}, time.Time{}, WallExact, false
}

// times is a validated start, end and zone.
type times struct {
	start, end time.Time // instants in loc; all-day: midnight UTC, end exclusive
	// wall is the start as given, floating (UTC fields); set only when the start was skipped
	// in the zone, for Segment.Wall.
	wall        time.Time
	zone        string
	allDay      bool
	adjustments []Adjustment
}

// wallClock is the start's wall clock as given, floating.
func (t times) wallClock() time.Time {
	if !t.wall.IsZero() {
		return t.wall
	}
	return floatingWall(t.start)
}

// onDate is the floating wall time with d's date and clock's time of day.
func onDate(d, clock time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), clock.Hour(), clock.Minute(), clock.Second(), 0, time.UTC)
}

// duration of the instance.
func (t times) duration() time.Duration { return t.end.Sub(t.start) }

// parseTimes validates start and end. An empty end means one hour (or one day when all-day).
// An all-day end is the inclusive last day.
func parseTimes(v *ValidationError, start, end WallInput, zone string, allDay bool) (times, bool) {
	return parseTimesKeeping(v, start, end, time.Hour, zone, allDay)
}

// parseTimesKeeping is parseTimes where an empty timed end means the length keep. Wall
// times are read as RFC 5545 reads them (WallTime); a start that clocks skip moves forward
// with its end, keeping the length the person gave, and each adjustment is reported.
func parseTimesKeeping(v *ValidationError, start, end WallInput, keep time.Duration, zone string, allDay bool) (times, bool) {
	var loc *time.Location
	if !allDay || zone != "" {
		loc = loadZone(v, zone)
	}
	if start.IsZero() {
		v.Add("start", "Start is required.")
		return times{}, false
	}
	s, sw, sk, ok := parseWall(v, "start", start, allDay, loc)
	if !ok {
		return times{}, false
	}
	var adj []Adjustment
	if sk != WallExact {
		adj = append(adj, adjustment("start", sw, s, sk, zone))
	}
	var e time.Time
	if end.IsZero() {
		if allDay {
			e = s.AddDate(0, 0, 1)
		} else {
			e = s.Add(keep)
		}
	} else {
		var ew time.Time
		var ek WallKind
		e, ew, ek, ok = parseWall(v, "end", end, allDay, loc)
		if !ok {
			return times{}, false
		}
		switch {
		case allDay:
			e = e.AddDate(0, 0, 1) // inclusive last day -> exclusive end
		case sk == WallSkipped:
			// The start moved forward out of the gap: the end moves with it.
			if !ew.Before(sw) {
				e = s.Add(ew.Sub(sw))
			}
		case ek != WallExact:
			adj = append(adj, adjustment("end", ew, e, ek, zone))
		}
	}
	if !e.After(s) && !(e.Equal(s) && !allDay) {
		v.Add("end", "End is before start.")
		return times{}, false
	}
	if e.Sub(s) > 366*24*time.Hour*5 {
		v.Add("end", "An event cannot last longer than five years.")
		return times{}, false
	}
	if !checkRange(v, s, e) {
		return times{}, false
	}
	if zone == "" {
		zone = "UTC"
	}
	t := times{start: s, end: e, zone: zone, allDay: allDay, adjustments: adj}
	if sk == WallSkipped {
		t.wall = sw
	}
	return t, true
}

// parseRuleFor validates a rule for a schedule starting at first.
func parseRuleFor(v *ValidationError, in RuleInput, first time.Time) *Rule {
	// A date-only UNTIL ends with that day in the event's zone, as Outlook reads an end date.
	r, err := in.in(first.Location())
	if err != nil {
		v.Add("rrule", err.Error())
		return nil
	}
	if r == nil {
		return nil
	}
	if !r.Until.IsZero() && r.Until.Before(first) {
		v.Add("rrule", "UNTIL is before the start of the event.")
		return nil
	}
	if !r.Until.IsZero() && outOfRange(r.Until) != "" {
		v.Add("rrule", "UNTIL: "+outOfRange(r.Until))
		return nil
	}
	return r
}

// checkSchedule adds what Outlook could not represent about a segment's schedule.
func checkSchedule(seg Segment) error {
	if err := seg.Schedule().Validate(); err != nil {
		return invalid("rrule", err.Error())
	}
	first, ok := seg.Schedule().FirstStart()
	if !ok {
		return invalid("rrule", "The rule produces no instance after the start.")
	}
	if msg := outOfRange(first.UTC()); msg != "" {
		return invalid("start", msg)
	}
	if last, bounded := seg.Schedule().Last(); bounded {
		if msg := outOfRange(last.Add(seg.Duration).UTC()); msg != "" {
			field := "end"
			if seg.Rule != nil {
				field = "rrule"
				msg = "The last instance would end too late: " + msg
			}
			return invalid(field, msg)
		}
	}
	return nil
}

// checkPrivacy defaults an empty privacy to public.
func checkPrivacy(v *ValidationError, p Privacy) Privacy {
	switch p {
	case "":
		return Public
	case Public, Private:
		return p
	}
	v.Add("privacy", "Privacy must be \"public\" or \"private\".")
	return p
}

// NewEvent validates in and returns an event with one segment, not yet stored.
func NewEvent(calendarID, organizerID int64, in EventInput) (*Event, error) {
	v := &ValidationError{}
	c := Content{Title: in.Title, Description: in.Description, Location: in.Location}
	checkContent(v, c)
	priv := checkPrivacy(v, in.Privacy)
	cats := checkCategories(v, in.Categories)
	rem := DefaultReminder
	if in.Reminder != nil {
		rem = checkReminder(v, *in.Reminder)
	}
	t, ok := parseTimes(v, ParseWallInput(in.Start), ParseWallInput(in.End), in.TimeZone, in.AllDay)
	var rule *Rule
	if ok {
		rule = parseRuleFor(v, ParseRuleInput(in.RRule), t.start)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	seg := Segment{UID: newUID(), Start: t.start, Wall: t.wall, TimeZone: t.zone, Duration: t.duration(), AllDay: t.allDay, Rule: rule, Content: c}
	if err := checkSchedule(seg); err != nil {
		return nil, err
	}
	return &Event{CalendarID: calendarID, OrganizerID: organizerID, Privacy: priv, Categories: cats, Reminder: rem, Segments: []Segment{seg}}, nil
}
