package calendar_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// spaceEvent creates an event in the space's calendar, organized by v.
func spaceEvent(t *testing.T, st *calendar.Store, v calendar.Viewer, sp calendar.Space, in calendar.EventInput) *calendar.Event {
	t.Helper()
	if in.TimeZone == "" {
		in.TimeZone = "Europe/Berlin"
	}
	if err := st.CheckWritable(context.Background(), v, sp.CalendarID); err != nil {
		t.Fatalf("%d may not write to space %q: %v", v.UserID, sp.Name, err)
	}
	e, err := calendar.NewEvent(sp.CalendarID, v.UserID, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Create(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func newSpace(t *testing.T, st *calendar.Store, v calendar.Viewer, name string, vis calendar.SpaceVisibility) calendar.Space {
	t.Helper()
	sp, err := st.CreateSpace(context.Background(), v, calendar.SpaceInput{Name: name, Visibility: vis})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestSpaceMembership(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		team := newSpace(t, st, alice, "Team", calendar.SpacePublic)
		if team.Role != calendar.RoleAdmin || !team.ShowInCalendar || team.Members != 1 || team.CalendarID == 0 {
			t.Fatalf("creator's view of a new space = %+v, want its administrator showing it, one member", team)
		}
		if _, err := st.CreateSpace(ctx, alice, calendar.SpaceInput{Name: "  ", Visibility: "secret"}); !hasFields(err, "name", "visibility") {
			t.Fatalf("a space without name and with an unknown visibility: %v, want both fields named", err)
		}

		// Joining and leaving a public space.
		if err := st.JoinSpace(ctx, bob, team.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinSpace(ctx, bob, team.ID); err != nil {
			t.Fatalf("joining twice: %v, want nothing to happen", err)
		}
		got, _ := st.Space(ctx, bob, team.ID)
		if got.Role != calendar.RoleMember || got.Members != 2 {
			t.Fatalf("bob after joining = %+v", got)
		}
		if err := st.AddSpaceMembers(ctx, bob, team.ID, []int64{carol.UserID}, calendar.RoleMember); !errors.Is(err, calendar.ErrForbidden) {
			t.Fatalf("a member adding members: %v, want forbidden", err)
		}
		if err := st.RemoveSpaceMember(ctx, bob, team.ID, alice.UserID); !errors.Is(err, calendar.ErrForbidden) {
			t.Fatalf("a member removing the administrator: %v, want forbidden", err)
		}

		// The last administrator can neither leave nor be demoted; once another is made, they can.
		if err := st.RemoveSpaceMember(ctx, alice, team.ID, alice.UserID); !errors.Is(err, calendar.ErrConflict) {
			t.Fatalf("the last administrator leaving: %v, want a conflict", err)
		}
		if err := st.AddSpaceMembers(ctx, alice, team.ID, []int64{alice.UserID}, calendar.RoleMember); !errors.Is(err, calendar.ErrConflict) {
			t.Fatalf("the last administrator made a member: %v, want a conflict", err)
		}
		if err := st.AddSpaceMembers(ctx, alice, team.ID, []int64{bob.UserID}, calendar.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if err := st.RemoveSpaceMember(ctx, alice, team.ID, alice.UserID); err != nil {
			t.Fatalf("leaving with another administrator left: %v", err)
		}
		members, err := st.SpaceMembers(ctx, carol, team.ID)
		if err != nil || len(members) != 1 || members[0].UserID != bob.UserID || members[0].Role != calendar.RoleAdmin {
			t.Fatalf("members = %+v, %v; want bob alone, administrator", members, err)
		}
		if err := st.RemoveSpaceMember(ctx, bob, team.ID, carol.UserID); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("removing a non-member: %v, want not found", err)
		}

		// A private space: invisible to non-members, not joinable, administrators add people.
		board := newSpace(t, st, alice, "Board", calendar.SpacePrivate)
		if _, err := st.Space(ctx, bob, board.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("a non-member reading a private space: %v, want not found", err)
		}
		if err := st.JoinSpace(ctx, bob, board.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Fatalf("a non-member joining a private space: %v, want not found", err)
		}
		if err := st.AddSpaceMembers(ctx, alice, board.ID, []int64{carol.UserID}, calendar.RoleMember); err != nil {
			t.Fatal(err)
		}
		names := func(v calendar.Viewer) []string {
			list, err := st.Spaces(ctx, v)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range list {
				out = append(out, s.Name+":"+string(s.Role))
			}
			return out
		}
		if got := names(bob); !slices.Equal(got, []string{"Team:admin"}) {
			t.Errorf("bob's spaces = %v, want the public one only", got)
		}
		if got := names(carol); !slices.Equal(got, []string{"Board:member", "Team:"}) {
			t.Errorf("carol's spaces = %v, want the private one she belongs to and the public one", got)
		}
		if err := st.CheckWritable(ctx, bob, board.CalendarID); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("a non-member writing to a private space: %v, want not found", err)
		}
		if err := st.CheckWritable(ctx, carol, team.CalendarID); !errors.Is(err, calendar.ErrForbidden) {
			t.Errorf("a non-member writing to a public space: %v, want forbidden", err)
		}

		// A deleted account leaves its spaces.
		if _, err := st.RemovePerson(ctx, carol.UserID); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Space(ctx, alice, board.ID); err != nil || got.Members != 1 {
			t.Errorf("the private space after its member's account was deleted: %+v, %v; want alice alone", got, err)
		}
	})
}

func TestSpaceEventVisibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		board := newSpace(t, st, alice, "Board", calendar.SpacePrivate)
		team := newSpace(t, st, alice, "Team", calendar.SpacePublic)
		if err := st.AddSpaceMembers(ctx, alice, board.ID, []int64{bob.UserID}, calendar.RoleMember); err != nil {
			t.Fatal(err)
		}
		if err := st.JoinSpace(ctx, bob, team.ID); err != nil {
			t.Fatal(err)
		}
		secret := spaceEvent(t, st, alice, board, calendar.EventInput{Title: "Board meeting", Start: "2026-03-10T10:00:00"})
		open := spaceEvent(t, st, alice, team, calendar.EventInput{Title: "Team lunch", Start: "2026-03-11T12:00:00"})
		boardCal := march
		boardCal.CalendarID = board.CalendarID
		teamCal := march
		teamCal.CalendarID = team.CalendarID

		// Members see the space's events on its calendar and, by default, in My Calendar.
		if got := titles(t, st, bob, boardCal); !slices.Equal(got, []string{"03-10 10:00 Board meeting"}) {
			t.Errorf("bob's view of the private space = %v", got)
		}
		if got := titles(t, st, bob, march); !slices.Equal(got, []string{"03-10 10:00 Board meeting", "03-11 12:00 Team lunch"}) {
			t.Errorf("bob's My Calendar = %v, want both spaces' events", got)
		}
		if _, err := st.Get(ctx, bob, secret.ID); err != nil {
			t.Errorf("a member reading a private space's event: %v", err)
		}
		if err := st.Answer(ctx, bob, secret.ID, calendar.ScopeAll, at("2026-03-10T09:00:00Z"), calendar.No); err != nil {
			t.Errorf("a member answering a private space's event: %v", err)
		}

		// Non-members: the private space's events are nowhere; the public space's are visible
		// on its calendar but not in their My Calendar.
		if _, _, err := st.Occurrences(ctx, carol, boardCal); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("a non-member listing a private space: %v, want not found", err)
		}
		if _, err := st.Get(ctx, carol, secret.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("a non-member reading a private space's event: %v, want not found", err)
		}
		if _, _, err := st.Edit(ctx, carol, secret.ID, nil, calendar.ScopeAll, at("2026-03-10T09:00:00Z"), calendar.Change{Title: sp("x")}); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("a non-member editing a private space's event: %v, want not found", err)
		}
		if err := st.Answer(ctx, carol, secret.ID, calendar.ScopeAll, at("2026-03-10T09:00:00Z"), calendar.Yes); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("a non-member answering a private space's event: %v, want not found", err)
		}
		if got := titles(t, st, carol, teamCal); !slices.Equal(got, []string{"03-11 12:00 Team lunch"}) {
			t.Errorf("a non-member's view of the public space = %v", got)
		}
		if _, err := st.Get(ctx, carol, open.ID); err != nil {
			t.Errorf("a non-member reading a public space's event: %v", err)
		}
		if got := titles(t, st, carol, march); len(got) != 0 {
			t.Errorf("carol's My Calendar = %v, want nothing of spaces she is not in", got)
		}
		// A public space's event she answered yes to is in her My Calendar; a private one's
		// stays hidden even from an administrator of the site.
		if err := st.Answer(ctx, carol, open.ID, calendar.ScopeAll, at("2026-03-11T11:00:00Z"), calendar.Yes); err != nil {
			t.Fatal(err)
		}
		if got := titles(t, st, carol, march); !slices.Equal(got, []string{"03-11 12:00 Team lunch"}) {
			t.Errorf("carol's My Calendar after saying yes = %v", got)
		}
		siteAdmin := calendar.Viewer{UserID: 9, IsAdmin: true}
		if _, err := st.Get(ctx, siteAdmin, secret.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("a site administrator reading a private space's event: %v, want not found", err)
		}

		// Search finds what My Calendar shows, and never a private space's event for a non-member.
		search := func(v calendar.Viewer, text string) int {
			res, err := st.Search(ctx, v, calendar.SearchQuery{Text: text, Now: at("2026-03-01T00:00:00Z")})
			if err != nil {
				t.Fatal(err)
			}
			return len(res.Hits)
		}
		if search(bob, "board") != 1 || search(carol, "board") != 0 {
			t.Errorf("search for the private space's event: bob %d, carol %d hits; want 1 and 0", search(bob, "board"), search(carol, "board"))
		}

		// Inviting a non-member to a private space's event is refused.
		if _, err := st.Invite(ctx, alice, secret.ID, []int64{carol.UserID}, calendar.ScopeAll, at("2026-03-10T09:00:00Z")); !hasFields(err, "invitees") {
			t.Errorf("inviting a non-member to a private space's event: %v, want invitees named", err)
		}

		// Show in My Calendar off: gone from My Calendar and its search, still on the space's page.
		if err := st.SetShowInCalendar(ctx, bob, board.ID, false); err != nil {
			t.Fatal(err)
		}
		if got := titles(t, st, bob, march); !slices.Equal(got, []string{"03-11 12:00 Team lunch"}) {
			t.Errorf("bob's My Calendar with the board hidden = %v", got)
		}
		if search(bob, "board") != 0 {
			t.Errorf("search of My Calendar found a hidden space's event")
		}
		if got := titles(t, st, bob, boardCal); !slices.Equal(got, []string{"03-10 10:00 Board meeting"}) {
			t.Errorf("the space's calendar with show-in-My-Calendar off = %v", got)
		}

		// Removed from the private space, bob sees none of it, not even the event he organized
		// there nor the one he was invited to.
		if err := st.SetShowInCalendar(ctx, bob, board.ID, true); err != nil {
			t.Fatal(err)
		}
		spaceEvent(t, st, bob, board, calendar.EventInput{Title: "Bob's agenda", Start: "2026-03-12T10:00:00"})
		if _, err := st.Invite(ctx, alice, secret.ID, []int64{bob.UserID}, calendar.ScopeAll, at("2026-03-10T09:00:00Z")); err != nil {
			t.Fatal(err)
		}
		if err := st.RemoveSpaceMember(ctx, alice, board.ID, bob.UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Get(ctx, bob, secret.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("a former member reading a private space's event: %v, want not found", err)
		}
		if got := titles(t, st, bob, march); !slices.Equal(got, []string{"03-11 12:00 Team lunch"}) {
			t.Errorf("a former member's My Calendar = %v, want the private space's events gone", got)
		}
		if search(bob, "agenda") != 0 || search(bob, "board") != 0 {
			t.Errorf("a former member's search finds the private space's events")
		}
	})
}

// hasFields reports whether err is a validation error naming every field.
func hasFields(err error, fields ...string) bool {
	var ve *calendar.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range fields {
		if _, ok := ve.Fields[f]; !ok {
			return false
		}
	}
	return true
}

func TestInviteTheWholeSpace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		team := newSpace(t, st, alice, "Team", calendar.SpacePublic)
		if err := st.JoinSpace(ctx, bob, team.ID); err != nil {
			t.Fatal(err)
		}
		invitees := func(id int64) []int64 {
			t.Helper()
			e, err := st.GetFull(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, in := range e.Invitations {
				out = append(out, in.UserID)
			}
			slices.Sort(out)
			return out
		}
		e, err := calendar.NewEvent(team.CalendarID, alice.UserID, calendar.EventInput{Title: "All hands", Start: "2026-03-10T10:00:00", TimeZone: "Europe/Berlin"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateInvitingSpace(ctx, e); err != nil {
			t.Fatal(err)
		}
		if got := invitees(e.ID); !slices.Equal(got, []int64{bob.UserID}) {
			t.Fatalf("invited at creation: %v, want bob (the organizer is no invitee)", got)
		}
		if ok, _ := st.InvitesSpace(ctx, e.ID); !ok {
			t.Error("the event does not say it invites its space")
		}
		// A member who joins later is invited; one who leaves is not any more.
		if err := st.JoinSpace(ctx, carol, team.ID); err != nil {
			t.Fatal(err)
		}
		if got := invitees(e.ID); !slices.Equal(got, []int64{bob.UserID, carol.UserID}) {
			t.Fatalf("after carol joined: %v, want bob and carol", got)
		}
		dave := calendar.Viewer{UserID: 4}
		if err := st.AddSpaceMembers(ctx, alice, team.ID, []int64{dave.UserID}, calendar.RoleMember); err != nil {
			t.Fatal(err)
		}
		if got := invitees(e.ID); !slices.Contains(got, dave.UserID) {
			t.Errorf("a member added by an administrator is not invited: %v", got)
		}
		if err := st.RemoveSpaceMember(ctx, carol, team.ID, carol.UserID); err != nil {
			t.Fatal(err)
		}
		if got := invitees(e.ID); slices.Contains(got, carol.UserID) {
			t.Errorf("a member who left is still invited: %v", got)
		}

		// An existing event: only its organizer (or a site administrator) invites the space.
		later := spaceEvent(t, st, alice, team, calendar.EventInput{Title: "Retro", Start: "2026-03-12T10:00:00"})
		if _, err := st.InviteSpace(ctx, bob, later.ID); !errors.Is(err, calendar.ErrForbidden) {
			t.Errorf("a member inviting the space to another's event: %v, want forbidden", err)
		}
		if _, err := st.InviteSpace(ctx, alice, later.ID); err != nil {
			t.Fatal(err)
		}
		if got := invitees(later.ID); !slices.Equal(got, []int64{bob.UserID, dave.UserID}) {
			t.Errorf("invited to the existing event: %v, want bob and dave", got)
		}
		mine := create(t, st, alice, calendar.EventInput{Title: "Dentist", Start: "2026-03-12T08:00:00"})
		if _, err := st.InviteSpace(ctx, alice, mine.ID); !hasFields(err, "space") {
			t.Errorf("inviting a space to a My Calendar event: %v, want the space named", err)
		}

		// A public space made private keeps only its members' invitations.
		open := spaceEvent(t, st, alice, team, calendar.EventInput{Title: "Open house", Start: "2026-03-14T10:00:00"})
		if _, err := st.Invite(ctx, alice, open.ID, []int64{bob.UserID, carol.UserID}, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.UpdateSpace(ctx, alice, team.ID, calendar.SpaceInput{Name: "Team", Visibility: calendar.SpacePrivate}); err != nil {
			t.Fatal(err)
		}
		if got := invitees(open.ID); !slices.Equal(got, []int64{bob.UserID}) {
			t.Errorf("invitees after the space became private: %v, want bob alone (carol left)", got)
		}

		// Removed from a private space, a member loses every invitation to its events.
		board := newSpace(t, st, alice, "Board", calendar.SpacePrivate)
		if err := st.AddSpaceMembers(ctx, alice, board.ID, []int64{bob.UserID}, calendar.RoleMember); err != nil {
			t.Fatal(err)
		}
		secret := spaceEvent(t, st, alice, board, calendar.EventInput{Title: "Budget", Start: "2026-03-13T10:00:00"})
		if _, err := st.Invite(ctx, alice, secret.ID, []int64{bob.UserID}, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if err := st.RemoveSpaceMember(ctx, alice, board.ID, bob.UserID); err != nil {
			t.Fatal(err)
		}
		if got := invitees(secret.ID); len(got) != 0 {
			t.Errorf("a former member of a private space is still invited: %v", got)
		}
	})
}
