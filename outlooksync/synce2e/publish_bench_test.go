package synce2e

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/graph"
	"intracal/outlooksync/publish"
)

// countingTransport counts the HTTP requests each mailbox's client sends (a $batch once).
type countingTransport struct {
	next http.RoundTripper
	mu   *sync.Mutex
	n    map[string]int
	box  string
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[c.box]++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

// BenchmarkPublishSpaceTo500Members publishes a space of 200 events (20 weekly series with
// 40 exceptions, 180 singles) to 500 members, 498 of whom never connected My Calendar, and
// reports the requests per member mailbox and the wall time of the first publication, of
// the cycle after one changed event, and of an idle cycle (every target due); in the changed
// cycle one mailbox is throttled for 30 minutes, and the other 499 are still written.
// Run: go test -run '^$' -bench PublishSpaceTo500 -benchtime 1x ./outlooksync/synce2e
func BenchmarkPublishSpaceTo500Members(b *testing.B) {
	for range b.N {
		benchPublish(b)
	}
}

func benchPublish(b *testing.B) {
	ctx := context.Background()
	w := newPublishWorld(b, dbtest.SQLite(b), true)
	const members = 500
	var ids []int64
	for i := 4; i <= members; i++ { // alice, bob and carol are 1..3
		email := fmt.Sprintf("member%03d@example.com", i)
		id := int64(100 + i)
		w.people[email] = id
		if _, err := w.fake.AddMailbox(email, fmt.Sprintf("Member %d", i)); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := w.cal.AddSpaceMembers(ctx, w.user, w.space.ID, ids, calendar.RoleMember); err != nil {
		b.Fatal(err)
	}
	for s := range 20 {
		e := w.spaceEvent(w.user, calendar.EventInput{Title: fmt.Sprintf("Series %d", s), Location: "Room",
			Start: wall(w.at(s%5, 8+s/5, 0)), End: wall(w.at(s%5, 8+s/5, 45)), RRule: "FREQ=WEEKLY;COUNT=10"})
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeInstance, w.at(7+s%5, 8+s/5, 0).UTC(), calendar.Change{Title: ptr(fmt.Sprintf("Series %d (moved room)", s)), Location: ptr("Hall")}); err != nil {
			b.Fatal(err)
		}
		if _, err := w.cal.Delete(ctx, w.user, e.ID, nil, calendar.ScopeInstance, w.at(14+s%5, 8+s/5, 0).UTC()); err != nil {
			b.Fatal(err)
		}
	}
	var single *calendar.Event
	for s := range 180 {
		single = w.spaceEvent(w.bob.user, calendar.EventInput{Title: fmt.Sprintf("Single %d", s),
			Start: wall(w.at(s%60, 9+s%8, 0)), End: wall(w.at(s%60, 10+s%8, 0))})
	}
	var mu sync.Mutex
	counts := map[string]int{}
	tokens := w.appTokens()
	w.pub.Mailboxes = func(_ context.Context, address string) (publish.Mailbox, error) {
		hc := &http.Client{Transport: countingTransport{next: w.srv.Client().Transport, mu: &mu, n: counts, box: address}}
		return graph.NewForUser(w.srv.URL, tokens, hc, graph.Options{MaxRetryWait: 10 * time.Second}, address)
	}
	w.pub.Workers = 4
	measure := func(name string) publish.CycleResult {
		mu.Lock()
		clear(counts)
		mu.Unlock()
		start := time.Now()
		res, err := w.pub.Cycle(ctx)
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		mu.Lock()
		defer mu.Unlock()
		var per []int
		total := 0
		for _, n := range counts {
			per = append(per, n)
			total += n
		}
		sort.Ints(per)
		if len(per) == 0 {
			per = []int{0}
		}
		b.ReportMetric(took.Seconds(), name+"-s")
		b.ReportMetric(float64(total)/float64(members), name+"-req/mailbox")
		b.ReportMetric(float64(per[len(per)-1]), name+"-max-req/mailbox")
		b.Logf("%s: %s, %d runs (%d failed), %d written, requests %d (per mailbox min %d, median %d, max %d)",
			name, took.Round(time.Millisecond), res.Runs, res.Failed, res.Written, total, per[0], per[len(per)/2], per[len(per)-1])
		return res
	}
	if res := measure("first"); res.Failed != 0 || res.Runs != members {
		b.Fatalf("first publication: %+v", res)
	}
	if _, _, err := w.cal.Edit(ctx, w.bob.user, single.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Title: ptr("Single (renamed)")}); err != nil {
		b.Fatal(err)
	}
	w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Mailbox: "member250@example.com", RetryAfter: 30 * time.Minute})
	if res := measure("changed"); res.Failed != 1 || res.Runs != members {
		b.Fatalf("after one change with one mailbox throttled: %+v, want that one alone failed", res)
	}
	w.fake.ClearFaults()
	w.due()
	measure("idle")
}
