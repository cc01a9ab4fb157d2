package synce2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// TestPushStateMachine draws what Outlook and Graph do to a connection that two app
// instances on one database watch by change notifications, with the schedule at 30 minutes
// so that it never polls: events created (timed or all-day, single or repeating, private or
// not, in zones on and off Graph's list), renamed and deleted in Outlook, several between
// two deliveries; deliveries late, duplicated, out of order or lost; the lifecycle events
// (missed, reauthorizationRequired, subscriptionRemoved) and the subscriptions' upkeep. Its
// invariant: whenever the notifications have settled and none was lost since My Calendar
// last matched, My Calendar equals Outlook without any poll; at the end, one poll (the
// backstop) makes them equal whatever was lost.
//
// make test draws the same 20 cases every time (smDefaultSeed); SYNC_RAPID_CHECKS draws that
// many new ones.
func TestPushStateMachine(t *testing.T) {
	rapidCases(t, "20")
	rapid.Check(t, func(rt *rapid.T) {
		scope := &caseScope{TB: t}
		defer scope.end()
		w := newPushWorld(scope, dbtest.SQLite(scope), pushOptions{instances: 2, coalesce: 50 * time.Millisecond})
		w.world.t = rt
		w.subscribed()
		m := &pushMachine{w: w, rt: rt}
		for range rapid.IntRange(3, 20).Draw(rt, "steps") {
			m.step()
		}
		w.fake.SetNotificationFaults(fakeoutlook.NotificationFaults{})
		w.maintain()
		w.settle()
		if !m.lossy && !m.unseen {
			m.same()
		}
		if _, err := w.instances[1].sched.SyncNow(context.Background(), w.user.UserID); err != nil {
			rt.Fatalf("the backstop's poll: %v", err)
		}
		m.same()
	})
}

type pushMachine struct {
	w     *pushWorld
	rt    *rapid.T
	n     int
	lose  bool // notifications are being lost now
	lossy bool // one was lost since My Calendar last matched
	// gap: Graph removed the subscription and the upkeep has not yet made another; unseen:
	// a change was made in such a gap (the cycle after the next subscription brings it).
	gap, unseen bool
}

// changed notes a change made in Outlook.
func (m *pushMachine) changed() {
	m.lossy = m.lossy || m.lose
	m.unseen = m.unseen || m.gap
}

func (m *pushMachine) step() {
	w, rt := m.w, m.rt
	switch rapid.IntRange(0, 9).Draw(rt, "action") {
	case 0, 1, 2:
		m.create()
		m.changed()
	case 3, 4:
		if id, ok := m.pick(); ok {
			m.n++
			subject := fmt.Sprintf("E%d renamed", m.n)
			if _, err := w.fake.UpdateEvent(mailbox, id, fakeoutlook.Change{Subject: &subject}); err != nil {
				rt.Fatalf("rename in Outlook: %v", err)
			}
			m.changed()
		}
	case 5:
		if id, ok := m.pick(); ok {
			if err := w.fake.DeleteEvent(mailbox, id); err != nil {
				rt.Fatalf("delete in Outlook: %v", err)
			}
			m.changed()
		}
	case 6:
		f := fakeoutlook.NotificationFaults{
			Duplicate: rapid.Bool().Draw(rt, "duplicate"),
			Reorder:   rapid.Bool().Draw(rt, "reorder"),
			Lose:      rapid.IntRange(0, 3).Draw(rt, "lose") == 0,
			Delay:     time.Duration(rapid.IntRange(0, 2).Draw(rt, "delay")) * 100 * time.Millisecond,
		}
		m.lose = f.Lose
		w.fake.SetNotificationFaults(f)
	case 7:
		subs := w.fake.Subscriptions()
		if len(subs) == 0 {
			w.maintain()
			return
		}
		event := rapid.SampledFrom([]string{"missed", "reauthorizationRequired", "subscriptionRemoved"}).Draw(rt, "lifecycle")
		if err := w.fake.SendLifecycle(subs[0].ID, event); err != nil {
			rt.Fatalf("lifecycle: %v", err)
		}
		switch {
		case event != "subscriptionRemoved":
		case m.lose:
			// The removal's notice is lost too: nothing subscribes again until the upkeep
			// finds out at its next renewal, days later; the changes meanwhile are lost.
			m.gap, m.lossy = true, true
		default:
			m.gap = true
		}
	case 8:
		if m.gap {
			w.settle() // the removal's notice has arrived
		}
		w.maintain()
		if !m.lossy {
			// A new subscription, and the cycle after it, which finds what the gap hid.
			m.gap = false
			w.settle()
			m.unseen = false
		}
	case 9:
		w.settle()
		if !m.lossy && !m.unseen {
			m.same()
		}
	}
}

// pick draws one of the mailbox's live singles and series.
func (m *pushMachine) pick() (string, bool) {
	evs, err := m.w.fake.Events(mailbox)
	if err != nil {
		m.rt.Fatalf("%v", err)
	}
	if len(evs) == 0 {
		return "", false
	}
	return evs[rapid.IntRange(0, len(evs)-1).Draw(m.rt, "event")].ID, true
}

// create makes an event in the mailbox as its owner does in Outlook. What the sync makes of
// times and zones is TestSyncStateMachine's to prove; the variety here is what a notified
// cycle must bring as well as a polled one. Events stay well inside the compared span.
func (m *pushMachine) create() {
	w, rt := m.w, m.rt
	m.n++
	zone := smPick(smOutlookZones).Draw(rt, "zone")
	loc := smZone(zone)
	day := w.monday.AddDate(0, 0, rapid.IntRange(1, 20).Draw(rt, "day"))
	spec := fakeoutlook.EventSpec{Subject: fmt.Sprintf("E%d", m.n), TimeZone: zone,
		Sensitivity: smPick([]string{"", "", "private"}).Draw(rt, "sensitivity")}
	if rapid.IntRange(0, 3).Draw(rt, "allDay") == 0 {
		spec.IsAllDay = true
		spec.Start = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
		spec.End = spec.Start.AddDate(0, 0, rapid.IntRange(1, 2).Draw(rt, "days"))
	} else {
		spec.Start = time.Date(day.Year(), day.Month(), day.Day(), rapid.IntRange(8, 17).Draw(rt, "hour"), 30, 0, 0, loc)
		spec.End = spec.Start.Add(time.Hour)
	}
	switch smPick([]string{"single", "single", "weekly", "daily"}).Draw(rt, "series") {
	case "weekly":
		spec.Recurrence = weeklyOn(smPick([]string{"monday", "wednesday", "friday"}).Draw(rt, "weekday"))
		spec.Recurrence.Range = fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: rapid.IntRange(2, 4).Draw(rt, "count")}
	case "daily":
		spec.Recurrence = &fakeoutlook.PatternedRecurrence{Pattern: fakeoutlook.RecurrencePattern{Type: "daily", Interval: rapid.IntRange(1, 3).Draw(rt, "interval")},
			Range: fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: rapid.IntRange(2, 5).Draw(rt, "count")}}
	}
	if _, err := w.fake.CreateEvent(mailbox, spec); err != nil {
		rt.Fatalf("create in Outlook: %v", err)
	}
}

// same fails unless My Calendar and Outlook hold the same instances, told by their titles
// (an all-day instance starts at midnight UTC here and at its zone's midnight in Outlook, so
// their starts differ by design; the sync's own test compares those).
func (m *pushMachine) same() {
	m.rt.Helper()
	titles := func(lines []string) []string {
		out := make([]string, len(lines))
		for i, l := range lines {
			_, out[i], _ = strings.Cut(l, " ")
		}
		slices.Sort(out)
		return out
	}
	l, o := titles(m.w.local()), titles(m.w.outlook())
	if !slices.Equal(l, o) {
		m.rt.Fatalf("My Calendar and Outlook differ.\nMy Calendar (%d): %q\nOutlook (%d): %q", len(l), l, len(o), o)
	}
}
