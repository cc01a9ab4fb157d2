package graph

import (
	"testing"

	"intracal/outlooksync/winzone"
)

// TestAdapterReadsTheOneZoneTable: the adapter reads every Windows zone as the shared table
// does and writes its zone back under the same name, so it cannot drift from the fake
// Outlook, which reads the same table (two hand-written tables once read Myanmar Standard
// Time as Asia/Yangon here and Asia/Rangoon there).
func TestAdapterReadsTheOneZoneTable(t *testing.T) {
	z := newZones()
	for _, win := range winzone.WindowsNames() {
		want, _ := winzone.IANA(win)
		if got, ok := z.iana(win); !ok || got != want {
			t.Errorf("iana(%q) = %q, %t; the table says %q", win, got, ok, want)
		}
		if back, ok := z.windows(want); !ok || back != win {
			t.Errorf("windows(%q) = %q, %t; want %q", want, back, ok, win)
		}
	}
}
