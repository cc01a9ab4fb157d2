package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// Events serves the JSON API of events: create, read, scoped edit and delete, RSVP,
// invitations and the occurrence listing.
type Events struct {
	cal    *calendar.Store
	people *accounts.Directory
	now    func() time.Time
}

// NewEvents is the event API on the calendar store and the people directory; now tells
// which instances a search finds to come and when an undo expires.
func NewEvents(cal *calendar.Store, people *accounts.Directory, now func() time.Time) *Events {
	return &Events{cal: cal, people: people, now: now}
}

// Create is POST /api/v1/events: a new event in the caller's My Calendar or another calendar
// they may write, with its invitations.
func (h *Events) Create(c echo.Context) error {
	var in eventCreateJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	calID, err := h.writableCalendar(ctx, v, in.CalendarID)
	if err != nil {
		return err
	}
	zone := in.TimeZone
	if zone == "" && !in.AllDay {
		zone = v.TimeZone
	}
	e, err := calendar.NewEvent(calID, v.UserID, calendar.EventInput{
		Title: in.Title, Description: in.Description, Location: in.Location, Start: in.Start, End: in.End,
		TimeZone: zone, AllDay: in.AllDay, RRule: in.RRule, Privacy: calendar.Privacy(in.Privacy),
		Categories: in.Categories, Reminder: in.ReminderMinutes.reminder(),
	})
	if err != nil {
		return err
	}
	if len(in.Invitees) > calendar.MaxInvitations {
		return tooManyInvitees("invitees", len(in.Invitees))
	}
	emails := make([]string, len(in.Invitees))
	for i, inv := range in.Invitees {
		emails[i] = inv.Email
	}
	uids, err := h.people.IDsByEmail(ctx, emails, func(i int) string { return "invitees[" + strconv.Itoa(i) + "].email" })
	if err != nil {
		return err
	}
	for i, inv := range in.Invitees {
		uid := uids[i]
		scope, at := calendar.ScopeAll, time.Time{}
		if inv.Instance != nil {
			scope = calendar.ScopeInstance
			if at, err = parseInstant(*inv.Instance, "invitees["+strconv.Itoa(i)+"].instance"); err != nil {
				return err
			}
		}
		if err := e.Invite([]int64{uid}, scope, at); err != nil {
			return err
		}
	}
	create := h.cal.Create
	if in.InviteSpace {
		if _, err := h.cal.SpaceOfCalendar(ctx, v.CalendarViewer(), calID); err != nil {
			return &calendar.ValidationError{Fields: map[string]string{"inviteSpace": "Only an event in a space's calendar can invite the space."}}
		}
		create = h.cal.CreateInvitingSpace
	}
	if err := create(ctx, e); err != nil {
		return err
	}
	out, err := h.eventJSON(ctx, e.ViewFor(v.CalendarViewer()), v)
	if err != nil {
		return err
	}
	out.Adjusted = adjustedOf(calendar.TimeAdjustments(in.Start, in.End, zone, in.AllDay, in.RRule))
	return c.JSON(http.StatusCreated, out)
}

// writableCalendar resolves the calendar an event is created in: the caller's My Calendar
// unless another calendar they may write is named (a space they are a member of;
// calendar.Store.CheckWritable). One they may not see is "no such calendar".
func (h *Events) writableCalendar(ctx context.Context, v accounts.Viewer, id int64) (int64, error) {
	mine, err := h.cal.MyCalendar(ctx, v.UserID)
	if err != nil {
		return 0, err
	}
	if id == 0 || id == mine {
		return mine, nil
	}
	err = h.cal.CheckWritable(ctx, v.CalendarViewer(), id)
	if errors.Is(err, calendar.ErrNotFound) {
		return 0, &calendar.ValidationError{Fields: map[string]string{"calendarId": "No such calendar."}}
	}
	if err != nil {
		return 0, err
	}
	return id, nil
}

// Get is GET /api/v1/events/{id}: the event as the caller may see it.
func (h *Events) Get(c echo.Context) error {
	id, err := httpkit.PathID(c)
	if err != nil {
		return err
	}
	v := accounts.CurrentViewer(c)
	e, err := h.cal.Get(c.Request().Context(), v.CalendarViewer(), id)
	if err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, e, v)
}

// Edit is PATCH /api/v1/events/{id}[?scope=&instance=]: the fields sent, for the scope.
func (h *Events) Edit(c echo.Context) error {
	id, err := httpkit.PathID(c)
	if err != nil {
		return err
	}
	scope, at, err := scopeQuery(c, true)
	if err != nil {
		return err
	}
	var in eventPatchJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	ch := in.change()
	if ch.IsZero() {
		return echo.NewHTTPError(http.StatusBadRequest, "Nothing to change: send at least one field.")
	}
	v := accounts.CurrentViewer(c)
	e, res, err := h.cal.Edit(c.Request().Context(), v.CalendarViewer(), id, in.Version, scope, at, ch)
	if err != nil {
		return err
	}
	out, err := h.eventJSON(c.Request().Context(), e, v)
	if err != nil {
		return err
	}
	if res.Collapsed {
		n := res.DroppedOverrides
		out.DroppedOverrides = &n
	}
	out.Adjusted = adjustedOf(httpkit.ChangeAdjustments(ch, scope, at, e))
	return c.JSON(http.StatusOK, out)
}

// Delete is DELETE /api/v1/events/{id}[?scope=&instance=&version=].
func (h *Events) Delete(c echo.Context) error {
	id, err := httpkit.PathID(c)
	if err != nil {
		return err
	}
	scope, at, err := scopeQuery(c, true)
	if err != nil {
		return err
	}
	var expect *int
	if s := c.QueryParam("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "Query parameter \"version\" must be a whole number.")
		}
		expect = &n
	}
	v := accounts.CurrentViewer(c)
	d, err := h.cal.DeleteUndoable(c.Request().Context(), v.CalendarViewer(), id, expect, scope, at, h.now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, deleteJSON{Deleted: true, EventDeleted: d.Whole, UndoToken: d.Token, UndoUntil: utcString(d.Until)})
}

// deleteJSON is the answer of a delete: what went, and how to undo it for a short while.
type deleteJSON struct {
	Deleted      bool   `json:"deleted"`
	EventDeleted bool   `json:"eventDeleted"`
	UndoToken    string `json:"undoToken"`
	UndoUntil    string `json:"undoUntil"`
}

// Undo is POST /api/v1/undo/{token}: the delete that answered the token undone, by the person
// who made it, before undoUntil; the answer is the event as it is again.
func (h *Events) Undo(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	u, err := h.cal.Undo(c.Request().Context(), v.CalendarViewer(), c.Param("token"), h.now())
	if err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, u.Event, v)
}
