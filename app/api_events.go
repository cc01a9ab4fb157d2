package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// eventAPI serves the JSON API of events: create, read, scoped edit and delete, RSVP,
// invitations and the occurrence listing.
type eventAPI struct {
	cal    *calendar.Store
	people *accounts.Directory
}

func (h *eventAPI) create(c echo.Context) error {
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
	if err := h.cal.Create(ctx, e); err != nil {
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
// unless another calendar of theirs is named.
func (h *eventAPI) writableCalendar(ctx context.Context, v accounts.Viewer, id int64) (int64, error) {
	mine, err := h.cal.MyCalendar(ctx, v.UserID)
	if err != nil {
		return 0, err
	}
	if id == 0 || id == mine {
		return mine, nil
	}
	cal, err := h.cal.CalendarByID(ctx, id)
	if errors.Is(err, calendar.ErrNotFound) {
		return 0, &calendar.ValidationError{Fields: map[string]string{"calendarId": "No such calendar."}}
	}
	if err != nil {
		return 0, err
	}
	if cal.Kind == "user" && cal.OwnerUserID != v.UserID && !v.IsAdmin {
		return 0, &calendar.ForbiddenError{Message: "You cannot add events to another person's calendar."}
	}
	return cal.ID, nil
}

func (h *eventAPI) get(c echo.Context) error {
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

func (h *eventAPI) edit(c echo.Context) error {
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

func (h *eventAPI) delete(c echo.Context) error {
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
	whole, err := h.cal.Delete(c.Request().Context(), v.CalendarViewer(), id, expect, scope, at)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"deleted": true, "eventDeleted": whole})
}

func (h *eventAPI) rsvp(c echo.Context) error {
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

func (h *eventAPI) invite(c echo.Context) error {
	id, err := httpkit.PathID(c)
	if err != nil {
		return err
	}
	var in inviteJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	if len(in.Emails) == 0 {
		return &calendar.ValidationError{Fields: map[string]string{"emails": "Name at least one person to invite."}}
	}
	if in.Scope == string(calendar.ScopeFollowing) {
		return &calendar.ValidationError{Fields: map[string]string{"scope": "Scope must be all or instance."}}
	}
	scope, at, err := scopeOf(in.Scope, in.Instance, false, "scope", "instance")
	if err != nil {
		return err
	}
	if len(in.Emails) > calendar.MaxInvitations {
		return tooManyInvitees("emails", len(in.Emails))
	}
	ctx := c.Request().Context()
	ids, err := h.people.IDsByEmail(ctx, in.Emails, func(i int) string { return "emails[" + strconv.Itoa(i) + "]" })
	if err != nil {
		return err
	}
	v := accounts.CurrentViewer(c)
	e, err := h.cal.Invite(ctx, v.CalendarViewer(), id, ids, scope, at)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) && invalid.Fields["invitees"] != "" {
		// The calendar names the event's invitees; this request names them "emails".
		return &calendar.ValidationError{Fields: map[string]string{"emails": invalid.Fields["invitees"]}}
	}
	if err != nil {
		return err
	}
	return h.respond(c, http.StatusOK, e, v)
}

// tooManyInvitees refuses a request naming more people than an event may have invited.
func tooManyInvitees(field string, n int) error {
	return &calendar.ValidationError{Fields: map[string]string{field: fmt.Sprintf(
		"An event can have at most %d invitations; this request names %d people. Nobody was invited.", calendar.MaxInvitations, n)}}
}

// respond answers with the event (already filtered for the viewer) as JSON.
func (h *eventAPI) respond(c echo.Context, status int, e *calendar.Event, v accounts.Viewer) error {
	out, err := h.eventJSON(c.Request().Context(), e, v)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

// eventJSON renders an event (already filtered for the viewer) with its people.
func (h *eventAPI) eventJSON(ctx context.Context, e *calendar.Event, v accounts.Viewer) (eventJSON, error) {
	ids := []int64{e.OrganizerID}
	for _, in := range e.Invitations {
		ids = append(ids, in.UserID)
	}
	for _, r := range e.RSVPs {
		ids = append(ids, r.UserID)
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return eventJSON{}, err
	}
	out := eventJSON{
		ID: e.ID, Version: e.Version, CalendarID: e.CalendarID, Organizer: people[e.OrganizerID],
		Privacy: string(e.Privacy), Recurring: e.IsRecurring(), InstanceOnly: e.InstanceOnly(v.CalendarViewer()),
		Segments: []segmentJSON{}, Overrides: []overrideJSON{}, Invitations: []invitationJSON{}, RSVPs: []answerJSON{},
		CreatedAt: utcString(e.CreatedAt), UpdatedAt: utcString(e.UpdatedAt),
	}
	for _, s := range e.Segments {
		sj := segmentJSON{TimeZone: s.TimeZone, AllDay: s.AllDay, Title: s.Title, Description: s.Description, Location: s.Location}
		if s.Rule != nil {
			sj.RRule = s.Rule.String()
		}
		first := s.Start
		if f, ok := s.Schedule().FirstStart(); ok {
			first = f
		}
		sj.FirstStart = utcString(first)
		if s.AllDay {
			sj.Start = s.Start.Format("2006-01-02")
			sj.End = s.Start.Add(s.Duration).AddDate(0, 0, -1).Format("2006-01-02")
		} else {
			sj.Start = s.Start.Format(wallFormat)
			sj.End = s.Start.Add(s.Duration).Format(wallFormat)
		}
		out.Segments = append(out.Segments, sj)
	}
	for _, o := range e.Overrides {
		out.Overrides = append(out.Overrides, overrideJSON{OriginalStart: utcString(o.OriginalStart), Cancelled: o.Cancelled,
			Title: o.Title, Description: o.Description, Location: o.Location, Start: optUTC(o.Start), End: optUTC(o.End)})
	}
	for _, in := range e.Invitations {
		out.Invitations = append(out.Invitations, invitationJSON{personJSON: people[in.UserID], Instance: optUTC(in.Instance)})
	}
	for _, r := range e.RSVPs {
		out.RSVPs = append(out.RSVPs, answerJSON{personJSON: people[r.UserID], Scope: string(r.Scope),
			Instance: optUTC(r.Instance), Response: string(r.Response)})
	}
	return out, nil
}

// scopeQuery reads ?scope=&instance= for edits and deletes.
func scopeQuery(c echo.Context, allowFollowing bool) (calendar.Scope, time.Time, error) {
	var inst *string
	if s := c.QueryParam("instance"); s != "" {
		inst = &s
	}
	return scopeOf(c.QueryParam("scope"), inst, allowFollowing, "scope", "instance")
}

// scopeOf validates a scope and, for instance and following, its instance. An empty scope
// means all.
func scopeOf(scope string, instance *string, allowFollowing bool, scopeField, instField string) (calendar.Scope, time.Time, error) {
	sc := calendar.Scope(strings.ToLower(strings.TrimSpace(scope)))
	switch sc {
	case "":
		sc = calendar.ScopeAll
	case calendar.ScopeAll, calendar.ScopeInstance:
	case calendar.ScopeFollowing:
		if !allowFollowing {
			return "", time.Time{}, &calendar.ValidationError{Fields: map[string]string{scopeField: "Scope must be all or instance."}}
		}
	default:
		return "", time.Time{}, &calendar.ValidationError{Fields: map[string]string{scopeField: "Scope must be instance, following or all."}}
	}
	if sc == calendar.ScopeAll {
		return sc, time.Time{}, nil
	}
	if instance == nil || *instance == "" {
		return "", time.Time{}, &calendar.ValidationError{Fields: map[string]string{instField: "Name the instance by its original start (RFC 3339) for scope " + string(sc) + "."}}
	}
	at, err := parseInstant(*instance, instField)
	return sc, at, err
}

// parseInstant reads an RFC 3339 instant.
func parseInstant(s, field string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, &calendar.ValidationError{Fields: map[string]string{field: "Use an RFC 3339 time such as 2026-03-02T08:00:00Z."}}
	}
	return t.UTC(), nil
}

// parseBound reads a listing bound: RFC 3339, or a date taken at midnight in loc.
func parseBound(s, field string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, &calendar.ValidationError{Fields: map[string]string{field: "Query parameter \"" + field + "\" is required (RFC 3339 or a date)."}}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, &calendar.ValidationError{Fields: map[string]string{field: "Use an RFC 3339 time such as 2026-03-01T00:00:00Z, or a date."}}
}
