package synce2e

import (
	"context"
	"testing"

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
