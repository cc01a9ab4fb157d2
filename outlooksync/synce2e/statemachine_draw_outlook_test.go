package synce2e

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"pgregory.net/rapid"

	"intracal/outlooksync/fakeoutlook"
)

// The state machine's edits in Outlook: creates, changes of occurrences and series, bursts of
// several edits between two syncs, and "this and all following", once or twice.
func (m *machine) outlookCreate() {
	day := rapid.IntRange(0, 20).Draw(m.rt, "day")
	zone := smPick(smOutlookZones).Draw(m.rt, "zone")
	loc := smZone(zone)
	spec := fakeoutlook.EventSpec{Subject: m.title(), TimeZone: zone,
		Sensitivity: smPick([]string{"", "", "", "private", "confidential", "personal"}).Draw(m.rt, "sensitivity")}
	allDay := smPick([]bool{false, false, true}).Draw(m.rt, "allDay")
	days := 1
	if allDay {
		days = smPick([]int{1, 1, 1, 2}).Draw(m.rt, "days")
		spec.IsAllDay = true
		spec.Start = m.at(day, 0, 0, loc)
		spec.End = m.at(day+days, 0, 0, loc)
	} else {
		spec.Start = m.at(day, rapid.IntRange(8, 17).Draw(m.rt, "hour"), 30, loc)
		spec.End = spec.Start.Add(time.Hour)
	}
	switch smPick([]string{"single", "weekly", "weekly", "daily"}).Draw(m.rt, "series") {
	case "weekly":
		spec.Recurrence = weeklyOn(smPick([]string{"monday", "tuesday", "friday"}).Draw(m.rt, "weekday"))
		spec.Recurrence.Range = fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: rapid.IntRange(2, 8).Draw(m.rt, "count")}
	case "daily":
		spec.Recurrence = &fakeoutlook.PatternedRecurrence{Pattern: fakeoutlook.RecurrencePattern{Type: "daily", Interval: rapid.IntRange(1, 3).Draw(m.rt, "interval")},
			Range: fakeoutlook.RecurrenceRange{Type: "numbered", NumberOfOccurrences: rapid.IntRange(2, 6).Draw(m.rt, "count")}}
	}
	ev, err := m.w.fake.CreateEvent(mailbox, spec)
	if err != nil {
		m.rt.Fatalf("outlook create: %v", err)
	}
	m.did[fmt.Sprintf("outlook allDay=%v series=%v %s", allDay, spec.Recurrence != nil, spec.Sensitivity)]++
	if !allDay {
		return
	}
	from, to := m.drawnRange()
	d := &drawnAllDay{dates: map[string]bool{}, days: days, from: from.Format(smDate), to: to.Format(smDate)}
	inst := []fakeoutlook.Event{ev}
	if ev.Type == "seriesMaster" {
		if inst, err = m.w.fake.Instances(mailbox, ev.ID, from.AddDate(0, 0, -1), to.AddDate(0, 0, 1)); err != nil {
			m.rt.Fatalf("instances: %v", err)
		}
	}
	for _, in := range inst {
		if date := in.Start.In(smZone(in.TimeZone)).Format(smDate); date >= d.from && date < d.to {
			d.dates[date] = true
		}
	}
	d.nonempty = len(d.dates) > 0
	m.drawn[spec.Subject] = d
}

// pickRemote draws an Outlook item the user organizes with an instance in the span, and
// one of its occurrences (the item itself for a single event).
func (m *machine) pickRemote() (fakeoutlook.Event, fakeoutlook.Event, bool) {
	return m.pickRemoteWhere(false)
}

// pickRemoteWhere is pickRemote; with split, only series with two instances or more in
// the span, and an occurrence after their first.
func (m *machine) pickRemoteWhere(split bool) (fakeoutlook.Event, fakeoutlook.Event, bool) {
	evs, err := m.w.fake.Events(mailbox)
	if err != nil {
		m.rt.Fatalf("outlook events: %v", err)
	}
	from, to := m.span()
	type cand struct {
		item fakeoutlook.Event
		inst []fakeoutlook.Event
	}
	var cands []cand
	for _, e := range evs {
		if !e.IsOrganizer {
			continue
		}
		if e.Type != "seriesMaster" {
			if !split && e.End.After(from) && e.Start.Before(to) {
				cands = append(cands, cand{e, []fakeoutlook.Event{e}})
			}
			continue
		}
		inst, err := m.w.fake.Instances(mailbox, e.ID, from, to)
		if err != nil || len(inst) == 0 {
			continue
		}
		if split {
			if inst = inst[1:]; len(inst) == 0 {
				continue
			}
		}
		cands = append(cands, cand{e, inst})
	}
	if len(cands) == 0 {
		return fakeoutlook.Event{}, fakeoutlook.Event{}, false
	}
	c := cands[rapid.IntRange(0, len(cands)-1).Draw(m.rt, "master")]
	return c.item, c.inst[rapid.IntRange(0, len(c.inst)-1).Draw(m.rt, "occurrence")], true
}

// outlookEdits are the Outlook user's edits that a burst draws from.
var outlookEdits = []string{"outlookEditOccurrence", "outlookMoveOccurrence", "outlookDeleteOccurrence", "outlookSplit",
	"outlookPattern", "outlookEditSeries", "outlookPrivacy", "outlookLabels", "outlookDelete", "outlookCreate", "outlookSplitTwice"}

// outlookBurst makes two to four Outlook edits with no sync between.
func (m *machine) outlookBurst() {
	n := rapid.IntRange(2, 4).Draw(m.rt, "burst")
	for i := 0; i < n; i++ {
		switch a := smPick(outlookEdits).Draw(m.rt, "burstAction"); a {
		case "outlookCreate":
			m.outlookCreate()
		case "outlookSplitTwice":
			m.outlookSplitTwice()
		default:
			m.outlook(a)
		}
	}
}

func (m *machine) outlook(action string) {
	master, occ, ok := m.pickRemote()
	if !ok {
		return
	}
	var err error
	series := master.Type == "seriesMaster"
	switch {
	case action == "outlookPrivacy":
		s := smPick([]string{"private", "confidential", "personal", "normal"}).Draw(m.rt, "sensitivity")
		_, err = m.w.fake.UpdateEvent(mailbox, master.ID, fakeoutlook.Change{Sensitivity: &s})
	case action == "outlookLabels":
		cats, rem := m.drawLabels()
		_, err = m.w.fake.UpdateEvent(mailbox, master.ID, fakeoutlook.Change{Categories: &cats, IsReminderOn: &rem.On, ReminderMinutes: &rem.Minutes})
	case action == "outlookDelete":
		err = m.w.fake.DeleteEvent(mailbox, master.ID)
		m.markThinned(master.Subject)
	case action == "outlookMoveOccurrence":
		start, end, ok := m.remoteMove(master, occ)
		if !ok {
			return
		}
		_, err = m.w.fake.UpdateEvent(mailbox, occ.ID, fakeoutlook.Change{Start: &start, End: &end})
		if occ.IsAllDay {
			m.markMoved(master.Subject)
		}
	case action == "outlookEditSeries" || !series:
		_, err = m.w.fake.UpdateEvent(mailbox, master.ID, fakeoutlook.Change{Subject: ptr(master.Subject + "*")})
	case action == "outlookEditOccurrence":
		_, err = m.w.fake.UpdateOccurrence(mailbox, master.ID, occ.OriginalStart, fakeoutlook.Change{Location: ptr("Outlook room " + strconv.Itoa(m.n))})
	case action == "outlookDeleteOccurrence":
		err = m.w.fake.DeleteOccurrence(mailbox, master.ID, occ.OriginalStart)
		m.markThinned(master.Subject)
	case action == "outlookSplit":
		if master, occ, ok = m.pickSplit(); !ok {
			return // Outlook's split at the first occurrence is an edit of the whole series
		}
		_, err = m.w.fake.SplitSeries(mailbox, master.ID, occ.OriginalStart, m.splitChange(occ))
		m.split[master.ID] = true
	case action == "outlookPattern":
		rec := *master.Recurrence
		days := patternDays(rec.Range)
		if len(days) == 0 {
			return // Outlook offers no weekly pattern with an occurrence in so short a range
		}
		rec.Pattern.DaysOfWeek = []string{smPick(days).Draw(m.rt, "newday")}
		rec.Pattern.Type = "weekly"
		rec.Pattern.Interval = 1
		if m.patternMeetsAnotherPart(master, rec) {
			return
		}
		_, err = m.w.fake.ChangePattern(mailbox, master.ID, rec)
		m.markMoved(master.Subject)
	}
	if err != nil {
		m.rt.Fatalf("%s: %v", action, err)
	}
	m.did["did "+action]++
}

// remoteMove is a new time for an Outlook occurrence (or single): an hour later, or for an
// all-day one the next day, never onto or past the day of another occurrence (Outlook
// refuses that).
func (m *machine) remoteMove(master, occ fakeoutlook.Event) (time.Time, time.Time, bool) {
	if !occ.IsAllDay {
		return occ.Start.Add(time.Hour), occ.End.Add(time.Hour), true
	}
	loc := smZone(occ.TimeZone)
	s := occ.Start.In(loc)
	ns := time.Date(s.Year(), s.Month(), s.Day()+1, 0, 0, 0, 0, loc)
	ne := ns.AddDate(0, 0, dayCount(s, occ.End.In(loc)))
	// Nor onto the day of another part of the event, here or in Outlook (a split either
	// side has not yet synced): the duplicate check could not tell that move from a
	// duplicate.
	day := ns.Format(smDate)
	for _, o := range append(m.localInstances(), m.outlookInstances()...) {
		if o.allDay && titleRoot(o.title) == titleRoot(master.Subject) && o.date == day {
			return time.Time{}, time.Time{}, false
		}
	}
	if master.Type == "seriesMaster" {
		inst, err := m.w.fake.Instances(mailbox, master.ID, occ.Start.AddDate(0, 0, -3), occ.End.AddDate(0, 0, 3))
		if err != nil {
			return time.Time{}, time.Time{}, false
		}
		for _, in := range inst {
			if !in.OriginalStart.Equal(occ.OriginalStart) && !in.Start.Before(occ.Start) && !in.Start.After(ns) {
				return time.Time{}, time.Time{}, false
			}
		}
	}
	// Nor onto the day of an instance of another part of the same series (Outlook's split
	// keeps the title): the user would make the two instances on one day that the checks
	// take for a duplicate.
	view, err := m.w.fake.CalendarView(mailbox, ns.AddDate(0, 0, -1), ne.AddDate(0, 0, 1))
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	for _, v := range view {
		if v.ID != occ.ID && !v.IsCancelled && v.Subject == occ.Subject && v.IsAllDay &&
			v.Start.In(smZone(v.TimeZone)).Format(smDate) == ns.Format(smDate) {
			return time.Time{}, time.Time{}, false
		}
	}
	return ns, ne, true
}

// splitChange is what the Outlook user changes with "this and all following" at occ: the
// location, or for a timed series the time (an hour later, on the same day).
func (m *machine) splitChange(occ fakeoutlook.Event) fakeoutlook.Change {
	m.n++
	if !occ.IsAllDay && rapid.IntRange(0, 3).Draw(m.rt, "splitMoves") == 0 {
		s, e := occ.Start.Add(time.Hour), occ.End.Add(time.Hour)
		return fakeoutlook.Change{Start: &s, End: &e}
	}
	return fakeoutlook.Change{Location: ptr("Split " + strconv.Itoa(m.n))}
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

// pickSplit draws a series and a later occurrence to split it at.
func (m *machine) pickSplit() (fakeoutlook.Event, fakeoutlook.Event, bool) {
	master, occ, ok := m.pickRemoteWhere(true)
	if !ok || !m.laterOccurrence(master, occ) {
		return master, occ, false
	}
	return master, occ, true
}

// outlookSplitHalfway is Outlook's split with a sync (possibly failing) between its two
// writes: the sync sees the series shortened and no new series yet.
func (m *machine) outlookSplitHalfway() {
	master, occ, ok := m.pickSplit()
	if !ok {
		return
	}
	finish, err := m.w.fake.BeginSplitSeries(mailbox, master.ID, occ.OriginalStart, m.splitChange(occ))
	if err != nil {
		m.rt.Fatalf("begin split: %v", err)
	}
	m.split[master.ID] = true
	fault := ""
	if rapid.Bool().Draw(m.rt, "halfwayFault") {
		fault = m.fault()
	}
	m.sync(fault)
	if _, err := finish(); err != nil {
		m.rt.Fatalf("finish split: %v", err)
	}
	m.did["did outlookSplitHalfway"]++
}

// outlookSplitTwice splits a series and then the new series again (or the parent again, at
// an earlier occurrence), with no sync between.
func (m *machine) outlookSplitTwice() {
	master, occ, ok := m.pickSplit()
	if !ok {
		return
	}
	child, err := m.w.fake.SplitSeries(mailbox, master.ID, occ.OriginalStart, m.splitChange(occ))
	if err != nil {
		m.rt.Fatalf("first split: %v", err)
	}
	m.split[master.ID] = true
	from, to := m.span()
	second := child
	var inst []fakeoutlook.Event
	if rapid.IntRange(0, 2).Draw(m.rt, "splitParentAgain") == 0 {
		second = master
		inst, err = m.w.fake.Instances(mailbox, master.ID, from, occ.OriginalStart)
	} else {
		inst, err = m.w.fake.Instances(mailbox, child.ID, from, to.AddDate(0, 0, 60))
	}
	if err != nil {
		m.rt.Fatalf("instances: %v", err)
	}
	if len(inst) < 2 {
		return
	}
	at := inst[rapid.IntRange(1, len(inst)-1).Draw(m.rt, "secondSplit")]
	if !m.laterOccurrence(second, at) {
		return
	}
	if _, err := m.w.fake.SplitSeries(mailbox, second.ID, at.OriginalStart, m.splitChange(at)); err != nil {
		m.rt.Fatalf("second split: %v", err)
	}
	m.split[second.ID] = true
	m.did["did outlookSplitTwice"]++
}

// patternMeetsAnotherPart reports whether the weekly pattern rec would give master an
// occurrence on a day where another part of the event shows, here or in Outlook (a part
// whose instance was moved there, or a split not yet synced): the user would make the two
// instances on one day that the duplicate check cannot tell from a duplicate. Own instances
// are those of master in Outlook and, here, those on the same day with the same title.
func (m *machine) patternMeetsAnotherPart(master fakeoutlook.Event, rec fakeoutlook.PatternedRecurrence) bool {
	loc := smZone(master.TimeZone)
	dayOf := func(i smInstance) string {
		if i.allDay {
			return i.date
		}
		return i.start.In(loc).Format(smDate)
	}
	from, to := m.span()
	view, err := m.w.fake.CalendarView(mailbox, from.AddDate(0, 0, -2), to.AddDate(0, 0, 2))
	if err != nil {
		m.rt.Fatalf("calendar view: %v", err)
	}
	own := map[string]bool{}
	for _, v := range view {
		if v.SeriesMasterID == master.ID && !v.IsCancelled {
			day := v.Start.In(loc).Format(smDate)
			if v.IsAllDay {
				day = v.Start.In(smZone(v.TimeZone)).Format(smDate)
			}
			own[day+" "+v.Subject] = true
		}
	}
	root := titleRoot(master.Subject)
	weekday := rec.Pattern.DaysOfWeek[0]
	first, err := time.Parse(smDate, rec.Range.StartDate)
	if err != nil {
		return true
	}
	last := to.AddDate(0, 0, 2)
	if rec.Range.Type == "endDate" {
		if last, err = time.Parse(smDate, rec.Range.EndDate); err != nil {
			return true
		}
	}
	for _, i := range append(m.localInstances(), m.outlookInstances()...) {
		day := dayOf(i)
		if titleRoot(i.title) != root || own[day+" "+i.title] {
			continue
		}
		d, err := time.Parse(smDate, day)
		if err == nil && !d.Before(first) && !d.After(last) && strings.ToLower(d.Weekday().String()) == weekday {
			return true
		}
	}
	return false
}

// patternDays are the weekdays a new weekly pattern may take, of monday, wednesday and
// friday: those that fall in the range (an end date a few days after the start leaves only
// some). Outlook keeps a series at one occurrence or more.
func patternDays(r fakeoutlook.RecurrenceRange) []string {
	all := []string{"monday", "wednesday", "friday"}
	if r.Type != "endDate" {
		return all
	}
	from, err1 := time.Parse(smDate, r.StartDate)
	to, err2 := time.Parse(smDate, r.EndDate)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []string
	for _, d := range all {
		for t := from; !t.After(to) && !t.After(from.AddDate(0, 0, 6)); t = t.AddDate(0, 0, 1) {
			if strings.ToLower(t.Weekday().String()) == d {
				out = append(out, d)
				break
			}
		}
	}
	return out
}
