package fakeoutlook

import (
	"testing"

	"intracal/outlooksync/winzone"
)

// TestFakeReadsTheOneZoneTable: the fake stores every Windows zone as the zone the shared
// table gives and reports it under the same Windows name, as the adapter reads them (see
// the adapter's TestAdapterReadsTheOneZoneTable): the two cannot disagree on a zone again.
func TestFakeReadsTheOneZoneTable(t *testing.T) {
	z := newZones(false)
	for _, win := range winzone.WindowsNames() {
		want, _ := winzone.IANA(win)
		_, stored, err := z.accept(win)
		if err != nil || stored != want {
			t.Errorf("accept(%q) = %q, %v; the table says %q", win, stored, err, want)
			continue
		}
		if back := z.windows(stored); back != win {
			t.Errorf("windows(%q) = %q, want %q", stored, back, win)
		}
	}
}
