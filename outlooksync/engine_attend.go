package outlooksync

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"intracal/calendar"
)

// attend syncs the user's answers to meetings others organize. An Outlook copy of a meeting
// (isOrganizer false) is tied to the organizer's local event through the organizer's link
// with the same iCalUId, so the invitee sees the meeting once in My Calendar; a copy whose
// organizer has not synced it yet waits, and is matched on a later cycle. Then answers are
// merged both ways.
func (en *Engine) attend(ctx context.Context, job Job, w Window, seen touched, read map[string]*RemoteSeries, res *Result) error {
	if en.People == nil {
		return nil
	}
	atts, err := en.Store.Attendances(ctx, job.UserID)
	if err != nil {
		return err
	}
	known := map[string]int{}
	for i, a := range atts {
		known[a.RemoteID] = i
	}
	// New copies read this cycle.
	for id, rs := range read {
		m := rs.Master
		if _, ok := known[id]; ok || rs.Gone || m.Removed || m.IsOrganizer || m.IsCancelled || m.Organizer == "" ||
			(m.Type != TypeMaster && m.Type != TypeSingle) {
			continue
		}
		known[id] = len(atts)
		atts = append(atts, Attendance{RemoteID: id, ICalUID: m.ICalUID, Organizer: normEmail(m.Organizer)})
	}
	toRead := map[string]bool{}
	for i := range atts {
		a := &atts[i]
		if a.EventID != 0 {
			continue
		}
		rs := read[a.RemoteID]
		if rs == nil {
			// Waiting since an earlier cycle: read the copy once its organizer's side is in.
			orgID, err := en.organizer(ctx, job.UserID, a.Organizer)
			if err != nil {
				return err
			}
			if _, ok, err := en.Store.LinkByICalUID(ctx, orgID, a.ICalUID); err != nil || !ok || orgID == 0 {
				if err != nil {
					return err
				}
				continue
			}
			got, err := readAll(ctx, job.Graph, map[string]bool{a.RemoteID: true}, w)
			if err != nil {
				return fmt.Errorf("read Outlook meeting: %w", err)
			}
			rs = got[a.RemoteID]
			res.Read++
			read[a.RemoteID] = rs
		}
		if _, err := en.match(ctx, job.UserID, a, rs); err != nil {
			return err
		}
	}
	var ids []int64
	for _, a := range atts {
		if a.EventID != 0 {
			ids = append(ids, a.EventID)
		}
	}
	events := map[int64]*calendar.Event{}
	if len(ids) > 0 {
		list, err := en.Cal.EventsByID(ctx, ids)
		if err != nil {
			return err
		}
		for _, e := range list {
			events[e.ID] = e
		}
	}
	stale := map[string]bool{}
	for _, a := range atts {
		if staleCopy(a, events[a.EventID], job.UserID) {
			stale[a.RemoteID] = true
		}
	}
	for _, a := range atts {
		if a.EventID == 0 || read[a.RemoteID] != nil || stale[a.RemoteID] {
			continue
		}
		if seen.removed[a.RemoteID] || localDiffers(a, events[a.EventID], job.UserID, w) {
			toRead[a.RemoteID] = true
		}
	}
	got, err := readAll(ctx, job.Graph, toRead, w)
	if err != nil {
		return fmt.Errorf("read Outlook meetings: %w", err)
	}
	res.Read += len(got)
	maps.Copy(read, got)
	type stepOf struct {
		a    Attendance
		step attendStep
	}
	var steps []stepOf
	var ops []PlannedOp
	opOwner := []int{}
	for _, a := range atts {
		rs := read[a.RemoteID]
		if stale[a.RemoteID] {
			// Outlook keeps the single event of someone invited to one occurrence when the
			// organizer gives the series a new time (the seed's bug 5); the invitation moved
			// with its instance here, and a new single event stands for it. The old one goes.
			st := attendStep{Base: a.Base, Drop: true}
			st.history(a.EventID, "to Outlook", "Removed from Outlook a single event the organizer's new schedule left at its old time", a.Instance.UTC().Format(time.RFC3339))
			ops = append(ops, PlannedOp{Op: Op{Kind: OpDelete, ID: a.RemoteID}, Purpose: "Stale copy of one occurrence"})
			opOwner = append(opOwner, len(steps))
			steps = append(steps, stepOf{a, st})
			continue
		}
		if a.EventID == 0 {
			if rs != nil && !rs.Gone && a.Organizer != "" {
				// Waiting for the organizer's side: remembered, matched on a later cycle.
				if err := en.Store.SaveAttendance(ctx, job.UserID, a); err != nil {
					return err
				}
			} else if rs != nil {
				if err := en.Store.DeleteAttendance(ctx, job.UserID, a.RemoteID); err != nil {
					return err
				}
			}
			continue
		}
		if rs == nil {
			continue
		}
		st := reconcileAttendance(a, events[a.EventID], rs, job.UserID, w)
		for _, op := range st.Ops {
			ops = append(ops, op)
			opOwner = append(opOwner, len(steps))
		}
		steps = append(steps, stepOf{a, st})
	}
	failed := map[int]bool{}
	if len(ops) > 0 {
		list := make([]Op, len(ops))
		for i, p := range ops {
			list[i] = p.Op
		}
		for i, r := range job.Graph.Apply(ctx, list) {
			if r.Err != nil && list[i].Kind == OpDelete && errors.Is(r.Err, ErrRemoteNotFound) {
				r.Err = nil // already gone
			}
			if r.Err != nil {
				failed[opOwner[i]] = true
				res.Failed++
				en.Log.Warn("outlook answer failed", "user", job.UserID, "purpose", ops[i].Purpose, "err", r.Err)
				continue
			}
			res.Pushed++
		}
	}
	var history []HistoryEntry
	for i, s := range steps {
		a, st := s.a, s.step
		for _, ch := range st.RSVPs {
			if err := en.Cal.Answer(ctx, calendar.Viewer{UserID: job.UserID}, a.EventID, ch.Scope, ch.Instance, ch.Response); err != nil {
				st.history(a.EventID, "error", "Your answer from Outlook could not be recorded", err.Error())
				continue
			}
			res.Pulled++
		}
		history = append(history, st.History...)
		if failed[i] {
			continue // the base stays: the next cycle sends it again
		}
		a.Base = st.Base
		var err error
		if st.Drop {
			err = en.Store.DeleteAttendance(ctx, job.UserID, a.RemoteID)
		} else {
			err = en.Store.SaveAttendance(ctx, job.UserID, a)
		}
		if err != nil {
			return err
		}
	}
	res.History = append(res.History, history...)
	return en.Store.AddHistory(ctx, job.UserID, history)
}

// organizer finds the site user who organizes a meeting; 0 for someone else, or the user.
func (en *Engine) organizer(ctx context.Context, userID int64, email string) (int64, error) {
	ids, err := en.People.UserIDs(ctx, []string{email})
	if err != nil {
		return 0, fmt.Errorf("look up meeting organizer: %w", err)
	}
	if id := ids[email]; id != userID {
		return id, nil
	}
	return 0, nil
}

// match ties a copy to the organizer's local event: the organizer is a site user whose link
// holds the copy's iCalUId. A single-event copy of a repeating event stands for one instance
// (an invitation to it alone): the instance that starts when the copy does. A copy whose
// organizer's side is not synced yet stays unmatched and is tried again; a single copy with
// no instance at its time (one Outlook kept after the instance moved) is left alone.
func (en *Engine) match(ctx context.Context, userID int64, a *Attendance, rs *RemoteSeries) (bool, error) {
	orgID, err := en.organizer(ctx, userID, a.Organizer)
	if err != nil {
		return false, err
	}
	if orgID == 0 {
		// Organized outside the site (or by the user): Outlook keeps it; not tracked.
		a.Organizer = ""
		return false, nil
	}
	l, ok, err := en.Store.LinkByICalUID(ctx, orgID, a.ICalUID)
	if err != nil || !ok {
		return false, err
	}
	if rs.Master.Type != TypeSingle || l.Base.Series.Rule == "" {
		a.EventID, a.SegmentUID = l.EventID, l.SegmentUID
		return true, nil
	}
	list, err := en.Cal.EventsByID(ctx, []int64{l.EventID})
	if err != nil || len(list) == 0 {
		return false, err
	}
	e := list[0]
	at := rs.Master.Start
	for _, oc := range e.Instances(calendar.Viewer{UserID: e.OrganizerID}, at.Add(-time.Minute), at.Add(time.Minute), false) {
		if oc.Start.Equal(at) {
			t := oc.OriginalStart.UTC()
			a.EventID, a.SegmentUID, a.Instance = l.EventID, l.SegmentUID, &t
			return true, nil
		}
	}
	a.Organizer = "" // not tracked: see above
	return false, nil
}

// staleCopy reports whether a's Outlook copy stands for one occurrence that the user is no
// longer invited to alone here, the instance being gone or the invitation having moved with
// its instance to a new time: a single event Outlook left behind.
func staleCopy(a Attendance, e *calendar.Event, userID int64) bool {
	if a.EventID == 0 || a.Instance == nil || e == nil || e.DeletedAt != nil {
		return false
	}
	if !e.HasInstance(*a.Instance) {
		return true
	}
	for _, in := range e.Invitations {
		if in.UserID == userID && in.Instance != nil && in.Instance.Equal(*a.Instance) {
			return false
		}
	}
	return true
}
