package calendar

import (
	"testing"
	"time"
)

func TestRSVPNormalisationAndResolution(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	const u = int64(7)
	i1, i2, i3, i4 := utc("2026-03-02T08:00:00Z"), utc("2026-03-09T08:00:00Z"), utc("2026-03-16T08:00:00Z"), utc("2026-03-23T08:00:00Z")
	now := time.Now()
	steps := []struct {
		name  string
		scope Scope
		at    time.Time
		resp  Response
		want  map[time.Time]Response
		count int
	}{
		{"all", ScopeAll, time.Time{}, Yes, map[time.Time]Response{i1: Yes, i3: Yes}, 1},
		{"one instance overrides all", ScopeInstance, i2, No, map[time.Time]Response{i1: Yes, i2: No, i3: Yes}, 2},
		{"following from the third", ScopeFollowing, i3, Maybe, map[time.Time]Response{i1: Yes, i2: No, i3: Maybe, i4: Maybe}, 3},
		{"instance inside following", ScopeInstance, i4, No, map[time.Time]Response{i3: Maybe, i4: No}, 4},
		{"following from the second removes later ones", ScopeFollowing, i2, Yes, map[time.Time]Response{i1: Yes, i2: Yes, i3: Yes, i4: Yes}, 2},
		{"all removes every narrower answer", ScopeAll, time.Time{}, No, map[time.Time]Response{i1: No, i2: No, i4: No}, 1},
	}
	for _, st := range steps {
		if err := e.SetRSVP(u, st.scope, st.at, st.resp, now); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		for at, want := range st.want {
			if got := e.EffectiveRSVP(u, at); got != want {
				t.Errorf("%s: answer at %v = %q, want %q", st.name, at, got, want)
			}
		}
		if len(e.RSVPs) != st.count {
			t.Errorf("%s: %d stored answers, want %d", st.name, len(e.RSVPs), st.count)
		}
	}
}

func TestRSVPForUnknownInstanceRejected(t *testing.T) {
	e := weekly(t, "FREQ=WEEKLY;BYDAY=MO")
	if err := e.SetRSVP(7, ScopeInstance, utc("2026-03-03T08:00:00Z"), Yes, time.Now()); err == nil {
		t.Fatal("answer for a day with no instance accepted")
	}
	if err := e.SetRSVP(7, ScopeAll, time.Time{}, Response("sure"), time.Now()); err == nil {
		t.Fatal("unknown response accepted")
	}
}
