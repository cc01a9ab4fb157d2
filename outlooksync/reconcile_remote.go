package outlooksync

import (
	"slices"
	"time"

	"intracal/calendar"
)

// matchSplits finds Outlook's "this and all following" edits: a new, unlinked series whose
// subject equals that of a linked series that is now missing occurrences at the end of its
// sequence, starting on or after the first missing one. The new series becomes a segment of
// the same local event, never a second event.
func (r *reconciler) matchSplits() {
	for _, child := range r.sortedRemote() {
		if child.Master.Type != TypeMaster || child.Master.Marker != "" || !child.Master.IsOrganizer {
			continue
		}
		cseg, err := RemoteSegment(child.Master)
		if err != nil {
			continue
		}
		childFirst, ok := cseg.Schedule().FirstStart()
		if !ok {
			continue
		}
		for eventID, links := range r.linksOf {
			e := r.clones[eventID]
			if e == nil || e.DeletedAt != nil {
				continue
			}
			// The newest part first: a series split twice continues its latest part.
			for i := len(links) - 1; i >= 0; i-- {
				if r.trySplit(e, links[i], child, cseg, childFirst) {
					goto next
				}
			}
		}
	next:
	}
}

// trySplit attaches child to link l's segment when the rule of the seed matches.
func (r *reconciler) trySplit(e *calendar.Event, l *Link, child *RemoteSeries, cseg calendar.Segment, childFirst time.Time) bool {
	parent := r.in.Remote[l.RemoteID]
	if parent == nil || parent.Gone || parent.Master.Subject != child.Master.Subject || l.Base.Series.Rule == "" {
		return false
	}
	i := e.SegmentIndex(l.SegmentUID)
	if i < 0 {
		return false
	}
	pseg, err := RemoteSegment(parent.Master)
	if err != nil || pseg.Rule == nil {
		return false
	}
	// What the series was when last synced whole: before a split matched this cycle, or
	// before Outlook shortened it alone in an earlier cycle (the first of a split's two
	// writes, seen by a sync that fell between them).
	was, ok := r.splitBase[l]
	if !ok {
		was = l.Base.Series
		if t := l.Base.Trimmed; t != nil && r.in.Now.Sub(l.Base.TrimmedAt) < trimmedKept {
			was = *t
		}
	}
	baseSeg, err := segmentFromState(was, e.Segments[i])
	if err != nil {
		return false
	}
	pLast, bounded := pseg.Schedule().Last()
	if !bounded {
		return false
	}
	// The first occurrence the base had after the parent's new last one.
	missing := baseSeg.Schedule().Starts(pLast.Add(time.Second), pLast.AddDate(10, 0, 0), 0)
	var firstMissing time.Time
	for _, s := range missing {
		if s.After(pLast) {
			firstMissing = s
			break
		}
	}
	if firstMissing.IsZero() || childFirst.Before(firstMissing) {
		return false
	}
	before := slices.Clone(e.Overrides)
	dropped, uid, err := e.AttachSegment(l.SegmentUID, pseg, cseg)
	if err != nil {
		r.history(e.ID, "error", "Outlook split this series, but the new part could not be joined to it", err.Error())
		return false
	}
	r.markDirty(e)
	r.droppedOverrides(e, before, "its occurrence is in neither part of Outlook's split")
	r.linked[child.Master.ID] = true
	// The parent's link now holds the shortened series; its own merge sees no difference.
	r.splitBase[l] = was
	l.Base.Series = LocalSeriesState(e.Segments[e.SegmentIndex(l.SegmentUID)])
	l.Base.Instances = nil
	l.Base.Trimmed, l.Base.TrimmedAt = nil, time.Time{}
	// The new part is linked as if it had been synced already with no exceptions: its merge
	// then rebuilds on it the instance changes that still have their occurrence.
	seg := e.Segments[e.SegmentIndex(uid)]
	cl := &Link{EventID: e.ID, SegmentUID: uid, RemoteID: child.Master.ID,
		ChangeKey: child.Master.ChangeKey, ICalUID: child.Master.ICalUID,
		Base: Base{Series: LocalSeriesState(seg), Attendees: r.in.People.remoteAttendees(child.Master), Private: child.Master.Private}}
	r.splitBase[cl] = was
	r.linksOf[e.ID] = append(r.linksOf[e.ID], cl)
	detail := ""
	if dropped > 0 {
		detail = "instance changes no longer matching an occurrence were dropped"
	}
	r.history(e.ID, "from Outlook", "Outlook changed this and all following occurrences: kept as one event with a new part", detail)
	return true
}

// trimmedKept is how long a series shortened alone in Outlook waits for the new series of a
// "this and all following" to arrive. Outlook writes the two within moments; a day covers a
// sync that fell between them and later cycles that failed.
const trimmedKept = 24 * time.Hour

// shortened reports whether Outlook's change of a series from b to r only ended it earlier:
// the same first instance and pattern, and a last instance before b's.
func shortened(b, r SeriesState) bool {
	if b.When != r.When || b.Rule == "" || r.Rule == "" || b.Rule == r.Rule {
		return false
	}
	br, err1 := calendar.ParseRule(b.Rule)
	rr, err2 := calendar.ParseRule(r.Rule)
	if err1 != nil || err2 != nil {
		return false
	}
	bEnd, rEnd := *br, *rr
	bEnd.Count, bEnd.Until, rEnd.Count, rEnd.Until = 0, time.Time{}, 0, time.Time{}
	if bEnd.String() != rEnd.String() {
		return false
	}
	bs, errB := segmentFromState(b, calendar.Segment{})
	rs, errR := segmentFromState(r, calendar.Segment{})
	if errB != nil || errR != nil {
		return false
	}
	rLast, rBounded := rs.Schedule().Last()
	bLast, bBounded := bs.Schedule().Last()
	return rBounded && (!bBounded || rLast.Before(bLast))
}

// importRest imports the Outlook series and single events that nothing links or matched.
func (r *reconciler) importRest() {
	for _, rs := range r.sortedRemote() {
		m := rs.Master
		if !m.IsOrganizer || m.IsCancelled || m.Marker != "" {
			continue // meetings others organize are handled with invitations; markers: ours
		}
		seg, err := RemoteSegment(m)
		if err != nil {
			r.history(0, "error", "An Outlook event could not be read and was not imported", m.Subject+": "+err.Error())
			continue
		}
		privacy := calendar.Public
		if m.Private {
			privacy = calendar.Private // never shown to more people than Outlook shows it to
		}
		e, err := calendar.NewImportedEvent(r.in.CalendarID, r.in.UserID, privacy, seg)
		if err != nil {
			r.history(0, "error", "An Outlook event could not be imported", m.Subject+": "+err.Error())
			continue
		}
		seg = e.Segments[0]
		base := Base{Series: LocalSeriesState(seg), Attendees: r.in.People.remoteAttendees(m), Private: m.Private}
		for _, a := range base.Attendees {
			if err := e.Invite([]int64{r.in.People.UserIDs[a]}, calendar.ScopeAll, time.Time{}); err != nil {
				r.history(0, "error", "An Outlook attendee could not be invited", a+": "+err.Error())
			}
		}
		if seg.Rule != nil && rs.InstancesRead {
			inst := remoteInstances(seg, m, rs.Instances, r.in.Window, r.in.People)
			for k, st := range inst {
				orig, _ := time.Parse(time.RFC3339, k)
				ch := calendar.InstanceChange{Cancelled: st.Cancelled, Title: st.Subject, Description: st.Body, Location: st.Location, Start: st.Start, End: st.End}
				if err := e.SetInstance(orig, ch); err != nil {
					delete(inst, k)
					continue
				}
				if !st.Cancelled {
					r.setInstanceInvitees(e, orig, st.Invitees)
				}
			}
			base.Instances = inst
		}
		r.linked[m.ID] = true
		r.plan.Created = append(r.plan.Created, e)
		r.plan.Links = append(r.plan.Links, &LinkPlan{Event: e, SegmentUID: seg.UID, RemoteID: m.ID, ChangeKey: m.ChangeKey, ICalUID: m.ICalUID, Base: base})
		r.history(0, "from Outlook", "Imported from Outlook", m.Subject)
	}
}
