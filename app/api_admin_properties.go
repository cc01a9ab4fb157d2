package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/properties"
)

// The admin API of System Properties: the same settings as the Control Panel, for
// deployment scripts. The secret stays write-only here too.

// propertyJSON is a property in API answers. Value is absent for a secret.
type propertyJSON struct {
	Name        string     `json:"name"`
	Kind        string     `json:"kind"`
	Description string     `json:"description"`
	Value       *string    `json:"value,omitempty"`
	Default     *string    `json:"default,omitempty"`
	Set         bool       `json:"set"`
	UpdatedAt   *time.Time `json:"updatedAt,omitempty"`
	UpdatedBy   string     `json:"updatedBy,omitempty"`
}

func propertyToJSON(p properties.View) propertyJSON {
	out := propertyJSON{Name: p.Name, Kind: string(p.Kind), Description: p.Description, Set: p.Set,
		UpdatedAt: p.UpdatedAt, UpdatedBy: p.UpdatedBy}
	if !p.IsSecret() {
		v, d := p.Value, p.Default
		out.Value, out.Default = &v, &d
	}
	return out
}

// propertyChangeJSON is an audit entry in API answers.
type propertyChangeJSON struct {
	Property  string    `json:"property"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"`
	Value     *string   `json:"value,omitempty"`
	ChangedAt time.Time `json:"changedAt"`
}

// listProperties is GET /api/v1/admin/properties[?q=outlook].
func (a *App) listProperties(c echo.Context) error {
	list, err := a.props.List(c.Request().Context(), c.QueryParam("q"))
	if err != nil {
		return err
	}
	out := make([]propertyJSON, len(list))
	for i, p := range list {
		out[i] = propertyToJSON(p)
	}
	return c.JSON(http.StatusOK, map[string][]propertyJSON{"properties": out})
}

// getProperty is GET /api/v1/admin/properties/{name}.
func (a *App) getProperty(c echo.Context) error {
	p, err := a.props.Get(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, propertyToJSON(p))
}

// propertyPutJSON is the body of PUT: {"value": "..."}; a switch may also be sent as a JSON
// boolean.
type propertyPutJSON struct {
	Value json.RawMessage `json:"value"`
}

// putProperty is PUT /api/v1/admin/properties/{name}. It answers the property as it now
// reads (for the secret: only that it is set and when).
func (a *App) putProperty(c echo.Context) error {
	var in propertyPutJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	value, ok := jsonScalar(in.Value)
	if !ok {
		return httpkit.NewError(http.StatusBadRequest, "bad_request", `Send {"value": "..."}: a string, or true or false for a switch.`)
	}
	ctx := c.Request().Context()
	name := c.Param("name")
	if err := a.props.Set(ctx, accounts.CurrentViewer(c), name, value); err != nil {
		return err
	}
	p, err := a.props.Get(ctx, name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, propertyToJSON(p))
}

// jsonScalar reads a JSON string or boolean as text.
func jsonScalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, true
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err == nil {
		return strconv.FormatBool(b), true
	}
	return "", false
}

// propertyAudit is GET /api/v1/admin/audit/properties[?limit=N].
func (a *App) propertyAudit(c echo.Context) error {
	limit, _ := strconv.Atoi(c.QueryParam("limit"))
	changes, err := a.props.Audit(c.Request().Context(), limit)
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

// accountAuditAPI is GET /api/v1/admin/audit/accounts[?limit=N&userId=ID].
func (a *App) accountAuditAPI(c echo.Context) error {
	limit, _ := strconv.Atoi(c.QueryParam("limit"))
	var subject int64
	if q := c.QueryParam("userId"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return httpkit.NewError(http.StatusBadRequest, "bad_request", "userId must be an account id.")
		}
		subject = id
	}
	changes, err := a.audit.List(c.Request().Context(), subject, limit)
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
