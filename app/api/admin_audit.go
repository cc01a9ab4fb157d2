package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/httpkit"
)

// The audits of the admin API: who changed which System Property, and the account audit.

// propertyChangeJSON is an audit entry in API answers.
type propertyChangeJSON struct {
	Property  string    `json:"property"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"`
	Value     *string   `json:"value,omitempty"`
	ChangedAt time.Time `json:"changedAt"`
}

// Properties is GET /api/v1/admin/properties[?q=outlook].
func (h *Admin) Properties(c echo.Context) error {
	list, err := h.props.List(c.Request().Context(), c.QueryParam("q"))
	if err != nil {
		return err
	}
	out := make([]propertyJSON, len(list))
	for i, p := range list {
		out[i] = propertyToJSON(p)
	}
	return c.JSON(http.StatusOK, map[string][]propertyJSON{"properties": out})
}

// Property is GET /api/v1/admin/properties/{name}.
func (h *Admin) Property(c echo.Context) error {
	p, err := h.props.Get(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, propertyToJSON(p))
}

// PropertyAudit is GET /api/v1/admin/audit/properties[?limit=N].
func (h *Admin) PropertyAudit(c echo.Context) error {
	limit, _ := strconv.Atoi(c.QueryParam("limit"))
	changes, err := h.props.Audit(c.Request().Context(), limit)
	if err != nil {
		return err
	}
	out := make([]propertyChangeJSON, len(changes))
	for i, ch := range changes {
		out[i] = propertyChangeJSON{Property: ch.Property, Actor: ch.Actor, Action: ch.Action, Value: ch.Value, ChangedAt: ch.ChangedAt}
	}
	return c.JSON(http.StatusOK, map[string][]propertyChangeJSON{"changes": out})
}

// accountChangeJSON is an entry of the account audit in API answers.
type accountChangeJSON struct {
	Action        string    `json:"action"`
	SubjectUserID *int64    `json:"subjectUserId"`
	Subject       string    `json:"subject"`
	Actor         string    `json:"actor"`
	Detail        string    `json:"detail"`
	At            time.Time `json:"at"`
}

// AccountAudit is GET /api/v1/admin/audit/accounts[?limit=N&userId=ID].
func (h *Admin) AccountAudit(c echo.Context) error {
	limit, _ := strconv.Atoi(c.QueryParam("limit"))
	var subject int64
	if q := c.QueryParam("userId"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return httpkit.NewError(http.StatusBadRequest, "bad_request", "userId must be an account id.")
		}
		subject = id
	}
	changes, err := h.audit.List(c.Request().Context(), subject, limit)
	if err != nil {
		return err
	}
	out := make([]accountChangeJSON, len(changes))
	for i, ch := range changes {
		out[i] = accountChangeJSON{Action: ch.Action, SubjectUserID: ch.SubjectUserID, Subject: ch.Subject, Actor: ch.Actor,
			Detail: ch.Detail, At: ch.At.UTC()}
	}
	return c.JSON(http.StatusOK, map[string][]accountChangeJSON{"changes": out})
}
