package outlook

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
	"intracal/outlooksync"
)

// Sync runs the Outlook sync for the web app: the scheduler (a background job of the
// server), its store (links, cursors, history), the last outcome per user for the sync page,
// and the Prometheus metrics at /metrics.
type Sync struct {
	store    *outlooksync.Store
	sched    *outlooksync.Scheduler
	push     *outlooksync.Push
	notify   *Notifications
	registry *prometheus.Registry
	now      func() time.Time

	mu   sync.Mutex
	last map[int64]syncOutcome
}

// syncOutcome is what the last cycle of a user did.
type syncOutcome struct {
	At     time.Time
	Result outlooksync.Result
	Err    string
}

// SyncConfig is how the sync runs: its interval (zero: five minutes), the backstop's while
// change notifications arrive, whether they are asked for, and what it logs to.
type SyncConfig struct {
	Interval       time.Duration
	PushedInterval time.Duration
	Push           bool
	Log            *slog.Logger
	Now            func() time.Time
}

// NewSync builds the sync of o's connections between the calendar store cal and Outlook,
// with its store st and people from the directory. The scheduler is built only once o has
// the Graph adapter that main passes in; without it, as in the web app's own tests, there is
// nothing to sync with and "Sync now" says so. With it, "Sync now" runs a cycle of the
// scheduler and o's requests to Microsoft are counted in the metrics.
func NewSync(o *Outlook, cal *calendar.Store, st *outlooksync.Store, people *accounts.Directory, cfg SyncConfig) *Sync {
	reg := prometheus.NewRegistry()
	metrics := outlooksync.NewMetrics(reg)
	s := &Sync{store: st, registry: reg, now: cfg.Now, last: map[int64]syncOutcome{}}
	if o.newGraph == nil {
		return s
	}
	host, _ := os.Hostname()
	engine := outlooksync.NewEngine(cal, st, cfg.Log.With("component", "outlook sync"))
	engine.People = people
	s.sched = &outlooksync.Scheduler{
		Engine: engine, Conns: o.Targets(), Calendars: cal, Log: engine.Log, Metrics: metrics,
		Interval: cfg.Interval, Holder: fmt.Sprintf("%s-%d", host, os.Getpid()), Workers: 4,
	}
	if s.sched.Interval <= 0 {
		s.sched.Interval = 5 * time.Minute
	}
	s.sched.PushedInterval = cfg.PushedInterval
	site := strings.TrimRight(o.siteURL.String(), "/")
	s.push = &outlooksync.Push{
		Store: st, Kinds: map[string]outlooksync.Watched{outlooksync.WatchConnection: s.sched.Watched()},
		NotificationURL: site + NotificationPath, LifecycleURL: site + LifecyclePath,
		Off:    pushMode(cfg.Push, o.siteURL, o.graphURL),
		Holder: s.sched.Holder, Log: engine.Log.With("part", "push"), Metrics: metrics,
	}
	s.notify = NewNotifications(s.push, s.push.Log)
	o.unsubscribe = func(ctx context.Context, userID int64) error {
		return s.push.Unsubscribe(ctx, outlooksync.WatchConnection, userID)
	}
	o.connected = s.push.Kick
	o.http = &http.Client{Transport: metrics.Transport(o.http.Transport), Timeout: o.http.Timeout}
	o.SetSyncNow(s.syncNow)
	return s
}

// Push is the change notification side of the sync, nil without a scheduler.
func (s *Sync) Push() *outlooksync.Push { return s.push }

// Notifications is the endpoint Graph posts to, nil without a scheduler.
func (s *Sync) Notifications() *Notifications { return s.notify }

// RunPush keeps the subscriptions until ctx is cancelled: background work of the server.
func (s *Sync) RunPush(ctx context.Context) error { return s.push.Run(ctx) }

// Scheduled reports whether there is a scheduler to run (the program has the Graph adapter).
func (s *Sync) Scheduled() bool { return s.sched != nil }

// Run runs the scheduler until ctx is cancelled: background work of the server.
func (s *Sync) Run(ctx context.Context) error { return s.sched.Run(ctx) }

// syncNow runs one cycle for the user at once and remembers its outcome.
func (s *Sync) syncNow(ctx context.Context, userID int64) error {
	res, err := s.sched.SyncNow(ctx, userID)
	out := syncOutcome{At: s.now(), Result: res}
	if err != nil {
		out.Err = err.Error()
	}
	s.mu.Lock()
	s.last[userID] = out
	s.mu.Unlock()
	return err
}

// syncStatusJSON is GET /api/v1/outlook/sync: the running cycle's progress, the last
// outcome seen by this instance, and the latest history lines.
type syncStatusJSON struct {
	Running      bool              `json:"running"`
	ItemsRead    int               `json:"itemsRead"`
	LastCycleAt  *time.Time        `json:"lastCycleAt"`
	LastSummary  string            `json:"lastSummary"`
	LastError    string            `json:"lastError,omitempty"`
	FromOutlook  int               `json:"fromOutlook"`
	ToOutlook    int               `json:"toOutlook"`
	Conflicts    int               `json:"conflicts"`
	FailedWrites int               `json:"failedWrites"`
	History      []syncHistoryJSON `json:"history"`
}

type syncHistoryJSON struct {
	At        time.Time `json:"at"`
	EventID   int64     `json:"eventId,omitempty"`
	Direction string    `json:"direction"`
	Summary   string    `json:"summary"`
	Detail    string    `json:"detail,omitempty"`
}

func (s *Sync) status(ctx context.Context, userID int64) (syncStatusJSON, error) {
	out := syncStatusJSON{History: []syncHistoryJSON{}}
	if s.sched != nil {
		if n := s.sched.Progress(userID); n >= 0 {
			out.Running, out.ItemsRead = true, n
		}
	}
	cur, err := s.store.Cursor(ctx, userID)
	if err != nil {
		return out, err
	}
	out.LastCycleAt, out.LastSummary = cur.LastCycleAt, cur.LastSummary
	s.mu.Lock()
	if last, ok := s.last[userID]; ok {
		out.LastError = last.Err
		out.FromOutlook, out.ToOutlook = last.Result.Pulled, last.Result.Pushed
		out.Conflicts, out.FailedWrites = last.Result.Conflicts, last.Result.Failed
	}
	s.mu.Unlock()
	hist, err := s.store.History(ctx, userID, 100)
	if err != nil {
		return out, err
	}
	for _, h := range hist {
		out.History = append(out.History, syncHistoryJSON{At: h.At, EventID: h.EventID, Direction: h.Direction, Summary: h.Summary, Detail: h.Detail})
	}
	return out, nil
}

// SyncStatus is GET /api/v1/outlook/sync.
func (h *API) SyncStatus(c echo.Context) error {
	out, err := h.sync.status(c.Request().Context(), accounts.CurrentViewer(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// syncPage is the data of sync.html: the user's sync status and history.
type syncPage struct {
	view.Page
	Status syncStatusJSON
	Zone   *time.Location
}

// When renders an instant in the viewer's zone.
func (p syncPage) When(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(p.Zone).Format("Monday 2 January 2006, 15:04 MST")
}

// At renders a history line's time in the viewer's zone, short.
func (p syncPage) At(t time.Time) string { return t.In(p.Zone).Format("Mon 2 Jan 15:04") }

// ZoneName names the viewer's zone for the history's heading: its IANA name and
// abbreviation now.
func (p syncPage) ZoneName() string {
	return p.Zone.String() + " (" + time.Now().In(p.Zone).Format("MST") + ")"
}

// instantInText is an RFC 3339 instant inside a history line's details (the original start
// of an occurrence, as the sync records it).
var instantInText = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`)

// Detail renders a history line's details with each instant in the viewer's zone.
func (p syncPage) Detail(s string) string {
	return instantInText.ReplaceAllStringFunc(s, func(v string) string {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return v
		}
		return t.In(p.Zone).Format("Mon 2 Jan 2006 15:04 MST")
	})
}

// SyncPage is GET /outlook/sync.
func (h *Pages) SyncPage(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	st, err := h.sync.status(c.Request().Context(), v.UserID)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(v.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return h.pages.Render(c, http.StatusOK, "sync.html", syncPage{Page: h.view.PageWithFlash(c, "Outlook sync"), Status: st, Zone: loc})
}

// MetricsPath is where the Prometheus metrics are served.
const MetricsPath = "/metrics"

// Metrics serves the Prometheus metrics: aggregate counters only, nothing about a person.
// With a token (CALENDAR_METRICS_TOKEN) it asks for that bearer token, so that an
// administrator can keep even those to the monitoring system.
func (s *Sync) Metrics(token string) echo.HandlerFunc {
	serve := echo.WrapHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	return func(c echo.Context) error {
		if token != "" {
			sent, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
				return c.String(http.StatusUnauthorized, "The metrics need the token set in CALENDAR_METRICS_TOKEN.\n")
			}
		}
		return serve(c)
	}
}
