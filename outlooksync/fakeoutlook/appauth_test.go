package fakeoutlook

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// appToken asks for an app-only token with the client credentials grant.
func (f *fixture) appToken(tenant string) (int, map[string]any) {
	f.t.Helper()
	status, body := f.postForm("/"+tenant+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
		"scope": {"https://graph.microsoft.com/.default"},
	})
	return status, jsonObject(f.t, body)
}

// An app signs in as itself and writes into any mailbox of the tenant once the tenant's
// administrator consented to Calendars.ReadWrite, and is refused as Graph refuses it before
// that, for /me, for a mailbox of another tenant, and with a permission too narrow.
func TestAppOnlyAccessNeedsAdminConsent(t *testing.T) {
	f := newFixture(t, Options{})
	if _, err := f.fake.AddMailbox("alice@example.com", "Alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.fake.AddMailboxInTenant("0e2a6b8c-1d3f-4a5b-8c7d-9e0f1a2b3c4d", "eve@other.example", "Eve"); err != nil {
		t.Fatal(err)
	}
	events := "/users/alice@example.com/events"
	newEvent := map[string]any{"subject": "Published", "start": map[string]any{"dateTime": "2025-01-07T10:00:00", "timeZone": "UTC"},
		"end": map[string]any{"dateTime": "2025-01-07T11:00:00", "timeZone": "UTC"}}

	// Without consent a token is issued, with no roles, and Graph refuses it.
	status, tok := f.appToken(DemoTenantID)
	if status != http.StatusOK || tok["refresh_token"] != nil || tok["access_token"] == nil {
		t.Fatalf("client credentials: %d %v", status, tok)
	}
	noRoles := tok["access_token"].(string)
	if r := f.do(call{method: "GET", path: events, token: noRoles}); r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), "roles claim") {
		t.Fatalf("without consent: %d %s", r.status, r.body)
	}

	// Consent to read only: reading works, writing does not.
	if err := f.fake.GrantAdminConsent(DemoTenantID, DemoClientID, "Calendars.Read"); err != nil {
		t.Fatal(err)
	}
	_, tok = f.appToken(DemoTenantID)
	read := tok["access_token"].(string)
	f.must(http.StatusOK, call{method: "GET", path: events, token: read})
	if r := f.do(call{method: "POST", path: events, token: read, body: newEvent}); r.status != http.StatusForbidden || errorCode(t, r) != "ErrorAccessDenied" {
		t.Fatalf("a write with Calendars.Read: %d %s", r.status, r.body)
	}

	// Consent to write: the app creates an event in Alice's mailbox, who never signed in.
	if err := f.fake.GrantAdminConsent(DemoTenantID, DemoClientID, "Calendars.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	_, tok = f.appToken(DemoTenantID)
	write := tok["access_token"].(string)
	f.must(http.StatusCreated, call{method: "POST", path: events, token: write, body: newEvent})
	got, err := f.fake.Events("alice@example.com")
	if err != nil || len(got) != 1 || got[0].Subject != "Published" {
		t.Fatalf("alice's mailbox after the app's write: %v %+v", err, got)
	}
	if r := f.do(call{method: "GET", path: "/me/events", token: write}); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "delegated authentication flow") {
		t.Errorf("/me with an app token: %d %s", r.status, r.body)
	}
	if r := f.do(call{method: "GET", path: "/users/eve@other.example/events", token: write}); r.status != http.StatusNotFound || errorCode(t, r) != "ErrorInvalidUser" {
		t.Errorf("a mailbox of another tenant: %d %s", r.status, r.body)
	}

	// Consent withdrawn: the token in hand loses its roles at once.
	f.fake.RevokeAdminConsent(DemoTenantID, DemoClientID)
	if r := f.do(call{method: "GET", path: events, token: write}); r.status != http.StatusUnauthorized {
		t.Errorf("after the consent was revoked: %d %s", r.status, r.body)
	}
}

// The client credentials grant wants one tenant and the .default scope, as Entra ID does.
func TestClientCredentialsRefusedAsEntraRefusesThem(t *testing.T) {
	f := newFixture(t, Options{})
	if status, body := f.appToken("organizations"); status != http.StatusBadRequest || !strings.Contains(body["error_description"].(string), "AADSTS50059") {
		t.Errorf("client credentials on /organizations: %d %v", status, body)
	}
	status, body := f.postForm("/"+DemoTenantID+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
		"scope": {"Calendars.ReadWrite"},
	})
	if status != http.StatusBadRequest || !strings.Contains(string(body), "AADSTS1002012") {
		t.Errorf("client credentials with a delegated scope: %d %s", status, body)
	}
	status, body = f.postForm("/"+DemoTenantID+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {"wrong"},
		"scope": {"https://graph.microsoft.com/.default"},
	})
	if status != http.StatusUnauthorized || !strings.Contains(string(body), "AADSTS7000215") {
		t.Errorf("client credentials with a wrong secret: %d %s", status, body)
	}
}
