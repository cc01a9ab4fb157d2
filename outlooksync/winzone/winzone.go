// Package winzone converts between Windows time zone names, which Outlook and Microsoft Graph
// use ("W. Europe Standard Time"), and IANA names, which the rest of the program uses
// ("Europe/Berlin").
//
// The table follows Unicode CLDR's windowsZones data (common/supplemental/windowsZones.xml),
// the reference Microsoft's documentation points to: each Windows zone stands for the IANA zone
// CLDR gives for territory "001", and every IANA zone CLDR lists for it in any territory
// belongs to it, so that Europe/Amsterdam and Europe/Zurich write as "W. Europe Standard Time"
// and read back as Europe/Berlin. It is one table because two hand-written ones drifted apart
// (Myanmar read as Asia/Yangon on one side and Asia/Rangoon on the other): the adapter that
// talks to Graph and the fake that stands in for it must agree on what a name means.
//
// CLDR keeps old spellings as its identifiers (Asia/Rangoon, Asia/Calcutta, Europe/Kiev); the
// table lists those and today's IANA names, and gives today's name as a Windows zone's own
// zone. Windows "UTC" stands for UTC rather than CLDR's Etc/UTC: it is the name Go and the
// rest of the program use for it.
package winzone

import (
	"strings"
	"sync"
)

type entry struct {
	windows string
	zones   []string // the zone of territory 001 first
}

// lookup is the table with its indexes, built once on first use.
type lookup struct {
	entries   []entry
	byWindows map[string]int // lower-case Windows name -> entry
	byIANA    map[string]int // lower-case IANA name -> entry
}

var tables = sync.OnceValue(func() lookup {
	l := lookup{byWindows: map[string]int{}, byIANA: map[string]int{}}
	for i, row := range table {
		e := entry{windows: row[0], zones: strings.Fields(row[1])}
		l.entries = append(l.entries, e)
		l.byWindows[strings.ToLower(e.windows)] = i
		for _, z := range e.zones {
			if _, dup := l.byIANA[strings.ToLower(z)]; !dup {
				l.byIANA[strings.ToLower(z)] = i
			}
		}
	}
	return l
})

// IANA returns the IANA zone a Windows zone stands for (CLDR's territory 001). The name is
// matched without regard to case, as Graph matches it.
func IANA(windows string) (string, bool) {
	t := tables()
	i, ok := t.byWindows[strings.ToLower(strings.TrimSpace(windows))]
	if !ok {
		return "", false
	}
	return t.entries[i].zones[0], true
}

// Windows returns the Windows zone an IANA zone belongs to.
func Windows(iana string) (string, bool) {
	t := tables()
	i, ok := t.byIANA[strings.ToLower(strings.TrimSpace(iana))]
	if !ok {
		return "", false
	}
	return t.entries[i].windows, true
}

// Same reports whether two IANA zones are the same zone to Outlook: equal, or both belonging
// to one Windows zone (Europe/Amsterdam and Europe/Berlin).
func Same(a, b string) bool {
	if a == b {
		return true
	}
	wa, okA := Windows(a)
	wb, okB := Windows(b)
	return okA && okB && wa == wb
}

// WindowsNames lists every Windows zone of the table.
func WindowsNames() []string {
	t := tables()
	out := make([]string, len(t.entries))
	for i, e := range t.entries {
		out[i] = e.windows
	}
	return out
}

// Zones lists the IANA zones of a Windows zone, its own zone (territory 001) first.
func Zones(windows string) []string {
	t := tables()
	i, ok := t.byWindows[strings.ToLower(strings.TrimSpace(windows))]
	if !ok {
		return nil
	}
	return append([]string(nil), t.entries[i].zones...)
}
