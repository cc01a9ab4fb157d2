package ical

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"intracal/calendar"
)

// Person is how an organizer or attendee is named.
type Person struct {
	Name  string
	Email string
}

// Feed is what one iCalendar file holds.
type Feed struct {
	// Name is the calendar's name (X-WR-CALNAME), shown by the apps that subscribe.
	Name string
	// Reader is the user whose answers the PARTSTATs are, and whose labels are shown.
	Reader int64
	// Events are the events as the reader may see them (calendar.Event.ViewFor).
	Events []*calendar.Event
	// People names the organizers and attendees, by user id.
	People map[int64]Person
	// BusyOnly, when set, picks the events written as busy blocks only.
	BusyOnly func(*calendar.Event) bool
	// From and To bound the instances looked at one by one (an answer or an invitation of
	// one instance); series are written whole whatever the window.
	From, To time.Time
	// Stamp is DTSTAMP: when the file was made.
	Stamp time.Time
}

const (
	localLayout = "20060102T150405"
	utcLayout   = "20060102T150405Z"
	dateLayout  = "20060102"
)

// ProductID is the PRODID of what this package writes.
const ProductID = "-//intracal//My Calendar//EN"

// Write writes the feed as an iCalendar file.
func Write(w io.Writer, f Feed) error {
	cal := ics.NewCalendarFor("intracal")
	cal.SetProductId(ProductID)
	cal.SetVersion("2.0")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	if f.Name != "" {
		cal.SetXWRCalName(f.Name)
		cal.SetName(f.Name)
	}
	zones := map[string]*time.Location{}
	minYear, maxYear := f.To.Year(), f.To.Year()
	var events []*ics.VEvent
	for _, e := range f.Events {
		for i := range e.Segments {
			evs, loc, first := writeSegment(f, e, i)
			if len(evs) == 0 {
				continue
			}
			events = append(events, evs...)
			if loc != time.UTC && !e.Segments[i].AllDay {
				zones[loc.String()] = loc
			}
			minYear = min(minYear, first.Year())
			maxYear = max(maxYear, first.Year())
		}
	}
	names := make([]string, 0, len(zones))
	for n := range zones {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		addTimezone(cal, zones[n], minYear-1, maxYear+5)
	}
	for _, ev := range events {
		cal.AddVEvent(ev)
	}
	if err := cal.SerializeTo(w); err != nil {
		return fmt.Errorf("write the iCalendar file: %w", err)
	}
	return nil
}

// segmentWriter writes the times of one segment: in its zone, in UTC, or as dates.
type segmentWriter struct {
	seg calendar.Segment
	loc *time.Location
}

func (s segmentWriter) at(c *ics.ComponentBase, prop ics.ComponentProperty, t time.Time) {
	switch {
	case s.seg.AllDay:
		c.SetProperty(prop, t.UTC().Format(dateLayout), ics.WithValue(string(ics.ValueDataTypeDate)))
	case s.loc == time.UTC:
		c.SetProperty(prop, t.UTC().Format(utcLayout))
	default:
		c.SetProperty(prop, t.In(s.loc).Format(localLayout), ics.WithTZID(s.loc.String()))
	}
}

func (s segmentWriter) value(t time.Time) string {
	switch {
	case s.seg.AllDay:
		return t.UTC().Format(dateLayout)
	case s.loc == time.UTC:
		return t.UTC().Format(utcLayout)
	}
	return t.In(s.loc).Format(localLayout)
}

func (s segmentWriter) params() []ics.PropertyParameter {
	switch {
	case s.seg.AllDay:
		return []ics.PropertyParameter{ics.WithValue(string(ics.ValueDataTypeDate))}
	case s.loc == time.UTC:
		return nil
	}
	return []ics.PropertyParameter{ics.WithTZID(s.loc.String())}
}

// writeSegment writes segment i of e: the series (or single) component and the
// RECURRENCE-ID components of its instances that differ. It returns nothing for a segment
// without instances.
func writeSegment(f Feed, e *calendar.Event, i int) ([]*ics.VEvent, *time.Location, time.Time) {
	seg := e.Segments[i]
	sched := seg.Schedule()
	first, ok := sched.FirstStart()
	if !ok {
		return nil, nil, time.Time{}
	}
	loc := time.UTC
	if !seg.AllDay && seg.TimeZone != "" {
		if l, err := time.LoadLocation(seg.TimeZone); err == nil {
			loc = l
		}
	}
	sw := segmentWriter{seg: seg, loc: loc}
	var next time.Time
	if i+1 < len(e.Segments) {
		next, _ = e.Segments[i+1].Schedule().FirstStart()
	}
	// An override's original start, and an instance's, is in this segment when it falls
	// between its first start and the next segment's (overrides are kept for instances
	// only, so no expansion is needed to tell).
	inSegment := func(orig time.Time) bool {
		return !orig.Before(first) && (next.IsZero() || orig.Before(next))
	}
	busy := f.BusyOnly != nil && f.BusyOnly(e)

	master := ics.NewEvent(seg.UID)
	common(f, e, &master.ComponentBase, busy)
	writeContent(&master.ComponentBase, seg.Content, busy)
	sw.at(&master.ComponentBase, ics.ComponentPropertyDtStart, first)
	sw.at(&master.ComponentBase, ics.ComponentPropertyDtEnd, first.Add(seg.Duration))
	if i > 0 {
		master.SetProperty(ics.ComponentPropertyRelatedTo, e.Segments[0].UID, &ics.KeyValues{Key: string(ics.ParameterReltype), Value: []string{"SIBLING"}})
	}
	seriesAnswer := e.EffectiveRSVP(f.Reader, first)
	if !busy {
		writeAttendees(f, e, &master.ComponentBase, first, true)
	}
	out := []*ics.VEvent{master}
	if seg.Rule == nil {
		return out, loc, first
	}
	master.AddRrule(boundedRule(seg, next))

	// The instances that differ from the series: changed, cancelled, or (in the window) with
	// their own attendees or the reader's own answer.
	exceptions := map[int64]*ics.VEvent{}
	var origs []time.Time
	exception := func(orig time.Time) *ics.VEvent {
		if x := exceptions[orig.UnixNano()]; x != nil {
			return x
		}
		x := ics.NewEvent(seg.UID)
		common(f, e, &x.ComponentBase, busy)
		x.SetProperty(ics.ComponentPropertyRecurrenceId, sw.value(orig), sw.params()...)
		exceptions[orig.UnixNano()] = x
		origs = append(origs, orig)
		return x
	}
	var exdates []string
	overridden := map[int64]bool{}
	for _, o := range e.Overrides {
		if !inSegment(o.OriginalStart) {
			continue
		}
		overridden[o.OriginalStart.UnixNano()] = true
		if o.Cancelled {
			exdates = append(exdates, sw.value(o.OriginalStart))
			continue
		}
		exception(o.OriginalStart)
	}
	if !f.From.IsZero() && !busy {
		for _, orig := range sched.Starts(f.From, f.To, calendar.MaxOccurrences) {
			orig = orig.UTC()
			if !inSegment(orig) || overridden[orig.UnixNano()] {
				continue // changed or cancelled: written above
			}
			if e.EffectiveRSVP(f.Reader, orig) != seriesAnswer || hasOwnInvitees(e, orig) {
				exception(orig)
			}
		}
	}
	if len(exdates) > 0 {
		master.AddExdate(strings.Join(exdates, ","), sw.params()...)
	}
	slices.SortFunc(origs, func(a, b time.Time) int { return a.Compare(b) })
	for _, orig := range origs {
		x := exceptions[orig.UnixNano()]
		oc, cancelled, err := e.Instance(calendar.Viewer{UserID: f.Reader}, orig)
		if err != nil || cancelled {
			continue
		}
		writeContent(&x.ComponentBase, oc.Content, busy)
		sw.at(&x.ComponentBase, ics.ComponentPropertyDtStart, oc.Start)
		sw.at(&x.ComponentBase, ics.ComponentPropertyDtEnd, oc.End)
		if !busy {
			writeAttendees(f, e, &x.ComponentBase, orig, false)
		}
		out = append(out, x)
	}
	return out, loc, first
}

func hasOwnInvitees(e *calendar.Event, orig time.Time) bool {
	for _, in := range e.Invitations {
		if in.Instance != nil && in.Instance.Equal(orig) {
			return true
		}
	}
	return false
}

// boundedRule is the segment's rule as RFC 5545 writes it, ending before the next segment
// begins (a split series' earlier part), and with UNTIL as a date for all-day events.
func boundedRule(seg calendar.Segment, next time.Time) string {
	r := *seg.Rule
	if !next.IsZero() {
		bound := next.Add(-time.Second).UTC()
		last, ok := seg.Schedule().Last()
		if !ok || !last.Before(next) {
			if r.Until.IsZero() || r.Until.After(bound) {
				r.Count, r.Until = 0, bound
			}
		}
	}
	s := r.String()
	if seg.AllDay && !r.Until.IsZero() {
		s = strings.Replace(s, "UNTIL="+r.Until.UTC().Format(utcLayout), "UNTIL="+r.Until.UTC().Format(dateLayout), 1)
	}
	return s
}

// common writes what every component of the event says: stamps, version, class, organizer,
// labels.
func common(f Feed, e *calendar.Event, c *ics.ComponentBase, busy bool) {
	c.SetDtStampTime(f.Stamp)
	c.SetCreatedTime(e.CreatedAt)
	c.SetModifiedAt(e.UpdatedAt)
	c.SetSequence(e.Version)
	c.SetProperty(ics.ComponentProperty("X-INTRACAL-EVENT"), strconv.FormatInt(e.ID, 10))
	c.SetProperty(ics.ComponentPropertyTransp, string(ics.TransparencyOpaque))
	if e.Privacy == calendar.Private {
		c.SetClass(ics.ClassificationPrivate)
	} else {
		c.SetClass(ics.ClassificationPublic)
	}
	if busy {
		return
	}
	c.SetStatus(ics.ObjectStatusConfirmed)
	if p, ok := f.People[e.OrganizerID]; ok && p.Email != "" {
		c.SetOrganizer("mailto:"+p.Email, ics.WithCN(p.Name))
	}
	for _, l := range e.Categories {
		c.AddCategory(l)
	}
}

func writeContent(c *ics.ComponentBase, ct calendar.Content, busy bool) {
	if busy {
		c.SetSummary("Busy")
		return
	}
	c.SetSummary(ct.Title)
	if ct.Description != "" {
		c.SetDescription(ct.Description)
	}
	if ct.Location != "" {
		c.SetLocation(ct.Location)
	}
}

// writeAttendees writes the attendees of the instance originally starting at orig (of the
// whole series when series is set: those invited to every instance), each with their answer.
func writeAttendees(f Feed, e *calendar.Event, c *ics.ComponentBase, orig time.Time, series bool) {
	for _, a := range e.Attendees(orig) {
		if series && !invitedToAll(e, a.UserID) && a.UserID != f.Reader {
			continue
		}
		if a.UserID == e.OrganizerID {
			continue
		}
		p, ok := f.People[a.UserID]
		if !ok || p.Email == "" {
			continue
		}
		c.AddAttendee("mailto:"+p.Email, ics.WithCN(p.Name), partstat(a.Response),
			&ics.KeyValues{Key: string(ics.ParameterRole), Value: []string{string(ics.ParticipationRoleReqParticipant)}})
	}
}

func invitedToAll(e *calendar.Event, userID int64) bool {
	for _, in := range e.Invitations {
		if in.UserID == userID && in.Instance == nil {
			return true
		}
	}
	return false
}

func partstat(r calendar.Response) ics.PropertyParameter {
	switch r {
	case calendar.Yes:
		return ics.ParticipationStatusAccepted
	case calendar.No:
		return ics.ParticipationStatusDeclined
	case calendar.Maybe:
		return ics.ParticipationStatusTentative
	}
	return ics.ParticipationStatusNeedsAction
}
