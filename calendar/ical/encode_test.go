package ical

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/teambition/rrule-go"

	"intracal/calendar"
)

// expandFeed expands an iCalendar file as a subscribing app does, with rrule-go, a
// recurrence implementation independent of the calendar package's: each series' DTSTART,
// RRULE and EXDATE, then its RECURRENCE-ID components in place of the instances they
// replace. It returns "start title" lines of the instances overlapping [from, to).
func expandFeed(t *testing.T, data []byte, from, to time.Time) []string {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse the feed: %v\n%s", err, data)
	}
	type instance struct {
		start, end time.Time
		title      string
	}
	masters := map[string]*ics.VEvent{}
	exceptions := map[string]map[int64]instance{}
	var uids []string
	for _, ev := range cal.Events() {
		uid := ev.Id()
		if ev.GetProperty(ics.ComponentPropertyRecurrenceId) == nil {
			masters[uid] = ev
			uids = append(uids, uid)
			continue
		}
		rid := propTime(t, ev.GetProperty(ics.ComponentPropertyRecurrenceId))
		if exceptions[uid] == nil {
			exceptions[uid] = map[int64]instance{}
		}
		exceptions[uid][rid.UnixNano()] = instance{start: propTime(t, ev.GetProperty(ics.ComponentPropertyDtStart)),
			end: propTime(t, ev.GetProperty(ics.ComponentPropertyDtEnd)), title: summary(ev)}
	}
	var out []string
	for _, uid := range uids {
		m := masters[uid]
		start := propTime(t, m.GetProperty(ics.ComponentPropertyDtStart))
		dur := propTime(t, m.GetProperty(ics.ComponentPropertyDtEnd)).Sub(start)
		starts := []time.Time{start}
		if rr := m.GetProperty(ics.ComponentPropertyRrule); rr != nil {
			lines := []string{"DTSTART" + rruleTime(t, m.GetProperty(ics.ComponentPropertyDtStart)), "RRULE:" + dateUntil(rr.Value)}
			for _, ex := range m.GetProperties(ics.ComponentPropertyExdate) {
				for _, v := range strings.Split(ex.Value, ",") {
					p := *ex
					p.Value = v
					lines = append(lines, "EXDATE"+rruleTime(t, &p))
				}
			}
			set, err := rrule.StrSliceToRRuleSet(lines)
			if err != nil {
				t.Fatalf("rrule-go reads %q: %v", lines, err)
			}
			starts = set.Between(from.Add(-400*24*time.Hour), to, true)
		}
		for _, s := range starts {
			in := instance{start: s, end: s.Add(dur), title: summary(m)}
			if x, ok := exceptions[uid][s.UnixNano()]; ok {
				in = x
			}
			if in.start.Before(to) && in.end.After(from) {
				out = append(out, in.start.UTC().Format(time.RFC3339)+" "+in.title)
			}
		}
	}
	slices.Sort(out)
	return out
}

func summary(ev *ics.VEvent) string {
	if p := ev.GetProperty(ics.ComponentPropertySummary); p != nil {
		return p.Value
	}
	return ""
}

// propTime reads a DATE, a UTC DATE-TIME or a DATE-TIME with TZID.
func propTime(t *testing.T, p *ics.IANAProperty) time.Time {
	t.Helper()
	if p == nil {
		t.Fatal("a time property is missing")
	}
	loc := time.UTC
	if z := p.ICalParameters[string(ics.ParameterTzid)]; len(z) == 1 {
		l, err := time.LoadLocation(z[0])
		if err != nil {
			t.Fatal(err)
		}
		loc = l
	}
	for _, layout := range []string{utcLayout, localLayout, dateLayout} {
		if v, err := time.ParseInLocation(layout, p.Value, loc); err == nil {
			return v
		}
	}
	t.Fatalf("not a time: %q", p.Value)
	return time.Time{}
}

// rruleTime is a time property as rrule-go reads it after the property name (dates as
// midnight UTC, as the calendar package keeps all-day starts).
func rruleTime(t *testing.T, p *ics.IANAProperty) string {
	if z := p.ICalParameters[string(ics.ParameterTzid)]; len(z) == 1 {
		return ";TZID=" + z[0] + ":" + p.Value
	}
	return ":" + propTime(t, p).UTC().Format(utcLayout)
}

func dateUntil(rule string) string {
	parts := strings.Split(rule, ";")
	for i, part := range parts {
		if v, ok := strings.CutPrefix(part, "UNTIL="); ok && len(v) == len(dateLayout) {
			parts[i] = "UNTIL=" + v + "T235959Z"
		}
	}
	return strings.Join(parts, ";")
}

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
	got := expandFeed(t, buf.Bytes(), from, to)
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
