package pages

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/view"
	"intracal/calendar"
)

// membersPage is the data of space_members.html.
type membersPage struct {
	view.Page
	Space   *spaceBanner
	Members []memberRow
	People  string // the add form's text, kept after a mistake
	Role    string
	Error   string
}

type memberRow struct {
	UserID    int64
	Name      string
	Email     string
	Admin     bool
	Self      bool
	RemoveURL string
}

// Members is GET /spaces/:id/members: who is in the space; administrators add and remove.
func (h *Spaces) Members(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	p, err := h.membersPage(c, sp)
	if err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "space_members.html", p)
}

func (h *Spaces) membersPage(c echo.Context, sp calendar.Space) (membersPage, error) {
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer()
	b := bannerOf(sp, v)
	members, err := h.cal.SpaceMembers(ctx, v, sp.ID)
	if err != nil {
		return membersPage{}, err
	}
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.UserID
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return membersPage{}, err
	}
	p := membersPage{Page: h.pageWithFlash(c, sp.Name+" · Members"), Space: b, Role: string(calendar.RoleMember)}
	for _, m := range members {
		who := people[m.UserID]
		p.Members = append(p.Members, memberRow{UserID: m.UserID, Name: who.Name, Email: who.Email, Admin: m.Role == calendar.RoleAdmin,
			Self: m.UserID == v.UserID, RemoveURL: b.MembersURL + "/" + strconv.FormatInt(m.UserID, 10) + "/remove"})
	}
	return p, nil
}

// AddMembers is POST /spaces/:id/members: the people named (addresses or names, one a line
// or separated by commas) join with the role chosen, or get it if they are members already.
func (h *Spaces) AddMembers(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer()
	if !sp.CanManage(v) {
		return &calendar.ForbiddenError{Message: "Only the space's administrators can add members."}
	}
	role, err := calendar.ParseSpaceRole(c.FormValue("role"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The role must be member or admin.")
	}
	text := c.FormValue("people")
	again := func(status int, msg string) error {
		p, err := h.membersPage(c, sp)
		if err != nil {
			return err
		}
		p.People, p.Role, p.Error = text, string(role), msg
		return h.pages.Render(c, status, "space_members.html", p)
	}
	found, msg, err := resolvePeople(ctx, h.people, h.users, text)
	if err != nil {
		return err
	}
	if msg == "" && len(found) == 0 {
		msg = "Name at least one person."
	}
	if msg != "" {
		return again(http.StatusUnprocessableEntity, msg)
	}
	ids := make([]int64, len(found))
	for i, p := range found {
		ids[i] = p.ID
	}
	err = h.cal.AddSpaceMembers(ctx, v, sp.ID, ids, role)
	var conflict *calendar.SpaceConflictError
	if errors.As(err, &conflict) {
		return again(http.StatusConflict, conflict.Message)
	}
	if err != nil {
		return err
	}
	h.flash(c, "Members saved.")
	return c.Redirect(http.StatusSeeOther, "/spaces/"+strconv.FormatInt(sp.ID, 10)+"/members")
}

// RemoveMember is POST /spaces/:id/members/:userId/remove: an administrator removes a member
// (a member removing themselves leaves). The last administrator stays, with a 409 page.
func (h *Spaces) RemoveMember(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	uid, err := httpkit.PathIDOf(c, "userId", "user id")
	if err != nil {
		return err
	}
	v := accounts.CurrentViewer(c).CalendarViewer()
	if err := h.cal.RemoveSpaceMember(c.Request().Context(), v, sp.ID, uid); err != nil {
		return err
	}
	if uid == v.UserID {
		h.flash(c, "You left "+sp.Name+".")
		return c.Redirect(http.StatusSeeOther, "/spaces")
	}
	h.flash(c, "Member removed.")
	return c.Redirect(http.StatusSeeOther, "/spaces/"+strconv.FormatInt(sp.ID, 10)+"/members")
}

// Join is POST /spaces/:id/join: the viewer joins a public space.
func (h *Spaces) Join(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	if err := h.cal.JoinSpace(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), sp.ID); err != nil {
		return err
	}
	h.flash(c, "You joined "+sp.Name+". Its events show in My Calendar; you can turn that off here.")
	return c.Redirect(http.StatusSeeOther, "/spaces/"+strconv.FormatInt(sp.ID, 10))
}

// Leave is POST /spaces/:id/leave: the viewer leaves the space (not its last administrator).
func (h *Spaces) Leave(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	if err := h.cal.RemoveSpaceMember(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), sp.ID, accounts.CurrentViewer(c).UserID); err != nil {
		return err
	}
	h.flash(c, "You left "+sp.Name+".")
	return c.Redirect(http.StatusSeeOther, "/spaces")
}

// ShowInCalendar is POST /spaces/:id/show with show=yes|no: whether the space's events show
// in the viewer's My Calendar.
func (h *Spaces) ShowInCalendar(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	var show bool
	switch c.FormValue("show") {
	case "yes":
		show = true
	case "no":
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "Choose yes or no for showing the space in My Calendar.")
	}
	if err := h.cal.SetShowInCalendar(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), sp.ID, show); err != nil {
		return err
	}
	if show {
		h.flash(c, sp.Name+"'s events show in My Calendar.")
	} else {
		h.flash(c, sp.Name+"'s events no longer show in My Calendar; they stay on the space's page.")
	}
	return c.Redirect(http.StatusSeeOther, "/spaces/"+strconv.FormatInt(sp.ID, 10))
}
