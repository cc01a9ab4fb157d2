package calendar

import (
	"errors"
	"testing"
	"time"
)

func weekly(t *testing.T, rule string) *Event {
	// Mondays at 09:00 Berlin from 2026-03-02.
	return mustEvent(t, EventInput{Start: "2026-03-02T09:00:00", End: "2026-03-02T09:30:00", RRule: rule})
}

func TestEditInstanceStoresOnlyChangedFields(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=5")
	third := utc("2026-03-16T08:00:00Z")
	same := "Standup"
	if _, err := e.Edit(ScopeInstance, third, Change{Title: &same, Location: ptr("Room 4")}); err != nil {
		t.Fatal(err)
	}
	o := e.override(third)
	if o == nil || o.Title != nil || o.Location == nil || *o.Location != "Room 4" {
		t.Fatalf("override = %+v, want only the location", o)
	}
	// A later change of the whole series still reaches the instance's unchanged title.
	if _, err := e.Edit(ScopeAll, time.Time{}, Change{Title: ptr("Daily sync")}); err != nil {
		t.Fatal(err)
	}
	oc, _, err := e.Instance(owner, third)
	if err != nil {
		t.Fatal(err)
	}
	if oc.Title != "Daily sync" || oc.Location != "Room 4" {
		t.Fatalf("instance = %q at %q, want the series title and its own location", oc.Title, oc.Location)
	}
}

func TestEditFollowingSplitsAndKeepsID(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	third := utc("2026-03-16T08:00:00Z")
	if _, err := e.Edit(ScopeFollowing, third, Change{Title: ptr("New title")}); err != nil {
		t.Fatal(err)
	}
	if e.ID != 99 || len(e.Segments) != 2 {
		t.Fatalf("id %d with %d segments, want 99 with 2", e.ID, len(e.Segments))
	}
	equalStrings(t, starts(e, "2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z"), []string{
		"2026-03-02T09:00 Standup", "2026-03-09T09:00 Standup",
		"2026-03-16T09:00 New title", "2026-03-23T09:00 New title", "2026-03-30T09:00 New title",
	})
}

func TestSplitOfCountSeriesCarriesRemainingCount(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=6")
	third := utc("2026-03-16T08:00:00Z")
	if _, err := e.Edit(ScopeFollowing, third, Change{Title: ptr("Later")}); err != nil {
		t.Fatal(err)
	}
	if got := e.Segments[0].Rule.Count; got != 2 {
		t.Errorf("first part COUNT = %d, want 2", got)
	}
	if got := e.Segments[1].Rule.Count; got != 4 {
		t.Errorf("second part COUNT = %d, want 4", got)
	}
	if n := len(starts(e, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")); n != 6 {
		t.Errorf("%d instances after the split, want still 6", n)
	}
}

func TestOverridesMoveWithSplit(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	fourth := utc("2026-03-23T08:00:00Z")
	if _, err := e.Edit(ScopeInstance, fourth, Change{Location: ptr("Cafeteria")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Delete(ScopeInstance, utc("2026-03-30T07:00:00Z"), time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Edit(ScopeFollowing, utc("2026-03-16T08:00:00Z"), Change{Title: ptr("Renamed")}); err != nil {
		t.Fatal(err)
	}
	oc, _, err := e.Instance(owner, fourth)
	if err != nil {
		t.Fatal(err)
	}
	if oc.Segment != 1 || oc.Title != "Renamed" || oc.Location != "Cafeteria" {
		t.Fatalf("fourth instance = segment %d %q at %q, want segment 1 Renamed at Cafeteria", oc.Segment, oc.Title, oc.Location)
	}
	got := starts(e, "2026-03-20T00:00:00Z", "2026-04-10T00:00:00Z")
	equalStrings(t, got, []string{"2026-03-23T09:00 Renamed", "2026-04-06T09:00 Renamed"})
}

func TestTimeShiftRekeysOverridesAndAnswers(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	second := utc("2026-03-09T08:00:00Z")
	if _, err := e.Edit(ScopeInstance, second, Change{Title: ptr("Special")}); err != nil {
		t.Fatal(err)
	}
	if err := e.SetRSVP(7, ScopeInstance, second, No, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Edit(ScopeAll, time.Time{}, Change{Start: wallp("2026-03-02T10:30:00"), End: wallp("2026-03-02T11:00:00")}); err != nil {
		t.Fatal(err)
	}
	moved := utc("2026-03-09T09:30:00Z")
	oc, _, err := e.Instance(owner, moved)
	if err != nil {
		t.Fatalf("instance at the shifted key: %v", err)
	}
	if oc.Title != "Special" {
		t.Errorf("title at shifted key = %q, want Special", oc.Title)
	}
	if got := e.EffectiveRSVP(7, moved); got != No {
		t.Errorf("answer at shifted key = %q, want no", got)
	}
	if e.override(second) != nil {
		t.Error("override still under the old key")
	}
	// Across the DST change (29 March) the time of day stays 10:30 local.
	equalStrings(t, starts(e, "2026-03-29T00:00:00Z", "2026-04-07T00:00:00Z"), []string{"2026-03-30T10:30 Standup", "2026-04-06T10:30 Standup"})
}

func TestRuleChangeCollapsesAndReportsDroppedOverrides(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	if _, err := e.Edit(ScopeFollowing, utc("2026-03-16T08:00:00Z"), Change{Title: ptr("B")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Edit(ScopeInstance, utc("2026-03-23T08:00:00Z"), Change{Location: ptr("X")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Edit(ScopeInstance, utc("2026-03-09T08:00:00Z"), Change{Location: ptr("Y")}); err != nil {
		t.Fatal(err)
	}
	res, err := e.Edit(ScopeAll, time.Time{}, Change{RRule: rulep("FREQ=WEEKLY;BYDAY=MO,WE")})
	if err != nil {
		t.Fatal(err)
	}
	// Both Monday overrides still exist as instances of the new rule.
	if !res.Collapsed || len(e.Segments) != 1 || res.DroppedOverrides != 0 {
		t.Fatalf("result %+v with %d segments", res, len(e.Segments))
	}
	res, err = e.Edit(ScopeAll, time.Time{}, Change{Start: wallp("2026-03-03T09:00:00"), End: wallp("2026-03-03T09:30:00"), RRule: rulep("FREQ=WEEKLY;BYDAY=TU")})
	if err != nil {
		t.Fatal(err)
	}
	if res.DroppedOverrides != 2 || len(e.Overrides) != 0 {
		t.Fatalf("dropped %d, left %d overrides; want 2 dropped, none left", res.DroppedOverrides, len(e.Overrides))
	}
}

func TestFollowingWithNoChangeLeavesOneSegment(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	if _, err := e.Edit(ScopeFollowing, utc("2026-03-16T08:00:00Z"), Change{Title: ptr("Standup")}); err != nil {
		t.Fatal(err)
	}
	if len(e.Segments) != 1 {
		t.Fatalf("%d segments after a no-op edit, want 1", len(e.Segments))
	}
}

func TestEditInstanceRejectsRuleChange(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	_, err := e.Edit(ScopeInstance, utc("2026-03-09T08:00:00Z"), Change{RRule: rulep("FREQ=DAILY")})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Fields["rrule"] == "" {
		t.Fatalf("err = %v, want a validation error on rrule", err)
	}
}

func TestEditUnknownInstance(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	_, err := e.Edit(ScopeInstance, utc("2026-03-10T08:00:00Z"), Change{Title: ptr("x")})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Fields["instance"] == "" {
		t.Fatalf("err = %v, want a validation error on instance", err)
	}
}

func TestMoveOneInstance(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	second := utc("2026-03-09T08:00:00Z")
	if _, err := e.Edit(ScopeInstance, second, Change{Start: wallp("2026-03-10T14:00:00")}); err != nil {
		t.Fatal(err)
	}
	equalStrings(t, starts(e, "2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"), []string{"2026-03-10T14:00 Standup"})
	// Moved into a window that does not hold its original start.
	equalStrings(t, starts(e, "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"), []string{"2026-03-10T14:00 Standup"})
	oc, _, _ := e.Instance(owner, second)
	if oc.End.Sub(oc.Start) != 30*time.Minute {
		t.Errorf("moved instance lasts %v, want its 30 minutes", oc.End.Sub(oc.Start))
	}
}

func TestDSTKeepsLocalTime(t *testing.T) {
	e := mustEvent(t, EventInput{Start: "2026-03-26T09:00:00", End: "2026-03-26T10:00:00", RRule: "FREQ=DAILY;COUNT=4"})
	got := e.Instances(owner, utc("2026-03-01T00:00:00Z"), utc("2026-04-01T00:00:00Z"), false)
	wantUTC := []string{"2026-03-26T08:00:00Z", "2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z"}
	if len(got) != 4 {
		t.Fatalf("%d instances, want 4", len(got))
	}
	for i, oc := range got {
		if oc.Start.Hour() != 9 || oc.OriginalStart.Format(time.RFC3339) != wantUTC[i] {
			t.Errorf("instance %d at %v (%v UTC), want 09:00 local = %s", i, oc.Start, oc.OriginalStart, wantUTC[i])
		}
	}
}

func TestAllDayEventsAreDates(t *testing.T) {
	e := mustEvent(t, EventInput{AllDay: true, Start: "2026-03-02", End: "2026-03-03", RRule: "FREQ=WEEKLY;COUNT=2"})
	got := e.Instances(owner, utc("2026-03-01T00:00:00Z"), utc("2026-03-31T00:00:00Z"), false)
	if len(got) != 2 {
		t.Fatalf("%d instances, want 2", len(got))
	}
	if s, en := got[0].Start.Format(time.RFC3339), got[0].End.Format(time.RFC3339); s != "2026-03-02T00:00:00Z" || en != "2026-03-04T00:00:00Z" {
		t.Errorf("first all-day instance %s..%s, want 2026-03-02..2026-03-04 (two days, end exclusive)", s, en)
	}
}

func TestSegmentUIDsSurviveEditsAndSplitsMintNew(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	uid := e.Segments[0].UID
	if uid == "" {
		t.Fatal("new segment has no UID")
	}
	if _, err := e.Edit(ScopeAll, time.Time{}, Change{Title: ptr("Renamed"), Start: wallp("2026-03-02T10:00:00")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Edit(ScopeFollowing, utc("2026-03-16T09:00:00Z"), Change{Title: ptr("Later")}); err != nil {
		t.Fatal(err)
	}
	if e.Segments[0].UID != uid || e.Segments[1].UID == "" || e.Segments[1].UID == uid {
		t.Fatalf("UIDs %q, %q: want the first kept (%q) and a new one for the split", e.Segments[0].UID, e.Segments[1].UID, uid)
	}
}

func TestEditInstanceOfOneOffEditsTheEvent(t *testing.T) {
	e := mustEvent(t, EventInput{Start: "2026-03-02T09:00:00"})
	if _, err := e.Edit(ScopeInstance, utc("2026-03-02T08:00:00Z"), Change{Title: ptr("Renamed")}); err != nil {
		t.Fatal(err)
	}
	if e.Segments[0].Title != "Renamed" || len(e.Overrides) != 0 {
		t.Fatalf("title %q with %d overrides: a one-off's change belongs to the event", e.Segments[0].Title, len(e.Overrides))
	}
}

func TestReplaceSegmentKeepsEarlierSegmentsBounded(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	if _, err := e.Edit(ScopeFollowing, utc("2026-03-16T08:00:00Z"), Change{Title: ptr("Later")}); err != nil {
		t.Fatal(err)
	}
	// Outlook moved the first part to Tuesdays with no end: it must still stop before the second.
	first := e.Segments[0]
	first.Start = time.Date(2026, 3, 3, 9, 0, 0, 0, first.Start.Location())
	first.Rule = &Rule{Freq: Weekly, Interval: 1, ByDay: []WeekdayNum{{Weekday: time.Tuesday}}, WeekStart: time.Monday}
	if _, err := e.ReplaceSegment(first.UID, first); err != nil {
		t.Fatal(err)
	}
	last, bounded := e.Segments[0].Schedule().Last()
	if !bounded || !last.Before(utc("2026-03-16T08:00:00Z")) {
		t.Fatalf("first segment ends %v (bounded %v), want before the second's start", last, bounded)
	}
}
