package synce2e

import (
	"context"
	"slices"
	"strings"

	"pgregory.net/rapid"

	"intracal/calendar"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// The meeting actions of the state machine: alice invites bob (connected) or carol (not) to
// every instance or to one; they answer in My Calendar or in Outlook; bob's mailbox syncs.

var answers = []calendar.Response{calendar.Yes, calendar.No, calendar.Maybe}

func (m *machine) invitee() *member {
	if rapid.Bool().Draw(m.rt, "bob") {
		return m.mw.bob
	}
	return m.mw.carol
}

func (m *machine) invite() {
	e, oc, ok := m.pickLocal()
	if !ok {
		return
	}
	who := m.invitee()
	scope := smPick([]calendar.Scope{calendar.ScopeAll, calendar.ScopeInstance}).Draw(m.rt, "inviteScope")
	// A refused invitation (an instance that is gone) is the user's mistake, not the sync's.
	_, _ = m.w.cal.Invite(context.Background(), m.w.user, e.ID, []int64{who.user.UserID}, scope, oc.OriginalStart)
}

func (m *machine) answerLocal() {
	who := m.invitee()
	from, to := m.span()
	occ, _, err := m.w.cal.Occurrences(context.Background(), who.user, calendar.Query{From: from, To: to})
	if err != nil {
		m.rt.Fatalf("occurrences of %s: %v", who.email, err)
	}
	if len(occ) == 0 {
		return
	}
	oc := occ[rapid.IntRange(0, len(occ)-1).Draw(m.rt, "answered")]
	scope := smPick([]calendar.Scope{calendar.ScopeInstance, calendar.ScopeFollowing, calendar.ScopeAll}).Draw(m.rt, "answerScope")
	a := smPick(answers).Draw(m.rt, "answer")
	// An instance invitee may only answer their instance: a refusal is expected.
	_, _ = m.w.cal.SetRSVP(context.Background(), who.user, oc.EventID, scope, oc.OriginalStart, a)
}

func (m *machine) answerOutlook() {
	who := m.invitee()
	evs, err := m.w.fake.Events(who.email)
	if err != nil {
		m.rt.Fatalf("outlook events of %s: %v", who.email, err)
	}
	var live []fakeoutlook.Event
	for _, e := range evs {
		if !e.IsCancelled && !e.IsOrganizer {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		return
	}
	item := live[rapid.IntRange(0, len(live)-1).Draw(m.rt, "copy")]
	id := item.ID
	if item.Type == "seriesMaster" && rapid.Bool().Draw(m.rt, "oneOccurrence") {
		from, to := m.span()
		inst, err := m.w.fake.Instances(who.email, item.ID, from, to)
		if err != nil || len(inst) == 0 {
			return
		}
		oc := inst[rapid.IntRange(0, len(inst)-1).Draw(m.rt, "copyOccurrence")]
		if oc.IsCancelled {
			return
		}
		id = oc.ID
	}
	answer := smPick([]string{"accept", "tentativelyAccept", "decline"}).Draw(m.rt, "outlookAnswer")
	if err := m.w.fake.Respond(who.email, id, answer); err != nil {
		m.rt.Fatalf("%s answers %s in Outlook: %v", who.email, answer, err)
	}
}

func (m *machine) syncBob() {
	var remove func()
	if rapid.Bool().Draw(m.rt, "bobFault") {
		remove = m.w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultDropConnection, Mailbox: bobMail, Times: 1})
	}
	bob := m.mw.bob
	res, err := bob.engine.Cycle(context.Background(), outlooksync.Job{UserID: bob.user.UserID, CalendarID: bob.calID, Graph: bob.graph})
	m.traceCycle("bob", "", res, err)
	if remove != nil {
		remove()
	}
}

// checkMeetings holds the meeting invariants after the final clean syncs.
func (m *machine) checkMeetings() {
	ctx := context.Background()
	mw := m.mw
	for _, id := range []int64{2, 3} {
		if n := m.organizedBy(id); n != 0 {
			m.rt.Fatalf("user %d organizes %d events: an Outlook copy of a meeting was imported", id, n)
		}
	}
	links, err := m.w.store.Links(ctx, 1)
	if err != nil {
		m.rt.Fatalf("links: %v", err)
	}
	for _, l := range links {
		e, err := m.w.cal.GetFull(ctx, l.EventID)
		if err != nil || e.DeletedAt != nil || !m.inWindow(e, l.SegmentUID) {
			continue
		}
		var local []string
		for _, in := range e.Invitations {
			if in.Instance == nil {
				local = append(local, emailOf(mw.people, in.UserID))
			}
		}
		slices.Sort(local)
		ev, err := m.w.fake.GetEvent(mailbox, l.RemoteID)
		if err != nil {
			m.rt.Fatalf("linked Outlook item of %q: %v", e.Segments[0].Title, err)
		}
		var remote []string
		for _, a := range ev.Attendees {
			if _, site := mw.people[strings.ToLower(a.EmailAddress.Address)]; site {
				remote = append(remote, strings.ToLower(a.EmailAddress.Address))
			}
		}
		slices.Sort(remote)
		if !slices.Equal(local, remote) {
			m.rt.Fatalf("%q: invitees here %v, attendees in Outlook %v", ev.Subject, local, remote)
		}
	}
	atts, err := m.w.store.Attendances(ctx, 2)
	if err != nil {
		m.rt.Fatalf("attendances: %v", err)
	}
	copies := map[string]string{}
	for _, a := range atts {
		if a.EventID == 0 || a.Instance != nil {
			continue
		}
		e, err := m.w.cal.GetFull(ctx, a.EventID)
		if err != nil || e.DeletedAt != nil {
			continue
		}
		cp, err := m.w.fake.GetEvent(bobMail, a.RemoteID)
		if err != nil || cp.IsCancelled {
			continue
		}
		if other, dup := copies[a.SegmentUID]; dup {
			m.rt.Fatalf("two of bob's Outlook items (%s, %s) stand for one part of %q", other, a.RemoteID, cp.Subject)
		}
		copies[a.SegmentUID] = a.RemoteID
		var all calendar.Response
		for _, r := range e.RSVPs {
			if r.UserID != 2 {
				continue
			}
			switch r.Scope {
			case calendar.ScopeFollowing:
				m.rt.Fatalf("bob's answer for following occurrences of %q never became an answer for all: %+v", cp.Subject, e.RSVPs)
			case calendar.ScopeAll:
				all = r.Response
			}
		}
		if all != "" && responseName(all) != cp.Response {
			m.rt.Fatalf("%q: bob answered %s here, his Outlook copy says %s", cp.Subject, all, cp.Response)
		}
	}
}

func emailOf(d directory, id int64) string {
	for m, v := range d {
		if v == id {
			return m
		}
	}
	return ""
}

func responseName(a calendar.Response) string {
	switch a {
	case calendar.Yes:
		return "accepted"
	case calendar.Maybe:
		return "tentativelyAccepted"
	}
	return "declined"
}
