package outlooksync_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
)

// quietGraph is a mailbox with nothing in it that counts the cycles run against it.
type quietGraph struct{ deltas *atomic.Int64 }

func (g quietGraph) Me(context.Context) (outlooksync.Account, error) {
	return outlooksync.Account{}, nil
}
func (g quietGraph) Delta(context.Context, string, outlooksync.Window, func(int)) (outlooksync.DeltaResult, error) {
	g.deltas.Add(1)
	return outlooksync.DeltaResult{DeltaLink: "delta-1", Pages: 1}, nil
}
func (g quietGraph) Event(context.Context, string) (outlooksync.RemoteEvent, error) {
	return outlooksync.RemoteEvent{}, outlooksync.ErrRemoteNotFound
}
func (g quietGraph) Instances(context.Context, string, outlooksync.Window) ([]outlooksync.RemoteEvent, error) {
	return nil, nil
}
func (g quietGraph) ReadSeries(ctx context.Context, ids []string, w outlooksync.Window) (map[string]*outlooksync.RemoteSeries, error) {
	return outlooksync.ReadEach(ctx, g, ids, w)
}
func (g quietGraph) Apply(_ context.Context, ops []outlooksync.Op) []outlooksync.OpResult {
	return make([]outlooksync.OpResult, len(ops))
}

type fakeConns struct {
	users  []int64
	mu     sync.Mutex
	cycles map[int64]int
}

func (c *fakeConns) Connected(context.Context) ([]int64, error) { return c.users, nil }
func (c *fakeConns) Graph(_ context.Context, uid int64) (outlooksync.Graph, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cycles[uid]++
	return quietGraph{deltas: &atomic.Int64{}}, nil
}
func (c *fakeConns) Record(context.Context, int64, time.Time, error) error { return nil }

func TestThreeInstancesSyncEachConnectionOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		conns := &fakeConns{users: []int64{1, 2, 3, 4, 5, 6}, cycles: map[int64]int{}}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		cal := calendar.NewStore(db)
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			s := &outlooksync.Scheduler{Engine: outlooksync.NewEngine(cal, outlooksync.NewStore(db), log), Conns: conns,
				Calendars: cal, Log: log, Interval: time.Hour, Holder: []string{"a", "b", "c"}[i], Workers: 2}
			wg.Add(1)
			go func() {
				defer wg.Done()
				outlooksync.Tick(s, context.Background())
			}()
		}
		wg.Wait()
		for _, uid := range conns.users {
			if n := conns.cycles[uid]; n != 1 {
				t.Errorf("user %d synced %d times by three instances, want once", uid, n)
			}
		}
		// "Sync now" still runs at once on any instance.
		s := &outlooksync.Scheduler{Engine: outlooksync.NewEngine(cal, outlooksync.NewStore(db), log), Conns: conns,
			Calendars: cal, Log: log, Interval: time.Hour, Holder: "d"}
		if _, err := s.SyncNow(context.Background(), 1); err != nil {
			t.Fatalf("sync now after the round: %v", err)
		}
	})
}

// stuckGraph is a mailbox whose reads wait for release, then answer throttled.
type stuckGraph struct {
	quietGraph
	release chan struct{}
}

func (g stuckGraph) Delta(ctx context.Context, _ string, _ outlooksync.Window, _ func(int)) (outlooksync.DeltaResult, error) {
	select {
	case <-g.release:
	case <-ctx.Done():
	}
	return outlooksync.DeltaResult{}, &outlooksync.ThrottledError{RetryAfter: time.Hour, Status: 429}
}

type mixedConns struct {
	fakeConns
	slow    int64
	release chan struct{}
	others  sync.WaitGroup
}

func (c *mixedConns) Graph(ctx context.Context, uid int64) (outlooksync.Graph, error) {
	if uid == c.slow {
		return stuckGraph{quietGraph: quietGraph{deltas: &atomic.Int64{}}, release: c.release}, nil
	}
	defer c.others.Done()
	return c.fakeConns.Graph(ctx, uid)
}

func TestThrottledMailboxDelaysNoOther(t *testing.T) {
	db := dbtest.SQLite(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cal := calendar.NewStore(db)
	conns := &mixedConns{fakeConns: fakeConns{users: []int64{1, 2, 3}, cycles: map[int64]int{}}, slow: 1, release: make(chan struct{})}
	conns.others.Add(2)
	s := &outlooksync.Scheduler{Engine: outlooksync.NewEngine(cal, outlooksync.NewStore(db), log), Conns: conns,
		Calendars: cal, Log: log, Interval: time.Hour, Holder: "a", Workers: 2}
	done := make(chan struct{})
	go func() { outlooksync.Tick(s, context.Background()); close(done) }()
	// The other mailboxes are synced while the first one hangs.
	conns.others.Wait()
	close(conns.release)
	<-done
	if conns.cycles[2] != 1 || conns.cycles[3] != 1 {
		t.Fatalf("cycles %v: the other mailboxes waited for the throttled one", conns.cycles)
	}
	if outlooksync.Due(s, 1) {
		t.Fatal("the throttled mailbox is due again at once, Retry-After ignored")
	}
	if !outlooksync.Due(s, 2) {
		t.Fatal("a mailbox that synced fine is backing off")
	}
}
