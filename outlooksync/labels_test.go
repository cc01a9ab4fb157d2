package outlooksync

import (
	"slices"
	"testing"
	"time"

	"intracal/calendar"
)

// A link synced before the calendar kept categories and reminders learns Outlook's without a
// history line and sends nothing: nothing changed on either side.
func TestLabelsOfAnOlderLinkAreLearnedQuietly(t *testing.T) {
	e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
	e.Categories, e.Reminder = nil, calendar.Reminder{} // as stored before migration 12
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	rs.Master.Categories, rs.Master.Reminder = []string{"Red category"}, calendar.Reminder{On: true, Minutes: 10}
	l := linked(e, 0, "M1", nil)
	l.Base.Reminder, l.Base.Labels = nil, false
	p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, l))
	wantOps(t, p)
	if len(p.History) != 0 {
		t.Errorf("history %+v, want none", p.History)
	}
	if len(p.Changed) != 1 || !slices.Equal(p.Changed[0].Categories, []string{"Red category"}) || p.Changed[0].Reminder.Minutes != 10 {
		t.Fatalf("changed %+v; want the event with Outlook's categories and reminder", p.Changed)
	}
	if lp := p.Links[0]; !lp.Base.Labels || lp.Base.Reminder == nil || *lp.Base.Reminder != 10 {
		t.Errorf("the base does not record them: %+v", lp.Base)
	}
}

// Both sides changed the reminder differently: the later change wins, and says so.
func TestLabelsChangedOnBothSidesTakeTheLaterChange(t *testing.T) {
	for _, outlookLater := range []bool{false, true} {
		e := localEvent(t, 1, "Standup", "2026-03-02T09:00:00", mondays)
		rs := remoteOf(t, "M1", e.Segments[0], nil)
		l := linked(e, 0, "M1", nil)
		e.Reminder = calendar.Reminder{On: true, Minutes: 5}
		rs.Master.Reminder = calendar.Reminder{On: true, Minutes: 45}
		rs.Master.LastModified = e.UpdatedAt.Add(-time.Minute)
		if outlookLater {
			rs.Master.LastModified = e.UpdatedAt.Add(time.Minute)
		}
		p := Reconcile(input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, l))
		want := 5
		if outlookLater {
			want = 45
			wantOps(t, p)
		} else {
			wantOps(t, p, "update M1 reminder")
		}
		got := e.Reminder.Minutes
		if len(p.Changed) == 1 {
			got = p.Changed[0].Reminder.Minutes
		}
		if got != want {
			t.Errorf("Outlook later %v: the reminder is %d minutes, want %d", outlookLater, got, want)
		}
		if !slices.ContainsFunc(p.History, func(h HistoryEntry) bool { return h.Direction == "conflict" }) {
			t.Errorf("Outlook later %v: no conflict in the history %+v", outlookLater, p.History)
		}
	}
}
