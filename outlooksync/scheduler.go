package outlooksync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Targets is what the scheduler needs of the connected mailboxes.
type Targets interface {
	// Connected lists the users whose Outlook connection may be synced now.
	Connected(ctx context.Context) ([]int64, error)
	// Graph returns a Graph client for the user's mailbox.
	Graph(ctx context.Context, userID int64) (Graph, error)
	// Record stores the outcome of a cycle for the connection's status.
	Record(ctx context.Context, userID int64, at time.Time, cycleErr error) error
}

// Calendars gives the My Calendar of a user, where imported events go.
type Calendars interface {
	MyCalendar(ctx context.Context, userID int64) (int64, error)
}

// Scheduler syncs every connection every Interval (jittered) and on demand. A lease row in
// the database lets one app instance at a time sync a connection, so several instances can
// share one database; a throttled mailbox backs off on its own and never delays the others.
type Scheduler struct {
	Engine    *Engine
	Conns     Targets
	Calendars Calendars
	Log       *slog.Logger
	Metrics   *Metrics
	Interval  time.Duration
	Holder    string // this instance's name in the lease table
	Workers   int    // connections synced at once
	// PushedInterval, when longer than Interval, is how often the schedule polls a
	// connection whose calendar has a live subscription (the backstop).
	PushedInterval time.Duration
	// Coalesce is how long a notification waits for the rest of its burst before its cycle
	// (zero: DefaultCoalesce).
	Coalesce time.Duration

	mu       sync.Mutex
	base     context.Context // Run's, for the cycles notifications start
	kicks    map[int64]bool  // connections with a cycle on its way after a notification
	notified chan struct{}   // bounds the cycles notifications run at once
	pending  map[int64]int   // notified cycles on their way or running, by connection
	backoff  map[int64]time.Time
	failures map[int64]int
	progress map[int64]int
}

// leaseTTL bounds a crashed instance's hold on a connection.
const leaseTTL = 10 * time.Minute

// ErrBusy means another cycle of the connection is running (here or on another instance).
var ErrBusy = errors.New("outlook sync: a cycle of this connection is already running")

// Run syncs until ctx is done.
func (s *Scheduler) Run(ctx context.Context) error {
	s.BindContext(ctx)
	for {
		s.tick(ctx)
		wait := s.Interval/2 + rand.N(s.Interval) // jitter spreads the instances' cycles
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// tick runs one round over every connection, a few at a time.
func (s *Scheduler) tick(ctx context.Context) {
	users, err := s.Conns.Connected(ctx)
	if err != nil {
		s.Log.Error("list outlook connections", "err", err)
		return
	}
	workers := max(s.Workers, 1)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, uid := range users {
		if !s.due(uid) {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(uid int64) {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := s.sync(ctx, uid, false); err != nil && !errors.Is(err, ErrBusy) {
				s.Log.Warn("outlook sync cycle failed", "user", uid, "err", err)
			}
		}(uid)
	}
	wg.Wait()
}

// due reports whether the connection's backoff has passed.
func (s *Scheduler) due(uid int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !time.Now().Before(s.backoff[uid])
}

// Progress returns how many Outlook items the running cycle of a user has read so far, or -1.
func (s *Scheduler) Progress(uid int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.progress[uid]; ok {
		return n
	}
	return -1
}

// SyncNow runs one cycle for the user's connection now ("Sync now") and returns what it did;
// ErrBusy when a cycle of the connection is running already.
func (s *Scheduler) SyncNow(ctx context.Context, uid int64) (Result, error) {
	return s.sync(ctx, uid, true)
}

func (s *Scheduler) sync(ctx context.Context, uid int64, force bool) (Result, error) {
	mode := LeaseScheduled
	if force {
		mode = LeaseNow
	}
	return s.syncAs(ctx, uid, mode)
}

// syncAs runs cycles of the connection under its lease, taken as mode allows: one, and
// another as long as notifications arrived during the last.
func (s *Scheduler) syncAs(ctx context.Context, uid int64, mode LeaseMode) (Result, error) {
	ok, covered, err := s.Engine.Store.TakeLease(ctx, uid, s.Holder, leaseTTL, mode)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, ErrBusy
	}
	held := true
	defer func() {
		if !held {
			return
		}
		if err := s.Engine.Store.ReleaseLease(context.WithoutCancel(ctx), uid, s.Holder, s.rest(ctx, uid)); err != nil {
			s.Log.Warn("release sync lease", "user", uid, "err", err)
		}
	}()
	for {
		res, err := s.cycle(ctx, uid)
		if err != nil {
			return res, err
		}
		again, wanted, err := s.Engine.Store.EndLease(context.WithoutCancel(ctx), uid, s.Holder, s.rest(ctx, uid), covered)
		if err != nil {
			return res, err
		}
		if !again {
			held = false
			return res, nil
		}
		covered = wanted
		s.Metrics.notifiedAgain()
	}
}

// cycle runs one cycle of a connection whose lease is held.
func (s *Scheduler) cycle(ctx context.Context, uid int64) (Result, error) {
	g, err := s.Conns.Graph(ctx, uid)
	if err != nil {
		s.after(ctx, uid, err)
		return Result{}, err
	}
	cal, err := s.Calendars.MyCalendar(ctx, uid)
	if err != nil {
		return Result{}, err
	}
	s.setProgress(uid, 0)
	defer s.clearProgress(uid)
	start := time.Now()
	res, err := s.Engine.Cycle(ctx, Job{UserID: uid, CalendarID: cal, Graph: g, Progress: func(n int) { s.setProgress(uid, n) }})
	s.Metrics.cycle(res, err, time.Since(start))
	s.after(ctx, uid, err)
	if err != nil {
		return res, fmt.Errorf("sync user %d: %w", uid, err)
	}
	return res, nil
}

// rest is how long the schedule leaves a connection alone after a cycle: half the interval,
// or, while its calendar has a live subscription (notifications bring its changes; the
// schedule is the backstop), so long that the next round after it, at most 1.5 intervals
// later, comes within PushedInterval of the cycle: a lost notification's change arrives
// within PushedInterval.
func (s *Scheduler) rest(ctx context.Context, uid int64) time.Duration {
	if s.PushedInterval > 2*s.Interval {
		if ok, err := s.Engine.Store.Pushed(ctx, WatchConnection, uid); err == nil && ok {
			return s.PushedInterval - s.Interval*3/2
		}
	}
	return s.Interval / 2
}

// Notify is a change notification for the user's connection: it is counted in the database,
// and after Coalesce (so that a burst is one cycle) a cycle runs here unless one on any
// instance has begun since.
func (s *Scheduler) Notify(ctx context.Context, uid int64) error {
	if err := s.Engine.Store.Want(ctx, uid); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kicks == nil {
		s.kicks = map[int64]bool{}
	}
	if s.kicks[uid] {
		return nil // a cycle is on its way
	}
	s.kicks[uid] = true
	if s.pending == nil {
		s.pending = map[int64]int{}
	}
	s.pending[uid]++
	base := s.base
	if base == nil {
		base = context.Background()
	}
	if s.notified == nil {
		s.notified = make(chan struct{}, 2*max(s.Workers, 1))
	}
	slots := s.notified
	time.AfterFunc(s.coalesce(), func() {
		s.mu.Lock()
		delete(s.kicks, uid)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			if s.pending[uid]--; s.pending[uid] <= 0 {
				delete(s.pending, uid)
			}
			s.mu.Unlock()
		}()
		if base.Err() != nil || !s.due(uid) {
			return // stopping, or backing off: the schedule covers it
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		case <-base.Done():
			return
		}
		if _, err := s.syncAs(base, uid, LeaseWanted); err != nil && !errors.Is(err, ErrBusy) {
			s.Log.Warn("outlook sync cycle after a notification failed", "user", uid, "err", err)
		}
	})
	return nil
}

// Pending reports whether a cycle that a notification asked for is on its way or running.
func (s *Scheduler) Pending(uid int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending[uid] > 0
}

// BindContext gives the cycles that notifications start their context, for a scheduler
// that receives notifications without running its schedule (Run binds its own).
func (s *Scheduler) BindContext(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.base = ctx
}

func (s *Scheduler) coalesce() time.Duration {
	if s.Coalesce > 0 {
		return s.Coalesce
	}
	return DefaultCoalesce
}

// DefaultCoalesce is how long a notification waits for the others of its burst.
const DefaultCoalesce = 300 * time.Millisecond

// after records a cycle's outcome and sets the connection's backoff.
func (s *Scheduler) after(ctx context.Context, uid int64, err error) {
	s.mu.Lock()
	if s.backoff == nil {
		s.backoff, s.failures = map[int64]time.Time{}, map[int64]int{}
	}
	var th *ThrottledError
	switch {
	case err == nil:
		delete(s.backoff, uid)
		delete(s.failures, uid)
	case errors.As(err, &th):
		s.backoff[uid] = time.Now().Add(max(th.RetryAfter, time.Second))
	default:
		s.failures[uid]++
		wait := min(time.Duration(1<<min(s.failures[uid], 6))*30*time.Second, time.Hour)
		s.backoff[uid] = time.Now().Add(wait)
	}
	s.mu.Unlock()
	if rerr := s.Conns.Record(context.WithoutCancel(ctx), uid, time.Now(), err); rerr != nil {
		s.Log.Warn("record sync outcome", "user", uid, "err", rerr)
	}
}

func (s *Scheduler) setProgress(uid int64, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.progress == nil {
		s.progress = map[int64]int{}
	}
	s.progress[uid] = n
}

func (s *Scheduler) clearProgress(uid int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.progress, uid)
}
