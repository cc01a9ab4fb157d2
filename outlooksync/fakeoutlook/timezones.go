package fakeoutlook

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the fake expands series in their own zone on any machine
)

// windowsZones maps the Windows time zone names that Outlook reports in
// originalStartTimeZone to IANA zones, after CLDR's windowsZones table
// (territory 001). Graph accepts either kind of name in a request.
func windowsZones() map[string]string {
	return map[string]string{
		"Dateline Standard Time":          "Etc/GMT+12",
		"UTC-11":                          "Etc/GMT+11",
		"Hawaiian Standard Time":          "Pacific/Honolulu",
		"Alaskan Standard Time":           "America/Anchorage",
		"Pacific Standard Time":           "America/Los_Angeles",
		"US Mountain Standard Time":       "America/Phoenix",
		"Mountain Standard Time":          "America/Denver",
		"Central America Standard Time":   "America/Guatemala",
		"Central Standard Time":           "America/Chicago",
		"Central Standard Time (Mexico)":  "America/Mexico_City",
		"Canada Central Standard Time":    "America/Regina",
		"SA Pacific Standard Time":        "America/Bogota",
		"Eastern Standard Time":           "America/New_York",
		"Venezuela Standard Time":         "America/Caracas",
		"Atlantic Standard Time":          "America/Halifax",
		"Pacific SA Standard Time":        "America/Santiago",
		"Newfoundland Standard Time":      "America/St_Johns",
		"E. South America Standard Time":  "America/Sao_Paulo",
		"Argentina Standard Time":         "America/Buenos_Aires",
		"Azores Standard Time":            "Atlantic/Azores",
		"UTC":                             "Etc/UTC",
		"GMT Standard Time":               "Europe/London",
		"Greenwich Standard Time":         "Atlantic/Reykjavik",
		"Morocco Standard Time":           "Africa/Casablanca",
		"W. Europe Standard Time":         "Europe/Berlin",
		"Central Europe Standard Time":    "Europe/Budapest",
		"Romance Standard Time":           "Europe/Paris",
		"Central European Standard Time":  "Europe/Warsaw",
		"W. Central Africa Standard Time": "Africa/Lagos",
		"GTB Standard Time":               "Europe/Bucharest",
		"E. Europe Standard Time":         "Europe/Chisinau",
		"Egypt Standard Time":             "Africa/Cairo",
		"FLE Standard Time":               "Europe/Kiev",
		"Israel Standard Time":            "Asia/Jerusalem",
		"South Africa Standard Time":      "Africa/Johannesburg",
		"Turkey Standard Time":            "Europe/Istanbul",
		"Arab Standard Time":              "Asia/Riyadh",
		"Russian Standard Time":           "Europe/Moscow",
		"E. Africa Standard Time":         "Africa/Nairobi",
		"Iran Standard Time":              "Asia/Tehran",
		"Arabian Standard Time":           "Asia/Dubai",
		"Pakistan Standard Time":          "Asia/Karachi",
		"India Standard Time":             "Asia/Calcutta",
		"Sri Lanka Standard Time":         "Asia/Colombo",
		"Nepal Standard Time":             "Asia/Katmandu",
		"Bangladesh Standard Time":        "Asia/Dhaka",
		"Myanmar Standard Time":           "Asia/Rangoon",
		"SE Asia Standard Time":           "Asia/Bangkok",
		"China Standard Time":             "Asia/Shanghai",
		"Singapore Standard Time":         "Asia/Singapore",
		"Taipei Standard Time":            "Asia/Taipei",
		"W. Australia Standard Time":      "Australia/Perth",
		"Korea Standard Time":             "Asia/Seoul",
		"Tokyo Standard Time":             "Asia/Tokyo",
		"Cen. Australia Standard Time":    "Australia/Adelaide",
		"AUS Central Standard Time":       "Australia/Darwin",
		"E. Australia Standard Time":      "Australia/Brisbane",
		"AUS Eastern Standard Time":       "Australia/Sydney",
		"New Zealand Standard Time":       "Pacific/Auckland",
		"Tonga Standard Time":             "Pacific/Tongatapu",
		"Samoa Standard Time":             "Pacific/Apia",
	}
}

// ianaAliases maps further IANA zones to the Windows zone Outlook reports for
// them (CLDR lists them under the same Windows name).
func ianaAliases() map[string]string {
	return map[string]string{
		"UTC": "UTC", "Etc/GMT": "UTC", "GMT": "UTC",
		"America/Toronto": "Eastern Standard Time", "America/Detroit": "Eastern Standard Time",
		"America/Vancouver": "Pacific Standard Time", "America/Edmonton": "Mountain Standard Time",
		"America/Winnipeg":               "Central Standard Time",
		"America/Argentina/Buenos_Aires": "Argentina Standard Time",
		"Europe/Dublin":                  "GMT Standard Time", "Europe/Lisbon": "GMT Standard Time",
		"Europe/Amsterdam": "W. Europe Standard Time", "Europe/Rome": "W. Europe Standard Time",
		"Europe/Vienna": "W. Europe Standard Time", "Europe/Zurich": "W. Europe Standard Time",
		"Europe/Stockholm": "W. Europe Standard Time", "Europe/Oslo": "W. Europe Standard Time",
		"Europe/Luxembourg": "W. Europe Standard Time", "Europe/Monaco": "W. Europe Standard Time",
		"Europe/Brussels": "Romance Standard Time", "Europe/Madrid": "Romance Standard Time",
		"Europe/Copenhagen": "Romance Standard Time", "Europe/Prague": "Central Europe Standard Time",
		"Europe/Bratislava": "Central Europe Standard Time", "Europe/Ljubljana": "Central Europe Standard Time",
		"Europe/Zagreb": "Central European Standard Time", "Europe/Sarajevo": "Central European Standard Time",
		"Europe/Athens": "GTB Standard Time", "Europe/Helsinki": "FLE Standard Time",
		"Europe/Kyiv": "FLE Standard Time", "Europe/Riga": "FLE Standard Time",
		"Europe/Tallinn": "FLE Standard Time", "Europe/Vilnius": "FLE Standard Time",
		"Europe/Sofia": "FLE Standard Time", "Asia/Kolkata": "India Standard Time",
		"Asia/Kathmandu": "Nepal Standard Time", "Asia/Yangon": "Myanmar Standard Time",
		"Asia/Jakarta": "SE Asia Standard Time", "Asia/Ho_Chi_Minh": "SE Asia Standard Time",
		"Asia/Hong_Kong": "China Standard Time", "Australia/Melbourne": "AUS Eastern Standard Time",
		"Australia/Canberra": "AUS Eastern Standard Time", "Australia/Hobart": "AUS Eastern Standard Time",
	}
}

// zones resolves the time zone names of requests and reports Windows names.
type zones struct {
	toIANA    map[string]string // lower-case Windows name -> IANA
	toWindows map[string]string // IANA -> Windows name
}

func newZones() zones {
	z := zones{toIANA: map[string]string{}, toWindows: map[string]string{}}
	for win, iana := range windowsZones() {
		z.toIANA[strings.ToLower(win)] = iana
		z.toWindows[iana] = win
	}
	for iana, win := range ianaAliases() {
		z.toWindows[iana] = win
	}
	return z
}

// resolve turns a Windows or IANA zone name into a location and the IANA name
// the fake stores.
func (z zones) resolve(name string) (*time.Location, string, error) {
	n := strings.TrimSpace(name)
	if n == "" {
		return time.UTC, "UTC", nil
	}
	if iana, ok := z.toIANA[strings.ToLower(n)]; ok {
		n = iana
	}
	if n == "Etc/UTC" || strings.EqualFold(n, "utc") {
		return time.UTC, "UTC", nil
	}
	loc, err := time.LoadLocation(n)
	if err != nil || strings.EqualFold(n, "local") {
		return nil, "", fmt.Errorf("time zone %q is not supported", name)
	}
	return loc, n, nil
}

// windows returns the name Outlook reports for an IANA zone. Outlook knows
// zones by Windows names; a zone outside the table keeps its IANA name rather
// than being reported as UTC, so that a client can still expand the series
// in the zone the fake expands it in.
func (z zones) windows(iana string) string {
	if win, ok := z.toWindows[iana]; ok {
		return win
	}
	return iana
}
