package outlooksync

import (
	"slices"
	"sort"
	"time"

	"intracal/calendar"
)

// instances merges the exceptions and cancellations of one linked series, instance by
// instance against the base. Outlook does not know what changed in an exception; we do, so a
// pushed exception is patched to match My Calendar field by field.
func (r *reconciler) instances(e *calendar.Event, lp *LinkPlan, seg calendar.Segment, rs *RemoteSeries, local map[string]InstanceState) {
	rseg, err := RemoteSegment(rs.Master)
	if err != nil {
		return
	}
	remote := remoteInstances(rseg, rs.Master, rs.Instances, r.in.Window, r.in.People)
	r.standIns(lp, remote)
	occ := map[string]RemoteEvent{}
	for _, in := range rs.Instances {
		if in.OriginalStart != nil {
			occ[instanceKey(*in.OriginalStart)] = in
		}
	}
	base := lp.Base.Instances
	keys := map[string]bool{}
	for _, m := range []map[string]InstanceState{local, remote, base} {
		for k := range m {
			keys[k] = true
		}
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	target := map[string]InstanceState{}
	for _, k := range sorted {
		orig, err := time.Parse(time.RFC3339, k)
		if err != nil {
			continue
		}
		l, lok := local[k]
		rv, rok := remote[k]
		b, bok := base[k]
		lc := lok != bok || l != b
		rc := rok != bok || rv != b
		agreed, agreedOK := l, lok
		switch {
		case !lc && !rc:
		case lc && !rc:
			r.pushInstance(e, lp, seg, orig, l, lok, occ[k], rv, rok)
		case !lc && rc:
			agreed, agreedOK = rv, rok
			r.pullInstance(e, seg, orig, rv, rok)
			if rok && rv.Cancelled {
				lp.setStandIn(k, StandIn{}) // deleted in Outlook: the instance is cancelled
			}
		case lok == rok && l == rv:
		default:
			agreed, agreedOK = r.instanceConflict(e, lp, seg, orig, l, lok, rv, rok, occ[k])
		}
		if agreedOK {
			target[k] = agreed
		}
	}
	lp.Base.Instances = target
}

// pushInstance makes Outlook's instance look like My Calendar's.
func (r *reconciler) pushInstance(e *calendar.Event, lp *LinkPlan, seg calendar.Segment, orig time.Time, l InstanceState, lok bool, occ RemoteEvent, rv InstanceState, rok bool) {
	want := plainInstance(seg, orig)
	if lok {
		want = l
	}
	if _, ok := lp.Base.StandIns[instanceKey(orig)]; ok {
		r.pushStandIn(e, lp, seg, orig, want, rv)
		return
	}
	if occ.ID == "" || occ.IsCancelled {
		if rok && rv.Cancelled && !want.Cancelled && e.HasInstance(orig) {
			// Outlook cannot bring a deleted occurrence back: a single event stands for it.
			r.createStandIn(e, lp, seg, orig, want, rv.Subject)
		}
		return
	}
	if lok && l.Cancelled {
		r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: occ.ID}, Link: lp, Purpose: "Occurrence cancelled in My Calendar"})
		r.history(e.ID, "to Outlook", "Cancelled one occurrence in Outlook", orig.Format(time.RFC3339))
		return
	}
	have := InstanceState{Subject: occ.Subject, Body: occ.Body, Location: occ.Location, Start: occ.Start.UTC(), End: occ.End.UTC()}
	if rok {
		have.Invitees = rv.Invitees
	}
	w := instanceWrite(want, have, seg)
	if want.Invitees != have.Invitees {
		// People invited to this instance alone attend this occurrence in Outlook, which
		// gives each of them a single event of their own.
		w.Fields = append(w.Fields, "attendees")
		target := slices.Concat(lp.Base.Attendees, splitInvitees(want.Invitees))
		slices.Sort(target)
		w.Attendees = attendeeList(occ.Attendees, occ.Organizer, slices.Compact(target), r.in.People)
	}
	if len(w.Fields) == 0 {
		return
	}
	r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpUpdate, ID: occ.ID, Write: w}, Link: lp, Purpose: "Occurrence changed in My Calendar"})
	r.history(e.ID, "to Outlook", "Changed one occurrence in Outlook", orig.Format(time.RFC3339))
}

// pullInstance makes My Calendar's instance look like Outlook's.
func (r *reconciler) pullInstance(e *calendar.Event, seg calendar.Segment, orig time.Time, rv InstanceState, rok bool) {
	ch := calendar.InstanceChange{Title: seg.Title, Description: seg.Description, Location: seg.Location}
	switch {
	case rok && rv.Cancelled:
		ch = calendar.InstanceChange{Cancelled: true}
		r.history(e.ID, "from Outlook", "Occurrence deleted in Outlook: cancelled here", orig.Format(time.RFC3339))
	case rok:
		ch = calendar.InstanceChange{Title: rv.Subject, Description: rv.Body, Location: rv.Location, Start: rv.Start, End: rv.End}
		r.history(e.ID, "from Outlook", "Occurrence changed in Outlook", orig.Format(time.RFC3339))
	default:
		r.history(e.ID, "from Outlook", "Occurrence reset in Outlook", orig.Format(time.RFC3339))
	}
	if err := e.SetInstance(orig, ch); err == nil {
		r.markDirty(e)
	}
	if rok && !rv.Cancelled || !rok {
		r.setInstanceInvitees(e, orig, rv.Invitees)
	}
}

// setInstanceInvitees makes the people invited to one instance alone those of csv.
func (r *reconciler) setInstanceInvitees(e *calendar.Event, orig time.Time, csv string) {
	people := r.in.People
	want, have := splitInvitees(csv), splitInvitees(people.instanceInvitees(e, orig))
	for _, m := range want {
		if !slices.Contains(have, m) {
			if err := e.Invite([]int64{people.UserIDs[m]}, calendar.ScopeInstance, orig); err == nil {
				r.markDirty(e)
				r.history(e.ID, "from Outlook", "Invited to one occurrence in Outlook: invited to it here", m)
			}
		}
	}
	for _, m := range have {
		if !slices.Contains(want, m) {
			e.Uninvite(people.UserIDs[m], calendar.ScopeInstance, orig)
			r.markDirty(e)
			r.history(e.ID, "from Outlook", "Removed from one occurrence in Outlook: no longer invited to it here", m)
		}
	}
}

// instanceConflict resolves an instance changed on both sides: an edit beats a delete;
// otherwise the later change wins.
func (r *reconciler) instanceConflict(e *calendar.Event, lp *LinkPlan, seg calendar.Segment, orig time.Time, l InstanceState, lok bool, rv InstanceState, rok bool, occ RemoteEvent) (InstanceState, bool) {
	localDeleted := lok && l.Cancelled
	remoteDeleted := rok && rv.Cancelled
	switch {
	case localDeleted && !remoteDeleted:
		r.pullInstance(e, seg, orig, rv, rok)
		r.history(e.ID, "conflict", "Cancelled here but changed in Outlook: the change wins", orig.Format(time.RFC3339))
		return rv, rok
	case remoteDeleted && !localDeleted:
		// The edit wins; Outlook gets the instance back as a single event standing for it.
		k := instanceKey(orig)
		if si, ok := lp.Base.StandIns[k]; ok {
			lp.setStandIn(k, StandIn{}) // the stand-in itself was deleted in Outlook
			want := plainInstance(seg, orig)
			if lok {
				want = l
			}
			r.createStandIn(e, lp, seg, orig, want, si.ID)
			return l, lok
		}
		r.pushInstance(e, lp, seg, orig, l, lok, occ, rv, rok)
		return l, lok
	}
	if localWins(e.UpdatedAt, occ.LastModified) {
		r.pushInstance(e, lp, seg, orig, l, lok, occ, rv, rok)
		r.history(e.ID, "conflict", "Occurrence changed on both sides: My Calendar's change kept (the later one)", describe(rv, rok))
		return l, lok
	}
	r.pullInstance(e, seg, orig, rv, rok)
	r.history(e.ID, "conflict", "Occurrence changed on both sides: Outlook's change taken (the later one)", describe(l, lok))
	return rv, rok
}

func describe(s InstanceState, ok bool) string {
	switch {
	case !ok:
		return "as the series"
	case s.Cancelled:
		return "cancelled"
	}
	return s.Subject + " at " + s.Location + ", " + s.Start.Format(time.RFC3339)
}

// instanceWrite is the patch that makes an Outlook item showing have show want: the fields
// that differ.
func instanceWrite(want, have InstanceState, seg calendar.Segment) *EventWrite {
	w := &EventWrite{Subject: want.Subject, Body: want.Body, Location: want.Location, Start: want.Start, End: want.End,
		TimeZone: seg.TimeZone, IsAllDay: seg.AllDay}
	if want.Subject != have.Subject {
		w.Fields = append(w.Fields, "subject")
	}
	if want.Body != have.Body {
		w.Fields = append(w.Fields, "body")
	}
	if want.Location != have.Location {
		w.Fields = append(w.Fields, "location")
	}
	if !want.Start.Equal(have.Start) || !want.End.Equal(have.End) {
		w.Fields = append(w.Fields, "start", "end")
	}
	return w
}
