package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// Delete deletes this instance, this and following, or the whole event (the options the
// details page offers), then returns to the calendar at the instance's date, whose flash
// says what went with an Undo button (undo.go).
func (h *Events) Delete(c echo.Context) error {
	le, err := h.loadEvent(c, c.FormValue("instance"))
	if err != nil {
		return err
	}
	scope := calendar.Scope(c.FormValue("scope"))
	switch scope {
	case "":
		scope = calendar.ScopeAll
		if le.full.IsRecurring() {
			scope = calendar.ScopeInstance
		}
	case calendar.ScopeInstance, calendar.ScopeFollowing, calendar.ScopeAll:
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "The scope must be instance, following or all.")
	}
	expect, err := formVersion(c)
	if err != nil {
		return err
	}
	cv := accounts.CurrentViewer(c).CalendarViewer()
	d, err := h.cal.DeleteUndoable(c.Request().Context(), cv, le.full.ID, expect, scope, le.orig, h.now())
	if err != nil {
		return err
	}
	whole := d.Whole
	msg := map[calendar.Scope]string{
		calendar.ScopeInstance:  "Deleted “" + le.instance.Title + "” on " + le.instance.Start.In(accounts.CurrentViewer(c).Location()).Format("Monday 2 January") + ".",
		calendar.ScopeFollowing: "Deleted “" + le.instance.Title + "” from " + le.instance.Start.In(accounts.CurrentViewer(c).Location()).Format("Monday 2 January") + " on.",
		calendar.ScopeAll:       "Deleted the event “" + le.instance.Title + "”.",
	}[scope]
	if whole && scope != calendar.ScopeAll {
		msg = "Deleted the event “" + le.instance.Title + "”: it had no other instances."
	}
	h.flash(c, msg)
	h.view.Flash.SetUndo(c, d.Token, d.Until)
	first, _ := daySpan(le.instance, accounts.CurrentViewer(c).Location())
	return c.Redirect(http.StatusSeeOther, backTo(c.FormValue("back"), calendarURL(viewMonth, first)))
}
