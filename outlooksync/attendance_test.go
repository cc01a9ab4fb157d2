package outlooksync

import (
	"testing"
	"time"

	"intracal/calendar"
)

const tBob = int64(8)

// copyOf is bob's Outlook copy of e's series, with his answer and answers per occurrence.
func copyOf(t *testing.T, e *calendar.Event, answer string, perOccurrence map[time.Time]string) *RemoteSeries {
	t.Helper()
	rs := remoteOf(t, "C1", e.Segments[0], nil)
	rs.Master.IsOrganizer, rs.Master.ResponseStatus, rs.Master.Organizer = false, answer, "alice@example.com"
	for i := range rs.Instances {
		in := &rs.Instances[i]
		in.ResponseStatus = answer
		if a, ok := perOccurrence[*in.OriginalStart]; ok {
			in.ResponseStatus = a
		}
	}
	return rs
}

func meeting(t *testing.T) (*calendar.Event, Attendance) {
	t.Helper()
	e := localEvent(t, 1, "Planning", "2026-03-02T09:00:00", "FREQ=WEEKLY;BYDAY=MO;COUNT=8")
	if err := e.Invite([]int64{tBob}, calendar.ScopeAll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	return e, Attendance{RemoteID: "C1", EventID: 1, SegmentUID: e.Segments[0].UID}
}

func answer(t *testing.T, e *calendar.Event, scope calendar.Scope, orig time.Time, a calendar.Response, at time.Time) {
	t.Helper()
	if err := e.SetRSVP(tBob, scope, orig, a, at); err != nil {
		t.Fatal(err)
	}
}

func respondOps(st attendStep) []string {
	var out []string
	for _, op := range st.Ops {
		out = append(out, op.Op.ID+" "+op.Op.Response)
	}
	return out
}

func TestAttendanceAnswerForAllIsSentForTheSeries(t *testing.T) {
	e, a := meeting(t)
	answer(t, e, calendar.ScopeAll, time.Time{}, calendar.Yes, tNow)
	st := reconcileAttendance(a, e, copyOf(t, e, "notResponded", nil), tBob, tWindow)
	if got := respondOps(st); len(got) != 1 || got[0] != "C1 accepted" || !st.Ops[0].Op.SendResponse {
		t.Fatalf("ops %v, want one accept of the series, sent to the organizer", got)
	}
	if st.Base.Response != calendar.Yes || len(st.RSVPs) != 0 {
		t.Fatalf("base %+v, local changes %+v", st.Base, st.RSVPs)
	}
}

func TestAttendanceFollowingAnswerComesBackAsAnAnswerForAll(t *testing.T) {
	e, a := meeting(t)
	answer(t, e, calendar.ScopeFollowing, at("2026-03-16T08:00:00Z"), calendar.Yes, tNow)
	first := reconcileAttendance(a, e, copyOf(t, e, "notResponded", nil), tBob, tWindow)
	if got := respondOps(first); len(got) != 1 || got[0] != "C1 accepted" {
		t.Fatalf("first cycle ops %v, want the series accepted", got)
	}
	a.Base = first.Base
	second := reconcileAttendance(a, e, copyOf(t, e, "accepted", nil), tBob, tWindow)
	if len(second.Ops) != 0 || len(second.RSVPs) != 1 || second.RSVPs[0].Scope != calendar.ScopeAll || second.RSVPs[0].Response != calendar.Yes {
		t.Fatalf("second cycle: ops %v, local %+v; want the answer turned into one for all", respondOps(second), second.RSVPs)
	}
	answer(t, e, calendar.ScopeAll, time.Time{}, calendar.Yes, tNow)
	a.Base = second.Base
	third := reconcileAttendance(a, e, copyOf(t, e, "accepted", nil), tBob, tWindow)
	if len(third.Ops) != 0 || len(third.RSVPs) != 0 {
		t.Fatalf("third cycle flaps: ops %v, local %+v", respondOps(third), third.RSVPs)
	}
}

func TestAttendanceAnswersGivenInOutlookKeepTheirScope(t *testing.T) {
	e, a := meeting(t)
	answer(t, e, calendar.ScopeAll, time.Time{}, calendar.Yes, tNow.Add(-time.Hour))
	a.Base = AttendBase{Response: calendar.Yes}
	third := at("2026-03-16T08:00:00Z")
	rs := copyOf(t, e, "accepted", map[time.Time]string{third: "tentativelyAccepted"})
	st := reconcileAttendance(a, e, rs, tBob, tWindow)
	if len(st.Ops) != 0 || len(st.RSVPs) != 1 || st.RSVPs[0].Scope != calendar.ScopeInstance || !st.RSVPs[0].Instance.Equal(third) || st.RSVPs[0].Response != calendar.Maybe {
		t.Fatalf("ops %v, local %+v; want maybe for the third instance only", respondOps(st), st.RSVPs)
	}
	rs = copyOf(t, e, "declined", nil)
	st = reconcileAttendance(a, e, rs, tBob, tWindow)
	if len(st.RSVPs) != 1 || st.RSVPs[0].Scope != calendar.ScopeAll || st.RSVPs[0].Response != calendar.No {
		t.Fatalf("series declined in Outlook: local %+v, want no for all", st.RSVPs)
	}
}

func TestAttendanceDeclinedCopyGoneAnswersNo(t *testing.T) {
	e, a := meeting(t)
	a.Base = AttendBase{Response: calendar.Yes}
	st := reconcileAttendance(a, e, &RemoteSeries{Master: RemoteEvent{ID: "C1"}, Gone: true}, tBob, tWindow)
	if !st.Drop || len(st.RSVPs) != 1 || st.RSVPs[0].Response != calendar.No || st.RSVPs[0].Scope != calendar.ScopeAll {
		t.Fatalf("drop %v, local %+v; want no for all and the attendance dropped", st.Drop, st.RSVPs)
	}
}

func TestAttendanceOneInstanceInviteeAnswersTheirSingleEvent(t *testing.T) {
	e := localEvent(t, 1, "Board prep", "2026-03-04T09:00:00", "FREQ=WEEKLY;BYDAY=WE;COUNT=5")
	orig := at("2026-03-11T08:00:00Z")
	if err := e.Invite([]int64{tBob}, calendar.ScopeInstance, orig); err != nil {
		t.Fatal(err)
	}
	answer(t, e, calendar.ScopeInstance, orig, calendar.Maybe, tNow)
	single := &RemoteSeries{Master: RemoteEvent{ID: "S1", Type: TypeSingle, ResponseStatus: "notResponded", Start: orig}}
	a := Attendance{RemoteID: "S1", EventID: 1, SegmentUID: e.Segments[0].UID, Instance: &orig}
	st := reconcileAttendance(a, e, single, tBob, tWindow)
	if got := respondOps(st); len(got) != 1 || got[0] != "S1 tentativelyAccepted" {
		t.Fatalf("ops %v, want the single event answered maybe", got)
	}
}
