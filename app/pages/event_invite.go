package pages

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// inviteResults is how many people a search for colleagues lists.
const inviteResults = 20

// invitePanel is the "Invite colleagues" part of the details page: a search by name or e-mail
// address (?q=), its results as checkboxes, and whether to invite to all instances or this one.
type invitePanel struct {
	Query     string
	Searched  bool
	Results   []inviteCandidate
	Recurring bool
	Date      string // the instance's date, for "only on ..."
}

type inviteCandidate struct {
	ID      int64
	Name    string
	Email   string
	Already string // "invited", "invited to this date": shown instead of a checkbox
}

// invitePanel searches the colleagues the query names.
func (h *Events) invitePanel(c echo.Context, le loadedEvent) (invitePanel, error) {
	loc := accounts.CurrentViewer(c).Location()
	p := invitePanel{
		Query:     strings.TrimSpace(c.QueryParam("q")),
		Recurring: le.full.IsRecurring(),
		Date:      le.instance.Start.In(loc).Format("Monday 2 January"),
	}
	if p.Query == "" {
		return p, nil
	}
	p.Searched = true
	found, err := h.users.Search(c.Request().Context(), p.Query, inviteResults)
	if err != nil {
		return p, err
	}
	for _, u := range found {
		if u.ID == le.full.OrganizerID {
			continue
		}
		cand := inviteCandidate{ID: u.ID, Name: u.Name, Email: u.Email}
		for _, in := range le.full.Invitations {
			if in.UserID != u.ID {
				continue
			}
			switch {
			case in.Instance == nil:
				cand.Already = "invited"
			case in.Instance.Equal(le.orig) && cand.Already == "":
				cand.Already = "invited to this date"
			}
		}
		p.Results = append(p.Results, cand)
	}
	return p, nil
}

// Invite invites the checked colleagues to all instances or to the one instance.
func (h *Events) Invite(c echo.Context) error {
	le, err := h.loadEvent(c, c.FormValue("instance"))
	if err != nil {
		return err
	}
	back := instanceURL(le.full.ID, le.orig)
	if c.FormValue("space") == "yes" {
		if _, err := h.cal.InviteSpace(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), le.full.ID); err != nil {
			var invalid *calendar.ValidationError
			if errors.As(err, &invalid) {
				h.flash(c, "Nobody was invited: "+strings.Join(fieldMessages(invalid), " "))
				return c.Redirect(http.StatusSeeOther, back)
			}
			return err
		}
		h.flash(c, "Invited the whole space: its members now and those who join later.")
		return c.Redirect(http.StatusSeeOther, back)
	}
	params, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	var ids []int64
	for _, s := range params["user"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "The people to invite are named by their account numbers.")
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		h.flash(c, "Tick at least one person to invite.")
		return c.Redirect(http.StatusSeeOther, back+"#invite")
	}
	ctx := c.Request().Context()
	people, err := h.users.ListByIDs(ctx, ids)
	if err != nil {
		return err
	}
	if len(people) != len(ids) {
		return &calendar.ValidationError{Fields: map[string]string{"user": "Someone on the list has no account any more."}}
	}
	scope := calendar.ScopeAll
	if c.FormValue("scope") == string(calendar.ScopeInstance) {
		scope = calendar.ScopeInstance
	}
	cv := accounts.CurrentViewer(c).CalendarViewer()
	if _, err := h.cal.Invite(ctx, cv, le.full.ID, ids, scope, le.orig); err != nil {
		var invalid *calendar.ValidationError
		if errors.As(err, &invalid) {
			h.flash(c, "Nobody was invited: "+strings.Join(fieldMessages(invalid), " "))
			return c.Redirect(http.StatusSeeOther, back)
		}
		return err
	}
	names := make([]string, len(people))
	for i, u := range people {
		names[i] = u.Name
	}
	what := "all instances"
	if scope == calendar.ScopeInstance {
		what = "this date"
	}
	h.flash(c, "Invited "+joinWords(names)+" to "+what+".")
	return c.Redirect(http.StatusSeeOther, back)
}

// fieldMessages lists a validation error's messages.
func fieldMessages(v *calendar.ValidationError) []string {
	out := make([]string, 0, len(v.Fields))
	for _, m := range v.Fields {
		out = append(out, m)
	}
	return out
}
