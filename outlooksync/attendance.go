package outlooksync

import (
	"sort"
	"time"

	"intracal/calendar"
)

// Attendance ties an invitee's Outlook copy of a meeting to the local event it stands for:
// to one segment (the copy of a series, or of a one-off event), or to one instance (the
// single event Outlook gives someone invited to one occurrence). Base holds the answers
// both sides agreed on at the last sync.
type Attendance struct {
	RemoteID   string
	ICalUID    string
	Organizer  string
	EventID    int64 // 0 while the organizer's side is not synced yet
	SegmentUID string
	Instance   *time.Time
	Base       AttendBase
}

// AttendBase is the last synced answer for the whole copy and the answers to single
// occurrences that differ from it (by original start, RFC 3339 UTC).
type AttendBase struct {
	Response  calendar.Response            `json:"response,omitempty"`
	Instances map[string]calendar.Response `json:"instances,omitempty"`
}

// rsvpChange is an answer to record in My Calendar for the invitee.
type rsvpChange struct {
	Scope    calendar.Scope
	Instance time.Time
	Response calendar.Response
}

// attendStep is what reconciling one attendance decided.
type attendStep struct {
	Ops     []PlannedOp
	RSVPs   []rsvpChange
	Base    AttendBase
	Drop    bool // the copy is gone or the event is: forget the attendance
	History []HistoryEntry
}

func (s *attendStep) history(eventID int64, dir, summary, detail string) {
	s.History = append(s.History, HistoryEntry{EventID: eventID, Direction: dir, Summary: summary, Detail: detail})
}

// respond plans an answer to an Outlook copy (of the series, an occurrence, or a single
// event); the organizer is told, as Outlook's own answer buttons do.
func (s *attendStep) respond(id string, a calendar.Response) {
	s.Ops = append(s.Ops, PlannedOp{Op: Op{Kind: OpRespond, ID: id, Response: responseOf(a), SendResponse: true}, Purpose: "Answered in My Calendar"})
}

// seriesAnswer is the invitee's answer for a whole series as Outlook can hold it: the answer
// for all, or the latest answer for "this and following", which Outlook cannot express and
// receives as an answer for the series (the seed's rule). following says which it was.
func seriesAnswer(e *calendar.Event, userID int64) (a calendar.Response, at time.Time, following bool) {
	for _, r := range e.RSVPs {
		if r.UserID != userID {
			continue
		}
		switch r.Scope {
		case calendar.ScopeFollowing:
			if !following || r.UpdatedAt.After(at) {
				a, at, following = r.Response, r.UpdatedAt, true
			}
		case calendar.ScopeAll:
			if !following {
				a, at = r.Response, r.UpdatedAt
			}
		}
	}
	return a, at, following
}

// instanceAnswers are the invitee's answers to single occurrences of segment uid whose
// original start lies in the window and that differ from the series answer.
func instanceAnswers(e *calendar.Event, uid string, userID int64, series calendar.Response, w Window) map[string]rsvpAt {
	out := map[string]rsvpAt{}
	i := e.SegmentIndex(uid)
	for _, r := range e.RSVPs {
		if r.UserID != userID || r.Scope != calendar.ScopeInstance || r.Instance == nil || r.Response == series {
			continue
		}
		o := *r.Instance
		if o.Before(w.From) || !o.Before(w.To) || !e.HasInstance(o) {
			continue
		}
		if oc, cancelled, err := e.Instance(calendar.Viewer{UserID: e.OrganizerID}, o); err != nil || cancelled || oc.Segment != i {
			continue
		}
		out[instanceKey(o)] = rsvpAt{r.Response, r.UpdatedAt}
	}
	return out
}

type rsvpAt struct {
	Response calendar.Response
	At       time.Time
}

// reconcileAttendance merges an invitee's answers in My Calendar with those of their Outlook
// copy, against the base: an answer given on one side is given on the other. Outlook's copy
// says nothing else that flows back: its title, time and place are the organizer's, and an
// invitee's own edits of their copy stay theirs (My Calendar shows everyone the same event).
func reconcileAttendance(a Attendance, e *calendar.Event, rs *RemoteSeries, userID int64, w Window) attendStep {
	st := attendStep{Base: a.Base}
	eventGone := e == nil || e.DeletedAt != nil
	switch {
	case eventGone:
		// The organizer deleted the event; their sync cancels the meeting in Outlook.
		st.Drop = rs.Gone || rs.Master.IsCancelled
		return st
	case rs.Gone:
		// An invitee who declines in Outlook, or removes the meeting, loses the copy.
		st.Drop = true
		if a.Instance != nil {
			if e.EffectiveRSVP(userID, *a.Instance) != calendar.No {
				st.RSVPs = append(st.RSVPs, rsvpChange{Scope: calendar.ScopeInstance, Instance: *a.Instance, Response: calendar.No})
			}
		} else if ans, _, following := seriesAnswer(e, userID); ans != calendar.No || following {
			st.RSVPs = append(st.RSVPs, rsvpChange{Scope: calendar.ScopeAll, Response: calendar.No})
		}
		st.history(e.ID, "from Outlook", "Declined or removed from the calendar in Outlook: answered no", rs.Master.Subject)
		return st
	case rs.Master.IsCancelled:
		return st // cancelled by the organizer: their sync brings the deletion
	}
	if a.Instance != nil || rs.Master.Type == TypeSingle {
		st.single(a, e, rs, userID)
		return st
	}
	st.series(a, e, rs, userID, w)
	return st
}

// single merges the answer of a single-event copy: a one-off meeting, or the one instance
// someone was invited to.
func (st *attendStep) single(a Attendance, e *calendar.Event, rs *RemoteSeries, userID int64) {
	scope, orig := calendar.ScopeAll, time.Time{}
	if a.Instance != nil {
		scope, orig = calendar.ScopeInstance, *a.Instance
	} else if i := e.SegmentIndex(a.SegmentUID); i >= 0 {
		orig, _ = e.Segments[i].Schedule().FirstStart()
	}
	local := e.EffectiveRSVP(userID, orig)
	remote := answerOf(rs.Master.ResponseStatus)
	base := a.Base.Response
	lc, rc := local != base && local != "", remote != base && remote != ""
	switch {
	case lc && (!rc || remote == local || localAnswerLater(e, userID, rs.Master.LastModified)):
		if remote != local {
			st.respond(rs.Master.ID, local)
			st.history(e.ID, "to Outlook", "Answer sent to Outlook: "+string(local), rs.Master.Subject)
		}
		st.Base.Response = local
	case rc:
		st.RSVPs = append(st.RSVPs, rsvpChange{Scope: scope, Instance: orig, Response: remote})
		st.Base.Response = remote
		st.history(e.ID, "from Outlook", "Answered in Outlook: "+string(remote), rs.Master.Subject)
	}
}

// localAnswerLater reports whether the invitee's latest answer here is later than at.
func localAnswerLater(e *calendar.Event, userID int64, at time.Time) bool {
	var latest time.Time
	for _, r := range e.RSVPs {
		if r.UserID == userID && r.UpdatedAt.After(latest) {
			latest = r.UpdatedAt
		}
	}
	return !at.After(latest)
}

// series merges the answers of a series copy: the answer for the whole series, then the
// answers to single occurrences.
func (st *attendStep) series(a Attendance, e *calendar.Event, rs *RemoteSeries, userID int64, w Window) {
	local, localAt, following := seriesAnswer(e, userID)
	remote := answerOf(rs.Master.ResponseStatus)
	base := a.Base.Response
	lc, rc := local != base && local != "", remote != base && remote != ""
	switch {
	case lc && (!rc || remote == local || !rs.Master.LastModified.After(localAt)):
		if remote != local {
			st.respond(rs.Master.ID, local)
			if following {
				st.history(e.ID, "to Outlook", "Answer for this and following occurrences sent to Outlook as an answer for the series (Outlook has no other)", string(local))
			} else {
				st.history(e.ID, "to Outlook", "Answer sent to Outlook: "+string(local), rs.Master.Subject)
			}
		}
		st.Base.Response = local
	case rc:
		st.RSVPs = append(st.RSVPs, rsvpChange{Scope: calendar.ScopeAll, Response: remote})
		st.Base.Response, local = remote, remote
		st.history(e.ID, "from Outlook", "Answered in Outlook for the series: "+string(remote), rs.Master.Subject)
	case following && local == base && remote == base:
		// The "following" answer came back from Outlook as an answer for the series: it
		// becomes one here too, so both sides say the same from now on.
		st.RSVPs = append(st.RSVPs, rsvpChange{Scope: calendar.ScopeAll, Response: local})
		st.history(e.ID, "kept", "Answer for this and following occurrences is now the answer for the series, as in Outlook", string(local))
	}
	if !rs.InstancesRead {
		return
	}
	st.instances(a, e, rs, userID, local, remote, w)
}

// instances merges the answers to single occurrences.
func (st *attendStep) instances(a Attendance, e *calendar.Event, rs *RemoteSeries, userID int64, series, remoteSeries calendar.Response, w Window) {
	localMap := instanceAnswers(e, a.SegmentUID, userID, series, w)
	occ := map[string]RemoteEvent{}
	remote := map[string]calendar.Response{}
	for _, in := range rs.Instances {
		if in.OriginalStart == nil {
			continue
		}
		k := instanceKey(*in.OriginalStart)
		occ[k] = in
		if ans := answerOf(in.ResponseStatus); !in.IsCancelled && ans != "" && ans != remoteSeries {
			remote[k] = ans
		}
	}
	if seg, err := RemoteSegment(rs.Master); err == nil {
		// An occurrence the invitee declined in Outlook leaves their calendar.
		for _, s := range seg.Schedule().Starts(w.From, w.To, 0) {
			k := instanceKey(s)
			if _, ok := occ[k]; ok || s.Before(w.From) || !e.HasInstance(s) {
				continue
			}
			if _, cancelled, err := e.Instance(calendar.Viewer{UserID: e.OrganizerID}, s); err == nil && !cancelled {
				remote[k] = calendar.No
			}
		}
	}
	keys := map[string]bool{}
	for k := range localMap {
		keys[k] = true
	}
	for k := range remote {
		keys[k] = true
	}
	for k := range a.Base.Instances {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	next := map[string]calendar.Response{}
	for _, k := range sorted {
		orig, err := time.Parse(time.RFC3339, k)
		if err != nil {
			continue
		}
		l, lok := localMap[k]
		r, rok := remote[k]
		b, bok := a.Base.Instances[k]
		lc := lok != bok || l.Response != b
		rc := rok != bok || r != b
		switch {
		case !lc && !rc:
			if bok {
				next[k] = b
			}
		case lc && (!rc || !occ[k].LastModified.After(l.At)):
			want := series
			if lok {
				want = l.Response
			}
			have := remoteSeries
			if rok {
				have = r
			}
			if want != have && want != "" {
				if o, ok := occ[k]; ok && !o.IsCancelled {
					st.respond(o.ID, want)
					st.history(e.ID, "to Outlook", "Answer for one occurrence sent to Outlook: "+string(want), k)
				} else {
					st.history(e.ID, "kept", "This occurrence is no longer in your Outlook calendar; your answer here is kept", k)
				}
			}
			if lok {
				next[k] = l.Response
			}
		default:
			if rok {
				st.RSVPs = append(st.RSVPs, rsvpChange{Scope: calendar.ScopeInstance, Instance: orig, Response: r})
				st.history(e.ID, "from Outlook", "Answered one occurrence in Outlook: "+string(r), k)
				next[k] = r
			}
		}
	}
	st.Base.Instances = next
	if len(next) == 0 {
		st.Base.Instances = nil
	}
}

// localDiffers reports whether the invitee's answers here moved away from the base, so that
// their Outlook copy must be read although Outlook reported no change.
func localDiffers(a Attendance, e *calendar.Event, userID int64, w Window) bool {
	if e == nil || e.DeletedAt != nil {
		return false
	}
	if a.Instance != nil {
		return e.EffectiveRSVP(userID, *a.Instance) != a.Base.Response
	}
	local, _, following := seriesAnswer(e, userID)
	if i := e.SegmentIndex(a.SegmentUID); i >= 0 && e.Segments[i].Rule == nil {
		first, _ := e.Segments[i].Schedule().FirstStart()
		return e.EffectiveRSVP(userID, first) != a.Base.Response
	}
	if following || local != a.Base.Response && local != "" {
		return true
	}
	inst := instanceAnswers(e, a.SegmentUID, userID, local, w)
	if len(inst) != len(a.Base.Instances) {
		return true
	}
	for k, v := range inst {
		if a.Base.Instances[k] != v.Response {
			return true
		}
	}
	return false
}
