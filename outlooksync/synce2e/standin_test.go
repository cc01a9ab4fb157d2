package synce2e

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// linkOf returns the link of an event's only segment.
func (w *world) linkOf(eventID int64) string {
	w.t.Helper()
	links, err := w.store.Links(context.Background(), w.user.UserID)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	for _, l := range links {
		if l.EventID == eventID {
			return l.RemoteID
		}
	}
	w.t.Fatalf("event %d has no link", eventID)
	return ""
}

func TestOccurrenceDeletedInOutlookButChangedHereComesBackAsASingleEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		e := w.create(calendar.EventInput{Title: "Standup", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 15)), RRule: "FREQ=DAILY;COUNT=10"})
		w.sync()
		orig := w.at(2, 9, 0).UTC()
		// Here: the third day moves to another room; in Outlook, meanwhile, it is deleted.
		if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeInstance, orig, calendar.Change{Location: ptr("Room 7")}); err != nil {
			t.Fatal(err)
		}
		if err := w.fake.DeleteOccurrence(mailbox, w.linkOf(e.ID), orig); err != nil {
			t.Fatal(err)
		}
		res := w.sync()
		w.same() // the edit wins, in both calendars
		if res.Conflicts == 0 {
			t.Fatalf("the conflict is not in the history: %+v", res.History)
		}
		if w.masters() != 2 {
			t.Fatalf("Outlook holds %d items, want the series and the single event for the changed day", w.masters())
		}
		for range 2 {
			if res := w.sync(); res.Pushed != 0 || res.Pulled != 0 {
				t.Fatalf("a quiet cycle pushed %d, pulled %d: %+v", res.Pushed, res.Pulled, res.History)
			}
		}
		// Changes of the instance here reach the single event.
		if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeInstance, orig, calendar.Change{Title: ptr("Standup (demo)")}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		// Changes of the single event in Outlook reach the instance.
		single, err := w.fake.FindEvent(mailbox, "Standup (demo)")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.fake.UpdateEvent(mailbox, single.ID, fakeOutlookLocation("Room 9")); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		got := w.local()
		found := false
		for _, l := range got {
			found = found || l == line(orig, "Standup (demo)", "Room 9")
		}
		if !found {
			t.Fatalf("the instance did not take Outlook's room:\n%v", got)
		}
		// Deleting the single event in Outlook cancels the instance.
		if err := w.fake.DeleteEvent(mailbox, single.ID); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		if n := len(w.local()); n != 9 {
			t.Fatalf("%d instances here, want 9", n)
		}
	})
}

func TestANewScheduleReplacesTheSingleEventByTheOccurrence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		e := w.create(calendar.EventInput{Title: "Sync", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 30)), RRule: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8"})
		w.sync()
		orig := w.at(2, 9, 0).UTC()
		if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeInstance, orig, calendar.Change{Title: ptr("Sync (short)")}); err != nil {
			t.Fatal(err)
		}
		if err := w.fake.DeleteOccurrence(mailbox, w.linkOf(e.ID), orig); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.same()
		// Half an hour later, every time: Outlook's series gets its occurrences back.
		if _, _, err := w.cal.Edit(context.Background(), w.user, e.ID, nil, calendar.ScopeAll, time.Time{},
			calendar.Change{Start: wallp(wall(w.at(0, 9, 30))), End: wallp(wall(w.at(0, 10, 0)))}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		w.sync()
		w.same()
		if n := w.masters(); n != 1 {
			t.Fatalf("Outlook holds %d items, want the series alone", n)
		}
	})
}

func fakeOutlookLocation(room string) fakeoutlook.Change {
	return fakeoutlook.Change{Location: ptr(room)}
}
