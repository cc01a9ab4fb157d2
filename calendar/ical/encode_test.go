package ical

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/calendar/ical/icaltest"
)

func mustEvent(t *testing.T, in calendar.EventInput) *calendar.Event {
	t.Helper()
	e, err := calendar.NewEvent(1, 7, in)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func ptr[T any](v T) *T { return &v }

// TestAFeedExpandsToTheSameInstances writes series with a changed, a moved and a cancelled
// instance, a split series, an all-day series, a monthly "last day" rule and singles in
// several zones, and expands the file with rrule-go: the instances equal the calendar's.
func TestAFeedExpandsToTheSameInstances(t *testing.T) {
	events := sampleEvents(t)

	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := Write(&buf, Feed{Name: "My Calendar", Reader: 7, Events: events, From: from, To: to, Stamp: time.Now()}); err != nil {
		t.Fatal(err)
	}
	got := icaltest.Expand(t, buf.Bytes(), from, to)
	var want []string
	for _, e := range events {
		for _, oc := range e.Instances(calendar.Viewer{UserID: 7}, from, to, false) {
			want = append(want, oc.Start.UTC().Format(time.RFC3339)+" "+oc.Title)
		}
	}
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the feed expands to\n  %s\nthe calendar has\n  %s\n\n%s", strings.Join(got, "\n  "), strings.Join(want, "\n  "), buf.String())
	}
	for _, part := range []string{"BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "TZID:America/New_York", "TZID:Asia/Tokyo",
		"DTSTART;VALUE=DATE:20260326", "RELATED-TO;RELTYPE=SIBLING:" + events[1].Segments[0].UID, `SUMMARY:Standup\, daily\; short`} {
		if !strings.Contains(buf.String(), part) {
			t.Errorf("the feed lacks %q", part)
		}
	}
}

func mustWall(_ *testing.T, s string) calendar.WallInput { return calendar.ParseWallInput(s) }

// sampleEvents are series with a changed, a moved and a cancelled instance, a split series,
// an all-day series, a monthly "last day" rule and a single, in several zones.
func sampleEvents(t *testing.T) []*calendar.Event {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	standup := mustEvent(t, calendar.EventInput{Title: "Standup, daily; short", Start: "2026-03-23T09:00", End: "2026-03-23T09:15",
		TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=12"})
	orig := time.Date(2026, 3, 30, 9, 0, 0, 0, berlin).UTC() // across the change to summer time
	if _, err := standup.Edit(calendar.ScopeInstance, orig, calendar.Change{Title: ptr("Standup (long)")}); err != nil {
		t.Fatal(err)
	}
	if _, err := standup.Delete(calendar.ScopeInstance, time.Date(2026, 4, 1, 9, 0, 0, 0, berlin).UTC(), time.Now()); err != nil {
		t.Fatal(err)
	}
	moved := calendar.ParseWallInput("2026-04-08T15:00")
	if _, err := standup.Edit(calendar.ScopeInstance, time.Date(2026, 4, 6, 9, 0, 0, 0, berlin).UTC(), calendar.Change{Start: &moved}); err != nil {
		t.Fatal(err)
	}
	review := mustEvent(t, calendar.EventInput{Title: "Review", Start: "2026-03-24T14:00", End: "2026-03-24T15:00",
		TimeZone: "America/New_York", RRule: "FREQ=WEEKLY"})
	nyc, _ := time.LoadLocation("America/New_York")
	if _, err := review.Edit(calendar.ScopeFollowing, time.Date(2026, 4, 14, 14, 0, 0, 0, nyc).UTC(), calendar.Change{Title: ptr("Review, new time"),
		Start: ptr(mustWall(t, "2026-04-14T16:00")), End: ptr(mustWall(t, "2026-04-14T17:00"))}); err != nil {
		t.Fatal(err)
	}
	if len(review.Segments) != 2 {
		t.Fatalf("the split made %d segments", len(review.Segments))
	}
	offsite := mustEvent(t, calendar.EventInput{Title: "Offsite", Start: "2026-03-26", End: "2026-03-28", AllDay: true, RRule: "FREQ=MONTHLY;COUNT=3"})
	rent := mustEvent(t, calendar.EventInput{Title: "Pay day", Start: "2026-01-31T08:00", End: "2026-01-31T08:30", TimeZone: "Asia/Tokyo",
		RRule: "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT=6"})
	call := mustEvent(t, calendar.EventInput{Title: "Call", Start: "2026-04-02T12:00", End: "2026-04-02T13:00", TimeZone: "UTC"})
	return []*calendar.Event{standup, review, offsite, rent, call}
}
