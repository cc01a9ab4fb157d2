package pages

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/view"
	"intracal/calendar"
)

// Undo is POST /undo: the Undo button that the page after a delete shows with its flash puts
// the event back as it was (calendar.Store.Undo) and opens the instance the delete was made
// from. Refused (too late, the event changed since, not the viewer's), it says why on a page
// of its own with the status.
func (h *Events) Undo(c echo.Context) error {
	token := strings.TrimSpace(c.FormValue("token"))
	if token == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "The form names no delete to undo.")
	}
	cv := accounts.CurrentViewer(c).CalendarViewer()
	u, err := h.cal.Undo(c.Request().Context(), cv, token, h.now())
	var refused *calendar.UndoError
	if errors.As(err, &refused) {
		e := httpkit.Classify(err)
		return h.pages.Render(c, e.Status, "error.html", view.MessagePage{
			Page: h.page(c, "Cannot undo"), Heading: "The delete cannot be undone", Message: refused.Message})
	}
	if err != nil {
		return err
	}
	at := u.Instance
	if at.IsZero() || !u.Event.HasInstance(at) {
		at, _ = u.Event.Segments[0].Schedule().FirstStart()
	}
	title := u.Event.Segments[0].Title
	if oc, _, err := u.Event.Instance(cv, at); err == nil {
		title = oc.Title
	}
	h.flash(c, "Restored “"+title+"”.")
	return c.Redirect(http.StatusSeeOther, instanceURL(u.Event.ID, at))
}
