package calendar

import (
	"context"
	"fmt"
	"testing"
	"time"

	"intracal/migrations/dbtest"
)

// TestListCacheStaysWithinItsCaps lists a calendar larger than a small cache, month after
// month: the cache never holds more than its caps, and the listings are those of a store
// whose cache holds everything.
func TestListCacheStaysWithinItsCaps(t *testing.T) {
	db := dbtest.SQLite(t)
	ctx := context.Background()
	v := Viewer{UserID: 1}
	big := NewStore(db)
	small := NewStore(db)
	small.cache = newListCache(5, 40)
	cal, err := big.MyCalendar(ctx, v.UserID)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 12; i++ {
		e, err := NewEvent(cal, v.UserID, EventInput{Title: fmt.Sprintf("Series %d", i), Start: fmt.Sprintf("2026-01-%02dT09:00:00", 1+i),
			End: fmt.Sprintf("2026-01-%02dT10:00:00", 1+i), TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY"})
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 6; k++ {
			title := fmt.Sprintf("Changed %d", k)
			if _, err := e.Edit(ScopeInstance, e.Segments[0].Start.AddDate(0, 0, 7*(i+k*5)).UTC(), Change{Title: &title}); err != nil {
				t.Fatal(err)
			}
		}
		if err := big.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for m := 0; m < 12; m++ {
		q := Query{From: time.Date(2026, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, time.Month(2+m), 1, 0, 0, 0, 0, time.UTC)}
		for round := 0; round < 2; round++ {
			want, _, err := big.Occurrences(ctx, v, q)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := small.Occurrences(ctx, v, q)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("month %d: the small cache lists\n%v\nthe large one\n%v", m+1, got, want)
			}
			c := small.cache
			c.mu.Lock()
			segs, ovs, counted := len(c.segments), c.nOverrides, 0
			for _, o := range c.overrides {
				counted += overridesCost(o)
			}
			c.mu.Unlock()
			if segs > 5 || ovs > 40 || counted != ovs {
				t.Fatalf("month %d: the cache holds %d segments and %d overrides (counted %d), caps 5 and 40", m+1, segs, ovs, counted)
			}
		}
	}
}
