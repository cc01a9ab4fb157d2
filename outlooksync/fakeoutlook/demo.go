package fakeoutlook

import (
	"fmt"
	"time"
)

// Demo content: a few Outlook series with changed and deleted occurrences,
// and meetings between the first two demo users, placed around today, so
// that a first sync visibly brings them into My Calendar.

// SeedDemo adds the demo content to the given mailboxes (created if
// needed): each gets its own series and a single event, and the first
// organizes two meetings with the second (and any others) as attendees. A
// mailbox is seeded once, and organizes the demo meetings once: a mailbox loaded
// from a state file (LoadState) keeps what it has.
func (s *Server) SeedDemo(emails ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var boxes []*mailbox
	for _, e := range emails {
		m, err := s.ensureMailboxLocked(s.opts.DefaultTenantID, e, "")
		if err != nil {
			return err
		}
		boxes = append(boxes, m)
	}
	for _, m := range boxes {
		if err := s.seedMailboxLocked(m); err != nil {
			return err
		}
	}
	if len(boxes) >= 2 && !boxes[0].seededMeetings {
		boxes[0].seededMeetings = true
		return s.seedMeetingsLocked(boxes[0], boxes[1:])
	}
	return nil
}

// demoClock gives wall times around today in the demo zone.
type demoClock struct {
	loc    *time.Location
	zone   string
	today  time.Time // midnight
	monday time.Time // this week's Monday
}

func (s *Server) demoClock() demoClock {
	loc, zone, err := s.zones.resolve(s.opts.DemoTimeZone)
	if err != nil {
		loc, zone = time.UTC, "UTC"
	}
	now := s.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	return demoClock{loc: loc, zone: zone, today: today, monday: monday}
}

// at is the wall time h:m on the day that is days after base.
func (c demoClock) at(base time.Time, days, h, m int) time.Time {
	d := base.AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, c.loc)
}

func weekly(days ...string) *PatternedRecurrence {
	return &PatternedRecurrence{Pattern: RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: days}}
}

// seedMailboxLocked gives one mailbox its own demo series.
func (s *Server) seedMailboxLocked(m *mailbox) error {
	if m.seeded {
		return nil
	}
	m.seeded = true
	c := s.demoClock()
	create := func(spec EventSpec) (*event, error) {
		spec.TimeZone = c.zone
		p, err := s.specPatch(spec)
		if err != nil {
			return nil, err
		}
		ev, _, err := s.createEventLocked(m, p)
		if err != nil {
			return nil, fmt.Errorf("seed %q: %w", spec.Subject, err)
		}
		return ev, nil
	}
	change := func(ev *event, orig time.Time, ch Change) error {
		_, err := s.updateLocked(m, occurrenceID(ev.id, orig.UTC()), s.changePatch(ev, ch), "")
		return err
	}
	str := func(v string) *string { return &v }

	sync, err := create(EventSpec{Subject: "Weekly team sync", Location: "Room 1",
		Body:  "Status round, one topic each.",
		Start: c.at(c.monday, -14, 10, 0), End: c.at(c.monday, -14, 10, 30), Recurrence: weekly("monday")})
	if err != nil {
		return err
	}
	moved := c.at(c.monday, 7, 11, 0)
	if err := change(sync, c.at(c.monday, 7, 10, 0), Change{Subject: str("Weekly team sync (moved to 11:00)"),
		Start: &moved, End: ptr(moved.Add(30 * time.Minute))}); err != nil {
		return err
	}
	if err := s.deleteLocked(m, occurrenceID(sync.id, c.at(c.monday, 14, 10, 0).UTC())); err != nil {
		return err
	}

	standup, err := create(EventSpec{Subject: "Stand-up", Start: c.at(c.monday, 0, 9, 15), End: c.at(c.monday, 0, 9, 30),
		Recurrence: &PatternedRecurrence{
			Pattern: RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{"monday", "tuesday", "wednesday", "thursday", "friday"}},
			Range:   RecurrenceRange{Type: "numbered", NumberOfOccurrences: 40}}})
	if err != nil {
		return err
	}
	if err := change(standup, c.at(c.monday, 2, 9, 15), Change{Location: str("Room 4 (projector)")}); err != nil {
		return err
	}
	if err := s.deleteLocked(m, occurrenceID(standup.id, c.at(c.monday, 3, 9, 15).UTC())); err != nil {
		return err
	}

	// Day 31 falls on the last day of shorter months, as in Outlook.
	last := time.Date(c.today.Year(), c.today.Month()+1, 0, 0, 0, 0, 0, c.loc)
	if _, err := create(EventSpec{Subject: "Monthly report", Start: c.at(last, 0, 14, 0), End: c.at(last, 0, 15, 0),
		Recurrence: &PatternedRecurrence{
			Pattern: RecurrencePattern{Type: "absoluteMonthly", Interval: 1, DayOfMonth: 31},
			Range:   RecurrenceRange{Type: "endDate", EndDate: last.AddDate(1, 0, 0).Format(dateLayout)}}}); err != nil {
		return err
	}
	_, err = create(EventSpec{Subject: "Dentist", Location: "Dr. Molar, High Street 3",
		Start: c.at(c.today, 1, 16, 0), End: c.at(c.today, 1, 17, 0)})
	return err
}

// seedMeetingsLocked has the organizer invite the others to a single
// meeting and to a fortnightly series with one moved occurrence.
func (s *Server) seedMeetingsLocked(org *mailbox, others []*mailbox) error {
	c := s.demoClock()
	var attendees []string
	for _, m := range others {
		attendees = append(attendees, m.email)
	}
	for _, spec := range []EventSpec{
		{Subject: "Project kickoff", Location: "Big meeting room", Body: "Goals, roles and the first milestone.",
			Start: c.at(c.today, 2, 13, 0), End: c.at(c.today, 2, 14, 0), Attendees: attendees},
		{Subject: "Fortnightly 1:1", Start: c.at(c.monday, 3, 15, 0), End: c.at(c.monday, 3, 15, 30), Attendees: attendees,
			Recurrence: &PatternedRecurrence{Pattern: RecurrencePattern{Type: "weekly", Interval: 2, DaysOfWeek: []string{"thursday"}}}},
	} {
		spec.TimeZone = c.zone
		p, err := s.specPatch(spec)
		if err != nil {
			return err
		}
		ev, _, err := s.createEventLocked(org, p)
		if err != nil {
			return fmt.Errorf("seed %q: %w", spec.Subject, err)
		}
		if ev.rec != nil {
			moved := c.at(c.monday, 18, 16, 0)
			if _, err := s.updateLocked(org, occurrenceID(ev.id, c.at(c.monday, 17, 15, 0).UTC()),
				s.changePatch(ev, Change{Start: &moved, End: ptr(moved.Add(30 * time.Minute))}), ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
