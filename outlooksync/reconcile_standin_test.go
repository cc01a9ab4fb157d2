package outlooksync

import (
	"testing"
	"time"

	"intracal/calendar"
)

// An occurrence deleted in Outlook while My Calendar changed it: the edit wins, and since
// Outlook cannot restore a deleted occurrence, a single event stands for it there.
func TestReconcileEditBeatsOutlookDeleteOfAnOccurrenceWithAStandIn(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	link := linked(e, 0, "M1", nil)
	second := at("2026-03-09T08:00:00Z")
	if err := e.SetInstance(second, calendar.InstanceChange{Title: "Standup", Location: "Room 7", Start: second, End: second}); err != nil {
		t.Fatal(err)
	}
	e.UpdatedAt = tNow
	rs := remoteOf(t, "M1", e.Segments[0], nil, second)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, link))
	wantOps(t, p, "create  subject,body,location,start,end,isAllDay")
	op := p.Ops[0]
	if op.StandIn != instanceKey(second) || op.Op.Write.Location != "Room 7" || op.Op.Write.Marker != StandInMarker(1, e.Segments[0].UID, second) {
		t.Fatalf("stand-in op %+v (write %+v)", op, op.Op.Write)
	}
	if len(p.Changed) != 0 {
		t.Fatal("the local edit was changed: it wins")
	}
	if got := p.Links[0].Base.Instances[instanceKey(second)]; got.Cancelled || got.Location != "Room 7" {
		t.Fatalf("base of the instance %+v, want the edit", got)
	}
}

// A stand-in deleted in Outlook cancels its instance here.
func TestReconcileStandInDeletedInOutlookCancelsTheInstance(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	second := at("2026-03-09T08:00:00Z")
	if err := e.SetInstance(second, calendar.InstanceChange{Title: "Standup", Location: "Room 7", Start: second, End: second.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	k := instanceKey(second)
	link := linked(e, 0, "M1", map[string]InstanceState{k: {Subject: "Standup", Location: "Room 7", Start: second, End: second.Add(time.Hour)}})
	link.Base.StandIns = map[string]StandIn{k: {ID: "S1"}}
	e.Segments[0].Duration = time.Hour
	link.Base.Series = LocalSeriesState(e.Segments[0])
	rs := remoteOf(t, "M1", e.Segments[0], nil, second)
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs, "S1": {Master: RemoteEvent{ID: "S1"}, Gone: true}}, link))
	wantOps(t, p)
	if len(p.Changed) != 1 {
		t.Fatalf("the instance was not cancelled here: %+v", p.History)
	}
	if occ, cancelled, err := p.Changed[0].Instance(calendar.Viewer{UserID: tUser}, second); err != nil || !cancelled {
		t.Fatalf("instance %+v cancelled=%v err=%v", occ, cancelled, err)
	}
	if len(p.Links[0].Base.StandIns) != 0 {
		t.Fatalf("the stand-in is still recorded: %+v", p.Links[0].Base.StandIns)
	}
}

// A stand-in nobody records (a cycle stopped before saving it, and the instance no longer
// needs one) is deleted, never imported.
func TestReconcileOrphanStandInIsDeleted(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	link := linked(e, 0, "M1", nil)
	second := at("2026-03-09T08:00:00Z")
	orphan := &RemoteSeries{Master: RemoteEvent{ID: "S9", Type: TypeSingle, IsOrganizer: true, Subject: "Standup",
		Start: second, End: second.Add(time.Hour), Marker: StandInMarker(1, e.Segments[0].UID, second)}}
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"S9": orphan}, link))
	wantOps(t, p, "delete S9")
	if len(p.Created) != 0 {
		t.Fatal("the orphan was imported")
	}
}
