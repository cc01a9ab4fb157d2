package synce2e

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// The cases of the issue "The sync holds on Microsoft 365 as it is", one test each, against
// the fake on its strict defaults (docs/fake-outlook.md). Case 9, time zones, is in
// zones_test.go.

// allDayDates lists the dates of the all-day instances in the span on both sides: here
// they are dates (midnight UTC), in Outlook midnight in the item's own zone.
func (w *world) allDayDates() (local, outlook []string) {
	w.t.Helper()
	from, to := w.span()
	occ, _, err := w.cal.Occurrences(context.Background(), w.user, calendar.Query{From: from.AddDate(0, 0, -1), To: to})
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	for _, o := range occ {
		if o.AllDay && !o.Start.Before(from.AddDate(0, 0, -1)) {
			local = append(local, o.Start.UTC().Format("2006-01-02")+" "+o.Title)
		}
	}
	evs, err := w.fake.CalendarView(mailbox, from.AddDate(0, 0, -1), to)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	for _, e := range evs {
		if !e.IsAllDay || e.IsCancelled {
			continue
		}
		loc, err := time.LoadLocation(e.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		outlook = append(outlook, e.Start.In(loc).Format("2006-01-02")+" "+e.Subject)
	}
	sort.Strings(local)
	sort.Strings(outlook)
	return local, outlook
}

// historyHas reports whether the user's sync history has a line containing s.
func (w *world) historyHas(s string) bool {
	w.t.Helper()
	items, err := w.store.History(context.Background(), w.user.UserID, 1000)
	if err != nil {
		w.t.Fatalf("history: %v", err)
	}
	for _, it := range items {
		if strings.Contains(it.Summary, s) {
			return true
		}
	}
	return false
}

func midnight(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// Case 1: all-day series made in Outlook outside UTC, and one made here in Europe/Berlin,
// keep every date (their occurrences are keyed by originalStart at the zone's midnight).
func TestCase1AllDaySeriesOutsideUTCKeepEveryDate(t *testing.T) {
	for _, zone := range []string{"W. Europe Standard Time", "Eastern Standard Time"} {
		t.Run(zone, func(t *testing.T) {
			w := newWorld(t, dbtest.SQLite(t))
			loc, _ := time.LoadLocation(map[string]string{"W. Europe Standard Time": "Europe/Berlin", "Eastern Standard Time": "America/New_York"}[zone])
			start := midnight(w.at(1, 0, 0), loc)
			if _, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Office day", Start: start, End: start.AddDate(0, 0, 1),
				TimeZone: zone, IsAllDay: true, Recurrence: weeklyOn("tuesday")}); err != nil {
				t.Fatal(err)
			}
			w.sync()
			w.sync()
			local, outlook := w.allDayDates()
			if len(local) != 9 || !slices.Equal(local, outlook) {
				t.Fatalf("all-day dates differ:\nMy Calendar %v\nOutlook     %v", local, outlook)
			}
			if w.historyHas("Occurrence deleted in Outlook") {
				t.Fatal("the history says occurrences were deleted in Outlook")
			}
		})
	}
	t.Run("made here in Europe/Berlin", func(t *testing.T) {
		w := newWorld(t, dbtest.SQLite(t))
		day := w.at(1, 0, 0).Format("2006-01-02")
		w.create(calendar.EventInput{Title: "Offsite", Start: day, End: day, AllDay: true, TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY"})
		w.sync()
		w.sync()
		w.sync()
		local, outlook := w.allDayDates()
		if len(local) != 9 || !slices.Equal(local, outlook) {
			t.Fatalf("all-day dates differ:\nMy Calendar %v\nOutlook     %v", local, outlook)
		}
		if w.historyHas("cancelled here") {
			t.Fatal("instances were cancelled here after a sync")
		}
	})
}

// Case 2: Graph sends all-day items as midnight to midnight of their dates whatever zone is
// asked for; west of UTC they must not land a day early, and an unrelated Outlook edit must
// not move a local all-day event.
func TestCase2AllDayDatesWestOfUTCStayOnTheirDay(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	la, _ := time.LoadLocation("America/Los_Angeles")
	start := midnight(w.at(2, 0, 0), la)
	if _, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Launch", Start: start, End: start.AddDate(0, 0, 1),
		TimeZone: "Pacific Standard Time", IsAllDay: true}); err != nil {
		t.Fatal(err)
	}
	day := w.at(3, 0, 0).Format("2006-01-02")
	local := w.create(calendar.EventInput{Title: "Away", Start: day, End: day, AllDay: true, TimeZone: "America/Los_Angeles"})
	w.sync()
	mine, outlook := w.allDayDates()
	want := []string{start.Format("2006-01-02") + " Launch", day + " Away"}
	sort.Strings(want)
	if !slices.Equal(mine, want) || !slices.Equal(outlook, want) {
		t.Fatalf("all-day dates: My Calendar %v, Outlook %v, want %v", mine, outlook, want)
	}
	// An unrelated edit in Outlook of the local event's copy.
	if _, err := w.fake.UpdateEvent(mailbox, w.linkOf(local.ID), fakeoutlook.Change{Location: ptr("Home")}); err != nil {
		t.Fatal(err)
	}
	w.sync()
	w.sync()
	mine, outlook = w.allDayDates()
	if !slices.Equal(mine, want) || !slices.Equal(outlook, want) {
		t.Fatalf("after an Outlook edit: My Calendar %v, Outlook %v, want %v", mine, outlook, want)
	}
}

// Case 3: the window follows the clock. After 60 daily syncs an Outlook event 20 days past
// the first window's end is inside the window, and imported; nothing that merely left the
// window is touched.
func TestCase3TheWindowFollowsTheClock(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	var shift time.Duration
	w.engine.Now = func() time.Time { return time.Now().Add(shift) }
	early := w.create(calendar.EventInput{Title: "Soon over", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 10, 0))})
	w.sync()
	first := w.engine.Window()
	at := first.To.Add(20 * 24 * time.Hour).Add(10 * time.Hour)
	if _, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Far ahead", Start: at, End: at.Add(time.Hour), TimeZone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	for range 60 {
		shift += 24 * time.Hour
		w.sync()
	}
	evs, err := w.cal.OrganizedEvents(context.Background(), w.user.UserID, nil, at.Add(-time.Hour), at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Segments[0].Title != "Far ahead" {
		t.Fatalf("after 60 days the event 20 days past the first window is not here: %d events", len(evs))
	}
	if _, err := w.cal.Get(context.Background(), w.user, early.ID); err != nil {
		t.Fatalf("the event that left the window: %v", err)
	}
	if n := w.masters(); n != 2 {
		t.Fatalf("Outlook has %d items, want 2", n)
	}
}

// Case 4: "this and all following" twice in Outlook (on the series, then on its new part)
// with no sync between: one event with three parts.
func TestCase4TwoOutlookSplitsBetweenSyncsMakeOneEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		e := w.create(calendar.EventInput{Title: "Standup", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 15)), RRule: "FREQ=WEEKLY;BYDAY=MO"})
		w.sync()
		child, err := w.fake.SplitSeries(mailbox, w.linkOf(e.ID), w.at(14, 9, 0), fakeoutlook.Change{Location: ptr("Room 2")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.fake.SplitSeries(mailbox, child.ID, w.at(35, 9, 0), fakeoutlook.Change{Location: ptr("Room 3")}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.sync()
		if n := w.events(); n != 1 {
			t.Fatalf("%d local events, want one", n)
		}
		if got := w.event(e.ID); len(got.Segments) != 3 {
			t.Fatalf("the event has %d parts, want 3", len(got.Segments))
		}
		if w.historyHas("Imported from Outlook") {
			t.Fatal("a part of the split was imported as an event of its own")
		}
		w.same()
	})
}

// Case 5: a sync between the two writes of Outlook's split (the range shortened, then the
// new series created) still makes one event, and the rule still holds one cycle later.
func TestCase5ASyncInTheMiddleOfAnOutlookSplitMakesOneEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		e := w.create(calendar.EventInput{Title: "Review", Start: wall(w.at(1, 14, 0)), End: wall(w.at(1, 15, 0)), RRule: "FREQ=WEEKLY;BYDAY=TU"})
		w.sync()
		finish, err := w.fake.BeginSplitSeries(mailbox, w.linkOf(e.ID), w.at(22, 14, 0), fakeoutlook.Change{Location: ptr("Room 9")})
		if err != nil {
			t.Fatal(err)
		}
		w.sync() // sees only the shortened range
		if _, err := finish(); err != nil {
			t.Fatal(err)
		}
		w.sync() // sees the new series
		w.sync()
		if n := w.events(); n != 1 {
			t.Fatalf("%d local events, want one", n)
		}
		if got := w.event(e.ID); len(got.Segments) != 2 {
			t.Fatalf("the event has %d parts, want 2", len(got.Segments))
		}
		if w.historyHas("Imported from Outlook") {
			t.Fatal("the new part was imported as an event of its own")
		}
		w.same()
	})
}

// Case 6: the organizer changes the series time in Outlook: the invitee of one instance keeps
// no live single event at the old time beside the new one (seed bug 5).
func TestCase6OrganizerTimeChangeInOutlookLeavesNoStaleSingleEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := m.create(calendar.EventInput{Title: "Clinic", Start: wall(m.at(1, 9, 0)), End: wall(m.at(1, 10, 0)), RRule: "FREQ=WEEKLY;BYDAY=TU;COUNT=4"})
		m.invite(e, calendar.ScopeInstance, m.at(8, 9, 0).UTC(), m.bob.user.UserID)
		m.syncAll()
		m.syncAll()
		if _, err := m.fake.UpdateEvent(mailbox, m.linkOf(e.ID), fakeoutlook.Change{Start: ptr(m.at(1, 11, 0)), End: ptr(m.at(1, 12, 0))}); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			m.syncAll()
		}
		m.same()
		evs, err := m.fake.Events(bobMail)
		if err != nil {
			t.Fatal(err)
		}
		var live []string
		for _, ev := range evs {
			if !ev.IsCancelled {
				live = append(live, ev.Start.In(m.zone).Format("01-02 15:04"))
			}
		}
		want := m.at(8, 11, 0).Format("01-02 15:04")
		if len(live) != 1 || live[0] != want {
			t.Fatalf("bob's live Outlook items start at %v, want only %s", live, want)
		}
	})
}

// Case 7: a pattern change in Outlook that removes an occurrence changed here says so in the
// history (docs/sync.md, rule 7).
func TestCase7ADroppedInstanceChangeIsInTheHistory(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	ctx := context.Background()
	e := w.create(calendar.EventInput{Title: "Sync", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 10, 0)), RRule: "FREQ=WEEKLY;BYDAY=MO"})
	if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeInstance, w.at(7, 9, 0).UTC(), calendar.Change{Location: ptr("Room 5")}); err != nil {
		t.Fatal(err)
	}
	w.sync()
	m, err := w.fake.GetEvent(mailbox, w.linkOf(e.ID))
	if err != nil {
		t.Fatal(err)
	}
	rec := *m.Recurrence
	rec.Pattern.DaysOfWeek = []string{"wednesday"}
	if _, err := w.fake.ChangePattern(mailbox, m.ID, rec); err != nil {
		t.Fatal(err)
	}
	w.sync()
	w.sync()
	w.same()
	if !w.historyHas("Instance change dropped") {
		t.Fatal("the history does not say the instance change was dropped")
	}
}

// Case 8: private appointments stay private both ways, and a colleague sees nothing of them.
func TestCase8PrivateAppointmentsStayPrivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		ctx := context.Background()
		start := m.at(2, 12, 0)
		for _, s := range []string{"private", "confidential"} {
			if _, err := m.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Doctor " + s, Body: "results", Location: "Clinic",
				Start: start, End: start.Add(time.Hour), TimeZone: "Europe/Berlin", Sensitivity: s}); err != nil {
				t.Fatal(err)
			}
		}
		here := m.create(calendar.EventInput{Title: "Interview", Start: wall(m.at(3, 9, 0)), End: wall(m.at(3, 10, 0)), Privacy: calendar.Private})
		public := m.create(calendar.EventInput{Title: "Team lunch", Start: wall(m.at(4, 12, 0)), End: wall(m.at(4, 13, 0))})
		m.sync()
		if got, err := m.fake.GetEvent(mailbox, m.linkOf(here.ID)); err != nil || got.Sensitivity != "private" {
			t.Fatalf("the private event here is %q in Outlook (%v), want private", got.Sensitivity, err)
		}
		// Made private in Outlook later: private here too.
		if _, err := m.fake.UpdateEvent(mailbox, m.linkOf(public.ID), fakeoutlook.Change{Sensitivity: ptr("private")}); err != nil {
			t.Fatal(err)
		}
		m.sync()
		m.sync()
		dave := calendar.Viewer{UserID: 4}
		from, to := m.span()
		occ, _, err := m.cal.Occurrences(ctx, dave, calendar.Query{From: from, To: to, CalendarID: m.calID})
		if err != nil {
			t.Fatal(err)
		}
		if len(occ) != 0 {
			t.Fatalf("a colleague sees %d instances of private events, e.g. %q", len(occ), occ[0].Title)
		}
		evs, err := m.cal.OrganizedEvents(ctx, m.user.UserID, nil, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 4 {
			t.Fatalf("%d events here, want 4", len(evs))
		}
		for _, e := range evs {
			if e.Privacy != calendar.Private {
				t.Errorf("%q is %s here", e.Segments[0].Title, e.Privacy)
			}
			if _, err := m.cal.Get(ctx, dave, e.ID); err == nil {
				t.Errorf("a colleague can load %q", e.Segments[0].Title)
			}
		}
	})
}

// Case 10: a deleted occurrence may leave no trace in delta (the fake's default): the
// backstop re-read still finds it.
func TestCase10ADeletedOccurrenceWithNoTraceInDeltaIsFound(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	start := w.at(0, 8, 0)
	rec := weeklyOn("monday")
	rec.Range = fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: 8}
	ev, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Training", Start: start, End: start.Add(time.Hour), TimeZone: "Europe/Berlin", Recurrence: rec})
	if err != nil {
		t.Fatal(err)
	}
	w.sync()
	if err := w.fake.DeleteOccurrence(mailbox, ev.ID, w.at(21, 8, 0)); err != nil {
		t.Fatal(err)
	}
	before := w.fake.GraphRequestCount(mailbox)
	res := w.sync()
	t.Logf("the cycle after the deletion: %d requests, %d series re-read by the backstop", w.fake.GraphRequestCount(mailbox)-before, res.Backstop)
	w.sync()
	w.sync()
	if l, o := len(w.local()), len(w.outlook()); l != 7 || o != 7 {
		t.Fatalf("My Calendar has %d instances and Outlook %d, want 7 each", l, o)
	}
	w.same()
}

// Case 11: a series deleted in Outlook but changed here is created again with a transaction
// id of its own (Exchange may match the first one against the deleted item), each time.
func TestCase11ARecreatedSeriesGetsItsOwnTransactionID(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	ctx := context.Background()
	e := w.create(calendar.EventInput{Title: "Board", Start: wall(w.at(2, 16, 0)), End: wall(w.at(2, 17, 0)), RRule: "FREQ=WEEKLY;COUNT=5"})
	w.sync()
	for round := range 2 {
		if err := w.fake.DeleteEvent(mailbox, w.linkOf(e.ID)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: ptr("Room " + string(rune('A'+round)))}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.sync()
		w.same()
		if n := w.masters(); n != 1 {
			t.Fatalf("round %d: Outlook has %d series, want the one created again", round, n)
		}
	}
}

// event loads a local event as the sync sees it.
func (w *world) event(id int64) *calendar.Event {
	w.t.Helper()
	e, err := w.cal.GetFull(context.Background(), id)
	if err != nil {
		w.t.Fatalf("event %d: %v", id, err)
	}
	return e
}

// A new delta round (the window moved on, or the token expired) lists what Outlook has, not
// what went: an item deleted in Outlook just before it is still seen as deleted.
func TestANewRoundStillSeesADeletionMadeBeforeIt(t *testing.T) {
	for _, how := range []string{"the window moved", "the token expired"} {
		for _, series := range []bool{false, true} {
			name := how + "/single"
			if series {
				name = how + "/series"
			}
			t.Run(name, func(t *testing.T) {
				w := newWorld(t, dbtest.SQLite(t))
				var shift time.Duration
				w.engine.Now = func() time.Time { return time.Now().Add(shift) }
				in := calendar.EventInput{Title: "Gone soon", Start: wall(w.at(3, 9, 0)), End: wall(w.at(3, 10, 0))}
				if series {
					in.RRule = "FREQ=WEEKLY;COUNT=4"
				}
				e := w.create(in)
				w.sync()
				w.engine.BackstopSeries = 0 // the new round alone must see it
				if err := w.fake.DeleteEvent(mailbox, w.linkOf(e.ID)); err != nil {
					t.Fatal(err)
				}
				if how == "the window moved" {
					shift = 24 * time.Hour
				} else if err := w.fake.ExpireDeltaTokens(mailbox); err != nil {
					t.Fatal(err)
				}
				if res := w.sync(); !res.FullRead {
					t.Fatal("the cycle did not start a new round")
				}
				if n := w.events(); n != 0 {
					t.Fatalf("deleted in Outlook before a new round: %d event(s) still here", n)
				}
			})
		}
	}
}
