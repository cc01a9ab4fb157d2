package app

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/outlooksync"
)

// syncFeature runs the Outlook sync for the web app: the scheduler (a background job of the
// server), its store (links, cursors, history), the last outcome per user for the sync page,
// and the Prometheus metrics at /metrics.
type syncFeature struct {
	store    *outlooksync.Store
	sched    *outlooksync.Scheduler
	registry *prometheus.Registry

	mu   sync.Mutex
	last map[int64]syncOutcome
}

// syncOutcome is what the last cycle of a user did.
type syncOutcome struct {
	At     time.Time
	Result outlooksync.Result
	Err    string
}

// setupSync builds the scheduler once the options are in (it needs the Graph adapter that
// main passes with WithGraph); without the adapter, as in the web app's own tests, there is
// nothing to sync with and "Sync now" says so.
func (a *App) setupSync() {
	reg := prometheus.NewRegistry()
	metrics := outlooksync.NewMetrics(reg)
	st := outlooksync.NewStore(a.db)
	a.sync = &syncFeature{store: st, registry: reg, last: map[int64]syncOutcome{}}
	if a.outlook.newGraph == nil {
		return
	}
	host, _ := os.Hostname()
	engine := outlooksync.NewEngine(a.store, st, a.log.With("component", "outlook sync"))
	engine.People = a.people
	a.sync.sched = &outlooksync.Scheduler{
		Engine: engine, Conns: a.OutlookTargets(), Calendars: a.store, Log: engine.Log, Metrics: metrics,
		Interval: a.cfg.SyncInterval, Holder: fmt.Sprintf("%s-%d", host, os.Getpid()), Workers: 4,
	}
	if a.sync.sched.Interval <= 0 {
		a.sync.sched.Interval = 5 * time.Minute
	}
	a.outlook.http = &http.Client{Transport: metrics.Transport(a.outlook.http.Transport), Timeout: a.outlook.http.Timeout}
	a.Background("outlook sync", a.sync.sched.Run)
	a.SetSyncNow(a.syncNow)
}

// syncNow runs one cycle for the user at once and remembers its outcome.
func (a *App) syncNow(ctx context.Context, userID int64) error {
	res, err := a.sync.sched.SyncNow(ctx, userID)
	out := syncOutcome{At: a.now(), Result: res}
	if err != nil {
		out.Err = err.Error()
	}
	a.sync.mu.Lock()
	a.sync.last[userID] = out
	a.sync.mu.Unlock()
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

func (a *App) syncStatus(ctx context.Context, userID int64) (syncStatusJSON, error) {
	out := syncStatusJSON{History: []syncHistoryJSON{}}
	if a.sync.sched != nil {
		if n := a.sync.sched.Progress(userID); n >= 0 {
			out.Running, out.ItemsRead = true, n
		}
	}
	cur, err := a.sync.store.Cursor(ctx, userID)
	if err != nil {
		return out, err
	}
	out.LastCycleAt, out.LastSummary = cur.LastCycleAt, cur.LastSummary
	a.sync.mu.Lock()
	if last, ok := a.sync.last[userID]; ok {
		out.LastError = last.Err
		out.FromOutlook, out.ToOutlook = last.Result.Pulled, last.Result.Pushed
		out.Conflicts, out.FailedWrites = last.Result.Conflicts, last.Result.Failed
	}
	a.sync.mu.Unlock()
	hist, err := a.sync.store.History(ctx, userID, 100)
	if err != nil {
		return out, err
	}
	for _, h := range hist {
		out.History = append(out.History, syncHistoryJSON{At: h.At, EventID: h.EventID, Direction: h.Direction, Summary: h.Summary, Detail: h.Detail})
	}
	return out, nil
}

func (a *App) syncStatusAPI(c echo.Context) error {
	out, err := a.syncStatus(c.Request().Context(), accounts.CurrentViewer(c).UserID)
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

func (a *App) showSyncPage(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	st, err := a.syncStatus(c.Request().Context(), v.UserID)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(v.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return a.pages.Render(c, http.StatusOK, "sync.html", syncPage{Page: a.pageWithFlash(c, "Outlook sync"), Status: st, Zone: loc})
}

// metricsPath is where the Prometheus metrics are served.
const metricsPath = "/metrics"

// metrics serves the Prometheus metrics: aggregate counters only, nothing about a person.
// With CALENDAR_METRICS_TOKEN set it asks for that bearer token, so that an administrator
// can keep even those to the monitoring system.
func (a *App) metrics() echo.HandlerFunc {
	serve := echo.WrapHandler(promhttp.HandlerFor(a.sync.registry, promhttp.HandlerOpts{}))
	token := a.cfg.MetricsToken
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
