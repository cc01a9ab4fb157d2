package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
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

// browser sends requests through the app's real router and keeps cookies like a browser.
type browser struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]*http.Cookie
	ip      string
	header  http.Header // added to every request
}

func newBrowser(t *testing.T, a *App) *browser {
	return &browser{t: t, h: a.Handler(), cookies: map[string]*http.Cookie{}, ip: "192.0.2.10", header: http.Header{}}
}

func (b *browser) do(method, path string, body io.Reader, header http.Header) *http.Response {
	b.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = b.ip + ":40000"
	for k, vs := range b.header {
		req.Header[k] = vs
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return res
}

func (b *browser) get(path string) *http.Response { return b.do(http.MethodGet, path, nil, nil) }

// postForm posts form fields as a browser form would.
func (b *browser) postForm(path string, form url.Values) *http.Response {
	return b.do(http.MethodPost, path, strings.NewReader(form.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
}

// login signs in through the form and fails the test if it does not work.
func (b *browser) login(email, password string) {
	b.t.Helper()
	res := b.postForm("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("login as %s: status %d: %s", email, res.StatusCode, readBody(res))
	}
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

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
