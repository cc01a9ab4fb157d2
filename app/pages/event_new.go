package pages

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
)

// New shows the form for a new event on ?date= (default today) at ?time= (HH:MM) until
// ?end= (HH:MM, that day; default an hour later), or all day with ?allDay=1, in the viewer's
// zone: where a click on an empty day or hour of the calendar leads, or a drag across hours.
func (h *Events) New(c echo.Context) error {
	f, day, err := h.newFormFromQuery(c)
	if err != nil {
		return err
	}
	return h.renderEventForm(c, http.StatusOK, h.newEventPage(c, f, day))
}

// targetCalendar checks the calendar a new event's form names and fills its space: My
// Calendar (0), or a space the viewer may add events to. A space they may not see is a 404,
// one they have not joined a 403.
func (h *Events) targetCalendar(c echo.Context, f *eventForm) error {
	if f.CalendarID == 0 {
		return nil
	}
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer()
	if err := h.cal.CheckWritable(ctx, v, f.CalendarID); err != nil {
		return err
	}
	sp, err := h.cal.SpaceOfCalendar(ctx, v, f.CalendarID)
	if errors.Is(err, calendar.ErrNotFound) {
		return nil // a calendar that is no space: another person's, for a site administrator
	}
	if err != nil {
		return err
	}
	f.Space = bannerOf(sp, v)
	return nil
}

// newFormFromQuery is the new-event form the query asks for (see New).
func (h *Events) newFormFromQuery(c echo.Context) (eventForm, time.Time, error) {
	cc := calContextAt(c, h.now())
	day := cc.today
	if s := c.QueryParam("date"); s != "" {
		d, err := time.Parse(dateOnly, s)
		if err != nil || d.Year() < 1900 || d.Year() > 2199 {
			return eventForm{}, day, echo.NewHTTPError(http.StatusBadRequest, "The date must look like 2026-03-02.")
		}
		day = d
	}
	at := c.QueryParam("time")
	if at != "" {
		t, err := time.Parse(timeLayout, at)
		if err != nil {
			return eventForm{}, day, echo.NewHTTPError(http.StatusBadRequest, "The time must look like 09:30.")
		}
		at = t.Format(timeLayout) // 9:30 is 09:30
	}
	f := newEventForm(day, at, cc.loc.String())
	if s := c.QueryParam("end"); s != "" {
		end, err := time.Parse(timeLayout, s)
		if err != nil && s != "24:00" {
			return eventForm{}, day, echo.NewHTTPError(http.StatusBadRequest, "The end must look like 10:30.")
		}
		if s == "24:00" {
			f.EndDate, f.EndTime = day.AddDate(0, 0, 1).Format(dateOnly), "00:00"
		} else if e := end.Format(timeLayout); e > f.StartTime {
			f.EndTime = e
			f.EndDate = f.StartDate
		}
	}
	f.Title = c.QueryParam("title")
	if c.QueryParam("allDay") == "1" {
		f.AllDay = true
	}
	if s := c.QueryParam("calendarId"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return eventForm{}, day, echo.NewHTTPError(http.StatusBadRequest, "The calendarId must be a positive whole number.")
		}
		f.CalendarID = id
	}
	if err := h.targetCalendar(c, &f); err != nil {
		return eventForm{}, day, err
	}
	return f, day, nil
}

// newCardPage is the data of fragment_new_card.html: the quick create of the calendar views,
// a title for the time clicked or dragged over, with "More options" for the full form.
type newCardPage struct {
	view.Page
	Form        eventForm
	When        string
	Back        string
	MoreOptions string
}

// NewCard is GET /events/new/card: the quick create card for the time the query names (as
// New), which the calendar's script shows in place.
func (h *Events) NewCard(c echo.Context) error {
	f, day, err := h.newFormFromQuery(c)
	if err != nil {
		return err
	}
	back := backTo(c.QueryParam("back"), calendarURL(viewMonth, day))
	q := url.Values{}
	for k, v := range c.QueryParams() {
		if k != "back" {
			q[k] = v
		}
	}
	p := newCardPage{Page: h.page(c, "New event"), Form: f, Back: back, MoreOptions: "/events/new?" + q.Encode()}
	d, _ := time.Parse(dateOnly, f.StartDate)
	p.When = d.Format("Monday 2 January")
	if f.AllDay {
		p.When += ", all day"
	} else {
		p.When += ", " + f.StartTime + " – " + f.EndTime
	}
	return h.pages.Render(c, http.StatusOK, "fragment_new_card.html", p)
}

func (h *Events) newEventPage(c echo.Context, f eventForm, day time.Time) eventFormPage {
	p := eventFormPage{
		Page:      h.page(c, "New event"),
		Heading:   "New event",
		Action:    "/events/new",
		CancelURL: calendarURL(viewMonth, day),
		IsNew:     true,
		Form:      f,
	}
	if f.Space != nil {
		p.Heading = "New event in " + f.Space.Name
		p.CancelURL = calTarget{base: f.Space.URL}.viewURL(viewMonth, day)
	}
	return p
}

// Create saves a new event in the viewer's My Calendar, or in the space the form names, and
// opens it; a form with mistakes comes back with a message next to each field.
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
	if s := c.FormValue("calendarId"); s != "" && f.CalendarID <= 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "The calendarId must be a positive whole number.")
	}
	if err := h.targetCalendar(c, &f); err != nil {
		return err
	}
	in, errs := f.input()
	calID := f.CalendarID
	if calID == 0 {
		if calID, err = h.cal.MyCalendar(ctx, v.UserID); err != nil {
			return err
		}
	}
	var e *calendar.Event
	if len(errs) == 0 {
		e, err = calendar.NewEvent(calID, v.UserID, in)
		var invalid *calendar.ValidationError
		if errors.As(err, &invalid) {
			errs = invalid.Fields
		} else if err != nil {
			return err
		}
	}
	// The invitees are checked with the rest, so that one answer names every mistake.
	invitees, msg, err := h.resolveInvitees(ctx, f.Invitees)
	if err != nil {
		return err
	}
	if msg != "" {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["invitees"] = msg
	}
	if len(errs) > 0 {
		return again(http.StatusUnprocessableEntity, errs, "")
	}
	// Invited before it is stored, as the API's create does: the event is created with its
	// invitations in one write, so the Outlook sync sends one invitation, not a create and
	// then an update.
	var ids []int64
	var names []string
	for _, p := range invitees {
		if p.ID != v.UserID { // the organizer is no invitee of their own event
			ids, names = append(ids, p.ID), append(names, p.Name)
		}
	}
	err = e.Invite(ids, calendar.ScopeAll, time.Time{})
	if err == nil && f.InviteSpace && f.Space != nil {
		err = h.cal.CreateInvitingSpace(ctx, e)
		names = append(names, "the whole space")
	} else if err == nil {
		err = h.cal.Create(ctx, e)
	}
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		return again(http.StatusUnprocessableEntity, invalid.Fields, "")
	}
	if err != nil {
		return err
	}
	done := "Event created."
	if len(names) > 0 {
		done += " Invited " + namesInBrief(names) + "."
	}
	first, _ := e.Segments[0].Schedule().FirstStart()
	h.flash(c, withAdjustments(done, calendar.TimeAdjustments(in.Start, in.End, in.TimeZone, in.AllDay, in.RRule)))
	return c.Redirect(http.StatusSeeOther, backTo(c.FormValue("back"), instanceURL(e.ID, first)))
}
