package fakeoutlook

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// What a test sees of a mailbox, the way a user looking at Outlook would:
// snapshots of events, occurrences and exceptions.

// Event is a snapshot of an event, occurrence or exception, for assertions.
type Event struct {
	ID             string
	Type           string // singleInstance, seriesMaster, occurrence, exception
	SeriesMasterID string
	ICalUID        string
	ChangeKey      string
	Subject        string
	Body           string
	Location       string
	Start, End     time.Time
	OriginalStart  time.Time // occurrences and exceptions
	TimeZone       string    // IANA
	IsAllDay       bool
	Sensitivity    string
	IsCancelled    bool
	IsOrganizer    bool
	Organizer      string
	Response       string
	Attendees      []Attendee
	Categories     []string
	// IsReminderOn and ReminderMinutes are the reminder.
	IsReminderOn    bool
	ReminderMinutes int
	Recurrence      *PatternedRecurrence // masters
	// CancelledOccurrences are the original starts of a master's deleted
	// occurrences.
	CancelledOccurrences []time.Time
	ExtendedProperties   []ExtendedProperty
}

func (s *Server) snapshot(it item) Event {
	e := Event{
		ID: it.id, Type: it.kind, ICalUID: it.ev.iCalUID, ChangeKey: it.changeKey,
		Subject: it.c.subject, Body: htmlToText(it.c.body), Location: it.c.location.DisplayName,
		Start: it.c.start, End: it.c.end, TimeZone: it.c.startZone, IsAllDay: it.c.isAllDay,
		IsCancelled: it.c.isCancelled, IsOrganizer: it.ev.isOrganizer, Organizer: it.ev.organizer.Address,
		Response: it.c.response.Response, Attendees: slices.Clone(it.c.attendees),
		Categories: slices.Clone(it.c.categories), ExtendedProperties: slices.Clone(it.c.extProps),
		Sensitivity: it.c.sensitivity, IsReminderOn: it.c.isReminderOn, ReminderMinutes: it.c.reminderMinutes,
	}
	if it.originalStart != nil {
		e.OriginalStart = *it.originalStart
		e.SeriesMasterID = it.ev.id
	}
	if it.kind == "seriesMaster" {
		r := it.ev.rec.wire(s.zones.windows(it.ev.startZone))
		e.Recurrence = &r
		e.CancelledOccurrences = it.ev.cancelledStarts()
	}
	return e
}

// Events lists a mailbox's singles and series masters.
func (s *Server) Events(email string) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return nil, err
	}
	return s.storeEventsLocked(mb), nil
}

// storeEventsLocked lists the live singles and series masters of a calendar's store.
func (s *Server) storeEventsLocked(mb *mailbox) []Event {
	var out []Event
	for _, id := range mb.order {
		if ev := mb.events[id]; !ev.deleted {
			out = append(out, s.snapshot(seriesItem(ev)))
		}
	}
	return out
}

// GetEvent returns one event, occurrence or exception by id.
func (s *Server) GetEvent(email, id string) (Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return Event{}, err
	}
	t, err := s.findLocked(mb.itemStore(id), id)
	if err != nil {
		return Event{}, err
	}
	return s.targetSnapshot(t), nil
}

// FindEvent returns the first single or master whose subject contains
// the text, for tests that only know what a user typed.
func (s *Server) FindEvent(email, subject string) (Event, error) {
	list, err := s.Events(email)
	if err != nil {
		return Event{}, err
	}
	for _, e := range list {
		if strings.Contains(e.Subject, subject) {
			return e, nil
		}
	}
	return Event{}, fmt.Errorf("fake outlook: no event %q in %s", subject, email)
}

// Instances lists the live occurrences and exceptions of a series in
// [from, to), by start.
func (s *Server) Instances(email, masterID string, from, to time.Time) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return nil, err
	}
	t, err := s.findLocked(mb.itemStore(masterID), masterID)
	if err != nil {
		return nil, err
	}
	if t.ev.rec == nil {
		return nil, fmt.Errorf("fake outlook: %s is not a series", masterID)
	}
	var out []Event
	for _, in := range t.ev.instances(s.zones, from, to) {
		out = append(out, s.snapshot(instanceItem(in)))
	}
	return out, nil
}

// CalendarView lists singles, occurrences and exceptions in [from, to), by
// start, as calendarView does.
func (s *Server) CalendarView(email string, from, to time.Time) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return nil, err
	}
	var out []Event
	for _, it := range s.viewInstancesLocked(mb, from, to) {
		out = append(out, s.snapshot(it))
	}
	return out, nil
}
