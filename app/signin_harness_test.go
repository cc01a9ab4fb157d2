package app

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"intracal/app/internal/apptest"
	"intracal/app/properties"
	"intracal/app/signin"
)

// newSignInEnv is the app on the fake with Sign in with Microsoft turned on.
func newSignInEnv(t *testing.T) *outlookEnv {
	t.Helper()
	e := newOutlookEnv(t)
	e.setProps(map[string]string{properties.PropMicrosoftSignIn: "true"})
	return e
}

// msStart calls GET /login/microsoft?query and returns Microsoft's authorize URL.
func (e *outlookEnv) msStart(b *browser, query string) *url.URL {
	e.t.Helper()
	res := b.get(signin.StartPath + "?" + query)
	if res.StatusCode != http.StatusFound {
		e.t.Fatalf("GET %s: %d %s", signin.StartPath, res.StatusCode, readBody(res))
	}
	u, err := url.Parse(res.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(u.String(), e.srv.URL) {
		e.t.Fatalf("sign-in redirected to %q, want the fake's authorize endpoint", res.Header.Get("Location"))
	}
	return u
}

// msAuthorizeAs plays the person at Microsoft's sign-in typing email, and returns the
// callback path and query Microsoft sends the browser to.
func (e *outlookEnv) msAuthorizeAs(authorize *url.URL, email string) string {
	e.t.Helper()
	u := *authorize
	q := u.Query()
	q.Set("login_hint", email)
	u.RawQuery = q.Encode()
	res, err := apptest.NoRedirects().Get(u.String())
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusFound {
		body, _ := io.ReadAll(res.Body)
		e.t.Fatalf("authorize as %s: %d %s", email, res.StatusCode, body)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || back.Path != signin.CallbackPath {
		e.t.Fatalf("authorize sent the browser to %q", res.Header.Get("Location"))
	}
	return back.RequestURI()
}

// msSignIn runs the whole sign-in as email in b and returns the callback's answer.
func (e *outlookEnv) msSignIn(b *browser, email string) *http.Response {
	e.t.Helper()
	return b.get(e.msAuthorizeAs(e.msStart(b, "next=%2Fcalendar"), email))
}

// signedInAs is the address of whom b is signed in as, "" for nobody.
func signedInAs(b *browser) string {
	res := b.get("/api/v1/me")
	if res.StatusCode != http.StatusOK {
		return ""
	}
	body := readBody(res)
	_, rest, _ := strings.Cut(body, `"email":"`)
	email, _, _ := strings.Cut(rest, `"`)
	return email
}

// count counts the rows of a table.
func (e *outlookEnv) count(table string) int64 {
	e.t.Helper()
	var n int64
	if err := e.a.db.Table(table).Count(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}
