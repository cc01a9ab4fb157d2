package fakeoutlook

import (
	"fmt"
	"slices"
	"time"
)

// The methods in this file act as a user in the Outlook UI. They go through
// the same operations as Graph requests (so they bump change keys, feed
// delta and send meeting messages) but skip HTTP, tokens, faults and the
// request log.

// EventSpec is an event as an Outlook user creates it.
type EventSpec struct {
	Subject  string
	Body     string // plain text
	Location string
	// Start and End are instants; TimeZone (IANA or Windows name, "" for
	// UTC) is the zone the event, and a series' pattern, lives in. Outlook's
	// zone list is Windows zones: an IANA name becomes its Windows zone
	// (Europe/Amsterdam is stored and reported as W. Europe Standard Time).
	Start, End time.Time
	TimeZone   string
	// ReportZoneAs, when set, is the name Graph reports as the item's
	// originalStartTimeZone and originalEndTimeZone, as for an item saved
	// with a time zone definition of its own: "tzone://Microsoft/Custom"
	// (resources/event.md; OGCS issue #2148) or "Customized Time Zone"
	// (MicrosoftDocs/azure-docs #39454). The series still expands in
	// TimeZone and recurrence.range.recurrenceTimeZone keeps its Windows name.
	ReportZoneAs string
	IsAllDay     bool
	// Recurrence makes a series; an empty range.startDate is the start's
	// date and an empty range.type is noEnd.
	Recurrence *PatternedRecurrence
	Attendees  []string // email addresses
	Categories []string
	// Sensitivity is normal (""), personal, private or confidential.
	Sensitivity string
	// Reminder, when set, is the reminder; Graph's default (15 minutes before) otherwise.
	Reminder *Reminder
}

// Reminder is an item's isReminderOn and reminderMinutesBeforeStart.
type Reminder struct {
	On      bool
	Minutes int
}

// Change is what an Outlook user changes in an event; nil fields stay.
type Change struct {
	Subject     *string
	Body        *string
	Location    *string
	Sensitivity *string
	Start       *time.Time
	End         *time.Time
	// IsAllDay makes the event all-day (Start and End then at midnight in its zone) or timed.
	IsAllDay   *bool
	Categories *[]string
	// IsReminderOn and ReminderMinutes are the reminder ("Remind me" in Outlook).
	IsReminderOn    *bool
	ReminderMinutes *int
}

// specPatch turns what an Outlook user typed into an event body.
func (s *Server) specPatch(spec EventSpec) (eventPatch, error) {
	zone, loc, err := s.zones.outlookZone(spec.TimeZone)
	if err != nil {
		return eventPatch{}, err
	}
	p := eventPatch{
		subject:  &spec.Subject,
		body:     &ItemBody{ContentType: "text", Content: spec.Body},
		location: &Location{DisplayName: spec.Location},
		start:    &DateTimeTimeZone{DateTime: spec.Start.In(loc).Format(wallLayout), TimeZone: zone},
		end:      &DateTimeTimeZone{DateTime: spec.End.In(loc).Format(wallLayout), TimeZone: zone},
		isAllDay: &spec.IsAllDay,
	}
	if spec.Sensitivity != "" {
		p.sensitivity = &spec.Sensitivity
	}
	if spec.Categories != nil {
		p.categories = &spec.Categories
	}
	if spec.Reminder != nil {
		p.isReminderOn, p.reminderMinutes = &spec.Reminder.On, &spec.Reminder.Minutes
	}
	if len(spec.Attendees) > 0 {
		var list []Attendee
		for _, a := range spec.Attendees {
			list = append(list, Attendee{Type: "required", EmailAddress: EmailAddress{Address: a, Name: displayNameFromEmail(a)}})
		}
		p.attendees = &list
	}
	if spec.Recurrence != nil {
		r := *spec.Recurrence
		if r.Range.StartDate == "" {
			r.Range.StartDate = spec.Start.In(loc).Format(dateLayout)
		}
		if r.Range.Type == "" {
			r.Range.Type = "noEnd"
		}
		if r.Pattern.Interval == 0 {
			r.Pattern.Interval = 1
		}
		p.recurrenceSet, p.recurrence = true, &r
	}
	return p, nil
}

func (s *Server) changePatch(ev *event, c Change) eventPatch {
	var p eventPatch
	p.subject = c.Subject
	if c.Body != nil {
		p.body = &ItemBody{ContentType: "text", Content: *c.Body}
	}
	if c.Location != nil {
		p.location = &Location{DisplayName: *c.Location}
	}
	p.sensitivity, p.isAllDay = c.Sensitivity, c.IsAllDay
	p.categories, p.isReminderOn, p.reminderMinutes = c.Categories, c.IsReminderOn, c.ReminderMinutes
	loc := ev.seriesLoc(s.zones)
	if c.Start != nil {
		p.start = &DateTimeTimeZone{DateTime: c.Start.In(loc).Format(wallLayout), TimeZone: s.zones.requestName(ev.startZone)}
	}
	if c.End != nil {
		p.end = &DateTimeTimeZone{DateTime: c.End.In(loc).Format(wallLayout), TimeZone: s.zones.requestName(ev.endZone)}
	}
	return p
}

// CreateEvent creates a single event or a series in a mailbox, as the
// organizer; attendees with mailboxes get invitations.
func (s *Server) CreateEvent(email string, spec EventSpec) (Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return Event{}, err
	}
	p, err := s.specPatch(spec)
	if err != nil {
		return Event{}, err
	}
	ev, _, err := s.createEventLocked(mb, p)
	if err != nil {
		return Event{}, err
	}
	ev.reportZoneAs = spec.ReportZoneAs
	return s.snapshot(seriesItem(ev)), nil
}

// ReportZoneAs makes Graph report a single event's or series' zone under name from now on
// (see EventSpec.ReportZoneAs; "" reports its Windows name again), as when another client
// saves the item with a time zone definition of its own: the item changes.
func (s *Server) ReportZoneAs(email, id, name string) (Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return Event{}, err
	}
	t, err := s.findLocked(mb, id)
	if err != nil {
		return Event{}, err
	}
	if t.isInstance {
		return Event{}, fmt.Errorf("fake outlook: %s is an occurrence; the zone belongs to its series", id)
	}
	t.ev.reportZoneAs = name
	s.touchLocked(mb, t.ev)
	return s.snapshot(seriesItem(t.ev)), nil
}

// UpdateEvent changes a single event, a whole series ("the entire series"),
// or, given an occurrence id, that occurrence.
func (s *Server) UpdateEvent(email, id string, c Change) (Event, error) {
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
	t, err = s.updateLocked(mb.itemStore(id), id, s.changePatch(t.ev, c), "")
	if err != nil {
		return Event{}, err
	}
	return s.targetSnapshot(t), nil
}

func (s *Server) targetSnapshot(t target) Event {
	if t.isInstance {
		return s.snapshot(instanceItem(t.ev.occurrence(t.originalStart)))
	}
	return s.snapshot(seriesItem(t.ev))
}

// UpdateOccurrence changes one occurrence of a series ("just this one"); it
// becomes an exception.
func (s *Server) UpdateOccurrence(email, masterID string, originalStart time.Time, c Change) (Event, error) {
	return s.UpdateEvent(email, occurrenceID(masterID, originalStart.UTC()), c)
}

// DeleteOccurrence deletes one occurrence of a series.
func (s *Server) DeleteOccurrence(email, masterID string, originalStart time.Time) error {
	return s.DeleteEvent(email, occurrenceID(masterID, originalStart.UTC()))
}

// DeleteEvent deletes a single event, a series or (by its id) an occurrence.
// An organizer's delete sends cancellations.
func (s *Server) DeleteEvent(email, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return err
	}
	return s.deleteLocked(mb.itemStore(id), id)
}

// ChangePattern gives a series a new recurrence. As in Outlook, a new
// pattern drops every exception and deleted occurrence; a range change
// alone drops those past the new end.
func (s *Server) ChangePattern(email, masterID string, rec PatternedRecurrence) (Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return Event{}, err
	}
	t, err := s.findLocked(mb, masterID)
	if err != nil {
		return Event{}, err
	}
	if rec.Range.StartDate == "" {
		rec.Range.StartDate = t.ev.start.In(t.ev.seriesLoc(s.zones)).Format(dateLayout)
	}
	t, err = s.updateLocked(mb, masterID, eventPatch{recurrenceSet: true, recurrence: &rec}, "")
	if err != nil {
		return Event{}, err
	}
	return s.targetSnapshot(t), nil
}

// SplitSeries is Outlook's "this and all following" at the occurrence with
// the given original start: the series is cut to end at the occurrence
// before it, and a new series with the same pattern, the change applied and
// a new iCalUId starts there. Nothing links the two, as in Outlook. It
// returns the new series' master.
func (s *Server) SplitSeries(email, masterID string, originalStart time.Time, c Change) (Event, error) {
	finish, err := s.BeginSplitSeries(email, masterID, originalStart, c)
	if err != nil {
		return Event{}, err
	}
	return finish()
}

// BeginSplitSeries makes the first of the two changes Outlook writes for "this and all
// following": the series' range is shortened; the returned function makes the second, the
// new series. Between the two a client may sync, and see only the first.
func (s *Server) BeginSplitSeries(email, masterID string, originalStart time.Time, c Change) (func() (Event, error), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return nil, err
	}
	t, err := s.findLocked(mb, masterID)
	if err != nil {
		return nil, err
	}
	old := t.ev
	if old.rec == nil || !old.isOrganizer {
		return nil, fmt.Errorf("fake outlook: %s is not a series the user organizes", masterID)
	}
	from := originalStart.UTC()
	starts := old.originalStarts(s.zones, from.Add(time.Second))
	if len(starts) == 0 || !starts[len(starts)-1].Equal(from) {
		return nil, fmt.Errorf("fake outlook: the series has no occurrence at %s", from.Format(time.RFC3339))
	}
	if len(starts) == 1 {
		return nil, fmt.Errorf("fake outlook: splitting at the first occurrence is an edit of the whole series")
	}
	loc := old.seriesLoc(s.zones)
	before := len(starts) - 1
	oldRange := old.rec.wire(s.zones.windows(old.startZone))

	// The new series: the old one's content and pattern from the split on.
	end := from.Add(old.end.Sub(old.start))
	if old.isAllDay {
		// As many days as the series' events, midnight to midnight in its zone, whatever a
		// change of daylight saving time between them makes of the hours.
		a, b := old.start.In(loc), old.end.In(loc)
		days := int(time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC).Sub(time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
		f := from.In(loc)
		end = time.Date(f.Year(), f.Month(), f.Day()+days, 0, 0, 0, 0, loc)
	}
	spec := EventSpec{Subject: old.subject, Body: htmlToText(old.body), Location: old.location.DisplayName,
		Start: from, End: end, TimeZone: old.startZone, IsAllDay: old.isAllDay,
		Categories: slices.Clone(old.categories), Sensitivity: old.sensitivity,
		Reminder: &Reminder{On: old.isReminderOn, Minutes: old.reminderMinutes}} // Outlook's split keeps them
	for _, a := range old.attendees {
		spec.Attendees = append(spec.Attendees, a.EmailAddress.Address)
	}
	rec := oldRange
	rec.Range.StartDate = ""
	if rec.Range.Type == "numbered" {
		rec.Range.NumberOfOccurrences -= before
	}
	spec.Recurrence = &rec
	p, err := s.specPatch(spec)
	if err != nil {
		return nil, err
	}
	change := s.changePatch(old, c)
	p.subject = firstSet(change.subject, p.subject)
	p.body = firstSetBody(change.body, p.body)
	if change.location != nil {
		p.location = change.location
	}
	if change.start != nil {
		p.start = change.start
		p.recurrence.Range.StartDate = c.Start.In(loc).Format(dateLayout)
	}
	if change.end != nil {
		p.end = change.end
	}
	if change.isAllDay != nil {
		p.isAllDay = change.isAllDay
	}

	// Cut the old series at the occurrence before the split.
	cut := oldRange
	cut.Range.Type = "endDate"
	cut.Range.EndDate = starts[before-1].In(loc).Format(dateLayout)
	cut.Range.NumberOfOccurrences = 0
	if _, err := s.updateLocked(mb, masterID, eventPatch{recurrenceSet: true, recurrence: &cut}, ""); err != nil {
		return nil, err
	}
	return func() (Event, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		ev, _, err := s.createEventLocked(mb, p)
		if err != nil {
			return Event{}, err
		}
		return s.snapshot(seriesItem(ev)), nil
	}, nil
}

func firstSet(a, b *string) *string {
	if a != nil {
		return a
	}
	return b
}

func firstSetBody(a, b *ItemBody) *ItemBody {
	if a != nil {
		return a
	}
	return b
}

// Respond answers a meeting as an attendee: accept, tentativelyAccept or
// decline (or the response names accepted, tentativelyAccepted, declined).
func (s *Server) Respond(email, id, answer string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(email)
	if err != nil {
		return err
	}
	resp, ok := respondAnswer(answer)
	if !ok {
		switch answer {
		case "accepted", "tentativelyAccepted", "declined":
			resp = answer
		default:
			return fmt.Errorf("fake outlook: unknown answer %q", answer)
		}
	}
	return s.respondLocked(mb, id, resp, actionBody{sendResponse: true})
}
