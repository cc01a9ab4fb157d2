package outlooksync

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"intracal/calendar"
)

// Reconcile decides, from My Calendar, Outlook and the last synced base, what to change on
// each side. It is pure: it works on copies of the input's events and returns a plan that an
// executor applies (or prints, in a dry run).
//
// Per linked series it merges field by field against the base: a field changed on one side
// goes to the other; changed on both, the later change wins and the losing value goes to the
// history. Exceptions and cancellations are merged the same way, instance by instance.
// Outlook items nobody links are matched back to their parent when they are the second half
// of an Outlook "this and all following" split, and imported otherwise.
func Reconcile(in Input) *Plan {
	in.Remote = linkedZones(in.Links, in.Remote) // linked series keep the zone they were synced in
	in.Remote = markedZones(in, in.Remote)       // and series created but not linked, the zone sent
	r := &reconciler{in: in, plan: &Plan{}, clones: map[int64]*calendar.Event{}, dirty: map[int64]bool{},
		linksOf: map[int64][]*Link{}, linked: map[string]bool{}, splitBase: map[*Link]SeriesState{}}
	for i := range in.Links {
		l := &in.Links[i]
		r.linksOf[l.EventID] = append(r.linksOf[l.EventID], l)
		r.linked[l.RemoteID] = true
		for _, si := range l.Base.StandIns {
			r.linked[si.ID] = true
		}
	}
	for _, e := range in.Local {
		r.clones[e.ID] = e.Clone()
	}
	r.matchMarkers()
	r.matchSplits()
	for _, e := range in.Local {
		r.event(r.clones[e.ID])
	}
	r.dropOrphanStandIns()
	r.importRest()
	for _, e := range in.Local {
		if r.dirty[e.ID] {
			r.plan.Changed = append(r.plan.Changed, r.clones[e.ID])
		}
	}
	return r.plan
}

type reconciler struct {
	in      Input
	plan    *Plan
	clones  map[int64]*calendar.Event
	dirty   map[int64]bool
	linksOf map[int64][]*Link
	linked  map[string]bool // remote ids that a link or a match claims
	// splitBase is, for the links of the parts an Outlook split made this cycle, the series
	// as last synced before the split: a part split again is matched against it.
	splitBase map[*Link]SeriesState
}

func (r *reconciler) history(eventID int64, dir, summary, detail string) {
	r.plan.History = append(r.plan.History, HistoryEntry{EventID: eventID, Direction: dir, Summary: summary, Detail: detail})
}

// sortedRemote lists the unclaimed Outlook series masters and singles, oldest first.
func (r *reconciler) sortedRemote() []*RemoteSeries {
	var out []*RemoteSeries
	for id, rs := range r.in.Remote {
		if r.linked[id] || rs.Gone || rs.Master.Removed {
			continue
		}
		m := rs.Master
		if m.Type != TypeMaster && m.Type != TypeSingle {
			continue
		}
		out = append(out, rs)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Master.Start.Equal(out[j].Master.Start) {
			return out[i].Master.Start.Before(out[j].Master.Start)
		}
		return out[i].Master.ID < out[j].Master.ID
	})
	return out
}

// matchMarkers links Outlook items that carry our marker to their segment: the item was
// created by an earlier cycle that stopped before it could save the link.
func (r *reconciler) matchMarkers() {
	for _, rs := range r.sortedRemote() {
		eventID, uid, ok := ParseMarker(rs.Master.Marker)
		if !ok {
			continue
		}
		e := r.clones[eventID]
		if e != nil && e.OrganizerID != r.in.UserID {
			continue
		}
		if e == nil || e.DeletedAt != nil || e.SegmentIndex(uid) < 0 {
			// Ours, created by a cycle that stopped before linking it, and gone here since:
			// it goes in Outlook too.
			r.linked[rs.Master.ID] = true
			r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: rs.Master.ID}, Purpose: "Deleted in My Calendar"})
			r.history(eventID, "to Outlook", "Deleted in My Calendar: deleting it in Outlook", rs.Master.Subject)
			continue
		}
		taken := false
		for i, l := range r.linksOf[eventID] {
			if l.SegmentUID != uid {
				continue
			}
			taken = true
			if nl, ok := r.recreated(l, rs); ok {
				r.linksOf[eventID][i] = nl
				r.linked[rs.Master.ID] = true
				r.history(eventID, "kept", "Relinked an Outlook series this calendar had created", rs.Master.Subject)
			}
		}
		if taken {
			continue
		}
		seg, err := RemoteSegment(rs.Master)
		if err != nil {
			continue
		}
		// The base is what we created it with: the series and no exceptions yet, so that
		// what Outlook's user changed since (a split among them) counts as their change.
		// The cycle that sent the create saved it first (pending.go). A create sent before
		// that was saved has none: then it is the segment here when nothing changed here
		// since the item was created; changed here since, Outlook's present state stands
		// for it, but for an end Outlook brought forward (the first write of a split): that
		// is Outlook's change, not what was sent.
		base := Base{Series: LocalSeriesState(seg), Attendees: r.in.People.remoteAttendees(rs.Master)}
		here := LocalSeriesState(e.Segments[e.SegmentIndex(uid)])
		sent, wasSent := r.sent(eventID, uid)
		switch {
		case wasSent:
			base = sent
		case !rs.Master.Created.IsZero() && !e.UpdatedAt.After(rs.Master.Created):
			base.Series = here
		case shortened(here, base.Series):
			base.Series.When, base.Series.Rule = here.When, here.Rule
		}
		l := &Link{EventID: eventID, SegmentUID: uid, RemoteID: rs.Master.ID, ChangeKey: rs.Master.ChangeKey, ICalUID: rs.Master.ICalUID, Base: base}
		r.linksOf[eventID] = append(r.linksOf[eventID], l)
		r.linked[rs.Master.ID] = true
		r.history(eventID, "kept", "Relinked an Outlook series this calendar had created", rs.Master.Subject)
	}
}

// recreated returns link l moved to rs when rs is the item a cycle created anew for l's
// segment, its Outlook item having been deleted there (edit against delete), and the cycle
// stopped before saving the link: the link still names the deleted item, and rs carries
// the segment's marker. The new link has the base sent with the create.
func (r *reconciler) recreated(l *Link, rs *RemoteSeries) (*Link, bool) {
	if l.RemoteID == rs.Master.ID {
		return nil, false
	}
	if old := r.in.Remote[l.RemoteID]; old != nil && !old.Gone && !old.Master.Removed {
		return nil, false // the linked item is there: rs is not its successor
	}
	sent, ok := r.sent(l.EventID, l.SegmentUID)
	if !ok {
		return nil, false
	}
	nl := *l
	nl.RemoteID, nl.ChangeKey, nl.ICalUID, nl.Base = rs.Master.ID, rs.Master.ChangeKey, rs.Master.ICalUID, sent
	return &nl, true
}

// sent returns the base a cycle saved before sending the create of a segment (a copy).
func (r *reconciler) sent(eventID int64, uid string) (Base, bool) {
	for _, p := range r.in.Pending {
		if p.EventID == eventID && p.SegmentUID == uid {
			b := p.Base
			b.Instances, b.StandIns, b.Trimmed = nil, nil, nil
			b.Attendees = slices.Clone(b.Attendees)
			b.Answers = maps.Clone(b.Answers)
			return b, true
		}
	}
	return Base{}, false
}

// event reconciles one local event with its linked Outlook series.
func (r *reconciler) event(e *calendar.Event) {
	links := r.linksOf[e.ID]
	if e.DeletedAt != nil {
		for _, l := range links {
			r.deleteRemote(e, l, "Deleted in My Calendar")
		}
		return
	}
	uids := make([]string, len(e.Segments))
	for i, s := range e.Segments {
		uids[i] = s.UID
	}
	for _, l := range links {
		if e.SegmentIndex(l.SegmentUID) < 0 {
			r.deleteRemote(e, l, "Removed from My Calendar")
		}
	}
	for _, uid := range uids {
		if e.SegmentIndex(uid) < 0 {
			continue
		}
		var link *Link
		for _, l := range links {
			if l.SegmentUID == uid {
				link = l
			}
		}
		if link == nil {
			r.createRemote(e, uid)
			continue
		}
		r.series(e, link)
	}
}

// deleteRemote deletes a linked Outlook series whose local side is gone.
func (r *reconciler) deleteRemote(e *calendar.Event, l *Link, why string) {
	lp := &LinkPlan{Event: e, SegmentUID: l.SegmentUID, RemoteID: l.RemoteID, ChangeKey: l.ChangeKey, ICalUID: l.ICalUID, Base: l.Base, Delete: true, Prior: l}
	r.plan.Links = append(r.plan.Links, lp)
	rs := r.in.Remote[l.RemoteID]
	r.deleteStandIns(e, lp, why)
	if rs != nil && rs.Gone {
		return // gone on both sides
	}
	if rs != nil && r.cancelInstanceInvitations(e, lp, rs) {
		return // the series itself goes in the next pass
	}
	r.awaitSplitOf(e, l, rs)
	r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: l.RemoteID}, Link: lp, Purpose: why})
	r.history(e.ID, "to Outlook", why+": deleting it in Outlook", l.Base.Series.Subject)
}

// inWindow reports whether a segment has instances in the sync window.
func (r *reconciler) inWindow(seg calendar.Segment) bool {
	return len(seg.Schedule().Starts(r.in.Window.From, r.in.Window.To, 1)) > 0
}

// createRemote creates the Outlook series (or single event) of an unlinked local segment.
func (r *reconciler) createRemote(e *calendar.Event, uid string) { r.createRemoteFor(e, uid, nil) }

// createRemoteFor creates the Outlook item of a segment; replacing, when set, is the plan of
// the link whose Outlook item was deleted there, which the new item takes over.
func (r *reconciler) createRemoteFor(e *calendar.Event, uid string, replacing *LinkPlan) {
	seg := e.Segments[e.SegmentIndex(uid)]
	if !r.inWindow(seg) {
		if replacing != nil {
			replacing.Delete = true // gone in Outlook, and no longer in the window
		}
		return // outside the window: left alone
	}
	w, err := writeOf(LocalSeriesState(seg), seg, allFields(seg))
	if err != nil {
		r.history(e.ID, "error", "Could not describe the event to Outlook", err.Error())
		return
	}
	w.Private = e.Privacy == calendar.Private
	w.Fields = append(w.Fields, "categories", "reminder")
	labelWrite(w, e)
	w.Marker = Marker(e.ID, uid)
	w.TransactionID = TransactionID(r.in.UserID, e.ID, uid)
	if replacing != nil {
		w.TransactionID = RecreateTransactionID(r.in.UserID, e.ID, uid, replacing.RemoteID)
	}
	att := r.in.People.localAttendees(e)
	if len(att) > 0 {
		w.Fields = append(w.Fields, "attendees")
		w.Attendees = attendeeList(nil, "", att, r.in.People)
	}
	lp := &LinkPlan{Event: e, SegmentUID: uid}
	if replacing != nil {
		lp = replacing // already in the plan; its RemoteID becomes the new item's on success
		lp.Delete, lp.ChangeKey, lp.ICalUID = false, "", ""
	} else {
		r.plan.Links = append(r.plan.Links, lp)
	}
	lp.Base, lp.NeedsInstances = Base{Series: LocalSeriesState(seg), Attendees: att, Private: w.Private}, seg.Rule != nil
	labelBase(&lp.Base, e.Categories, e.Reminder)
	r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpCreate, Write: w}, Link: lp, Purpose: "New in My Calendar"})
	r.history(e.ID, "to Outlook", "Created in Outlook", seg.Title)
}

// series reconciles one linked local segment with its Outlook series.
func (r *reconciler) series(e *calendar.Event, l *Link) {
	uid := l.SegmentUID
	seg := e.Segments[e.SegmentIndex(uid)]
	L, B := LocalSeriesState(seg), l.Base.Series
	lp := &LinkPlan{Event: e, SegmentUID: uid, RemoteID: l.RemoteID, ChangeKey: l.ChangeKey, ICalUID: l.ICalUID, Base: l.Base, Prior: l}
	r.plan.Links = append(r.plan.Links, lp)
	rs := r.in.Remote[l.RemoteID]
	localInst := map[string]InstanceState{}
	if seg.Rule != nil {
		localInst = localInstances(e, e.SegmentIndex(uid), r.in.Window, r.in.People)
	}
	if rs != nil && rs.Gone {
		r.deleteStandIns(e, lp, "Series deleted in Outlook")
		lp.Base.StandIns = nil
		if L != B || !sameInstances(localInst, l.Base.Instances) {
			// Edit against delete: the edit wins, and the series goes back to Outlook. The
			// link keeps naming the deleted item until the create succeeds, so that a retry
			// sends the same transaction id, and a later re-create a new one.
			r.history(e.ID, "conflict", "Deleted in Outlook but changed here: kept, and created again in Outlook", seg.Title)
			r.createRemoteFor(e, uid, lp)
			return
		}
		lp.Delete = true
		r.markDirty(e)
		whole := e.RemoveSegment(uid, r.in.Now)
		if whole {
			r.history(e.ID, "from Outlook", "Deleted in Outlook: deleted here", seg.Title)
		} else {
			r.history(e.ID, "from Outlook", "Part of the series deleted in Outlook: removed here", seg.Title)
		}
		return
	}
	R := B
	var remoteAt time.Time
	if rs != nil {
		rseg, err := RemoteSegment(rs.Master)
		if err != nil {
			r.history(e.ID, "error", "Outlook sent a series this calendar cannot read; left as it is", err.Error())
			return
		}
		R, remoteAt = LocalSeriesState(rseg), rs.Master.LastModified
		if rs.Master.ChangeKey != "" {
			lp.ChangeKey = rs.Master.ChangeKey
		}
		if rs.Master.ICalUID != "" {
			lp.ICalUID = rs.Master.ICalUID
		}
	}
	T := r.mergeSeries(e, L, B, R, remoteAt)
	if shortened(B, R) {
		// Perhaps the first half of Outlook's "this and all following", whichever end the
		// merge keeps (My Calendar may have ended the series too, as early or earlier).
		lp.Base.Trimmed, lp.Base.TrimmedAt = &B, r.in.Now.UTC()
	}
	if T != L {
		next, err := segmentFromState(T, seg)
		before := slices.Clone(e.Overrides)
		if err == nil {
			_, err = e.ReplaceSegment(uid, next)
		}
		if err == nil {
			r.droppedOverrides(e, before, "its occurrence is not in Outlook's new schedule")
		}
		if err != nil {
			r.history(e.ID, "error", "Could not take Outlook's change; My Calendar's version is kept", err.Error())
			T = L
		} else {
			r.markDirty(e)
			r.history(e.ID, "from Outlook", "Changed in Outlook: "+changedFields(L, T), T.Subject)
			seg = e.Segments[e.SegmentIndex(uid)]
			if _, any := seg.Schedule().FirstStart(); !any && len(e.Segments) > 1 {
				// Outlook's new schedule starts where a later part of the event starts:
				// bounded to end before it, the part has no occurrence left. It goes, here
				// and in Outlook; the later part holds those days.
				r.history(e.ID, "from Outlook", "Outlook's new schedule of a part leaves it no occurrence before the next part: removed here and in Outlook", T.Subject)
				e.RemoveSegment(uid, r.in.Now)
				lp.Delete = true
				r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: l.RemoteID}, Link: lp, Purpose: "Part left with no occurrence"})
				return
			}
			// The event may have bounded it to end before its next segment.
			T = LocalSeriesState(seg)
			if seg.Rule != nil {
				localInst = localInstances(e, e.SegmentIndex(uid), r.in.Window, r.in.People)
			}
		}
	}
	if (T.When != R.When || T.Rule != R.Rule) && R.Rule != "" && rs != nil && rs.InstancesRead && r.cancelInstanceInvitations(e, lp, rs) {
		// A new schedule makes Outlook drop its exceptions but leave the single events of
		// people invited to one occurrence: those occurrences are cancelled first, and the
		// schedule goes to Outlook in the next pass (which then rebuilds the exceptions).
		lp.Delete = false
		return
	}
	fields := diffFields(T, R)
	if r.privacy(e, lp, rs) {
		fields = append(fields, "sensitivity")
	}
	fields = append(fields, r.labels(e, lp, rs)...)
	sendAttendees := r.attendees(e, lp, rs)
	r.answers(e, lp, rs)
	if sendAttendees != nil {
		fields = append(fields, "attendees")
	}
	if len(fields) > 0 {
		w, err := writeOf(T, seg, fields)
		if err == nil {
			w.Attendees = sendAttendees
			w.Private = e.Privacy == calendar.Private
			labelWrite(w, e)
			r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpUpdate, ID: l.RemoteID, Write: w}, Link: lp, Purpose: "Changed in My Calendar"})
			if T != R {
				r.history(e.ID, "to Outlook", "Changed in Outlook: "+changedFields(R, T), T.Subject)
			}
		}
	}
	lp.Base.Series = T
	if T.Rule == "" {
		lp.Base.Instances = nil
		return
	}
	if T.When != B.When || T.Rule != B.Rule || T.When != R.When || T.Rule != R.Rule {
		// A new schedule on either side: Outlook drops the exceptions, so they are rebuilt
		// from My Calendar once Outlook's series has its new shape.
		lp.Base.Instances = nil
		lp.NeedsInstances = true
		// Outlook drops its deletions with a new schedule: the occurrences are back, so
		// the single events that stood for some go, and the rebuild changes them instead.
		r.deleteStandIns(e, lp, "New schedule")
		return
	}
	if rs != nil && rs.InstancesRead {
		r.instances(e, lp, seg, rs, localInst)
	}
}

// markDirty records that a local event changed.
func (r *reconciler) markDirty(e *calendar.Event) { r.dirty[e.ID] = true }

// conflictWinner: the later change wins; a tie goes to My Calendar.
func localWins(localAt, remoteAt time.Time) bool { return !remoteAt.After(localAt) }

// mergeSeries merges the series fields against the base.
func (r *reconciler) mergeSeries(e *calendar.Event, L, B, R SeriesState, remoteAt time.Time) SeriesState {
	T := L
	pick := func(name string, l, b, rv any, setRemote func()) {
		lc, rc := l != b, rv != b
		switch {
		case !lc && rc:
			setRemote()
		case lc && rc && l != rv:
			if localWins(e.UpdatedAt, remoteAt) {
				r.history(e.ID, "conflict", "Changed on both sides: My Calendar's "+name+" kept (the later change)", fmt.Sprintf("Outlook had: %v", rv))
			} else {
				setRemote()
				r.history(e.ID, "conflict", "Changed on both sides: Outlook's "+name+" taken (the later change)", fmt.Sprintf("My Calendar had: %v", l))
			}
		}
	}
	pick("title", L.Subject, B.Subject, R.Subject, func() { T.Subject = R.Subject })
	pick("description", L.Body, B.Body, R.Body, func() { T.Body = R.Body })
	pick("location", L.Location, B.Location, R.Location, func() { T.Location = R.Location })
	type sched struct {
		When When
		Rule string
	}
	pick("time and repeat", sched{L.When, L.Rule}, sched{B.When, B.Rule}, sched{R.When, R.Rule}, func() { T.When, T.Rule = R.When, R.Rule })
	return T
}

// sameInstances compares two instance maps.
func sameInstances(a, b map[string]InstanceState) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// cancelInstanceInvitations cancels, before a series is deleted, the occurrences that people
// were invited to alone: Outlook leaves their single events in place when the series is
// deleted (the seed's rule 9), but cancels them with their occurrence. The series is deleted
// in the next pass, once these went through; it reports whether there were any.
func (r *reconciler) cancelInstanceInvitations(e *calendar.Event, lp *LinkPlan, rs *RemoteSeries) bool {
	occ := map[string]string{}
	for _, in := range rs.Instances {
		if in.OriginalStart != nil && !in.IsCancelled {
			occ[instanceKey(*in.OriginalStart)] = in.ID
		}
	}
	var keys []string
	for k, st := range lp.Base.Instances {
		if st.Invitees != "" && occ[k] != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return false
	}
	sort.Strings(keys)
	lp.Delete, lp.NeedsInstances = false, true
	lp.Base.Instances = maps.Clone(lp.Base.Instances)
	for _, k := range keys {
		r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: occ[k]}, Link: lp, Purpose: "Cancelling an occurrence people were invited to alone"})
		r.history(e.ID, "to Outlook", "Cancelled in Outlook the occurrence some were invited to alone, so their single events end cancelled", k)
		lp.Base.Instances[k] = InstanceState{Cancelled: true}
	}
	return true
}

// droppedOverrides writes to the history each instance change or cancellation that was in
// before and that e no longer has (docs/sync.md, rule 7).
func (r *reconciler) droppedOverrides(e *calendar.Event, before []calendar.Override, why string) {
	kept := map[time.Time]bool{}
	for _, o := range e.Overrides {
		kept[o.OriginalStart.UTC()] = true
	}
	for _, o := range before {
		if kept[o.OriginalStart.UTC()] {
			continue
		}
		what := "Instance change dropped"
		if o.Cancelled {
			what = "Instance cancellation dropped"
		}
		r.history(e.ID, "from Outlook", what+": "+why, instanceKey(o.OriginalStart))
	}
}
