package outlooksync

import (
	"maps"
	"time"

	"intracal/calendar"
	"intracal/outlooksync/winzone"
)

// keptZone is the zone to read a linked Outlook series in, given the zone of its link's base.
// Outlook knows zones only by their Windows names, so a series written in Europe/Amsterdam
// comes back in the zone that stands for "W. Europe Standard Time", Europe/Berlin: to
// Outlook the same zone, so the base's is kept and nothing counts as changed. A zone the
// adapter could not place (a custom zone with nothing to fall back on) arrives empty and
// keeps the base's zone too, rather than turning into UTC and moving every instance after
// the next change of daylight saving time. Without a base the remote zone stands.
func keptZone(remote, base string) string {
	if base == "" || remote == base {
		return remote
	}
	if remote == "" {
		return base
	}
	if _, err := time.LoadLocation(remote); err != nil {
		return base
	}
	if winzone.Same(remote, base) {
		return base
	}
	return remote
}

// linkedZones returns remote with the master of every linked series read in the zone
// keptZone picks from its link's base. The input is left as it is (Reconcile is pure): a
// changed series is a copy in a copy of the map.
func linkedZones(links []Link, remote map[string]*RemoteSeries) map[string]*RemoteSeries {
	out, copied := remote, false
	for _, l := range links {
		rs := remote[l.RemoteID]
		if rs == nil {
			continue
		}
		zone := keptZone(rs.Master.TimeZone, l.Base.Series.When.Zone)
		if zone == rs.Master.TimeZone {
			continue
		}
		if !copied {
			out, copied = maps.Clone(remote), true
		}
		cp := *rs
		cp.Master.TimeZone = zone
		out[l.RemoteID] = &cp
	}
	return out
}

// markedZones does for the Outlook series that carry our marker but no link (created by a
// cycle that stopped before linking them) what linkedZones does for linked ones, with the
// zone sent (pending.go), or failing that the zone of the segment the marker names:
// relinked in the zone Outlook renamed, the series would differ from the one sent, and a
// split of it would go unseen.
func markedZones(in Input, remote map[string]*RemoteSeries) map[string]*RemoteSeries {
	linked := make(map[string]bool, len(in.Links))
	for _, l := range in.Links {
		linked[l.RemoteID] = true
	}
	byID := make(map[int64]*calendar.Event, len(in.Local))
	for _, e := range in.Local {
		byID[e.ID] = e
	}
	out, copied := remote, false
	for id, rs := range remote {
		eventID, uid, ok := ParseMarker(rs.Master.Marker)
		e := byID[eventID]
		if !ok || e == nil || e.SegmentIndex(uid) < 0 || linked[id] {
			continue
		}
		sentZone := e.Segments[e.SegmentIndex(uid)].TimeZone
		for _, p := range in.Pending {
			if p.EventID == eventID && p.SegmentUID == uid {
				sentZone = p.Base.Series.When.Zone
			}
		}
		zone := keptZone(rs.Master.TimeZone, sentZone)
		if zone == rs.Master.TimeZone {
			continue
		}
		if !copied {
			out, copied = maps.Clone(remote), true
		}
		cp := *rs
		cp.Master.TimeZone = zone
		out[id] = &cp
	}
	return out
}
