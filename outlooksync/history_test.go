package outlooksync

import (
	"reflect"
	"testing"
)

func TestCoalesceHistoryListsAChangeOnce(t *testing.T) {
	in := []HistoryEntry{
		{EventID: 1, Direction: "to Outlook", Summary: "Changed in Outlook: repeat", Detail: "Planning"},
		{EventID: 2, Direction: "from Outlook", Summary: "Occurrence changed in Outlook", Detail: "2026-12-16T09:00:00Z"},
		{EventID: 1, Direction: "to Outlook", Summary: "Created in Outlook", Detail: "Planning (new)"},
		{EventID: 1, Direction: "conflict", Summary: "Changed on both sides", Detail: "a"},
		{EventID: 1, Direction: "conflict", Summary: "Changed on both sides", Detail: "b"},
		{EventID: 0, Direction: "from Outlook", Summary: "Imported from Outlook", Detail: "X"},
		{EventID: 0, Direction: "from Outlook", Summary: "Imported from Outlook", Detail: "Y"},
		{EventID: 2, Direction: "from Outlook", Summary: "Outlook changed this and all following occurrences", Detail: ""},
		{EventID: 1, Direction: "to Outlook", Summary: "Changed in Outlook: location", Detail: "Planning"},
		{EventID: 1, Direction: "from Outlook", Summary: "Changed in Outlook: title", Detail: "Planning"},
	}
	want := []HistoryEntry{
		{EventID: 1, Direction: "to Outlook", Summary: "Changed in Outlook: repeat; created in Outlook; changed in Outlook: location", Detail: "Planning, Planning (new)"},
		{EventID: 2, Direction: "from Outlook", Summary: "Occurrence changed in Outlook; Outlook changed this and all following occurrences", Detail: "2026-12-16T09:00:00Z"},
		{EventID: 1, Direction: "conflict", Summary: "Changed on both sides", Detail: "a"},
		{EventID: 1, Direction: "conflict", Summary: "Changed on both sides", Detail: "b"},
		{EventID: 0, Direction: "from Outlook", Summary: "Imported from Outlook", Detail: "X"},
		{EventID: 0, Direction: "from Outlook", Summary: "Imported from Outlook", Detail: "Y"},
		{EventID: 1, Direction: "from Outlook", Summary: "Changed in Outlook: title", Detail: "Planning"},
	}
	if got := coalesceHistory(in); !reflect.DeepEqual(got, want) {
		t.Fatalf("coalesceHistory:\n got %+v\nwant %+v", got, want)
	}
}
