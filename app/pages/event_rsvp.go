package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// RSVP records the viewer's answer (yes, maybe, no) for this instance, this and following,
// or all instances. An invitee of one instance of a private event can only answer for it; the
// calendar refuses anything wider.
func (h *Events) RSVP(c echo.Context) error {
	le, err := h.loadEvent(c, c.FormValue("instance"))
	if err != nil {
		return err
	}
	resp := calendar.Response(c.FormValue("response"))
	switch resp {
	case calendar.Yes, calendar.Maybe, calendar.No:
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "Answer yes, maybe or no.")
	}
	scope := calendar.Scope(c.FormValue("scope"))
	switch scope {
	case "":
		scope = calendar.ScopeInstance
	case calendar.ScopeInstance, calendar.ScopeFollowing, calendar.ScopeAll:
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "The scope must be instance, following or all.")
	}
	cv := accounts.CurrentViewer(c).CalendarViewer()
	if err := h.cal.Answer(c.Request().Context(), cv, le.full.ID, scope, le.orig, resp); err != nil {
		return err
	}
	word := map[calendar.Response]string{calendar.Yes: "Yes", calendar.Maybe: "Maybe", calendar.No: "No"}[resp]
	what := map[calendar.Scope]string{calendar.ScopeInstance: "this date", calendar.ScopeFollowing: "this and following dates",
		calendar.ScopeAll: "all dates"}[scope]
	h.flash(c, "You answered "+word+" for "+what+".")
	return c.Redirect(http.StatusSeeOther, backTo(c.FormValue("back"), instanceURL(le.full.ID, le.orig)))
}
