package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
)

// The caller's own personal API tokens: list, create (the secret is in that answer only),
// revoke. Someone else's token is a 404, as a missing one.

// Tokens serves the caller's own personal API tokens.
type Tokens struct {
	tokens   *accounts.Tokens
	accounts *accounts.Lifecycle
	now      func() time.Time
}

// NewTokens is the token API on the token store and the account lifecycle that issues and
// revokes tokens with their audit; now tells which tokens have expired.
func NewTokens(tokens *accounts.Tokens, lifecycle *accounts.Lifecycle, now func() time.Time) *Tokens {
	return &Tokens{tokens: tokens, accounts: lifecycle, now: now}
}

// tokenJSON is a token in API answers: never its secret or hash.
type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // its first characters, to tell tokens apart
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
	ExpiresAt  *time.Time `json:"expiresAt"` // null: never
	Expired    bool       `json:"expired"`
}

func (h *Tokens) tokenToJSON(r accounts.Token) tokenJSON {
	return tokenJSON{ID: r.ID, Name: r.Name, Prefix: r.Shown(), CreatedAt: r.CreatedAt.UTC(),
		LastUsedAt: utcTime(r.LastUsedAt), ExpiresAt: utcTime(r.ExpiresAt), Expired: r.Expired(h.now())}
}

func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// List is GET /api/v1/tokens.
func (h *Tokens) List(c echo.Context) error {
	rows, err := h.tokens.List(c.Request().Context(), accounts.CurrentViewer(c).UserID)
	if err != nil {
		return err
	}
	out := make([]tokenJSON, len(rows))
	for i, r := range rows {
		out[i] = h.tokenToJSON(r)
	}
	return c.JSON(http.StatusOK, map[string][]tokenJSON{"tokens": out})
}

// tokenCreateJSON is the body of POST /api/v1/tokens.
type tokenCreateJSON struct {
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expiresInDays"` // absent or null: never expires
}

// createdTokenJSON is the answer of POST: the token with its secret, shown this once.
type createdTokenJSON struct {
	tokenJSON
	Token string `json:"token"`
}

// Create is POST /api/v1/tokens.
func (h *Tokens) Create(c echo.Context) error {
	var in tokenCreateJSON
	if err := httpkit.DecodeStrict(c.Request().Body, &in); err != nil {
		return err
	}
	days := 0
	if in.ExpiresInDays != nil {
		if days = *in.ExpiresInDays; days == 0 {
			days = -1 // zero days is not "never": say so rather than issue a token for ever
		}
	}
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	owner, err := h.accounts.Live(ctx, v.UserID)
	if err != nil {
		return err
	}
	token, row, err := h.accounts.CreateToken(ctx, v, owner, in.Name, days)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdTokenJSON{tokenJSON: h.tokenToJSON(row), Token: token})
}

// Revoke is DELETE /api/v1/tokens/{id}: 204, or 404 for a token that is not the
// caller's or is gone.
func (h *Tokens) Revoke(c echo.Context) error {
	if _, err := h.accounts.RevokeOwnToken(c.Request().Context(), accounts.CurrentViewer(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
