package fakeoutlook

import (
	"fmt"
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // the fake expands series in their own zone on any machine

	"intracal/outlooksync/winzone"
)

// zones resolves time zone names. Graph accepts a Windows name or one of the IANA names
// of graphIANAZones in a request, and refuses anything else with 400
// TimeZoneNotSupportedException (Quirks.AcceptAnyIANAZone accepts any IANA name); it reports
// zones by their Windows names (winzone, after CLDR). Inside the fake a zone is stored as an
// IANA name: the name the client sent when Graph takes it as it is, or the zone its Windows
// name stands for.
type zones struct {
	anyIANA bool
}

func newZones(anyIANA bool) zones { return zones{anyIANA: anyIANA} }

// accept resolves a zone name a client sent (start, end, Prefer: outlook.timezone) into a
// location and the name the fake stores, as Graph would: Windows names in any case, Graph's
// IANA list, UTC.
func (z zones) accept(name string) (*time.Location, string, error) {
	n := strings.TrimSpace(name)
	_, windows := winzone.IANA(n)
	if n == "" || windows || graphIANAZones()[n] || z.anyIANA {
		return z.resolve(n)
	}
	return nil, "", zoneNotSupported(name)
}

// resolve turns a zone name the fake itself holds (a stored zone, one the Outlook user
// picks, the demo zone) into a location and its stored IANA name. Any IANA name that loads
// is taken: only requests are held to Graph's list.
func (z zones) resolve(name string) (*time.Location, string, error) {
	n := strings.TrimSpace(name)
	if iana, ok := winzone.IANA(n); ok {
		n = iana
	}
	if n == "" || n == "Etc/UTC" || strings.EqualFold(n, "utc") {
		return time.UTC, "UTC", nil
	}
	loc, err := time.LoadLocation(n)
	if err != nil || strings.EqualFold(n, "local") {
		return nil, "", fmt.Errorf("time zone %q is not supported", name)
	}
	return loc, n, nil
}

// outlookZone is the zone an Outlook user picks for an IANA or Windows name: Outlook's zone
// list is Windows zones ("(UTC+01:00) Amsterdam, Berlin, Bern, ..." is W. Europe Standard
// Time), so Europe/Amsterdam becomes that zone. It returns the Windows name to send and the
// location the zone stands for.
func (z zones) outlookZone(name string) (string, *time.Location, error) {
	_, iana, err := z.resolve(name)
	if err != nil {
		return "", nil, err
	}
	win, ok := winzone.Windows(iana)
	if !ok {
		return "", nil, fmt.Errorf("fake outlook: Outlook offers no time zone for %q", name)
	}
	loc, _, err := z.resolve(win)
	return win, loc, err
}

// requestName is the name to send for a stored zone so that it is stored unchanged: the
// zone itself when Graph accepts it, else its Windows name (which stands for it).
func (z zones) requestName(stored string) string {
	if _, _, err := z.accept(stored); err == nil {
		return stored
	}
	return z.windows(stored)
}

// windows returns the name Outlook reports for a stored zone. A zone outside the table
// (only Quirks.AcceptAnyIANAZone stores one) keeps its IANA name rather than being reported
// as UTC, so that a client can still expand the series in the zone the fake expands it in.
func (z zones) windows(iana string) string {
	if win, ok := winzone.Windows(iana); ok {
		return win
	}
	return iana
}

func zoneNotSupported(name string) error {
	return &opError{status: http.StatusBadRequest, code: "TimeZoneNotSupportedException",
		msg: fmt.Sprintf("A valid TimeZone value must be specified. The following TimeZone value is not supported: '%s'.", name)}
}

// reportedZone is what Graph reports as an item's originalStartTimeZone or
// originalEndTimeZone: the Windows name of its zone, or the custom name the item was
// saved with (EventSpec.ReportZoneAs), for the master and every instance alike.
func (s *Server) reportedZone(ev *event, zone string) string {
	if ev.reportZoneAs != "" {
		return ev.reportZoneAs
	}
	return s.zones.windows(zone)
}
