package calendar

import (
	"slices"
	"time"
)

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
	c.Categories = slices.Clone(e.Categories)
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
