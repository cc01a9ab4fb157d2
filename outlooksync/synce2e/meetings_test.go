package synce2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// weeklyMeeting creates alice's weekly Tuesday meeting with bob and carol invited, and syncs
// everyone once.
func weeklyMeeting(m *meetingWorld) *calendar.Event {
	m.t.Helper()
	e := m.create(calendar.EventInput{Title: "Planning", Location: "Room 1", Start: wall(m.at(1, 10, 0)), End: wall(m.at(1, 11, 0)), RRule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6"})
	e = m.invite(e, calendar.ScopeAll, time.Time{}, 2, 3)
	m.syncAll()
	return e
}

func TestMeetingInviteesBecomeAttendeesAndTheInviteeSeesItOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		org := m.copyOf(mailbox, "Planning")
		if responseOf(org, bobMail) != "none" || responseOf(org, carolMail) != "none" {
			t.Fatalf("organizer's Outlook attendees: %+v", org.Attendees)
		}
		for _, who := range []string{bobMail, carolMail} {
			cp := m.copyOf(who, "Planning")
			if cp.IsOrganizer || cp.ICalUID != org.ICalUID {
				t.Fatalf("%s's copy: organizer %v, iCalUId %q (organizer's %q)", who, cp.IsOrganizer, cp.ICalUID, org.ICalUID)
			}
			if got := m.messages(who); got.Invitations != 1 || got.Updates != 0 {
				t.Fatalf("%s received %+v, want one invitation", who, got)
			}
		}
		// Bob's connected mailbox brought nothing new into My Calendar: he sees alice's
		// event, six instances, once.
		if n := m.organizedBy(2); n != 0 {
			t.Fatalf("bob's sync imported %d events of his own", n)
		}
		if got := m.seenBy(m.bob.user); len(got) != 6 {
			t.Fatalf("bob sees %d instances, want 6:\n%s", len(got), strings.Join(got, "\n"))
		}
		// Syncing again, on both sides, sends nobody anything.
		before := []fakeoutlook.MessageCounts{m.messages(bobMail), m.messages(carolMail)}
		for range 2 {
			m.syncAll()
		}
		if after := []fakeoutlook.MessageCounts{m.messages(bobMail), m.messages(carolMail)}; after[0] != before[0] || after[1] != before[1] {
			t.Fatalf("re-syncing sent messages: before %+v, after %+v", before, after)
		}
		if got := m.event(e.ID); len(got.Invitations) != 2 {
			t.Fatalf("invitations after sync: %+v", got.Invitations)
		}
	})
}

func TestOutlookAttendeesWhoAreSiteUsersBecomeInvitees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		start := m.at(2, 14, 0)
		if _, err := m.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Vendor call", Start: start, End: start.Add(time.Hour),
			TimeZone: "Europe/Berlin", Attendees: []string{"BOB@example.com", carolMail, "guest@partner.example"}}); err != nil {
			t.Fatal(err)
		}
		m.sync()
		evs, err := m.cal.OrganizedEvents(context.Background(), 1, nil, start.AddDate(0, 0, -1), start.AddDate(0, 0, 1))
		if err != nil || len(evs) != 1 {
			t.Fatalf("imported %d events (%v)", len(evs), err)
		}
		e := evs[0]
		if got := invitees(e); got != "2,3" {
			t.Fatalf("invitees after import: %s, want bob and carol (2,3)", got)
		}
		// Uninviting carol here removes her in Outlook and keeps the guest.
		e.Uninvite(3, calendar.ScopeAll, time.Time{})
		if err := m.cal.Replace(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		m.sync()
		org := m.copyOf(mailbox, "Vendor call")
		if responseOf(org, carolMail) != "(not an attendee)" || responseOf(org, "guest@partner.example") == "(not an attendee)" ||
			responseOf(org, "bob@example.com") == "(not an attendee)" && responseOf(org, "BOB@example.com") == "(not an attendee)" {
			t.Fatalf("organizer's attendees after uninviting carol: %+v", org.Attendees)
		}
		if got := m.messages(carolMail); got.Cancellations != 1 {
			t.Fatalf("carol received %+v, want a cancellation", got)
		}
		// Adding dave in Outlook invites him here.
		// (Outlook's own client does what the Graph adapter does here.)
		res := m.graph.Apply(context.Background(), []outlooksync.Op{{Kind: outlooksync.OpUpdate, ID: org.ID, Write: &outlooksync.EventWrite{
			Fields: []string{"attendees"}, Attendees: []outlooksync.Attendee{{Email: bobMail, Type: "required"}, {Email: "guest@partner.example", Type: "required"}, {Email: daveMail, Type: "optional"}}}}})
		if res[0].Err != nil {
			t.Fatal(res[0].Err)
		}
		m.sync()
		if got := invitees(m.event(e.ID)); got != "2,4" {
			t.Fatalf("invitees after dave was added in Outlook: %s, want 2,4", got)
		}
		before := m.messages(bobMail)
		m.sync()
		m.sync()
		if got := m.messages(bobMail); got != before {
			t.Fatalf("re-syncing sent bob %+v (before %+v)", got, before)
		}
	})
}

func invitees(e *calendar.Event) string {
	var ids []string
	for _, in := range e.Invitations {
		if in.Instance == nil {
			ids = append(ids, string(rune('0'+in.UserID)))
		}
	}
	return strings.Join(ids, ",")
}
