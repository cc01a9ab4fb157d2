package fakeoutlook

import (
	"net/http"
	"net/url"
	"sort"
	"testing"
	"time"

	"intracal/outlooksync/winzone"
)

func TestZonesAcceptWhatGraphAccepts(t *testing.T) {
	tests := []struct {
		in     string
		anyIAN bool
		stored string // "" when refused
	}{
		{"W. Europe Standard Time", false, "Europe/Berlin"},
		{"w. europe standard time", false, "Europe/Berlin"},
		{"Pacific Standard Time", false, "America/Los_Angeles"},
		{"Europe/Berlin", false, "Europe/Berlin"},
		{"Asia/Rangoon", false, "Asia/Rangoon"},
		{"UTC", false, "UTC"},
		{"", false, "UTC"},
		// Not on Graph's list (resources/datetimetimezone.md).
		{"Europe/Amsterdam", false, ""},
		{"Europe/Zurich", false, ""},
		{"America/Toronto", false, ""},
		{"tzone://Microsoft/Custom", false, ""},
		{"Mars/Olympus_Mons", false, ""},
		// Quirks.AcceptAnyIANAZone: what the fake did before.
		{"Europe/Amsterdam", true, "Europe/Amsterdam"},
		{"America/Argentina/Salta", true, "America/Argentina/Salta"},
		{"Mars/Olympus_Mons", true, ""},
	}
	for _, tc := range tests {
		_, stored, err := newZones(tc.anyIAN).accept(tc.in)
		switch {
		case tc.stored == "" && err == nil:
			t.Errorf("accept(%q), any IANA %t: accepted as %q, want 400", tc.in, tc.anyIAN, stored)
		case tc.stored != "" && (err != nil || stored != tc.stored):
			t.Errorf("accept(%q), any IANA %t = %q, %v; want %q", tc.in, tc.anyIAN, stored, err, tc.stored)
		}
	}
	z := newZones(false)
	for stored, want := range map[string]string{"Europe/Berlin": "W. Europe Standard Time",
		"Europe/Amsterdam": "W. Europe Standard Time", "Asia/Rangoon": "Myanmar Standard Time",
		"UTC": "UTC", "America/Adak": "Aleutian Standard Time"} {
		if got := z.windows(stored); got != want {
			t.Errorf("windows(%q) = %q, want %q", stored, got, want)
		}
	}
}

func TestGraphsIANAZonesAreWindowsZones(t *testing.T) {
	for name := range graphIANAZones() {
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if _, ok := winzone.Windows(name); !ok {
			t.Errorf("%s has no Windows name to report", name)
		}
	}
}

func TestZoneOutsideGraphsListGets400(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	for _, zone := range []string{"Europe/Amsterdam", "America/Toronto"} {
		r := f.do(call{method: "POST", path: "/me/events", token: tok, body: weeklySeries("Sync", zone, nil)})
		if r.status != http.StatusBadRequest || errorCode(t, r) != "TimeZoneNotSupportedException" {
			t.Errorf("%s: %d %s, want 400 TimeZoneNotSupportedException", zone, r.status, r.body)
		}
	}
	f.createSeries(tok, weeklySeries("Sync", "W. Europe Standard Time", nil))
	r := f.do(call{method: "GET", path: "/me/calendarView?" + january, token: tok,
		headers: map[string]string{"Prefer": `outlook.timezone="Europe/Amsterdam"`}})
	if r.status != http.StatusBadRequest || errorCode(t, r) != "TimeZoneNotSupportedException" {
		t.Errorf("Prefer outlook.timezone=Europe/Amsterdam: %d %s, want 400 TimeZoneNotSupportedException", r.status, r.body)
	}
}

func TestAcceptAnyIANAZoneQuirk(t *testing.T) {
	f := newFixture(t, Options{Quirks: Quirks{AcceptAnyIANAZone: true}})
	tok := f.token("ada@example.com")
	m := f.createSeries(tok, weeklySeries("Sync", "Europe/Amsterdam", nil))
	if m["originalStartTimeZone"] != "W. Europe Standard Time" {
		t.Errorf("originalStartTimeZone = %v, want the Windows name", m["originalStartTimeZone"])
	}
	rng := m["recurrence"].(map[string]any)["range"].(map[string]any)
	if rng["recurrenceTimeZone"] != "W. Europe Standard Time" {
		t.Errorf("recurrenceTimeZone = %v, want the Windows name", rng["recurrenceTimeZone"])
	}
}

func TestOutlookUserPicksWindowsZones(t *testing.T) {
	f := newFixture(t, Options{})
	f.token("ada@example.com")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	start := time.Date(2025, 1, 7, 10, 0, 0, 0, berlin)
	ev, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Call", Start: start, End: start.Add(time.Hour),
		TimeZone: "Europe/Amsterdam", Recurrence: &PatternedRecurrence{Pattern: RecurrencePattern{Type: "weekly", DaysOfWeek: []string{"tuesday"}}}})
	if err != nil {
		t.Fatal(err)
	}
	// "(UTC+01:00) Amsterdam, Berlin, ..." is one entry of Outlook's list.
	if ev.TimeZone != "Europe/Berlin" || ev.Recurrence.Range.RecurrenceTimeZone != "W. Europe Standard Time" {
		t.Errorf("zone %q, recurrence zone %q; want W. Europe Standard Time (Europe/Berlin)", ev.TimeZone, ev.Recurrence.Range.RecurrenceTimeZone)
	}
	// A zone whose own IANA name is not on Graph's list still takes changes.
	adak, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Aleutian", Start: start, End: start.Add(time.Hour), TimeZone: "America/Adak"})
	if err != nil {
		t.Fatal(err)
	}
	later, laterEnd := start.Add(2*time.Hour), start.Add(3*time.Hour)
	got, err := f.fake.UpdateEvent("ada@example.com", adak.ID, Change{Start: &later, End: &laterEnd})
	if err != nil || got.TimeZone != "America/Adak" || !got.Start.Equal(later) {
		t.Errorf("moved: %+v, %v; want 12:00 Berlin, still America/Adak", got, err)
	}
	if _, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "x", Start: start, End: start, TimeZone: "Mars/Olympus_Mons"}); err == nil {
		t.Error("an unknown zone was accepted")
	}
}

func TestCustomZoneNames(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	start := time.Date(2025, 3, 17, 9, 0, 0, 0, berlin) // two Mondays before the change to summer time
	ev, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Standup", Start: start, End: start.Add(15 * time.Minute),
		TimeZone: "Europe/Berlin", ReportZoneAs: "tzone://Microsoft/Custom",
		Recurrence: &PatternedRecurrence{Pattern: RecurrencePattern{Type: "weekly", DaysOfWeek: []string{"monday"}},
			Range: RecurrenceRange{Type: "numbered", NumberOfOccurrences: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	m := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(ev.ID), token: tok}).json(t)
	if m["originalStartTimeZone"] != "tzone://Microsoft/Custom" || m["originalEndTimeZone"] != "tzone://Microsoft/Custom" {
		t.Errorf("zones %v, %v; want the custom name", m["originalStartTimeZone"], m["originalEndTimeZone"])
	}
	if z := m["recurrence"].(map[string]any)["range"].(map[string]any)["recurrenceTimeZone"]; z != "W. Europe Standard Time" {
		t.Errorf("recurrenceTimeZone = %v, want the series' Windows name", z)
	}
	// The series still expands in Berlin: 09:00 before and after the change.
	var starts []string
	for _, in := range f.instances(tok, ev.ID, "startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-05-01T00:00:00Z") {
		if in["originalStartTimeZone"] != "tzone://Microsoft/Custom" {
			t.Errorf("occurrence zone %v, want the custom name", in["originalStartTimeZone"])
		}
		starts = append(starts, in["start"].(map[string]any)["dateTime"].(string))
	}
	sort.Strings(starts) // Graph does not promise an order
	want := []string{"2025-03-17T08:00:00.0000000", "2025-03-24T08:00:00.0000000", "2025-03-31T07:00:00.0000000", "2025-04-07T07:00:00.0000000"}
	if len(starts) != len(want) {
		t.Fatalf("instances start %v, want %v", starts, want)
	}
	for i := range want {
		if starts[i] != want[i] {
			t.Errorf("instances start %v, want %v", starts, want)
			break
		}
	}
	// Another client saves the item with a zone of its own: it changes, and shows that name.
	changed, err := f.fake.ReportZoneAs("ada@example.com", ev.ID, "Customized Time Zone")
	if err != nil || changed.ChangeKey == ev.ChangeKey {
		t.Fatalf("ReportZoneAs: %v; change key %q -> %q", err, ev.ChangeKey, changed.ChangeKey)
	}
	m = f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(ev.ID), token: tok}).json(t)
	if m["originalStartTimeZone"] != "Customized Time Zone" {
		t.Errorf("originalStartTimeZone = %v, want Customized Time Zone", m["originalStartTimeZone"])
	}
}
