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
