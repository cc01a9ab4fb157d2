package calendar

import (
	"errors"
	"testing"
	"time"
)

// The seed's "After creating a repeat event" behaviours, one test each.

// Seed 1: clicking an instance opens the details of that instance.
func TestSeed1InstanceDetails(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	third := utc("2026-03-16T08:00:00Z")
	if _, err := e.Edit(ScopeInstance, third, Change{Location: ptr("Room 2")}); err != nil {
		t.Fatal(err)
	}
	oc, cancelled, err := e.Instance(owner, third)
	if err != nil || cancelled {
		t.Fatalf("instance: %v cancelled=%v", err, cancelled)
	}
	if !oc.OriginalStart.Equal(third) || oc.Start.Format("2006-01-02 15:04") != "2026-03-16 09:00" || !oc.IsException ||
		len(oc.Changed) != 1 || oc.Changed[0] != "location" {
		t.Fatalf("details = %+v, want the third instance with its own location change", oc)
	}
}

// Seed 2: delete one instance, all, or from that point forward.
func TestSeed2DeleteScopes(t *testing.T) {
	window := func(e *Event) []string { return starts(e, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z") }
	t.Run("instance", func(t *testing.T) {
		e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=4")
		whole, err := e.Delete(ScopeInstance, utc("2026-03-09T08:00:00Z"), time.Now())
		if err != nil || whole {
			t.Fatalf("whole=%v err=%v", whole, err)
		}
		equalStrings(t, window(e), []string{"2026-03-02T09:00 Standup", "2026-03-16T09:00 Standup", "2026-03-23T09:00 Standup"})
	})
	t.Run("following", func(t *testing.T) {
		e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=4")
		whole, err := e.Delete(ScopeFollowing, utc("2026-03-16T08:00:00Z"), time.Now())
		if err != nil || whole {
			t.Fatalf("whole=%v err=%v", whole, err)
		}
		equalStrings(t, window(e), []string{"2026-03-02T09:00 Standup", "2026-03-09T09:00 Standup"})
	})
	t.Run("following from the first deletes the event", func(t *testing.T) {
		e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=4")
		whole, err := e.Delete(ScopeFollowing, utc("2026-03-02T08:00:00Z"), time.Now())
		if err != nil || !whole || e.DeletedAt == nil {
			t.Fatalf("whole=%v err=%v", whole, err)
		}
	})
	t.Run("all", func(t *testing.T) {
		e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=4")
		whole, err := e.Delete(ScopeAll, time.Time{}, time.Now())
		if err != nil || !whole {
			t.Fatalf("whole=%v err=%v", whole, err)
		}
		if occ, _ := Occurrences([]*Event{e}, owner, MyCalendar, utc("2026-03-01T00:00:00Z"), utc("2026-04-01T00:00:00Z"), 0); len(occ) != 0 {
			t.Fatalf("deleted event still lists %d instances", len(occ))
		}
	})
}

// Seed 3: full-page edit with the three scopes, "this and following" by default in the UI.
func TestSeed3EditScopes(t *testing.T) {
	for _, tc := range []struct {
		scope Scope
		want  []string
	}{
		{ScopeInstance, []string{"2026-03-02T09:00 Standup", "2026-03-09T09:00 Edited", "2026-03-16T09:00 Standup"}},
		{ScopeFollowing, []string{"2026-03-02T09:00 Standup", "2026-03-09T09:00 Edited", "2026-03-16T09:00 Edited"}},
		{ScopeAll, []string{"2026-03-02T09:00 Edited", "2026-03-09T09:00 Edited", "2026-03-16T09:00 Edited"}},
	} {
		t.Run(string(tc.scope), func(t *testing.T) {
			e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=3")
			if _, err := e.Edit(tc.scope, utc("2026-03-09T08:00:00Z"), Change{Title: ptr("Edited")}); err != nil {
				t.Fatal(err)
			}
			equalStrings(t, starts(e, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), tc.want)
		})
	}
}

// Seed 4: RSVP for one instance, all, or from this point forward.
func TestSeed4RSVPScopes(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=3")
	v := Viewer{UserID: 5}
	i1, i2, i3 := utc("2026-03-02T08:00:00Z"), utc("2026-03-09T08:00:00Z"), utc("2026-03-16T08:00:00Z")
	for _, st := range []struct {
		scope Scope
		at    time.Time
		resp  Response
		want  [3]Response
	}{
		{ScopeInstance, i1, No, [3]Response{No, "", ""}},
		{ScopeFollowing, i2, Maybe, [3]Response{No, Maybe, Maybe}},
		{ScopeAll, time.Time{}, Yes, [3]Response{Yes, Yes, Yes}},
	} {
		if err := e.CheckRSVP(v, st.scope, st.at); err != nil {
			t.Fatalf("%s: %v", st.scope, err)
		}
		if err := e.SetRSVP(v.UserID, st.scope, st.at, st.resp, time.Now()); err != nil {
			t.Fatal(err)
		}
		for i, at := range []time.Time{i1, i2, i3} {
			if got := e.EffectiveRSVP(v.UserID, at); got != st.want[i] {
				t.Errorf("after %s: instance %d answer %q, want %q", st.scope, i+1, got, st.want[i])
			}
		}
	}
}

// Seed 5: an invitee of one instance of a private event sees a single event and can answer
// only for it.
func TestSeed5PrivateInstanceInvitee(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=5")
	e.Privacy = Private
	second := utc("2026-03-09T08:00:00Z")
	guest := Viewer{UserID: 42}
	if err := e.Invite([]int64{guest.UserID}, ScopeInstance, second); err != nil {
		t.Fatal(err)
	}
	view := e.ViewFor(guest)
	if len(view.Segments) != 1 || view.Segments[0].Rule != nil || view.IsRecurring() {
		t.Fatalf("guest sees %d segments (recurring=%v), want one single event", len(view.Segments), view.IsRecurring())
	}
	if got := view.Segments[0].Start.UTC(); !got.Equal(second) {
		t.Fatalf("guest's single event starts %v, want %v", got, second)
	}
	occ, _ := Occurrences([]*Event{e}, guest, MyCalendar, utc("2026-03-01T00:00:00Z"), utc("2026-04-01T00:00:00Z"), 0)
	if len(occ) != 1 || !occ[0].OriginalStart.Equal(second) {
		t.Fatalf("guest's calendar lists %d instances, want only the invited one", len(occ))
	}
	if err := e.CheckRSVP(guest, ScopeInstance, second); err != nil {
		t.Fatalf("answer for the invited instance refused: %v", err)
	}
	for _, sc := range []Scope{ScopeAll, ScopeFollowing} {
		if err := e.CheckRSVP(guest, sc, second); !errors.Is(err, ErrForbidden) {
			t.Errorf("answer with scope %s: %v, want forbidden", sc, err)
		}
	}
	if err := e.CheckRSVP(guest, ScopeInstance, utc("2026-03-16T08:00:00Z")); !errors.Is(err, ErrForbidden) {
		t.Errorf("answer for another instance: %v, want forbidden", err)
	}
	if stranger := (Viewer{UserID: 77}); e.CanSee(stranger) {
		t.Error("a stranger can see the private event")
	}
}
