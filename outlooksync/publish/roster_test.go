package publish

import (
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/migrations/dbtest"
)

func TestStateOfATarget(t *testing.T) {
	ok := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		target Target
		want   MemberState
	}{
		{"no run yet", Target{UserID: 1}, MemberPending},
		{"the last run wrote the calendar", Target{LastOKAt: &ok}, MemberPublished},
		{"the last run failed after earlier ones worked", Target{LastOKAt: &ok, LastError: "Graph answered 503", Failures: 1}, MemberFailing},
		{"failed runs counted without a reason", Target{Failures: 2}, MemberFailing},
		{"refused for want of admin consent", Target{LastError: ConsentMissing + " (AADSTS65001)", Failures: 3}, MemberConsentMissing},
	} {
		if got := StateOf(c.target); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// A published space's roster has every member, pending until the cycle made their target,
// and the targets of people who left; failing rows first, the longest failing first. An
// unpublished one lists only the targets left.
func TestRosterListsMembersFailuresFirst(t *testing.T) {
	ok := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	targets := []Target{
		{ID: 1, UserID: 10, LastOKAt: &ok},
		{ID: 2, UserID: 11, LastError: "Graph answered 503", Failures: 1},
		{ID: 3, UserID: 12, LastError: ConsentMissing, Failures: 4},
		{ID: 4, UserID: 99, LastOKAt: &ok}, // left the space
	}
	users := func(list []Target) []int64 {
		var out []int64
		for _, t := range list {
			out = append(out, t.UserID)
		}
		return out
	}
	got := Roster(5, true, []int64{10, 11, 12, 13}, targets)
	if want := []int64{12, 11, 10, 13, 99}; !slices.Equal(users(got), want) {
		t.Fatalf("roster = %v, want %v", users(got), want)
	}
	if p := got[3]; p.SpaceID != 5 || StateOf(p) != MemberPending {
		t.Errorf("a member without a target = %+v, want pending in space 5", p)
	}
	if got := Roster(5, false, []int64{10, 11}, targets[3:]); !slices.Equal(users(got), []int64{99}) {
		t.Errorf("unpublished roster = %v, want only the target left", users(got))
	}
}

func TestSummariesCountPublishedAndFailingMembers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		st := NewStore(db)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if err := st.SetPublished(ctx, 5, 1, true, now); err != nil {
			t.Fatal(err)
		}
		for _, uid := range []int64{1, 2, 3} {
			if err := st.EnsureTarget(ctx, 5, uid, now); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.EnsureTarget(ctx, 6, 1, now); err != nil { // unpublished, copies left
			t.Fatal(err)
		}
		ts, err := st.Targets(ctx, 5)
		if err != nil {
			t.Fatal(err)
		}
		ts[0].LastRunAt, ts[0].LastOKAt = &now, &now
		ts[1].LastRunAt, ts[1].LastError, ts[1].Failures = &now, ConsentMissing, 1
		for _, tg := range ts[:2] {
			if err := st.Finish(ctx, tg, nil, nil, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		sums, err := st.Summaries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := sums[5], (Summary{Published: true, Members: 1, Failing: 1, ConsentMissing: true}); got != want {
			t.Errorf("space 5: %+v, want %+v", got, want)
		}
		if got := sums[6]; got.Published || got.Members != 0 || got.Failing != 0 {
			t.Errorf("space 6 (unpublished, a target left): %+v", got)
		}
		if _, ok := sums[7]; ok {
			t.Error("a space never published has a summary")
		}
	})
}
