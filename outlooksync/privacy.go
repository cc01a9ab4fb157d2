package outlooksync

import "intracal/calendar"

// privacy merges who may see an event with the sensitivity of one of its Outlook series,
// against the base, and reports whether Outlook's series must be told. Outlook's private and
// confidential are private here, and a private event is private in Outlook. A change on one
// side goes to the other; when both sides changed differently (only possible when segments
// disagree) private wins, so the sync never widens who can see something on its own.
func (r *reconciler) privacy(e *calendar.Event, lp *LinkPlan, rs *RemoteSeries) bool {
	L := e.Privacy == calendar.Private
	B := lp.Base.Private
	R := B
	if rs != nil && !rs.Gone {
		R = rs.Master.Private
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
	return T != R
}
