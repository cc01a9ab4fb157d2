package graph

import (
	"testing"
	"time"
)

func TestZoneNames(t *testing.T) {
	z := newZones()
	reads := []struct {
		name, outlook, want string
		known               bool
	}{
		{"windows name", "W. Europe Standard Time", "Europe/Berlin", true},
		{"windows name in other case", "pacific standard time", "America/Los_Angeles", true},
		{"exchange's utc", "tzone://Microsoft/Utc", "UTC", true},
		{"iana name kept", "Europe/Amsterdam", "Europe/Amsterdam", true},
		{"custom zone", "Customized Time Zone", "UTC", false},
		{"empty", "", "UTC", false},
	}
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			got, known := z.iana(tc.outlook)
			if got != tc.want || known != tc.known {
				t.Errorf("iana(%q) = %q, %t; want %q, %t", tc.outlook, got, known, tc.want, tc.known)
			}
		})
	}
	writes := []struct{ iana, want string }{
		{"Europe/Berlin", "W. Europe Standard Time"},
		{"Asia/Calcutta", "India Standard Time"},
		{"UTC", "UTC"},
		{"", "UTC"},
		// Not the zone that stands for its Windows zone: written as is, so it reads back the same.
		{"Europe/Amsterdam", "Europe/Amsterdam"},
	}
	for _, tc := range writes {
		if got := z.windows(tc.iana); got != tc.want {
			t.Errorf("windows(%q) = %q, want %q", tc.iana, got, tc.want)
		}
	}
	// Every zone of the table loads, and every Windows name comes back to itself.
	for win, iana := range windowsToIANA() {
		if _, err := time.LoadLocation(iana); err != nil {
			t.Errorf("%s -> %s: %v", win, iana, err)
		}
		if back := z.windows(iana); back != win {
			t.Errorf("%s -> %s -> %s", win, iana, back)
		}
	}
}

func TestHTMLBodiesBecomeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs", "<html><head><style>p{}</style></head><body><p>Agenda</p><p>1. Budget &amp; plan</p></body></html>", "Agenda\n1. Budget & plan"},
		{"breaks", "line one<br>line two<br/>", "line one\nline two"},
		{"plain", "no markup", "no markup"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := htmlToText(tc.in); got != tc.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
