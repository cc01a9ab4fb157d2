package outlooksync

import (
	"testing"
	"time"

	"intracal/calendar"
)

// Mondays 09:00 Berlin from 2 March 2026: 08:00Z in winter, 07:00Z from 30 March.
const mondays = "FREQ=WEEKLY;BYDAY=MO"

func TestReconcileNothingChangedWritesNothing(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, linked(e, 0, "M1", nil)))
	if !p.IsEmpty() {
		t.Fatalf("echo of our own state planned work: %s", p.Summary())
	}
}

func TestReconcileCreatesUnlinkedLocalSeriesWithMarker(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", "FREQ=WEEKLY;BYDAY=MO;COUNT=10")
	p := Reconcile(input([]*calendar.Event{e}, nil))
	wantOps(t, p, "create  subject,body,location,start,end,isAllDay,recurrence,categories,reminder")
	w := p.Ops[0].Op.Write
	if w.Marker != Marker(1, e.Segments[0].UID) || w.TransactionID != TransactionID(tUser, 1, e.Segments[0].UID) {
		t.Fatalf("marker %q transaction %q", w.Marker, w.TransactionID)
	}
	// Rule 6: a COUNT is sent as a numbered range.
	if w.Recurrence.Range.Type != "numbered" || w.Recurrence.Range.NumberOfOccurrences != 10 {
		t.Fatalf("range = %+v, want numbered 10", w.Recurrence.Range)
	}
}

func TestRule6UntilIsSentAsEndDate(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330")
	p := Reconcile(input([]*calendar.Event{e}, nil))
	rg := p.Ops[0].Op.Write.Recurrence.Range
	if rg.Type != "endDate" || rg.EndDate != "2026-03-30" {
		t.Fatalf("range = %+v, want endDate 2026-03-30", rg)
	}
}

func TestReconcileMarkerRelinksInsteadOfDuplicating(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	rs.Master.Marker = Marker(1, e.Segments[0].UID)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}))
	if len(p.Ops) != 0 || len(p.Created) != 0 {
		t.Fatalf("a created-but-unlinked item led to %v and %d imports", ops(p), len(p.Created))
	}
	if len(p.Links) != 1 || p.Links[0].RemoteID != "M1" {
		t.Fatalf("links = %+v, want the segment linked to M1", p.Links)
	}
}

func TestRule1LocalFollowingSplitShortensAndCreates(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	link := linked(e, 0, "M1", nil)
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	edited := e.Clone()
	if _, err := edited.Edit(calendar.ScopeFollowing, at("2026-03-16T08:00:00Z"), calendar.Change{Title: tp("Standup v2")}); err != nil {
		t.Fatal(err)
	}
	p := Reconcile(input([]*calendar.Event{edited}, map[string]*RemoteSeries{"M1": rs}, link))
	wantOps(t, p, "update M1 start,end,isAllDay,recurrence", "create  subject,body,location,start,end,isAllDay,recurrence,categories,reminder")
	if rg := p.Ops[0].Op.Write.Recurrence.Range; rg.Type != "endDate" || rg.EndDate != "2026-03-09" {
		t.Fatalf("shortened range = %+v, want to end on 9 March", rg)
	}
	if p.Ops[1].Op.Write.Subject != "Standup v2" || p.Ops[1].Op.Write.Marker != Marker(1, edited.Segments[1].UID) {
		t.Fatalf("new series write = %+v", p.Ops[1].Op.Write)
	}
	for _, lp := range p.Links {
		if !lp.NeedsInstances {
			t.Errorf("link %s does not ask for its exceptions to be rebuilt", lp.SegmentUID)
		}
	}
}

func TestRule2OutlookSplitBecomesASegment(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	fourth := at("2026-03-23T08:00:00Z")
	if err := e.SetInstance(fourth, calendar.InstanceChange{Title: "Standup", Location: "Room 9", Start: fourth, End: fourth.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	link := linked(e, 0, "M1", map[string]InstanceState{instanceKey(fourth): {Subject: "Standup", Location: "Room 9", Start: fourth, End: fourth.Add(time.Hour)}})
	// In Outlook: the series now ends on 9 March, and a new one carries on from 16 March at 10:00.
	parent := e.Segments[0]
	parent.Rule = &calendar.Rule{Freq: calendar.Weekly, Interval: 1, ByDay: []calendar.WeekdayNum{{Weekday: time.Monday}}, WeekStart: time.Monday, Until: at("2026-03-09T22:59:59Z")}
	child := localEvent(t, 2, "Standup", "2026-03-16T10:00:00", mondays).Segments[0]
	remote := map[string]*RemoteSeries{"M1": remoteOf(t, "M1", parent, nil), "M2": remoteOf(t, "M2", child, nil)}
	p := Reconcile(input([]*calendar.Event{e}, remote, link))
	if len(p.Created) != 0 {
		t.Fatalf("the Outlook split was imported as %d new events", len(p.Created))
	}
	if len(p.Changed) != 1 || len(p.Changed[0].Segments) != 2 || p.Changed[0].ID != 1 {
		t.Fatalf("changed = %+v, want event 1 with two segments", p.Changed)
	}
	for _, o := range p.Ops {
		if o.Op.Kind == OpDelete || o.Op.Kind == OpCreate {
			t.Fatalf("the split led to %s %s", o.Op.Kind, o.Op.ID)
		}
	}
	got := p.Changed[0]
	occ := got.Instances(calendar.Viewer{UserID: tUser}, at("2026-03-01T00:00:00Z"), at("2026-03-31T00:00:00Z"), true)
	var times []string
	for _, o := range occ {
		times = append(times, o.Start.Format("01-02 15:04"))
	}
	if want := "03-02 09:00,03-09 09:00,03-16 10:00,03-23 10:00,03-30 10:00"; joinStrings(times) != want {
		t.Fatalf("instances %s, want %s", joinStrings(times), want)
	}
	for _, h := range p.History {
		if h.Direction == "from Outlook" && h.Summary == "Occurrence deleted in Outlook: cancelled here" {
			t.Fatalf("the old instances after the split were reported as deletions: %+v", h)
		}
	}
}

func TestRule2DifferentSubjectStaysApart(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	link := linked(e, 0, "M1", nil)
	parent := e.Segments[0]
	parent.Rule = &calendar.Rule{Freq: calendar.Weekly, Interval: 1, ByDay: []calendar.WeekdayNum{{Weekday: time.Monday}}, WeekStart: time.Monday, Until: at("2026-03-09T22:59:59Z")}
	child := localEvent(t, 2, "Retro", "2026-03-16T10:00:00", mondays).Segments[0]
	remote := map[string]*RemoteSeries{"M1": remoteOf(t, "M1", parent, nil), "M2": remoteOf(t, "M2", child, nil)}
	p := Reconcile(input([]*calendar.Event{e}, remote, link))
	if len(p.Created) != 1 || p.Created[0].Segments[0].Title != "Retro" {
		t.Fatalf("created = %+v, want Retro imported as its own event", p.Created)
	}
	if len(p.Changed) != 1 || len(p.Changed[0].Segments) != 1 {
		t.Fatalf("the parent should only be shortened: %+v", p.Changed)
	}
}

func TestRule3SeriesChangeReachesEveryException(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	second := at("2026-03-09T08:00:00Z")
	if err := e.SetInstance(second, calendar.InstanceChange{Title: "Standup", Location: "Room 9", Start: second, End: second.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	exc := map[string]InstanceState{instanceKey(second): {Subject: "Standup", Location: "Room 9", Start: second, End: second.Add(time.Hour)}}
	link := linked(e, 0, "M1", exc)
	rs := remoteOf(t, "M1", e.Segments[0], map[time.Time]func(*RemoteEvent){second: func(r *RemoteEvent) { r.Location = "Room 9" }})
	edited := e.Clone()
	if _, err := edited.Edit(calendar.ScopeAll, time.Time{}, calendar.Change{Title: tp("Daily sync")}); err != nil {
		t.Fatal(err)
	}
	p := Reconcile(input([]*calendar.Event{edited}, map[string]*RemoteSeries{"M1": rs}, link))
	wantOps(t, p, "update M1 subject", "update M1-20260309 subject")
}

func TestRule4ChildChangeStaysOnItsSegment(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	if _, err := e.Edit(calendar.ScopeFollowing, at("2026-03-16T08:00:00Z"), calendar.Change{Location: tp("Room 2")}); err != nil {
		t.Fatal(err)
	}
	l1, l2 := linked(e, 0, "M1", nil), linked(e, 1, "M2", nil)
	r1, r2 := remoteOf(t, "M1", e.Segments[0], nil), remoteOf(t, "M2", e.Segments[1], nil)
	r2.Master.Subject = "Standup (new room)"
	for i := range r2.Instances {
		r2.Instances[i].Subject = "Standup (new room)"
	}
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": r1, "M2": r2}, l1, l2))
	wantOps(t, p)
	got := p.Changed[0]
	if got.Segments[0].Title != "Standup" || got.Segments[1].Title != "Standup (new room)" {
		t.Fatalf("titles %q / %q: the child's change must stay on its segment", got.Segments[0].Title, got.Segments[1].Title)
	}
}

func TestRule7OutlookPatternChangeKeepsEventConsistent(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	second := at("2026-03-09T08:00:00Z")
	if err := e.SetInstance(second, calendar.InstanceChange{Title: "Standup", Location: "Room 9", Start: second, End: second.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	link := linked(e, 0, "M1", map[string]InstanceState{instanceKey(second): {Subject: "Standup", Location: "Room 9", Start: second, End: second.Add(time.Hour)}})
	// In Outlook the series moved to Tuesdays, which dropped its exceptions.
	tue := localEvent(t, 9, "Standup", "2026-03-03T09:00:00", "FREQ=WEEKLY;BYDAY=TU").Segments[0]
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": remoteOf(t, "M1", tue, nil)}, link))
	if len(p.Changed) != 1 {
		t.Fatalf("nothing changed locally: %s", p.Summary())
	}
	got := p.Changed[0]
	if got.Segments[0].Rule.String() != "FREQ=WEEKLY;BYDAY=TU" || len(got.Overrides) != 0 {
		t.Fatalf("rule %s with %d overrides, want Tuesdays and the Monday change gone", got.Segments[0].Rule, len(got.Overrides))
	}
	if len(p.History) == 0 {
		t.Fatal("the pattern change is not in the history")
	}
	wantOps(t, p)
}

func TestReconcileOutlookDeletedOccurrenceCancelsHere(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	third := at("2026-03-16T08:00:00Z")
	rs := remoteOf(t, "M1", e.Segments[0], nil, third)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, linked(e, 0, "M1", nil)))
	wantOps(t, p)
	if _, cancelled, _ := p.Changed[0].Instance(calendar.Viewer{UserID: tUser}, third); !cancelled {
		t.Fatal("the occurrence deleted in Outlook is not cancelled here")
	}
}

func TestReconcileLocalCancelDeletesOccurrence(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	link := linked(e, 0, "M1", nil)
	if _, err := e.Delete(calendar.ScopeInstance, at("2026-03-16T08:00:00Z"), tNow); err != nil {
		t.Fatal(err)
	}
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, link))
	wantOps(t, p, "delete M1-20260316")
}

func TestReconcileConflictLaterChangeWinsAndLoserIsKept(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	link := linked(e, 0, "M1", nil)
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	rs.Master.Subject, rs.Master.LastModified = "Outlook title", tNow
	e.Segments[0].Title, e.UpdatedAt = "Local title", tNow.Add(-time.Minute)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, link))
	if p.Changed[0].Segments[0].Title != "Outlook title" {
		t.Fatalf("title %q, want Outlook's later change", p.Changed[0].Segments[0].Title)
	}
	found := false
	for _, h := range p.History {
		found = found || (h.Direction == "conflict" && h.Detail == "My Calendar had: Local title")
	}
	if !found {
		t.Fatalf("the losing value is not in the history: %+v", p.History)
	}
}

func TestReconcileEditBeatsRemoteDelete(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	link := linked(e, 0, "M1", nil)
	e.Segments[0].Title = "Changed here"
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": {Gone: true}}, link))
	wantOps(t, p, "create  subject,body,location,start,end,isAllDay,recurrence,categories,reminder")
	if len(p.Changed) != 0 {
		t.Fatal("the local event was changed although its edit wins")
	}
}

func TestReconcileRemoteDeleteRemovesLocal(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": {Gone: true}}, linked(e, 0, "M1", nil)))
	wantOps(t, p)
	if len(p.Changed) != 1 || p.Changed[0].DeletedAt == nil {
		t.Fatal("the event deleted in Outlook is not deleted here")
	}
}

func TestReconcileLocalDeleteDeletesRemote(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	link := linked(e, 0, "M1", nil)
	e.DeletedAt = tp(tNow)
	p := Reconcile(input([]*calendar.Event{e}, nil, link))
	wantOps(t, p, "delete M1")
}

func TestReconcileImportsOutlookSeriesWithItsExceptions(t *testing.T) {
	seg := localEvent(t, 9, "Board meeting", "2026-03-04T14:00:00", "FREQ=WEEKLY;BYDAY=WE;COUNT=6").Segments[0]
	second := at("2026-03-11T13:00:00Z")
	rs := remoteOf(t, "M9", seg, map[time.Time]func(*RemoteEvent){second: func(r *RemoteEvent) { r.Subject = "Board meeting (budget)" }}, at("2026-03-18T13:00:00Z"))
	p := Reconcile(input(nil, map[string]*RemoteSeries{"M9": rs}))
	if len(p.Created) != 1 {
		t.Fatalf("%d imports, want 1", len(p.Created))
	}
	e := p.Created[0]
	occ := e.Instances(calendar.Viewer{UserID: tUser}, at("2026-03-01T00:00:00Z"), at("2026-05-01T00:00:00Z"), false)
	if len(occ) != 5 || occ[1].Title != "Board meeting (budget)" {
		t.Fatalf("imported %d instances (second %q), want 5 with the changed title", len(occ), occ[1].Title)
	}
	wantOps(t, p)
}

func TestReconcileLeavesOthersMeetingsAndOutsideWindowAlone(t *testing.T) {
	seg := localEvent(t, 9, "Their meeting", "2026-03-04T14:00:00", "").Segments[0]
	rs := remoteOf(t, "S1", seg, nil)
	rs.Master.IsOrganizer = false
	old := localEvent(t, 1, "Old", "2020-03-02T09:00:00", "FREQ=WEEKLY;COUNT=3")
	p := Reconcile(input([]*calendar.Event{old}, map[string]*RemoteSeries{"S1": rs}))
	if !p.IsEmpty() {
		t.Fatalf("planned %s", p.Summary())
	}
}

func joinStrings(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

func TestReconcileMarkerOfDeletedEventDeletesTheOrphan(t *testing.T) {
	e := localEvent(t, 1, "Offsite", "2026-03-04T09:00:00", "")
	rs := remoteOf(t, "S1", e.Segments[0], nil)
	rs.Master.Marker = Marker(1, e.Segments[0].UID)
	e.DeletedAt = tp(tNow)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"S1": rs}))
	wantOps(t, p, "delete S1")
	if len(p.Created) != 0 {
		t.Fatal("our own orphan was imported")
	}
}
