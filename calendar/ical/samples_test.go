package ical

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
)

func readSample(t *testing.T, name string) map[string]Item {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := Read(f, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Item{}
	for _, it := range items {
		out[it.Title] = it
	}
	return out
}

// instancesOf builds an item's event and lists its instances in 2026 as "start-in-zone title @location".
func instancesOf(t *testing.T, it Item, zone string) []string {
	t.Helper()
	if it.Refused != "" {
		t.Fatalf("%s was refused: %s", it.Title, it.Refused)
	}
	e, err := it.Event(1, 7)
	if err != nil {
		t.Fatalf("%s: %v", it.Title, err)
	}
	loc, _ := time.LoadLocation(zone)
	var out []string
	for _, oc := range e.Instances(calendar.Viewer{UserID: 7}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), false) {
		s := oc.Start.In(loc).Format("01-02 15:04") + " " + oc.Title
		if oc.Location != "" {
			s += " @" + oc.Location
		}
		out = append(out, s)
	}
	return out
}

// TestImportOfAnOutlookExport reads a file as Outlook for Windows exports one: Windows zone
// names (quoted TZIDs), a moved instance, an excluded one, an all-day private event.
func TestImportOfAnOutlookExport(t *testing.T) {
	items := readSample(t, "outlook.ics")
	sync := instancesOf(t, items["Platform sync"], "Europe/Berlin")
	if len(sync) != 9 || sync[0] != "03-03 10:00 Platform sync @Room Ada, 3rd floor" || !strings.Contains(strings.Join(sync, "\n"), "03-25 15:00 Platform sync (moved) @Room Grace") ||
		strings.Contains(strings.Join(sync, "\n"), "03-17") || strings.Contains(strings.Join(sync, "\n"), "03-24") {
		t.Fatalf("the series:\n%s", strings.Join(sync, "\n"))
	}
	if it := items["Platform sync"]; it.Input.TimeZone != "Europe/Berlin" || !strings.HasPrefix(it.Input.Description, "Weekly sync of the platform team.\n\nAgenda") {
		t.Fatalf("zone or description: %+v", it.Input)
	}
	holiday := items["Holiday"]
	if h := instancesOf(t, holiday, "UTC"); len(h) != 1 || !holiday.Input.AllDay || holiday.Input.Privacy != calendar.Private ||
		holiday.Input.Start != "2026-04-07" || holiday.Input.End != "2026-04-10" {
		t.Fatalf("the holiday: %+v %v", holiday.Input, h)
	}
	if c := instancesOf(t, items["Call with New York"], "America/New_York"); len(c) != 1 || c[0] != "03-05 11:00 Call with New York" {
		t.Fatalf("the call: %v", c)
	}
}

// TestImportOfAGoogleCalendarExport reads a file as Google Calendar exports one (IANA zones,
// UNTIL in UTC, a moved and a cancelled instance, an all-day yearly event), with what the
// calendar cannot hold refused item by item with the reason.
func TestImportOfAGoogleCalendarExport(t *testing.T) {
	items := readSample(t, "google.ics")
	standup := strings.Join(instancesOf(t, items["Standup"], "Europe/Berlin"), "\n")
	for _, want := range []string{"03-02 09:00 Standup", "03-18 09:30 Standup (late)", "04-29 09:00 Standup"} {
		if !strings.Contains(standup, want) {
			t.Errorf("the standup lacks %q:\n%s", want, standup)
		}
	}
	for _, gone := range []string{"03-11", "03-25", "05-04"} {
		if strings.Contains(standup, gone) {
			t.Errorf("the standup has %s:\n%s", gone, standup)
		}
	}
	if r := instancesOf(t, items["Quarterly review"], "UTC"); len(r) != 1 || r[0] != "03-05 15:00 Quarterly review @Berlin HQ, Room 4.12" {
		t.Errorf("the review: %v", r)
	}
	if l := instancesOf(t, items["Labour Day"], "UTC"); len(l) != 1 || l[0] != "05-01 00:00 Labour Day" {
		t.Errorf("labour day: %v", l)
	}
	if d := instancesOf(t, items["Demo day"], "Europe/Berlin"); len(d) != 6 || d[0] != "03-27 10:00 Demo day" || d[1] != "04-24 10:00 Demo day" {
		t.Errorf("demo day (DURATION, last Friday): %v", d)
	}
	for title, why := range map[string]string{"Take a break": "HOURLY", "Lunch talks": "RDATE", "Somewhere else": "Mars/Olympus_Mons"} {
		if it, ok := items[title]; !ok || !strings.Contains(it.Refused, why) {
			t.Errorf("%s should be refused naming %s: %+v", title, why, it)
		}
	}
	if _, ok := items["Not an event"]; ok {
		t.Error("a VTODO was read as an event")
	}
}

// TestReadRefusesFilesMadeToBeSlow: a line with thousands of parameters or parameter values
// (the parser's time grows with their square) is refused before parsing, with the line
// named; long values, many lines, folding and long EXDATE lists are read.
func TestReadRefusesFilesMadeToBeSlow(t *testing.T) {
	wrap := func(line string) string {
		return "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\n" + line + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	for name, line := range map[string]string{
		"parameters":        "SUMMARY" + strings.Repeat(";X-A=b", 20000) + ":x",
		"parameter values":  "SUMMARY;X-A=" + strings.Repeat("b,", 20000) + ":x",
		"folded parameters": "SUMMARY" + strings.Repeat(";X-A=b\r\n ", 5000) + ":x",
	} {
		_, err := Read(strings.NewReader(wrap(line)), time.UTC)
		if err == nil || !strings.Contains(err.Error(), "line 4 has") {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, line := range map[string]string{
		"long value":        "SUMMARY:" + strings.Repeat("a", 200000),
		"many lines":        strings.Repeat("X-A;B=c:d\r\n", 20000) + "SUMMARY:x",
		"folded":            "SUMMARY:" + strings.Repeat("ab\r\n ", 50000),
		"commas in a value": "DESCRIPTION:" + strings.Repeat("a, b; c: ", 20000),
		"quoted":            "ATTENDEE;CN=\"Berg; Anna, Dr.\":mailto:anna@example.com\r\nSUMMARY:x",
	} {
		if _, err := Read(strings.NewReader(wrap(line)), time.UTC); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestASeriesWithTooManyInstanceChangesIsRefused: EXDATE values are not parameters, so the
// line check does not bound them; a series that cancels more instances than any calendar
// would is refused with the reason, the file's other events read.
func TestASeriesWithTooManyInstanceChangesIsRefused(t *testing.T) {
	var ex strings.Builder
	for i := range MaxInstanceChanges + 1 {
		if i > 0 {
			ex.WriteByte(',')
		}
		ex.WriteString(time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("20060102T150405Z"))
	}
	in := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Daily\r\nDTSTART:20260101T100000Z\r\nRRULE:FREQ=DAILY\r\nEXDATE:" + ex.String() +
		"\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Once\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	items, err := Read(strings.NewReader(in), time.UTC)
	if err != nil || len(items) != 2 || !strings.Contains(items[0].Refused, "at most 2000") || items[1].Refused != "" {
		t.Fatalf("%v %+v", err, items)
	}
}

// TestAChangeOfAnInstanceTheSeriesLacksIsRefused: a RECURRENCE-ID that is not one of the
// series' instances makes the item's event fail with ErrNotAnInstance (the import lists it as
// refused).
func TestAChangeOfAnInstanceTheSeriesLacksIsRefused(t *testing.T) {
	in := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Weekly\r\nDTSTART:20260105T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID:20260106T100000Z\r\nSUMMARY:Moved\r\nDTSTART:20260107T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	items, err := Read(strings.NewReader(in), time.UTC)
	if err != nil || len(items) != 1 || items[0].Refused != "" {
		t.Fatalf("%v %+v", err, items)
	}
	if _, err := items[0].Event(1, 7); !errors.Is(err, ErrNotAnInstance) {
		t.Fatalf("event: %v", err)
	}
}
