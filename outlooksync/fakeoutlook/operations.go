package fakeoutlook

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The operations below are what Outlook does to a mailbox. Both the Graph
// handlers and the Outlook-UI helpers call them, so a change made "in
// Outlook" by a test behaves exactly like one made through Graph.

// opError is a failed operation with the status and Graph error code that
// Graph answers.
type opError struct {
	status int
	code   string
	msg    string
}

func (e *opError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.msg) }

func (e *opError) response() response { return errorResponse(e.status, e.code, e.msg) }

func errNotFound() *opError {
	return &opError{status: http.StatusNotFound, code: "ErrorItemNotFound", msg: "The specified object was not found in the store."}
}

func errInvalidRequest(msg string) *opError {
	return &opError{status: http.StatusBadRequest, code: "ErrorInvalidRequest", msg: msg}
}

// zeroResponseTime is how Graph writes "never answered".
const zeroResponseTime = "0001-01-01T00:00:00Z"

// defaultContent is a new event before the client's properties are applied:
// Graph's defaults, starting at the next half hour for 30 minutes.
func defaultContent(now time.Time) content {
	start := now.Truncate(30 * time.Minute).Add(30 * time.Minute)
	return content{
		body:            ItemBody{ContentType: "html"},
		location:        Location{LocationType: "default", UniqueIDType: "unknown"},
		start:           start,
		end:             start.Add(30 * time.Minute),
		startZone:       "UTC",
		endZone:         "UTC",
		showAs:          "busy",
		importance:      "normal",
		sensitivity:     "normal",
		isReminderOn:    true,
		reminderMinutes: 15,
		categories:      []string{},
		attendees:       []Attendee{},
		response:        ResponseStatus{Response: "organizer", Time: zeroResponseTime},
	}
}

// touchLocked records a change: a new change key and a place in the
// mailbox's change sequence.
func (s *Server) touchLocked(mb *mailbox, ev *event) {
	mb.seq++
	ev.seq = mb.seq
	ev.changeKey = newChangeKey()
	ev.modified = s.now()
}

// createEventLocked creates a single event or, with a recurrence, a series.
// A transactionId already used in the mailbox returns the event it created
// instead of a second one (existing is true).
func (s *Server) createEventLocked(mb *mailbox, p eventPatch) (ev *event, existing bool, err error) {
	if p.transactionID != nil && *p.transactionID != "" {
		if id, ok := mb.txns[*p.transactionID]; ok {
			if prev := mb.events[id]; prev != nil && !prev.deleted {
				return prev, true, nil
			}
		}
	}
	now := s.now()
	ev = &event{
		id:          newEventID(),
		created:     now,
		iCalUID:     newICalUID(now),
		isOrganizer: true,
		organizer:   EmailAddress{Name: mb.name, Address: mb.email},
		content:     defaultContent(now),
	}
	if err := s.patchSeriesLocked(ev, p); err != nil {
		return nil, false, err
	}
	if p.transactionID != nil {
		ev.transactionID = *p.transactionID
		if ev.transactionID != "" {
			mb.txns[ev.transactionID] = ev.id
		}
	}
	s.touchLocked(mb, ev)
	mb.events[ev.id] = ev
	mb.order = append(mb.order, ev.id)
	s.inviteLocked(mb, ev, ev.attendees)
	return ev, false, nil
}

// applyContent applies the content properties of a patch to c.
func (s *Server) applyContent(c *content, p eventPatch) error {
	if p.subject != nil {
		c.subject = *p.subject
	}
	if p.body != nil {
		c.body = *p.body
		if c.body.ContentType == "" {
			c.body.ContentType = "text"
		}
		if ct := strings.ToLower(c.body.ContentType); ct != "text" && ct != "html" {
			return invalidProperty("body.contentType must be text or html.")
		}
	}
	if p.location != nil {
		c.location = *p.location
		if c.location.LocationType == "" {
			c.location.LocationType = "default"
		}
		if c.location.UniqueIDType == "" {
			c.location.UniqueIDType = "unknown"
		}
	}
	if p.start != nil {
		t, zone, err := s.zones.parseDateTimeTimeZone(*p.start, "start")
		if err != nil {
			return err
		}
		c.start, c.startZone = t, zone
	}
	if p.end != nil {
		t, zone, err := s.zones.parseDateTimeTimeZone(*p.end, "end")
		if err != nil {
			return err
		}
		c.end, c.endZone = t, zone
	}
	if p.isAllDay != nil {
		c.isAllDay = *p.isAllDay
	}
	if c.end.Before(c.start) {
		return invalidProperty("The end of an event must not be before its start.")
	}
	if c.isAllDay {
		for _, t := range []struct {
			at   time.Time
			zone string
		}{{c.start, c.startZone}, {c.end, c.endZone}} {
			loc, _, _ := s.zones.resolve(t.zone)
			l := t.at.In(loc)
			if l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
				return invalidProperty("An all-day event must start and end at midnight.")
			}
		}
		if !c.end.After(c.start) {
			return invalidProperty("An all-day event must last at least one day.")
		}
	}
	if p.categories != nil {
		c.categories = slices.Clone(*p.categories)
	}
	if err := setEnum(&c.showAs, p.showAs, "showAs", "free", "tentative", "busy", "oof", "workingElsewhere", "unknown"); err != nil {
		return err
	}
	if err := setEnum(&c.importance, p.importance, "importance", "low", "normal", "high"); err != nil {
		return err
	}
	if err := setEnum(&c.sensitivity, p.sensitivity, "sensitivity", "normal", "personal", "private", "confidential"); err != nil {
		return err
	}
	if p.isReminderOn != nil {
		c.isReminderOn = *p.isReminderOn
	}
	if p.reminderMinutes != nil {
		c.reminderMinutes = *p.reminderMinutes
	}
	if p.responseRequested != nil {
		c.responseRequested = *p.responseRequested
	}
	if p.attendees != nil {
		list, err := mergeAttendees(c.attendees, *p.attendees)
		if err != nil {
			return err
		}
		c.attendees = list
	}
	if p.extProps != nil {
		for _, np := range *p.extProps {
			if np.ID == "" {
				return invalidProperty("singleValueExtendedProperties: id is required.")
			}
			i := slices.IndexFunc(c.extProps, func(e ExtendedProperty) bool { return strings.EqualFold(e.ID, np.ID) })
			if i >= 0 {
				c.extProps[i].Value = np.Value
			} else {
				c.extProps = append(c.extProps, np)
			}
		}
	}
	for k, v := range p.extra {
		if c.extra == nil {
			c.extra = map[string]json.RawMessage{}
		}
		c.extra[k] = v
	}
	return nil
}

func setEnum(dst *string, v *string, name string, allowed ...string) error {
	if v == nil {
		return nil
	}
	for _, a := range allowed {
		if strings.EqualFold(a, *v) {
			*dst = a
			return nil
		}
	}
	return invalidProperty(fmt.Sprintf("%s '%s' is not one of %s.", name, *v, strings.Join(allowed, ", ")))
}

// mergeAttendees normalises a new attendee list, keeping the answers of
// attendees who were already invited.
func mergeAttendees(old, next []Attendee) ([]Attendee, error) {
	out := make([]Attendee, 0, len(next))
	for _, a := range next {
		if a.EmailAddress.Address == "" {
			return nil, invalidProperty("attendees: emailAddress.address is required.")
		}
		if a.Type == "" {
			a.Type = "required"
		}
		if a.EmailAddress.Name == "" {
			a.EmailAddress.Name = a.EmailAddress.Address // as Graph does for an address it cannot resolve
		}
		if err := setEnum(&a.Type, &a.Type, "attendee type", "required", "optional", "resource"); err != nil {
			return nil, err
		}
		a.Status = ResponseStatus{Response: "none", Time: zeroResponseTime}
		for _, o := range old {
			if strings.EqualFold(o.EmailAddress.Address, a.EmailAddress.Address) {
				a.Status = o.Status
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// patchSeriesLocked applies a patch to a single event or series master.
// Changing the pattern, or the time of a series, drops all its exceptions
// and deleted occurrences; shortening the range drops those past its new end
// (MS-OXOCAL 3.1.4.7.3.5). A change of subject and the like does not reach
// exceptions: they keep what they showed.
func (s *Server) patchSeriesLocked(ev *event, p eventPatch) error {
	c := ev.content.clone()
	if err := s.applyContent(&c, p); err != nil {
		return err
	}
	timing := !c.start.Equal(ev.start) || !c.end.Equal(ev.end) || c.startZone != ev.startZone
	rec := ev.rec
	dropAll := false
	loc, _, _ := s.zones.resolve(c.startZone)
	startDate := dateOf(c.start.In(loc))
	switch {
	case p.recurrenceSet && p.recurrence == nil:
		rec, dropAll = nil, true
	case p.recurrenceSet:
		r, err := parseRecurrence(*p.recurrence)
		if err != nil {
			return invalidProperty(err.Error())
		}
		if !r.startDate.Equal(startDate) {
			return invalidProperty(fmt.Sprintf("recurrence.range.startDate %s must be the date of the event's start (%s in %s).",
				r.startDate.Format(dateLayout), startDate.Format(dateLayout), c.startZone))
		}
		if rec == nil || !rec.samePattern(r) || timing {
			dropAll = true
		}
		rec = r
	case rec != nil && timing:
		// Moving a series moves its range with it; Outlook then forgets
		// the exceptions, as for a new pattern.
		moved := *rec
		moved.startDate = startDate
		if moved.rangeType == "endDate" && moved.endDate.Before(startDate) {
			return invalidProperty("recurrence.range.endDate must not be before the new start.")
		}
		rec, dropAll = &moved, true
	}
	ev.content = c
	ev.rec = rec
	if dropAll {
		ev.exceptions, ev.cancelled = nil, nil
	}
	if ev.rec != nil {
		if ev.exceptions == nil {
			ev.exceptions = map[int64]*exception{}
		}
		if ev.cancelled == nil {
			ev.cancelled = map[int64]bool{}
		}
		ev.prune(s.zones)
	}
	return nil
}

func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// target is what an id in a URL stands for: a single or master, or an
// occurrence or exception of a master.
type target struct {
	ev            *event // the single, master, or the master of an instance
	isInstance    bool
	originalStart time.Time
}

// findLocked resolves an event id of a mailbox; deleted items and
// occurrences that no longer exist are not found.
func (s *Server) findLocked(mb *mailbox, id string) (target, error) {
	if ev := mb.events[id]; ev != nil {
		if ev.deleted {
			return target{}, errNotFound()
		}
		return target{ev: ev}, nil
	}
	masterID, t, ok := parseOccurrenceID(id)
	if !ok {
		return target{}, errNotFound()
	}
	master := mb.events[masterID]
	if master == nil || master.deleted {
		return target{}, errNotFound()
	}
	if _, live := master.instanceAt(s.zones, t); !live {
		return target{}, errNotFound()
	}
	return target{ev: master, isInstance: true, originalStart: t}, nil
}

// changeKey is the change key of what a target stands for; instances
// carry their master's.
func (t target) changeKey() string { return t.ev.changeKey }

func etag(changeKey string) string { return `W/"` + changeKey + `"` }

// checkIfMatch compares an If-Match header with the current change key; a
// stale one gets 412, as Exchange's ErrorIrresolvableConflict.
func checkIfMatch(ifMatch string, t target) error {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" || ifMatch == "*" {
		return nil
	}
	want := t.changeKey()
	got := strings.Trim(strings.TrimPrefix(ifMatch, "W/"), `"`)
	if got == want {
		return nil
	}
	return &opError{status: http.StatusPreconditionFailed, code: "ErrorIrresolvableConflict",
		msg: "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item."}
}

// updateLocked applies a PATCH to an event id. On an occurrence it makes an
// exception; the master changes too, as exceptions belong to it.
func (s *Server) updateLocked(mb *mailbox, id string, p eventPatch, ifMatch string) (target, error) {
	t, err := s.findLocked(mb, id)
	if err != nil {
		return target{}, err
	}
	if err := checkIfMatch(ifMatch, t); err != nil {
		return target{}, err
	}
	if !t.isInstance {
		before := t.ev.content.clone()
		beforeRec := t.ev.rec
		if err := s.patchSeriesLocked(t.ev, p); err != nil {
			return target{}, err
		}
		s.touchLocked(mb, t.ev)
		s.propagateSeriesLocked(mb, t.ev, before, beforeRec, p)
		return t, nil
	}
	if p.recurrenceSet {
		return target{}, errInvalidRequest("The recurrence of an occurrence cannot be set; change the series master.")
	}
	if err := s.patchInstanceLocked(mb, t.ev, t.originalStart, p); err != nil {
		return target{}, err
	}
	s.propagateInstanceLocked(mb, t.ev, t.originalStart, p)
	return t, nil
}

// patchInstanceLocked turns an occurrence into an exception, or changes an
// exception. Like Exchange it refuses to move an occurrence onto or past
// the day of a neighbouring one.
func (s *Server) patchInstanceLocked(mb *mailbox, master *event, orig time.Time, p eventPatch) error {
	inst := master.occurrence(orig)
	c := inst.c.clone()
	if err := s.applyContent(&c, p); err != nil {
		return err
	}
	if err := s.checkCrossing(master, orig, c.start); err != nil {
		return err
	}
	now := s.now()
	x := master.exceptions[orig.Unix()]
	if x == nil {
		x = &exception{originalStart: orig}
		master.exceptions[orig.Unix()] = x
	}
	x.content = c
	x.modified = now
	s.touchLocked(mb, master)
	return nil
}

func (s *Server) checkCrossing(master *event, orig, newStart time.Time) error {
	loc := master.seriesLoc(s.zones)
	day := dateOf(newStart.In(loc))
	if day.Equal(dateOf(master.occurrence(orig).c.start.In(loc))) {
		return nil
	}
	horizon := orig
	if newStart.After(horizon) {
		horizon = newStart
	}
	var prev, next *time.Time
	for _, st := range master.originalStarts(s.zones, horizon.AddDate(1, 0, 0)) {
		if st.Equal(orig) || master.cancelled[st.Unix()] {
			continue
		}
		cur := dateOf(master.occurrence(st).c.start.In(loc))
		if st.Before(orig) {
			prev = &cur
		} else if next == nil {
			next = &cur
		}
	}
	if (prev != nil && !day.After(*prev)) || (next != nil && !day.Before(*next)) {
		return &opError{status: http.StatusBadRequest, code: "ErrorOccurrenceCrossingBoundary",
			msg: "An occurrence can't be moved to or beyond the day of an adjacent occurrence."}
	}
	return nil
}

// deleteLocked deletes a single or a series (kept as a tombstone for
// delta), or cancels one occurrence: it disappears from instances and
// calendarView and is listed in the master's cancelledOccurrences.
func (s *Server) deleteLocked(mb *mailbox, id string) error {
	t, err := s.findLocked(mb, id)
	if err != nil {
		return err
	}
	if !t.isInstance {
		s.tombstoneLocked(mb, t.ev)
		s.cancelMeetingLocked(mb, t.ev, "")
		return nil
	}
	s.cancelOccurrenceLocked(mb, t.ev, t.originalStart)
	s.cancelMeetingOccurrenceLocked(mb, t.ev, t.originalStart)
	return nil
}

func (s *Server) tombstoneLocked(mb *mailbox, ev *event) {
	ev.deleted = true
	if ev.transactionID != "" && mb.txns[ev.transactionID] == ev.id {
		delete(mb.txns, ev.transactionID)
	}
	s.touchLocked(mb, ev)
}

func (s *Server) cancelOccurrenceLocked(mb *mailbox, master *event, orig time.Time) {
	delete(master.exceptions, orig.Unix())
	master.cancelled[orig.Unix()] = true
	s.touchLocked(mb, master)
}
