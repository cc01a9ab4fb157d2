package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/internal/apptest"
	"intracal/config"
)

// testSecret is a client secret that no page, log or answer may show.
const testSecret = "Zq8~s3cr3t.Value-that-must-never-show"

// testConfig is a valid configuration for the given site address.
func testConfig(t *testing.T, site string) config.Config {
	t.Helper()
	u, err := url.Parse(site)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{Addr: "127.0.0.1:0", SiteURL: u, DataDir: t.TempDir()}
	for i := range cfg.SecretKey {
		cfg.SecretKey[i] = byte(100 + i)
	}
	return cfg
}

// newTestApp is the app on db for http://calendar.test, with cheap password hashing.
func newTestApp(t *testing.T, db *gorm.DB, opts ...Option) *App {
	t.Helper()
	return newTestAppFor(t, db, "http://calendar.test", opts...)
}

func newTestAppFor(t *testing.T, db *gorm.DB, site string, opts ...Option) *App {
	t.Helper()
	opts = append([]Option{WithBcryptCost(bcrypt.MinCost)}, opts...)
	a, err := New(testConfig(t, site), slog.New(slog.NewTextHandler(io.Discard, nil)), db, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// addUser creates an account with a password.
func addUser(t *testing.T, a *App, email, name, password string, admin bool) accounts.User {
	t.Helper()
	u, err := a.users.Create(context.Background(), accounts.NewUser{Email: email, Name: name, Password: password, IsAdmin: admin})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// browser is the in-process browser of apptest, with the app's own helpers (page, csrf,
// submit in page_harness_test.go).
type browser struct{ *apptest.Browser }

func newBrowser(t *testing.T, a *App) *browser { return &browser{apptest.NewBrowser(t, a.Handler())} }

func (b *browser) do(method, path string, body io.Reader, header http.Header) *http.Response {
	b.T.Helper()
	return b.Do(method, path, body, header)
}

func (b *browser) get(path string) *http.Response {
	b.T.Helper()
	return b.Get(path)
}

func (b *browser) postForm(path string, form url.Values) *http.Response {
	b.T.Helper()
	return b.PostForm(path, form)
}

func (b *browser) login(email, password string) {
	b.T.Helper()
	b.Login(email, password)
}

func readBody(res *http.Response) string { return apptest.ReadBody(res) }

// apiErr decodes the JSON error body.
func apiErr(t *testing.T, res *http.Response) httpkit.ErrorJSON {
	t.Helper()
	var body httpkit.ErrorBody
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("status %d: body is not a JSON error: %v", res.StatusCode, err)
	}
	return body.Error
}

// syncBuffer is a buffer safe for a writer and a reader in different goroutines.
type syncBuffer = apptest.SyncBuffer

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
