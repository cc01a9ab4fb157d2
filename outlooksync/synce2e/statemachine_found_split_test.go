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
