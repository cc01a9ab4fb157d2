package synce2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// TestPublishingStateMachine interleaves random changes of a published space, changes and
// deletions members make to their copies in Outlook, members leaving and joining again, the
// space unpublished and published again or renamed, a member connecting or disconnecting My Calendar,
// and publication cycles (some with every target due, some only with what changed). It
// draws timed and all-day singles and series in several zones, public and private, changes
// of all or one instance, cancelled instances, deletions, and invitations to a series or to
// one occurrence (the meeting wins over the copy). After two final cycles every member's
// space calendar equals what the space shows them, those who are not members (or everyone,
// unpublished) have no space calendar, and the last cycle writes nothing.
//
// make test draws the same cases every time (smDefaultSeed, as TestSyncStateMachine); a run
// with SYNC_RAPID_CHECKS set draws new ones, that many.
func TestPublishingStateMachine(t *testing.T) {
	rapidCases(t, "100")
	rapid.Check(t, func(rt *rapid.T) {
		scope := &caseScope{TB: t}
		defer scope.end()
		w := newPublishWorld(scope, dbtest.SQLite(scope), true)
		w.world.t = rt
		m := &pubMachine{w: w, rt: rt, published: true}
		steps := rapid.IntRange(3, 25).Draw(rt, "steps")
		for range steps {
			m.step()
		}
		w.due()
		w.cycle()
		w.due()
		if res := w.cycle(); res.Written != 0 || res.Failed != 0 {
			ts, _ := w.pubStore.Targets(context.Background(), w.space.ID)
			rt.Fatalf("the last cycle did not settle: %+v; targets %+v", res, ts)
		}
		m.check()
	})
}

type pubMachine struct {
	w         *publishWorld
	rt        *rapid.T
	n         int
	events    []int64
	published bool
}

var pubZones = []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"}

func (m *pubMachine) people() []calendar.Viewer {
	return []calendar.Viewer{m.w.user, m.w.bob.user, m.w.carol.user}
}

func (m *pubMachine) step() {
	ctx := context.Background()
	w := m.w
	switch rapid.IntRange(0, 9).Draw(m.rt, "action") {
	case 0, 1:
		m.add()
	case 2:
		m.editSpace()
	case 3:
		m.invite()
	case 4, 5:
		m.memberEdit()
	case 6:
		// carol leaves, or joins again
		if w.left[w.carol.user.UserID] {
			if err := w.cal.JoinSpace(ctx, w.carol.user, w.space.ID); err != nil {
				m.rt.Fatalf("join: %v", err)
			}
			delete(w.left, w.carol.user.UserID)
		} else {
			if err := w.cal.RemoveSpaceMember(ctx, w.user, w.space.ID, w.carol.user.UserID); err != nil {
				m.rt.Fatalf("leave: %v", err)
			}
			w.left[w.carol.user.UserID] = true
		}
	case 7:
		switch rapid.IntRange(0, 3).Draw(m.rt, "toggle") {
		case 0:
			m.published = !m.published
			if err := w.pubStore.SetPublished(ctx, w.space.ID, w.user.UserID, m.published, time.Now()); err != nil {
				m.rt.Fatalf("%v", err)
			}
		case 1:
			m.n++
			sp, err := w.cal.UpdateSpace(ctx, w.user, w.space.ID, calendar.SpaceInput{Name: fmt.Sprintf("Team %d", m.n), Visibility: calendar.SpacePublic})
			if err != nil {
				m.rt.Fatalf("rename the space: %v", err)
			}
			w.space = sp
		default:
			w.connected[w.bob.user.UserID] = !w.connected[w.bob.user.UserID]
		}
	default:
		if rapid.Bool().Draw(m.rt, "due") {
			w.due()
		}
		if res := w.cycle(); res.Failed != 0 {
			ts, _ := w.pubStore.Targets(ctx, w.space.ID)
			m.rt.Fatalf("a cycle failed: %+v; targets %+v", res, ts)
		}
	}
}

// add creates an event in the space.
func (m *pubMachine) add() {
	w := m.w
	m.n++
	by := rapid.SampledFrom(m.people()).Draw(m.rt, "organizer")
	zone := rapid.SampledFrom(pubZones).Draw(m.rt, "zone")
	loc, _ := time.LoadLocation(zone)
	day := rapid.IntRange(0, 35).Draw(m.rt, "day")
	d := w.monday.AddDate(0, 0, day)
	in := calendar.EventInput{Title: fmt.Sprintf("E%d", m.n), TimeZone: zone}
	if rapid.IntRange(0, 3).Draw(m.rt, "allDay") == 0 {
		in.AllDay = true
		in.Start = d.Format("2006-01-02")
		in.End = d.AddDate(0, 0, rapid.IntRange(0, 2).Draw(m.rt, "days")).Format("2006-01-02")
	} else {
		at := time.Date(d.Year(), d.Month(), d.Day(), rapid.IntRange(6, 20).Draw(m.rt, "hour"), 0, 0, 0, loc)
		in.Start, in.End = wall(at), wall(at.Add(time.Duration(rapid.IntRange(1, 4).Draw(m.rt, "quarters"))*15*time.Minute))
	}
	switch rapid.IntRange(0, 2).Draw(m.rt, "repeat") {
	case 1:
		in.RRule = fmt.Sprintf("FREQ=WEEKLY;COUNT=%d", rapid.IntRange(2, 6).Draw(m.rt, "count"))
	case 2:
		in.RRule = fmt.Sprintf("FREQ=DAILY;COUNT=%d", rapid.IntRange(2, 5).Draw(m.rt, "count"))
	}
	if rapid.IntRange(0, 4).Draw(m.rt, "private") == 0 {
		in.Privacy = calendar.Private
	}
	if rapid.IntRange(0, 3).Draw(m.rt, "located") == 0 {
		in.Location = "Room " + fmt.Sprint(m.n)
	}
	e := w.spaceEvent(by, in)
	m.events = append(m.events, e.ID)
}

// live picks a live event of the space, nil if none.
func (m *pubMachine) live() *calendar.Event {
	var live []*calendar.Event
	for _, id := range m.events {
		if e := m.w.event(id); e.DeletedAt == nil {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		return nil
	}
	return rapid.SampledFrom(live).Draw(m.rt, "event")
}

// instance picks an instance of e in the span.
func (m *pubMachine) instance(e *calendar.Event) (time.Time, bool) {
	from, to := m.w.span()
	occ := e.Instances(calendar.Viewer{UserID: e.OrganizerID}, from, to, false)
	if len(occ) == 0 {
		return time.Time{}, false
	}
	return rapid.SampledFrom(occ).Draw(m.rt, "instance").OriginalStart, true
}

// editSpace changes an event of the space as its organizer would.
func (m *pubMachine) editSpace() {
	ctx := context.Background()
	e := m.live()
	if e == nil {
		return
	}
	v := calendar.Viewer{UserID: e.OrganizerID}
	m.n++
	title := fmt.Sprintf("E%d", m.n)
	var err error
	switch rapid.IntRange(0, 5).Draw(m.rt, "edit") {
	case 0:
		_, _, err = m.w.cal.Edit(ctx, v, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Title: &title})
	case 1:
		loc := "Hall " + title
		_, _, err = m.w.cal.Edit(ctx, v, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: &loc})
	case 2:
		if at, ok := m.instance(e); ok && e.IsRecurring() {
			_, _, err = m.w.cal.Edit(ctx, v, e.ID, nil, calendar.ScopeInstance, at, calendar.Change{Title: &title})
		}
	case 3:
		if at, ok := m.instance(e); ok && e.IsRecurring() {
			_, err = m.w.cal.Delete(ctx, v, e.ID, nil, calendar.ScopeInstance, at)
		}
	case 4:
		_, err = m.w.cal.Delete(ctx, v, e.ID, nil, calendar.ScopeAll, time.Time{})
	default:
		p := calendar.Private
		if e.Privacy == calendar.Private {
			p = calendar.Public
		}
		_, _, err = m.w.cal.Edit(ctx, v, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Privacy: &p})
	}
	if err != nil {
		m.rt.Fatalf("edit event %d: %v", e.ID, err)
	}
}

// invite invites another member to an event, to the series or to one occurrence.
func (m *pubMachine) invite() {
	ctx := context.Background()
	e := m.live()
	if e == nil {
		return
	}
	var others []int64
	for _, p := range m.people() {
		if p.UserID != e.OrganizerID && !m.w.left[p.UserID] {
			others = append(others, p.UserID)
		}
	}
	if len(others) == 0 {
		return
	}
	who := rapid.SampledFrom(others).Draw(m.rt, "invitee")
	v := calendar.Viewer{UserID: e.OrganizerID}
	var err error
	if at, ok := m.instance(e); ok && e.IsRecurring() && rapid.Bool().Draw(m.rt, "oneInstance") {
		_, err = m.w.cal.Invite(ctx, v, e.ID, []int64{who}, calendar.ScopeInstance, at)
	} else {
		_, err = m.w.cal.Invite(ctx, v, e.ID, []int64{who}, calendar.ScopeAll, time.Time{})
	}
	if err != nil && !strings.Contains(err.Error(), "already") {
		m.rt.Fatalf("invite to event %d: %v", e.ID, err)
	}
}

// memberEdit changes or deletes a copy, or one of its occurrences, in a member's Outlook.
func (m *pubMachine) memberEdit() {
	w := m.w
	mb := rapid.SampledFrom([]string{mailbox, bobMail, carolMail}).Draw(m.rt, "mailbox")
	id := w.spaceCalendar(mb)
	if id == "" {
		return
	}
	evs, err := w.fake.EventsIn(mb, id)
	if err != nil || len(evs) == 0 {
		return
	}
	ev := rapid.SampledFrom(evs).Draw(m.rt, "copy")
	m.n++
	subject := fmt.Sprintf("Member's E%d", m.n)
	target := ev.ID
	if ev.Type == "seriesMaster" && rapid.Bool().Draw(m.rt, "occurrence") {
		from, to := w.span()
		occ, err := w.fake.Instances(mb, ev.ID, from, to)
		if err == nil && len(occ) > 0 {
			if o := rapid.SampledFrom(occ).Draw(m.rt, "occ"); !o.IsCancelled {
				target = o.ID
			}
		}
	}
	if rapid.Bool().Draw(m.rt, "delete") {
		err = w.fake.DeleteEvent(mb, target)
	} else {
		_, err = w.fake.UpdateEvent(mb, target, fakeoutlook.Change{Subject: &subject})
	}
	if err != nil {
		m.rt.Fatalf("member edit in %s: %v", mb, err)
	}
}

// check compares every mailbox's space calendar with the space: a member has one calendar
// beside the main one, named after the space; anyone else none.
func (m *pubMachine) check() {
	w := m.w
	for _, mb := range []*member{{user: w.user, email: mailbox}, w.bob, w.carol} {
		cals, err := w.fake.Calendars(mb.email)
		if err != nil {
			m.rt.Fatalf("%v", err)
		}
		want := 2
		if !m.published || w.left[mb.user.UserID] {
			want = 1
		}
		if len(cals) != want {
			m.rt.Fatalf("%s has calendars %+v, want %d (the space is %q)", mb.email, cals, want, w.space.Name)
		}
	}
	if !m.published {
		for _, mb := range []string{mailbox, bobMail, carolMail} {
			if id := w.spaceCalendar(mb); id != "" {
				m.rt.Fatalf("unpublished, and %s still has the space's calendar: %v", mb, w.copies(mb))
			}
		}
		return
	}
	if w.left[w.carol.user.UserID] {
		if id := w.spaceCalendar(carolMail); id != "" {
			m.rt.Fatalf("carol left and still has the space's calendar: %v", w.copies(carolMail))
		}
	}
	w.samePublished()
}
