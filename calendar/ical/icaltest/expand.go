// Package icaltest expands iCalendar files as a subscribing calendar app does, with
// rrule-go, a recurrence implementation independent of the calendar package's, so that tests
// can compare a feed's instances with the calendar's own.
package icaltest

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/teambition/rrule-go"
)

// Expand expands an iCalendar file as a subscribing app does, with rrule-go, a
// recurrence implementation independent of the calendar package's: each series' DTSTART,
// RRULE and EXDATE, then its RECURRENCE-ID components in place of the instances they
// replace. It returns "start title" lines of the instances overlapping [from, to).
func Expand(t testing.TB, data []byte, from, to time.Time) []string {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse the feed: %v\n%s", err, data)
	}
	type instance struct {
		start, end time.Time
		title      string
	}
	masters := map[string]*ics.VEvent{}
	exceptions := map[string]map[int64]instance{}
	var uids []string
	for _, ev := range cal.Events() {
		uid := ev.Id()
		if ev.GetProperty(ics.ComponentPropertyRecurrenceId) == nil {
			masters[uid] = ev
			uids = append(uids, uid)
			continue
		}
		rid := propTime(t, ev.GetProperty(ics.ComponentPropertyRecurrenceId))
		if exceptions[uid] == nil {
			exceptions[uid] = map[int64]instance{}
		}
		exceptions[uid][rid.UnixNano()] = instance{start: propTime(t, ev.GetProperty(ics.ComponentPropertyDtStart)),
			end: propTime(t, ev.GetProperty(ics.ComponentPropertyDtEnd)), title: summary(ev)}
	}
	var out []string
	for _, uid := range uids {
		m := masters[uid]
		start := propTime(t, m.GetProperty(ics.ComponentPropertyDtStart))
		dur := propTime(t, m.GetProperty(ics.ComponentPropertyDtEnd)).Sub(start)
		starts := []time.Time{start}
		if rr := m.GetProperty(ics.ComponentPropertyRrule); rr != nil {
			lines := []string{"DTSTART" + rruleTime(t, m.GetProperty(ics.ComponentPropertyDtStart)), "RRULE:" + dateUntil(rr.Value)}
			for _, ex := range m.GetProperties(ics.ComponentPropertyExdate) {
				for _, v := range strings.Split(ex.Value, ",") {
					p := *ex
					p.Value = v
					lines = append(lines, "EXDATE"+rruleTime(t, &p))
				}
			}
			set, err := rrule.StrSliceToRRuleSet(lines)
			if err != nil {
				t.Fatalf("rrule-go reads %q: %v", lines, err)
			}
			starts = set.Between(from.Add(-400*24*time.Hour), to, true)
		}
		for _, s := range starts {
			in := instance{start: s, end: s.Add(dur), title: summary(m)}
			if x, ok := exceptions[uid][s.UnixNano()]; ok {
				in = x
			}
			if in.start.Before(to) && in.end.After(from) {
				out = append(out, in.start.UTC().Format(time.RFC3339)+" "+in.title)
			}
		}
	}
	slices.Sort(out)
	return out
}

func summary(ev *ics.VEvent) string {
	if p := ev.GetProperty(ics.ComponentPropertySummary); p != nil {
		return p.Value
	}
	return ""
}

// propTime reads a DATE, a UTC DATE-TIME or a DATE-TIME with TZID.
func propTime(t testing.TB, p *ics.IANAProperty) time.Time {
	t.Helper()
	if p == nil {
		t.Fatal("a time property is missing")
	}
	loc := time.UTC
	if z := p.ICalParameters[string(ics.ParameterTzid)]; len(z) == 1 {
		l, err := time.LoadLocation(z[0])
		if err != nil {
			t.Fatal(err)
		}
		loc = l
	}
	for _, layout := range []string{"20060102T150405Z", "20060102T150405", "20060102"} {
		if v, err := time.ParseInLocation(layout, p.Value, loc); err == nil {
			return v
		}
	}
	t.Fatalf("not a time: %q", p.Value)
	return time.Time{}
}

// rruleTime is a time property as rrule-go reads it after the property name (dates as
// midnight UTC, as the calendar package keeps all-day starts).
func rruleTime(t testing.TB, p *ics.IANAProperty) string {
	if z := p.ICalParameters[string(ics.ParameterTzid)]; len(z) == 1 {
		return ";TZID=" + z[0] + ":" + p.Value
	}
	return ":" + propTime(t, p).UTC().Format("20060102T150405Z")
}

func dateUntil(rule string) string {
	parts := strings.Split(rule, ";")
	for i, part := range parts {
		if v, ok := strings.CutPrefix(part, "UNTIL="); ok && len(v) == len("20060102") {
			parts[i] = "UNTIL=" + v + "T235959Z"
		}
	}
	return strings.Join(parts, ";")
}
