package outlooksync

import (
	"time"

	"intracal/calendar"
)

// SeriesState is what the sync compares of a series (or single event) on each side and keeps
// as the base of the three-way merge: the same shape whether read from a local segment or an
// Outlook series master.
type SeriesState struct {
	Subject  string `json:"subject"`
	Body     string `json:"body"`
	Location string `json:"location"`
	When     When   `json:"when"`
	// Rule is the canonical explicit rule with its end written as the last instance (UNTIL of
	// the last start) or a COUNT, so that the same instances compare equal whichever side
	// wrote them; "" for a single event.
	Rule string `json:"rule"`
}

// When is the schedule of the first instance.
type When struct {
	Start    string        `json:"start"` // wall time of the first instance, or its date when all-day
	Zone     string        `json:"zone"`
	Duration time.Duration `json:"duration"`
	AllDay   bool          `json:"allDay"`
}

// InstanceState is what the sync compares of one instance that differs from its series: an
// exception (its full values) or a cancellation.
type InstanceState struct {
	Cancelled bool      `json:"cancelled,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	Body      string    `json:"body,omitempty"`
	Location  string    `json:"location,omitempty"`
	Start     time.Time `json:"start,omitzero"`
	End       time.Time `json:"end,omitzero"`
	// Invitees are the site users invited to this instance only (sorted addresses, comma
	// separated): in Outlook, attendees of this occurrence who are not the series'.
	Invitees string `json:"invitees,omitempty"`
}

// Base is the last synced state of one link: the series and its differing instances (by
// original start, RFC 3339 UTC).
type Base struct {
	Series    SeriesState              `json:"series"`
	Instances map[string]InstanceState `json:"instances,omitempty"`
	// Attendees are the site users (lower-cased addresses, sorted) invited to every instance.
	Attendees []string `json:"attendees,omitempty"`
	// Answers are the site-user attendees' answers to the series as the organizer's Outlook
	// showed them (by address), so that an answer given in an invitee's Outlook reaches My
	// Calendar even when the invitee never connected their mailbox.
	Answers map[string]calendar.Response `json:"answers,omitempty"`
	// StandIns are the Outlook single events that stand for instances Outlook deleted while
	// My Calendar changed them (standin.go), by original start.
	StandIns map[string]StandIn `json:"standIns,omitempty"`
	// Private is whether the series was private (Outlook: private or confidential) on both
	// sides after the last sync.
	Private bool `json:"private,omitempty"`
	// Categories and Reminder (minutes before the start; nil for none) are the event's on
	// both sides after the last sync; Labels says they were recorded (links synced before the
	// calendar kept them have neither).
	Categories []string `json:"categories,omitempty"`
	Reminder   *int     `json:"reminder,omitempty"`
	Labels     bool     `json:"labels,omitempty"`
	// Trimmed is the series as it was before Outlook shortened its range, when that change
	// came alone: Outlook writes "this and all following" as two changes (the range
	// shortened, then the new series), and a sync may fall between them. The new series that
	// arrives later is still matched against the series as it was (reconcile_remote.go).
	Trimmed   *SeriesState `json:"trimmed,omitempty"`
	TrimmedAt time.Time    `json:"trimmedAt,omitzero"`
}

func instanceKey(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// normalRule renders a rule for comparison: explicit parts, and an UNTIL moved to the last
// instance's start.
func normalRule(seg calendar.Segment) string {
	r, ok := seg.Schedule().ExplicitRule()
	if !ok {
		return ""
	}
	if !r.Until.IsZero() {
		if last, bounded := seg.Schedule().Last(); bounded {
			r.Until = last.UTC()
		}
	}
	return r.String()
}

// whenOf is the When of a segment's first instance.
func whenOf(seg calendar.Segment) When {
	first, ok := seg.Schedule().FirstStart()
	if !ok {
		first = seg.Start
	}
	w := When{Zone: seg.TimeZone, Duration: seg.Duration, AllDay: seg.AllDay}
	if seg.AllDay {
		w.Start = first.UTC().Format("2006-01-02")
	} else {
		w.Start = first.Format("2006-01-02T15:04:05")
	}
	return w
}

// LocalSeriesState is the state of a local segment.
func LocalSeriesState(seg calendar.Segment) SeriesState {
	return SeriesState{Subject: seg.Title, Body: seg.Description, Location: seg.Location, When: whenOf(seg), Rule: normalRule(seg)}
}

// RemoteSegment reads an Outlook series master or single event as a local segment (without
// UID). The zone falls back to UTC when Outlook names none we know; a linked series has
// been given its base's zone by then (keptZone), so only an import falls back.
func RemoteSegment(ev RemoteEvent) (calendar.Segment, error) {
	zone := ev.TimeZone
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		zone, loc = "UTC", time.UTC
	}
	seg := calendar.Segment{TimeZone: zone, Duration: ev.End.Sub(ev.Start), AllDay: ev.IsAllDay,
		Content: calendar.Content{Title: ev.Subject, Description: ev.Body, Location: ev.Location}}
	if ev.IsAllDay {
		seg.Start = time.Date(ev.Start.Year(), ev.Start.Month(), ev.Start.Day(), 0, 0, 0, 0, time.UTC)
	} else {
		seg.Start = ev.Start.In(loc)
	}
	if ev.Recurrence != nil {
		ruleLoc := loc
		if ev.IsAllDay {
			ruleLoc = time.UTC
		}
		rule, err := RuleOf(ev.Recurrence, ruleLoc)
		if err != nil {
			return seg, err
		}
		seg.Rule = rule
	}
	return seg, nil
}

// localInstances returns the differing instances of segment i of e whose original start lies
// in the window, as the sync compares them: changed or cancelled ones, and those someone is
// invited to alone.
func localInstances(e *calendar.Event, i int, w Window, people People) map[string]InstanceState {
	seg := e.Segments[i]
	out := map[string]InstanceState{}
	origs := map[time.Time]bool{}
	for _, o := range e.Overrides {
		origs[o.OriginalStart.UTC()] = true
	}
	for _, in := range e.Invitations {
		if in.Instance != nil {
			origs[in.Instance.UTC()] = true
		}
	}
	for orig := range origs {
		if orig.Before(w.From) || !orig.Before(w.To) {
			continue
		}
		if oc, cancelled, err := e.Instance(calendar.Viewer{UserID: e.OrganizerID}, orig); err == nil && oc.Segment == i {
			if cancelled {
				out[instanceKey(orig)] = InstanceState{Cancelled: true}
				continue
			}
			st := InstanceState{Subject: oc.Title, Body: oc.Description, Location: oc.Location, Start: oc.Start.UTC(), End: oc.End.UTC(),
				Invitees: people.instanceInvitees(e, orig)}
			if st != plainInstance(seg, orig) {
				out[instanceKey(orig)] = st
			}
		}
	}
	return out
}

// plainInstance is what an unchanged instance of seg looks like.
func plainInstance(seg calendar.Segment, orig time.Time) InstanceState {
	return InstanceState{Subject: seg.Title, Body: seg.Description, Location: seg.Location,
		Start: orig.UTC(), End: orig.Add(seg.Duration).UTC()}
}

// remoteInstances returns the differing instances of an Outlook series in the window: its
// exceptions, and the occurrences its recurrence expects that Outlook no longer has.
func remoteInstances(seg calendar.Segment, master RemoteEvent, instances []RemoteEvent, w Window, people People) map[string]InstanceState {
	out := map[string]InstanceState{}
	seen := map[string]bool{}
	for _, in := range instances {
		if in.OriginalStart == nil {
			continue
		}
		k := instanceKey(*in.OriginalStart)
		seen[k] = true
		if in.IsCancelled {
			out[k] = InstanceState{Cancelled: true}
			continue
		}
		st := InstanceState{Subject: in.Subject, Body: in.Body, Location: in.Location, Start: in.Start.UTC(), End: in.End.UTC(),
			Invitees: people.occurrenceInvitees(master, in)}
		if in.Type == TypeException && st != plainInstance(seg, *in.OriginalStart) {
			out[k] = st
		}
	}
	for _, s := range seg.Schedule().Starts(w.From, w.To, 0) {
		if s.Before(w.From) {
			continue // started before the window: Outlook's view may not list it
		}
		if k := instanceKey(s); !seen[k] {
			out[k] = InstanceState{Cancelled: true}
		}
	}
	return out
}
