package outlooksync

import (
	"fmt"
	"strings"
	"time"

	"intracal/calendar"
)

// segmentFromState builds the segment a series state describes, keeping old's UID and id.
func segmentFromState(s SeriesState, old calendar.Segment) (calendar.Segment, error) {
	seg := calendar.Segment{ID: old.ID, UID: old.UID, TimeZone: s.When.Zone, Duration: s.When.Duration, AllDay: s.When.AllDay,
		Content: calendar.Content{Title: s.Subject, Description: s.Body, Location: s.Location}}
	if s.When.AllDay {
		t, err := time.Parse("2006-01-02", s.When.Start)
		if err != nil {
			return seg, fmt.Errorf("start %q: %w", s.When.Start, err)
		}
		seg.Start = t
	} else {
		loc, err := time.LoadLocation(s.When.Zone)
		if err != nil {
			return seg, fmt.Errorf("zone %q: %w", s.When.Zone, err)
		}
		w, err := time.Parse("2006-01-02T15:04:05", s.When.Start)
		if err != nil {
			return seg, fmt.Errorf("start %q: %w", s.When.Start, err)
		}
		// Read as the calendar reads wall times (RFC 5545): a repeated time is the first.
		seg.Start = calendar.WallTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), loc)
		// A state names the first instance's start, which for a series from a gap is later
		// than the series' wall clock: keep the old segment's while the first start stays.
		if !old.Wall.IsZero() && old.TimeZone == seg.TimeZone && seg.Start.Equal(old.Start) {
			seg.Wall = old.Wall
		}
	}
	if s.Rule != "" {
		r, err := calendar.ParseRule(s.Rule)
		if err != nil {
			return seg, err
		}
		seg.Rule = r
	}
	return seg, nil
}

// allFields names every field of a create.
func allFields(seg calendar.Segment) []string {
	f := []string{"subject", "body", "location", "start", "end", "isAllDay"}
	if seg.Rule != nil {
		f = append(f, "recurrence")
	}
	return f
}

// diffFields names the fields of to that differ from from, as Graph fields.
func diffFields(to, from SeriesState) []string {
	var f []string
	if to.Subject != from.Subject {
		f = append(f, "subject")
	}
	if to.Body != from.Body {
		f = append(f, "body")
	}
	if to.Location != from.Location {
		f = append(f, "location")
	}
	if to.When != from.When || to.Rule != from.Rule {
		f = append(f, "start", "end", "isAllDay")
		if to.Rule != "" {
			f = append(f, "recurrence")
		}
	}
	return f
}

// changedFields says in words which fields differ.
func changedFields(a, b SeriesState) string {
	var f []string
	if a.Subject != b.Subject {
		f = append(f, "title")
	}
	if a.Body != b.Body {
		f = append(f, "description")
	}
	if a.Location != b.Location {
		f = append(f, "location")
	}
	if a.When != b.When {
		f = append(f, "time")
	}
	if a.Rule != b.Rule {
		f = append(f, "repeat")
	}
	return strings.Join(f, ", ")
}

// writeOf is the body that gives an Outlook series the state s (seg is s as a segment).
func writeOf(s SeriesState, seg calendar.Segment, fields []string) (*EventWrite, error) {
	next, err := segmentFromState(s, seg)
	if err != nil {
		return nil, err
	}
	first, ok := next.Schedule().FirstStart()
	if !ok {
		return nil, fmt.Errorf("the series has no occurrence")
	}
	rec, err := RecurrenceOf(next)
	if err != nil {
		return nil, err
	}
	w := &EventWrite{Fields: fields, Subject: s.Subject, Body: s.Body, Location: s.Location,
		Start: first.UTC(), End: first.Add(next.Duration).UTC(), TimeZone: next.TimeZone, IsAllDay: next.AllDay,
		Recurrence: rec}
	if next.Rule != nil && !next.Wall.IsZero() && first.Equal(next.Start) {
		w.StartWall = next.WallStart()
	}
	return w, nil
}
