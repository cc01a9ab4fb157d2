package fakeoutlook

import (
	"strings"
)

// One-occurrence invitations. When the organizer of a series adds someone
// to the attendees of just one occurrence, Outlook sends that person the
// occurrence as a meeting of its own: a singleInstance event with the
// series' iCalUId, linked to nothing they can see. The organizer's
// exception remembers the copy (exception.invitees) and the copy remembers
// the exception (eventRef.originalStart), so later changes of the exception,
// its deletion and the invitee's answers travel between the two.
//
// Outlook's bugs are reproduced: deleting or cancelling the series leaves
// the single copies alone (unless Quirks.CancelSingleInstanceCopiesWithSeries),
// and so does a new pattern or time of the series, which drops the
// exception: the invitee keeps the occurrence as it was.

// hasAttendee reports whether an attendee list holds an address.
func hasAttendee(list []Attendee, addr string) bool {
	for _, a := range list {
		if strings.EqualFold(a.EmailAddress.Address, addr) {
			return true
		}
	}
	return false
}

// liveEvent returns a mailbox's event by id unless it is gone.
func liveEvent(mb *mailbox, id string) *event {
	if mb == nil {
		return nil
	}
	ev := mb.events[id]
	if ev == nil || ev.deleted {
		return nil
	}
	return ev
}

// propagateSingleCopiesLocked sends an organizer's change of an exception
// to its one-occurrence invitees: updates to those still invited,
// cancellations to those removed, invitations to new ones.
func (s *Server) propagateSingleCopiesLocked(org *mailbox, master *event, x *exception) {
	for mbID, id := range x.invitees {
		mb := s.mailboxes[mbID]
		cp := liveEvent(mb, id)
		if cp == nil {
			continue
		}
		if !hasAttendee(x.attendees, mb.email) {
			s.cancelCopyLocked(mb, cp)
			delete(x.invitees, mbID)
			continue
		}
		cp.content = meetingContent(x.content, cp)
		s.touchLocked(mb, cp)
		mb.received.Updates++
	}
	s.inviteToOccurrenceLocked(org, master, x)
}

// inviteToOccurrenceLocked gives each attendee of an organizer's exception
// who has a mailbox, is not in the series and has no live copy yet a
// single-instance copy of the occurrence.
func (s *Server) inviteToOccurrenceLocked(org *mailbox, master *event, x *exception) {
	for _, a := range x.attendees {
		att := s.byEmail[strings.ToLower(a.EmailAddress.Address)]
		if att == nil || att.id == org.id || hasAttendee(master.attendees, att.email) {
			continue
		}
		if liveEvent(att, x.invitees[att.id]) != nil {
			continue
		}
		cp := &event{
			id:        newEventID(),
			created:   s.now(),
			iCalUID:   master.iCalUID,
			organizer: master.organizer,
			content:   x.content.clone(),
			origin:    &eventRef{mailboxID: org.id, eventID: master.id, originalStart: x.originalStart},
		}
		cp.response = ResponseStatus{Response: "notResponded", Time: zeroResponseTime}
		cp.extProps, cp.categories = nil, []string{}
		cp.content = meetingContent(x.content, cp)
		s.touchLocked(att, cp)
		att.events[cp.id] = cp
		att.order = append(att.order, cp.id)
		if x.invitees == nil {
			x.invitees = map[string]string{}
		}
		x.invitees[att.id] = cp.id
		att.received.Invitations++
	}
}

// cancelSingleCopiesLocked tells an exception's one-occurrence invitees
// that the occurrence was deleted or cancelled.
func (s *Server) cancelSingleCopiesLocked(x *exception) {
	if x == nil {
		return
	}
	for mbID, id := range x.invitees {
		mb := s.mailboxes[mbID]
		if cp := liveEvent(mb, id); cp != nil && !cp.isCancelled {
			s.cancelCopyLocked(mb, cp)
		}
	}
}

// cancelSeriesSingleCopiesLocked is Quirks.CancelSingleInstanceCopiesWithSeries:
// the organizer's delete or cancel of a whole series reaches the single
// copies of its exceptions. Outlook leaves them in the invitees' calendars.
func (s *Server) cancelSeriesSingleCopiesLocked(ev *event) {
	if !s.opts.Quirks.CancelSingleInstanceCopiesWithSeries {
		return
	}
	for _, x := range ev.sortedExceptions() {
		s.cancelSingleCopiesLocked(x)
	}
}

// deliverOccurrenceResponseLocked records a one-occurrence invitee's answer
// on the organizer's exception that invited them, if it is still there.
// The organizer receives the answer either way.
func (s *Server) deliverOccurrenceResponseLocked(org, att *mailbox, cp *event, status ResponseStatus) {
	org.received.Responses++
	store := org.storeOf(cp.origin.eventID)
	oev := liveEvent(store, cp.origin.eventID)
	if oev == nil {
		return
	}
	x := oev.exceptions[cp.origin.originalStart.Unix()]
	if x == nil || x.invitees[att.id] != cp.id {
		return // the exception went with a new pattern; this copy is orphaned
	}
	for i := range x.attendees {
		if strings.EqualFold(x.attendees[i].EmailAddress.Address, att.email) {
			x.attendees[i].Status = status
		}
	}
	s.touchLocked(store, oev)
}
