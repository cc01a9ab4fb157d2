package synce2e

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/graph"
)

// The people of the meeting scenarios: alice (the world's user, user 1) organizes; bob (2)
// has connected his mailbox; carol (3) has a mailbox but never connected it; dave (4) is a
// site user with no mailbox in the fake.
const (
	bobMail   = "bob@example.com"
	carolMail = "carol@example.com"
	daveMail  = "dave@example.com"
)

// directory is the site's users by address.
type directory map[string]int64

func (d directory) UserIDs(_ context.Context, emails []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, m := range emails {
		if id, ok := d[m]; ok {
			out[m] = id
		}
	}
	return out, nil
}

func (d directory) Emails(_ context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for m, id := range d {
		for _, want := range ids {
			if id == want {
				out[id] = m
			}
		}
	}
	return out, nil
}

// member is a site user other than the organizer, with their own sync engine when their
// mailbox is connected.
type member struct {
	user   calendar.Viewer
	email  string
	calID  int64
	graph  *graph.Client
	engine *outlooksync.Engine
}

// meetingWorld is the organizer's world with a connected and an unconnected invitee.
type meetingWorld struct {
	*world
	bob, carol *member
	people     directory
}

func newMeetingWorld(t testing.TB, db *gorm.DB, opts fakeoutlook.Options) *meetingWorld {
	t.Helper()
	w := newWorldWith(t, db, opts)
	people := directory{mailbox: 1, bobMail: 2, carolMail: 3, daveMail: 4}
	w.engine.People = people
	m := &meetingWorld{world: w, people: people}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, p := range []struct {
		email, name string
		id          int64
		connected   bool
		into        **member
	}{{bobMail, "Bob", 2, true, &m.bob}, {carolMail, "Carol", 3, false, &m.carol}} {
		if _, err := w.fake.AddMailbox(p.email, p.name); err != nil {
			t.Fatal(err)
		}
		mb := &member{user: calendar.Viewer{UserID: p.id}, email: p.email}
		var err error
		if mb.calID, err = w.cal.MyCalendar(context.Background(), p.id); err != nil {
			t.Fatal(err)
		}
		if p.connected {
			mb.graph = connect(t, w.srv, p.email)
			mb.engine = outlooksync.NewEngine(w.cal, w.store, log)
			mb.engine.People = people
		}
		*p.into = mb
	}
	return m
}

// syncAs runs one cycle of a member's connection.
func (m *meetingWorld) syncAs(mb *member) outlooksync.Result {
	m.t.Helper()
	res, err := mb.engine.Cycle(context.Background(), outlooksync.Job{UserID: mb.user.UserID, CalendarID: mb.calID, Graph: mb.graph})
	if err != nil {
		m.t.Fatalf("sync of %s: %v", mb.email, err)
	}
	return res
}

// syncAll syncs the organizer, then the connected invitee.
func (m *meetingWorld) syncAll() {
	m.t.Helper()
	m.sync()
	m.syncAs(m.bob)
}

// invite invites users to every instance of an event, or to one.
func (m *meetingWorld) invite(e *calendar.Event, scope calendar.Scope, instance time.Time, ids ...int64) *calendar.Event {
	m.t.Helper()
	got, err := m.cal.Invite(context.Background(), m.user, e.ID, ids, scope, instance)
	if err != nil {
		m.t.Fatalf("invite: %v", err)
	}
	full, err := m.cal.GetFull(context.Background(), got.ID)
	if err != nil {
		m.t.Fatalf("%v", err)
	}
	return full
}

// answer records a member's answer in My Calendar.
func (m *meetingWorld) answer(mb *member, e *calendar.Event, scope calendar.Scope, instance time.Time, a calendar.Response) {
	m.t.Helper()
	if _, err := m.cal.SetRSVP(context.Background(), mb.user, e.ID, scope, instance, a); err != nil {
		m.t.Fatalf("answer of %s: %v", mb.email, err)
	}
}

// event reloads an event whole.
func (m *meetingWorld) event(id int64) *calendar.Event {
	m.t.Helper()
	e, err := m.cal.GetFull(context.Background(), id)
	if err != nil {
		m.t.Fatalf("%v", err)
	}
	return e
}

// copyOf is a mailbox's copy of a meeting, found by subject.
func (m *meetingWorld) copyOf(email, subject string) fakeoutlook.Event {
	m.t.Helper()
	ev, err := m.fake.FindEvent(email, subject)
	if err != nil {
		m.t.Fatalf("%s has no %q: %v", email, subject, err)
	}
	return ev
}

// messages is what a mailbox received.
func (m *meetingWorld) messages(email string) fakeoutlook.MessageCounts {
	m.t.Helper()
	c, err := m.fake.MessagesReceived(email)
	if err != nil {
		m.t.Fatalf("%v", err)
	}
	return c
}

// seenBy lists a member's instances in the span as "start title", with their answer.
func (m *meetingWorld) seenBy(v calendar.Viewer) []string {
	m.t.Helper()
	from, to := m.span()
	occ, _, err := m.cal.Occurrences(context.Background(), v, calendar.Query{From: from, To: to})
	if err != nil {
		m.t.Fatalf("%v", err)
	}
	var out []string
	for _, o := range occ {
		out = append(out, line(o.Start, o.Title, "")+" "+string(o.RSVP))
	}
	sort.Strings(out)
	return out
}

// organizedBy counts the live events a user organizes.
func (m *meetingWorld) organizedBy(userID int64) int {
	m.t.Helper()
	from, to := m.span()
	evs, err := m.cal.OrganizedEvents(context.Background(), userID, nil, from.AddDate(0, 0, -30), to.AddDate(1, 0, 0))
	if err != nil {
		m.t.Fatalf("%v", err)
	}
	return len(evs)
}

// responseOf is the answer an attendee has on the organizer's Outlook item.
func responseOf(ev fakeoutlook.Event, email string) string {
	for _, a := range ev.Attendees {
		if a.EmailAddress.Address == email {
			return a.Status.Response
		}
	}
	return "(not an attendee)"
}
