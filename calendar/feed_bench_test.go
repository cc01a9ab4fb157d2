package calendar_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"intracal/calendar/ical"
	"intracal/migrations/dbtest"
)

// BenchmarkFeedHeavy builds the iCalendar feed of the heavy calendar (1,000 series, 5,000
// changed instances) as GET /feeds/{token}.ics does on a cache miss: the store's feed query
// (whole events) and the file. It reports the file's size.
func BenchmarkFeedHeavy(b *testing.B) {
	db := dbtest.SQLite(b)
	st, v := heavyCalendar(b, db, false, true)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	from, to := now.Add(-90*24*time.Hour), now.Add(548*24*time.Hour)
	var size int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		events, err := st.FeedEvents(ctx, v, from, to)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ical.Write(&buf, ical.Feed{Name: "Heavy", Reader: v.UserID, Events: events, From: from, To: to, Stamp: now}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1e6, "MB/feed")
}
