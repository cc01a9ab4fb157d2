package synce2e

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/graph"
	"intracal/outlooksync/publish"
)

// publishWorld is the meeting world (alice organizes and syncs My Calendar, bob syncs his,
// carol never connected) with a public space all three are members of, published into their
// Outlook by the app signed in as itself.
type publishWorld struct {
	*meetingWorld
	space     calendar.Space
	pub       *publish.Publisher
	pubStore  *publish.Store
	connected map[int64]bool
	left      map[int64]bool // members who left the space
	tokens    *publish.AppTokens
}

// appTokens is the app's own token source, shared by the mailboxes.
func (w *publishWorld) appTokens() *publish.AppTokens { return w.tokens }

func newPublishWorld(t testing.TB, db *gorm.DB, consent bool) *publishWorld {
	t.Helper()
	ctx := context.Background()
	m := newMeetingWorld(t, db, fakeoutlook.Options{})
	if consent {
		if err := m.fake.GrantAdminConsent(fakeoutlook.DemoTenantID, fakeoutlook.DemoClientID, "Calendars.ReadWrite"); err != nil {
			t.Fatal(err)
		}
	}
	sp, err := m.cal.CreateSpace(ctx, m.user, calendar.SpaceInput{Name: "Team", Visibility: calendar.SpacePublic})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []calendar.Viewer{m.bob.user, m.carol.user} {
		if err := m.cal.JoinSpace(ctx, v, sp.ID); err != nil {
			t.Fatal(err)
		}
	}
	w := &publishWorld{meetingWorld: m, space: sp, pubStore: publish.NewStore(db),
		connected: map[int64]bool{m.user.UserID: true, m.bob.user.UserID: true}, left: map[int64]bool{}}
	cc := &clientcredentials.Config{ClientID: fakeoutlook.DemoClientID, ClientSecret: fakeoutlook.DemoClientSecret,
		TokenURL: m.srv.URL + "/" + fakeoutlook.DemoTenantID + "/oauth2/v2.0/token", Scopes: []string{"https://graph.microsoft.com/.default"}}
	hctx := context.WithValue(context.Background(), oauth2.HTTPClient, m.srv.Client())
	tokens := publish.NewAppTokens(hctx, cc)
	w.tokens = tokens
	mailboxes := func(_ context.Context, address string) (publish.Mailbox, error) {
		return graph.NewForUser(m.srv.URL, tokens, m.srv.Client(), graph.Options{MaxRetryWait: 10 * time.Second}, address)
	}
	w.pub = publish.NewPublisher(w.pubStore, m.cal, mailboxes, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.pub.Addresses = m.people.Emails
	w.pub.Connected = func(context.Context) ([]int64, error) {
		var ids []int64
		for id, on := range w.connected {
			if on {
				ids = append(ids, id)
			}
		}
		return ids, nil
	}
	if err := w.pubStore.SetPublished(ctx, sp.ID, m.user.UserID, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	return w
}

// cycle runs a publication cycle; failures are the test's to look at (Targets).
func (w *publishWorld) cycle() publish.CycleResult {
	w.t.Helper()
	res, err := w.pub.Cycle(context.Background())
	if err != nil {
		w.t.Fatalf("publication cycle: %v", err)
	}
	return res
}

// due makes every target due, as "Publish now" does.
func (w *publishWorld) due() {
	w.t.Helper()
	if err := w.pubStore.RunNow(context.Background(), w.space.ID, time.Now()); err != nil {
		w.t.Fatalf("%v", err)
	}
}

// spaceEvent creates an event in the space, organized by the viewer.
func (w *publishWorld) spaceEvent(by calendar.Viewer, in calendar.EventInput) *calendar.Event {
	w.t.Helper()
	if in.TimeZone == "" {
		in.TimeZone = "Europe/Berlin"
	}
	e, err := calendar.NewEvent(w.space.CalendarID, by.UserID, in)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	if err := w.cal.Create(context.Background(), e); err != nil {
		w.t.Fatalf("%v", err)
	}
	return e
}

// spaceCalendar is the id of the calendar named after the space in a mailbox, "" if none.
func (w *publishWorld) spaceCalendar(email string) string {
	w.t.Helper()
	cals, err := w.fake.Calendars(email)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	for _, c := range cals {
		if !c.IsDefault && strings.EqualFold(c.Name, w.space.Name) {
			return c.ID
		}
	}
	return ""
}

// copies lists what a member's space calendar in Outlook shows in the span, as line does.
func (w *publishWorld) copies(email string) []string {
	w.t.Helper()
	id := w.spaceCalendar(email)
	if id == "" {
		return nil
	}
	from, to := w.span()
	evs, err := w.fake.CalendarViewIn(email, id, from, to)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return w.lines(evs)
}

// inner reports whether an instance's start (an all-day one's at UTC midnight of its date)
// lies a day and a half inside the span: at its edges Outlook places an all-day event at
// midnight in its zone and the calendar lists it by its date, so one may list an instance
// the other leaves out, and the comparisons leave the edges out.
func (w *publishWorld) inner(start time.Time) bool {
	from, to := w.span()
	return !start.Before(from.Add(36*time.Hour)) && start.Before(to.Add(-36*time.Hour))
}

// lines renders Outlook instances in the inner span as line does, an all-day one at UTC
// midnight of its date in its zone, as the calendar lists them.
func (w *publishWorld) lines(evs []fakeoutlook.Event) []string {
	var out []string
	for _, e := range evs {
		if e.IsCancelled {
			continue
		}
		start := e.Start
		if loc, err := time.LoadLocation(e.TimeZone); e.IsAllDay && err == nil {
			d := e.Start.In(loc)
			start = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		}
		if w.inner(start) {
			out = append(out, line(start, e.Subject, e.Location))
		}
	}
	sort.Strings(out)
	return out
}

// mainCalendar lists what a mailbox's default calendar shows in the span.
func (w *publishWorld) mainCalendar(email string) []string {
	w.t.Helper()
	from, to := w.span()
	evs, err := w.fake.CalendarView(email, from, to)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return w.lines(evs)
}

// expected is what a member's space calendar should show: the space's instances they may
// see, less those their Outlook shows as a meeting (the organizer syncs My Calendar, and they
// organize it or are invited to it), and less a private event they see only in part.
func (w *publishWorld) expected(v calendar.Viewer) []string {
	w.t.Helper()
	from, to := w.span()
	occ, _, err := w.cal.Occurrences(context.Background(), v, calendar.Query{From: from, To: to, CalendarID: w.space.CalendarID})
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	events := map[int64]*calendar.Event{}
	var out []string
	for _, o := range occ {
		e := events[o.EventID]
		if e == nil {
			e = w.event(o.EventID)
			events[o.EventID] = e
		}
		if e.InstanceOnly(v) || (w.connected[e.OrganizerID] && meets(e, v.UserID, o.OriginalStart)) {
			continue
		}
		if w.inner(o.Start) {
			out = append(out, line(o.Start, o.Title, o.Location))
		}
	}
	sort.Strings(out)
	return out
}

// meets reports whether the user has the instance as a meeting: they organize the event or
// are invited to the whole series or to this occurrence.
func meets(e *calendar.Event, userID int64, orig time.Time) bool {
	if e.OrganizerID == userID {
		return true
	}
	for _, inv := range e.Invitations {
		if inv.UserID == userID && (inv.Instance == nil || inv.Instance.Equal(orig)) {
			return true
		}
	}
	return false
}

// samePublished fails unless every member's space calendar shows what it should.
func (w *publishWorld) samePublished() {
	w.t.Helper()
	for _, mb := range []*member{{user: w.user, email: mailbox}, w.bob, w.carol} {
		if w.left[mb.user.UserID] {
			continue
		}
		want, got := w.expected(mb.user), w.copies(mb.email)
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			w.t.Fatalf("%s's space calendar differs from the space.\nwant (%d):\n  %s\ngot (%d):\n  %s",
				mb.email, len(want), strings.Join(want, "\n  "), len(got), strings.Join(got, "\n  "))
		}
	}
}

// requestsSince counts the fake's requests (a $batch once) per mailbox from index n of the
// log on.
func (w *publishWorld) requestsSince(n int) map[string]int {
	out := map[string]int{}
	for _, r := range w.fake.Requests()[n:] {
		if !r.InBatch {
			out[r.Mailbox]++
		}
	}
	return out
}

// target is a member's publish target.
func (w *publishWorld) target(userID int64) (publish.Target, bool) {
	w.t.Helper()
	ts, err := w.pubStore.Targets(context.Background(), w.space.ID)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	for _, t := range ts {
		if t.UserID == userID {
			return t, true
		}
	}
	return publish.Target{}, false
}

// findIn is the series master or single event of that subject in one calendar of a mailbox.
func (w *publishWorld) findIn(email, calendarID, subject string) fakeoutlook.Event {
	w.t.Helper()
	evs, err := w.fake.EventsIn(email, calendarID)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	for _, e := range evs {
		if e.Subject == subject {
			return e
		}
	}
	w.t.Fatalf("%s has no %q in calendar %s", email, subject, calendarID)
	return fakeoutlook.Event{}
}
