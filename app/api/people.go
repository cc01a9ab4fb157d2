package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
)

// People is the directory's JSON: everyone's profile, and one's own to edit.
type People struct {
	profiles *accounts.Profiles
	users    *accounts.Users
}

// NewPeople is the directory API on the profiles and the accounts.
func NewPeople(profiles *accounts.Profiles, users *accounts.Users) *People {
	return &People{profiles: profiles, users: users}
}

// profileJSON is a person's directory fields.
type profileJSON struct {
	JobTitle       string   `json:"jobTitle"`
	Department     string   `json:"department"`
	OfficeLocation string   `json:"officeLocation"`
	OfficePhone    string   `json:"officePhone"`
	MobilePhone    string   `json:"mobilePhone"`
	Locked         []string `json:"locked"`
}

func profileOf(p accounts.Profile) profileJSON {
	out := profileJSON{JobTitle: p.JobTitle, Department: p.Department, OfficeLocation: p.OfficeLocation,
		OfficePhone: p.OfficePhone, MobilePhone: p.MobilePhone, Locked: []string{}}
	for _, f := range accounts.ProfileFields() {
		if p.IsLocked(f.Name) {
			out.Locked = append(out.Locked, f.Name)
		}
	}
	return out
}

// directoryPersonJSON is one person of the directory.
type directoryPersonJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	profileJSON
}

// List is GET /api/v1/people[?q=][&department=][&limit=N][&offset=N]: active people by
// name, with their profiles and the number that match.
func (h *People) List(c echo.Context) error {
	limit, err := intParam(c, "limit", 50, 1, 100)
	if err != nil {
		return err
	}
	offset, err := intParam(c, "offset", 0, 0, 1_000_000)
	if err != nil {
		return err
	}
	q := accounts.DirectoryQuery{Q: strings.TrimSpace(c.QueryParam("q")), Department: c.QueryParam("department"), Limit: limit, Offset: offset}
	if len(q.Q) > 200 || len(q.Department) > 255 {
		return httpkit.NewError(http.StatusBadRequest, "invalid_query", "q is at most 200 and department at most 255 characters.")
	}
	entries, total, err := h.profiles.Directory(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := struct {
		People []directoryPersonJSON `json:"people"`
		Total  int64                 `json:"total"`
	}{People: []directoryPersonJSON{}, Total: total}
	for _, e := range entries {
		out.People = append(out.People, directoryPersonJSON{ID: e.User.ID, Name: e.User.Name, Email: e.User.Email, profileJSON: profileOf(e.Profile)})
	}
	return c.JSON(http.StatusOK, out)
}

// intParam reads an optional whole-number query parameter within [lo, hi].
func intParam(c echo.Context, name string, def, lo, hi int) (int, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, httpkit.NewError(http.StatusBadRequest, "invalid_"+name, name+" must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi)+".")
	}
	return n, nil
}

// Mine is GET /api/v1/me/profile.
func (h *People) Mine(c echo.Context) error {
	p, err := h.profiles.Get(c.Request().Context(), accounts.CurrentViewer(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, profileOf(p))
}

// SetMine is PATCH /api/v1/me/profile: the fields sent change, the others stay; a locked
// field is 422 naming it.
func (h *People) SetMine(c echo.Context) error {
	var in map[string]string
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c)
	u, err := h.users.ByID(ctx, v.UserID)
	if err != nil {
		return err
	}
	p, err := h.profiles.Update(ctx, v, u, accounts.ProfileEdit{Values: in}, false)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, profileOf(p))
}
