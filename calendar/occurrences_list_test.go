package calendar

import (
	"slices"
	"testing"
)

// The list builds, one at a time and in order, the instances Occurrences returns, names each
// organizer once, and cuts at the cap as Occurrences does; released, it is empty.
func TestOccurrenceListMatchesOccurrences(t *testing.T) {
	a := mustEvent(t, EventInput{Start: "2026-03-02T09:00", End: "2026-03-02T09:30", RRule: "FREQ=DAILY", Privacy: Public})
	b := mustEvent(t, EventInput{Title: "Review", Start: "2026-03-02T09:00", End: "2026-03-02T10:00", RRule: "FREQ=WEEKLY;BYDAY=MO,TH", Privacy: Public})
	b.ID, b.OrganizerID = 100, 7
	c := mustEvent(t, EventInput{Title: "Lunch", Start: "2026-03-03T12:00", End: "2026-03-03T13:00", Privacy: Public})
	c.ID, c.OrganizerID = 101, 7
	events := []*Event{a, b, c}
	from, to := utc("2026-03-01T00:00:00Z"), utc("2026-04-01T00:00:00Z")
	for _, max := range []int{0, 10} {
		want, wantCut := Occurrences(events, owner, AllVisible, from, to, max)
		l := listOccurrences(events, owner, AllVisible, from, to, max)
		var got []Occurrence
		for i, oc := range l.All() {
			if i != len(got) {
				t.Fatalf("max %d: index %d at position %d", max, i, len(got))
			}
			got = append(got, oc)
		}
		if l.Len() != len(want) || l.Truncated() != wantCut || len(got) != len(want) {
			t.Fatalf("max %d: list of %d (cut %v) built %d, Occurrences %d (cut %v)", max, l.Len(), l.Truncated(), len(got), len(want), wantCut)
		}
		for i := range got {
			if got[i].EventID != want[i].EventID || !got[i].OriginalStart.Equal(want[i].OriginalStart) || got[i].Title != want[i].Title {
				t.Fatalf("max %d: instance %d is %d %s, want %d %s", max, i, got[i].EventID, got[i].OriginalStart, want[i].EventID, want[i].OriginalStart)
			}
		}
		ids := l.OrganizerIDs()
		slices.Sort(ids)
		if wantIDs := []int64{organizer, 7}; !slices.Equal(ids, wantIDs) {
			t.Errorf("max %d: organizers %v, want %v", max, ids, wantIDs)
		}
		l.Release()
		l.Release()
		if l.Len() != 0 {
			t.Errorf("max %d: %d instances after Release", max, l.Len())
		}
	}
	if _, cut := Occurrences(events, owner, AllVisible, from, to, 10); !cut {
		t.Error("a 10-instance cap of a month with 40 instances did not cut")
	}
}
