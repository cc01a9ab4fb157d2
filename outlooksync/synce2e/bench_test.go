package synce2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// The sync's request economy, counted from the fake's request log (docs/benchmarks.md):
//
//	go test -run '^$' -bench . -benchtime 1x ./outlooksync/synce2e/

// fillMailbox puts n events in the mailbox: series weekly series of ten occurrences with
// exceptions spread over them, the rest single events.
func fillMailbox(b *testing.B, w *world, n, series, exceptions int) {
	b.Helper()
	perSeries := exceptions / max(series, 1)
	for i := 0; i < n; i++ {
		start := w.at(i%56, 8+i%9, 0)
		spec := fakeoutlook.EventSpec{Subject: fmt.Sprintf("Item %d", i), Start: start, End: start.Add(30 * time.Minute), TimeZone: "Europe/Berlin"}
		if i < series {
			spec.Recurrence = weeklyOn([]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}[int(start.Weekday())])
			spec.Recurrence.Range = fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: 10}
		}
		ev, err := w.fake.CreateEvent(mailbox, spec)
		if err != nil {
			b.Fatal(err)
		}
		for k := 0; k < perSeries && i < series; k++ {
			if _, err := w.fake.UpdateOccurrence(mailbox, ev.ID, start.AddDate(0, 0, 7*(k+1)), fakeoutlook.Change{Location: ptr(fmt.Sprintf("Room %d", k))}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func requests(w *world) int { return w.fake.GraphRequestCount(mailbox) }

// BenchmarkInitialSync: a first sync of a mailbox with 2,000 events including 200 series and
// 1,000 exceptions. Beside the HTTP requests it reports the delta pages and the $batch
// requests (reads and writes) among them, and the items the engine read.
func BenchmarkInitialSync(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := newWorldB(b)
		fillMailbox(b, w, 2000, 200, 1000)
		w.fake.ResetRequests()
		b.StartTimer()
		start := time.Now()
		res := w.sync()
		b.ReportMetric(time.Since(start).Seconds(), "s/sync")
		b.StopTimer()
		counts := w.fake.RequestCounts(mailbox)
		b.ReportMetric(float64(requests(w)), "requests")
		b.ReportMetric(float64(counts[fakeoutlook.EndpointDelta]), "delta-pages")
		b.ReportMetric(float64(counts[fakeoutlook.EndpointBatch]), "batches")
		b.ReportMetric(float64(res.Read), "items-read")
		b.StartTimer()
	}
}

// BenchmarkIdleCycle: a cycle when nothing changed anywhere: the delta request and the
// backstop's re-read of 10 linked series (backstop.go).
func BenchmarkIdleCycle(b *testing.B) { benchIdle(b, 10) }

// BenchmarkIdleCycleNoBackstop: the same with the backstop off (target: one request).
func BenchmarkIdleCycleNoBackstop(b *testing.B) { benchIdle(b, 0) }

func benchIdle(b *testing.B, backstop int) {
	w := newWorldB(b)
	w.engine.BackstopSeries = backstop
	fillMailbox(b, w, 200, 20, 100)
	w.sync()
	w.sync()
	b.ResetTimer()
	total := 0
	for i := 0; i < b.N; i++ {
		before := requests(w)
		w.sync()
		total += requests(w) - before
	}
	b.ReportMetric(float64(total)/float64(b.N), "requests/cycle")
}

// Benchmark100LocalEdits: 100 events changed in My Calendar, then one cycle (target: at most
// ten requests).
func Benchmark100LocalEdits(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := newWorldB(b)
		ids := make([]int64, 0, 100)
		for k := 0; k < 100; k++ {
			s := w.at(k%28, 9+k%8, 0)
			e := w.create(calendar.EventInput{Title: fmt.Sprintf("Local %d", k), Start: wall(s), End: wall(s.Add(time.Hour))})
			ids = append(ids, e.ID)
		}
		w.sync()
		w.sync()
		for _, id := range ids {
			if _, _, err := w.cal.Edit(context.Background(), w.user, id, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: ptr("Moved")}); err != nil {
				b.Fatal(err)
			}
		}
		before := requests(w)
		b.StartTimer()
		w.sync()
		b.ReportMetric(float64(requests(w)-before), "requests")
	}
}

// BenchmarkReconcile1000: the pure reconciliation of 1,000 linked series and singles with
// nothing to do, the CPU cost the sync pays per 1,000 items every cycle.
func BenchmarkReconcile1000(b *testing.B) {
	w := newWorldB(b)
	var local []*calendar.Event
	var links []outlooksync.Link
	remote := map[string]*outlooksync.RemoteSeries{}
	for k := 0; k < 1000; k++ {
		s := w.at(k%56, 8+k%9, 0)
		rule := ""
		if k%5 == 0 {
			rule = "FREQ=WEEKLY;COUNT=10"
		}
		e, err := calendar.NewEvent(1, 1, calendar.EventInput{Title: fmt.Sprintf("E%d", k), Start: wall(s), TimeZone: "Europe/Berlin", RRule: rule})
		if err != nil {
			b.Fatal(err)
		}
		e.ID = int64(k + 1)
		local = append(local, e)
		id := fmt.Sprintf("R%d", k)
		links = append(links, outlooksync.Link{EventID: e.ID, SegmentUID: e.Segments[0].UID, RemoteID: id,
			Base: outlooksync.Base{Series: outlooksync.LocalSeriesState(e.Segments[0])}})
	}
	in := outlooksync.Input{UserID: 1, CalendarID: 1, Window: w.engine.Window(), Now: time.Now(), Local: local, Remote: remote, Links: links}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p := outlooksync.Reconcile(in); !p.IsEmpty() {
			b.Fatalf("planned work: %s", p.Summary())
		}
	}
}

func newWorldB(b *testing.B) *world {
	b.Helper()
	return newWorld(b, dbtest.SQLite(b))
}
