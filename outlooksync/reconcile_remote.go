package outlooksync

import (
	"maps"
	"slices"
	"time"

	"intracal/calendar"
	"intracal/outlooksync/winzone"
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
			if e == nil {
				continue
			}
			// The newest part first: a series split twice continues its latest part.
			for i := len(links) - 1; i >= 0; i-- {
				if r.trySplit(e, links[i], child, cseg, childFirst) {
					goto next
				}
			}
		}
		for _, eventID := range slices.Sorted(maps.Keys(r.linksOf)) {
			e := r.clones[eventID]
			if e == nil || e.DeletedAt != nil {
				continue
			}
			for _, l := range slices.Clone(r.linksOf[eventID]) {
				if r.trySplitInside(e, l, child, cseg, childFirst) {
					goto next
				}
			}
		}
		if r.trySplitOfUnseen(child, cseg, childFirst) {
			continue
		}
		if r.trySplitOfRemoved(child, cseg, childFirst) {
			continue
		}
	next:
	}
}

// trySplitOfUnseen attaches child to a segment whose create a cycle sent and that no
// Outlook item claims (pending.go): the cycle stopped before saving the link, and the item
// it created has gone from Outlook since, so the item was split and then deleted there
// before any cycle saw it. Child carries on the series as sent, as for a linked series
// split and then deleted (trySplitOfDeleted); the segment itself stays unlinked, and its
// create, answered with the deleted item, settles what becomes of it.
func (r *reconciler) trySplitOfUnseen(child *RemoteSeries, cseg calendar.Segment, childFirst time.Time) bool {
	for _, p := range r.in.Pending {
		e := r.clones[p.EventID]
		if e == nil || e.DeletedAt != nil || e.OrganizerID != r.in.UserID || p.Base.Series.Rule == "" {
			continue
		}
		i := e.SegmentIndex(p.SegmentUID)
		if i < 0 || slices.ContainsFunc(r.linksOf[e.ID], func(l *Link) bool { return l.SegmentUID == p.SegmentUID }) {
			continue
		}
		baseSeg, err := segmentFromState(p.Base.Series, e.Segments[i])
		if err != nil {
			continue
		}
		sent := &Link{EventID: e.ID, SegmentUID: p.SegmentUID, Base: p.Base}
		if r.trySplitOfDeleted(e, sent, child, cseg, childFirst, p.Base.Series, baseSeg) {
			return true
		}
	}
	return false
}

// trySplit attaches child to link l's segment when the rule of the seed matches.
func (r *reconciler) trySplit(e *calendar.Event, l *Link, child *RemoteSeries, cseg calendar.Segment, childFirst time.Time) bool {
	parent := r.in.Remote[l.RemoteID]
	i := e.SegmentIndex(l.SegmentUID)
	if l.Base.Series.Rule == "" {
		return false
	}
	removed := e.DeletedAt != nil || i < 0
	old := calendar.Segment{}
	if !removed {
		old = e.Segments[i]
	}
	// What the series was when last synced whole: before a split matched this cycle, or
	// before Outlook shortened it alone in an earlier cycle (the first of a split's two
	// writes, seen by a sync that fell between them).
	was, ok := r.splitBase[l]
	trimmedAt := r.in.Now
	if !ok {
		was = l.Base.Series
		if t := l.Base.Trimmed; t != nil && r.in.Now.Sub(l.Base.TrimmedAt) < trimmedKept {
			was, trimmedAt = *t, l.Base.TrimmedAt
		}
	}
	baseSeg, err := segmentFromState(was, old)
	if err != nil {
		return false
	}
	if parent == nil {
		return false // not read this cycle: nothing is known of its end
	}
	if parent.Gone {
		if removed {
			return false
		}
		return r.trySplitOfDeleted(e, l, child, cseg, childFirst, was, baseSeg)
	}
	pseg, err := RemoteSegment(parent.Master)
	if err != nil || pseg.Rule == nil {
		return false
	}
	pLast, bounded := pseg.Schedule().Last()
	if !bounded {
		return false
	}
	// The first occurrence the base had after the parent's new last one.
	firstMissing := firstStartAfter(baseSeg, pLast)
	if firstMissing.IsZero() || childFirst.Before(firstMissing) {
		return false
	}
	// The new series shares a title with the parent or with the series as last synced (the
	// parent may have been renamed since; when Outlook shortened it alone in an earlier
	// cycle, renamed before or after that), or carries the series on exactly where the
	// parent now ends, in its pattern (the split renamed it).
	named := child.Master.Subject == parent.Master.Subject || child.Master.Subject == was.Subject || child.Master.Subject == l.Base.Series.Subject
	if !named && !(childFirst.Equal(firstMissing) && samePattern(was, LocalSeriesState(cseg))) {
		return false
	}
	if removed {
		// Outlook split off the later part of a series deleted here since the last sync:
		// the deletion covers the part too (a deletion here wins over a change in Outlook,
		// as for the series itself); imported, it would bring back what was deleted.
		r.linked[child.Master.ID] = true
		r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: child.Master.ID}, Purpose: "Deleted in My Calendar"})
		r.history(e.ID, "to Outlook", "Deleted in My Calendar, while Outlook split it: deleting the new part in Outlook too", child.Master.Subject)
		return true
	}
	if r.adoptSplit(e, l, child, pseg, childFirst, was) {
		return true
	}
	if !r.attachSplit(e, l, child, pseg, cseg, was) {
		return false
	}
	// The parent's link now holds the shortened series, with the content last synced: its
	// own merge sees no difference of schedule, and the content changed on either side.
	l.Base.Series = withContent(LocalSeriesState(e.Segments[e.SegmentIndex(l.SegmentUID)]), was)
	l.Base.Instances = standInInstances(l.Base)
	if slices.ContainsFunc(baseSeg.Schedule().Starts(pLast.Add(time.Second), childFirst, 0), func(s time.Time) bool { return s.After(pLast) }) {
		// The parent ends earlier than this new series explains: another split's first
		// write (Outlook split the series twice, the later split first), whose new series
		// is still to come. It is awaited as for a series shortened alone.
		w := was
		l.Base.Trimmed, l.Base.TrimmedAt = &w, trimmedAt
	}
	return true
}

// firstStartAfter is the first start of seg after t (within ten years), or zero.
func firstStartAfter(seg calendar.Segment, t time.Time) time.Time {
	for _, s := range seg.Schedule().Starts(t.Add(time.Second), t.AddDate(10, 0, 0), 0) {
		if s.After(t) {
			return s
		}
	}
	return time.Time{}
}

// standInInstances is what a series' base keeps of its instances when a split makes it
// anew: those that stand-ins show in Outlook. The others are rebuilt by the merge, but a
// stand-in's instance has no occurrence to be rebuilt from: without its base, the
// occurrence's deletion would read as the stand-in's, and a second stand-in would follow.
func standInInstances(b Base) map[string]InstanceState {
	var out map[string]InstanceState
	for k := range b.StandIns {
		if st, ok := b.Instances[k]; ok {
			if out == nil {
				out = map[string]InstanceState{}
			}
			out[k] = st
		}
	}
	return out
}

// withContent returns s with the title, description and location of c.
func withContent(s, c SeriesState) SeriesState {
	s.Subject, s.Body, s.Location = c.Subject, c.Body, c.Location
	return s
}

// trySplitOfDeleted attaches child to link l's segment when Outlook split the series and
// then deleted its first part, before a sync saw either: child carries on the series as last
// synced from one of its occurrences, under its title, or renamed in its pattern and no
// further than it went (a split keeps the series' range, a rename does not touch it), and
// the deleted part is what came before. The parent's link then holds that part as
// last synced, so that its own merge sees the deletion: taken here when nothing changed
// since, or lost to a change made here.
func (r *reconciler) trySplitOfDeleted(e *calendar.Event, l *Link, child *RemoteSeries, cseg calendar.Segment, childFirst time.Time, was SeriesState, baseSeg calendar.Segment) bool {
	first, ok := baseSeg.Schedule().FirstStart()
	if !ok || !first.Before(childFirst) || !baseSeg.Schedule().Contains(childFirst) {
		return false
	}
	if child.Master.Subject != was.Subject {
		// Renamed: only a series in the same pattern, reaching no further, carries it on.
		if !samePattern(was, LocalSeriesState(cseg)) {
			return false
		}
		baseLast, baseBounded := baseSeg.Schedule().Last()
		childLast, childBounded := cseg.Schedule().Last()
		if baseBounded && (!childBounded || childLast.After(baseLast)) {
			return false
		}
	}
	// Under its name from one of its occurrences, it carries the series on whatever its
	// pattern: Outlook's user may have changed the pattern of a part after splitting it.
	// A part of the same deleted series matched before it this cycle may start earlier;
	// the part as last synced then ends before that one.
	_, again := r.splitBase[l]
	if !r.attachSplit(e, l, child, e.Segments[e.SegmentIndex(l.SegmentUID)], cseg, was) {
		return false
	}
	if again {
		if cur, err := segmentFromState(l.Base.Series, baseSeg); err == nil {
			if last, ok := cur.Schedule().Last(); ok && last.Before(childFirst) {
				return true
			}
		}
	}
	l.Base.Series = LocalSeriesState(baseSeg.EndBefore(childFirst))
	kept := map[string]InstanceState{}
	for k, st := range l.Base.Instances {
		if t, err := time.Parse(time.RFC3339, k); err == nil && t.Before(childFirst) {
			kept[k] = st
		}
	}
	l.Base.Instances = kept
	return true
}

// samePattern reports whether two series repeat alike (the same rule but for its end, the
// same time of day, length and zone). Zones are compared as Outlook knows them, by their
// Windows names: a series sent in Europe/Amsterdam comes back in Europe/Berlin.
func samePattern(a, b SeriesState) bool {
	if a.Rule == "" || b.Rule == "" || !winzone.Same(a.When.Zone, b.When.Zone) || a.When.Duration != b.When.Duration || a.When.AllDay != b.When.AllDay {
		return false
	}
	if !a.When.AllDay && a.When.Start[len("2006-01-02"):] != b.When.Start[len("2006-01-02"):] {
		return false
	}
	ar, err1 := calendar.ParseRule(a.Rule)
	br, err2 := calendar.ParseRule(b.Rule)
	if err1 != nil || err2 != nil {
		return false
	}
	aEnd, bEnd := *ar, *br
	aEnd.Count, aEnd.Until, bEnd.Count, bEnd.Until = 0, time.Time{}, 0, time.Time{}
	if aEnd.Interval <= 1 && bEnd.Interval <= 1 {
		// The week's first day changes nothing then; Outlook always names one.
		aEnd.WeekStart, bEnd.WeekStart = time.Monday, time.Monday
	}
	return aEnd.Equal(bEnd)
}

// attachSplit joins child to link l's segment as its new part, with parent as the segment's
// own new state, and links child as if synced already with no exceptions: its merge then
// rebuilds on it the instance changes that still have their occurrence.
func (r *reconciler) attachSplit(e *calendar.Event, l *Link, child *RemoteSeries, pseg, cseg calendar.Segment, was SeriesState) bool {
	// Both parts keep the content here, and their links the content last synced: each
	// part's merge then takes what Outlook changed and keeps (and sends) what was changed
	// here since, instead of Outlook's split overwriting it.
	here := e.Segments[e.SegmentIndex(l.SegmentUID)]
	local := here.Content
	pseg.Content, cseg.Content = local, local
	before := slices.Clone(e.Overrides)
	dropped, uid, err := e.AttachSegment(l.SegmentUID, pseg, cseg)
	if err != nil {
		r.history(e.ID, "error", "Outlook split this series, but the new part could not be joined to it", err.Error())
		return false
	}
	r.keepRangeMadeHere(e, here, was, uid)
	r.markDirty(e)
	r.droppedOverrides(e, before, "its occurrence is in neither part of Outlook's split")
	r.linked[child.Master.ID] = true
	r.splitBase[l] = was
	l.Base.Trimmed, l.Base.TrimmedAt = nil, time.Time{}
	seg := e.Segments[e.SegmentIndex(uid)]
	cl := &Link{EventID: e.ID, SegmentUID: uid, RemoteID: child.Master.ID,
		ChangeKey: child.Master.ChangeKey, ICalUID: child.Master.ICalUID,
		Base: Base{Series: withContent(LocalSeriesState(seg), was), Attendees: r.in.People.remoteAttendees(child.Master), Private: child.Master.Private}}
	labelBase(&cl.Base, outlookCategories(child.Master.Categories), child.Master.Reminder)
	r.splitBase[cl] = was
	r.linksOf[e.ID] = append(r.linksOf[e.ID], cl)
	if r.plan.SplitLinks == nil {
		r.plan.SplitLinks = map[int64][]Link{}
	}
	r.plan.SplitLinks[e.ID] = append(r.plan.SplitLinks[e.ID], *cl)
	detail := ""
	if dropped > 0 {
		detail = "instance changes no longer matching an occurrence were dropped"
	}
	r.history(e.ID, "from Outlook", "Outlook changed this and all following occurrences: kept as one event with a new part", detail)
	return true
}

// keepRangeMadeHere keeps the instances a segment had here after the new part of an Outlook
// split ends, when My Calendar gave the series a new range since it was last synced (a
// "this and all following" from its first occurrence makes one series of its parts again,
// to the end of the last): the split takes the schedule Outlook shows, and they would be
// lost. They become a part of their own after the new one (and a new series in Outlook).
// Only a range made longer here counts: one that Outlook's user shortened is theirs.
func (r *reconciler) keepRangeMadeHere(e *calendar.Event, here calendar.Segment, was SeriesState, childUID string) {
	if here.Rule == nil {
		return
	}
	wasSeg, err := segmentFromState(was, here)
	if err != nil {
		return
	}
	hereLast, hereBounded := here.Schedule().Last()
	wasLast, wasBounded := wasSeg.Schedule().Last()
	if !wasBounded || (hereBounded && !hereLast.After(wasLast)) {
		return // the range here reaches no further than the one last synced
	}
	ci := e.SegmentIndex(childUID)
	if ci < 0 || ci != len(e.Segments)-1 {
		return // a later part holds what follows
	}
	child := e.Segments[ci]
	last, bounded := child.Schedule().Last()
	if !bounded {
		return
	}
	rest := here.Schedule().Starts(last.Add(time.Second), last.AddDate(10, 0, 0), 0)
	rest = slices.DeleteFunc(rest, func(t time.Time) bool { return !t.After(last) })
	if len(rest) == 0 {
		return
	}
	if _, _, err := e.AttachSegment(childUID, child, here.From(rest[0])); err != nil {
		r.history(e.ID, "error", "Outlook split this series, but what follows its new part here could not be kept", err.Error())
		return
	}
	r.history(e.ID, "kept", "Outlook split this series; the instances it had here after the new part are kept as a part of their own", here.Title)
}

// trySplitInside attaches child to link l's segment when child carries the segment's series
// on from one of its occurrences after the first, though the segment's own Outlook series
// was not shortened: Outlook split the series at an occurrence that a part made here (in a
// sync between Outlook's two writes) had come to hold. The segment ends before child, and
// its shorter schedule goes to its Outlook series.
func (r *reconciler) trySplitInside(e *calendar.Event, l *Link, child *RemoteSeries, cseg calendar.Segment, childFirst time.Time) bool {
	i := e.SegmentIndex(l.SegmentUID)
	if i < 0 || e.Segments[i].Rule == nil || l.Base.Series.Rule == "" {
		return false
	}
	seg := e.Segments[i]
	sch := seg.Schedule()
	first, ok := sch.FirstStart()
	if !ok || !first.Before(childFirst) || !sch.Contains(childFirst) {
		return false
	}
	if child.Master.Subject != seg.Title && child.Master.Subject != l.Base.Series.Subject {
		return false
	}
	if !samePattern(LocalSeriesState(seg), LocalSeriesState(cseg)) {
		return false
	}
	return r.attachSplit(e, l, child, seg, cseg, l.Base.Series)
}

// adoptSplit links child to a later segment of e that starts where child starts: both
// sides split the series at the same occurrence ("this and all following" here and in
// Outlook, or a sync between Outlook's two writes that sent the part made here as a new
// series). The segment keeps its content and takes child as its Outlook series, merged
// against the series as last synced; an item an earlier cycle created for it is deleted, as
// it duplicates child.
func (r *reconciler) adoptSplit(e *calendar.Event, l *Link, child *RemoteSeries, pseg calendar.Segment, childFirst time.Time, was SeriesState) bool {
	var seg calendar.Segment
	found := false
	for _, sg := range e.Segments {
		if first, ok := sg.Schedule().FirstStart(); ok && first.Equal(childFirst) && sg.UID != l.SegmentUID {
			seg, found = sg, true
		}
	}
	if !found {
		return false
	}
	kept := r.linksOf[e.ID][:0]
	for _, ol := range r.linksOf[e.ID] {
		if ol.SegmentUID != seg.UID {
			kept = append(kept, ol)
			continue
		}
		if ol.RemoteID != child.Master.ID {
			r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: ol.RemoteID}, Purpose: "Duplicate of Outlook's split"})
			r.history(e.ID, "to Outlook", "Outlook split the series where it was split here: one series kept for the part, the other deleted", seg.Title)
		}
	}
	r.linksOf[e.ID] = kept
	pseg.Content = e.Segments[e.SegmentIndex(l.SegmentUID)].Content
	if _, err := e.ReplaceSegment(l.SegmentUID, pseg); err != nil {
		r.history(e.ID, "error", "Outlook split this series, but the new part could not be joined to it", err.Error())
		return false
	}
	r.markDirty(e)
	r.linked[child.Master.ID] = true
	r.splitBase[l] = was
	l.Base.Series = withContent(LocalSeriesState(e.Segments[e.SegmentIndex(l.SegmentUID)]), was)
	l.Base.Instances = standInInstances(l.Base)
	l.Base.Trimmed, l.Base.TrimmedAt = nil, time.Time{}
	cl := &Link{EventID: e.ID, SegmentUID: seg.UID, RemoteID: child.Master.ID,
		ChangeKey: child.Master.ChangeKey, ICalUID: child.Master.ICalUID,
		Base: Base{Series: withContent(LocalSeriesState(e.Segments[e.SegmentIndex(seg.UID)]), was), Attendees: r.in.People.remoteAttendees(child.Master), Private: child.Master.Private}}
	labelBase(&cl.Base, outlookCategories(child.Master.Categories), child.Master.Reminder)
	r.splitBase[cl] = was
	r.linksOf[e.ID] = append(r.linksOf[e.ID], cl)
	if r.plan.SplitLinks == nil {
		r.plan.SplitLinks = map[int64][]Link{}
	}
	r.plan.SplitLinks[e.ID] = append(r.plan.SplitLinks[e.ID], *cl)
	r.history(e.ID, "from Outlook", "Outlook changed this and all following occurrences where they were changed here: kept as one part", seg.Title)
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
		e.Categories, e.Reminder = outlookCategories(m.Categories), m.Reminder
		base := Base{Series: LocalSeriesState(seg), Attendees: r.in.People.remoteAttendees(m), Private: m.Private}
		labelBase(&base, e.Categories, e.Reminder)
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
		r.plan.History = append(r.plan.History, HistoryEntry{Direction: "from Outlook", Summary: "Imported from Outlook", Detail: m.Subject, imported: e})
	}
}
