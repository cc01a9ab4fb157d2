package synce2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"intracal/app/outlook"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// pushWorld is a world whose connection is watched by change notifications: one or more
// app instances (a scheduler, its Push and the web app's notification endpoint each) on one
// database, behind one address that hands the requests to the instances in turn, as a load
// balancer does.
type pushWorld struct {
	*world
	instances []*instance
	site      *httptest.Server
	turn      atomic.Int64
	cycles    atomic.Int64 // cycles run, on every instance
}

type instance struct {
	sched    *outlooksync.Scheduler
	push     *outlooksync.Push
	handler  http.Handler
	received atomic.Int64 // notification POSTs this instance answered
}

// pushTargets is the one connection of the world, counting its cycles.
type pushTargets struct{ w *pushWorld }

func (p pushTargets) Connected(context.Context) ([]int64, error) {
	return []int64{p.w.user.UserID}, nil
}

func (p pushTargets) Graph(context.Context, int64) (outlooksync.Graph, error) { return p.w.graph, nil }

func (p pushTargets) Record(context.Context, int64, time.Time, error) error {
	p.w.cycles.Add(1)
	return nil
}

type pushOptions struct {
	instances      int
	fake           fakeoutlook.Options
	now            func() time.Time // the store's clock; nil: time.Now
	interval       time.Duration    // the schedule's; zero: 30 minutes, so that only notifications explain a change
	pushedInterval time.Duration
	coalesce       time.Duration
	run            bool // run the schedulers (the polling), not only the notified cycles
}

func newPushWorld(t testing.TB, db *gorm.DB, o pushOptions) *pushWorld {
	t.Helper()
	w := &pushWorld{}
	w.site = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		in := w.instances[int(w.turn.Add(1)-1)%len(w.instances)]
		if r.URL.Query().Get("validationToken") == "" {
			in.received.Add(1)
		}
		in.handler.ServeHTTP(rw, r)
	}))
	t.Cleanup(w.site.Close)
	if o.fake.NotificationWindow == 0 {
		o.fake.NotificationWindow = 20 * time.Millisecond
	}
	w.world = newWorldWith(t, db, o.fake)
	if o.now != nil {
		w.store = w.store.WithClock(o.now)
	}
	if o.interval == 0 {
		o.interval = 30 * time.Minute
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for i := range max(o.instances, 1) {
		holder := string(rune('A' + i))
		engine := outlooksync.NewEngine(w.cal, w.store, log)
		sched := &outlooksync.Scheduler{Engine: engine, Conns: pushTargets{w}, Calendars: w.cal, Log: log,
			Interval: o.interval, PushedInterval: o.pushedInterval, Holder: holder, Workers: 2, Coalesce: o.coalesce}
		push := &outlooksync.Push{Store: w.store, Kinds: map[string]outlooksync.Watched{outlooksync.WatchConnection: sched.Watched()},
			NotificationURL: w.site.URL + outlook.NotificationPath, LifecycleURL: w.site.URL + outlook.LifecyclePath,
			Holder: holder, Log: log}
		n := outlook.NewNotifications(push, log)
		e := echo.New()
		e.POST(outlook.NotificationPath, n.Receive)
		e.POST(outlook.LifecyclePath, n.Receive)
		in := &instance{sched: sched, push: push, handler: e}
		w.instances = append(w.instances, in)
		if o.run {
			go func() { _ = sched.Run(ctx) }()
		} else {
			sched.BindContext(ctx)
		}
	}
	return w
}

// maintain runs a pass of subscription upkeep on the first instance.
func (w *pushWorld) maintain() {
	w.t.Helper()
	if err := w.instances[0].push.Maintain(context.Background()); err != nil {
		w.t.Fatalf("maintain subscriptions: %v", err)
	}
}

// eventually waits (polling, up to 20 s) until cond holds, and fails the test otherwise.
// It waits for work running in the background; it times nothing.
func (w *pushWorld) eventually(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			w.t.Fatalf("still not so after 20 s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle waits until the notifications sent are answered and no cycle runs or waits.
func (w *pushWorld) settle() {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := w.fake.WaitNotifications(ctx); err != nil {
		w.t.Fatalf("notifications pending: %v", err)
	}
	w.eventually("the cycles end", func() bool {
		for _, in := range w.instances {
			if in.sched.Progress(w.user.UserID) >= 0 || in.sched.Pending(w.user.UserID) {
				return false
			}
		}
		return true
	})
}

// hasLocal reports whether My Calendar shows an instance with the title.
func (w *pushWorld) hasLocal(title string) bool {
	for _, l := range w.local() {
		if strings.Contains(l, " "+title) {
			return true
		}
	}
	return false
}

// createInOutlook makes a single event in the mailbox, as its owner does in Outlook.
func (w *pushWorld) createInOutlook(title string, day int) {
	w.t.Helper()
	start := w.at(day, 10, 0)
	if _, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: title, Start: start, End: start.Add(time.Hour), TimeZone: "Europe/Berlin"}); err != nil {
		w.t.Fatalf("%v", err)
	}
}

// post sends a notification body to the site as anyone could.
func (w *pushWorld) post(path, body string) int {
	w.t.Helper()
	res, err := http.Post(w.site.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	res.Body.Close()
	return res.StatusCode
}
