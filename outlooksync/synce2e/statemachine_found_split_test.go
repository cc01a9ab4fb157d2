package synce2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// renamed-between-halfway-splits: Outlook renamed a series and split it in two writes with
// a sync between them; before a sync saw the second write, Outlook renamed the series again
// and split it once more at an earlier occurrence, again with a sync between the writes.
// The first split's new series carries the title the series had at the first sync between
// writes, and was imported as a second event: the sync compared its title with the series
// before Outlook shortened it and with the series' newest title only. Now the title last
// synced counts too. The second case adds a part made here ("this and all following" from a
// later occurrence, sent by the first sync between writes), as the long run drew it.
func TestStateMachineFoundASplitRenamedBetweenItsWrites(t *testing.T) {
	for _, partHere := range []bool{false, true} {
		name := "Outlook alone"
		if partHere {
			name = "with a part made here"
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, dbtest.SQLite(t))
			ctx := context.Background()
			e := w.create(calendar.EventInput{Title: "Weekly", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 10, 0)), RRule: "FREQ=WEEKLY;BYDAY=MO,TH"})
			w.sync()
			parent := w.linkOf(e.ID)
			from, to := w.span()
			inst, err := w.fake.Instances(mailbox, parent, from, to)
			if err != nil || len(inst) < 8 {
				t.Fatalf("Outlook has %d instances (%v), want at least 8", len(inst), err)
			}
			rename := func(title string) {
				t.Helper()
				if _, err := w.fake.UpdateEvent(mailbox, parent, fakeoutlook.Change{Subject: ptr(title)}); err != nil {
					t.Fatal(err)
				}
			}
			halfwaySplit := func(at int, location string) {
				t.Helper()
				finish, err := w.fake.BeginSplitSeries(mailbox, parent, inst[at].OriginalStart, fakeoutlook.Change{Location: ptr(location)})
				if err != nil {
					t.Fatal(err)
				}
				w.sync()
				if _, err := finish(); err != nil {
					t.Fatal(err)
				}
			}
			rename("Weekly*")
			if partHere {
				if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeFollowing, inst[6].OriginalStart, calendar.Change{Location: ptr("Room 1")}); err != nil {
					t.Fatal(err)
				}
			}
			halfwaySplit(3, "Split 1")
			rename("Weekly**")
			halfwaySplit(1, "Split 2")
			w.sync()
			w.sync()
			if partHere {
				w.wantSettled(t)
			} else {
				w.wantOneEvent(t, e.ID, 3)
			}
			smNoDuplicateLines(t, "Outlook", w.outlook())
		})
	}
}

// middle-part-repatterned: Outlook split a series twice, changed the pattern of the middle
// part and deleted the first part, all before a sync. The last part, in the series'
// pattern, was joined to the event; the middle one, in a pattern of its own, was imported as
// a second event, and the first part, changed here and so created again in Outlook, reached
// into it: an instance twice on both sides. A series that carries a deleted series on from
// one of its occurrences under its name is now a part of it whatever its pattern, and the
// part sent back ends before the earliest such part.
func TestStateMachineFoundAMiddlePartWithAPatternOfItsOwn(t *testing.T) {
	for _, changedHere := range []bool{false, true} {
		name := "nothing changed here"
		if changedHere {
			name = "changed here"
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, dbtest.SQLite(t))
			e := w.create(calendar.EventInput{Title: "Fortnightly", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 10, 0)), RRule: "FREQ=WEEKLY;INTERVAL=2;COUNT=6"})
			w.sync()
			parent := w.linkOf(e.ID)
			middle, err := w.fake.SplitSeries(mailbox, parent, w.at(14, 9, 0), fakeoutlook.Change{Location: ptr("Split A")})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.fake.SplitSeries(mailbox, middle.ID, w.at(42, 9, 0), fakeoutlook.Change{Location: ptr("Split B")}); err != nil {
				t.Fatal(err)
			}
			evs, err := w.fake.Events(mailbox)
			if err != nil {
				t.Fatal(err)
			}
			var rec fakeoutlook.PatternedRecurrence
			for _, ev := range evs {
				if ev.ID == middle.ID {
					rec = *ev.Recurrence
				}
			}
			weekday := strings.ToLower(w.at(14, 9, 0).In(w.zone).Weekday().String())
			rec.Pattern = fakeoutlook.RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{weekday}, FirstDayOfWeek: "sunday"}
			if _, err := w.fake.ChangePattern(mailbox, middle.ID, rec); err != nil {
				t.Fatal(err)
			}
			if err := w.fake.DeleteEvent(mailbox, parent); err != nil {
				t.Fatal(err)
			}
			if changedHere {
				if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: ptr("Room 4")}); err != nil {
					t.Fatal(err)
				}
			}
			for range 3 {
				w.sync()
			}
			w.wantSettled(t)
		})
	}
}

// split-of-a-part-removed-here: Outlook split a part of a series in two writes with a sync
// between them, while My Calendar had removed that part: joined into the part before it (a
// "this and all following" from that part's first occurrence makes one series to the end of
// the last) or deleted with the event. The sync between the writes deleted the shortened
// Outlook series with its link, and the new series that followed matched nothing: it was
// imported, showing its days twice beside the joined part, or bringing back part of a
// deleted event. Now a deleted Outlook series that Outlook had just shortened awaits its new
// series for as long as a shortened one does, and that series goes too.
func TestStateMachineFoundASplitOfAPartRemovedHere(t *testing.T) {
	for _, deleted := range []bool{false, true} {
		name := "joined into the part before"
		if deleted {
			name = "deleted with the event"
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, dbtest.SQLite(t))
			ctx := context.Background()
			start := w.at(0, 0, 0)
			e := w.create(calendar.EventInput{Title: "Daily", Start: start.Format("2006-01-02"), End: start.Format("2006-01-02"), AllDay: true, RRule: "FREQ=DAILY;INTERVAL=2;COUNT=9"})
			at := func(n int) time.Time {
				return time.Date(start.Year(), start.Month(), start.Day()+2*n, 0, 0, 0, 0, time.UTC)
			}
			for _, n := range []int{3, 6} {
				if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeFollowing, at(n), calendar.Change{Location: ptr("Part " + strconv.Itoa(n))}); err != nil {
					t.Fatal(err)
				}
			}
			w.sync()
			last := lastPartSeries(t, w, e.ID)
			if deleted {
				if _, err := w.cal.Delete(ctx, w.user, e.ID, nil, calendar.ScopeAll, time.Time{}); err != nil {
					t.Fatal(err)
				}
			} else if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeFollowing, at(3), calendar.Change{Title: ptr("Daily'"), Location: ptr("Room")}); err != nil {
				t.Fatal(err)
			}
			from, to := w.span()
			inst, err := w.fake.Instances(mailbox, last, from, to)
			if err != nil || len(inst) != 3 {
				t.Fatalf("the last part has %d instances in Outlook (%v), want 3", len(inst), err)
			}
			finish, err := w.fake.BeginSplitSeries(mailbox, last, inst[1].OriginalStart, fakeoutlook.Change{Location: ptr("Split")})
			if err != nil {
				t.Fatal(err)
			}
			w.sync()
			if _, err := finish(); err != nil {
				t.Fatal(err)
			}
			w.sync()
			w.sync()
			if deleted {
				if n, got := w.events(), w.outlook(); n != 0 || len(got) != 0 {
					t.Fatalf("%d events here and %v in Outlook, want none", n, got)
				}
				return
			}
			if n := w.events(); n != 1 {
				t.Errorf("%d events here, want 1\n%v", n, w.local())
			}
			if got := w.event(e.ID); len(got.Segments) != 2 {
				t.Errorf("the event has %d parts, want 2", len(got.Segments))
			}
			local, outlook := w.allDayDates()
			if strings.Join(local, "\n") != strings.Join(outlook, "\n") || len(local) != 9 {
				t.Fatalf("want the same 9 days on both sides\nMy Calendar:\n  %s\nOutlook:\n  %s", strings.Join(local, "\n  "), strings.Join(outlook, "\n  "))
			}
			smNoDuplicateLines(t, "My Calendar", local)
			if !w.historyHas("deleting the new part in Outlook too") {
				t.Error("the history does not say why Outlook's new series was deleted")
			}
		})
	}
}

// lastPartSeries returns the Outlook series of an event's last part.
func lastPartSeries(t *testing.T, w *world, eventID int64) string {
	t.Helper()
	links, err := w.store.Links(context.Background(), w.user.UserID)
	if err != nil {
		t.Fatal(err)
	}
	e := w.event(eventID)
	uid := e.Segments[len(e.Segments)-1].UID
	for _, l := range links {
		if l.EventID == eventID && l.SegmentUID == uid {
			return l.RemoteID
		}
	}
	t.Fatalf("the last part of event %d has no link", eventID)
	return ""
}
