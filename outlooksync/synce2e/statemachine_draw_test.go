package synce2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pgregory.net/rapid"

	"intracal/calendar"
)

// The edits of the state machine here, in My Calendar (statemachine_draw_outlook_test.go has
// those in Outlook), and the labels both sides draw.

// drawnAllDay is an all-day event as drawn: the dates of its instances (and how many days
// each lasts) between from and to, and whether anyone moved or deleted any of them since.
type drawnAllDay struct {
	dates    map[string]bool
	days     int
	from, to string // the dates drawn are known in [from, to)
	moved    bool   // an instance, the pattern or the event was moved
	thinned  bool   // an instance or more was deleted
	nonempty bool
}

// titleRoot is the drawn title of an instance: edits append ' (here) and * (in Outlook).
func titleRoot(title string) string { return strings.TrimRight(title, "'*") }

func (m *machine) drawnOf(title string) *drawnAllDay { return m.drawn[titleRoot(title)] }

func (m *machine) markMoved(title string) {
	if d := m.drawnOf(title); d != nil {
		d.moved = true
	}
}

func (m *machine) markThinned(title string) {
	if d := m.drawnOf(title); d != nil {
		d.thinned = true
	}
}

// drawnRange is where the dates of a drawn event are recorded: a week before monday to
// 400 days on.
func (m *machine) drawnRange() (time.Time, time.Time) {
	from := m.monday().AddDate(0, 0, -7)
	return from, from.AddDate(0, 0, 400)
}

var (
	smTimedRules  = []string{"", "FREQ=DAILY;COUNT=10", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=WEEKLY;INTERVAL=2;COUNT=6"}
	smAllDayRules = []string{"", "", "FREQ=DAILY;COUNT=5", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=WEEKLY;INTERVAL=2;COUNT=6"}
)

func (m *machine) create() {
	day := rapid.IntRange(0, 20).Draw(m.rt, "day")
	zone := smPick(smLocalZones).Draw(m.rt, "zone")
	privacy := smPick([]calendar.Privacy{calendar.Public, calendar.Public, calendar.Public, calendar.Private}).Draw(m.rt, "privacy")
	in := calendar.EventInput{Title: m.title(), TimeZone: zone, Privacy: privacy}
	allDay := smPick([]bool{false, false, true}).Draw(m.rt, "allDay")
	days := 1
	if allDay {
		days = smPick([]int{1, 1, 1, 2}).Draw(m.rt, "days")
		in.AllDay, in.Start, in.End = true, m.date(day), m.date(day+days-1) // the end is the last day
		in.RRule = smPick(smAllDayRules).Draw(m.rt, "rule")
	} else {
		loc := smZone(zone)
		start := m.at(day, rapid.IntRange(8, 17).Draw(m.rt, "hour"), 0, loc)
		in.Start, in.End = wall(start), wall(start.Add(45*time.Minute))
		in.RRule = smPick(smTimedRules).Draw(m.rt, "rule")
	}
	e := m.w.create(in)
	m.did[fmt.Sprintf("local allDay=%v series=%v %s", allDay, in.RRule != "", privacy)]++
	if !allDay {
		return
	}
	from, to := m.drawnRange()
	d := &drawnAllDay{dates: map[string]bool{}, days: days, from: from.Format(smDate), to: to.Format(smDate)}
	for _, o := range e.Instances(m.w.user, from, to, false) {
		d.dates[o.Start.UTC().Format(smDate)] = true
	}
	d.nonempty = len(d.dates) > 0
	m.drawn[in.Title] = d
}

// pickLocal draws a live local event and one of its instances in the span.
func (m *machine) pickLocal() (*calendar.Event, calendar.Occurrence, bool) {
	from, to := m.span()
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
	case "moveInstance":
		start, ok := m.localMove(e, oc)
		if !ok {
			return
		}
		_, _, err = m.w.cal.Edit(ctx, m.w.user, e.ID, nil, calendar.ScopeInstance, oc.OriginalStart, calendar.Change{Start: wallp(start)})
		if oc.AllDay {
			m.markMoved(oc.Title)
		}
	case "labels":
		cats, rem := m.drawLabels()
		_, _, err = m.w.cal.Edit(ctx, m.w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Categories: &cats, Reminder: &rem})
	case "privacy":
		p := calendar.Private
		if e.Privacy == calendar.Private {
			p = calendar.Public
		}
		_, _, err = m.w.cal.Edit(ctx, m.w.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Privacy: &p})
	case "deleteInstance":
		_, err = m.w.cal.Delete(ctx, m.w.user, e.ID, nil, calendar.ScopeInstance, oc.OriginalStart)
		m.markThinned(oc.Title)
	case "deleteFollowing":
		_, err = m.w.cal.Delete(ctx, m.w.user, e.ID, nil, calendar.ScopeFollowing, oc.OriginalStart)
		m.markThinned(oc.Title)
	case "deleteAll":
		_, err = m.w.cal.Delete(ctx, m.w.user, e.ID, nil, calendar.ScopeAll, time.Time{})
		m.markThinned(oc.Title)
	}
	if err != nil {
		full, _ := m.w.cal.GetFull(context.Background(), e.ID)
		for _, sg := range full.Segments {
			m.rt.Logf("the event's segment %s start %v zone %s dur %v allDay %v rule %v", sg.UID, sg.Start, sg.TimeZone, sg.Duration, sg.AllDay, sg.Rule)
		}
		for _, o := range full.Overrides {
			m.rt.Logf("its override %v cancelled %v start %v", o.OriginalStart, o.Cancelled, o.Start)
		}
		m.rt.Fatalf("%s: %v", action, err)
	}
	m.did["did "+action]++
}

// localMove is a new start for an instance: an hour later, or for an all-day one the next
// day. Like Outlook (which refuses it) it never moves an instance onto or past the day of
// another one, nor onto the day of another part of the event in Outlook (a split not yet
// synced: the duplicate check could not tell that move from a duplicate); ok is false when
// it would.
func (m *machine) localMove(e *calendar.Event, oc calendar.Occurrence) (string, bool) {
	if !oc.AllDay {
		return wall(oc.Start.Add(time.Hour)), true
	}
	next := oc.Start.UTC().AddDate(0, 0, 1)
	for _, o := range m.outlookInstances() {
		if o.allDay && titleRoot(o.title) == titleRoot(oc.Title) && o.date == next.Format(smDate) {
			return "", false
		}
	}
	for _, o := range e.Instances(m.w.user, oc.Start.AddDate(0, 0, -3), oc.End.AddDate(0, 0, 3), false) {
		if o.OriginalStart.Equal(oc.OriginalStart) {
			continue
		}
		if s := o.Start.UTC(); !s.Before(oc.Start.UTC()) && !s.After(next) {
			return "", false
		}
	}
	return next.Format(smDate), true
}

// drawLabels draws categories (none, a colour, or a colour and a name of the user's own) and a
// reminder (none, at the start, or some minutes before), as either side's user sets them.
func (m *machine) drawLabels() ([]string, calendar.Reminder) {
	var cats []string
	switch rapid.IntRange(0, 2).Draw(m.rt, "categories") {
	case 1:
		cats = []string{smPick(calendar.ColourCategories).Draw(m.rt, "colour")}
	case 2:
		cats = []string{smPick(calendar.ColourCategories).Draw(m.rt, "colour"), "Project " + strconv.Itoa(m.n)}
	}
	rem := smPick([]calendar.Reminder{{}, {On: true}, calendar.DefaultReminder, {On: true, Minutes: 60}}).Draw(m.rt, "reminder")
	m.n++
	return cats, rem
}
