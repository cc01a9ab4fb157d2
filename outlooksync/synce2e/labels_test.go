package synce2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// An event's categories and reminder go to Outlook with it and come back from Outlook's
// changes, through the real SDK client: a colour and a reminder set here, changed here,
// changed in Outlook, and an event made in Outlook with its own.
func TestCategoriesAndReminderRoundTripWithOutlook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		e := w.create(calendar.EventInput{Title: "Planning", Start: wall(w.at(1, 9, 0)), End: wall(w.at(1, 10, 0)), RRule: "FREQ=WEEKLY;COUNT=4",
			Categories: []string{"Blue category"}, Reminder: &calendar.Reminder{On: true, Minutes: 30}})
		w.sync()
		outlook := func() fakeoutlook.Event {
			t.Helper()
			got, err := w.fake.GetEvent(mailbox, w.linkOf(e.ID))
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := outlook(); !slices.Equal(got.Categories, []string{"Blue category"}) || !got.IsReminderOn || got.ReminderMinutes != 30 {
			t.Fatalf("created in Outlook with categories %q, reminder %v/%d; want [Blue category], on, 30", got.Categories, got.IsReminderOn, got.ReminderMinutes)
		}

		// Changed here: another colour, no reminder.
		cats, off := []string{"Green category"}, calendar.Reminder{}
		if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeAll, e.Segments[0].Start.UTC(), calendar.Change{Categories: &cats, Reminder: &off}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		if got := outlook(); !slices.Equal(got.Categories, cats) || got.IsReminderOn {
			t.Fatalf("after the change here Outlook has %q, reminder %v; want %q and none", got.Categories, got.IsReminderOn, cats)
		}

		// Changed in Outlook: two categories, a reminder an hour before.
		theirs, on, hour := []string{"Red category", "Project X"}, true, 60
		if _, err := w.fake.UpdateEvent(mailbox, w.linkOf(e.ID), fakeoutlook.Change{Categories: &theirs, IsReminderOn: &on, ReminderMinutes: &hour}); err != nil {
			t.Fatal(err)
		}
		res := w.sync()
		got := w.event(e.ID)
		if !slices.Equal(got.Categories, theirs) || got.Reminder != (calendar.Reminder{On: true, Minutes: 60}) {
			t.Fatalf("after Outlook's change: here %q, %+v; want %q, 60 minutes", got.Categories, got.Reminder, theirs)
		}
		if !historySays(res.History, "Changed in Outlook: categories, reminder") {
			t.Errorf("the history does not say what Outlook changed: %+v", res.History)
		}
		if res := w.sync(); res.Pushed != 0 || res.Pulled != 0 {
			t.Errorf("a quiet cycle pushed %d and pulled %d", res.Pushed, res.Pulled)
		}

		// Made in Outlook with its own: imported with them.
		start := w.at(2, 14, 0)
		if _, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Dentist", Start: start, End: start.Add(3600e9), TimeZone: "Europe/Berlin",
			Categories: []string{"Purple category"}, Reminder: &fakeoutlook.Reminder{On: true, Minutes: 1440}}); err != nil {
			t.Fatal(err)
		}
		w.sync()
		from, to := w.span()
		evs, err := w.cal.OrganizedEvents(ctx, w.user.UserID, nil, from, to)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, ev := range evs {
			if ev.Segments[0].Title == "Dentist" {
				found = true
				if calendar.Colour(ev.Categories) != "purple" || ev.Reminder != (calendar.Reminder{On: true, Minutes: 1440}) {
					t.Errorf("imported with %q, %+v; want purple, a day before", ev.Categories, ev.Reminder)
				}
			}
		}
		if !found {
			t.Fatal("the Outlook event was not imported")
		}
	})
}

// Outlook's "this and all following" keeps the categories and reminder on both parts: the
// event here keeps its own, and nothing is sent back and forth.
func TestCategoriesSurviveAnOutlookSplit(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	e := w.create(calendar.EventInput{Title: "Weekly", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 10, 0)), RRule: "FREQ=WEEKLY;COUNT=6",
		Categories: []string{"Yellow category"}, Reminder: &calendar.Reminder{On: true, Minutes: 5}})
	w.sync()
	if _, err := w.fake.SplitSeries(mailbox, w.linkOf(e.ID), w.at(21, 9, 0), fakeoutlook.Change{Location: ptr("Room 2")}); err != nil {
		t.Fatal(err)
	}
	w.sync()
	w.wantOneEvent(t, e.ID, 2)
	got := w.event(e.ID)
	if !slices.Equal(got.Categories, []string{"Yellow category"}) || got.Reminder != (calendar.Reminder{On: true, Minutes: 5}) {
		t.Errorf("after the split: %q, %+v", got.Categories, got.Reminder)
	}
	if res := w.sync(); res.Pushed != 0 || res.Pulled != 0 {
		t.Errorf("a quiet cycle after the split pushed %d and pulled %d: %+v", res.Pushed, res.Pulled, res.History)
	}
}

func historySays(h []outlooksync.HistoryEntry, summary string) bool {
	return slices.ContainsFunc(h, func(e outlooksync.HistoryEntry) bool { return strings.HasPrefix(e.Summary, summary) })
}
