package graph

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

func weeklyWrite(t *testing.T, subject string, start time.Time, marker string) *outlooksync.EventWrite {
	t.Helper()
	return &outlooksync.EventWrite{
		Subject: subject, Body: "Bring the numbers", Location: "Room 2",
		Start: start, End: start.Add(30 * time.Minute), TimeZone: "Europe/Berlin",
		Recurrence: &outlooksync.Recurrence{
			Pattern: outlooksync.RecurrencePattern{Type: "weekly", Interval: 1,
				DaysOfWeek: []string{strings.ToLower(start.In(berlin(t)).Weekday().String())}, FirstDayOfWeek: "monday"},
			Range: outlooksync.RecurrenceRange{Type: "numbered", NumberOfOccurrences: 4,
				StartDate: start.In(berlin(t)).Format("2006-01-02"), RecurrenceTimeZone: "Europe/Berlin"},
		},
		Marker: marker, TransactionID: "tx-" + marker,
	}
}

func TestApplyCreatesInBatchesOfTwenty(t *testing.T) {
	f := newFixture(t, Options{})
	start := today().AddDate(0, 0, 1).Add(7 * time.Hour)
	var ops []outlooksync.Op
	for i := range 45 {
		ops = append(ops, outlooksync.Op{Kind: outlooksync.OpCreate,
			Write: weeklyWrite(t, fmt.Sprintf("Series %d", i), start, fmt.Sprintf("seg-%d", i))})
	}
	if _, err := f.client.Me(t.Context()); err != nil { // sign in, so only batches are counted below
		t.Fatal(err)
	}
	before := f.fake.GraphRequestCount(mailbox)
	results := f.client.Apply(t.Context(), ops)
	if got := f.fake.GraphRequestCount(mailbox) - before; got != 3 {
		t.Errorf("45 creates took %d HTTP requests, want 3 batches", got)
	}
	for i, r := range results {
		if r.Err != nil || r.Event == nil || r.Event.ID == "" || r.Event.Type != outlooksync.TypeMaster {
			t.Fatalf("create %d: %+v", i, r)
		}
	}
	got, err := f.client.Event(t.Context(), results[7].Event.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := ops[7].Write
	if got.Subject != "Series 7" || got.Body != want.Body || got.Location != want.Location || got.Marker != "seg-7" ||
		!got.Start.Equal(want.Start) || !got.End.Equal(want.End) || got.TimeZone != "Europe/Berlin" {
		t.Errorf("read back %+v", got)
	}
	if r := got.Recurrence; r == nil || r.Pattern.Type != "weekly" || len(r.Pattern.DaysOfWeek) != 1 ||
		r.Pattern.DaysOfWeek[0] != want.Recurrence.Pattern.DaysOfWeek[0] || r.Range.NumberOfOccurrences != 4 ||
		r.Range.StartDate != want.Recurrence.Range.StartDate || r.Range.RecurrenceTimeZone != "Europe/Berlin" {
		t.Errorf("recurrence read back as %+v", r)
	}

	// The same transaction id returns the first item instead of a second one.
	again := f.client.Apply(t.Context(), ops[7:8])
	if again[0].Err != nil || again[0].Event.ID != results[7].Event.ID {
		t.Errorf("retried create: %+v, want the same id %s", again[0], results[7].Event.ID)
	}
	if evs, _ := f.fake.Events(mailbox); len(evs) != 45 {
		t.Errorf("the mailbox has %d events, want 45", len(evs))
	}
}

func TestApplyUpdatesOnlyTheNamedFieldsAndReportsEachFailure(t *testing.T) {
	f := newFixture(t, Options{})
	start := today().AddDate(0, 0, 2).Add(12 * time.Hour)
	created := f.client.Apply(t.Context(), []outlooksync.Op{{Kind: outlooksync.OpCreate, Write: weeklyWrite(t, "Planning", start, "p1")}})
	if created[0].Err != nil {
		t.Fatal(created[0].Err)
	}
	ev := created[0].Event
	results := f.client.Apply(t.Context(), []outlooksync.Op{
		{Kind: outlooksync.OpUpdate, ID: ev.ID, IfMatch: ev.ChangeKey, Write: &outlooksync.EventWrite{Fields: []string{"subject"}, Subject: "Planning (Q3)"}},
		{Kind: outlooksync.OpUpdate, ID: ev.ID, IfMatch: "stale-change-key", Write: &outlooksync.EventWrite{Fields: []string{"location"}, Location: "Lost"}},
		{Kind: outlooksync.OpDelete, ID: "AAMkNoSuchEvent="},
		{Kind: outlooksync.OpRespond, ID: ev.ID, Response: "maybe"},
	})
	if results[0].Err != nil || results[0].Event == nil || results[0].Event.Subject != "Planning (Q3)" {
		t.Errorf("update: %+v", results[0])
	}
	// The two updates may run in either order, so the stale one fails whichever goes first.
	if !errors.Is(results[1].Err, outlooksync.ErrPreconditionFailed) {
		t.Errorf("update with a stale change key: %v, want ErrPreconditionFailed", results[1].Err)
	}
	if !errors.Is(results[2].Err, outlooksync.ErrRemoteNotFound) {
		t.Errorf("delete of a missing event: %v, want ErrRemoteNotFound", results[2].Err)
	}
	if results[3].Err == nil {
		t.Error("respond with an unknown answer was accepted")
	}
	got, err := f.client.Event(t.Context(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != "Planning (Q3)" || got.Location != "Room 2" || got.Body != "Bring the numbers" {
		t.Errorf("after a subject-only update: %+v", got)
	}

	deleted := f.client.Apply(t.Context(), []outlooksync.Op{{Kind: outlooksync.OpDelete, ID: ev.ID}})
	if deleted[0].Err != nil {
		t.Fatal(deleted[0].Err)
	}
	if _, err := f.client.Event(t.Context(), ev.ID); !errors.Is(err, outlooksync.ErrRemoteNotFound) {
		t.Errorf("after delete: %v", err)
	}
}

func TestApplyAnswersMeetingInvitations(t *testing.T) {
	f := newFixture(t, Options{})
	const organizer = "bob@contoso.example"
	if _, err := f.fake.AddMailbox(organizer, "Bob"); err != nil {
		t.Fatal(err)
	}
	start := today().AddDate(0, 0, 3).Add(14 * time.Hour)
	if _, err := f.fake.CreateEvent(organizer, fakeoutlook.EventSpec{Subject: "Budget", Start: start, End: start.Add(time.Hour), Attendees: []string{mailbox}}); err != nil {
		t.Fatal(err)
	}
	invite, err := f.fake.FindEvent(mailbox, "Budget")
	if err != nil {
		t.Fatal(err)
	}
	res := f.client.Apply(t.Context(), []outlooksync.Op{{Kind: outlooksync.OpRespond, ID: invite.ID, Response: "tentativelyAccepted", SendResponse: true}})
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	got, err := f.client.Event(t.Context(), invite.ID)
	if err != nil || got.ResponseStatus != "tentativelyAccepted" || got.IsOrganizer || got.Organizer != organizer {
		t.Errorf("after answering: %+v, %v", got, err)
	}
}

func TestApplyResendsThrottledOperations(t *testing.T) {
	f := newFixture(t, Options{})
	start := today().AddDate(0, 0, 1).Add(9 * time.Hour)
	f.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Endpoint: fakeoutlook.EndpointCreateEvent, Times: 2})
	res := f.client.Apply(t.Context(), []outlooksync.Op{
		{Kind: outlooksync.OpCreate, Write: weeklyWrite(t, "A", start, "a")},
		{Kind: outlooksync.OpCreate, Write: weeklyWrite(t, "B", start, "b")},
		{Kind: outlooksync.OpCreate, Write: weeklyWrite(t, "C", start, "c")},
	})
	for i, r := range res {
		if r.Err != nil {
			t.Errorf("create %d after inner 429s: %v", i, r.Err)
		}
	}
	if evs, _ := f.fake.Events(mailbox); len(evs) != 3 {
		t.Errorf("the mailbox has %d events, want 3 (no duplicates, none lost)", len(evs))
	}

	// A wait longer than the adapter's patience comes back to the caller.
	f.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Endpoint: fakeoutlook.EndpointCreateEvent, Times: 1, RetryAfter: time.Hour})
	res = f.client.Apply(t.Context(), []outlooksync.Op{{Kind: outlooksync.OpCreate, Write: weeklyWrite(t, "D", start, "d")}})
	var thr *outlooksync.ThrottledError
	if !errors.As(res[0].Err, &thr) || thr.RetryAfter != time.Hour || thr.Status != 429 {
		t.Errorf("throttled for an hour: %v, want *ThrottledError with RetryAfter 1h", res[0].Err)
	}
}

func TestAllDayEventsKeepTheirDates(t *testing.T) {
	f := newFixture(t, Options{})
	day := today().AddDate(0, 0, 5)
	res := f.client.Apply(t.Context(), []outlooksync.Op{{Kind: outlooksync.OpCreate, Write: &outlooksync.EventWrite{
		Subject: "Offsite", Start: day, End: day.AddDate(0, 0, 2), TimeZone: "America/New_York", IsAllDay: true,
		TransactionID: "allday-1",
	}}})
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	got, err := f.client.Event(t.Context(), res[0].Event.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsAllDay || !got.Start.Equal(day) || !got.End.Equal(day.AddDate(0, 0, 2)) || got.TimeZone != "America/New_York" {
		t.Errorf("all-day event read back as %s..%s in %s (all day %t), want %s..%s",
			got.Start, got.End, got.TimeZone, got.IsAllDay, day, day.AddDate(0, 0, 2))
	}
}
