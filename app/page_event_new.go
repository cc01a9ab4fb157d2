package app

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// newEvent shows the form for a new event on ?date= (default today) at ?time= (HH:MM), in the
// viewer's zone: where a click on an empty day or hour of the calendar leads.
func (a *App) newEvent(c echo.Context) error {
	cc := a.calContext(c)
	day := cc.today
	if s := c.QueryParam("date"); s != "" {
		d, err := time.Parse(dateOnly, s)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "The date must look like 2026-03-02.")
		}
		day = d
	}
	f := newEventForm(day, c.QueryParam("time"), cc.loc.String())
	return a.renderEventForm(c, http.StatusOK, a.newEventPage(c, f, day))
}

func (a *App) newEventPage(c echo.Context, f eventForm, day time.Time) eventFormPage {
	return eventFormPage{
		Page:      a.page(c, "New event"),
		Heading:   "New event",
		Action:    "/events/new",
		CancelURL: calendarURL(viewMonth, day),
		IsNew:     true,
		Form:      f,
	}
}

// createEvent saves a new event in the viewer's My Calendar and opens it; a form with mistakes
// comes back with a message next to each field.
func (a *App) createEvent(c echo.Context) error {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	f := readEventForm(c)
	day, err := time.Parse(dateOnly, f.StartDate)
	if err != nil {
		day = a.now()
	}
	again := func(status int, fields map[string]string, msg string) error {
		p := a.newEventPage(c, f, day)
		p.Errors, p.FormError = formErrors(fields)
		if msg != "" {
			p.FormError = msg
		}
		return a.renderEventForm(c, status, p)
	}
	in, errs := f.input()
	if len(errs) > 0 {
		return again(http.StatusUnprocessableEntity, errs, "")
	}
	calID, err := a.store.MyCalendar(ctx, v.UserID)
	if err != nil {
		return err
	}
	e, err := calendar.NewEvent(calID, v.UserID, in)
	if err == nil {
		err = a.store.Create(ctx, e)
	}
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		return again(http.StatusUnprocessableEntity, invalid.Fields, "")
	}
	if err != nil {
		return err
	}
	first, _ := e.Segments[0].Schedule().FirstStart()
	a.flash.Set(c, withAdjustments("Event created.", calendar.TimeAdjustments(in.Start, in.End, in.TimeZone, in.AllDay, in.RRule)))
	return c.Redirect(http.StatusSeeOther, instanceURL(e.ID, first))
}
