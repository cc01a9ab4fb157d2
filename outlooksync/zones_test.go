package outlooksync

import (
	"strings"
	"testing"
	"time"

	"intracal/calendar"
)

func TestKeptZone(t *testing.T) {
	tests := []struct{ name, remote, base, want string }{
		{"same name", "Europe/Berlin", "Europe/Berlin", "Europe/Berlin"},
		{"same Windows zone: the base's name", "Europe/Berlin", "Europe/Amsterdam", "Europe/Amsterdam"},
		{"same Windows zone in America", "America/New_York", "America/Toronto", "America/Toronto"},
		{"unplaced (custom) zone: the base's", "", "Europe/Berlin", "Europe/Berlin"},
		{"unloadable zone: the base's", "Mars/Olympus", "Europe/Berlin", "Europe/Berlin"},
		{"another Windows zone is a change", "Europe/Paris", "Europe/Amsterdam", "Europe/Paris"},
		{"UTC is a zone of its own", "UTC", "Europe/Berlin", "UTC"},
		{"no base: as read", "", "", ""},
	}
	for _, tc := range tests {
		if got := keptZone(tc.remote, tc.base); got != tc.want {
			t.Errorf("%s: keptZone(%q, %q) = %q, want %q", tc.name, tc.remote, tc.base, got, tc.want)
		}
	}
}

// zonedEvent is localEvent in another zone.
func zonedEvent(t *testing.T, id int64, zone, start, rrule string) *calendar.Event {
	t.Helper()
	e, err := calendar.NewEvent(1, tUser, calendar.EventInput{Title: "Standup", Start: start, TimeZone: zone, RRule: rrule})
	if err != nil {
		t.Fatal(err)
	}
	e.ID, e.Version = id, 1
	e.UpdatedAt = tNow.Add(-2 * time.Hour)
	return e
}

func TestLinkedSeriesKeepTheirZone(t *testing.T) {
	// Written as Europe/Amsterdam, Outlook holds W. Europe Standard Time and the adapter reads
	// it back as Europe/Berlin; a custom zone with nothing to fall back on reads as "".
	for _, read := range []string{"Europe/Berlin", ""} {
		e := zonedEvent(t, 1, "Europe/Amsterdam", "2026-03-02T09:00:00", mondays)
		rs := remoteOf(t, "M1", e.Segments[0], nil)
		rs.Master.TimeZone = read
		p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, linked(e, 0, "M1", nil)))
		if !p.IsEmpty() {
			t.Errorf("read as %q: planned work: %s; history %+v", read, p.Summary(), p.History)
		}
		if rs.Master.TimeZone != read {
			t.Errorf("Reconcile changed its input's zone to %q", rs.Master.TimeZone)
		}
	}
	// Another Windows zone is Outlook's change.
	e := zonedEvent(t, 1, "Europe/Amsterdam", "2026-03-02T09:00:00", mondays)
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	rs.Master.TimeZone = "Europe/Paris"
	rs.Master.ChangeKey, rs.Master.LastModified = "ck-2", tNow.Add(-time.Minute)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, linked(e, 0, "M1", nil)))
	if len(p.Changed) != 1 || p.Changed[0].Segments[0].TimeZone != "Europe/Paris" {
		t.Fatalf("a new zone in Outlook was not taken: %s; history %+v", p.Summary(), p.History)
	}
	found := false
	for _, h := range p.History {
		found = found || strings.HasPrefix(h.Summary, "Changed in Outlook")
	}
	if !found {
		t.Errorf("no history line for Outlook's change: %+v", p.History)
	}
}

func TestImportWithUnplacedZoneIsUTC(t *testing.T) {
	seg := localEvent(t, 9, "Board meeting", "2026-03-04T14:00:00", "FREQ=WEEKLY;BYDAY=WE;COUNT=6").Segments[0]
	rs := remoteOf(t, "M9", seg, nil)
	rs.Master.TimeZone = ""
	p := Reconcile(input(nil, map[string]*RemoteSeries{"M9": rs}))
	if len(p.Created) != 1 || p.Created[0].Segments[0].TimeZone != "UTC" {
		t.Fatalf("import: %s", p.Summary())
	}
}
