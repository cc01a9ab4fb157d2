package winzone

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the same zone database on every machine
)

func TestEveryZoneLoads(t *testing.T) {
	for _, e := range tables().entries {
		for _, z := range e.zones {
			if _, err := time.LoadLocation(z); err != nil {
				t.Errorf("%s: %s: %v", e.windows, z, err)
			}
		}
	}
}

func TestEachZoneBelongsToOneWindowsZone(t *testing.T) {
	seen := map[string]string{}
	for _, e := range tables().entries {
		for _, z := range e.zones {
			if prev, dup := seen[strings.ToLower(z)]; dup {
				t.Errorf("%s is listed under %q and %q", z, prev, e.windows)
			}
			seen[strings.ToLower(z)] = e.windows
		}
	}
}

func TestEveryWindowsZoneComesBackToItself(t *testing.T) {
	names := WindowsNames()
	if len(names) < 139 {
		t.Errorf("%d Windows zones, CLDR has 139", len(names))
	}
	for _, win := range names {
		iana, ok := IANA(win)
		if !ok {
			t.Errorf("IANA(%q) not found", win)
			continue
		}
		if back, ok := Windows(iana); !ok || back != win {
			t.Errorf("%s -> %s -> %q, %t", win, iana, back, ok)
		}
	}
}

func TestNames(t *testing.T) {
	toWindows := []struct{ iana, want string }{
		{"Europe/Berlin", "W. Europe Standard Time"},
		{"Europe/Amsterdam", "W. Europe Standard Time"},
		{"Europe/Zurich", "W. Europe Standard Time"},
		{"Europe/Vienna", "W. Europe Standard Time"},
		{"Europe/Rome", "W. Europe Standard Time"},
		{"Europe/Stockholm", "W. Europe Standard Time"},
		{"Europe/Madrid", "Romance Standard Time"},
		{"America/Toronto", "Eastern Standard Time"},
		{"America/Detroit", "Eastern Standard Time"},
		{"US/Eastern", "Eastern Standard Time"},
		{"Asia/Yangon", "Myanmar Standard Time"},
		{"Asia/Rangoon", "Myanmar Standard Time"},
		{"Asia/Calcutta", "India Standard Time"},
		{"Europe/Kiev", "FLE Standard Time"},
		{"UTC", "UTC"},
		{"Etc/UTC", "UTC"},
	}
	for _, tc := range toWindows {
		if got, ok := Windows(tc.iana); !ok || got != tc.want {
			t.Errorf("Windows(%q) = %q, %t; want %q", tc.iana, got, ok, tc.want)
		}
	}
	toIANA := []struct{ windows, want string }{
		{"W. Europe Standard Time", "Europe/Berlin"},
		{"w. europe standard time", "Europe/Berlin"},
		{"Myanmar Standard Time", "Asia/Yangon"},
		{"Eastern Standard Time", "America/New_York"},
		{"UTC", "UTC"},
	}
	for _, tc := range toIANA {
		if got, ok := IANA(tc.windows); !ok || got != tc.want {
			t.Errorf("IANA(%q) = %q, %t; want %q", tc.windows, got, ok, tc.want)
		}
	}
	for _, unknown := range []string{"tzone://Microsoft/Custom", "Customized Time Zone", "Mars/Olympus", ""} {
		if _, ok := IANA(unknown); ok {
			t.Errorf("IANA(%q) found", unknown)
		}
		if _, ok := Windows(unknown); ok {
			t.Errorf("Windows(%q) found", unknown)
		}
	}
}

func TestSame(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Europe/Amsterdam", "Europe/Berlin", true},
		{"America/Toronto", "America/New_York", true},
		{"Asia/Rangoon", "Asia/Yangon", true},
		{"Europe/Berlin", "Europe/Paris", false},
		{"Europe/Berlin", "", false},
		{"Mars/Olympus", "Mars/Olympus", true},
		{"Mars/Olympus", "Europe/Berlin", false},
	}
	for _, tc := range tests {
		if got := Same(tc.a, tc.b); got != tc.want {
			t.Errorf("Same(%q, %q) = %t, want %t", tc.a, tc.b, got, tc.want)
		}
	}
}
