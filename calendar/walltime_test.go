package calendar_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// TestWallTimeAcrossZones holds WallTime to RFC 5545 section 3.3.5 in both directions of a
// change, north and south of the equator, and in a zone without daylight saving.
func TestWallTimeAcrossZones(t *testing.T) {
	tests := []struct {
		zone string
		wall string // a floating wall time
		want string // the instant, RFC 3339 in the zone
	}{
		// Gaps: read with the offset before the gap, so the time lands after it.
		{"Europe/Berlin", "2026-03-29T02:30:00", "2026-03-29T03:30:00+02:00"},
		{"Europe/Berlin", "2026-03-29T02:00:00", "2026-03-29T03:00:00+02:00"},
		{"America/New_York", "2026-03-08T02:30:00", "2026-03-08T03:30:00-04:00"},
		{"America/New_York", "2026-03-08T02:59:59", "2026-03-08T03:59:59-04:00"},
		{"Australia/Sydney", "2026-10-04T02:30:00", "2026-10-04T03:30:00+11:00"},
		// Overlaps: the first occurrence, still in summer time.
		{"Europe/Berlin", "2026-10-25T02:30:00", "2026-10-25T02:30:00+02:00"},
		{"America/New_York", "2026-11-01T01:30:00", "2026-11-01T01:30:00-04:00"},
		{"Australia/Sydney", "2026-04-05T02:30:00", "2026-04-05T02:30:00+11:00"},
		// Just outside: one reading each.
		{"Europe/Berlin", "2026-10-25T03:00:00", "2026-10-25T03:00:00+01:00"},
		{"Australia/Sydney", "2026-04-05T03:00:00", "2026-04-05T03:00:00+10:00"},
		{"Australia/Sydney", "2026-10-04T01:59:00", "2026-10-04T01:59:00+10:00"},
		// No change at all.
		{"Asia/Kolkata", "2026-03-29T02:30:00", "2026-03-29T02:30:00+05:30"},
		{"Asia/Kolkata", "2026-10-25T02:30:00", "2026-10-25T02:30:00+05:30"},
	}
	for _, tc := range tests {
		t.Run(tc.zone+" "+tc.wall, func(t *testing.T) {
			loc := mustZone(t, tc.zone)
			w, err := time.Parse("2006-01-02T15:04:05", tc.wall)
			if err != nil {
				t.Fatal(err)
			}
			got := calendar.WallTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), loc)
			if got.Format(time.RFC3339) != tc.want {
				t.Errorf("WallTime(%s in %s) = %s, want %s", tc.wall, tc.zone, got.Format(time.RFC3339), tc.want)
			}
		})
	}
}

func newEvent(t *testing.T, in calendar.EventInput) *calendar.Event {
	t.Helper()
	if in.Title == "" {
		in.Title = "Night shift"
	}
	e, err := calendar.NewEvent(1, 1, in)
	if err != nil {
		t.Fatalf("NewEvent: %v", err)
	}
	return e
}

// TestNewEventInAGapKeepsItsLength: 02:30-03:30 on Berlin's spring-forward night is an hour
// from 03:30 CEST, not a zero-length event at 03:30.
func TestNewEventInAGapKeepsItsLength(t *testing.T) {
	e := newEvent(t, calendar.EventInput{Start: "2026-03-29T02:30", End: "2026-03-29T03:30", TimeZone: "Europe/Berlin"})
	seg := e.Segments[0]
	if got := seg.Start.Format(time.RFC3339); got != "2026-03-29T03:30:00+02:00" {
		t.Errorf("start = %s, want 2026-03-29T03:30:00+02:00", got)
	}
	if seg.Duration != time.Hour {
		t.Errorf("duration = %v, want 1h", seg.Duration)
	}
	// An end in the gap after a plain start is read with the offset before the gap.
	e = newEvent(t, calendar.EventInput{Start: "2026-03-29T01:00", End: "2026-03-29T02:30", TimeZone: "Europe/Berlin"})
	if d := e.Segments[0].Duration; d != 90*time.Minute {
		t.Errorf("01:00-02:30: duration = %v, want 1h30m", d)
	}
}

// TestNewEventInAnOverlapTakesTheFirst: 02:30-03:00 on Berlin's fall-back night starts at the
// first 02:30 (CEST) and ends at 03:00 CET, and every reading of it agrees on the end.
func TestNewEventInAnOverlapTakesTheFirst(t *testing.T) {
	e := newEvent(t, calendar.EventInput{Start: "2026-10-25T02:30", End: "2026-10-25T03:00", TimeZone: "Europe/Berlin"})
	seg := e.Segments[0]
	if got := seg.Start.Format(time.RFC3339); got != "2026-10-25T02:30:00+02:00" {
		t.Errorf("start = %s, want the first 02:30, 2026-10-25T02:30:00+02:00", got)
	}
	if seg.Duration != 90*time.Minute {
		t.Errorf("duration = %v, want 1h30m (02:30 CEST to 03:00 CET)", seg.Duration)
	}
	occ := e.Instances(calendar.Viewer{UserID: 1}, at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z"), false)
	if len(occ) != 1 {
		t.Fatalf("%d instances, want 1", len(occ))
	}
	if got := occ[0].End.Format(time.RFC3339); got != "2026-10-25T03:00:00+01:00" {
		t.Errorf("listed end = %s, want 2026-10-25T03:00:00+01:00", got)
	}
}

// TestSeriesStartingInAGapKeepsItsWallTime: a weekly 02:30 New York series from the
// spring-forward day is at 03:30 EDT that day and 02:30 every later week, an hour each,
// before and after a save.
func TestSeriesStartingInAGapKeepsItsWallTime(t *testing.T) {
	want := []string{"2026-03-08T03:30:00-04:00", "2026-03-15T02:30:00-04:00", "2026-03-22T02:30:00-04:00"}
	check := func(t *testing.T, e *calendar.Event) {
		t.Helper()
		occ := e.Instances(calendar.Viewer{UserID: 1}, at("2026-03-01T00:00:00Z"), at("2026-03-29T00:00:00Z"), false)
		var got []string
		for _, o := range occ {
			got = append(got, o.Start.Format(time.RFC3339))
			if o.End.Sub(o.Start) != time.Hour {
				t.Errorf("instance %s lasts %v, want 1h", o.Start.Format(time.RFC3339), o.End.Sub(o.Start))
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("starts = %q, want %q", got, want)
		}
	}
	in := calendar.EventInput{Title: "Backup", Start: "2026-03-08T02:30", End: "2026-03-08T03:30", TimeZone: "America/New_York", RRule: "FREQ=WEEKLY;COUNT=3"}
	check(t, newEvent(t, in))

	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, in)
		got, err := st.Get(ctx, alice, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, got)
		// An edit of the content of the whole series keeps the wall time.
		edited, _, err := st.Edit(ctx, alice, e.ID, &got.Version, calendar.ScopeAll, got.Segments[0].Start, calendar.Change{Title: sp("Backups")})
		if err != nil {
			t.Fatal(err)
		}
		check(t, edited)
		// So does a split from the second week.
		again, err := st.Get(ctx, alice, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		split, _, err := st.Edit(ctx, alice, e.ID, &again.Version, calendar.ScopeFollowing, at("2026-03-15T06:30:00Z"), calendar.Change{Location: sp("Server room")})
		if err != nil {
			t.Fatal(err)
		}
		check(t, split)
	})
}

// TestTimeAdjustmentsTellWhatWasMade: the messages the form and the API show.
func TestTimeAdjustmentsTellWhatWasMade(t *testing.T) {
	tests := []struct {
		name                    string
		start, end, zone, rrule string
		want                    []string
	}{
		{"plain", "2026-03-02T09:00", "2026-03-02T10:00", "Europe/Berlin", "", nil},
		{"no daylight saving", "2026-03-29T02:30", "2026-03-29T03:30", "Asia/Kolkata", "", nil},
		{"start in a gap", "2026-03-29T02:30", "2026-03-29T03:30", "Europe/Berlin", "", []string{
			"start: 02:30 does not exist on 29 March 2026 in Europe/Berlin (clocks go forward); the event starts at 03:30. It keeps its length and ends at 04:30."}},
		{"end in a gap", "2026-03-29T01:00", "2026-03-29T02:30", "Europe/Berlin", "", []string{
			"end: 02:30 does not exist on 29 March 2026 in Europe/Berlin (clocks go forward); the event ends at 03:30."}},
		{"series from a gap", "2026-03-08T02:30", "2026-03-08T03:30", "America/New_York", "FREQ=WEEKLY", []string{
			"start: 02:30 does not exist on 8 March 2026 in America/New_York (clocks go forward); its first instance starts at 03:30. It keeps its length and ends at 04:30. Later instances start at 02:30."}},
		{"start repeated", "2026-10-25T02:30", "2026-10-25T03:00", "Europe/Berlin", "", []string{
			"start: 02:30 occurs twice on 25 October 2026 in Europe/Berlin (clocks go back); the event starts at the first, 02:30 CEST (UTC+02:00), not the second, 02:30 CET (UTC+01:00)."}},
		{"repeated in Sydney", "2026-04-05T02:30", "2026-04-05T02:45", "Australia/Sydney", "", []string{
			"start: 02:30 occurs twice on 5 April 2026 in Australia/Sydney (clocks go back); the event starts at the first, 02:30 AEDT (UTC+11:00), not the second, 02:30 AEST (UTC+10:00).",
			"end: 02:45 occurs twice on 5 April 2026 in Australia/Sydney (clocks go back); the event ends at the first, 02:45 AEDT (UTC+11:00), not the second, 02:45 AEST (UTC+10:00)."}},
		{"invalid input says nothing", "2026-03-29T02:30", "2026-03-29T01:00", "Europe/Berlin", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range calendar.TimeAdjustments(tc.start, tc.end, tc.zone, false, tc.rrule) {
				got = append(got, a.Field+": "+a.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestEditEchoingTheShownStartKeepsTheWallTime: an edit that sends back the first start as
// shown (03:30 for a 02:30 series from a gap), as the edit form does when only the end
// changes, keeps 02:30 for the later weeks and takes the end as given.
func TestEditEchoingTheShownStartKeepsTheWallTime(t *testing.T) {
	e := newEvent(t, calendar.EventInput{Start: "2026-03-08T02:30", End: "2026-03-08T03:30", TimeZone: "America/New_York", RRule: "FREQ=WEEKLY;COUNT=3"})
	if _, err := e.Edit(calendar.ScopeAll, e.Segments[0].Start, calendar.Change{Start: wp("2026-03-08T03:30:00"), End: wp("2026-03-08T05:00:00")}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range e.Instances(calendar.Viewer{UserID: 1}, at("2026-03-01T00:00:00Z"), at("2026-03-29T00:00:00Z"), false) {
		got = append(got, o.Start.Format("01-02 15:04")+"-"+o.End.Format("15:04"))
	}
	want := "03-08 03:30-05:00 03-15 02:30-04:00 03-22 02:30-04:00"
	if strings.Join(got, " ") != want {
		t.Errorf("instances %q, want %q", strings.Join(got, " "), want)
	}
}
