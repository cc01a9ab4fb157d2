package synce2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// TestSyncStateMachine interleaves random edits on both sides (create; change one instance,
// following, all; delete one, following, all; Outlook's split and pattern change), meetings
// (invitations to all or one instance; answers for one, following or all, in My Calendar or
// in Outlook, by a connected and an unconnected invitee) with syncs and injected faults (429,
// 503, a dropped connection, an expired delta token, a crash between writing Outlook and
// saving links). After final clean syncs My Calendar and Outlook must show the same
// instances, with no duplicate series on either side and no event lost that nobody deleted;
// the organizer's Outlook attendees must be the invitees, the connected invitee must see
// each meeting once, and their answers must agree on both sides. SYNC_RAPID_CHECKS sets the number of cases (default 12; the long
// run in docs/sync.md uses more).
func TestSyncStateMachine(t *testing.T) {
	checks := "12"
	if s := os.Getenv("SYNC_RAPID_CHECKS"); s != "" {
		if _, err := strconv.Atoi(s); err == nil {
			checks = s
		}
	}
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == f.DefValue {
		if err := f.Value.Set(checks); err != nil {
			t.Fatal(err)
		}
	}
	rapid.Check(t, func(rt *rapid.T) {
		mw := newMeetingWorld(t, dbtest.SQLite(t), fakeoutlook.Options{})
		mw.world.t = rt
		w := mw.world
		m := &machine{w: w, mw: mw, rt: rt}
		steps := rapid.IntRange(3, 20).Draw(rt, "steps")
		for i := 0; i < steps; i++ {
			m.step()
		}
		w.fake.ClearFaults()
		w.engine.HookAfterWrite = nil
		for i := 0; i < 3; i++ {
			w.sync()
			mw.syncAs(mw.bob)
		}
		m.check()
		m.checkMeetings()
	})
}

type machine struct {
	w  *world
	mw *meetingWorld
	rt *rapid.T
	// made counts the local events created and not deleted by the user, by title.
	alive map[string]bool
	n     int
}

func (m *machine) step() {
	actions := []string{"create", "editInstance", "editFollowing", "editAll", "deleteInstance", "deleteFollowing", "deleteAll",
		"outlookEditOccurrence", "outlookDeleteOccurrence", "outlookSplit", "outlookPattern", "outlookEditSeries", "outlookCreate",
		"sync", "syncFault",
		// Meetings, drawn more often so that most cases have some.
		"invite", "invite", "invite", "answerLocal", "answerLocal", "answerOutlook", "answerOutlook", "syncBob", "syncBob"}
	switch a := rapid.SampledFrom(actions).Draw(m.rt, "action"); a {
	case "invite":
		m.invite()
	case "answerLocal":
		m.answerLocal()
	case "answerOutlook":
		m.answerOutlook()
	case "syncBob":
		m.syncBob()
	case "create":
		m.create()
	case "outlookCreate":
		m.outlookCreate()
	case "sync":
		m.sync("")
	case "syncFault":
		m.sync(rapid.SampledFrom([]string{"throttle", "unavailable", "drop", "gone", "crash"}).Draw(m.rt, "fault"))
	default:
		if a[:7] == "outlook" {
			m.outlook(a)
		} else {
			m.local(a)
		}
	}
}

func (m *machine) title() string {
	m.n++
	return fmt.Sprintf("Event %d", m.n)
}

func (m *machine) create() {
	day := rapid.IntRange(0, 20).Draw(m.rt, "day")
	hour := rapid.IntRange(8, 17).Draw(m.rt, "hour")
	rule := rapid.SampledFrom([]string{"", "FREQ=DAILY;COUNT=10", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=WEEKLY;INTERVAL=2;COUNT=6"}).Draw(m.rt, "rule")
	start := m.w.at(day, hour, 0)
	m.w.create(calendar.EventInput{Title: m.title(), Start: wall(start), End: wall(start.Add(45 * time.Minute)), RRule: rule})
}

func (m *machine) outlookCreate() {
	day := rapid.IntRange(0, 20).Draw(m.rt, "day")
	start := m.w.at(day, rapid.IntRange(8, 17).Draw(m.rt, "hour"), 30)
	spec := fakeoutlook.EventSpec{Subject: m.title(), Start: start, End: start.Add(time.Hour), TimeZone: "Europe/Berlin"}
	if rapid.Bool().Draw(m.rt, "series") {
		spec.Recurrence = weeklyOn(rapid.SampledFrom([]string{"monday", "tuesday", "friday"}).Draw(m.rt, "weekday"))
		spec.Recurrence.Range = fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: rapid.IntRange(2, 8).Draw(m.rt, "count")}
	}
	if _, err := m.w.fake.CreateEvent(mailbox, spec); err != nil {
		m.rt.Fatalf("outlook create: %v", err)
	}
}

// pickLocal draws a live local event and one of its instances in the span.
func (m *machine) pickLocal() (*calendar.Event, calendar.Occurrence, bool) {
	from, to := m.w.span()
	evs, err := m.w.cal.OrganizedEvents(context.Background(), m.w.user.UserID, nil, from, to)
	if err != nil {
		m.rt.Fatalf("list: %v", err)
	}
	if len(evs) == 0 {
		return nil, calendar.Occurrence{}, false
	}
	e := evs[rapid.IntRange(0, len(evs)-1).Draw(m.rt, "event")]
	occ := e.Instances(m.w.user, from, to, false)
	if len(occ) == 0 {
		return nil, calendar.Occurrence{}, false
	}
	return e, occ[rapid.IntRange(0, len(occ)-1).Draw(m.rt, "instance")], true
}

func (m *machine) local(action string) {
	e, oc, ok := m.pickLocal()
	if !ok {
		return
	}
	ctx := context.Background()
	var err error
	ch := calendar.Change{Title: ptr(oc.Title + "'")}
	if rapid.Bool().Draw(m.rt, "move") {
		ch = calendar.Change{Location: ptr("Room " + strconv.Itoa(m.n))}
	}
	switch action {
	case "editInstance":
		_, _, err = m.w.cal.Edit(ctx, m.w.user, e.ID, nil, calendar.ScopeInstance, oc.OriginalStart, ch)
	case "editFollowing":
		_, _, err = m.w.cal.Edit(ctx, m.w.user, e.ID, nil, calendar.ScopeFollowing, oc.OriginalStart, ch)
	case "editAll":
		_, _, err = m.w.cal.Edit(ctx, m.w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, ch)
	case "deleteInstance":
		_, err = m.w.cal.Delete(ctx, m.w.user, e.ID, nil, calendar.ScopeInstance, oc.OriginalStart)
	case "deleteFollowing":
		_, err = m.w.cal.Delete(ctx, m.w.user, e.ID, nil, calendar.ScopeFollowing, oc.OriginalStart)
	case "deleteAll":
		_, err = m.w.cal.Delete(ctx, m.w.user, e.ID, nil, calendar.ScopeAll, time.Time{})
	}
	if err != nil {
		m.rt.Fatalf("%s: %v", action, err)
	}
}

// pickRemote draws an Outlook event the user organizes and one of its occurrences.
func (m *machine) pickRemote() (fakeoutlook.Event, fakeoutlook.Event, bool) {
	evs, err := m.w.fake.Events(mailbox)
	if err != nil {
		m.rt.Fatalf("outlook events: %v", err)
	}
	if len(evs) == 0 {
		return fakeoutlook.Event{}, fakeoutlook.Event{}, false
	}
	master := evs[rapid.IntRange(0, len(evs)-1).Draw(m.rt, "master")]
	if master.Type != "seriesMaster" {
		return master, master, true
	}
	from, to := m.w.span()
	inst, err := m.w.fake.Instances(mailbox, master.ID, from, to)
	if err != nil || len(inst) == 0 {
		return master, fakeoutlook.Event{}, false
	}
	return master, inst[rapid.IntRange(0, len(inst)-1).Draw(m.rt, "occurrence")], true
}

func (m *machine) outlook(action string) {
	master, occ, ok := m.pickRemote()
	if !ok {
		return
	}
	var err error
	series := master.Type == "seriesMaster"
	switch {
	case action == "outlookEditSeries" || !series:
		_, err = m.w.fake.UpdateEvent(mailbox, master.ID, fakeoutlook.Change{Subject: ptr(master.Subject + "*")})
	case action == "outlookEditOccurrence":
		_, err = m.w.fake.UpdateOccurrence(mailbox, master.ID, occ.OriginalStart, fakeoutlook.Change{Location: ptr("Outlook room " + strconv.Itoa(m.n))})
	case action == "outlookDeleteOccurrence":
		err = m.w.fake.DeleteOccurrence(mailbox, master.ID, occ.OriginalStart)
	case action == "outlookSplit":
		if !m.laterOccurrence(master, occ) {
			return // Outlook's split at the first occurrence is an edit of the whole series
		}
		_, err = m.w.fake.SplitSeries(mailbox, master.ID, occ.OriginalStart, fakeoutlook.Change{Location: ptr("Split " + strconv.Itoa(m.n))})
	case action == "outlookPattern":
		rec := *master.Recurrence
		rec.Pattern.DaysOfWeek = []string{rapid.SampledFrom([]string{"monday", "wednesday", "friday"}).Draw(m.rt, "newday")}
		rec.Pattern.Type = "weekly"
		_, err = m.w.fake.ChangePattern(mailbox, master.ID, rec)
	}
	if err != nil {
		m.rt.Fatalf("%s: %v", action, err)
	}
}

func (m *machine) sync(fault string) {
	w := m.w
	var remove func()
	switch fault {
	case "throttle":
		remove = w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Mailbox: mailbox, Times: 1, RetryAfter: 0})
	case "unavailable":
		remove = w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultUnavailable, Mailbox: mailbox, Times: 1})
	case "drop":
		remove = w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultDropConnection, Mailbox: mailbox, Times: 1})
	case "gone":
		if err := w.fake.ExpireDeltaTokens(mailbox); err != nil {
			m.rt.Fatalf("expire: %v", err)
		}
	case "crash":
		w.engine.HookAfterWrite = func() error { return errCrash }
	}
	// A cycle may fail under a fault; that is allowed, losing or duplicating is not.
	_, _ = w.engine.Cycle(context.Background(), outlooksync.Job{UserID: w.user.UserID, CalendarID: w.calID, Graph: w.graph})
	if remove != nil {
		remove()
	}
	w.engine.HookAfterWrite = nil
}

func (m *machine) check() {
	w := m.w
	w.same()
	links, err := w.store.Links(context.Background(), w.user.UserID)
	if err != nil {
		m.rt.Fatalf("links: %v", err)
	}
	byRemote := map[string]int{}
	for _, l := range links {
		byRemote[l.RemoteID]++
		if byRemote[l.RemoteID] > 1 {
			m.rt.Fatalf("Outlook item %s linked twice", l.RemoteID)
		}
	}
	evs, _ := w.fake.Events(mailbox)
	markers := map[string]bool{}
	for _, e := range evs {
		for _, p := range e.ExtendedProperties {
			if markers[p.Value] {
				m.rt.Fatalf("two Outlook items carry marker %s: a duplicate", p.Value)
			}
			markers[p.Value] = true
		}
	}
}

// laterOccurrence reports whether occ is not the first occurrence of master.
func (m *machine) laterOccurrence(master, occ fakeoutlook.Event) bool {
	inst, err := m.w.fake.Instances(mailbox, master.ID, master.Start.AddDate(0, 0, -1), occ.OriginalStart)
	if err != nil {
		return false
	}
	for _, in := range inst {
		if in.OriginalStart.Before(occ.OriginalStart) {
			return true
		}
	}
	return false
}
