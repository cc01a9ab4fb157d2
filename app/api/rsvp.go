package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// RSVP is PUT /api/v1/events/{id}/rsvp: the viewer's answer for a scope.
func (h *Events) RSVP(c echo.Context) error {
	id, err := httpkit.PathID(c)
	if err != nil {
		return err
	}
	var in rsvpJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	scope, at, err := scopeOf(in.Scope, in.Instance, true, "scope", "instance")
	if err != nil {
		return err
	}
	v := accounts.CurrentViewer(c)
	e, err := h.cal.SetRSVP(c.Request().Context(), v.CalendarViewer(), id, scope, at, calendar.Response(in.Response))
	if err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, e, v)
}
