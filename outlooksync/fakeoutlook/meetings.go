package fakeoutlook

import (
	"strings"
	"time"
)

// Meetings across mailboxes. An event whose attendees have mailboxes in the
// fake appears in their calendars as a copy with the same iCalUId,
// isOrganizer false and responseStatus notResponded. The organizer's changes
// reach the copies as meeting updates, deletes and cancels as cancellations;
// answers update the organizer's attendee list. Every message an attendee
// receives is counted, so tests can prove a sync does not spam attendees:
// like Exchange, the fake sends an update for every organizer change to a
// meeting property, even one that sets the value it already had.

// MessageCounts are the meeting messages a mailbox received.
type MessageCounts struct {
	Invitations   int // meeting requests for new meetings
	Updates       int // updates of meetings or of one occurrence
	Cancellations int // cancelled meetings or occurrences, and uninvitations
	Responses     int // attendees' answers received as organizer
}

// MessagesReceived returns the meeting messages a mailbox received.
func (s *Server) MessagesReceived(email string) (MessageCounts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.mailboxLocked(email)
	if err != nil {
		return MessageCounts{}, err
	}
	return m.received, nil
}

// meetingChange reports whether a patch changes what attendees see, which
// makes Exchange send them an update.
func meetingChange(p eventPatch) bool {
	return p.subject != nil || p.body != nil || p.location != nil || p.start != nil || p.end != nil ||
		p.isAllDay != nil || p.recurrenceSet || p.attendees != nil || p.importance != nil ||
		p.sensitivity != nil || p.responseRequested != nil
}

const cancelledPrefix = "Canceled: "

// inviteLocked creates attendee copies of an organizer's event for the
// attendees who have a mailbox and no copy yet.
func (s *Server) inviteLocked(org *mailbox, ev *event, attendees []Attendee) {
	if !ev.isOrganizer {
		return
	}
	for _, a := range attendees {
		att := s.byEmail[strings.ToLower(a.EmailAddress.Address)]
		if att == nil || att.id == org.id { // org may be the store of a secondary calendar
			continue
		}
		if id, ok := ev.copies[att.id]; ok && att.events[id] != nil && !att.events[id].deleted {
			continue
		}
		now := s.now()
		cp := &event{
			id:        newEventID(),
			created:   now,
			iCalUID:   ev.iCalUID,
			organizer: ev.organizer,
			content:   ev.content.clone(),
			origin:    &eventRef{mailboxID: org.id, eventID: ev.id},
		}
		cp.response = ResponseStatus{Response: "notResponded", Time: zeroResponseTime}
		cp.extProps, cp.categories = nil, []string{}
		s.syncCopyLocked(ev, cp)
		s.touchLocked(att, cp)
		att.events[cp.id] = cp
		att.order = append(att.order, cp.id)
		if ev.copies == nil {
			ev.copies = map[string]string{}
		}
		ev.copies[att.id] = cp.id
		att.received.Invitations++
	}
}

// meetingContent is what an attendee's copy shows of the organizer's
// content: the meeting, with the attendee's own answer and personal
// properties.
func meetingContent(org content, cp *event) content {
	c := org.clone()
	c.response = cp.response
	c.isCancelled = cp.isCancelled
	c.categories, c.isReminderOn, c.reminderMinutes, c.showAs = cp.categories, cp.isReminderOn, cp.reminderMinutes, cp.showAs
	c.extProps, c.extra = cp.extProps, cp.extra
	if cp.isCancelled && !strings.HasPrefix(c.subject, cancelledPrefix) {
		c.subject = cancelledPrefix + c.subject
	}
	return c
}

// syncCopyLocked makes an attendee's copy show the organizer's meeting,
// keeping the attendee's own answer and personal properties.
func (s *Server) syncCopyLocked(org, cp *event) {
	cp.content = meetingContent(org.content, cp)
	if org.rec == nil {
		cp.rec, cp.exceptions, cp.cancelled = nil, nil, nil
		return
	}
	r := *org.rec
	cp.rec = &r
	now := s.now()
	old := cp.exceptions
	cp.exceptions = map[int64]*exception{}
	for k, x := range org.exceptions {
		nx := &exception{originalStart: x.originalStart, content: x.content.clone(), modified: now}
		nx.response = cp.response
		if ox := old[k]; ox != nil {
			nx.response = ox.response
		}
		nx.extProps = nil
		cp.exceptions[k] = nx
	}
	declined := cp.cancelled
	cp.cancelled = map[int64]bool{}
	for k := range declined {
		if cp.rec != nil && cp.generates(s.zones, time.Unix(k, 0).UTC()) {
			cp.cancelled[k] = true
		}
	}
	// Occurrences the organizer deleted stay visible to attendees, marked
	// cancelled, until they remove them.
	for k := range org.cancelled {
		if cp.cancelled[k] {
			continue
		}
		if ox := old[k]; ox != nil && ox.isCancelled {
			cp.exceptions[k] = ox
			continue
		}
		cp.exceptions[k] = cancelledException(cp, time.Unix(k, 0).UTC(), now)
	}
}

func cancelledException(cp *event, orig, now time.Time) *exception {
	occ := cp.occurrence(orig)
	x := &exception{originalStart: orig, content: occ.c.clone(), modified: now}
	x.isCancelled = true
	if !strings.HasPrefix(x.subject, cancelledPrefix) {
		x.subject = cancelledPrefix + x.subject
	}
	return x
}

// copiesLocked lists the live attendee copies of an organizer's event.
func (s *Server) copiesLocked(ev *event) []struct {
	mb *mailbox
	cp *event
} {
	var out []struct {
		mb *mailbox
		cp *event
	}
	for mbID, id := range ev.copies {
		mb := s.mailboxes[mbID]
		if mb == nil || mb.events[id] == nil || mb.events[id].deleted {
			continue
		}
		out = append(out, struct {
			mb *mailbox
			cp *event
		}{mb, mb.events[id]})
	}
	return out
}

// propagateSeriesLocked sends an organizer's change of a meeting to its
// attendees: invitations to new attendees, cancellations to removed ones,
// updates to the others.
func (s *Server) propagateSeriesLocked(org *mailbox, ev *event, p eventPatch) {
	if !ev.isOrganizer || !meetingChange(p) {
		return
	}
	for _, c := range s.copiesLocked(ev) {
		if !hasAttendee(ev.attendees, c.mb.email) {
			s.cancelCopyLocked(c.mb, c.cp)
			delete(ev.copies, c.mb.id)
			continue
		}
		s.syncCopyLocked(ev, c.cp)
		s.touchLocked(c.mb, c.cp)
		c.mb.received.Updates++
	}
	s.inviteLocked(org, ev, ev.attendees)
}

// propagateInstanceLocked sends the change of one occurrence to the
// series' attendees and to those invited to this occurrence only.
func (s *Server) propagateInstanceLocked(org *mailbox, master *event, orig time.Time, p eventPatch) {
	if !master.isOrganizer || !meetingChange(p) {
		return
	}
	x := master.exceptions[orig.Unix()]
	for _, c := range s.copiesLocked(master) {
		if c.cp.rec == nil || c.cp.cancelled[orig.Unix()] {
			continue
		}
		nx := &exception{originalStart: orig, content: x.content.clone(), modified: s.now()}
		nx.response = c.cp.response
		if old := c.cp.exceptions[orig.Unix()]; old != nil {
			nx.response = old.response
		}
		nx.extProps = nil
		c.cp.exceptions[orig.Unix()] = nx
		s.touchLocked(c.mb, c.cp)
		c.mb.received.Updates++
	}
	s.propagateSingleCopiesLocked(org, master, x)
}

// cancelCopyLocked marks an attendee's copy cancelled, as a cancellation
// does in Exchange: the item stays, with isCancelled and a prefixed subject.
func (s *Server) cancelCopyLocked(mb *mailbox, cp *event) {
	cp.isCancelled = true
	if !strings.HasPrefix(cp.subject, cancelledPrefix) {
		cp.subject = cancelledPrefix + cp.subject
	}
	for _, x := range cp.exceptions {
		x.isCancelled = true
		if !strings.HasPrefix(x.subject, cancelledPrefix) {
			x.subject = cancelledPrefix + x.subject
		}
	}
	s.touchLocked(mb, cp)
	mb.received.Cancellations++
}

// cancelMeetingLocked tells every attendee that the organizer deleted or
// cancelled the meeting. Those invited to one occurrence only are not told
// (Outlook's behaviour) unless Quirks.CancelSingleInstanceCopiesWithSeries.
func (s *Server) cancelMeetingLocked(ev *event) {
	if !ev.isOrganizer {
		return
	}
	for _, c := range s.copiesLocked(ev) {
		s.cancelCopyLocked(c.mb, c.cp)
	}
	s.cancelSeriesSingleCopiesLocked(ev)
}

// cancelMeetingOccurrenceLocked tells attendees that one occurrence was
// deleted or cancelled: their copy of it is marked cancelled. x is the
// organizer's exception of the occurrence, if it had one: its
// one-occurrence invitees' copies are cancelled too.
func (s *Server) cancelMeetingOccurrenceLocked(master *event, orig time.Time, x *exception) {
	if !master.isOrganizer {
		return
	}
	s.cancelSingleCopiesLocked(x)
	for _, c := range s.copiesLocked(master) {
		if c.cp.rec == nil || c.cp.cancelled[orig.Unix()] {
			continue
		}
		c.cp.exceptions[orig.Unix()] = cancelledException(c.cp, orig, s.now())
		s.touchLocked(c.mb, c.cp)
		c.mb.received.Cancellations++
	}
}

// respondLocked answers a meeting (accept, tentativelyAccept, decline) for
// the whole series or, on an occurrence id, for that occurrence. A declined
// meeting leaves the attendee's calendar, as in Exchange, unless
// Quirks.KeepDeclinedMeetings.
func (s *Server) respondLocked(mb *mailbox, id, answer string, body actionBody) error {
	t, err := s.findLocked(mb, id)
	if err != nil {
		return err
	}
	if t.ev.isOrganizer || t.ev.origin == nil {
		return errInvalidRequest("Your request can't be completed. You can't respond to a meeting that you organized.")
	}
	status := ResponseStatus{Response: answer, Time: s.now().Format(time.RFC3339)}
	remove := answer == "declined" && !s.opts.Quirks.KeepDeclinedMeetings
	if t.isInstance {
		if remove {
			s.cancelOccurrenceLocked(mb, t.ev, t.originalStart)
		} else {
			x := t.ev.exceptions[t.originalStart.Unix()]
			if x == nil {
				occ := t.ev.occurrence(t.originalStart)
				x = &exception{originalStart: t.originalStart, content: occ.c.clone()}
				t.ev.exceptions[t.originalStart.Unix()] = x
			}
			x.response = status
			x.modified = s.now()
			s.touchLocked(mb, t.ev)
		}
	} else {
		t.ev.response = status
		if remove {
			s.tombstoneLocked(mb, t.ev)
		} else {
			s.touchLocked(mb, t.ev)
		}
	}
	if body.sendResponse {
		s.deliverResponseLocked(mb, t, status)
	}
	return nil
}

// deliverResponseLocked records an attendee's answer in the organizer's
// event: on the series' attendee list, or on the exception of the occurrence
// answered when the organizer has one.
func (s *Server) deliverResponseLocked(att *mailbox, t target, status ResponseStatus) {
	org := s.mailboxes[t.ev.origin.mailboxID]
	if org == nil {
		return
	}
	if !t.ev.origin.originalStart.IsZero() {
		s.deliverOccurrenceResponseLocked(org, att, t.ev, status)
		return
	}
	store := org.storeOf(t.ev.origin.eventID)
	oev := store.events[t.ev.origin.eventID]
	if oev == nil || oev.deleted {
		return
	}
	list := &oev.attendees
	if t.isInstance {
		x := oev.exceptions[t.originalStart.Unix()]
		if x == nil {
			org.received.Responses++
			return
		}
		list = &x.attendees
	}
	for i := range *list {
		if strings.EqualFold((*list)[i].EmailAddress.Address, att.email) {
			(*list)[i].Status = status
		}
	}
	s.touchLocked(store, oev)
	org.received.Responses++
}

// cancelActionLocked is POST .../cancel: only the organizer may cancel; the
// meeting (or occurrence) is deleted and attendees get a cancellation.
func (s *Server) cancelActionLocked(mb *mailbox, id string) error {
	t, err := s.findLocked(mb, id)
	if err != nil {
		return err
	}
	if !t.ev.isOrganizer {
		return errInvalidRequest("Your request can't be completed. You need to be an organizer to cancel a meeting.")
	}
	if len(t.ev.attendees) == 0 && (!t.isInstance || len(t.ev.occurrence(t.originalStart).c.attendees) == 0) {
		return errInvalidRequest("Your request can't be completed. The event has no attendees to send a cancellation to; delete it instead.")
	}
	return s.deleteLocked(mb, id)
}

// respondAnswer maps an action name to the response it records.
func respondAnswer(action string) (string, bool) {
	switch action {
	case "accept":
		return "accepted", true
	case "tentativelyAccept":
		return "tentativelyAccepted", true
	case "decline":
		return "declined", true
	}
	return "", false
}
