package pages

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// editScope reads the scope of an edit. "This and following" is the default, as in the seed
// product; a single event has only "all".
func editScope(s string, recurring bool) (calendar.Scope, error) {
	if !recurring {
		return calendar.ScopeAll, nil
	}
	switch sc := calendar.Scope(s); sc {
	case "":
		return calendar.ScopeFollowing, nil
	case calendar.ScopeInstance, calendar.ScopeFollowing, calendar.ScopeAll:
		return sc, nil
	}
	return "", echo.NewHTTPError(http.StatusBadRequest, "The scope must be instance, following or all.")
}

// Edit shows the full-page edit of the instance named by ?instance= with the scope of
// ?scope=. The scope radio buttons at the top reload this page with the values of the chosen
// scope (a GET form, so it works without JavaScript).
func (h *Events) Edit(c echo.Context) error {
	le, err := h.loadEvent(c, c.QueryParam("instance"))
	if err != nil {
		return err
	}
	cv := accounts.CurrentViewer(c).CalendarViewer()
	if !le.full.CanEdit(cv) {
		return &calendar.ForbiddenError{Message: "Only the organizer or a site administrator can change this event."}
	}
	scope, err := editScope(c.QueryParam("scope"), le.full.IsRecurring())
	if err != nil {
		return err
	}
	f, err := editForm(le.full, cv, scope, le.orig)
	if err != nil {
		return err
	}
	return h.renderEventForm(c, http.StatusOK, h.editPage(c, le, scope, f))
}

// editPage is the form page of an edit.
func (h *Events) editPage(c echo.Context, le loadedEvent, scope calendar.Scope, f eventForm) eventFormPage {
	e := le.full
	loc := accounts.CurrentViewer(c).Location()
	inst := le.orig.Format("2006-01-02T15:04:05Z07:00")
	p := eventFormPage{
		Page:          h.page(c, "Edit "+le.instance.Title),
		Heading:       "Edit event",
		Action:        eventURL(e.ID) + "/edit",
		CancelURL:     instanceURL(e.ID, le.orig),
		Version:       e.Version,
		Instance:      inst,
		InstanceLabel: whenText(le.instance, loc),
		Recurring:     e.IsRecurring(),
		Scope:         string(scope),
		ScopeSwitch:   eventURL(e.ID) + "/edit",
		RepeatLocked:  scope == calendar.ScopeInstance,
		Form:          f,
	}
	if p.Recurring {
		p.Scopes = scopeChoices(scope)
		seg := e.Segments[le.instance.Segment]
		p.RepeatSummary = describeRule(seg.Rule, seg.Start.Location())
		if scope == calendar.ScopeAll && len(e.Segments) > 1 {
			for _, s := range e.Segments {
				p.Parts = append(p.Parts, partSummary(s, loc))
			}
		}
	}
	return p
}

// partSummary says what one part of an event with several parts holds: its title, its
// pattern and its dates in the viewer's zone.
func partSummary(s calendar.Segment, loc *time.Location) string {
	if !s.AllDay {
		loc = s.Start.Location()
	}
	const day = "Mon 2 Jan 2006"
	first, _ := s.Schedule().FirstStart()
	out := s.Title + ": "
	if rule := describeRule(s.Rule, s.Start.Location()); rule != "" {
		out += rule + ", "
	}
	out += "from " + first.In(loc).Format(day)
	if last, ok := s.Schedule().Last(); ok {
		out += " to " + last.In(loc).Format(day)
	} else {
		out += ", no end"
	}
	return out
}

// Save applies the edit form with its scope. Only what the person changed is sent to the
// calendar; a form with mistakes comes back with messages next to the fields, and a change
// made meanwhile by someone else is reported instead of being overwritten.
func (h *Events) Save(c echo.Context) error {
	le, err := h.loadEvent(c, c.FormValue("instance"))
	if err != nil {
		return err
	}
	v := accounts.CurrentViewer(c)
	cv := v.CalendarViewer()
	if !le.full.CanEdit(cv) {
		return &calendar.ForbiddenError{Message: "Only the organizer or a site administrator can change this event."}
	}
	scope, err := editScope(c.FormValue("scope"), le.full.IsRecurring())
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(c.FormValue("version"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form has no version: reload the page.")
	}
	base, err := editForm(le.full, cv, scope, le.orig)
	if err != nil {
		return err
	}
	f := readEventForm(c)
	if scope != calendar.ScopeAll {
		f.Privacy, f.Labels = base.Privacy, base.Labels
	}
	if scope == calendar.ScopeInstance {
		f.Repeat, f.AllDay = base.Repeat, base.AllDay
	}
	again := func(status int, fields map[string]string, msg string) error {
		p := h.editPage(c, le, scope, f)
		p.Version = version
		p.Errors, p.FormError = formErrors(fields)
		if msg != "" {
			p.FormError = msg
		}
		return h.renderEventForm(c, status, p)
	}
	ch, errs := f.change(base, scope)
	if len(errs) > 0 {
		return again(http.StatusUnprocessableEntity, errs, "")
	}
	back := instanceURL(le.full.ID, le.orig)
	if ch.IsZero() {
		h.flash(c, "Nothing was changed.")
		return c.Redirect(http.StatusSeeOther, back)
	}
	saved, res, err := h.cal.Edit(c.Request().Context(), cv, le.full.ID, &version, scope, le.orig, ch)
	var (
		invalid  *calendar.ValidationError
		conflict *calendar.ConflictError
	)
	switch {
	case errors.As(err, &invalid):
		return again(http.StatusUnprocessableEntity, invalid.Fields, "")
	case errors.As(err, &conflict):
		msg := "Someone changed this event while you were editing it, so your changes were not saved. " +
			"Reload the form to see the event as it is now."
		return again(http.StatusConflict, nil, msg)
	case err != nil:
		return err
	}
	msg := map[calendar.Scope]string{calendar.ScopeInstance: "Saved for this date.",
		calendar.ScopeFollowing: "Saved for this and the following dates.", calendar.ScopeAll: "Saved for all dates."}[scope]
	if res.DroppedOverrides > 0 {
		msg += " " + strconv.Itoa(res.DroppedOverrides) + " changed dates no longer exist under the new repeat pattern and were dropped."
	}
	h.flash(c, withAdjustments(msg, httpkit.ChangeAdjustments(ch, scope, le.orig, saved)))
	// A series change of time or pattern moves the instances' keys: open the instance on the
	// same date if there still is one, else the event's next. An instance keeps its key.
	if scope != calendar.ScopeInstance && (ch.Start != nil || ch.TimeZone != nil || ch.RRule != nil || ch.AllDay != nil) {
		if orig, ok := instanceOnDate(saved, cv, le.instance.Start); ok {
			return c.Redirect(http.StatusSeeOther, instanceURL(le.full.ID, orig))
		}
		return c.Redirect(http.StatusSeeOther, eventURL(le.full.ID))
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// instanceOnDate finds the instance of e that starts on the date of day (in day's zone).
func instanceOnDate(e *calendar.Event, v calendar.Viewer, day time.Time) (time.Time, bool) {
	from := midnight(day)
	for _, oc := range e.Instances(v, from, addDays(from, 1), false) {
		if midnight(oc.Start.In(day.Location())).Equal(from) {
			return oc.OriginalStart, true
		}
	}
	return time.Time{}, false
}
