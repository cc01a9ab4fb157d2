package synce2e

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

func weeklyOn(days ...string) *fakeoutlook.PatternedRecurrence {
	return &fakeoutlook.PatternedRecurrence{Pattern: fakeoutlook.RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: days}}
}

func TestFirstSyncBringsOutlookSeriesWithChangedAndDeletedOccurrences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		start := w.at(1, 10, 0)
		m, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Design review", Location: "Lab", Start: start,
			End: start.Add(time.Hour), TimeZone: "Europe/Berlin", Recurrence: weeklyOn("tuesday")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.fake.UpdateOccurrence(mailbox, m.ID, w.at(8, 10, 0), fakeoutlook.Change{Subject: ptr("Design review (customer)")}); err != nil {
			t.Fatal(err)
		}
		if err := w.fake.DeleteOccurrence(mailbox, m.ID, w.at(15, 10, 0)); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		if n := w.events(); n != 1 {
			t.Fatalf("%d local events, want the one series", n)
		}
		// A second cycle finds nothing to do and writes nothing.
		before := w.fake.GraphRequestCount(mailbox)
		res := w.sync()
		if res.Pushed != 0 || res.Pulled != 0 {
			t.Fatalf("second cycle pulled %d, pushed %d", res.Pulled, res.Pushed)
		}
		w.same()
		t.Logf("second cycle: %d requests", w.fake.GraphRequestCount(mailbox)-before)
	})
}

func TestUnchangedMailboxCostsOneRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.create(calendar.EventInput{Title: "Standup", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 15)), RRule: "FREQ=WEEKLY;BYDAY=MO,WE,FR"})
		w.sync()
		w.sync() // reads back our own writes
		// The change feed alone: one request.
		w.engine.BackstopSeries = 0
		before := w.fake.GraphRequestCount(mailbox)
		w.sync()
		if n := w.fake.GraphRequestCount(mailbox) - before; n != 1 {
			t.Fatalf("a cycle with no change made %d requests, want 1", n)
		}
		// The backstop re-reads the series in $batch as well (the master, then its instances
		// in the window, 50 a page), and changes nothing.
		w.engine.BackstopSeries = 10
		before = w.fake.GraphRequestCount(mailbox)
		res := w.sync()
		n := w.fake.GraphRequestCount(mailbox) - before
		if res.Backstop != 1 || res.Pushed != 0 || res.Pulled != 0 || n < 2 {
			t.Fatalf("a cycle with the backstop re-read %d series in %d requests, pushed %d, pulled %d", res.Backstop, n, res.Pushed, res.Pulled)
		}
		t.Logf("an unchanged cycle with the backstop: %d requests", n)
		w.same()
	})
}

func TestRule1LocalThisAndFollowingSplitsInOutlook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		e := w.create(calendar.EventInput{Title: "Standup", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 15)), RRule: "FREQ=WEEKLY;BYDAY=MO"})
		// A changed and a cancelled instance after the split point.
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeInstance, w.at(21, 9, 0).UTC(), calendar.Change{Location: ptr("Room 4")}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.cal.Delete(ctx, w.user, e.ID, nil, calendar.ScopeInstance, w.at(28, 9, 0).UTC()); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeFollowing, w.at(14, 9, 0).UTC(), calendar.Change{Title: ptr("Standup (new format)")}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		if n := w.masters(); n != 2 {
			t.Fatalf("%d series in Outlook, want the shortened one and the new one", n)
		}
		links, _ := w.store.Links(ctx, w.user.UserID)
		if len(links) != 2 || links[0].EventID != e.ID || links[1].EventID != e.ID {
			t.Fatalf("links = %+v, want both series linked to event %d", links, e.ID)
		}
		w.sync()
		w.same()
	})
}

func TestRule2OutlookThisAndAllFollowingStaysOneEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		e := w.create(calendar.EventInput{Title: "Planning", Start: wall(w.at(1, 14, 0)), End: wall(w.at(1, 15, 0)), RRule: "FREQ=WEEKLY;BYDAY=TU"})
		w.sync()
		links, _ := w.store.Links(context.Background(), w.user.UserID)
		if len(links) != 1 {
			t.Fatalf("%d links after the first sync", len(links))
		}
		// In Outlook: this and all following from the third occurrence, one hour later.
		if _, err := w.fake.SplitSeries(mailbox, links[0].RemoteID, w.at(15, 14, 0), fakeoutlook.Change{
			Start: ptr(w.at(15, 15, 0)), End: ptr(w.at(15, 16, 0))}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		if n := w.events(); n != 1 {
			t.Fatalf("%d local events after Outlook's split, want 1", n)
		}
		got, err := w.cal.Get(context.Background(), w.user, e.ID)
		if err != nil || len(got.Segments) != 2 {
			t.Fatalf("event after the split: %v, %d segments", err, len(got.Segments))
		}
		w.sync()
		w.same()
	})
}

func TestRule3SeriesChangeReachesOutlookExceptions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		e := w.create(calendar.EventInput{Title: "Sync", Start: wall(w.at(2, 11, 0)), End: wall(w.at(2, 11, 30)), RRule: "FREQ=WEEKLY;BYDAY=WE"})
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeInstance, w.at(9, 11, 0).UTC(), calendar.Change{Location: ptr("Roof")}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Title: ptr("Weekly sync")}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
	})
}

func TestRule4OutlookChildChangeStaysOnChild(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		e := w.create(calendar.EventInput{Title: "Review", Start: wall(w.at(3, 10, 0)), End: wall(w.at(3, 11, 0)), RRule: "FREQ=WEEKLY;BYDAY=TH"})
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeFollowing, w.at(17, 10, 0).UTC(), calendar.Change{Location: ptr("Annex")}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		links, _ := w.store.Links(ctx, w.user.UserID)
		var child string
		for _, l := range links {
			if l.Base.Series.Location == "Annex" {
				child = l.RemoteID
			}
		}
		if _, err := w.fake.UpdateEvent(mailbox, child, fakeoutlook.Change{Subject: ptr("Review (annex)")}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		got, _ := w.cal.Get(ctx, w.user, e.ID)
		if got.Segments[0].Title != "Review" || got.Segments[1].Title != "Review (annex)" {
			t.Fatalf("titles %q / %q", got.Segments[0].Title, got.Segments[1].Title)
		}
	})
}

func TestRule7OutlookPatternChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		e := w.create(calendar.EventInput{Title: "Gym", Start: wall(w.at(0, 18, 0)), End: wall(w.at(0, 19, 0)), RRule: "FREQ=WEEKLY;BYDAY=MO"})
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeInstance, w.at(7, 18, 0).UTC(), calendar.Change{Location: ptr("Pool")}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		links, _ := w.store.Links(ctx, w.user.UserID)
		rec := weeklyOn("monday", "thursday")
		rec.Range = fakeoutlook.RecurrenceRange{Type: "noEnd", StartDate: w.at(0, 0, 0).Format("2006-01-02")}
		if _, err := w.fake.ChangePattern(mailbox, links[0].RemoteID, *rec); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		hist, _ := w.store.History(ctx, w.user.UserID, 50)
		if len(hist) == 0 {
			t.Fatal("no sync history")
		}
	})
}

func TestCrashBetweenCreateAndLinkMakesNoDuplicate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.create(calendar.EventInput{Title: "Offsite", Start: wall(w.at(4, 9, 0)), End: wall(w.at(4, 17, 0))})
		w.engine.HookAfterWrite = func() error { return errCrash }
		if _, err := w.engine.Cycle(context.Background(), outlooksync.Job{UserID: w.user.UserID, CalendarID: w.calID, Graph: w.graph}); err == nil {
			t.Fatal("the crash was not reported")
		}
		w.engine.HookAfterWrite = nil
		w.sync()
		w.sync()
		if n := w.masters(); n != 1 {
			t.Fatalf("%d events in Outlook after a crash and two cycles, want 1", n)
		}
		if n := w.events(); n != 1 {
			t.Fatalf("%d events in My Calendar, want 1", n)
		}
		w.same()
	})
}

func TestExpiredDeltaTokenMeansFullReadNotDeletion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.create(calendar.EventInput{Title: "Standup", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 15)), RRule: "FREQ=DAILY;COUNT=20"})
		w.sync()
		w.sync()
		if err := w.fake.ExpireDeltaTokens(mailbox); err != nil {
			t.Fatal(err)
		}
		res := w.sync()
		if !res.FullRead {
			t.Fatal("the expired token did not lead to a full read")
		}
		w.same()
		if n := w.events(); n != 1 {
			t.Fatalf("%d local events, want 1", n)
		}
	})
}

func TestFailedReadDeletesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		w.create(calendar.EventInput{Title: "Standup", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 15)), RRule: "FREQ=DAILY;COUNT=20"})
		w.sync()
		remove := w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultDropConnection, Mailbox: mailbox, Times: 1})
		if _, err := w.engine.Cycle(context.Background(), outlooksync.Job{UserID: w.user.UserID, CalendarID: w.calID, Graph: w.graph}); err == nil {
			t.Log("the dropped connection was retried by the client")
		}
		remove()
		w.sync()
		w.same()
		if n := w.events(); n != 1 {
			t.Fatalf("%d local events, want 1", n)
		}
	})
}

type crash string

func (c crash) Error() string { return string(c) }

const errCrash = crash("simulated crash between the write to Outlook and saving the link")

func ptr[T any](v T) *T { return &v }
