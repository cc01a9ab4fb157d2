package calendar_test

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// TestStoreListingMatchesFullEvents holds the store's listing, which reads only the rows near
// the window, to the instances of the fully loaded events: random series of every shape, with
// instances changed, cancelled, moved into and out of other months, and series split by
// "this and following" edits, listed month by month across the years they cover.
func TestStoreListingMatchesFullEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		cal, err := st.MyCalendar(ctx, alice.UserID)
		if err != nil {
			t.Fatal(err)
		}
		rules := []string{"", "FREQ=DAILY", "FREQ=DAILY;INTERVAL=3;COUNT=40", "FREQ=WEEKLY;BYDAY=MO,WE,FR",
			"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20280101T000000Z", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=30",
			"FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "FREQ=MONTHLY;INTERVAL=2",
			"FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "FREQ=YEARLY;COUNT=5"}
		zones := []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"}
		rng := rand.New(rand.NewSource(7))
		var ids []int64
		for i := 0; i < 60; i++ {
			first := time.Date(2024+rng.Intn(3), time.Month(1+rng.Intn(12)), 1+rng.Intn(28), 7+rng.Intn(12), 15*rng.Intn(4), 0, 0, time.UTC)
			in := calendar.EventInput{Title: fmt.Sprintf("Series %d", i), Start: first.Format("2006-01-02T15:04:05"),
				End:      first.Add(time.Duration(30+rng.Intn(600)) * time.Minute).Format("2006-01-02T15:04:05"),
				TimeZone: zones[rng.Intn(len(zones))], RRule: rules[i%len(rules)]}
			if i%7 == 3 {
				in.AllDay, in.Start, in.End = true, first.Format("2006-01-02"), first.AddDate(0, 0, 1+rng.Intn(2)).Format("2006-01-02")
			}
			e, err := calendar.NewEvent(cal, alice.UserID, in)
			if err != nil {
				t.Fatalf("event %d (%q): %v", i, in.RRule, err)
			}
			changeSome(t, rng, e, i)
			if err := st.Create(ctx, e); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, e.ID)
		}
		var full []*calendar.Event
		for _, id := range ids {
			e, err := st.GetFull(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			full = append(full, e)
		}
		for m := 0; m < 48; m++ {
			from := time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)
			to := from.AddDate(0, 1, 0)
			if m%2 == 1 {
				// A window that does not begin at midnight cuts through more instances.
				from = from.Add(time.Duration(1+m%23) * time.Hour)
			}
			got, _, err := st.Occurrences(ctx, alice, calendar.Query{From: from, To: to})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := calendar.Occurrences(full, alice, calendar.MyCalendar, from, to, 0)
			if g, w := describe(got), describe(want); g != w {
				t.Fatalf("%s to %s: the listing differs from the full events:\n%s", from, to, lineDiff(g, w))
			}
		}
	})
}

// changeSome edits a few instances of e in memory: changes titles, cancels one, moves one by
// up to two months either way, and sometimes changes the series from an instance on.
func changeSome(t *testing.T, rng *rand.Rand, e *calendar.Event, i int) {
	t.Helper()
	occ := e.Instances(alice, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), false)
	if len(occ) < 2 {
		return
	}
	pick := func() calendar.Occurrence { return occ[rng.Intn(len(occ))] }
	for k := 0; k < 8; k++ {
		title := fmt.Sprintf("Changed %d.%d", i, k)
		if _, err := e.Edit(calendar.ScopeInstance, pick().OriginalStart, calendar.Change{Title: &title}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Delete(calendar.ScopeInstance, pick().OriginalStart, time.Now()); err != nil {
		t.Fatal(err)
	}
	oc := pick()
	if !oc.AllDay {
		shift := time.Duration(rng.Intn(120*24)-60*24) * time.Hour
		start, end := oc.Start.Add(shift).Format("2006-01-02T15:04:05"), oc.End.Add(shift).Format("2006-01-02T15:04:05")
		if _, err := e.Edit(calendar.ScopeInstance, oc.OriginalStart, calendar.Change{Start: wp(start), End: wp(end)}); err != nil {
			t.Fatal(err)
		}
	}
	if i%3 == 0 {
		title := fmt.Sprintf("Renamed %d", i)
		if _, err := e.Edit(calendar.ScopeFollowing, occ[len(occ)/2].OriginalStart, calendar.Change{Title: &title}); err != nil {
			t.Fatal(err)
		}
	}
}

// describe writes out everything an occurrence shows, one line each. Segment is left out: a
// listing's events hold only the segments near the window, and it counts among those.
func describe(occ []calendar.Occurrence) string {
	var b strings.Builder
	for _, o := range occ {
		fmt.Fprintf(&b, "%d %s %s..%s %s allday=%v %q %q %q %s org=%d exc=%v %v rec=%v rsvp=%q\n",
			o.EventID, o.OriginalStart.Format(time.RFC3339), o.Start.Format(time.RFC3339), o.End.Format(time.RFC3339),
			o.TimeZone, o.AllDay, o.Title, o.Description, o.Location, o.Privacy, o.OrganizerID, o.IsException, o.Changed,
			o.IsRecurring, o.RSVP)
	}
	return b.String()
}

// lineDiff lists the lines only the listing has (-) and only the full events have (+).
func lineDiff(got, want string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	var b strings.Builder
	for _, l := range strings.Split(got, "\n") {
		if count[l] > 0 {
			count[l]--
			continue
		}
		b.WriteString("- " + l + "\n")
	}
	for l, n := range count {
		for ; n > 0; n-- {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
