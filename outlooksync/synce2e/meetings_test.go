package synce2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// weeklyMeeting creates alice's weekly Tuesday meeting with bob and carol invited, and syncs
// everyone once.
func weeklyMeeting(m *meetingWorld) *calendar.Event {
	m.t.Helper()
	e := m.create(calendar.EventInput{Title: "Planning", Location: "Room 1", Start: wall(m.at(1, 10, 0)), End: wall(m.at(1, 11, 0)), RRule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6"})
	e = m.invite(e, calendar.ScopeAll, time.Time{}, 2, 3)
	m.syncAll()
	return e
}

func TestMeetingInviteesBecomeAttendeesAndTheInviteeSeesItOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		org := m.copyOf(mailbox, "Planning")
		if responseOf(org, bobMail) != "none" || responseOf(org, carolMail) != "none" {
			t.Fatalf("organizer's Outlook attendees: %+v", org.Attendees)
		}
		for _, who := range []string{bobMail, carolMail} {
			cp := m.copyOf(who, "Planning")
			if cp.IsOrganizer || cp.ICalUID != org.ICalUID {
				t.Fatalf("%s's copy: organizer %v, iCalUId %q (organizer's %q)", who, cp.IsOrganizer, cp.ICalUID, org.ICalUID)
			}
			if got := m.messages(who); got.Invitations != 1 || got.Updates != 0 {
				t.Fatalf("%s received %+v, want one invitation", who, got)
			}
		}
		// Bob's connected mailbox brought nothing new into My Calendar: he sees alice's
		// event, six instances, once.
		if n := m.organizedBy(2); n != 0 {
			t.Fatalf("bob's sync imported %d events of his own", n)
		}
		if got := m.seenBy(m.bob.user); len(got) != 6 {
			t.Fatalf("bob sees %d instances, want 6:\n%s", len(got), strings.Join(got, "\n"))
		}
		// Syncing again, on both sides, sends nobody anything.
		before := []fakeoutlook.MessageCounts{m.messages(bobMail), m.messages(carolMail)}
		for range 2 {
			m.syncAll()
		}
		if after := []fakeoutlook.MessageCounts{m.messages(bobMail), m.messages(carolMail)}; after[0] != before[0] || after[1] != before[1] {
			t.Fatalf("re-syncing sent messages: before %+v, after %+v", before, after)
		}
		if got := m.event(e.ID); len(got.Invitations) != 2 {
			t.Fatalf("invitations after sync: %+v", got.Invitations)
		}
	})
}

func TestOutlookAttendeesWhoAreSiteUsersBecomeInvitees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		start := m.at(2, 14, 0)
		if _, err := m.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: "Vendor call", Start: start, End: start.Add(time.Hour),
			TimeZone: "Europe/Berlin", Attendees: []string{"BOB@example.com", carolMail, "guest@partner.example"}}); err != nil {
			t.Fatal(err)
		}
		m.sync()
		evs, err := m.cal.OrganizedEvents(context.Background(), 1, nil, start.AddDate(0, 0, -1), start.AddDate(0, 0, 1))
		if err != nil || len(evs) != 1 {
			t.Fatalf("imported %d events (%v)", len(evs), err)
		}
		e := evs[0]
		if got := invitees(e); got != "2,3" {
			t.Fatalf("invitees after import: %s, want bob and carol (2,3)", got)
		}
		// Uninviting carol here removes her in Outlook and keeps the guest.
		e.Uninvite(3, calendar.ScopeAll, time.Time{})
		if err := m.cal.Replace(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		m.sync()
		org := m.copyOf(mailbox, "Vendor call")
		if responseOf(org, carolMail) != "(not an attendee)" || responseOf(org, "guest@partner.example") == "(not an attendee)" ||
			responseOf(org, "bob@example.com") == "(not an attendee)" && responseOf(org, "BOB@example.com") == "(not an attendee)" {
			t.Fatalf("organizer's attendees after uninviting carol: %+v", org.Attendees)
		}
		if got := m.messages(carolMail); got.Cancellations != 1 {
			t.Fatalf("carol received %+v, want a cancellation", got)
		}
		// Adding dave in Outlook invites him here.
		// (Outlook's own client does what the Graph adapter does here.)
		res := m.graph.Apply(context.Background(), []outlooksync.Op{{Kind: outlooksync.OpUpdate, ID: org.ID, Write: &outlooksync.EventWrite{
			Fields: []string{"attendees"}, Attendees: []outlooksync.Attendee{{Email: bobMail, Type: "required"}, {Email: "guest@partner.example", Type: "required"}, {Email: daveMail, Type: "optional"}}}}})
		if res[0].Err != nil {
			t.Fatal(res[0].Err)
		}
		m.sync()
		if got := invitees(m.event(e.ID)); got != "2,4" {
			t.Fatalf("invitees after dave was added in Outlook: %s, want 2,4", got)
		}
		before := m.messages(bobMail)
		m.sync()
		m.sync()
		if got := m.messages(bobMail); got != before {
			t.Fatalf("re-syncing sent bob %+v (before %+v)", got, before)
		}
	})
}

func invitees(e *calendar.Event) string {
	var ids []string
	for _, in := range e.Invitations {
		if in.Instance == nil {
			ids = append(ids, string(rune('0'+in.UserID)))
		}
	}
	return strings.Join(ids, ",")
}

// bobsInstance finds the occurrence of bob's copy that originally starts at orig.
func (m *meetingWorld) bobsInstance(subject string, orig time.Time) fakeoutlook.Event {
	m.t.Helper()
	cp := m.copyOf(bobMail, subject)
	from, to := m.span()
	list, err := m.fake.Instances(bobMail, cp.ID, from, to)
	if err != nil {
		m.t.Fatalf("%v", err)
	}
	for _, in := range list {
		if in.OriginalStart.Equal(orig) {
			return in
		}
	}
	m.t.Fatalf("bob's copy has no occurrence at %s", orig)
	return fakeoutlook.Event{}
}

func TestAnswersFlowBothWaysWithTheirScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		week := func(n int) time.Time { return m.at(1+7*n, 10, 0).UTC() }

		// An answer for all in My Calendar is sent for the series.
		m.answer(m.bob, e, calendar.ScopeAll, time.Time{}, calendar.Yes)
		m.syncAs(m.bob)
		if got := m.copyOf(bobMail, "Planning").Response; got != "accepted" {
			t.Fatalf("bob's copy says %q after he answered yes for all", got)
		}
		if got := responseOf(m.copyOf(mailbox, "Planning"), bobMail); got != "accepted" {
			t.Fatalf("alice's Outlook shows bob's answer as %q", got)
		}

		// An answer for one instance is sent for that occurrence.
		m.answer(m.bob, e, calendar.ScopeInstance, week(1), calendar.Maybe)
		m.syncAs(m.bob)
		if got := m.bobsInstance("Planning", week(1)).Response; got != "tentativelyAccepted" {
			t.Fatalf("bob's occurrence of week 1 says %q after he answered maybe for it", got)
		}
		if got := m.copyOf(bobMail, "Planning").Response; got != "accepted" {
			t.Fatalf("the instance answer changed the series answer to %q", got)
		}

		// An answer given in Outlook for one occurrence arrives for that instance only.
		occ := m.bobsInstance("Planning", week(2))
		if err := m.fake.Respond(bobMail, occ.ID, "tentativelyAccept"); err != nil {
			t.Fatal(err)
		}
		m.syncAs(m.bob)
		got := m.event(e.ID)
		if a := got.EffectiveRSVP(2, week(2)); a != calendar.Maybe {
			t.Fatalf("week 2 answer %q after maybe in Outlook", a)
		}
		if a := got.EffectiveRSVP(2, week(3)); a != calendar.Yes {
			t.Fatalf("week 3 answer %q: the occurrence answer leaked", a)
		}

		// An answer given in Outlook for the series arrives as an answer for all.
		if err := m.fake.Respond(bobMail, m.copyOf(bobMail, "Planning").ID, "tentativelyAccept"); err != nil {
			t.Fatal(err)
		}
		m.syncAs(m.bob)
		if a := m.event(e.ID).EffectiveRSVP(2, week(4)); a != calendar.Maybe {
			t.Fatalf("week 4 answer %q after maybe for the series in Outlook", a)
		}

		// Stable: further cycles on both sides change and send nothing.
		before := m.messages(mailbox)
		for range 2 {
			m.sync()
			if res := m.syncAs(m.bob); res.Pushed != 0 || res.Pulled != 0 {
				t.Fatalf("a quiet cycle of bob's pushed %d, pulled %d: %+v", res.Pushed, res.Pulled, res.History)
			}
		}
		if got := m.messages(mailbox); got != before {
			t.Fatalf("quiet cycles sent alice %+v (before %+v)", got, before)
		}
	})
}

func TestFollowingAnswerBecomesAnAnswerForAllWithoutFlapping(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		from := m.at(8, 10, 0).UTC()
		m.answer(m.bob, e, calendar.ScopeFollowing, from, calendar.Yes)
		m.syncAs(m.bob)
		if got := m.copyOf(bobMail, "Planning").Response; got != "accepted" {
			t.Fatalf("bob's copy says %q: a following answer goes to Outlook for the series", got)
		}
		// When it comes back, it is an answer for all here too.
		m.syncAs(m.bob)
		got := m.event(e.ID)
		for _, r := range got.RSVPs {
			if r.UserID == 2 && (r.Scope != calendar.ScopeAll || r.Response != calendar.Yes) {
				t.Fatalf("bob's answers after the round trip: %+v", got.RSVPs)
			}
		}
		if a := got.EffectiveRSVP(2, m.at(1, 10, 0).UTC()); a != calendar.Yes {
			t.Fatalf("first instance answer %q, want yes (now an answer for all)", a)
		}
		for range 3 {
			if res := m.syncAs(m.bob); res.Pushed != 0 || res.Pulled != 0 {
				t.Fatalf("flapping: pushed %d, pulled %d: %+v", res.Pushed, res.Pulled, res.History)
			}
		}
		if got := m.messages(mailbox).Responses; got != 1 {
			t.Fatalf("alice received %d responses, want the one", got)
		}
	})
}

func TestDecliningInOutlookAnswersNo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		// Declining one occurrence in Outlook removes it from bob's calendar.
		occ := m.bobsInstance("Planning", m.at(8, 10, 0).UTC())
		if err := m.fake.Respond(bobMail, occ.ID, "decline"); err != nil {
			t.Fatal(err)
		}
		m.syncAs(m.bob)
		got := m.event(e.ID)
		if a := got.EffectiveRSVP(2, m.at(8, 10, 0).UTC()); a != calendar.No {
			t.Fatalf("declined occurrence answers %q here", a)
		}
		if a := got.EffectiveRSVP(2, m.at(15, 10, 0).UTC()); a != "" {
			t.Fatalf("the next occurrence answers %q, want no answer", a)
		}
		// Declining the series removes the copy: no for all.
		if err := m.fake.Respond(bobMail, m.copyOf(bobMail, "Planning").ID, "decline"); err != nil {
			t.Fatal(err)
		}
		m.syncAs(m.bob)
		if a := m.event(e.ID).EffectiveRSVP(2, m.at(15, 10, 0).UTC()); a != calendar.No {
			t.Fatalf("after declining the series: %q", a)
		}
		if res := m.syncAs(m.bob); res.Pushed != 0 || res.Pulled != 0 {
			t.Fatalf("after the decline: pushed %d, pulled %d", res.Pushed, res.Pulled)
		}
	})
}

func TestInvitationToOneInstanceOfAPrivateEventIsASingleEventInOutlook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := m.create(calendar.EventInput{Title: "Board prep", Start: wall(m.at(2, 9, 0)), End: wall(m.at(2, 10, 0)),
			RRule: "FREQ=WEEKLY;BYDAY=WE;COUNT=5", Privacy: calendar.Private})
		third := m.at(16, 9, 0).UTC()
		e = m.invite(e, calendar.ScopeInstance, third, 2, 3)
		m.syncAll()
		m.syncAll() // bob's single event may arrive after his first cycle
		for _, who := range []string{bobMail, carolMail} {
			cp := m.copyOf(who, "Board prep")
			if cp.Type != "singleInstance" || !cp.Start.Equal(third) {
				t.Fatalf("%s's copy: %s at %s, want a single event at %s", who, cp.Type, cp.Start, third)
			}
			if got := m.messages(who); got.Invitations != 1 {
				t.Fatalf("%s received %+v, want one invitation", who, got)
			}
		}
		if got := m.seenBy(m.bob.user); len(got) != 1 {
			t.Fatalf("bob sees %v, want the one instance", got)
		}
		// Bob can answer only for his instance; his answer reaches his single event.
		if _, err := m.cal.SetRSVP(context.Background(), m.bob.user, e.ID, calendar.ScopeAll, time.Time{}, calendar.Yes); err == nil {
			t.Fatal("bob answered for every instance of a private event he is invited to once")
		}
		m.answer(m.bob, e, calendar.ScopeInstance, third, calendar.Yes)
		m.syncAs(m.bob)
		if got := m.copyOf(bobMail, "Board prep").Response; got != "accepted" {
			t.Fatalf("bob's single event says %q after his yes", got)
		}
		// An answer given on the single event in Outlook comes back for the instance.
		if err := m.fake.Respond(bobMail, m.copyOf(bobMail, "Board prep").ID, "tentativelyAccept"); err != nil {
			t.Fatal(err)
		}
		m.syncAs(m.bob)
		if a := m.event(e.ID).EffectiveRSVP(2, third); a != calendar.Maybe {
			t.Fatalf("bob's answer %q after maybe in Outlook", a)
		}
		// Quiet now.
		before := []fakeoutlook.MessageCounts{m.messages(bobMail), m.messages(carolMail)}
		m.syncAll()
		m.syncAll()
		if after := []fakeoutlook.MessageCounts{m.messages(bobMail), m.messages(carolMail)}; after[0] != before[0] || after[1] != before[1] {
			t.Fatalf("re-syncing sent messages: before %+v, after %+v", before, after)
		}
	})
}

func TestSeriesDeletedInMyCalendarCancelsEveryCopy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := m.create(calendar.EventInput{Title: "Retro", Start: wall(m.at(3, 15, 0)), End: wall(m.at(3, 16, 0)), RRule: "FREQ=WEEKLY;BYDAY=TH;COUNT=4"})
		e = m.invite(e, calendar.ScopeAll, time.Time{}, 2)
		e = m.invite(e, calendar.ScopeInstance, m.at(10, 15, 0).UTC(), 3)
		m.syncAll()
		m.syncAll()
		if cp := m.copyOf(carolMail, "Retro"); cp.Type != "singleInstance" || cp.IsCancelled {
			t.Fatalf("carol's copy before the delete: %+v", cp)
		}
		if _, err := m.cal.Delete(context.Background(), m.user, e.ID, nil, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		m.syncAll()
		if _, err := m.fake.FindEvent(mailbox, "Retro"); err == nil {
			t.Fatal("the series is still in alice's Outlook")
		}
		for _, who := range []string{bobMail, carolMail} {
			cp := m.copyOf(who, "Canceled: Retro")
			if !cp.IsCancelled {
				t.Fatalf("%s's copy is not cancelled: %+v", who, cp)
			}
		}
		if got := m.seenBy(m.bob.user); len(got) != 0 {
			t.Fatalf("bob still sees %v", got)
		}
		before := m.messages(bobMail)
		m.syncAll()
		if got := m.messages(bobMail); got != before {
			t.Fatalf("after the delete, re-syncing sent bob %+v (before %+v)", got, before)
		}
	})
}

func TestInviteeRenamingTheirCopyRenamesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		cp := m.copyOf(bobMail, "Planning")
		if _, err := m.fake.UpdateEvent(bobMail, cp.ID, fakeoutlook.Change{Subject: ptr("Planning (bring numbers)")}); err != nil {
			t.Fatal(err)
		}
		m.syncAll()
		m.syncAll()
		if got := m.event(e.ID).Segments[0].Title; got != "Planning" {
			t.Fatalf("the event is called %q after bob renamed his copy", got)
		}
		if _, err := m.fake.FindEvent(mailbox, "Planning"); err != nil {
			t.Fatalf("alice's Outlook: %v", err)
		}
		for _, v := range []calendar.Viewer{m.user, m.bob.user, m.carol.user} {
			for _, l := range m.seenBy(v) {
				if !strings.Contains(l, " Planning") || strings.Contains(l, "numbers") {
					t.Fatalf("user %d sees %q", v.UserID, l)
				}
			}
		}
	})
}

func TestAnswerOfAnUnconnectedInviteeArrivesThroughTheOrganizer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		if err := m.fake.Respond(carolMail, m.copyOf(carolMail, "Planning").ID, "accept"); err != nil {
			t.Fatal(err)
		}
		m.sync()
		if a := m.event(e.ID).EffectiveRSVP(3, m.at(8, 10, 0).UTC()); a != calendar.Yes {
			t.Fatalf("carol's answer here is %q after she accepted in Outlook", a)
		}
		// Carol changes her mind here; her answer here stands on the next cycles.
		m.answer(m.carol, e, calendar.ScopeAll, time.Time{}, calendar.No)
		before := m.messages(carolMail)
		m.syncAll()
		m.syncAll()
		if a := m.event(e.ID).EffectiveRSVP(3, m.at(8, 10, 0).UTC()); a != calendar.No {
			t.Fatalf("carol's answer here flipped back to %q", a)
		}
		if got := m.messages(carolMail); got != before {
			t.Fatalf("carol received %+v (before %+v)", got, before)
		}
	})
}

// counts is what bob and carol received so far.
func (m *meetingWorld) counts() [2]fakeoutlook.MessageCounts {
	return [2]fakeoutlook.MessageCounts{m.messages(bobMail), m.messages(carolMail)}
}

// quiet fails unless n rounds of syncing on both sides send the attendees nothing.
func (m *meetingWorld) quiet(n int, what string) {
	m.t.Helper()
	before := m.counts()
	for range n {
		m.syncAll()
	}
	if after := m.counts(); after != before {
		m.t.Fatalf("%s: re-syncing sent attendees messages: before %+v, after %+v", what, before, after)
	}
}

func TestNoAttendeeSpam(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		m.quiet(2, "after the invitation")

		// A crash between creating a meeting in Outlook and saving its link: the relink
		// sends nothing, and nobody is invited twice.
		off := m.create(calendar.EventInput{Title: "Offsite", Start: wall(m.at(4, 9, 0)), End: wall(m.at(4, 17, 0))})
		m.invite(off, calendar.ScopeAll, time.Time{}, 2, 3)
		m.engine.HookAfterWrite = func() error { return errCrash }
		if _, err := m.engine.Cycle(context.Background(), outlooksync.Job{UserID: 1, CalendarID: m.calID, Graph: m.graph}); err == nil {
			t.Fatal("the crash was not reported")
		}
		m.engine.HookAfterWrite = nil
		m.quiet(2, "after the relink")
		for _, who := range []string{bobMail, carolMail} {
			if got := m.messages(who); got.Invitations != 2 || got.Updates != 0 {
				t.Fatalf("%s received %+v, want two invitations and nothing else", who, got)
			}
		}

		// A change they see: one update each, once.
		before := m.counts()
		if _, _, err := m.cal.Edit(context.Background(), m.user, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: ptr("Room 2")}); err != nil {
			t.Fatal(err)
		}
		m.syncAll()
		after := m.counts()
		for i := range after {
			if after[i].Updates != before[i].Updates+1 || after[i].Cancellations != before[i].Cancellations || after[i].Invitations != before[i].Invitations {
				t.Fatalf("attendee %d: %+v after moving the meeting, before %+v: want one update", i, after[i], before[i])
			}
		}
		m.quiet(2, "after the change")

		// Answers go to the organizer, not to the other attendees.
		m.answer(m.bob, e, calendar.ScopeAll, time.Time{}, calendar.Yes)
		m.quiet(2, "after bob's answer")

		// Outlook's "this and all following", made in alice's Outlook: matching it back to the
		// event sends nothing more than Outlook itself did.
		links, err := m.store.Links(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range links {
			if l.EventID != e.ID {
				continue
			}
			if _, err := m.fake.SplitSeries(mailbox, l.RemoteID, m.at(15, 10, 0), fakeoutlook.Change{Start: ptr(m.at(15, 11, 0)), End: ptr(m.at(15, 12, 0))}); err != nil {
				t.Fatal(err)
			}
		}
		m.quiet(3, "after Outlook's split")
		if got := m.event(e.ID); len(got.Segments) != 2 {
			t.Fatalf("the split made %d segments, want 2", len(got.Segments))
		}
		if n := m.organizedBy(1); n != 2 {
			t.Fatalf("alice organizes %d events after the split, want Planning and Offsite", n)
		}
	})
}

func TestLocalSplitOfAMeetingKeepsEveryoneOnOneEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := weeklyMeeting(m)
		m.answer(m.bob, e, calendar.ScopeAll, time.Time{}, calendar.Yes)
		m.syncAll()
		// This and following, from the third week, an hour later.
		if _, _, err := m.cal.Edit(context.Background(), m.user, e.ID, nil, calendar.ScopeFollowing, m.at(15, 10, 0).UTC(),
			calendar.Change{Start: wallp(wall(m.at(15, 11, 0))), End: wallp(wall(m.at(15, 12, 0)))}); err != nil {
			t.Fatal(err)
		}
		m.syncAll()
		m.syncAll()
		m.same()
		if n := m.organizedBy(2); n != 0 {
			t.Fatalf("bob's sync imported %d events", n)
		}
		got := m.seenBy(m.bob.user)
		if len(got) != 6 {
			t.Fatalf("bob sees %d instances after the split, want 6:\n%s", len(got), strings.Join(got, "\n"))
		}
		for _, l := range got {
			if !strings.HasSuffix(l, " yes") {
				t.Fatalf("bob's answer was lost in the split: %q", l)
			}
		}
		evs, err := m.fake.Events(bobMail)
		if err != nil {
			t.Fatal(err)
		}
		live := 0
		for _, ev := range evs {
			if !ev.IsCancelled {
				live++
			}
		}
		if live != 2 {
			t.Fatalf("bob's Outlook has %d live items, want the two parts of the series", live)
		}
		m.quiet(2, "after the split")
	})
}

func TestNewScheduleCancelsTheOldSingleEventsOfOneInstanceInvitees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		e := m.create(calendar.EventInput{Title: "Clinic", Start: wall(m.at(1, 9, 0)), End: wall(m.at(1, 10, 0)), RRule: "FREQ=WEEKLY;BYDAY=TU;COUNT=4"})
		e = m.invite(e, calendar.ScopeInstance, m.at(8, 9, 0).UTC(), 3)
		m.syncAll()
		// An hour later, every week: Outlook would drop the exception and leave carol's
		// single event at the old time.
		if _, _, err := m.cal.Edit(context.Background(), m.user, e.ID, nil, calendar.ScopeAll, time.Time{},
			calendar.Change{Start: wallp(wall(m.at(1, 10, 0))), End: wallp(wall(m.at(1, 11, 0)))}); err != nil {
			t.Fatal(err)
		}
		m.syncAll()
		m.same()
		evs, err := m.fake.Events(carolMail)
		if err != nil {
			t.Fatal(err)
		}
		var live, cancelled int
		for _, ev := range evs {
			switch {
			case ev.IsCancelled:
				cancelled++
			case ev.Start.Equal(m.at(8, 10, 0)):
				live++
			default:
				t.Fatalf("carol has a live single event at %s, want only the new time", ev.Start)
			}
		}
		if live != 1 || cancelled != 1 {
			t.Fatalf("carol has %d live and %d cancelled items, want the new one and the cancelled old one", live, cancelled)
		}
		m.quiet(2, "after the new schedule")
	})
}
