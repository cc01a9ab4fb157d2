package synce2e

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// TestSyncStateMachine interleaves random edits on both sides with syncs and injected faults
// (429, 503, a dropped connection, an expired delta token, a crash between writing Outlook and
// saving links) and a clock that jumps ahead by days to months, so that the window slides.
//
// It draws, here: timed and all-day singles and series in zones from sm*Zones (some outside
// Graph's IANA list, most other than the profile's), public or private; changes of one
// instance, the following ones or all; moves of an instance; privacy changes; deletions of
// one, following or all. In Outlook: timed and all-day singles and series, some private or
// confidential; changes and moves of occurrences, changes of a series, its sensitivity and
// pattern; deletions of occurrences and of whole items; Outlook's split, two splits of one
// series with no sync between, a sync (possibly failing) between the two writes of a split,
// and bursts of several edits between syncs. Meetings: invitations to all or one instance,
// answers for one, following or all, in My Calendar or in Outlook, by a connected (bob) and
// an unconnected (carol) invitee.
//
// After final clean syncs, enough for the backstop to re-read every linked series, it checks
// (checks in statemachine_invariants_test.go): My Calendar and Outlook show the same
// instances in the span, all-day ones by date; no duplicate series on either side; the
// meeting invariants (checkMeetings); nothing private is visible to another user and
// Outlook's sensitivity matches privacy here for every linked item; no all-day instance moved
// a day. SYNC_RAPID_CHECKS sets the number of cases (default 12; the long run in
// docs/sync.md uses more).
func TestSyncStateMachine(t *testing.T) {
	rapidCases(t, "12")
	rapid.Check(t, func(rt *rapid.T) {
		scope := &caseScope{TB: t}
		defer scope.end()
		mw := newMeetingWorld(scope, dbtest.SQLite(scope), fakeoutlook.Options{})
		mw.world.t = rt
		m := newMachine(mw, rt)
		steps := rapid.IntRange(5, 40).Draw(rt, "steps")
		for i := 0; i < steps; i++ {
			m.step()
		}
		m.settle()
		m.check()
		m.checkMeetings()
		m.checkPrivacy()
		m.checkLabels()
		m.checkAllDay()
		m.tally()
	})
	if os.Getenv("SYNC_SM_STATS") != "" {
		t.Logf("what the cases did: %v", smStats)
	}
}

type machine struct {
	w  *world
	mw *meetingWorld
	rt *rapid.T
	n  int
	// start is when the case began; the engines' clock and the machine's today run shift
	// ahead of it (advanceClock).
	start time.Time
	shift time.Duration
	// drawn are the all-day events drawn, by title (see titleRoot).
	drawn map[string]*drawnAllDay
	// split are the Outlook series the Outlook user split.
	split map[string]bool
	// did counts what the case did, for SYNC_SM_STATS.
	did map[string]int
}

// smDefaultSeed is the seed of make test's cases.
const smDefaultSeed = "20261202"

// smStats sums the cases' did (rapid runs them one after the other).
var smStats = map[string]int{}

func (m *machine) tally() {
	for k, v := range m.did {
		smStats[k] += v
	}
	smStats["cases"]++
}

func newMachine(mw *meetingWorld, rt *rapid.T) *machine {
	m := &machine{w: mw.world, mw: mw, rt: rt, start: time.Now(), drawn: map[string]*drawnAllDay{}, did: map[string]int{}, split: map[string]bool{}}
	clock := func() time.Time { return time.Now().Add(m.shift) }
	m.w.engine.Now = clock
	mw.bob.engine.Now = clock
	return m
}

// actions are what a step draws from (smPick: each entry as often as another); some are
// listed more than once to be drawn more often.
var actions = []string{
	"create", "create", "create", "editInstance", "editFollowing", "editAll", "moveInstance", "privacy", "labels",
	"deleteInstance", "deleteFollowing", "deleteAll",
	"outlookCreate", "outlookCreate", "outlookCreate", "outlookEditOccurrence", "outlookMoveOccurrence", "outlookDeleteOccurrence",
	"outlookSplit", "outlookPattern", "outlookEditSeries", "outlookPrivacy", "outlookLabels", "outlookDelete",
	"outlookSplitHalfway", "outlookSplitHalfway", "outlookSplitTwice", "outlookSplitTwice", "outlookBurst", "outlookBurst",
	"sync", "sync", "sync", "syncFault", "syncFault", "advanceClock",
	// Meetings.
	"invite", "invite", "answerLocal", "answerOutlook", "syncBob", "syncBob",
}

func (m *machine) step() {
	a := smPick(actions).Draw(m.rt, "action")
	m.did["drawn "+a]++
	defer m.traceState(a)
	switch a {
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
		m.sync(m.fault())
	case "advanceClock":
		m.advanceClock()
	case "outlookBurst":
		m.outlookBurst()
	case "outlookSplitHalfway":
		m.outlookSplitHalfway()
	case "outlookSplitTwice":
		m.outlookSplitTwice()
	case "editInstance", "editFollowing", "editAll", "moveInstance", "privacy", "labels", "deleteInstance", "deleteFollowing", "deleteAll":
		m.local(a)
	default:
		m.outlook(a)
	}
}

func (m *machine) title() string {
	m.n++
	return fmt.Sprintf("Event %d", m.n)
}

func (m *machine) fault() string {
	faults := []string{"throttle", "unavailable", "drop", "gone", "crash"}
	return smPick(faults).Draw(m.rt, "fault")
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
	res, err := w.engine.Cycle(context.Background(), outlooksync.Job{UserID: w.user.UserID, CalendarID: w.calID, Graph: w.graph})
	m.traceCycle("alice", fault, res, err)
	if remove != nil {
		remove()
	}
	w.engine.HookAfterWrite = nil
}

// settle runs the final clean syncs: a pair of alice's and bob's cycles, then as many pairs
// as the backstop needs to re-read every linked series once more (it re-reads
// Engine.BackstopSeries of them a cycle, in turn), and one more.
func (m *machine) settle() {
	w := m.w
	w.fake.ClearFaults()
	w.engine.HookAfterWrite = nil
	pair := func() {
		m.traceCycle("alice (final)", "", w.sync(), nil)
		m.traceCycle("bob (final)", "", m.mw.syncAs(m.mw.bob), nil)
	}
	pair()
	ctx := context.Background()
	links, err := w.store.Links(ctx, w.user.UserID)
	if err != nil {
		m.rt.Fatalf("links: %v", err)
	}
	series := 0
	for _, l := range links {
		if l.Base.Series.Rule != "" {
			series++
		}
	}
	atts, err := w.store.Attendances(ctx, m.mw.bob.user.UserID)
	if err != nil {
		m.rt.Fatalf("attendances: %v", err)
	}
	copies := 0
	for _, a := range atts {
		if a.EventID != 0 && a.Instance == nil {
			copies++
		}
	}
	per := max(w.engine.BackstopSeries, 1)
	rounds := (max(series, copies)+per-1)/per + 1
	for i := 0; i < max(rounds, 2); i++ {
		pair()
	}
}

func (m *machine) check() {
	w := m.w
	m.same()
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

// smTrace, from SYNC_SM_TRACE, logs each step's cycles (1) and both sides after each step
// (2), and each event's segments, the links and the Outlook items too (3): for replaying
// a failure file.
var smTrace, _ = strconv.Atoi(os.Getenv("SYNC_SM_TRACE"))

func (m *machine) traceCycle(who, fault string, res outlooksync.Result, err error) {
	if smTrace == 0 {
		return
	}
	m.rt.Logf("  cycle of %s (fault %q, clock +%v): err %v; read %d, pulled %d, pushed %d, failed %d, new window %v, full read %v",
		who, fault, m.shift, err, res.Read, res.Pulled, res.Pushed, res.Failed, res.NewWindow, res.FullRead)
	for _, h := range res.History {
		m.rt.Logf("    %d %s: %s (%s)", h.EventID, h.Direction, h.Summary, h.Detail)
	}
}

func (m *machine) traceState(action string) {
	if smTrace < 2 {
		return
	}
	m.rt.Logf("after %s: My Calendar\n    %s\n  Outlook\n    %s", action, strings.Join(smLines(m.localInstances()), "\n    "), strings.Join(smLines(m.outlookInstances()), "\n    "))
	if smTrace < 3 {
		return
	}
	from, to := m.span()
	evs, _ := m.w.cal.OrganizedEvents(context.Background(), m.w.user.UserID, nil, from, to)
	for _, e := range evs {
		for _, sg := range e.Segments {
			m.rt.Logf("  event %d segment %s: %s %v %s allDay %v rule %v", e.ID, sg.UID[:6], sg.Title, sg.Start, sg.TimeZone, sg.AllDay, sg.Rule)
		}
	}
	links, _ := m.w.store.Links(context.Background(), m.w.user.UserID)
	for _, l := range links {
		m.rt.Logf("  link event %d segment %s -> %s base %s %s", l.EventID, l.SegmentUID[:6], l.RemoteID[len(l.RemoteID)-6:], l.Base.Series.When.Start, l.Base.Series.Rule)
	}
	items, _ := m.w.fake.Events(mailbox)
	for _, it := range items {
		m.rt.Logf("  outlook %s: %s %s %v", it.ID[len(it.ID)-6:], it.Subject, it.Type, it.Start)
	}
}
