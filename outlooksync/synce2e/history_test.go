package synce2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// The sync page lists what a cycle did once per event and direction, and an import links to
// the event it made.
func TestHistoryListsEachChangeOnceAndLinksImports(t *testing.T) {
	w := newWorld(t, dbtest.SQLite(t))
	ctx := context.Background()
	since := func(n int) []outlooksync.HistoryItem {
		t.Helper()
		h, err := w.store.History(ctx, w.user.UserID, 100)
		if err != nil {
			t.Fatal(err)
		}
		return h[:len(h)-n] // newest first
	}
	e := w.create(calendar.EventInput{Title: "Planning", Start: wall(w.at(1, 14, 0)), End: wall(w.at(1, 15, 0)), RRule: "FREQ=WEEKLY;BYDAY=TU"})
	start := w.at(2, 10, 0)
	if _, err := w.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Design review", Start: start, End: start.Add(time.Hour),
		TimeZone: "Europe/Berlin", Recurrence: weeklyOn("wednesday")}); err != nil {
		t.Fatal(err)
	}
	w.sync()
	first := since(0)
	if len(first) != 2 {
		t.Fatalf("first cycle: %+v", first)
	}
	for _, h := range first {
		if h.Summary == "Imported from Outlook" && h.EventID == 0 {
			t.Fatalf("the import's line links to no event: %+v", h)
		}
	}
	// This and following, here: Outlook's series is shortened and a new one created: one line.
	if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeFollowing, w.at(15, 14, 0).UTC(), calendar.Change{Title: ptr("Planning (new)")}); err != nil {
		t.Fatal(err)
	}
	w.sync()
	split := since(len(first))
	if len(split) != 1 || split[0].EventID != e.ID || !strings.Contains(split[0].Summary, "reated in Outlook") {
		t.Fatalf("a local split is listed as %+v, want one line", split)
	}
	// All instances of the event with two parts: both Outlook series change, one line.
	if _, _, err := w.cal.Edit(ctx, w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: ptr("Hall")}); err != nil {
		t.Fatal(err)
	}
	w.sync()
	if all := since(len(first) + 1); len(all) != 1 || all[0].EventID != e.ID {
		t.Fatalf("a change of all instances is listed as %+v, want one line", all)
	}
	w.same()
}
