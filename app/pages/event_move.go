package pages

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// maxMoveDays bounds how far one drag may move an instance: a year either way.
const maxMoveDays = 366

// Move is POST /events/:id/move, what a drag in the calendar sends: the instance moved by
// days and minutes (its start; endMinutes moves its end, so a drag of the end resizes it),
// for this instance, this and following, or all instances. The shift is in the viewer's wall
// clock, so a drag to 10:00 lands at 10:00 on the other side of a daylight-saving change; it
// is handed to the calendar as the instance's new start and end in the event's own zone, as
// the edit form would. An all-day instance moves by whole days.
func (h *Events) Move(c echo.Context) error {
	le, err := h.loadEvent(c, c.FormValue("instance"))
	if err != nil {
		return err
	}
	v := accounts.CurrentViewer(c)
	cv := v.CalendarViewer()
	if !le.full.CanEdit(cv) {
		return &calendar.ForbiddenError{Message: "Only the organizer or a site administrator can move this event."}
	}
	num := func(name string, limit int) (int, error) {
		s := c.FormValue(name)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < -limit || n > limit {
			return 0, echo.NewHTTPError(http.StatusBadRequest, "The "+name+" must be a whole number between -"+strconv.Itoa(limit)+" and "+strconv.Itoa(limit)+".")
		}
		return n, nil
	}
	days, err := num("days", maxMoveDays)
	if err != nil {
		return err
	}
	minutes, err := num("minutes", 24*60)
	if err != nil {
		return err
	}
	endMinutes, err := num("endMinutes", 24*60)
	if err != nil {
		return err
	}
	if c.FormValue("endMinutes") == "" {
		endMinutes = minutes
	}
	scope, err := editScope(c.FormValue("scope"), le.full.IsRecurring())
	if err != nil {
		return err
	}
	var expect *int
	if s := c.FormValue("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "The version must be a whole number.")
		}
		expect = &n
	}
	oc := le.instance
	if oc.AllDay {
		minutes, endMinutes = 0, 0
	}
	if days == 0 && minutes == 0 && endMinutes == 0 {
		return c.Redirect(http.StatusSeeOther, backTo(c.FormValue("back"), instanceURL(le.full.ID, le.orig)))
	}
	loc := v.Location()
	shift := func(t time.Time, mins int) time.Time {
		w := t.In(loc)
		return time.Date(w.Year(), w.Month(), w.Day()+days, w.Hour(), w.Minute()+mins, w.Second(), 0, loc)
	}
	start, end := shift(oc.Start, minutes), shift(oc.End, endMinutes)
	if oc.AllDay {
		// All-day dates are the same in every zone: move them as dates.
		start, end = oc.Start.AddDate(0, 0, days), oc.End.AddDate(0, 0, days)
	}
	if !end.After(start) {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "The event must end after it starts.")
	}
	// The new start and end, as wall times in the zone of the part they belong to.
	movedStart, movedEnd := start, end
	zone := oc.Start.Location()
	if scope == calendar.ScopeAll && le.full.IsRecurring() {
		// All instances: the event's first instance moves by the same shift.
		first := le.full.Segments[0]
		fs, _ := first.Schedule().FirstStart()
		zone = first.Start.Location()
		start, end = shift(fs, minutes), shift(fs.Add(first.Duration), endMinutes)
		if oc.AllDay {
			start, end = fs.AddDate(0, 0, days), fs.Add(first.Duration).AddDate(0, 0, days)
		}
	}
	ch := calendar.Change{Start: wallIn(start, zone, oc.AllDay), End: wallIn(end, zone, oc.AllDay)}
	if oc.AllDay {
		// The calendar reads an all-day end as the last day, as people type it.
		ch.End = wallIn(end.AddDate(0, 0, -1), zone, true)
	}
	if _, _, err := h.cal.Edit(c.Request().Context(), cv, le.full.ID, expect, scope, le.orig, ch); err != nil {
		return err
	}
	what := map[calendar.Scope]string{calendar.ScopeInstance: "", calendar.ScopeFollowing: " for this and the following dates",
		calendar.ScopeAll: " for all dates"}[scope]
	h.flash(c, "Moved “"+oc.Title+"” to "+movedStart.In(loc).Format("Monday 2 January")+whenClock(movedStart, movedEnd, loc, oc.AllDay)+what+".")
	return c.Redirect(http.StatusSeeOther, backTo(c.FormValue("back"), instanceURL(le.full.ID, le.orig)))
}

// wallIn is t as a wall time in loc for the calendar's Change, a date for all-day.
func wallIn(t time.Time, loc *time.Location, allDay bool) *calendar.WallInput {
	w := calendar.ParseWallInput(t.In(loc).Format("2006-01-02T15:04:05"))
	if allDay {
		w = calendar.ParseWallInput(t.Format(dateOnly))
	}
	return &w
}

// whenClock is ", 10:00 – 11:00" for a timed instance in loc, nothing for an all-day one.
func whenClock(start, end time.Time, loc *time.Location, allDay bool) string {
	if allDay {
		return ""
	}
	return ", " + start.In(loc).Format(timeLayout) + " – " + end.In(loc).Format(timeLayout)
}
