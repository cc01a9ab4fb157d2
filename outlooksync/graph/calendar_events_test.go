package graph

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// Through the SDK against the fake, as publishing uses it: an app signed in as itself writes
// a series with our marker into a space's calendar of a mailbox, changes one occurrence, and
// lists the calendar's items with the master's new change key; the default calendar holds
// nothing, and a deleted calendar's items are not found.
func TestAppOnlyWritesAndListsASpaceCalendar(t *testing.T) {
	ctx := context.Background()
	fake := fakeoutlook.New(fakeoutlook.Options{})
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	if _, err := fake.AddMailbox(mailbox, "Anna Berg"); err != nil {
		t.Fatal(err)
	}
	if err := fake.GrantAdminConsent(fakeoutlook.DemoTenantID, fakeoutlook.DemoClientID, "Calendars.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	c := appClient(t, srv)
	calID, err := c.EnsureCalendar(ctx, "Choir")
	if err != nil {
		t.Fatal(err)
	}
	cal := c.Calendar(calID)
	start := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	w := &outlooksync.EventWrite{Subject: "Rehearsal", Start: start, End: start.Add(2 * time.Hour), TimeZone: "Europe/Berlin",
		Recurrence: &outlooksync.Recurrence{
			Pattern: outlooksync.RecurrencePattern{Type: "weekly", Interval: 1, DaysOfWeek: []string{"monday"}, FirstDayOfWeek: "sunday"},
			Range:   outlooksync.RecurrenceRange{Type: "numbered", StartDate: "2026-03-02", NumberOfOccurrences: 4},
		},
		Marker: "intracal-space:3:7:U1"}
	res := cal.Apply(ctx, []outlooksync.Op{{Kind: outlooksync.OpCreate, Write: w}})
	if len(res) != 1 || res[0].Err != nil || res[0].Event == nil {
		t.Fatalf("create: %+v", res)
	}
	masterID := res[0].Event.ID
	win := outlooksync.Window{From: start.AddDate(0, 0, -1), To: start.AddDate(0, 2, 0)}
	insts, err := cal.Instances(ctx, masterID, win)
	if err != nil || len(insts) != 4 {
		t.Fatalf("instances: %d %v", len(insts), err)
	}
	items, err := cal.Items(ctx)
	if err != nil || len(items) != 1 || items[0].ID != masterID || items[0].Marker != w.Marker {
		t.Fatalf("items: %+v %v", items, err)
	}
	before := items[0].ChangeKey
	res = cal.Apply(ctx, []outlooksync.Op{{Kind: outlooksync.OpDelete, ID: insts[1].ID}})
	if res[0].Err != nil {
		t.Fatalf("cancel an occurrence: %v", res[0].Err)
	}
	if items, err = cal.Items(ctx); err != nil || len(items) != 1 || items[0].ChangeKey == before {
		t.Fatalf("items after the occurrence went: %+v %v, want the master's change key new", items, err)
	}
	if def, err := fake.Events(mailbox); err != nil || len(def) != 0 {
		t.Fatalf("the default calendar holds %+v %v", def, err)
	}
	if err := c.DeleteCalendar(ctx, calID); err != nil {
		t.Fatal(err)
	}
	if _, err := cal.Items(ctx); !errors.Is(err, outlooksync.ErrRemoteNotFound) {
		t.Fatalf("items of a deleted calendar: %v, want not found", err)
	}
}
