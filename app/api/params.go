package api

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/calendar"
)

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
