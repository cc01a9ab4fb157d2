package pages

import (
	"net/http"
	"strconv"
	"strings"
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
	expect, err := formVersion(c)
	if err != nil {
		return err
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
	var rule *calendar.RuleInput
	if scope != calendar.ScopeInstance && le.full.IsRecurring() {
		// The series from this date (or all of it) moves by the same shift from its own slot,
		// the date's original start: not from where this one date may have been moved alone.
		segIdx := oc.Segment
		if scope == calendar.ScopeAll {
			if len(le.full.Segments) > 1 {
				return echo.NewHTTPError(http.StatusUnprocessableEntity, "This event has parts with times of their own: move this and following dates, or change all dates in the edit form.")
			}
			segIdx = 0
		}
		seg := le.full.Segments[segIdx]
		from := le.orig
		if scope == calendar.ScopeAll {
			from, _ = seg.Schedule().FirstStart()
		}
		zone = seg.Start.Location()
		start, end = shift(from, minutes), shift(from.Add(seg.Duration), endMinutes)
		if oc.AllDay {
			from = from.UTC()
			start, end = from.AddDate(0, 0, days), from.Add(seg.Duration).AddDate(0, 0, days)
		}
		var err error
		if rule, err = movedRule(seg, from, start, days, scope); err != nil {
			return err
		}
	}
	ch := calendar.Change{Start: wallIn(start, zone, oc.AllDay), End: wallIn(end, zone, oc.AllDay), RRule: rule}
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

// movedRule is the pattern of seg once its instances from the original start from move to
// start: a weekly pattern's days move with them (a Monday series dragged to Tuesday repeats on
// Tuesdays), a daily one or a move by whole weeks keeps its pattern, and a monthly or yearly
// pattern, whose days are dates of the month, is not moved by a drag: the edit form changes it.
// A "this and following" move keeps the count of the dates left, as the edit form does. Nil
// when the pattern stays.
func movedRule(seg calendar.Segment, from, start time.Time, days int, scope calendar.Scope) (*calendar.RuleInput, error) {
	r := seg.Rule
	if r == nil || days == 0 {
		return nil, nil
	}
	loc := seg.Start.Location()
	if seg.AllDay {
		loc = time.UTC
	}
	shift := (int(start.In(loc).Weekday()) - int(from.In(loc).Weekday()) + 7) % 7
	switch {
	case r.Freq == calendar.Daily && len(r.ByDay) == 0:
		return nil, nil
	case r.Freq == calendar.Weekly && shift == 0:
		return nil, nil
	case r.Freq == calendar.Weekly:
	default:
		return nil, echo.NewHTTPError(http.StatusUnprocessableEntity, "A "+strings.ToLower(string(r.Freq))+" pattern keeps its days when dragged: move this date only, or change the pattern in the edit form.")
	}
	moved := *r
	moved.ByDay = nil
	for _, d := range r.ByDay {
		if d.N != 0 {
			return nil, echo.NewHTTPError(http.StatusUnprocessableEntity, "This pattern keeps its days when dragged: move this date only, or change the pattern in the edit form.")
		}
		moved.ByDay = append(moved.ByDay, calendar.WeekdayNum{Weekday: time.Weekday((int(d.Weekday) + shift) % 7)})
	}
	if scope == calendar.ScopeFollowing && r.Count > 0 {
		moved.Count = r.Count - seg.Schedule().CountBefore(from)
	}
	in := calendar.ParseRuleInput(moved.String())
	return &in, nil
}

// formVersion is the form's optional version field: the version of the event the change was
// based on, nil when the form sent none.
func formVersion(c echo.Context) (*int, error) {
	s := c.FormValue("version")
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "The version must be a whole number.")
	}
	return &n, nil
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
