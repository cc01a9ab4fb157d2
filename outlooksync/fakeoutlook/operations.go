package fakeoutlook

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The operations below are what Outlook does to a mailbox. Both the Graph
// handlers and the Outlook-UI helpers call them, so a change made "in
// Outlook" by a test behaves exactly like one made through Graph.

// touchLocked records a change: a new change key and a place in the
// mailbox's change sequence.
func (s *Server) touchLocked(mb *mailbox, ev *event) {
	change := "updated"
	switch {
	case ev.deleted:
		change = "deleted"
	case ev.seq == 0:
		change = "created"
	}
	defer s.notifyChangeLocked(mb, ev, change)
	mb.seq++
	ev.seq, ev.visibleSeq = mb.seq, mb.seq
	ev.changeKey = newChangeKey()
	ev.modified = s.now()
}

// createEventLocked creates a single event or, with a recurrence, a series.
// A transactionId already used in the mailbox returns the event it created
// instead of a second one (existing is true), even when that event was
// deleted since: Microsoft documents transactionId only as de-duplicating
// retried creates (docs PRs #6860, #9693), and whether Exchange matches it
// against deleted items is unknown, so the fake takes the stricter answer
// (Quirks.TransactionIDForgottenOnDelete forgets it on delete).
func (s *Server) createEventLocked(mb *mailbox, p eventPatch) (ev *event, existing bool, err error) {
	if p.transactionID != nil && *p.transactionID != "" {
		if id, ok := mb.txns[*p.transactionID]; ok {
			if prev := mb.events[id]; prev != nil && (!prev.deleted || !s.opts.Quirks.TransactionIDForgottenOnDelete) {
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
		if err := s.patchSeriesLocked(t.ev, p); err != nil {
			return target{}, err
		}
		s.touchLocked(mb, t.ev)
		s.propagateSeriesLocked(mb, t.ev, p)
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
		s.cancelMeetingLocked(t.ev)
		return nil
	}
	x := t.ev.exceptions[t.originalStart.Unix()]
	s.cancelOccurrenceLocked(mb, t.ev, t.originalStart)
	s.cancelMeetingOccurrenceLocked(t.ev, t.originalStart, x)
	return nil
}

func (s *Server) tombstoneLocked(mb *mailbox, ev *event) {
	ev.deleted = true
	if s.opts.Quirks.TransactionIDForgottenOnDelete && ev.transactionID != "" && mb.txns[ev.transactionID] == ev.id {
		delete(mb.txns, ev.transactionID)
	}
	s.touchLocked(mb, ev)
}

func (s *Server) cancelOccurrenceLocked(mb *mailbox, master *event, orig time.Time) {
	delete(master.exceptions, orig.Unix())
	master.cancelled[orig.Unix()] = true
	visible := master.visibleSeq
	s.touchLocked(mb, master)
	if !s.opts.Quirks.DeltaReportsSeriesOfCancelledOccurrence && !s.opts.Quirks.DeltaRemovesCancelledOccurrences {
		master.visibleSeq = visible // the deletion leaves no trace in delta
	}
}
