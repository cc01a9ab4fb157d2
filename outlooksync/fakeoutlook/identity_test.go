package fakeoutlook

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Identity platform tests: the authorization-code flow with PKCE, the
// refresh and password grants, and their errors, after
// identity-platform/v2-oauth2-auth-code-flow.md.

const testRedirect = "http://localhost:8080/oauth2/outlook/callback"

// pkce returns a verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	verifier = "verifier-" + newOpaqueToken(32)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// noRedirect is a client that shows redirects instead of following them.
func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func authorizeQuery(challenge string, extra url.Values) url.Values {
	q := url.Values{
		"client_id": {DemoClientID}, "response_type": {"code"}, "redirect_uri": {testRedirect},
		"response_mode": {"query"}, "scope": {"offline_access Calendars.ReadWrite User.Read openid"},
		"state": {"st-123"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
	}
	for k, v := range extra {
		q[k] = v
	}
	return q
}

// authorize runs GET authorize and returns the redirect's query, or the
// status and page when it does not redirect.
func (f *fixture) authorize(tenant string, q url.Values) (url.Values, int, string) {
	f.t.Helper()
	resp, err := noRedirect().Get(f.srv.URL + "/" + tenant + "/oauth2/v2.0/authorize?" + q.Encode())
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusFound {
		return nil, resp.StatusCode, string(body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		f.t.Fatal(err)
	}
	return loc.Query(), resp.StatusCode, loc.Scheme + "://" + loc.Host + loc.Path
}

func (f *fixture) redeem(code, verifier string) (int, map[string]any) {
	f.t.Helper()
	status, body := f.postForm("/organizations/oauth2/v2.0/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect},
		"code_verifier": {verifier}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
	})
	return status, jsonObject(f.t, body)
}

func TestAuthorizationCodeFlowWithPKCE(t *testing.T) {
	f := newFixture(t, Options{})
	verifier, challenge := pkce()
	q, status, target := f.authorize("organizations", authorizeQuery(challenge, url.Values{"login_hint": {"ada@example.com"}}))
	if status != http.StatusFound {
		t.Fatalf("authorize: status %d: %s", status, target)
	}
	if target != testRedirect || q.Get("state") != "st-123" || q.Get("code") == "" {
		t.Fatalf("redirect to %s with %v, want the callback with code and state", target, q)
	}
	status, tok := f.redeem(q.Get("code"), verifier)
	if status != http.StatusOK {
		t.Fatalf("token: %d %v", status, tok)
	}
	for _, k := range []string{"access_token", "refresh_token", "id_token", "expires_in", "scope"} {
		if tok[k] == nil {
			t.Errorf("token response lacks %s: %v", k, tok)
		}
	}
	if tok["token_type"] != "Bearer" {
		t.Errorf("token_type = %v", tok["token_type"])
	}
	me := f.must(http.StatusOK, call{method: "GET", path: "/me", token: tok["access_token"].(string)}).json(t)
	if me["mail"] != "ada@example.com" {
		t.Errorf("/me is %v, want the mailbox created at sign-in", me["mail"])
	}
}

func TestAuthorizeShowsSignInPageWithoutLoginHint(t *testing.T) {
	f := newFixture(t, Options{})
	_, challenge := pkce()
	q := authorizeQuery(challenge, nil)
	_, status, page := f.authorize("organizations", q)
	if status != http.StatusOK || !strings.Contains(page, `name="login"`) || !strings.Contains(page, `name="code_challenge"`) {
		t.Fatalf("authorize without login_hint: %d, want a sign-in form carrying the request: %s", status, page)
	}
	q.Set("login", "bob@example.com")
	resp, err := noRedirect().PostForm(f.srv.URL+"/organizations/oauth2/v2.0/authorize", q)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("code") == "" {
		t.Fatalf("sign-in form post: %d to %s, want a redirect with a code", resp.StatusCode, loc)
	}
}

func TestAuthorizeRefusals(t *testing.T) {
	single := App{ClientID: "11111111-2222-3333-4444-555555555555", ClientSecret: "s3cret",
		TenantID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", RedirectURIs: []string{testRedirect}}
	_, challenge := pkce()
	tests := []struct {
		name     string
		tenant   string
		change   url.Values
		page     string // an error page containing this
		redirect string // or a redirect with this error
	}{
		{name: "unknown client", tenant: "organizations", change: url.Values{"client_id": {"99999999-9999-9999-9999-999999999999"}}, page: "AADSTS700016"},
		{name: "redirect uri not registered", tenant: "organizations", change: url.Values{"redirect_uri": {"http://evil.example/cb"}}, page: "AADSTS50011"},
		{name: "redirect uri path differs", tenant: "organizations", change: url.Values{"redirect_uri": {"http://localhost:8080/other"}}, page: "AADSTS50011"},
		{name: "unknown tenant", tenant: "01234567-0123-0123-0123-0123456789ab", page: "AADSTS90002"},
		{name: "single-tenant app through organizations", tenant: "organizations", change: url.Values{"client_id": {single.ClientID}}, page: "AADSTS50194"},
		{name: "single-tenant app through another tenant", tenant: DemoTenantID, change: url.Values{"client_id": {single.ClientID}}, page: "AADSTS700016"},
		{name: "implicit flow", tenant: "organizations", change: url.Values{"response_type": {"token"}}, redirect: "unsupported_response_type"},
		{name: "no PKCE", tenant: "organizations", change: url.Values{"code_challenge": {""}}, redirect: "invalid_request"},
		{name: "plain PKCE", tenant: "organizations", change: url.Values{"code_challenge_method": {"plain"}}, redirect: "invalid_request"},
		{name: "no scope", tenant: "organizations", change: url.Values{"scope": {""}}, redirect: "invalid_request"},
		{name: "silent sign-in without user", tenant: "organizations", change: url.Values{"prompt": {"none"}}, redirect: "login_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{Apps: []App{DemoApp(), single}})
			q := authorizeQuery(challenge, tt.change)
			got, status, page := f.authorize(tt.tenant, q)
			if tt.page != "" {
				if status != http.StatusBadRequest || !strings.Contains(page, tt.page) {
					t.Fatalf("status %d, page %q; want an error page with %s", status, page, tt.page)
				}
				return
			}
			if got.Get("error") != tt.redirect || got.Get("state") != "st-123" || !strings.HasPrefix(got.Get("error_description"), "AADSTS") {
				t.Fatalf("redirect query %v, want error %s with state and an AADSTS description", got, tt.redirect)
			}
		})
	}
}

func TestLoopbackRedirectPortIsIgnored(t *testing.T) {
	f := newFixture(t, Options{})
	_, challenge := pkce()
	q := authorizeQuery(challenge, url.Values{"login_hint": {"ada@example.com"},
		"redirect_uri": {"http://127.0.0.1:43123/oauth2/outlook/callback"}})
	got, status, target := f.authorize("organizations", q)
	if status != http.StatusFound || got.Get("code") == "" || target != "http://127.0.0.1:43123/oauth2/outlook/callback" {
		t.Fatalf("status %d to %s (%v): a loopback redirect URI on any port should be accepted", status, target, got)
	}
}

func TestSingleTenantAppRefusesUsersOfOtherTenants(t *testing.T) {
	app := App{ClientID: "11111111-2222-3333-4444-555555555555", ClientSecret: "s3cret",
		TenantID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", RedirectURIs: []string{testRedirect}}
	f := newFixture(t, Options{Apps: []App{app}})
	if _, err := f.fake.AddMailboxInTenant("bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee", "guest@other.example", ""); err != nil {
		t.Fatal(err)
	}
	_, challenge := pkce()
	q := authorizeQuery(challenge, url.Values{"client_id": {app.ClientID}, "login_hint": {"guest@other.example"}})
	_, status, page := f.authorize(app.TenantID, q)
	if status != http.StatusBadRequest || !strings.Contains(page, "AADSTS50020") {
		t.Fatalf("status %d %q, want AADSTS50020 for a user of another tenant", status, page)
	}
	q.Set("login_hint", "member@own.example")
	got, status, _ := f.authorize(app.TenantID, q)
	if status != http.StatusFound || got.Get("code") == "" {
		t.Fatalf("a user of the app's tenant could not sign in: %d %v", status, got)
	}
}

func TestAuthorizationCodeRedemptionRules(t *testing.T) {
	tests := []struct {
		name   string
		redeem func(f *fixture, code, verifier string) (int, map[string]any)
		status int
		code   string
		aadsts string
	}{
		{"wrong verifier", func(f *fixture, code, _ string) (int, map[string]any) {
			return f.redeem(code, "not-the-verifier")
		}, 400, "invalid_grant", "AADSTS501481"},
		{"code used twice", func(f *fixture, code, v string) (int, map[string]any) {
			f.redeem(code, v)
			return f.redeem(code, v)
		}, 400, "invalid_grant", "AADSTS54005"},
		{"code older than ten minutes", func(f *fixture, code, v string) (int, map[string]any) {
			f.clock.Advance(10*time.Minute + time.Second)
			return f.redeem(code, v)
		}, 400, "invalid_grant", "AADSTS70008"},
		{"wrong client secret", func(f *fixture, code, v string) (int, map[string]any) {
			status, body := f.postForm("/organizations/oauth2/v2.0/token", url.Values{
				"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect},
				"code_verifier": {v}, "client_id": {DemoClientID}, "client_secret": {"guess"}})
			return status, jsonObject(f.t, body)
		}, 401, "invalid_client", "AADSTS7000215"},
		{"other redirect uri", func(f *fixture, code, v string) (int, map[string]any) {
			status, body := f.postForm("/organizations/oauth2/v2.0/token", url.Values{
				"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"http://localhost:8080/x"},
				"code_verifier": {v}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
			return status, jsonObject(f.t, body)
		}, 400, "invalid_grant", "AADSTS500112"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{})
			verifier, challenge := pkce()
			q, _, _ := f.authorize("organizations", authorizeQuery(challenge, url.Values{"login_hint": {"ada@example.com"}}))
			status, body := tt.redeem(f, q.Get("code"), verifier)
			desc, _ := body["error_description"].(string)
			if status != tt.status || body["error"] != tt.code || !strings.HasPrefix(desc, tt.aadsts+":") {
				t.Fatalf("got %d %v %q, want %d %s %s", status, body["error"], desc, tt.status, tt.code, tt.aadsts)
			}
			if codes, _ := body["error_codes"].([]any); len(codes) != 1 {
				t.Errorf("error_codes = %v, want the AADSTS number", body["error_codes"])
			}
		})
	}
}

func (f *fixture) refresh(rt string) (int, map[string]any) {
	f.t.Helper()
	status, body := f.postForm("/organizations/oauth2/v2.0/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {rt},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	return status, jsonObject(f.t, body)
}

func (f *fixture) passwordTokens(email string) map[string]any {
	f.t.Helper()
	status, body := f.postForm("/organizations/oauth2/v2.0/token", url.Values{
		"grant_type": {"password"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
		"username": {email}, "password": {"pw"}, "scope": {"Calendars.ReadWrite User.Read offline_access"}})
	if status != http.StatusOK {
		f.t.Fatalf("password grant: %d %s", status, body)
	}
	return jsonObject(f.t, body)
}

func TestRefreshTokenRotatesAndTheOldOneKeepsWorking(t *testing.T) {
	f := newFixture(t, Options{})
	first := f.passwordTokens("ada@example.com")["refresh_token"].(string)
	status, second := f.refresh(first)
	if status != http.StatusOK || second["refresh_token"] == first || second["refresh_token"] == nil {
		t.Fatalf("refresh: %d, new refresh token %v; want a rotated one", status, second["refresh_token"])
	}
	if status, _ := f.refresh(first); status != http.StatusOK {
		t.Fatalf("the old refresh token stopped working (%d); Microsoft's keep working until revoked", status)
	}
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: second["access_token"].(string)})
}

func TestRevokedGrantFailsRefreshButNotIssuedAccessTokens(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.passwordTokens("ada@example.com")
	if err := f.fake.RevokeGrant("ada@example.com"); err != nil {
		t.Fatal(err)
	}
	status, body := f.refresh(tok["refresh_token"].(string))
	if status != http.StatusBadRequest || body["error"] != "invalid_grant" || !strings.HasPrefix(body["error_description"].(string), "AADSTS50173") {
		t.Fatalf("refresh after revocation: %d %v", status, body)
	}
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: tok["access_token"].(string)})
}

func TestRefreshTokenExpiresAfterInactivity(t *testing.T) {
	f := newFixture(t, Options{RefreshTokenLifetime: 24 * time.Hour})
	rt := f.passwordTokens("ada@example.com")["refresh_token"].(string)
	f.clock.Advance(25 * time.Hour)
	status, body := f.refresh(rt)
	if status != http.StatusBadRequest || !strings.HasPrefix(body["error_description"].(string), "AADSTS700082") {
		t.Fatalf("refresh after inactivity: %d %v, want AADSTS700082", status, body)
	}
}

func TestAccessTokensExpire(t *testing.T) {
	tests := []struct {
		name   string
		expire func(f *fixture)
	}{
		{"by lifetime", func(f *fixture) { f.clock.Advance(time.Hour) }},
		{"on demand", func(f *fixture) {
			if err := f.fake.ExpireAccessTokens("ada@example.com"); err != nil {
				f.t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{})
			tok := f.token("ada@example.com")
			f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: tok})
			tt.expire(f)
			r := f.must(http.StatusUnauthorized, call{method: "GET", path: "/me/events", token: tok})
			if errorCode(t, r) != "InvalidAuthenticationToken" || r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 body %s, header %v", r.body, r.header)
			}
		})
	}
}

func TestGraphChecksTokenAndScopes(t *testing.T) {
	f := newFixture(t, Options{})
	readOnly := f.tokenWithScope("ada@example.com", "Calendars.Read User.Read")
	tests := []struct {
		name   string
		c      call
		status int
		code   string
	}{
		{"no token", call{method: "GET", path: "/me/events"}, 401, "InvalidAuthenticationToken"},
		{"unknown token", call{method: "GET", path: "/me/events", token: "garbage"}, 401, "InvalidAuthenticationToken"},
		{"read scope reads", call{method: "GET", path: "/me/events", token: readOnly}, 200, ""},
		{"read scope cannot write", call{method: "POST", path: "/me/events", token: readOnly, body: map[string]any{"subject": "x"}}, 403, "ErrorAccessDenied"},
		{"another user's calendar", call{method: "GET", path: "/users/bob@example.com/events", token: readOnly}, 403, "ErrorAccessDenied"},
		{"unknown user", call{method: "GET", path: "/users/nobody@example.com/events", token: readOnly}, 404, "ErrorInvalidUser"},
	}
	f.token("bob@example.com")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.must(tt.status, tt.c)
			if tt.code != "" && errorCode(t, r) != tt.code {
				t.Errorf("code %s, want %s", errorCode(t, r), tt.code)
			}
		})
	}
}

func TestPasswordGrantCreatesTheMailboxOnce(t *testing.T) {
	f := newFixture(t, Options{})
	f.token("new.user@example.com")
	f.token("New.User@example.com")
	boxes := f.fake.Mailboxes()
	if len(boxes) != 1 || boxes[0].Name != "New User" || boxes[0].TenantID != DemoTenantID {
		t.Fatalf("mailboxes %+v, want one for New User in the demo tenant", boxes)
	}
	status, body := f.postForm("/organizations/oauth2/v2.0/token", url.Values{
		"grant_type": {"password"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
		"username": {"x@example.com"}, "password": {""}, "scope": {"User.Read"}})
	if status != http.StatusBadRequest || !strings.Contains(string(body), "AADSTS50126") {
		t.Fatalf("empty password: %d %s", status, body)
	}
}
