package calendar

import (
	"errors"
	"strings"
	"testing"
)

func TestNewEventRejections(t *testing.T) {
	base := EventInput{Title: "T", Start: "2026-03-02T09:00:00", End: "2026-03-02T10:00:00", TimeZone: "Europe/Berlin"}
	for _, tc := range []struct {
		name  string
		edit  func(*EventInput)
		field string
	}{
		{"end before start", func(in *EventInput) { in.End = "2026-03-02T08:00:00" }, "end"},
		{"unknown zone", func(in *EventInput) { in.TimeZone = "Mars/Olympus" }, "timeZone"},
		{"count above 999", func(in *EventInput) { in.RRule = "FREQ=DAILY;COUNT=1000" }, "rrule"},
		{"until before start", func(in *EventInput) { in.RRule = "FREQ=DAILY;UNTIL=20260101T000000Z" }, "rrule"},
		{"hourly", func(in *EventInput) { in.RRule = "FREQ=HOURLY" }, "rrule"},
		{"byyearday", func(in *EventInput) { in.RRule = "FREQ=YEARLY;BYYEARDAY=100" }, "rrule"},
		{"title too long", func(in *EventInput) { in.Title = strings.Repeat("x", 256) }, "title"},
		{"title missing", func(in *EventInput) { in.Title = "  " }, "title"},
		{"description too long", func(in *EventInput) { in.Description = strings.Repeat("x", 64<<10+1) }, "description"},
		{"malformed start", func(in *EventInput) { in.Start = "March 2nd" }, "start"},
		{"start with offset", func(in *EventInput) { in.Start = "2026-03-02T09:00:00+01:00" }, "start"},
		{"malformed end", func(in *EventInput) { in.End = "2026-02-30T10:00:00" }, "end"},
		{"monthly from the 31st skips months", func(in *EventInput) { in.Start, in.End, in.RRule = "2026-01-31T09:00:00", "", "FREQ=MONTHLY" }, "rrule"},
		{"bad privacy", func(in *EventInput) { in.Privacy = "secret" }, "privacy"},
		{"all-day malformed", func(in *EventInput) { in.AllDay, in.Start, in.End = true, "2026/03/02", "" }, "start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.edit(&in)
			_, err := NewEvent(1, 1, in)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a validation error", err)
			}
			if ve.Fields[tc.field] == "" {
				t.Fatalf("fields %v do not name %q", ve.Fields, tc.field)
			}
		})
	}
}

func TestNewEventDefaults(t *testing.T) {
	e, err := NewEvent(1, 1, EventInput{Title: "T", Start: "2026-03-02T09:00", TimeZone: "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Privacy != Public || e.Segments[0].Duration.Hours() != 1 {
		t.Fatalf("privacy %q, duration %v; want public and one hour", e.Privacy, e.Segments[0].Duration)
	}
}

func TestInvalidUTF8IsReportedUnderItsOwnField(t *testing.T) {
	for _, field := range []string{"title", "description", "location"} {
		in := EventInput{Title: "Plan", Start: "2026-03-02T09:00:00", TimeZone: "UTC"}
		switch field {
		case "title":
			in.Title = "Pl\xffan"
		case "description":
			in.Description = "x\xc3"
		case "location":
			in.Location = "\xfe"
		}
		_, err := NewEvent(1, 1, in)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields[field] == "" || len(ve.Fields) != 1 {
			t.Errorf("invalid %s: %v, want one error under %q", field, err, field)
		}
	}
}
