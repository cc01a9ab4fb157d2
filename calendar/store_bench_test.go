package calendar_test

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// heavyCalendar fills a SQLite store with the figure DESIGN.md asks for: 1,000 series
// (daily, weekly, monthly, yearly; half of them started ten years ago, half last month) and
// 5,000 overrides, all in one user's My Calendar.
func heavyCalendar(b *testing.B, db *gorm.DB, oldStart bool, mixed bool) (*calendar.Store, calendar.Viewer) {
	b.Helper()
	st := calendar.NewStore(db)
	ctx := context.Background()
	v := calendar.Viewer{UserID: 1}
	cal, err := st.MyCalendar(ctx, v.UserID)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range heavyEvents(b, cal, v, oldStart, mixed) {
		if err := st.Create(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	return st, v
}

// heavyEvents builds heavyCalendar's events in memory, in calendar cal.
func heavyEvents(b *testing.B, cal int64, v calendar.Viewer, oldStart bool, mixed bool) []*calendar.Event {
	b.Helper()
	var out []*calendar.Event
	rules := []string{"FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 1000; i++ {
		first := time.Date(2026, 10, 1+i%28, 8+i%9, 0, 0, 0, time.UTC)
		if (mixed && i%2 == 0) || (!mixed && oldStart) {
			first = first.AddDate(-10, 0, 0)
		}
		e, err := calendar.NewEvent(cal, v.UserID, calendar.EventInput{
			Title: fmt.Sprintf("Series %d", i), Start: first.Format("2006-01-02T15:04:05"),
			End: first.Add(45 * time.Minute).Format("2006-01-02T15:04:05"), TimeZone: "Europe/Berlin",
			RRule: rules[i%len(rules)],
		})
		if err != nil {
			b.Fatal(err)
		}
		// Five instance changes per series, spread over the next year of instances.
		occ := e.Instances(v, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC), false)
		for k := 0; k < 5 && len(occ) > 0; k++ {
			oc := occ[rng.Intn(len(occ))]
			title := fmt.Sprintf("Changed %d", k)
			if _, err := e.Edit(calendar.ScopeInstance, oc.OriginalStart, calendar.Change{Title: &title}); err != nil {
				b.Fatal(err)
			}
		}
		out = append(out, e)
	}
	return out
}

func benchMonth(b *testing.B, oldStart, mixed bool) { benchMonthQuery(b, oldStart, mixed, false) }

// benchMonthQuery times the month query; cold, through a new Store each time, so with an
// empty listing cache.
func benchMonthQuery(b *testing.B, oldStart, mixed, cold bool) {
	db := dbtest.SQLite(b)
	st, v := heavyCalendar(b, db, oldStart, mixed)
	q := calendar.Query{From: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		if cold {
			st = calendar.NewStore(db)
		}
		occ, _, err := st.Occurrences(ctx, v, q)
		if err != nil {
			b.Fatal(err)
		}
		n = len(occ)
	}
	b.ReportMetric(float64(n), "instances/op")
}

// BenchmarkMonthQueryHeavy is the figure of issue 2: half the series started ten years ago.
func BenchmarkMonthQueryHeavy(b *testing.B) { benchMonth(b, false, true) }

// BenchmarkMonthQueryAllNew and BenchmarkMonthQueryAllOld compare series that began last
// month with the same series begun ten years earlier: the cost must not grow with age.
func BenchmarkMonthQueryAllNew(b *testing.B) { benchMonth(b, false, false) }
func BenchmarkMonthQueryAllOld(b *testing.B) { benchMonth(b, true, false) }

// BenchmarkColdListingHeavy is BenchmarkMonthQueryHeavy as the first listing after the
// app starts: nothing in the store's listing cache, every segment and override read.
func BenchmarkColdListingHeavy(b *testing.B) { benchMonthQuery(b, false, true, true) }

// BenchmarkMonthOccurrencesInMemory is the part of BenchmarkMonthQueryAllOld that follows
// the reading: expanding, filtering and sorting the same month of the same events, held in
// memory.
func BenchmarkMonthOccurrencesInMemory(b *testing.B) {
	v := calendar.Viewer{UserID: 1}
	events := heavyEvents(b, 1, v, true, false)
	from, to := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		occ, _ := calendar.Occurrences(events, v, calendar.MyCalendar, from, to, 0)
		n = len(occ)
	}
	b.ReportMetric(float64(n), "instances/op")
}
