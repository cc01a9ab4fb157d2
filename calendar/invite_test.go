package calendar

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// invitationList renders invitations as "user" or "user@instance", in order.
func invitationList(e *Event) []string {
	var out []string
	for _, in := range e.Invitations {
		if in.Instance == nil {
			out = append(out, fmt.Sprint(in.UserID))
		} else {
			out = append(out, fmt.Sprintf("%d@%s", in.UserID, in.Instance.Format("01-02")))
		}
	}
	return out
}

func TestInvite(t *testing.T) {
	weekly := EventInput{Start: "2026-03-02T09:00:00", End: "2026-03-02T09:15:00", RRule: "FREQ=WEEKLY;COUNT=5"}
	second, third := utc("2026-03-09T08:00:00Z"), utc("2026-03-16T08:00:00Z")
	type step struct {
		users []int64
		scope Scope
		at    time.Time
	}
	for _, c := range []struct {
		name  string
		steps []step
		want  []string
	}{
		{"the organizer is never invited", []step{{[]int64{organizer, 2}, ScopeAll, time.Time{}}}, []string{"2"}},
		{"a person named twice is invited once", []step{{[]int64{2, 3, 2}, ScopeAll, time.Time{}}}, []string{"2", "3"}},
		{"one instance, then another", []step{{[]int64{2}, ScopeInstance, second}, {[]int64{2}, ScopeInstance, third}}, []string{"2@03-09", "2@03-16"}},
		{"the same instance twice is one invitation", []step{{[]int64{2}, ScopeInstance, second}, {[]int64{2, 2}, ScopeInstance, second}}, []string{"2@03-09"}},
		{"all replaces the person's instances, not others'", []step{{[]int64{2, 3}, ScopeInstance, second}, {[]int64{2}, ScopeAll, time.Time{}}}, []string{"3@03-09", "2"}},
		{"an instance for someone invited to all adds nothing", []step{{[]int64{2}, ScopeAll, time.Time{}}, {[]int64{2}, ScopeInstance, third}}, []string{"2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := mustEvent(t, weekly)
			for _, s := range c.steps {
				if err := e.Invite(s.users, s.scope, s.at); err != nil {
					t.Fatal(err)
				}
			}
			equalStrings(t, invitationList(e), c.want)
		})
	}
}

func TestInviteAboveTheCapChangesNothing(t *testing.T) {
	e := mustEvent(t, EventInput{Start: "2026-03-02T09:00:00", End: "2026-03-02T09:15:00", RRule: "FREQ=WEEKLY;COUNT=5"})
	ids := make([]int64, MaxInvitations)
	for i := range ids {
		ids[i] = int64(100 + i)
	}
	// Up to the cap, with one person first invited to an instance: the invitation to all
	// replaces it, so it does not count twice.
	if err := e.Invite(ids[:1], ScopeInstance, utc("2026-03-09T08:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if err := e.Invite(ids, ScopeAll, time.Time{}); err != nil {
		t.Fatalf("inviting up to the cap: %v", err)
	}
	if len(e.Invitations) != MaxInvitations {
		t.Fatalf("%d invitations, want %d", len(e.Invitations), MaxInvitations)
	}
	err := e.Invite([]int64{7, 8}, ScopeAll, time.Time{})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Fields["invitees"] == "" {
		t.Fatalf("inviting past the cap: %v, want a validation error on invitees", err)
	}
	if len(e.Invitations) != MaxInvitations || e.isInvited(7) {
		t.Errorf("a refused invitation changed the event: %d invitations", len(e.Invitations))
	}
	if err := e.Invite([]int64{8}, ScopeInstance, utc("2026-03-16T08:00:00Z")); !errors.As(err, &ve) {
		t.Errorf("an instance invitation past the cap: %v, want a validation error", err)
	}
}
