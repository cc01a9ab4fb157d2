package ical

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
)

func instanceLines(events []*calendar.Event, from, to time.Time) []string {
	var out []string
	for _, e := range events {
		for _, oc := range e.Instances(calendar.Viewer{UserID: 7}, from, to, false) {
			out = append(out, oc.Start.UTC().Format(time.RFC3339)+" "+oc.End.UTC().Format("15:04")+" "+oc.Title+" @"+oc.Location)
		}
	}
	slices.Sort(out)
	return out
}

// TestWhatWeExportImportsBack: the feed of TestAFeedExpandsToTheSameInstances's events read
// back gives the same events with the same instances (the split one as one event of two
// segments again, from its parts' sibling relation), and reading it twice gives the same
// digests.
func TestWhatWeExportImportsBack(t *testing.T) {
	events := sampleEvents(t)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := Write(&buf, Feed{Reader: 7, Events: events, From: from, To: to, Stamp: time.Now()}); err != nil {
		t.Fatal(err)
	}
	items, err := Read(bytes.NewReader(buf.Bytes()), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var back []*calendar.Event
	for _, it := range items {
		if it.Refused != "" {
			t.Fatalf("%s refused: %s", it.Title, it.Refused)
		}
		e, err := it.Event(1, 7)
		if err != nil {
			t.Fatalf("%s: %v", it.Title, err)
		}
		back = append(back, e)
	}
	if len(back) != len(events) || len(back[1].Segments) != 2 {
		t.Fatalf("%d events came back (want %d), the split one with %d segments", len(back), len(events), len(back[1].Segments))
	}
	if got, want := instanceLines(back, from, to), instanceLines(events, from, to); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("imported back:\n  %s\nexported:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	again, err := Read(bytes.NewReader(buf.Bytes()), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for i := range items {
		if items[i].Digest != again[i].Digest || items[i].UID != again[i].UID {
			t.Fatalf("reading the same file twice gave different items: %+v %+v", items[i], again[i])
		}
	}
}
