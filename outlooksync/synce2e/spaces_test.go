package synce2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// A space's events shown in a member's My Calendar are not the member's own: the sync of My
// Calendar pushes what the member organizes or is invited to, as before spaces, and nothing
// else. (Publishing a space into its members' Outlook is a separate calendar there, a later
// feature.)
func TestSpaceEventsInMyCalendarAreNotPushedToTheMembersOutlook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		ctx := context.Background()
		sp, err := m.cal.CreateSpace(ctx, m.user, calendar.SpaceInput{Name: "Team", Visibility: calendar.SpacePublic})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.cal.JoinSpace(ctx, m.bob.user, sp.ID); err != nil {
			t.Fatal(err)
		}
		newIn := func(title string, day int) *calendar.Event {
			e, err := calendar.NewEvent(sp.CalendarID, m.user.UserID, calendar.EventInput{Title: title, Start: wall(m.at(day, 10, 0)),
				End: wall(m.at(day, 11, 0)), TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;COUNT=3"})
			if err != nil {
				t.Fatal(err)
			}
			if err := m.cal.Create(ctx, e); err != nil {
				t.Fatal(err)
			}
			return e
		}
		shown := newIn("Team lunch", 1)
		invited := newIn("Team planning", 2)
		m.invite(invited, calendar.ScopeAll, time.Time{}, m.bob.user.UserID)
		m.syncAll()
		m.syncAll()

		// Bob's My Calendar shows both: the first only because he shows the space there.
		got := strings.Join(m.seenBy(m.bob.user), "\n")
		if strings.Count(got, "Team lunch") != 3 || strings.Count(got, "Team planning") != 3 {
			t.Fatalf("bob's My Calendar:\n%s\nwant three instances of each space event", got)
		}
		// His Outlook has the event he is invited to, as an invitation, and not the other.
		bobs, err := m.fake.Events(bobMail)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range bobs {
			if ev.Subject == "Team lunch" {
				t.Fatalf("the My Calendar sync pushed a space event bob neither organizes nor is invited to into his Outlook: %+v", ev)
			}
		}
		if cp := m.copyOf(bobMail, "Team planning"); cp.IsOrganizer {
			t.Error("bob's copy of the event he is invited to claims he organizes it")
		}
		if n := m.messages(bobMail); n.Invitations != 1 {
			t.Errorf("bob received %+v, want one invitation (Team planning)", n)
		}
		// The organizer's Outlook has both, as before spaces.
		m.copyOf(mailbox, "Team lunch")
		m.copyOf(mailbox, "Team planning")
		// Bob's cycles changed neither event nor imported one of his own.
		if e := m.event(shown.ID); e.Version != shown.Version || e.DeletedAt != nil {
			t.Errorf("bob's sync changed the space event: version %d -> %d, deleted %v", shown.Version, e.Version, e.DeletedAt)
		}
		if n := m.organizedBy(m.bob.user.UserID); n != 0 {
			t.Errorf("bob's sync imported %d events", n)
		}
	})
}

// An event to which its whole space is invited reaches a member who joins later as an
// invitation, like any other: the join bumps the event, the organizer's sync adds the
// attendee, and the member's Outlook gets the meeting.
func TestJoiningASpaceWithAWholeSpaceInvitationInvitesTheNewMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		m := newMeetingWorld(t, db, fakeoutlook.Options{})
		ctx := context.Background()
		sp, err := m.cal.CreateSpace(ctx, m.user, calendar.SpaceInput{Name: "Team", Visibility: calendar.SpacePublic})
		if err != nil {
			t.Fatal(err)
		}
		e, err := calendar.NewEvent(sp.CalendarID, m.user.UserID, calendar.EventInput{Title: "All hands", Start: wall(m.at(3, 10, 0)),
			End: wall(m.at(3, 11, 0)), TimeZone: "Europe/Berlin"})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.cal.CreateInvitingSpace(ctx, e); err != nil {
			t.Fatal(err)
		}
		m.syncAll()
		if _, err := m.fake.FindEvent(bobMail, "All hands"); err == nil {
			t.Fatal("bob has the meeting before joining the space")
		}
		if err := m.cal.JoinSpace(ctx, m.bob.user, sp.ID); err != nil {
			t.Fatal(err)
		}
		m.syncAll()
		if responseOf(m.copyOf(mailbox, "All hands"), bobMail) == "(not an attendee)" {
			t.Error("the organizer's Outlook meeting does not list bob after he joined")
		}
		if cp := m.copyOf(bobMail, "All hands"); cp.IsOrganizer {
			t.Error("bob's copy claims he organizes it")
		}
	})
}
