package synce2e

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// Issue case 9: time zones Graph refuses or invents. The fake runs on its strict defaults:
// only Windows names and Graph's IANA list are accepted, and items can report custom zones.

// weeks is how long the series below run: longer than seven months, so that each one spans
// a change of daylight saving time whatever today's date.
const weeks = 35

// longSpan is the whole of a series of weeks weekly instances from next Monday.
func (w *world) longSpan() (time.Time, time.Time) { return w.monday, w.monday.AddDate(0, 0, 7*weeks) }

// localIn and outlookIn list both sides' instances between from and to as "start title".
func (w *world) localIn(from, to time.Time) []string {
	w.t.Helper()
	occ, _, err := w.cal.Occurrences(context.Background(), w.user, calendar.Query{From: from, To: to})
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	var out []string
	for _, o := range occ {
		out = append(out, o.Start.UTC().Format(time.RFC3339)+" "+o.Title)
	}
	sort.Strings(out)
	return out
}

func (w *world) outlookIn(from, to time.Time) []string {
	w.t.Helper()
	evs, err := w.fake.CalendarView(mailbox, from, to)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Start.UTC().Format(time.RFC3339)+" "+e.Subject)
	}
	sort.Strings(out)
	return out
}

// sameAllAt fails unless both sides show the same n instances between from and to, each at
// hh:mm wall time in zone, and they straddle a change of daylight saving time.
func (w *world) sameAllAt(from, to time.Time, n int, zone string, hh, mm int) {
	w.t.Helper()
	l, o := w.localIn(from, to), w.outlookIn(from, to)
	if strings.Join(l, "\n") != strings.Join(o, "\n") {
		w.t.Fatalf("My Calendar and Outlook differ.\nMy Calendar (%d):\n  %s\nOutlook (%d):\n  %s", len(l), strings.Join(l, "\n  "), len(o), strings.Join(o, "\n  "))
	}
	if len(l) != n {
		w.t.Fatalf("%d instances, want %d:\n  %s", len(l), n, strings.Join(l, "\n  "))
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	offsets := map[int]bool{}
	for _, s := range l {
		at, err := time.Parse(time.RFC3339, strings.Fields(s)[0])
		if err != nil {
			w.t.Fatalf("%v", err)
		}
		at = at.In(loc)
		if at.Hour() != hh || at.Minute() != mm {
			w.t.Fatalf("an instance at %s, want every one at %02d:%02d %s:\n  %s", at.Format("2006-01-02 15:04 MST"), hh, mm, zone, strings.Join(l, "\n  "))
		}
		_, off := at.Zone()
		offsets[off] = true
	}
	if len(offsets) < 2 {
		w.t.Fatalf("the instances do not straddle a change of daylight saving time")
	}
}

// noSpuriousHistory fails if any cycle so far wrote an error or claimed a change in Outlook.
func (w *world) noSpuriousHistory() {
	w.t.Helper()
	hist, err := w.store.History(context.Background(), w.user.UserID, 200)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	for _, h := range hist {
		if h.Direction == "error" || strings.HasPrefix(h.Summary, "Changed in Outlook") || h.Direction == "conflict" {
			w.t.Fatalf("history has %q %q (%s): nothing changed", h.Direction, h.Summary, h.Detail)
		}
	}
}

// zoneOf is the zone of an event's first segment in My Calendar.
func (w *world) zoneOf(id int64) string {
	w.t.Helper()
	e, err := w.cal.Get(context.Background(), w.user, id)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return e.Segments[0].TimeZone
}

func TestZoneOffGraphsListReachesOutlookAndStays(t *testing.T) {
	for _, tc := range []struct{ zone, windows string }{
		{"Europe/Amsterdam", "W. Europe Standard Time"},
		{"America/Toronto", "Eastern Standard Time"},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			w := newWorld(t, dbtest.SQLite(t))
			// Neither zone is on Graph's IANA list: sent as such, Graph answers 400 on every cycle.
			e := w.create(calendar.EventInput{Title: "Standup", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 30)),
				TimeZone: tc.zone, RRule: "FREQ=WEEKLY;BYDAY=MO"})
			if res := w.sync(); res.Failed != 0 || res.Pushed == 0 {
				t.Fatalf("first cycle: %d failed, %d pushed: %+v", res.Failed, res.Pushed, res.History)
			}
			evs, err := w.fake.Events(mailbox)
			if err != nil || len(evs) != 1 {
				t.Fatalf("%d events in Outlook (%v), want the series", len(evs), err)
			}
			if evs[0].Recurrence == nil || evs[0].Recurrence.Range.RecurrenceTimeZone != tc.windows {
				t.Fatalf("Outlook's series: %+v, want it in %s", evs[0].Recurrence, tc.windows)
			}
			w.same()
			// Outlook reads it back as its Windows zone's own zone (Europe/Berlin,
			// America/New_York): the same zone, not Outlook's change.
			res := w.sync()
			if res.Pulled != 0 || res.Pushed != 0 {
				t.Fatalf("second cycle pulled %d, pushed %d: %+v", res.Pulled, res.Pushed, res.History)
			}
			w.sync()
			w.noSpuriousHistory()
			if got := w.zoneOf(e.ID); got != tc.zone {
				t.Fatalf("the event is now in %q, want %q", got, tc.zone)
			}
			w.same()
		})
	}
}

func TestCustomZoneSeriesFromOutlookImportsInItsRecurrenceZone(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	start := w.at(0, 9, 0)
	// Made in an Outlook that saved its own zone definition: Graph names the zone
	// tzone://Microsoft/Custom, and only recurrence.range.recurrenceTimeZone says Berlin.
	if _, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Standup", Start: start, End: start.Add(30 * time.Minute),
		TimeZone: "Europe/Berlin", ReportZoneAs: "tzone://Microsoft/Custom",
		Recurrence: &fakeoutlook.PatternedRecurrence{Pattern: fakeoutlook.RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{"monday"}},
			Range: fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: weeks}}}); err != nil {
		t.Fatal(err)
	}
	w.sync()
	from, to := w.longSpan()
	evs, err := w.cal.OrganizedEvents(context.Background(), w.user.UserID, nil, from.AddDate(0, 0, -7), to)
	if err != nil || len(evs) != 1 {
		t.Fatalf("%d local events (%v), want the imported series", len(evs), err)
	}
	if got := evs[0].Segments[0].TimeZone; got != "Europe/Berlin" {
		t.Fatalf("imported in %q, want Europe/Berlin (the recurrence's zone), not UTC", got)
	}
	// 09:00 Berlin on both sides, before and after the change of daylight saving time.
	w.sameAllAt(from, to, weeks, "Europe/Berlin", 9, 0)
	w.sync()
	w.noSpuriousHistory()
	w.sameAllAt(from, to, weeks, "Europe/Berlin", 9, 0)
}

func TestLinkedSeriesReportedWithCustomizedZoneKeepsZoneAndInstances(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	series := w.create(calendar.EventInput{Title: "Standup", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 30)),
		RRule: fmt.Sprintf("FREQ=WEEKLY;BYDAY=MO;COUNT=%d", weeks)})
	single := w.create(calendar.EventInput{Title: "Review", Start: wall(w.at(2, 9, 0)), End: wall(w.at(2, 10, 0))})
	w.sync()
	w.sync()
	// Another Outlook saves both items with a zone definition of its own: Graph now names
	// their zone "Customized Time Zone". The series still says W. Europe Standard Time in
	// its recurrence; the single event says nothing else.
	for _, id := range []int64{series.ID, single.ID} {
		if _, err := w.fake.ReportZoneAs(mailbox, w.linkOf(id), "Customized Time Zone"); err != nil {
			t.Fatal(err)
		}
	}
	w.sync()
	w.sync()
	w.noSpuriousHistory()
	for _, id := range []int64{series.ID, single.ID} {
		if got := w.zoneOf(id); got != "Europe/Berlin" {
			t.Fatalf("event %d is now in %q, want Europe/Berlin", id, got)
		}
	}
	from, to := w.longSpan()
	w.sameAllAt(from, to, weeks+1, "Europe/Berlin", 9, 0)
	w.same()
}
