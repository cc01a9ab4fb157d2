package synce2e

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// BenchmarkLostNotificationsBackstop: every notification is lost, the schedule polls every
// 2 s and a pushed connection every 6 s (PushedInterval); it reports how long each of 8
// changes took to arrive, against the pushed interval. Run with -benchtime 1x.
func BenchmarkLostNotificationsBackstop(b *testing.B) {
	const interval, pushedInterval = 2 * time.Second, 6 * time.Second
	w := newPushWorld(b, dbtest.SQLite(b), pushOptions{run: true, interval: interval, pushedInterval: pushedInterval})
	w.subscribed()
	w.fake.SetNotificationFaults(fakeoutlook.NotificationFaults{Lose: true})
	for b.Loop() {
		var delays []time.Duration
		for i := range 8 {
			title := fmt.Sprintf("Lost %d", i)
			start := time.Now()
			w.createInOutlook(title, i%5)
			w.eventually(title+" arrives by polling", func() bool { return w.hasLocal(title) })
			delays = append(delays, time.Since(start))
		}
		slices.Sort(delays)
		b.ReportMetric(delays[len(delays)/2].Seconds(), "p50-s")
		b.ReportMetric(delays[len(delays)-1].Seconds(), "max-s")
		b.ReportMetric(delays[len(delays)-1].Seconds()/pushedInterval.Seconds(), "max/pushed-interval")
	}
}
