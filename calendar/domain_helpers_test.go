package calendar

import (
	"testing"
	"time"
)

const organizer = int64(1)

var owner = Viewer{UserID: organizer}

func mustEvent(t *testing.T, in EventInput) *Event {
	t.Helper()
	if in.TimeZone == "" && !in.AllDay {
		in.TimeZone = "Europe/Berlin"
	}
	if in.Title == "" {
		in.Title = "Standup"
	}
	e, err := NewEvent(10, organizer, in)
	if err != nil {
		t.Fatalf("NewEvent: %v", err)
	}
	e.ID = 99
	return e
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// starts lists the instances (not cancelled) in the window as "2006-01-02T15:04 title".
func starts(e *Event, from, to string) []string {
	var out []string
	for _, oc := range e.Instances(owner, utc(from), utc(to), false) {
		out = append(out, oc.Start.Format("2006-01-02T15:04")+" "+oc.Title)
	}
	return out
}

func equalStrings(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d items %q, want %d %q", len(got), got, len(want), want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("item %d: got %q, want %q (all: %q)", i, got[i], want[i], got)
		}
	}
}

// wallp and rulep read a change's start, end or rule as a form or the API would.
func wallp(s string) *WallInput { w := ParseWallInput(s); return &w }

func rulep(s string) *RuleInput { r := ParseRuleInput(s); return &r }
