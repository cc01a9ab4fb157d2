package outlooksync

import "intracal/calendar"

// privacy merges who may see an event with the sensitivity of one of its Outlook series,
// against the base, and reports whether Outlook's series must be told. Outlook's private and
// confidential are private here, and a private event is private in Outlook. A change on one
// side goes to the other; when both sides changed differently (only possible when segments
// disagree) private wins, so the sync never widens who can see something on its own.
//
// The single events that stand for occurrences (stand-ins) are part of Outlook's side: one
// made private there makes the event private, and each is told the merged privacy when it
// differs (or, not read this cycle, when the privacy changed).
func (r *reconciler) privacy(e *calendar.Event, lp *LinkPlan, rs *RemoteSeries) bool {
	L := e.Privacy == calendar.Private
	B := lp.Base.Private
	R := B
	if rs != nil && !rs.Gone {
		R = rs.Master.Private
	}
	series := R
	for _, si := range lp.Base.StandIns {
		if s := r.in.Remote[si.ID]; s != nil && !s.Gone && !s.Master.Removed && s.Master.Private {
			R = true
		}
	}
	T := L
	switch {
	case L == R:
	case L == B:
		T = R
	case R == B:
		T = L
	default:
		T = true
	}
	if T && !L {
		e.Privacy = calendar.Private
		r.markDirty(e)
		r.history(e.ID, "from Outlook", "Marked private in Outlook: private here too", e.Segments[0].Title)
	} else if !T && L {
		e.Privacy = calendar.Public
		r.markDirty(e)
		r.history(e.ID, "from Outlook", "No longer private in Outlook: public here too", e.Segments[0].Title)
	}
	lp.Base.Private = T
	r.standInPrivacy(e, lp, T, B)
	return T != series
}

// standInPrivacy tells the stand-ins of lp the merged privacy T: those read this cycle when
// theirs differs, the others when the privacy changed from the base's B.
func (r *reconciler) standInPrivacy(e *calendar.Event, lp *LinkPlan, T, B bool) {
	for _, k := range sortedKeys(lp.Base.StandIns) {
		si := lp.Base.StandIns[k]
		s := r.in.Remote[si.ID]
		switch {
		case s != nil && (s.Gone || s.Master.Removed || s.Master.Private == T):
			continue
		case s == nil && T == B:
			continue
		}
		w := &EventWrite{Fields: []string{"sensitivity"}, Private: T}
		r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpUpdate, ID: si.ID, Write: w}, Link: lp, Purpose: "Privacy of the single event that stands for one occurrence"})
		r.history(e.ID, "to Outlook", "Changed who may see the single event that stands for one occurrence", k)
	}
}
