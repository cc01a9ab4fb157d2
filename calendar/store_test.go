package calendar_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

var (
	alice = calendar.Viewer{UserID: 1}
	bob   = calendar.Viewer{UserID: 2}
	carol = calendar.Viewer{UserID: 3}
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func sp(s string) *string { return &s }

func create(t *testing.T, st *calendar.Store, v calendar.Viewer, in calendar.EventInput) *calendar.Event {
	t.Helper()
	ctx := context.Background()
	cal, err := st.MyCalendar(ctx, v.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if in.TimeZone == "" {
		in.TimeZone = "Europe/Berlin"
	}
	e, err := calendar.NewEvent(cal, v.UserID, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Create(ctx, e); err != nil {
		t.Fatal(err)
	}
	return e
}

func titles(t *testing.T, st *calendar.Store, v calendar.Viewer, q calendar.Query) []string {
	t.Helper()
	occ, _, err := st.Occurrences(context.Background(), v, q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range occ {
		out = append(out, o.Start.Format("01-02 15:04")+" "+o.Title)
	}
	return out
}

var march = calendar.Query{From: at("2026-03-01T00:00:00Z"), To: at("2026-04-01T00:00:00Z")}

func TestStoreRoundTripAndSplit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "Standup", Start: "2026-03-02T09:00:00", End: "2026-03-02T09:15:00", RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=5"})
		got, err := st.Get(ctx, alice, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Segments[0].Rule.String() != e.Segments[0].Rule.String() || !got.Segments[0].Start.Equal(e.Segments[0].Start) {
			t.Fatalf("stored segment differs: %+v vs %+v", got.Segments[0], e.Segments[0])
		}
		edited, _, err := st.Edit(ctx, alice, e.ID, &got.Version, calendar.ScopeFollowing, at("2026-03-16T08:00:00Z"), calendar.Change{Title: sp("Retro")})
		if err != nil {
			t.Fatal(err)
		}
		if edited.ID != e.ID || len(edited.Segments) != 2 || edited.Version != 2 {
			t.Fatalf("after split: id %d, %d segments, version %d", edited.ID, len(edited.Segments), edited.Version)
		}
		want := []string{"03-02 09:00 Standup", "03-09 09:00 Standup", "03-16 09:00 Retro", "03-23 09:00 Retro", "03-30 09:00 Retro"}
		if got := titles(t, st, alice, march); len(got) != len(want) || got[2] != want[2] || got[4] != want[4] {
			t.Fatalf("march = %q, want %q", got, want)
		}
	})
}

func TestStoreConcurrentEditsConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "Plan", Start: "2026-03-02T09:00:00"})
		v := e.Version
		if _, _, err := st.Edit(ctx, alice, e.ID, &v, calendar.ScopeAll, time.Time{}, calendar.Change{Title: sp("First")}); err != nil {
			t.Fatal(err)
		}
		_, _, err := st.Edit(ctx, alice, e.ID, &v, calendar.ScopeAll, time.Time{}, calendar.Change{Title: sp("Second")})
		var ce *calendar.ConflictError
		if !errors.As(err, &ce) || ce.CurrentVersion != v+1 {
			t.Fatalf("second edit on the old version: %v, want a conflict naming version %d", err, v+1)
		}
		got, _ := st.Get(ctx, alice, e.ID)
		if got.Segments[0].Title != "First" {
			t.Fatalf("title = %q, the losing edit overwrote the winner", got.Segments[0].Title)
		}
	})
}

func TestStorePrivateEventsStayPrivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "Salary review", Start: "2026-03-03T10:00:00", Privacy: calendar.Private, RRule: "FREQ=WEEKLY;COUNT=4"})
		if _, err := st.Get(ctx, bob, e.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("bob loads alice's private event: %v", err)
		}
		aliceCal, _ := st.MyCalendar(ctx, alice.UserID)
		for _, q := range []calendar.Query{march, {From: march.From, To: march.To, CalendarID: aliceCal}} {
			if got := titles(t, st, bob, q); len(got) != 0 {
				t.Fatalf("bob sees %q in calendar %d", got, q.CalendarID)
			}
		}
		if _, err := st.SetRSVP(ctx, bob, e.ID, calendar.ScopeAll, time.Time{}, calendar.Yes); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("bob answers alice's private event: %v", err)
		}
		// Carol is invited to the second instance only: she sees that one, as a single event.
		second := at("2026-03-10T09:00:00Z")
		if _, err := st.Invite(ctx, alice, e.ID, []int64{carol.UserID}, calendar.ScopeInstance, second); err != nil {
			t.Fatal(err)
		}
		got := titles(t, st, carol, march)
		if len(got) != 1 || got[0] != "03-10 10:00 Salary review" {
			t.Fatalf("carol sees %q, want only the invited instance", got)
		}
		view, err := st.Get(ctx, carol, e.ID)
		if err != nil || view.IsRecurring() || len(view.Segments) != 1 {
			t.Fatalf("carol's view: %v, recurring=%v", err, view != nil && view.IsRecurring())
		}
		if _, _, err := st.Edit(ctx, carol, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Title: sp("x")}); !errors.Is(err, calendar.ErrForbidden) {
			t.Fatalf("carol edits: %v, want forbidden", err)
		}
	})
}

func TestStoreMyCalendarMembership(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "All hands", Start: "2026-03-05T16:00:00", RRule: "FREQ=WEEKLY;COUNT=2"})
		if got := titles(t, st, bob, march); len(got) != 0 {
			t.Fatalf("bob's calendar shows %q before answering", got)
		}
		if _, err := st.SetRSVP(ctx, bob, e.ID, calendar.ScopeInstance, at("2026-03-12T15:00:00Z"), calendar.Yes); err != nil {
			t.Fatal(err)
		}
		if got := titles(t, st, bob, march); len(got) != 1 || got[0] != "03-12 16:00 All hands" {
			t.Fatalf("bob's calendar = %q, want the instance he said yes to", got)
		}
		occ, _, _ := st.Occurrences(ctx, bob, march)
		if occ[0].RSVP != calendar.Yes {
			t.Fatalf("bob's answer shown as %q", occ[0].RSVP)
		}
	})
}

func TestStoreMovedInstanceFoundByWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "Sprint", Start: "2026-02-02T09:00:00", RRule: "FREQ=MONTHLY;COUNT=2"})
		// Move the February instance into April.
		if _, _, err := st.Edit(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-02-02T08:00:00Z"), calendar.Change{Start: wp("2026-04-20T09:00:00")}); err != nil {
			t.Fatal(err)
		}
		got := titles(t, st, alice, calendar.Query{From: at("2026-04-01T00:00:00Z"), To: at("2026-05-01T00:00:00Z")})
		if len(got) != 1 || got[0] != "04-20 09:00 Sprint" {
			t.Fatalf("april = %q, want the moved instance", got)
		}
	})
}

func TestStoreDeleteAll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "Gone", Start: "2026-03-02T09:00:00", RRule: "FREQ=DAILY"})
		whole, err := st.Delete(ctx, alice, e.ID, nil, calendar.ScopeAll, time.Time{})
		if err != nil || !whole {
			t.Fatalf("delete: whole=%v err=%v", whole, err)
		}
		if _, err := st.Get(ctx, alice, e.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("deleted event loads: %v", err)
		}
		if got := titles(t, st, alice, march); len(got) != 0 {
			t.Fatalf("deleted event lists %d instances", len(got))
		}
		full, err := st.GetFull(ctx, e.ID)
		if err != nil || full.DeletedAt == nil {
			t.Fatalf("tombstone missing: %v", err)
		}
	})
}

// wp reads an edit's start or end as the pages and the API do.
func wp(s string) *calendar.WallInput { w := calendar.ParseWallInput(s); return &w }
