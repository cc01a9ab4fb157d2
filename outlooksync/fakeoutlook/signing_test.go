package fakeoutlook

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// idToken signs a mailbox in with the password grant and the OpenID scopes.
func (f *fixture) idToken(email string) string {
	f.t.Helper()
	form := url.Values{
		"grant_type": {"password"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
		"username": {email}, "password": {"any"}, "scope": {"openid profile email User.Read"},
	}
	status, body := f.postForm("/"+DemoTenantID+"/oauth2/v2.0/token", form)
	if status != http.StatusOK {
		f.t.Fatalf("password grant: %d %s", status, body)
	}
	tok, _ := jsonObject(f.t, body)["id_token"].(string)
	if tok == "" {
		f.t.Fatalf("no id_token: %s", body)
	}
	return tok
}

// TestIDTokensVerifyWithTheTenantsKeys: a relying party that reads the tenant's discovery
// document and key set (go-oidc, as the web app will) verifies the fake's ID tokens; after
// a key rotation tokens of both keys verify, and once the old key is retired only the new
// key's do.
func TestIDTokensVerifyWithTheTenantsKeys(t *testing.T) {
	f := newFixture(t, Options{Now: time.Now}) // go-oidc checks expiry by the real clock
	if _, err := f.fake.AddMailboxInTenant(DemoTenantID, "ada@contoso.example", "Ada"); err != nil {
		t.Fatal(err)
	}
	ctx := oidc.ClientContext(context.Background(), f.srv.Client())
	verifier := func() *oidc.IDTokenVerifier {
		p, err := oidc.NewProvider(ctx, f.srv.URL+"/"+DemoTenantID+"/v2.0")
		if err != nil {
			t.Fatalf("discovery: %v", err)
		}
		return p.Verifier(&oidc.Config{ClientID: DemoClientID})
	}
	v := verifier()
	first := f.idToken("ada@contoso.example")
	tok, err := v.Verify(ctx, first)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var claims struct {
		OID, TID, Email, Name string
	}
	if err := tok.Claims(&claims); err != nil || claims.TID != DemoTenantID || claims.Email != "ada@contoso.example" || claims.OID == "" {
		t.Fatalf("claims: %+v %v", claims, err)
	}
	if err := f.fake.RotateSigningKey(); err != nil {
		t.Fatal(err)
	}
	second := f.idToken("ada@contoso.example")
	for _, raw := range []string{first, second} {
		if _, err := verifier().Verify(ctx, raw); err != nil {
			t.Fatalf("after the rotation: %v", err)
		}
	}
	f.fake.RetireSigningKeys()
	if _, err := verifier().Verify(ctx, first); err == nil {
		t.Fatal("a token of a retired key still verifies")
	}
	if _, err := verifier().Verify(ctx, second); err != nil {
		t.Fatalf("the current key's token: %v", err)
	}
	forged := first[:len(first)-4] + "AAAA"
	if _, err := verifier().Verify(ctx, forged); err == nil {
		t.Fatal("a token with a changed signature verifies")
	}
}

// TestIDTokenFaultsSpoilOneToken: each fault spoils the next ID token only, in the way it
// names, as a relying party (go-oidc) sees it.
func TestIDTokenFaultsSpoilOneToken(t *testing.T) {
	f := newFixture(t, Options{Now: time.Now})
	for _, m := range []string{"ada@contoso.example", "bob@contoso.example"} {
		if _, err := f.fake.AddMailboxInTenant(DemoTenantID, m, ""); err != nil {
			t.Fatal(err)
		}
	}
	ctx := oidc.ClientContext(context.Background(), f.srv.Client())
	p, err := oidc.NewProvider(ctx, f.srv.URL+"/"+DemoTenantID+"/v2.0")
	if err != nil {
		t.Fatal(err)
	}
	v := p.Verifier(&oidc.Config{ClientID: DemoClientID})
	for _, fault := range []IDTokenFault{IDTokenForged, IDTokenExpired, IDTokenWrongAudience, IDTokenWrongIssuer} {
		f.fake.SetIDTokenFault(fault)
		if _, err := v.Verify(ctx, f.idToken("ada@contoso.example")); err == nil {
			t.Errorf("%s: the token verifies", fault)
		}
		if _, err := v.Verify(ctx, f.idToken("ada@contoso.example")); err != nil {
			t.Errorf("after %s: the next token does not verify: %v", fault, err)
		}
	}
	// A replay sends the token issued last, whoever asks now.
	last := f.idToken("ada@contoso.example")
	f.fake.SetIDTokenFault(IDTokenReplayed)
	if again := f.idToken("bob@contoso.example"); again != last {
		t.Error("a replay is not the token issued last")
	}
	f.fake.SetIDTokenFault(IDTokenWrongNonce)
	tok, err := v.Verify(ctx, f.idToken("ada@contoso.example"))
	if err != nil || tok.Nonce == "" {
		t.Errorf("a wrong nonce: %v %q", err, tok.Nonce)
	}
}

// TestDisabledAccountsAndCancelStayAtMicrosoft: a disabled account's sign-in ends on the
// identity platform's error page (AADSTS50057); Cancel on the sign-in page answers
// access_denied (AADSTS65004) at the redirect URI.
func TestDisabledAccountsAndCancelStayAtMicrosoft(t *testing.T) {
	f := newFixture(t, Options{})
	if _, err := f.fake.AddMailboxInTenant(DemoTenantID, "ada@contoso.example", "Ada"); err != nil {
		t.Fatal(err)
	}
	q := url.Values{"client_id": {DemoClientID}, "response_type": {"code"}, "redirect_uri": {testRedirect},
		"scope": {"openid"}, "code_challenge": {"x"}, "code_challenge_method": {"S256"}, "state": {"s1"}}
	if err := f.fake.DisableAccount("ada@contoso.example", true); err != nil {
		t.Fatal(err)
	}
	hint := url.Values{}
	for k, v := range q {
		hint[k] = v
	}
	hint.Set("login_hint", "ada@contoso.example")
	status, body := f.postForm("/"+DemoTenantID+"/oauth2/v2.0/authorize", hint)
	if status == http.StatusFound || !strings.Contains(string(body), "AADSTS50057") {
		t.Fatalf("disabled account: %d %s", status, body)
	}
	decline := url.Values{}
	for k, v := range q {
		decline[k] = v
	}
	decline.Set("decline", "1")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.PostForm(f.srv.URL+"/"+DemoTenantID+"/oauth2/v2.0/authorize", decline)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, _ := url.Parse(res.Header.Get("Location"))
	if back == nil || back.Query().Get("error") != "access_denied" || !strings.Contains(back.Query().Get("error_description"), "AADSTS65004") || back.Query().Get("state") != "s1" {
		t.Fatalf("cancel: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}
