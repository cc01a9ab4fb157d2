package synce2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// nextSpringForward is the next day, from now, on which loc's clocks skip 02:30.
func nextSpringForward(t *testing.T, loc *time.Location) time.Time {
	t.Helper()
	now := time.Now().In(loc)
	for d := 3; d < 400; d++ {
		day := time.Date(now.Year(), now.Month(), now.Day()+d, 0, 0, 0, 0, time.UTC)
		at := calendar.WallTime(day.Year(), day.Month(), day.Day(), 2, 30, 0, loc)
		if at.Hour() != 2 {
			return day
		}
	}
	t.Fatalf("no spring-forward day in %s within a year", loc)
	return time.Time{}
}

// TestSeriesFromAGapRoundTripsThroughOutlook: a weekly 02:30 New York series whose first
// instance falls in the spring-forward gap (so it starts at 03:30 EDT) keeps 02:30 for its
// later weeks through a push, quiet cycles and an edit made in Outlook.
func TestSeriesFromAGapRoundTripsThroughOutlook(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	day := nextSpringForward(t, ny)
	start := day.Format("2006-01-02") + "T02:30:00"
	e := w.create(calendar.EventInput{Title: "Backup", Start: start, End: day.Format("2006-01-02") + "T03:30:00",
		TimeZone: "America/New_York", RRule: "FREQ=WEEKLY;COUNT=4"})
	from, to := day.AddDate(0, 0, -1), day.AddDate(0, 0, 30)
	want := []string{
		time.Date(day.Year(), day.Month(), day.Day(), 3, 30, 0, 0, ny).UTC().Format(time.RFC3339) + " Backup",
	}
	for k := 1; k < 4; k++ {
		want = append(want, time.Date(day.Year(), day.Month(), day.Day()+7*k, 2, 30, 0, 0, ny).UTC().Format(time.RFC3339)+" Backup")
	}
	check := func(step string, title string) {
		t.Helper()
		got := w.localIn(from, to)
		exp := make([]string, len(want))
		for i, s := range want {
			exp[i] = strings.Replace(s, " Backup", " "+title, 1)
		}
		if strings.Join(got, "\n") != strings.Join(exp, "\n") {
			t.Fatalf("%s: My Calendar has\n  %s\nwant\n  %s", step, strings.Join(got, "\n  "), strings.Join(exp, "\n  "))
		}
		if step == "created" {
			return
		}
		if o := w.outlookIn(from, to); strings.Join(o, "\n") != strings.Join(exp, "\n") {
			t.Fatalf("%s: Outlook has\n  %s\nwant\n  %s", step, strings.Join(o, "\n  "), strings.Join(exp, "\n  "))
		}
	}
	check("created", "Backup")
	if res := w.sync(); res.Failed != 0 || res.Pushed == 0 {
		t.Fatalf("first cycle: %d failed, %d pushed: %+v", res.Failed, res.Pushed, res.History)
	}
	check("pushed", "Backup")
	for i := 0; i < 2; i++ {
		if res := w.sync(); res.Pulled != 0 || res.Pushed != 0 || res.Failed != 0 {
			t.Fatalf("quiet cycle %d: pulled %d, pushed %d, failed %d: %+v", i, res.Pulled, res.Pushed, res.Failed, res.History)
		}
	}
	w.noSpuriousHistory()
	check("after quiet cycles", "Backup")
	// An edit of the series in Outlook comes back without moving the later weeks.
	if _, err := w.fake.UpdateEvent(mailbox, w.linkOf(e.ID), fakeoutlook.Change{Subject: ptr("Backups")}); err != nil {
		t.Fatal(err)
	}
	if res := w.sync(); res.Pulled == 0 || res.Failed != 0 {
		t.Fatalf("cycle after the Outlook edit: pulled %d, failed %d: %+v", res.Pulled, res.Failed, res.History)
	}
	check("after the Outlook edit", "Backups")
	got, err := w.cal.Get(context.Background(), w.user, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if wall := got.Segments[0].WallStart().Format("15:04"); wall != "02:30" {
		t.Fatalf("the series' wall time is %s after the round trip, want 02:30", wall)
	}
}
