package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/properties"
	"intracal/calendar"
)

// Spaces serves the JSON API of spaces: create, list, read, settings, members, join, and
// whether a space shows in the caller's My Calendar. A space's events go through the event
// API with its calendarId.
type Spaces struct {
	cal    *calendar.Store
	people *accounts.Directory
	props  *properties.Store
}

// NewSpaces is the space API on the calendar store, the people directory and the System
// Properties (who may create spaces).
func NewSpaces(cal *calendar.Store, people *accounts.Directory, props *properties.Store) *Spaces {
	return &Spaces{cal: cal, people: people, props: props}
}

type spaceInJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Visibility  string `json:"visibility"`
}

type spaceJSON struct {
	ID               int64     `json:"id"`
	CalendarID       int64     `json:"calendarId"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	Visibility       string    `json:"visibility"`
	Members          int       `json:"members"`
	Role             *string   `json:"role"` // null when the caller is not a member
	ShowInMyCalendar bool      `json:"showInMyCalendar"`
	CanManage        bool      `json:"canManage"` // the caller may change settings and members
	CreatedAt        time.Time `json:"createdAt"`
}

type memberJSON struct {
	accounts.Person
	Role  string    `json:"role"`
	Since time.Time `json:"since"`
}

func spaceOut(sp calendar.Space, v calendar.Viewer) spaceJSON {
	out := spaceJSON{ID: sp.ID, CalendarID: sp.CalendarID, Name: sp.Name, Description: sp.Description,
		Visibility: string(sp.Visibility), Members: sp.Members, ShowInMyCalendar: sp.ShowInCalendar, CanManage: sp.CanManage(v), CreatedAt: sp.CreatedAt}
	if sp.Role != "" {
		r := string(sp.Role)
		out.Role = &r
	}
	return out
}

// Create is POST /api/v1/spaces: a new space, the caller its administrator.
func (h *Spaces) Create(c echo.Context) error {
	var in spaceInJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c)
	ok, err := h.props.MayCreateSpaces(ctx, v)
	if err != nil {
		return err
	}
	if !ok {
		return &calendar.ForbiddenError{Message: "Only site administrators can create spaces on this site."}
	}
	sp, err := h.cal.CreateSpace(ctx, v.CalendarViewer(), calendar.SpaceInput{Name: in.Name, Description: in.Description, Visibility: calendar.SpaceVisibility(in.Visibility)})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, spaceOut(sp, v.CalendarViewer()))
}

// List is GET /api/v1/spaces: the spaces the caller may see, with their role.
func (h *Spaces) List(c echo.Context) error {
	v := accounts.CurrentViewer(c).CalendarViewer()
	list, err := h.cal.Spaces(c.Request().Context(), v)
	if err != nil {
		return err
	}
	out := make([]spaceJSON, len(list))
	for i, sp := range list {
		out[i] = spaceOut(sp, v)
	}
	return c.JSON(http.StatusOK, map[string]any{"spaces": out})
}

// Get is GET /api/v1/spaces/{id}: the space with its members.
func (h *Spaces) Get(c echo.Context) error {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, id)
}

// Update is PUT /api/v1/spaces/{id}: name, description and visibility, all three.
func (h *Spaces) Update(c echo.Context) error {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return err
	}
	var in spaceInJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	v := accounts.CurrentViewer(c).CalendarViewer()
	if _, err := h.cal.UpdateSpace(c.Request().Context(), v, id, calendar.SpaceInput{Name: in.Name, Description: in.Description, Visibility: calendar.SpaceVisibility(in.Visibility)}); err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, id)
}

// AddMembers is POST /api/v1/spaces/{id}/members: people by address, with a role.
func (h *Spaces) AddMembers(c echo.Context) error {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return err
	}
	var in struct {
		Emails []string `json:"emails"`
		Role   string   `json:"role"`
	}
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	if len(in.Emails) == 0 {
		return &calendar.ValidationError{Fields: map[string]string{"emails": "Give at least one e-mail address."}}
	}
	if len(in.Emails) > calendar.MaxInvitations {
		return &calendar.ValidationError{Fields: map[string]string{"emails": fmt.Sprintf("Add at most %d people at a time.", calendar.MaxInvitations)}}
	}
	role, err := calendar.ParseSpaceRole(in.Role)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	uids, err := h.people.IDsByEmail(ctx, in.Emails, func(i int) string { return "emails[" + strconv.Itoa(i) + "]" })
	if err != nil {
		return err
	}
	if err := h.cal.AddSpaceMembers(ctx, accounts.CurrentViewer(c).CalendarViewer(), id, uids, role); err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, id)
}

// RemoveMember is DELETE /api/v1/spaces/{id}/members/{userId}: an administrator removing a
// member, or a member leaving (their own id).
func (h *Spaces) RemoveMember(c echo.Context) error {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return err
	}
	uid, err := httpkit.PathIDOf(c, "userId", "user id")
	if err != nil {
		return err
	}
	if err := h.cal.RemoveSpaceMember(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), id, uid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// Join is POST /api/v1/spaces/{id}/join: the caller joins a public space.
func (h *Spaces) Join(c echo.Context) error {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return err
	}
	if err := h.cal.JoinSpace(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), id); err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, id)
}

// ShowInMyCalendar is PUT /api/v1/spaces/{id}/show {"showInMyCalendar": bool}.
func (h *Spaces) ShowInMyCalendar(c echo.Context) error {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return err
	}
	var in struct {
		Show *bool `json:"showInMyCalendar"`
	}
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	if in.Show == nil {
		return &calendar.ValidationError{Fields: map[string]string{"showInMyCalendar": "Give true or false."}}
	}
	if err := h.cal.SetShowInCalendar(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), id, *in.Show); err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, id)
}

// respond answers with the space and its members, as the caller sees them.
func (h *Spaces) respond(c echo.Context, status int, id int64) error {
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer()
	sp, err := h.cal.Space(ctx, v, id)
	if err != nil {
		return err
	}
	members, err := h.cal.SpaceMembers(ctx, v, id)
	if err != nil {
		return err
	}
	ids := make([]int64, len(members))
	for i, m := range members {
		ids[i] = m.UserID
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return err
	}
	out := struct {
		spaceJSON
		MemberList []memberJSON `json:"memberList"`
	}{spaceJSON: spaceOut(sp, v), MemberList: make([]memberJSON, 0, len(members))}
	for _, m := range members {
		out.MemberList = append(out.MemberList, memberJSON{Person: people[m.UserID], Role: string(m.Role), Since: m.Since})
	}
	return c.JSON(status, out)
}
