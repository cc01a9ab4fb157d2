package synce2e

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// The sync bugs the state machine found around a cycle that stops between its writes to
// Outlook and the saving of its links (docs/sync.md, "The randomised proof"), each shrunk by
// hand to its smallest case and kept as a test of its own once fixed.

// crash-after-import: a crash after an import was saved here but before its link was saved
// duplicated it on both sides: the next cycle found an unlinked local event (created in
// Outlook) and an unmarked Outlook item (imported again). Now the import and its link are
// stored in one transaction.
func TestStateMachineFoundCrashAfterAnImportDuplicates(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	start := w.at(7, 8, 30)
	if _, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Made in Outlook", Start: start, End: start.Add(time.Hour), TimeZone: "Europe/Berlin"}); err != nil {
		t.Fatal(err)
	}
	w.crashedSync()
	w.sync()
	w.sync()
	if w.events() != 1 || w.masters() != 1 {
		t.Errorf("a crash after an import: %d events here, %d in Outlook, want 1 and 1\nMy Calendar %v\nOutlook %v", w.events(), w.masters(), w.local(), w.outlook())
	}
}

// split-of-an-unseen-create: a series created in Outlook by a cycle that crashed before
// saving its link, then split and deleted there before the next cycle: no link named the
// deleted item, so the new series was imported beside the event, its instances twice. Now
// a new series carrying on a segment whose create was sent (pending.go) and that no Outlook
// item claims joins the event as a new part.
func TestStateMachineFoundASplitOfAnUnseenCreate(t *testing.T) {
	for _, changedHere := range []bool{false, true} {
		t.Run(fmt.Sprintf("changed here %v", changedHere), func(t *testing.T) {
			w := newWorld(t, dbtest.SQLite(t))
			e := w.create(calendar.EventInput{Title: "Weekly", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 10, 0)), RRule: "FREQ=WEEKLY;COUNT=6"})
			w.crashedSync()
			evs, err := w.fake.Events(mailbox)
			if err != nil || len(evs) != 1 {
				t.Fatalf("Outlook has %d items (%v), want the one created", len(evs), err)
			}
			if _, err := w.fake.SplitSeries(mailbox, evs[0].ID, w.at(21, 9, 0), fakeoutlook.Change{Location: ptr("Split")}); err != nil {
				t.Fatal(err)
			}
			if err := w.fake.DeleteEvent(mailbox, evs[0].ID); err != nil {
				t.Fatal(err)
			}
			if changedHere {
				if _, err := w.cal.Delete(context.Background(), w.user, e.ID, nil, calendar.ScopeInstance, w.at(7, 9, 0).UTC()); err != nil {
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

// crash-after-a-recreate: a series deleted in Outlook but changed here goes back to Outlook
// as a new item; when the cycle that created it crashed before saving the link, the link
// still named the deleted item, the new item's marker was taken for that link's, and when
// the event was changed back meanwhile, the next cycle took the deletion here while the new
// item stayed in Outlook. Now the new item takes over the link, with the base it was sent with.
func TestStateMachineFoundACrashAfterARecreate(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	e := w.create(calendar.EventInput{Title: "Weekly", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 10, 0)), RRule: "FREQ=WEEKLY;COUNT=6"})
	w.sync()
	if err := w.fake.DeleteEvent(mailbox, w.linkOf(e.ID)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: ptr("Room 4")}); err != nil {
		t.Fatal(err)
	}
	w.crashedSync() // the series goes back to Outlook; its link is not saved
	// Changed back before the next cycle: as the link last synced it.
	if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: ptr("")}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		w.sync()
	}
	if n, m := w.events(), w.masters(); n != 1 || m != 1 {
		t.Errorf("%d events here and %d items in Outlook, want 1 and 1\nMy Calendar %v\nOutlook %v", n, m, w.local(), w.outlook())
	}
	w.same()
}

// crash-after-split: a crash after the parts of an Outlook split were saved here but before
// their links were saved matched the split again on the next cycle: each part was added a
// second time, and the event, its parts overlapping, could no longer be changed ("Dates
// before 1900"). Now the parts' links are saved with the event.
func TestStateMachineFoundCrashAfterASplitAddsNoPartTwice(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	e := w.create(calendar.EventInput{Title: "Daily", Start: wall(w.at(0, 8, 0)), End: wall(w.at(0, 8, 45)), RRule: "FREQ=DAILY;COUNT=10"})
	w.sync()
	if _, err := w.fake.SplitSeries(mailbox, w.linkOf(e.ID), w.at(2, 8, 0), fakeoutlook.Change{Location: ptr("Room 2")}); err != nil {
		t.Fatal(err)
	}
	w.crashedSync()
	w.sync()
	w.sync()
	if got := w.event(e.ID); len(got.Segments) != 2 {
		t.Errorf("the event has %d parts, want 2", len(got.Segments))
	}
	p := calendar.Private
	if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Privacy: &p}); err != nil {
		t.Errorf("the event cannot be changed after the split: %v", err)
	}
	w.same()
	smNoDuplicateLines(t, "My Calendar", w.local())
}

// split-before-relink: a series created in Outlook by a cycle that crashed before saving its
// link, then split in Outlook, was relinked on the next cycle with Outlook's shortened series
// as its base: the split went unseen and its new part was imported beside the event. Now the
// base is the series as sent, when nothing changed here since, and when something did, its
// schedule still is, if Outlook ended the series earlier.
func TestStateMachineFoundSplitBeforeARelinkIsSeen(t *testing.T) {
	for _, editedHere := range []bool{false, true} {
		// Europe/Amsterdam comes back from Outlook as Europe/Berlin (one Windows zone).
		for _, zone := range []string{"", "Europe/Amsterdam"} {
			t.Run(fmt.Sprintf("an instance changed here too: %v, zone %q", editedHere, zone), func(t *testing.T) {
				splitBeforeARelink(t, editedHere, zone)
			})
		}
	}
}

func splitBeforeARelink(t *testing.T, editedHere bool, zone string) {
	w := newWorld(t, dbtest.SQLite(t))
	e := w.create(calendar.EventInput{Title: "Daily", Start: wall(w.at(0, 8, 0)), End: wall(w.at(0, 8, 45)), TimeZone: zone, RRule: "FREQ=DAILY;COUNT=10"})
	w.crashedSync()
	evs, err := w.fake.Events(mailbox)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Outlook has %d items (%v), want the one created", len(evs), err)
	}
	if _, err := w.fake.SplitSeries(mailbox, evs[0].ID, w.at(3, 8, 0), fakeoutlook.Change{Location: ptr("Room 2")}); err != nil {
		t.Fatal(err)
	}
	if editedHere {
		if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeInstance, w.at(1, 8, 0).UTC(), calendar.Change{Title: ptr("Daily, moved room")}); err != nil {
			t.Fatal(err)
		}
	}
	w.sync()
	w.sync()
	w.wantOneEvent(t, e.ID, 2)
}

// splits-before-a-relink-of-a-changed-series: a series created in Outlook by a cycle that
// crashed before saving its link, then split twice in Outlook while My Calendar changed
// "this and all following" from an earlier occurrence, was relinked with Outlook's shortened
// series as its base: what was sent was no longer known on either side, the splits went
// unseen and their new parts were imported beside the event. Now a cycle saves the base of
// each create before sending it, and the relink takes that.
func TestStateMachineFoundSplitsBeforeARelinkOfAChangedSeries(t *testing.T) {
	for _, order := range []struct {
		name          string
		first, second int // the days split at, in that order
		ofNewPart     bool
	}{{"the later split first", 6, 3, false}, {"the new part split again", 3, 6, true}} {
		t.Run(order.name, func(t *testing.T) {
			w := newWorld(t, dbtest.SQLite(t))
			e := w.create(calendar.EventInput{Title: "Daily", Start: wall(w.at(0, 8, 0)), End: wall(w.at(0, 8, 45)), RRule: "FREQ=DAILY;COUNT=10"})
			w.crashedSync()
			evs, err := w.fake.Events(mailbox)
			if err != nil || len(evs) != 1 {
				t.Fatalf("Outlook has %d items (%v), want the one created", len(evs), err)
			}
			if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeFollowing, w.at(1, 8, 0).UTC(), calendar.Change{Title: ptr("Daily, later")}); err != nil {
				t.Fatal(err)
			}
			part, err := w.fake.SplitSeries(mailbox, evs[0].ID, w.at(order.first, 8, 0), fakeoutlook.Change{Location: ptr("Room 2")})
			if err != nil {
				t.Fatal(err)
			}
			again := evs[0].ID
			if order.ofNewPart {
				again = part.ID
			}
			if _, err := w.fake.SplitSeries(mailbox, again, w.at(order.second, 8, 0), fakeoutlook.Change{Location: ptr("Room 3")}); err != nil {
				t.Fatal(err)
			}
			w.sync()
			w.sync()
			w.sync()
			w.wantSettled(t)
		})
	}
}

// deleted-before-relink: an event created in Outlook by a cycle that crashed before saving
// its link, and deleted there before the next cycle, stayed here for good: the next cycle
// created it again with the same transaction id, Outlook answered with the deleted item,
// and nothing read it again. Now an item a create did not make is read again: the deletion
// is seen, and taken here.
func TestStateMachineFoundDeletedBeforeARelinkIsSeen(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	e := w.create(calendar.EventInput{Title: "Private day", Start: wall(w.at(1, 0, 0)), End: wall(w.at(1, 0, 0)), AllDay: true})
	w.crashedSync()
	evs, err := w.fake.Events(mailbox)
	if err != nil || len(evs) != 1 {
		t.Fatalf("Outlook has %d items (%v), want the one created", len(evs), err)
	}
	if err := w.fake.DeleteEvent(mailbox, evs[0].ID); err != nil {
		t.Fatal(err)
	}
	w.sync()
	w.sync()
	if n := w.events(); n != 0 {
		t.Errorf("deleted in Outlook: still %d event here\n%v", n, w.local())
	}
	if _, err := w.cal.Get(context.Background(), w.user, e.ID); err == nil {
		t.Errorf("the event is still here")
	}
	w.same()
}

// crashedSync runs a cycle that crashes between its writes to Outlook and the saving of its
// links.
func (w *world) crashedSync() {
	w.t.Helper()
	w.engine.HookAfterWrite = func() error { return errCrash }
	defer func() { w.engine.HookAfterWrite = nil }()
	if _, err := w.engine.Cycle(context.Background(), outlooksync.Job{UserID: w.user.UserID, CalendarID: w.calID, Graph: w.graph}); !errors.Is(err, errCrash) {
		w.t.Fatalf("the cycle did not crash where it was told to: %v", err)
	}
}
