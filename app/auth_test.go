package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/migrations/dbtest"
)

// withProbe adds a state-changing API route that answers who called it.
func withProbe(a *App) {
	a.echo.POST("/api/v1/probe", func(c echo.Context) error {
		return c.String(http.StatusOK, accounts.CurrentViewer(c).Email)
	}, accounts.RequireUser)
}

func TestAPIWithoutCredentialsIs401JSON(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestApp(t, db)
		res := newBrowser(t, a).get("/api/v1/me")
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("content type %q, want JSON", ct)
		}
		if e := apiErr(t, res); e.Code != "unauthenticated" || e.Message == "" {
			t.Errorf("error %+v", e)
		}
	})
}

func TestBearerTokenAuthenticates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestApp(t, db)
		withProbe(a)
		u := addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
		token, err := a.tokens.Create(context.Background(), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		var stored accounts.Token
		if err := db.Where("user_id = ?", u.ID).Take(&stored).Error; err != nil {
			t.Fatal(err)
		}
		if stored.TokenHash == token || strings.Contains(stored.TokenHash, token) {
			t.Error("the database holds the token itself, not its hash")
		}

		tests := []struct {
			name, auth string
			want       int
		}{
			{"valid token", "Bearer " + token, http.StatusOK},
			{"scheme in lower case", "bearer " + token, http.StatusOK},
			{"unknown token", "Bearer cal_nottherightone", http.StatusUnauthorized},
			{"token of another kind", "Bearer " + strings.TrimPrefix(token, accounts.APITokenPrefix), http.StatusUnauthorized},
			{"basic auth", "Basic YW5uYTpwdw==", http.StatusUnauthorized},
			{"empty bearer", "Bearer ", http.StatusUnauthorized},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := newBrowser(t, a)
				res := b.do(http.MethodGet, "/api/v1/me", nil, http.Header{"Authorization": {tt.auth}})
				if res.StatusCode != tt.want {
					t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
				}
				if tt.want == http.StatusOK && !strings.Contains(readBody(res), `"email":"anna@example.com"`) {
					t.Error("the answer is not about the token's owner")
				}
			})
		}
		// A state change with a bearer token needs no CSRF token.
		res := newBrowser(t, a).do(http.MethodPost, "/api/v1/probe", nil, http.Header{"Authorization": {"Bearer " + token}})
		if res.StatusCode != http.StatusOK {
			t.Errorf("POST with bearer token: status %d, want 200", res.StatusCode)
		}
		if err := db.Where("user_id = ?", u.ID).Take(&stored).Error; err != nil || stored.LastUsedAt == nil {
			t.Errorf("token use not recorded: %v", err)
		}
	})
}

func TestCookieStateChangesNeedCSRFToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestApp(t, db)
		withProbe(a)
		addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
		b := newBrowser(t, a)
		b.login("anna@example.com", "correct horse")
		token := csrfFrom(t, b)

		tests := []struct {
			name   string
			header http.Header
			form   url.Values
			want   int
		}{
			{"no token", nil, nil, http.StatusForbidden},
			{"wrong header", http.Header{"X-Csrf-Token": {"forged"}}, nil, http.StatusForbidden},
			{"wrong form field", nil, url.Values{"csrf_token": {"forged"}}, http.StatusForbidden},
			{"header", http.Header{"X-Csrf-Token": {token}}, nil, http.StatusOK},
			{"form field", nil, url.Values{"csrf_token": {token}}, http.StatusOK},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var res *http.Response
				if tt.form != nil {
					res = b.do(http.MethodPost, "/api/v1/probe", strings.NewReader(tt.form.Encode()),
						http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
				} else {
					res = b.do(http.MethodPost, "/api/v1/probe", strings.NewReader(`{}`), tt.header)
				}
				if res.StatusCode != tt.want {
					t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
				}
				if tt.want == http.StatusForbidden {
					if e := apiErr(t, res); e.Code != "csrf" {
						t.Errorf("error code %q, want csrf", e.Code)
					}
				}
			})
		}
	})
}

func TestCrossSiteFormIsRefused(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
	b := newBrowser(t, a)
	b.Header.Set("Sec-Fetch-Site", "cross-site")
	res := b.postForm("/login", url.Values{"email": {"anna@example.com"}, "password": {"correct horse"}})
	if res.StatusCode != http.StatusForbidden || len(b.Cookies) != 0 {
		t.Errorf("cross-site login post: status %d, cookies %v; want 403 and no session", res.StatusCode, b.Cookies)
	}
}

func TestRequireAdmin(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	a.echo.GET("/api/v1/admin/probe", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }, accounts.RequireAdmin)
	member := addUser(t, a, "mem@example.com", "Member", "", false)
	admin := addUser(t, a, "adm@example.com", "Admin", "", true)
	for _, tt := range []struct {
		name string
		user accounts.User
		want int
	}{{"member", member, http.StatusForbidden}, {"admin", admin, http.StatusNoContent}} {
		token, err := a.tokens.Create(context.Background(), tt.user.ID, "t")
		if err != nil {
			t.Fatal(err)
		}
		res := newBrowser(t, a).do(http.MethodGet, "/api/v1/admin/probe", nil, http.Header{"Authorization": {"Bearer " + token}})
		if res.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.want)
		}
	}
}
