package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// Invite is POST /api/v1/events/{id}/invitations: more people invited by address.
func (h *Events) Invite(c echo.Context) error {
	id, err := httpkit.PathID(c)
	if err != nil {
		return err
	}
	var in inviteJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	v := accounts.CurrentViewer(c)
	if in.Space {
		if len(in.Emails) > 0 || in.Instance != nil || (in.Scope != "" && in.Scope != string(calendar.ScopeAll)) {
			return &calendar.ValidationError{Fields: map[string]string{"space": "The whole space is invited to every instance, alone: leave out emails, scope and instance."}}
		}
		e, err := h.cal.InviteSpace(c.Request().Context(), v.CalendarViewer(), id)
		if err != nil {
			return err
		}
		return h.respond(c, http.StatusOK, e, v)
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
