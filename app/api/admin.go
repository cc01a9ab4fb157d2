package api

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

// Admin serves the admin API: the System Properties and the audits.
type Admin struct {
	props *properties.Store
	audit *accounts.Audit
}

// NewAdmin is the admin API on the System Properties and the account audit.
func NewAdmin(props *properties.Store, audit *accounts.Audit) *Admin {
	return &Admin{props: props, audit: audit}
}

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

// propertyPutJSON is the body of PUT: {"value": "..."}; a switch may also be sent as a JSON
// boolean.
type propertyPutJSON struct {
	Value json.RawMessage `json:"value"`
}

// PutProperty is PUT /api/v1/admin/properties/{name}. It answers the property as it now
// reads (for the secret: only that it is set and when).
func (h *Admin) PutProperty(c echo.Context) error {
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
	if err := h.props.Set(ctx, accounts.CurrentViewer(c), name, value); err != nil {
		return err
	}
	p, err := h.props.Get(ctx, name)
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
