package fakeoutlook

import (
	"context"
	"net/http"
	"net/url"
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
