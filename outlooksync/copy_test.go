package outlooksync

import (
	"testing"
	"time"

	"intracal/calendar"
)

// A copy of a series is the series without attendees, with its changed and cancelled
// occurrences and those hidden from the reader cancelled; a new title changes its digest but
// not its schedule digest, a moved occurrence changes both; a single event hidden from the
// reader is no copy.
func TestCopyOfASeries(t *testing.T) {
	e := localEvent(t, 1, "Rehearsal", "2026-03-02T18:00:00", "FREQ=WEEKLY;BYDAY=MO;COUNT=6")
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// Occurrence 4 is after the clocks moved (29 March): 16:00 UTC, not 17:00.
	occ := func(n int) time.Time { return time.Date(2026, 3, 2+7*n, 18, 0, 0, 0, berlin).UTC() }
	renamed := "Rehearsal (hall)"
	e.Overrides = append(e.Overrides, calendar.Override{OriginalStart: occ(1), Title: &renamed}, calendar.Override{OriginalStart: occ(2), Cancelled: true})

	c, ok, err := CopyOf(e, 0, tWindow, []time.Time{occ(3)})
	if err != nil || !ok {
		t.Fatalf("CopyOf: %v %v", ok, err)
	}
	if c.Write.Recurrence == nil || len(c.Write.Attendees) != 0 || c.Write.Subject != "Rehearsal" {
		t.Fatalf("write %+v, want the series without attendees", c.Write)
	}
	if got := c.Instances[instanceKey(occ(1))]; got.Cancelled || got.Subject != renamed {
		t.Errorf("the changed occurrence: %+v", got)
	}
	for _, n := range []int{2, 3} {
		if !c.Instances[instanceKey(occ(n))].Cancelled {
			t.Errorf("occurrence %d is not cancelled in the copy: %+v", n, c.Instances)
		}
	}
	if len(c.Instances) != 3 {
		t.Errorf("instances %+v, want three", c.Instances)
	}

	e.Segments[0].Title = "Choir rehearsal"
	titled, _, err := CopyOf(e, 0, tWindow, []time.Time{occ(3)})
	if err != nil {
		t.Fatal(err)
	}
	if titled.Digest == c.Digest || titled.Schedule != c.Schedule {
		t.Error("a new title kept the digest, or changed the schedule digest")
	}
	if w := ContentWrite(titled); w.Recurrence != nil || w.Subject != "Choir rehearsal" {
		t.Errorf("content write %+v, want the title without the schedule", w)
	}
	hiddenMore, _, err := CopyOf(e, 0, tWindow, []time.Time{occ(3), occ(4)})
	if err != nil {
		t.Fatal(err)
	}
	if hiddenMore.Schedule == titled.Schedule {
		t.Error("one more cancelled occurrence kept the schedule digest")
	}

	single := localEvent(t, 2, "Concert", "2026-03-05T19:00:00", "")
	if _, ok, err := CopyOf(single, 0, tWindow, []time.Time{time.Date(2026, 3, 5, 18, 0, 0, 0, time.UTC)}); err != nil || ok {
		t.Errorf("a hidden single event: ok %v %v, want no copy", ok, err)
	}
	if _, ok, err := CopyOf(single, 0, tWindow, nil); err != nil || !ok {
		t.Errorf("a single event: ok %v %v, want a copy", ok, err)
	}
}
