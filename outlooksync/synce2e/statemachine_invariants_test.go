package synce2e

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"intracal/calendar"
)

// The invariants the state machine checks after its final clean syncs, beyond check and
// checkMeetings.

// smInstance is one instance in the span as a side shows it. A timed one is keyed by its
// start instant; an all-day one by its date (My Calendar keeps midnight UTC of it, Outlook
// midnight in the item's zone) and the number of days it lasts.
type smInstance struct {
	allDay   bool
	start    time.Time
	date     string
	days     int
	title    string
	location string
}

func (i smInstance) String() string {
	s := i.date + fmt.Sprintf(" all-day/%d ", i.days) + i.title
	if !i.allDay {
		s = i.start.UTC().Format("2006-01-02T15:04Z") + " " + i.title
	}
	if i.location != "" {
		s += " @" + i.location
	}
	return s
}

// inSpan reports whether the instance belongs to the span: a timed one by its start, an
// all-day one by its date (the span's dates are the profile zone's).
func (m *machine) inSpan(i smInstance) bool {
	from, to := m.span()
	if i.allDay {
		return i.date >= from.Format(smDate) && i.date < to.Format(smDate)
	}
	return !i.start.Before(from) && i.start.Before(to)
}

// dayCount is the number of dates from a to b (both midnights of dates).
func dayCount(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// localInstances lists My Calendar's instances of alice in the span (read with two days
// to spare on each side, so that an all-day date in a zone far from UTC is not cut off).
func (m *machine) localInstances() []smInstance {
	from, to := m.span()
	occ, _, err := m.w.cal.Occurrences(context.Background(), m.w.user, calendar.Query{From: from.AddDate(0, 0, -2), To: to.AddDate(0, 0, 2)})
	if err != nil {
		m.rt.Fatalf("occurrences: %v", err)
	}
	var out []smInstance
	for _, o := range occ {
		i := smInstance{allDay: o.AllDay, start: o.Start, title: o.Title, location: o.Location}
		if o.AllDay {
			i.date, i.days = o.Start.UTC().Format(smDate), dayCount(o.Start.UTC(), o.End.UTC())
		}
		if m.inSpan(i) {
			out = append(out, i)
		}
	}
	return out
}

// outlookInstances lists alice's Outlook calendar view in the span the same way.
func (m *machine) outlookInstances() []smInstance {
	from, to := m.span()
	evs, err := m.w.fake.CalendarView(mailbox, from.AddDate(0, 0, -2), to.AddDate(0, 0, 2))
	if err != nil {
		m.rt.Fatalf("calendar view: %v", err)
	}
	var out []smInstance
	for _, e := range evs {
		if e.IsCancelled {
			continue
		}
		i := smInstance{allDay: e.IsAllDay, start: e.Start, title: e.Subject, location: e.Location}
		if e.IsAllDay {
			loc := smZone(e.TimeZone)
			i.date, i.days = e.Start.In(loc).Format(smDate), dayCount(e.Start.In(loc), e.End.In(loc))
		}
		if m.inSpan(i) {
			out = append(out, i)
		}
	}
	return out
}

func smLines(in []smInstance) []string {
	var out []string
	for _, i := range in {
		out = append(out, i.String())
	}
	sort.Strings(out)
	return out
}

// same fails unless My Calendar and Outlook show the same instances in the span, all-day
// ones on the same dates, and neither shows an instance twice.
func (m *machine) same() {
	li := m.localInstances()
	for _, i := range li {
		m.did[fmt.Sprintf("compared allDay=%v", i.allDay)]++
	}
	oi := m.outlookInstances()
	l, o := smLines(li), smLines(oi)
	if strings.Join(l, "\n") != strings.Join(o, "\n") {
		m.rt.Fatalf("My Calendar and Outlook differ.\nMy Calendar (%d):\n  %s\nOutlook (%d):\n  %s", len(l), strings.Join(l, "\n  "), len(o), strings.Join(o, "\n  "))
	}
	m.noDuplicates("My Calendar", li)
	m.noDuplicates("Outlook", oi)
}

// noDuplicates fails when a side shows two instances of one drawn event (by title, see
// titleRoot) at the same time (on the same date, all-day): the machine never draws that
// (moves and splits keep instances apart), so one of them is a duplicate.
func (m *machine) noDuplicates(side string, in []smInstance) {
	seen := map[string]smInstance{}
	for _, i := range in {
		k := titleRoot(i.title) + " " + i.start.UTC().Format(time.RFC3339)
		if i.allDay {
			k = titleRoot(i.title) + " " + i.date
		}
		if o, dup := seen[k]; dup {
			m.rt.Fatalf("%s shows %q twice: %s and %s (a duplicate)", side, titleRoot(i.title), o, i)
		}
		seen[k] = i
	}
}

// checkAllDay: no all-day instance moves a day. An all-day event that nobody moved has its
// instances only on the dates drawn, each as long as drawn; when nobody deleted any of them
// either, on every date drawn in the span. (same already holds the two sides to one date.)
func (m *machine) checkAllDay() {
	got := map[string][]smInstance{}
	for _, i := range m.localInstances() {
		if d := m.drawnOf(i.title); d != nil {
			got[titleRoot(i.title)] = append(got[titleRoot(i.title)], i)
		}
	}
	from, to := m.span()
	for title, d := range m.drawn {
		if d.moved || !d.nonempty {
			continue
		}
		dates := map[string]bool{}
		for _, i := range got[title] {
			if !i.allDay {
				m.rt.Fatalf("%q was drawn all-day; My Calendar shows a timed instance %s", title, i)
			}
			if i.date < d.from || i.date >= d.to {
				continue
			}
			if !d.dates[i.date] || i.days != d.days {
				m.rt.Fatalf("all-day %q moved: an instance on %s (%d days); drawn on %v, %d days each", title, i.date, i.days, sortedKeys(d.dates), d.days)
			}
			dates[i.date] = true
		}
		if d.thinned {
			continue
		}
		for date := range d.dates {
			if date >= from.Format(smDate) && date < to.Format(smDate) && !dates[date] {
				m.rt.Fatalf("all-day %q lost its instance on %s, which nobody deleted or moved; it shows %v", title, date, sortedKeys(dates))
			}
		}
	}
}

func sortedKeys(s map[string]bool) []string {
	var out []string
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// smPrivate reports whether an Outlook sensitivity is private here.
func smPrivate(sensitivity string) bool {
	return sensitivity == "private" || sensitivity == "confidential"
}

// checkPrivacy: nothing private is visible to another user. Every Outlook item the sync
// linked (series, singles, stand-ins) is private or confidential in Outlook exactly when its
// event is private here; a private event is seen, loaded and listed by nobody but its
// organizer and invitees (an instance invitee sees only their instances), in My Calendar and
// in the organizer's calendar; and bob's Outlook holds a copy of a private meeting only when
// he is invited to what it shows.
func (m *machine) checkPrivacy() {
	ctx := context.Background()
	w := m.w
	links, err := w.store.Links(ctx, w.user.UserID)
	if err != nil {
		m.rt.Fatalf("links: %v", err)
	}
	events := map[int64]*calendar.Event{}
	load := func(id int64) *calendar.Event {
		if e, ok := events[id]; ok {
			return e
		}
		e, err := w.cal.GetFull(ctx, id)
		if err != nil || e.DeletedAt != nil {
			e = nil
		}
		events[id] = e
		return e
	}
	for _, l := range links {
		e := load(l.EventID)
		if e == nil || !m.inWindow(e, l.SegmentUID) {
			continue
		}
		items := []string{l.RemoteID}
		for _, s := range l.Base.StandIns {
			items = append(items, s.ID)
		}
		for k, id := range items {
			ev, err := w.fake.GetEvent(mailbox, id)
			if err != nil {
				if k == 0 {
					m.rt.Fatalf("linked Outlook item of %q: %v", e.Segments[0].Title, err)
				}
				continue
			}
			if ev.IsCancelled {
				continue
			}
			m.did["compared privacy "+string(e.Privacy)]++
			if smPrivate(ev.Sensitivity) != (e.Privacy == calendar.Private) {
				m.rt.Fatalf("%q is %s here, its Outlook item %q (%s) is %s", e.Segments[0].Title, e.Privacy, ev.Subject, ev.Type, ev.Sensitivity)
			}
		}
	}

	// Who sees what here.
	from, to := m.span()
	organized, err := w.cal.OrganizedEvents(ctx, w.user.UserID, nil, w.monday.AddDate(0, 0, -30), to.AddDate(1, 0, 0))
	if err != nil {
		m.rt.Fatalf("organized events: %v", err)
	}
	private := map[int64]*calendar.Event{}
	for _, e := range organized {
		if e.Privacy == calendar.Private {
			full := load(e.ID)
			if full == nil {
				continue
			}
			private[e.ID] = full
		}
	}
	others := []*member{m.mw.bob, m.mw.carol, {user: calendar.Viewer{UserID: m.mw.people[daveMail]}, email: daveMail}}
	for _, o := range others {
		for id, e := range private {
			all, some := invitedOf(e, o.user.UserID)
			_, err := w.cal.Get(ctx, o.user, id)
			if !all && len(some) == 0 && !errors.Is(err, calendar.ErrNotFound) {
				m.rt.Fatalf("%s, not invited, can load private %q (err %v)", o.email, e.Segments[0].Title, err)
			}
		}
		for _, calID := range []int64{0, w.calID} {
			occ, _, err := w.cal.Occurrences(ctx, o.user, calendar.Query{From: from, To: to, CalendarID: calID})
			if err != nil {
				m.rt.Fatalf("occurrences of %s: %v", o.email, err)
			}
			for _, oc := range occ {
				e, ok := private[oc.EventID]
				if !ok {
					if oc.Privacy == calendar.Private && oc.OrganizerID == w.user.UserID {
						m.rt.Fatalf("%s sees private %q, an event not among alice's", o.email, oc.Title)
					}
					continue
				}
				all, some := invitedOf(e, o.user.UserID)
				if !all && !some[oc.OriginalStart.UTC()] {
					m.rt.Fatalf("%s sees an instance (%s) of private %q they are not invited to", o.email, oc.OriginalStart.Format(time.RFC3339), oc.Title)
				}
			}
		}
	}

	// Bob's Outlook: a live copy of a private meeting only for what he is invited to.
	atts, err := w.store.Attendances(ctx, m.mw.bob.user.UserID)
	if err != nil {
		m.rt.Fatalf("attendances: %v", err)
	}
	for _, a := range atts {
		if a.EventID == 0 {
			continue
		}
		e := load(a.EventID)
		if e == nil || e.Privacy != calendar.Private {
			continue
		}
		cp, err := w.fake.GetEvent(bobMail, a.RemoteID)
		if err != nil || cp.IsCancelled {
			continue
		}
		all, some := invitedOf(e, m.mw.bob.user.UserID)
		switch {
		case all:
		case a.Instance != nil && some[a.Instance.UTC()] && cp.Type != "seriesMaster":
		default:
			m.rt.Fatalf("bob's Outlook shows %s %q of private %q, which he is not invited to (instance %v, invited to %v)",
				cp.Type, cp.Subject, e.Segments[0].Title, a.Instance, some)
		}
	}
}

// invitedOf reports whether a user is invited to every instance of e, and the original
// starts of the instances they are invited to alone.
func invitedOf(e *calendar.Event, userID int64) (bool, map[time.Time]bool) {
	all, some := false, map[time.Time]bool{}
	for _, in := range e.Invitations {
		if in.UserID != userID {
			continue
		}
		if in.Instance == nil {
			all = true
		} else {
			some[in.Instance.UTC()] = true
		}
	}
	return all, some
}

// organizedBy counts the live events a user organizes, anywhere the clock took the case.
func (m *machine) organizedBy(userID int64) int {
	_, to := m.span()
	evs, err := m.w.cal.OrganizedEvents(context.Background(), userID, nil, m.w.monday.AddDate(0, 0, -30), to.AddDate(1, 0, 0))
	if err != nil {
		m.rt.Fatalf("organized events: %v", err)
	}
	return len(evs)
}

// inWindow reports whether a segment of an event has an instance in the sync window now:
// what lies wholly outside it is left alone by the sync (docs/sync.md), so a link there may
// name an Outlook item deleted meanwhile.
func (m *machine) inWindow(e *calendar.Event, segmentUID string) bool {
	w := m.w.engine.Window()
	i := e.SegmentIndex(segmentUID)
	for _, o := range e.Instances(m.w.user, w.From, w.To, true) {
		if o.Segment == i {
			return true
		}
	}
	return false
}

// checkLabels fails unless each linked series in Outlook carries its event's categories and
// reminder (the single events that stand for occurrences take them when created, and are
// left alone after).
func (m *machine) checkLabels() {
	ctx := context.Background()
	w := m.w
	links, err := w.store.Links(ctx, w.user.UserID)
	if err != nil {
		m.rt.Fatalf("links: %v", err)
	}
	for _, l := range links {
		e, err := w.cal.GetFull(ctx, l.EventID)
		if err != nil || e.DeletedAt != nil || !m.inWindow(e, l.SegmentUID) {
			continue
		}
		ev, err := w.fake.GetEvent(mailbox, l.RemoteID)
		if err != nil {
			m.rt.Fatalf("linked Outlook item of %q: %v", e.Segments[0].Title, err)
		}
		rem := calendar.Reminder{}
		if ev.IsReminderOn {
			rem = calendar.Reminder{On: true, Minutes: ev.ReminderMinutes}
		}
		m.did["compared labels"]++
		if !slices.Equal(ev.Categories, e.Categories) && !(len(ev.Categories) == 0 && len(e.Categories) == 0) || rem != e.Reminder {
			m.rt.Fatalf("%q has categories %q and reminder %+v here, its Outlook item %q %q and %+v", e.Segments[0].Title, e.Categories, e.Reminder, ev.Subject, ev.Categories, rem)
		}
	}
}
