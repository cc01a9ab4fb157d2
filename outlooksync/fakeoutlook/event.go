package fakeoutlook

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"sort"
	"time"
)

// content is what a single event, a series master, an occurrence or an
// exception shows: everything but identity and the series structure.
type content struct {
	subject           string
	body              ItemBody
	location          Location
	start, end        time.Time // instants, UTC
	startZone         string    // IANA name
	endZone           string    // IANA name
	isAllDay          bool
	showAs            string
	importance        string
	sensitivity       string
	isReminderOn      bool
	reminderMinutes   int
	categories        []string
	responseRequested bool
	attendees         []Attendee
	response          ResponseStatus
	isCancelled       bool
	extProps          []ExtendedProperty
	extra             map[string]json.RawMessage // writable properties the fake does not model

	// startWall is the start's wall time as the client sent it (floating: UTC fields) when
	// the zone skips it: the first occurrence of a series from a spring-forward night starts
	// after the gap, and the pattern keeps this wall time for the others.
	startWall time.Time
}

func (c content) clone() content {
	c.categories = slices.Clone(c.categories)
	c.attendees = slices.Clone(c.attendees)
	c.extProps = slices.Clone(c.extProps)
	c.extra = maps.Clone(c.extra)
	return c
}

// event is a single event or a series master in one mailbox. Exceptions and
// cancellations live inside their master, as they do in Exchange; an
// occurrence is computed from the pattern whenever it is asked for.
type event struct {
	id            string
	created       time.Time
	modified      time.Time
	changeKey     string
	seq           int64 // mailbox change counter at the last change
	visibleSeq    int64 // seq of the last change that delta shows
	deleted       bool  // tombstone, kept for delta
	iCalUID       string
	transactionID string
	isOrganizer   bool
	organizer     EmailAddress
	content

	rec        *recurrence          // nil for a single event
	exceptions map[int64]*exception // by original start (Unix seconds)
	cancelled  map[int64]bool       // original starts of deleted occurrences

	copies map[string]string // organizer's event: attendee mailbox id -> copy id
	origin *eventRef         // attendee's copy: the organizer's event

	// reportZoneAs replaces the Windows name in originalStartTimeZone and
	// originalEndTimeZone (EventSpec.ReportZoneAs).
	reportZoneAs string
}

// eventRef points from an attendee's copy to the organizer's event. For a
// single-instance copy of one occurrence (see meetings_instance.go),
// originalStart names the occurrence of the organizer's series; it is zero
// for a copy of a whole single event or series.
type eventRef struct {
	mailboxID, eventID string
	originalStart      time.Time
}

// exception is an occurrence that was changed. It keeps a full copy of what
// it shows, so a later change of the series' subject does not reach it, as
// in Outlook. It has no change key of its own: exceptions live inside the
// master item, and every instance carries the master's etag (as in the
// response example of event-list-instances.md).
type exception struct {
	originalStart time.Time
	content
	modified time.Time
	// invitees are the organizer's exception's attendees who are not in
	// the series: mailbox id -> their single-instance copy's id.
	invitees map[string]string
}

// instance is an occurrence or exception of a series.
type instance struct {
	master        *event
	originalStart time.Time
	exc           *exception // nil for a plain occurrence
	c             content
}

func (in instance) id() string { return occurrenceID(in.master.id, in.originalStart) }

func (in instance) changeKey() string { return in.master.changeKey }

func (in instance) modified() time.Time {
	if in.exc != nil {
		return in.exc.modified
	}
	return in.master.modified
}

func (e *event) isMaster() bool { return e.rec != nil }

func (e *event) seriesLoc(z zones) *time.Location {
	loc, _, err := z.resolve(e.startZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// seriesWall is the wall time of the pattern (floating): startWall when it stands for
// start in the series' zone, else start's own wall time there.
func (e *event) seriesWall(z zones) time.Time {
	loc := e.seriesLoc(z)
	if !e.startWall.IsZero() && resolveWall(e.startWall, loc).Equal(e.start) {
		return e.startWall
	}
	return floating(e.start.In(loc))
}

// originalStarts lists the starts the pattern generates before until.
func (e *event) originalStarts(z zones, until time.Time) []time.Time {
	if e.rec == nil {
		return nil
	}
	return e.rec.occurrenceStarts(e.seriesWall(z), e.seriesLoc(z), until)
}

// lastStart is the last original start of a bounded series, or false for a
// series without end.
func (e *event) lastStart(z zones) (time.Time, bool) {
	if e.rec.rangeType == "noEnd" {
		return time.Time{}, false
	}
	starts := e.originalStarts(z, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(starts) == 0 {
		return time.Time{}, true
	}
	return starts[len(starts)-1], true
}

// generates reports whether the pattern generates an occurrence at t.
func (e *event) generates(z zones, t time.Time) bool {
	starts := e.originalStarts(z, t.Add(time.Second))
	return len(starts) > 0 && starts[len(starts)-1].Equal(t)
}

// occurrence computes what the occurrence at originalStart shows.
func (e *event) occurrence(t time.Time) instance {
	if x, ok := e.exceptions[t.Unix()]; ok {
		return instance{master: e, originalStart: t, exc: x, c: x.content}
	}
	c := e.content.clone()
	c.end = t.Add(e.end.Sub(e.start))
	if e.isAllDay {
		// Midnight to midnight in the series' zone, however long the days across a change of
		// daylight saving time.
		if loc, err := time.LoadLocation(e.startZone); err == nil {
			days := int(math.Round(e.end.Sub(e.start).Hours() / 24))
			c.end = t.In(loc).AddDate(0, 0, days).UTC()
		}
	}
	c.start = t
	return instance{master: e, originalStart: t, c: c}
}

// instanceAt returns the live (generated, not deleted) instance at t.
func (e *event) instanceAt(z zones, t time.Time) (instance, bool) {
	if e.rec == nil || e.cancelled[t.Unix()] || !e.generates(z, t) {
		return instance{}, false
	}
	return e.occurrence(t), true
}

// overlaps is calendarView's rule: an item is in [from, to) when it starts
// before to and ends after from; an item without duration counts at from.
func overlaps(start, end, from, to time.Time) bool {
	return start.Before(to) && (end.After(from) || (start.Equal(end) && !start.Before(from)))
}

// instances returns the live occurrences and exceptions of a series that
// overlap [from, to), ordered by start.
func (e *event) instances(z zones, from, to time.Time) []instance {
	var out []instance
	dur := e.end.Sub(e.start)
	for _, t := range e.originalStarts(z, to) {
		if e.cancelled[t.Unix()] || e.exceptions[t.Unix()] != nil {
			continue
		}
		if overlaps(t, t.Add(dur), from, to) {
			out = append(out, e.occurrence(t))
		}
	}
	for _, x := range e.exceptions {
		if overlaps(x.start, x.end, from, to) {
			out = append(out, instance{master: e, originalStart: x.originalStart, exc: x, c: x.content})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].c.start.Before(out[j].c.start) })
	return out
}

// prune drops the exceptions and cancellations whose occurrence the pattern
// no longer generates (after the range was shortened).
func (e *event) prune(z zones) {
	if e.rec == nil {
		e.exceptions, e.cancelled = nil, nil
		return
	}
	for k, x := range e.exceptions {
		if !e.generates(z, x.originalStart) {
			delete(e.exceptions, k)
		}
	}
	for k := range e.cancelled {
		if !e.generates(z, time.Unix(k, 0).UTC()) {
			delete(e.cancelled, k)
		}
	}
}

// cancelledDates lists the original starts of deleted occurrences in order.
func (e *event) cancelledStarts() []time.Time {
	var out []time.Time
	for k := range e.cancelled {
		out = append(out, time.Unix(k, 0).UTC())
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// sortedExceptions lists a series' exceptions by original start.
func (e *event) sortedExceptions() []*exception {
	var out []*exception
	for _, x := range e.exceptions {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *exception) int { return a.originalStart.Compare(b.originalStart) })
	return out
}
