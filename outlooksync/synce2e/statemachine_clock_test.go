package synce2e

import (
	"math/bits"
	"sync"
	"time"

	"pgregory.net/rapid"
)

// The state machine's clock and places. The engines' clock runs m.shift ahead of real time
// (the fake and the calendar store keep real time: the fake's access tokens and the oauth2
// client need it); the machine places events, picks instances and compares sides relative
// to the day the engines believe it is.

const smDate = "2006-01-02"

// Zones for events: the profile's (Europe/Berlin), others, and two that are not on Graph's
// IANA list (Europe/Amsterdam, America/Toronto), which must reach Outlook by their Windows
// names.
var (
	smLocalZones   = []string{"Europe/Berlin", "Europe/Berlin", "Europe/Amsterdam", "America/Toronto", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"}
	smOutlookZones = []string{"Europe/Berlin", "Europe/Amsterdam", "America/Toronto", "Asia/Kolkata", "Australia/Sydney", "UTC"}
)

var smZones sync.Map

// smZone loads a zone by IANA name; "" and unknown names are UTC.
func smZone(name string) *time.Location {
	if l, ok := smZones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" {
		l = time.UTC
	}
	smZones.Store(name, l)
	return l
}

// today is the day the engines believe it is (as of the case's start, so that a real
// midnight during a case does not move the places).
func (m *machine) today() time.Time { return m.start.Add(m.shift).In(m.w.zone) }

// monday is next week's Monday after today, midnight in the profile's zone: the window
// starts two days before today, so what is placed from here on lies inside it.
func (m *machine) monday() time.Time {
	now := m.today()
	return time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7+7, 0, 0, 0, 0, m.w.zone)
}

// span is what the machine picks from and compares: nine weeks from monday.
func (m *machine) span() (time.Time, time.Time) {
	mo := m.monday()
	return mo, mo.AddDate(0, 0, 63)
}

// at is a wall time in loc on the date days after monday.
func (m *machine) at(days, hour, minute int, loc *time.Location) time.Time {
	d := m.monday().AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, loc)
}

// date is the date days after monday.
func (m *machine) date(days int) string { return m.monday().AddDate(0, 0, days).Format(smDate) }

// advanceClock moves the engines' clock on by 1 to 90 days, mostly a few: the window slides,
// and the change feed starts a new round for it (Engine.Reround).
func (m *machine) advanceClock() {
	days := rapid.OneOf(rapid.IntRange(1, 3), rapid.IntRange(1, 3), rapid.IntRange(4, 14), rapid.IntRange(15, 90)).Draw(m.rt, "days")
	m.shift += time.Duration(days) * 24 * time.Hour
	m.did["clock days"] += days
}

// smPick draws an element of list, each as often as the others: rapid's SampledFrom favours
// the first ones (a hundred cases drew the first action five times as often as the tenth).
// It shrinks towards the first element.
func smPick[E any](list []E) *rapid.Generator[E] {
	if len(list) == 1 {
		return rapid.Just(list[0]) // rapid wants every draw to use its bits
	}
	width := bits.Len(uint(len(list) - 1))
	return rapid.Custom(func(t *rapid.T) E {
		for {
			v := 0
			for i := 0; i < width; i++ {
				if rapid.Bool().Draw(t, "bit") {
					v |= 1 << i
				}
			}
			if v < len(list) {
				return list[v]
			}
		}
	})
}
