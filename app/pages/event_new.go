package pages

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/calendar"
)

// New shows the form for a new event on ?date= (default today) at ?time= (HH:MM), in the
// viewer's zone: where a click on an empty day or hour of the calendar leads.
func (h *Events) New(c echo.Context) error {
	cc := calContextAt(c, h.now())
	day := cc.today
	if s := c.QueryParam("date"); s != "" {
		d, err := time.Parse(dateOnly, s)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "The date must look like 2026-03-02.")
		}
		day = d
	}
	f := newEventForm(day, c.QueryParam("time"), cc.loc.String())
	return h.renderEventForm(c, http.StatusOK, h.newEventPage(c, f, day))
}

func (h *Events) newEventPage(c echo.Context, f eventForm, day time.Time) eventFormPage {
	return eventFormPage{
		Page:      h.page(c, "New event"),
		Heading:   "New event",
		Action:    "/events/new",
		CancelURL: calendarURL(viewMonth, day),
		IsNew:     true,
		Form:      f,
	}
}

// Create saves a new event in the viewer's My Calendar and opens it; a form with mistakes
// comes back with a message next to each field.
func (h *Events) Create(c echo.Context) error {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	f := readEventForm(c)
	day, err := time.Parse(dateOnly, f.StartDate)
	if err != nil {
		day = h.now()
	}
	again := func(status int, fields map[string]string, msg string) error {
		p := h.newEventPage(c, f, day)
		p.Errors, p.FormError = formErrors(fields)
		if msg != "" {
			p.FormError = msg
		}
		return h.renderEventForm(c, status, p)
	}
	in, errs := f.input()
	if len(errs) > 0 {
		return again(http.StatusUnprocessableEntity, errs, "")
	}
	calID, err := h.cal.MyCalendar(ctx, v.UserID)
	if err != nil {
		return err
	}
	e, err := calendar.NewEvent(calID, v.UserID, in)
	if err == nil {
		err = h.cal.Create(ctx, e)
	}
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		return again(http.StatusUnprocessableEntity, invalid.Fields, "")
	}
	if err != nil {
		return err
	}
	first, _ := e.Segments[0].Schedule().FirstStart()
	h.flash(c, withAdjustments("Event created.", calendar.TimeAdjustments(in.Start, in.End, in.TimeZone, in.AllDay, in.RRule)))
	return c.Redirect(http.StatusSeeOther, instanceURL(e.ID, first))
}
