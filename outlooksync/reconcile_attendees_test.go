package outlooksync

import (
	"strings"
	"testing"
	"time"

	"intracal/calendar"
)

var tPeople = People{
	Emails:  map[int64]string{tUser: "alice@example.com", 8: "bob@example.com", 9: "carol@example.com"},
	UserIDs: map[string]int64{"alice@example.com": tUser, "bob@example.com": 8, "carol@example.com": 9},
}

func attendeeEmails(as []Attendee) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Email)
	}
	return strings.Join(out, ",")
}

func TestReconcileInviteesAreSentAsAttendees(t *testing.T) {
	e := localEvent(t, 1, "Planning", "2026-03-02T09:00:00", mondays)
	if err := e.Invite([]int64{8, 9}, calendar.ScopeAll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	in := input([]*calendar.Event{e}, nil)
	in.People = tPeople
	p := Reconcile(in)
	wantOps(t, p, "create  subject,body,location,start,end,isAllDay,recurrence,categories,reminder,attendees")
	if got := attendeeEmails(p.Ops[0].Op.Write.Attendees); got != "bob@example.com,carol@example.com" {
		t.Fatalf("attendees %s", got)
	}
}

func TestReconcileOutlookAttendeesBecomeInviteesAndGuestsStay(t *testing.T) {
	e := localEvent(t, 1, "Planning", "2026-03-02T09:00:00", mondays)
	if err := e.Invite([]int64{9}, calendar.ScopeAll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	link := linked(e, 0, "M1", nil)
	link.Base.Attendees = []string{"carol@example.com"}
	rs := remoteOf(t, "M1", e.Segments[0], nil)
	rs.Master.Organizer = "alice@example.com"
	// In Outlook, alice added Bob (in capitals) and a guest.
	rs.Master.Attendees = []Attendee{{Email: "carol@example.com"}, {Email: "BOB@example.com"}, {Email: "guest@partner.example"}}
	in := input([]*calendar.Event{e}, map[string]*RemoteSeries{"M1": rs}, link)
	in.People = tPeople
	in.People.UserIDs["bob@example.com"] = 8
	p := Reconcile(in)
	wantOps(t, p)
	if len(p.Changed) != 1 || len(p.Changed[0].Invitations) != 2 {
		t.Fatalf("invitations after the merge: %+v", p.Changed)
	}
	// Then carol is uninvited here: Outlook loses her and keeps bob and the guest.
	e2 := p.Changed[0]
	e2.Uninvite(9, calendar.ScopeAll, time.Time{})
	link.Base = p.Links[0].Base
	in = input([]*calendar.Event{e2}, map[string]*RemoteSeries{"M1": rs}, link)
	in.People = tPeople
	p = Reconcile(in)
	wantOps(t, p, "update M1 attendees")
	if got := attendeeEmails(p.Ops[0].Op.Write.Attendees); got != "BOB@example.com,guest@partner.example" {
		t.Fatalf("attendees sent %s", got)
	}
}
