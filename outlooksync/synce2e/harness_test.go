package synce2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/graph"
)

const mailbox = "alice@example.com"

// reporter is what the harness needs of a test: *testing.T or *rapid.T.
type reporter interface {
	Helper()
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

// world is one user with My Calendar and a connected Outlook mailbox in the fake.
type world struct {
	t      reporter
	fake   *fakeoutlook.Server
	srv    *httptest.Server
	cal    *calendar.Store
	store  *outlooksync.Store
	engine *outlooksync.Engine
	graph  *graph.Client
	user   calendar.Viewer
	calID  int64
	zone   *time.Location
	// monday is next week's Monday, midnight in zone: scenarios are placed relative to it so
	// they always fall inside the sync window.
	monday time.Time
}

func newWorld(t testing.TB, db *gorm.DB) *world {
	t.Helper()
	return newWorldWith(t, db, fakeoutlook.Options{})
}

// newWorldWith is newWorld with a fake Outlook configured by opts (quirks, clock).
func newWorldWith(t testing.TB, db *gorm.DB, opts fakeoutlook.Options) *world {
	t.Helper()
	ctx := context.Background()
	fake := fakeoutlook.New(opts)
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	if _, err := fake.AddMailbox(mailbox, "Alice"); err != nil {
		t.Fatal(err)
	}
	g := connect(t, srv, mailbox)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cal := calendar.NewStore(db)
	w := &world{t: t, fake: fake, srv: srv, cal: cal, store: outlooksync.NewStore(db), graph: g, user: calendar.Viewer{UserID: 1}}
	w.engine = outlooksync.NewEngine(cal, w.store, log)
	var err error
	if w.calID, err = cal.MyCalendar(ctx, w.user.UserID); err != nil {
		t.Fatal(err)
	}
	w.zone, _ = time.LoadLocation("Europe/Berlin")
	now := time.Now().In(w.zone)
	// Next week's Monday: the sync window starts two days before today, so a scenario placed
	// from there on lies inside it whatever the weekday today.
	w.monday = time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7+7, 0, 0, 0, 0, w.zone)
	return w
}

// connect signs a mailbox in (the fake's password grant) and returns a Graph client for it.
func connect(t testing.TB, srv *httptest.Server, email string) *graph.Client {
	t.Helper()
	conf := &oauth2.Config{ClientID: fakeoutlook.DemoClientID, ClientSecret: fakeoutlook.DemoClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/organizations/oauth2/v2.0/token", AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   []string{"offline_access", "Calendars.ReadWrite", "User.Read"}}
	hctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	tok, err := conf.PasswordCredentialsToken(hctx, email, "any")
	if err != nil {
		t.Fatalf("token for %s: %v", email, err)
	}
	g, err := graph.New(srv.URL, conf.TokenSource(hctx, tok), srv.Client(), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// at is a wall time days after this week's Monday.
func (w *world) at(days, hour, minute int) time.Time {
	m := w.monday
	return time.Date(m.Year(), m.Month(), m.Day()+days, hour, minute, 0, 0, w.zone)
}

func wall(t time.Time) string { return t.Format("2006-01-02T15:04:05") }

// sync runs one cycle and fails the test on error.
func (w *world) sync() outlooksync.Result {
	w.t.Helper()
	res, err := w.engine.Cycle(context.Background(), outlooksync.Job{UserID: w.user.UserID, CalendarID: w.calID, Graph: w.graph})
	if err != nil {
		w.t.Fatalf("sync: %v", err)
	}
	return res
}

// create makes a local event in My Calendar.
func (w *world) create(in calendar.EventInput) *calendar.Event {
	w.t.Helper()
	if in.TimeZone == "" {
		in.TimeZone = "Europe/Berlin"
	}
	e, err := calendar.NewEvent(w.calID, w.user.UserID, in)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	if err := w.cal.Create(context.Background(), e); err != nil {
		w.t.Fatalf("%v", err)
	}
	return e
}

// span is the part of the window the comparisons look at: this week and the next eight.
func (w *world) span() (time.Time, time.Time) { return w.monday, w.monday.AddDate(0, 0, 63) }

// local lists My Calendar's instances in the span as "start title @location".
func (w *world) local() []string {
	w.t.Helper()
	from, to := w.span()
	occ, _, err := w.cal.Occurrences(context.Background(), w.user, calendar.Query{From: from, To: to})
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	var out []string
	for _, o := range occ {
		out = append(out, line(o.Start, o.Title, o.Location))
	}
	sort.Strings(out)
	return out
}

// outlook lists the mailbox's calendar view in the span the same way.
func (w *world) outlook() []string {
	w.t.Helper()
	from, to := w.span()
	evs, err := w.fake.CalendarView(mailbox, from, to)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	var out []string
	for _, e := range evs {
		if e.IsCancelled {
			continue
		}
		out = append(out, line(e.Start, e.Subject, e.Location))
	}
	sort.Strings(out)
	return out
}

func line(start time.Time, title, location string) string {
	s := start.UTC().Format("01-02T15:04Z") + " " + title
	if location != "" {
		s += " @" + location
	}
	return s
}

// same fails unless My Calendar and Outlook show the same instances.
func (w *world) same() {
	w.t.Helper()
	l, o := w.local(), w.outlook()
	if strings.Join(l, "\n") != strings.Join(o, "\n") {
		w.t.Fatalf("My Calendar and Outlook differ.\nMy Calendar (%d):\n  %s\nOutlook (%d):\n  %s", len(l), strings.Join(l, "\n  "), len(o), strings.Join(o, "\n  "))
	}
}

// masters counts the series masters and singles in the mailbox.
func (w *world) masters() int {
	w.t.Helper()
	evs, err := w.fake.Events(mailbox)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return len(evs)
}

// events counts My Calendar's live events.
func (w *world) events() int {
	w.t.Helper()
	from, to := w.span()
	evs, err := w.cal.OrganizedEvents(context.Background(), w.user.UserID, nil, from.AddDate(0, 0, -30), to.AddDate(1, 0, 0))
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return len(evs)
}
