package synce2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/publish"
)

// A published space reaches every member's Outlook, connected or not, in a calendar named
// after it: series with their changed and cancelled occurrences, all-day events and other
// zones, a private event only for whom may see it, and no mail. A meeting the organizer's My
// Calendar sync puts in Outlook is not there twice. A member's deletion or change of a copy
// is undone on the next cycle, with the history saying so; a space change reaches every
// copy in the next cycle; an idle cycle costs one request per mailbox; a member who leaves,
// and everyone once the space is unpublished, loses the copies.
func TestPublishingASpaceIntoEveryMembersOutlook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w := newPublishWorld(t, db, true)
		standup := w.spaceEvent(w.user, calendar.EventInput{Title: "Standup", Location: "Room 1", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 15)),
			RRule: "FREQ=WEEKLY;COUNT=6"})
		if _, _, err := w.cal.Edit(ctx, w.user, standup.ID, nil, calendar.ScopeInstance, w.at(7, 9, 0).UTC(), calendar.Change{Title: ptr("Standup (long)"), Location: ptr("Hall")}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.cal.Delete(ctx, w.user, standup.ID, nil, calendar.ScopeInstance, w.at(14, 9, 0).UTC()); err != nil {
			t.Fatal(err)
		}
		offsiteEvent := w.spaceEvent(w.bob.user, calendar.EventInput{Title: "Offsite", Start: w.at(2, 0, 0).Format("2006-01-02"), End: w.at(4, 0, 0).Format("2006-01-02"), AllDay: true})
		w.spaceEvent(w.carol.user, calendar.EventInput{Title: "Call with New York", Start: wall(w.at(3, 11, 0).In(time.UTC)), End: wall(w.at(3, 12, 0).In(time.UTC)),
			TimeZone: "America/New_York", RRule: "FREQ=DAILY;COUNT=3"})
		w.spaceEvent(w.carol.user, calendar.EventInput{Title: "Carol's review", Start: wall(w.at(1, 14, 0)), End: wall(w.at(1, 15, 0)), Privacy: calendar.Private})
		planning := w.spaceEvent(w.user, calendar.EventInput{Title: "Planning", Start: wall(w.at(1, 10, 0)), End: wall(w.at(1, 11, 0)), RRule: "FREQ=WEEKLY;COUNT=3"})
		w.invite(planning, calendar.ScopeAll, time.Time{}, w.bob.user.UserID)
		w.invite(planning, calendar.ScopeInstance, w.at(8, 10, 0), w.carol.user.UserID)

		res := w.cycle()
		if res.Runs != 3 || res.Failed != 0 {
			t.Fatalf("first cycle: %+v, want three good runs", res)
		}
		w.samePublished()
		if got := strings.Join(w.copies(carolMail), "\n"); !strings.Contains(got, "Carol's review") || !strings.Contains(got, "Offsite") {
			t.Fatalf("carol, who never connected, has:\n%s", got)
		}
		if got := strings.Join(w.copies(bobMail), "\n"); strings.Contains(got, "Carol's review") {
			t.Fatalf("bob's copies show carol's private event:\n%s", got)
		}
		for _, email := range []string{mailbox, bobMail, carolMail} {
			if n := w.messages(email); n != (fakeoutlook.MessageCounts{}) {
				t.Errorf("publishing sent %s mail: %+v", email, n)
			}
		}

		// The My Calendar syncs put the meetings in alice's and bob's main calendars; the
		// space calendars leave them out, so nobody sees one twice.
		w.syncAll()
		w.syncAll()
		w.cycle()
		for _, email := range []string{mailbox, bobMail} {
			all := slices.Concat(w.mainCalendar(email), w.copies(email))
			slices.Sort(all)
			if d := slices.Compact(slices.Clone(all)); len(d) != len(all) {
				t.Fatalf("%s sees an event twice in Outlook:\n%s", email, strings.Join(all, "\n"))
			}
			if got := strings.Join(w.mainCalendar(email), "\n"); !strings.Contains(got, "Planning") {
				t.Fatalf("%s's main calendar has no Planning meeting:\n%s", email, got)
			}
		}
		if got := strings.Join(w.copies(mailbox), "\n"); strings.Contains(got, "Standup") || !strings.Contains(got, "Offsite") {
			t.Fatalf("alice's space calendar (she organizes Standup and syncs):\n%s", got)
		}

		// Idle: one request per mailbox.
		w.due()
		n := len(w.fake.Requests())
		if res := w.cycle(); res.Written != 0 || res.Failed != 0 {
			t.Fatalf("idle cycle wrote: %+v", res)
		}
		for mb, c := range w.requestsSince(n) {
			if c > 1 {
				t.Errorf("idle cycle: %d requests to %s, want at most 1", c, mb)
			}
		}

		// Carol deletes a copy and bob changes an occurrence of one: both come back.
		carolCal, bobCal := w.spaceCalendar(carolMail), w.spaceCalendar(bobMail)
		offsite := w.findIn(carolMail, carolCal, "Offsite")
		if err := w.fake.DeleteEvent(carolMail, offsite.ID); err != nil {
			t.Fatal(err)
		}
		call := w.findIn(bobMail, bobCal, "Call with New York")
		moved := "Moved by Bob"
		from, to := w.span()
		occ, err := w.fake.Instances(bobMail, call.ID, from, to)
		if err != nil || len(occ) != 3 {
			t.Fatalf("bob's occurrences of the call: %+v %v", occ, err)
		}
		if _, err := w.fake.UpdateEvent(bobMail, occ[1].ID, fakeoutlook.Change{Subject: &moved}); err != nil {
			t.Fatal(err)
		}
		w.due()
		if res := w.cycle(); res.Restored != 2 {
			t.Errorf("restoring cycle: %+v, want two copies restored", res)
		}
		w.samePublished()
		hist, err := w.pubStore.History(ctx, w.space.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		var said []string
		for _, h := range hist {
			said = append(said, h.Summary)
		}
		if !slices.Contains(said, "Restored a copy the member deleted in Outlook") || !slices.Contains(said, "Restored a copy the member changed in Outlook") {
			t.Errorf("history: %q", said)
		}

		// A change in the space reaches every copy in the next cycle, without waiting for
		// the targets to be due.
		if _, _, err := w.cal.Edit(ctx, w.bob.user, offsiteEvent.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Title: ptr("Offsite in Lisbon")}); err != nil {
			t.Fatal(err)
		}
		if res := w.cycle(); res.Written != 2 || res.Failed != 0 {
			ts, _ := w.pubStore.Targets(ctx, w.space.ID)
			t.Errorf("cycle after the space changed: %+v, want the two copies of Offsite written; targets %+v", res, ts)
		}
		w.samePublished()
		if got := strings.Join(w.copies(carolMail), "\n"); !strings.Contains(got, "Offsite in Lisbon") {
			t.Fatalf("carol's copies after the change:\n%s", got)
		}

		// Renaming the space renames every member's calendar in the next cycle.
		renamed, err := w.cal.UpdateSpace(ctx, w.user, w.space.ID, calendar.SpaceInput{Name: "Team Alpha", Visibility: calendar.SpacePublic})
		if err != nil {
			t.Fatal(err)
		}
		before := w.space.Name
		w.space = renamed
		w.cycle()
		for _, email := range []string{mailbox, bobMail, carolMail} {
			if id := w.spaceCalendar(email); id == "" {
				t.Errorf("%s has no calendar named %q after the rename from %q", email, renamed.Name, before)
			}
		}
		w.samePublished()

		// Carol leaves: her calendar goes. Then the space is unpublished: everyone's goes.
		if err := w.cal.RemoveSpaceMember(ctx, w.user, w.space.ID, w.carol.user.UserID); err != nil {
			t.Fatal(err)
		}
		w.left[w.carol.user.UserID] = true
		w.cycle()
		if id := w.spaceCalendar(carolMail); id != "" {
			t.Errorf("carol left and still has the space's calendar: %v", w.copies(carolMail))
		}
		if _, ok := w.target(w.carol.user.UserID); ok {
			t.Error("carol left and still has a target")
		}
		w.samePublished()
		if err := w.pubStore.SetPublished(ctx, w.space.ID, w.user.UserID, false, time.Now()); err != nil {
			t.Fatal(err)
		}
		w.cycle()
		for _, email := range []string{mailbox, bobMail} {
			if id := w.spaceCalendar(email); id != "" {
				t.Errorf("unpublished, and %s still has the space's calendar: %v", email, w.copies(email))
			}
		}
		if ts, err := w.pubStore.Targets(ctx, w.space.ID); err != nil || len(ts) != 0 {
			t.Errorf("targets after unpublishing: %+v %v", ts, err)
		}
		hist, _ = w.pubStore.History(ctx, w.space.ID, 3)
		if len(hist) == 0 || !strings.Contains(hist[0].Summary, "no longer published") {
			t.Errorf("history after unpublishing: %+v", hist)
		}
	})
}

// Without the tenant's admin consent every member's target fails with the reason the
// Control Panel keys its setup message on, and nothing is written; once consent is granted,
// "Publish now" publishes. A throttled mailbox fails alone and waits what Graph asked.
func TestPublishingWaitsForConsentAndAThrottledMailboxDelaysNoOther(t *testing.T) {
	db := dbtest.SQLite(t)
	w := newPublishWorld(t, db, false)
	w.spaceEvent(w.user, calendar.EventInput{Title: "Standup", Start: wall(w.at(2, 9, 0)), End: wall(w.at(2, 9, 15)), RRule: "FREQ=WEEKLY;COUNT=4"})
	if res := w.cycle(); res.Failed != 3 {
		t.Fatalf("without consent: %+v, want three failed runs", res)
	}
	tg, _ := w.target(w.carol.user.UserID)
	if !strings.HasPrefix(tg.LastError, publish.ConsentMissing) || tg.Failures != 1 || tg.LastOKAt != nil {
		t.Fatalf("carol's target without consent: %+v", tg)
	}
	if id := w.spaceCalendar(carolMail); id != "" {
		t.Fatal("a calendar was made without consent")
	}
	if err := w.fake.GrantAdminConsent(fakeoutlook.DemoTenantID, fakeoutlook.DemoClientID, "Calendars.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultThrottle, Mailbox: bobMail, RetryAfter: 30 * time.Minute})
	w.due()
	if res := w.cycle(); res.Runs != 3 || res.Failed != 1 {
		t.Fatalf("with consent and bob throttled: %+v, want bob's run alone to fail", res)
	}
	if got := w.copies(carolMail); len(got) != 4 {
		t.Fatalf("carol's copies: %v", got)
	}
	bob, _ := w.target(w.bob.user.UserID)
	if bob.Failures != 2 || bob.DueAt.Before(time.Now().Add(29*time.Minute)) {
		t.Errorf("bob's throttled target: %+v, want a second failure in a row, due after Graph's Retry-After", bob)
	}
	if c, _ := w.target(w.carol.user.UserID); c.LastError != "" || c.Failures != 0 || c.LastOKAt == nil {
		t.Errorf("carol's target after a good run: %+v", c)
	}
}
