package calendar_test

import (
	"errors"
	"slices"
	"testing"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// The Control Panel's view of spaces: a site administrator finds every space, private ones
// they are not in as well, with its members; nobody else does.
func TestSiteSpacesListEverySpaceForSiteAdministratorsOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := t.Context()
		siteAdmin := calendar.Viewer{UserID: 9, IsAdmin: true}
		board := newSpace(t, st, alice, "Board", calendar.SpacePrivate)
		newSpace(t, st, bob, "Allotment", calendar.SpacePublic)
		if err := st.AddSpaceMembers(ctx, alice, board.ID, []int64{bob.UserID}, calendar.RoleMember); err != nil {
			t.Fatal(err)
		}
		list, err := st.SiteSpaces(ctx, siteAdmin)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, sp := range list {
			got = append(got, sp.Name+":"+string(sp.Role))
		}
		if !slices.Equal(got, []string{"Allotment:", "Board:"}) || list[1].Members != 2 {
			t.Fatalf("a site administrator's list = %v (%+v), want both spaces by name, no role, Board with 2 members", got, list)
		}
		sp, members, err := st.SiteSpace(ctx, siteAdmin, board.ID)
		if err != nil || sp.Name != "Board" || len(members) != 2 || members[0].UserID != alice.UserID || members[0].Role != calendar.RoleAdmin {
			t.Fatalf("the private space for a site administrator = %+v %+v %v, want alice (administrator) first, then bob", sp, members, err)
		}
		if _, err := st.SiteSpaces(ctx, alice); !errors.Is(err, calendar.ErrForbidden) {
			t.Errorf("a space administrator listing every space: %v, want forbidden", err)
		}
		if _, _, err := st.SiteSpace(ctx, bob, board.ID); !errors.Is(err, calendar.ErrForbidden) {
			t.Errorf("a member reading a space as the site does: %v, want forbidden", err)
		}
		if _, _, err := st.SiteSpace(ctx, siteAdmin, board.ID+100); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("an unknown space: %v, want not found", err)
		}
		// Everywhere else (the pages, the API) the private space stays hidden from them.
		if _, err := st.Space(ctx, siteAdmin, board.ID); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("Space for a site administrator outside the private space: %v, want not found", err)
		}
	})
}
