package graph

import (
	"strings"
	"time"
	_ "time/tzdata" // zones resolve the same on every machine, whatever its system database

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"intracal/outlooksync/winzone"
)

// Graph accepts Windows zone names and only a fixed list of IANA names
// (resources/datetimetimezone.md: Europe/Amsterdam, Europe/Zurich and America/Toronto are
// not on it), and reports zones by their Windows names; the rest of the program uses IANA
// names. So the adapter always sends Windows names and reads either kind, through winzone,
// the one table it shares with the fake.
type zones struct{}

func newZones() *zones { return &zones{} }

// iana names the zone Outlook reported (a Windows name, an IANA name, or one of Exchange's
// spellings of UTC) the IANA way. It reports false, with "", for a zone it cannot place:
// a custom zone defined inside the item ("tzone://Microsoft/Custom", "Customized Time Zone")
// or a name it does not know.
func (z *zones) iana(name string) (string, bool) {
	name = strings.TrimSpace(name)
	switch strings.ToLower(name) {
	case "":
		return "", false
	case "tzone://microsoft/utc", "utc", "coordinated universal time", "etc/utc", "gmt":
		return "UTC", true
	}
	if iana, ok := winzone.IANA(name); ok {
		return iana, true
	}
	if strings.Contains(name, "/") && !strings.Contains(name, "://") {
		if _, err := time.LoadLocation(name); err == nil {
			return name, true
		}
	}
	return "", false
}

// windows names an IANA zone as Graph takes it: its Windows name. It reports false for a
// zone winzone does not know ("" and UTC are "UTC").
func (z *zones) windows(iana string) (string, bool) {
	if iana == "" || iana == "UTC" {
		return "UTC", true
	}
	return winzone.Windows(iana)
}

// location loads the zone that Outlook reported; UTC when it cannot be placed.
func (z *zones) location(name string) *time.Location {
	iana, ok := z.iana(name)
	if !ok {
		return time.UTC
	}
	loc, err := time.LoadLocation(iana)
	if err != nil {
		return time.UTC
	}
	return loc
}

// eventZone is the IANA zone of an event. originalStartTimeZone names it, unless the item
// carries a zone of its own that Graph reports as "tzone://Microsoft/Custom"
// (resources/event.md; OGCS issue #2148) or "Customized Time Zone" (MicrosoftDocs/azure-docs
// #39454): then the series' recurrence.range.recurrenceTimeZone, then originalEndTimeZone.
// When none can be placed it is "", never UTC, so that the sync keeps the zone it knows
// rather than moving the event into UTC.
func (c *Client) eventZone(ev models.Eventable) string {
	names := []string{deref(ev.GetOriginalStartTimeZone())}
	if rec := ev.GetRecurrence(); rec != nil && rec.GetRangeEscaped() != nil {
		names = append(names, deref(rec.GetRangeEscaped().GetRecurrenceTimeZone()))
	}
	names = append(names, deref(ev.GetOriginalEndTimeZone()))
	for _, n := range names {
		if iana, ok := c.zones.iana(n); ok {
			return iana
		}
	}
	return ""
}

// eventLocation is the location of eventZone; UTC when the event's zone cannot be placed.
func (c *Client) eventLocation(ev models.Eventable) *time.Location {
	return c.zones.location(c.eventZone(ev))
}
