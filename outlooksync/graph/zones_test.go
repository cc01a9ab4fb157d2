package graph

import (
	"testing"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

func TestZoneNames(t *testing.T) {
	z := newZones()
	reads := []struct {
		name, outlook, want string
		known               bool
	}{
		{"windows name", "W. Europe Standard Time", "Europe/Berlin", true},
		{"windows name in other case", "pacific standard time", "America/Los_Angeles", true},
		{"one table: Myanmar", "Myanmar Standard Time", "Asia/Yangon", true},
		{"exchange's utc", "tzone://Microsoft/Utc", "UTC", true},
		{"windows utc", "UTC", "UTC", true},
		{"iana name kept", "Europe/Amsterdam", "Europe/Amsterdam", true},
		{"custom zone", "tzone://Microsoft/Custom", "", false},
		{"customized zone", "Customized Time Zone", "", false},
		{"unknown", "Mars/Olympus", "", false},
		{"empty", "", "", false},
	}
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			got, known := z.iana(tc.outlook)
			if got != tc.want || known != tc.known {
				t.Errorf("iana(%q) = %q, %t; want %q, %t", tc.outlook, got, known, tc.want, tc.known)
			}
		})
	}
	writes := []struct {
		iana, want string
		known      bool
	}{
		{"Europe/Berlin", "W. Europe Standard Time", true},
		// Not on Graph's IANA list: only the Windows name is accepted.
		{"Europe/Amsterdam", "W. Europe Standard Time", true},
		{"Europe/Zurich", "W. Europe Standard Time", true},
		{"America/Toronto", "Eastern Standard Time", true},
		{"Asia/Calcutta", "India Standard Time", true},
		{"UTC", "UTC", true},
		{"", "UTC", true},
		{"Antarctica/Troll", "", false},
	}
	for _, tc := range writes {
		if got, known := z.windows(tc.iana); got != tc.want || known != tc.known {
			t.Errorf("windows(%q) = %q, %t; want %q, %t", tc.iana, got, known, tc.want, tc.known)
		}
	}
}

func TestEventZoneFallsBackForCustomZones(t *testing.T) {
	c := &Client{zones: newZones()}
	event := func(start, end, recurrence string) models.Eventable {
		ev := models.NewEvent()
		ev.SetOriginalStartTimeZone(&start)
		ev.SetOriginalEndTimeZone(&end)
		if recurrence != "" {
			rec, rng := models.NewPatternedRecurrence(), models.NewRecurrenceRange()
			rng.SetRecurrenceTimeZone(&recurrence)
			rec.SetRangeEscaped(rng)
			ev.SetRecurrence(rec)
		}
		return ev
	}
	tests := []struct {
		name       string
		ev         models.Eventable
		want       string
		wantOffset int // hours east of UTC on 1 July 2025
	}{
		{"windows name", event("W. Europe Standard Time", "W. Europe Standard Time", ""), "Europe/Berlin", 2},
		{"custom: the recurrence's zone", event("tzone://Microsoft/Custom", "tzone://Microsoft/Custom", "W. Europe Standard Time"), "Europe/Berlin", 2},
		{"custom: the end's zone", event("Customized Time Zone", "Eastern Standard Time", ""), "America/New_York", -4},
		{"custom, nothing to fall back on", event("Customized Time Zone", "Customized Time Zone", ""), "", 0},
	}
	july := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.eventZone(tc.ev); got != tc.want {
				t.Errorf("eventZone = %q, want %q", got, tc.want)
			}
			if _, off := july.In(c.eventLocation(tc.ev)).Zone(); off != tc.wantOffset*3600 {
				t.Errorf("eventLocation offset %d s, want %d h", off, tc.wantOffset)
			}
		})
	}
	// The recurrence read keeps "" rather than UTC for a zone it cannot place.
	rng := models.NewRecurrenceRange()
	custom := "tzone://Microsoft/Custom"
	rng.SetRecurrenceTimeZone(&custom)
	rec := models.NewPatternedRecurrence()
	rec.SetRangeEscaped(rng)
	if got := c.recurrenceFrom(rec).Range.RecurrenceTimeZone; got != "" {
		t.Errorf("recurrenceTimeZone read as %q, want empty", got)
	}
}

func TestWritesSendWindowsNames(t *testing.T) {
	c := &Client{zones: newZones()}
	at := time.Date(2025, 7, 1, 7, 0, 0, 0, time.UTC)
	tests := []struct{ zone, wall, tz string }{
		{"Europe/Amsterdam", "2025-07-01T09:00:00.0000000", "W. Europe Standard Time"},
		{"America/Toronto", "2025-07-01T03:00:00.0000000", "Eastern Standard Time"},
		{"", "2025-07-01T07:00:00.0000000", "UTC"},
		// A zone the table does not know: the same instant as UTC, not a name Graph may refuse.
		{"Antarctica/Troll", "2025-07-01T07:00:00.0000000", "UTC"},
	}
	for _, tc := range tests {
		dt := c.dateTimeTimeZone(at, tc.zone, false)
		if *dt.GetDateTime() != tc.wall || *dt.GetTimeZone() != tc.tz {
			t.Errorf("%q: %s %s, want %s %s", tc.zone, *dt.GetDateTime(), *dt.GetTimeZone(), tc.wall, tc.tz)
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
