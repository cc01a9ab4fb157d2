package calendar

import "time"

// effectiveContent is a segment's content with an instance's changes applied.
func effectiveContent(c Content, o *Override) Content {
	if o == nil {
		return c
	}
	if o.Title != nil {
		c.Title = *o.Title
	}
	if o.Description != nil {
		c.Description = *o.Description
	}
	if o.Location != nil {
		c.Location = *o.Location
	}
	return c
}

// applyContent copies the content fields that ch sets.
func applyContent(c *Content, ch Change) {
	if ch.Title != nil {
		c.Title = *ch.Title
	}
	if ch.Description != nil {
		c.Description = *ch.Description
	}
	if ch.Location != nil {
		c.Location = *ch.Location
	}
}

// differing returns &v when v differs from base, nil otherwise.
func differing(v, base string) *string {
	if v == base {
		return nil
	}
	return &v
}

// formatWall renders a start for the edit inputs: a wall time in loc, or a date when all-day.
func formatWall(t time.Time, loc *time.Location, allDay bool) string {
	if allDay {
		return t.UTC().Format(dateLayout)
	}
	return t.In(loc).Format(wallLayouts[0])
}

// formatEnd renders an end for the edit inputs; an all-day end is shown as the last day.
func formatEnd(t time.Time, loc *time.Location, allDay bool) string {
	if allDay {
		return t.UTC().AddDate(0, 0, -1).Format(dateLayout)
	}
	return t.In(loc).Format(wallLayouts[0])
}

// baseLoc is the location a segment's wall times are in.
func baseLoc(s Segment) *time.Location {
	if s.AllDay {
		return time.UTC
	}
	return s.Start.Location()
}

// sameDate compares the calendar dates of two times, each in its own location.
func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// ruleText is the canonical text of a rule, "" for none.
func ruleText(r *Rule) string {
	if r == nil {
		return ""
	}
	return r.String()
}

// copyRule returns a deep copy of r.
func copyRule(r *Rule) *Rule {
	if r == nil {
		return nil
	}
	c := *r
	c.ByDay = append([]WeekdayNum(nil), r.ByDay...)
	c.ByMonthDay = append([]int(nil), r.ByMonthDay...)
	return &c
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

func copyString(s *string) *string {
	if s == nil {
		return nil
	}
	c := *s
	return &c
}

// clone returns a deep copy of the event.
func (e *Event) clone() *Event {
	c := *e
	c.DeletedAt = copyTime(e.DeletedAt)
	c.Segments = make([]Segment, len(e.Segments))
	for i, s := range e.Segments {
		s.Rule = copyRule(s.Rule)
		c.Segments[i] = s
	}
	c.Overrides = make([]Override, len(e.Overrides))
	for i, o := range e.Overrides {
		o.Title, o.Description, o.Location = copyString(o.Title), copyString(o.Description), copyString(o.Location)
		o.Start, o.End = copyTime(o.Start), copyTime(o.End)
		c.Overrides[i] = o
	}
	c.Invitations = make([]Invitation, len(e.Invitations))
	for i, in := range e.Invitations {
		in.Instance = copyTime(in.Instance)
		c.Invitations[i] = in
	}
	c.RSVPs = make([]RSVP, len(e.RSVPs))
	for i, r := range e.RSVPs {
		r.Instance = copyTime(r.Instance)
		c.RSVPs[i] = r
	}
	return &c
}

// Clone returns a deep copy of the event, for callers that compare before and after.
func (e *Event) Clone() *Event { return e.clone() }
