package outlooksync

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"intracal/calendar"
)

// A copy is a one-way image of a segment in an Outlook calendar that is not the user's own
// (a space's calendar published into a member's mailbox): no meeting, no attendees, no
// answers, written as the sync writes a series (the same recurrence, zones, all-day dates
// and exceptions), and never read back into the calendar.

// SeriesCopy is what the copy of one segment holds.
type SeriesCopy struct {
	// Write creates the series (or single event), without attendees; Marker is left to the
	// caller.
	Write *EventWrite
	// Instances are its occurrences that differ from the series, in the window, by
	// original start (RFC 3339 UTC): changed ones, and cancelled ones (an occurrence
	// hidden from this reader is cancelled too).
	Instances map[string]InstanceState
	// Digest changes whenever anything the copy shows changes; Schedule whenever its
	// schedule or its instances do (anything a patch of the series' content cannot give).
	Digest, Schedule string
}

// CopyOf describes the copy of segment i of e in window w. Hidden are original starts the
// copy must not show (the reader has them elsewhere in their Outlook): they are cancelled
// occurrences of a series; a single event with one hidden is no copy at all (ok false).
func CopyOf(e *calendar.Event, i int, w Window, hidden []time.Time) (c SeriesCopy, ok bool, err error) {
	seg := e.Segments[i]
	first, any := seg.Schedule().FirstStart()
	if !any {
		return SeriesCopy{}, false, nil
	}
	if seg.Rule == nil && slices.ContainsFunc(hidden, func(t time.Time) bool { return t.Equal(first) }) {
		return SeriesCopy{}, false, nil
	}
	wr, err := writeOf(LocalSeriesState(seg), seg, allFields(seg))
	if err != nil {
		return SeriesCopy{}, false, fmt.Errorf("copy of event %d: %w", e.ID, err)
	}
	wr.Private = e.Privacy == calendar.Private
	wr.Fields = append(wr.Fields, "sensitivity", "categories", "reminder")
	labelWrite(wr, e)
	inst := map[string]InstanceState{}
	if seg.Rule != nil {
		inst = localInstances(e, i, w, People{})
		for k, st := range inst {
			st.Invitees = "" // a copy has no attendees
			inst[k] = st
		}
		for _, h := range hidden {
			if h.Before(w.From) || !h.Before(w.To) || !seg.Schedule().Contains(h) {
				continue
			}
			inst[instanceKey(h)] = InstanceState{Cancelled: true}
		}
	}
	c = SeriesCopy{Write: wr, Instances: inst}
	if c.Digest, err = digest(wr, inst); err != nil {
		return SeriesCopy{}, false, fmt.Errorf("copy of event %d: %w", e.ID, err)
	}
	sched := ContentWrite(c)
	sched.Subject, sched.Body, sched.Location, sched.Private, sched.Categories, sched.Reminder = "", "", "", false, nil, calendar.Reminder{}
	sched.Recurrence, sched.Fields = wr.Recurrence, nil
	if c.Schedule, err = digest(sched, inst); err != nil {
		return SeriesCopy{}, false, fmt.Errorf("copy of event %d: %w", e.ID, err)
	}
	return c, true, nil
}

func digest(w *EventWrite, inst map[string]InstanceState) (string, error) {
	b, err := json.Marshal(struct {
		W *EventWrite
		I map[string]InstanceState
	}{w, inst})
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16]), nil
}

// InstanceCopyWrite is the patch that makes an occurrence of a copy show st.
func InstanceCopyWrite(st InstanceState, seg calendar.Segment) *EventWrite {
	return &EventWrite{Fields: []string{"subject", "body", "location", "start", "end"},
		Subject: st.Subject, Body: st.Body, Location: st.Location, Start: st.Start, End: st.End,
		TimeZone: seg.TimeZone, IsAllDay: seg.AllDay}
}

// ContentWrite is the patch that gives an existing copy the content of c (title,
// description, location, privacy, categories, reminder) when only those changed: its
// schedule, and so Outlook's exceptions, stay.
func ContentWrite(c SeriesCopy) *EventWrite {
	w := *c.Write
	w.Fields = []string{"subject", "body", "location", "sensitivity", "categories", "reminder"}
	w.Recurrence, w.Marker, w.TransactionID = nil, "", ""
	return &w
}
