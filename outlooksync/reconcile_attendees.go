package outlooksync

import (
	"slices"
	"strings"
	"time"

	"intracal/calendar"
)

// attendees merges who is invited to every instance of e with the attendees of its linked
// Outlook series, address by address against the base: people invited here become
// attendees there, Outlook attendees who are site users become invitees here. It returns
// the attendee list to send to Outlook, or nil when Outlook already has the right people.
func (r *reconciler) attendees(e *calendar.Event, lp *LinkPlan, rs *RemoteSeries) []Attendee {
	people := r.in.People
	local, base := people.localAttendees(e), lp.Base.Attendees
	remote := base
	if rs != nil && !rs.Gone {
		remote = people.remoteAttendees(rs.Master)
	}
	target := mergeAttendees(local, base, remote)
	if !slices.Equal(target, local) {
		var added, removed []string
		for _, m := range target {
			if !slices.Contains(local, m) {
				added = append(added, m)
				_ = e.Invite([]int64{people.UserIDs[m]}, calendar.ScopeAll, time.Time{})
			}
		}
		for _, m := range local {
			if !slices.Contains(target, m) {
				removed = append(removed, m)
				e.Uninvite(people.UserIDs[m], calendar.ScopeAll, time.Time{})
			}
		}
		r.markDirty(e)
		if len(added) > 0 {
			r.history(e.ID, "from Outlook", "Invited in Outlook: now invited here", strings.Join(added, ", "))
		}
		if len(removed) > 0 {
			r.history(e.ID, "from Outlook", "Removed from the attendees in Outlook: no longer invited here", strings.Join(removed, ", "))
		}
	}
	if slices.Equal(target, remote) {
		lp.Base.Attendees = target
		return nil
	}
	if rs == nil || rs.Gone {
		// Outlook's list was not read this cycle (the engine reads it when the invitees
		// changed): the base stays, so the next cycle tries again.
		return nil
	}
	lp.Base.Attendees = target
	r.history(e.ID, "to Outlook", "Attendees changed in Outlook", strings.Join(target, ", "))
	return attendeeList(rs.Master.Attendees, rs.Master.Organizer, target, people)
}

// answers takes the answers that the organizer's Outlook shows for the series' attendees who
// are site users: an answer that changed since the last sync is the attendee's, given in
// their own Outlook, and becomes their answer for all instances here.
func (r *reconciler) answers(e *calendar.Event, lp *LinkPlan, rs *RemoteSeries) {
	if rs == nil || rs.Gone {
		return
	}
	people := r.in.People
	next := map[string]calendar.Response{}
	for _, a := range rs.Master.Attendees {
		m := normEmail(a.Email)
		id, site := people.UserIDs[m]
		ans := answerOf(a.Response)
		if !site || ans == "" {
			continue
		}
		next[m] = ans
		if lp.Base.Answers[m] == ans || id == e.OrganizerID {
			continue
		}
		if a, _, following := seriesAnswer(e, id); a == ans && !following {
			continue
		}
		if err := e.SetRSVP(id, calendar.ScopeAll, time.Time{}, ans, r.in.Now); err != nil {
			r.history(e.ID, "error", "An answer from Outlook could not be recorded", m+": "+err.Error())
			continue
		}
		r.markDirty(e)
		r.history(e.ID, "from Outlook", "Answered in Outlook: "+string(ans), m)
	}
	if len(next) == 0 {
		next = nil
	}
	lp.Base.Answers = next
}
