package ical

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"
)

// addTimezone writes a VTIMEZONE for an IANA zone, from Go's zone database: every change of
// offset between the years from and to, as explicit observances (a STANDARD or DAYLIGHT
// component per offset pair and name, its first change as DTSTART and the later ones as
// RDATE), which RFC 5545 allows and every client reads without knowing the zone's rules.
func addTimezone(cal *ics.Calendar, loc *time.Location, from, to int) {
	tz := cal.AddTimezone(loc.String())
	type key struct {
		dst      bool
		from, to int
		name     string
	}
	type observance struct {
		key
		starts []time.Time // wall times in the offset before the change
	}
	var order []key
	byKey := map[key]*observance{}
	t := time.Date(from, 1, 1, 0, 0, 0, 0, loc)
	for t.Year() <= to {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			break
		}
		_, before := end.Add(-time.Second).Zone()
		name, after := end.Zone()
		k := key{dst: end.IsDST(), from: before, to: after, name: name}
		o := byKey[k]
		if o == nil {
			o = &observance{key: k}
			byKey[k] = o
			order = append(order, k)
		}
		o.starts = append(o.starts, end.UTC().Add(time.Duration(before)*time.Second))
		t = end
	}
	if len(order) == 0 {
		// A zone without changes in those years: one standard observance.
		name, off := time.Date(from, 1, 1, 0, 0, 0, 0, loc).Zone()
		k := key{from: off, to: off, name: name}
		order, byKey[k] = []key{k}, &observance{key: k, starts: []time.Time{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}}
	}
	for _, k := range order {
		o := byKey[k]
		var c *ics.ComponentBase
		if k.dst {
			d := &ics.Daylight{}
			tz.Components = append(tz.Components, d)
			c = &d.ComponentBase
		} else {
			c = &tz.AddStandard().ComponentBase
		}
		c.SetProperty(ics.ComponentPropertyDtStart, o.starts[0].Format(localLayout))
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(k.from))
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(k.to))
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), k.name)
		for _, s := range o.starts[1:] {
			c.AddRdate(s.Format(localLayout))
		}
	}
}

// utcOffset is an offset in seconds as RFC 5545 writes it: +hhmm, or +hhmmss.
func utcOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	h, m, s := sec/3600, sec%3600/60, sec%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
