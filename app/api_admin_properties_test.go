package app

import (
	"encoding/json"
	"intracal/app/properties"
	"net/http"
	"strings"
	"testing"

	"intracal/app/accounts"
	"intracal/migrations/dbtest"
)

// apiClient sends JSON requests with a personal API token.
func apiClient(t *testing.T, a *App, u accounts.User) *browser {
	t.Helper()
	token, err := a.tokens.Create(t.Context(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	b.Header.Set("Authorization", "Bearer "+token)
	return b
}

func (b *browser) putJSON(path, body string) *http.Response {
	return b.do(http.MethodPut, path, strings.NewReader(body), http.Header{"Content-Type": {"application/json"}})
}

func TestAdminPropertiesAPI(t *testing.T) {
	a := newTestApp(t, dbtest.SQLite(t))
	admin := apiClient(t, a, addUser(t, a, "root@example.com", "Root", "correct horse", true))

	res := admin.putJSON("/api/v1/admin/properties/OutlookApiClientSecret", `{"value":"`+testSecret+`"}`)
	body := readBody(res)
	if res.StatusCode != http.StatusOK || strings.Contains(body, "s3cr3t") {
		t.Fatalf("PUT secret: %d %s; want 200 without the value", res.StatusCode, body)
	}
	var put map[string]any
	if err := json.Unmarshal([]byte(body), &put); err != nil {
		t.Fatal(err)
	}
	if _, has := put["value"]; has || put["set"] != true || put["updatedAt"] == nil || put["name"] != "OutlookApiClientSecret" {
		t.Errorf("PUT secret answered %v; want name, set and updatedAt only", put)
	}

	res = admin.putJSON("/api/v1/admin/properties/EnableThirdPartyCalendarSync", `{"value":true}`)
	if res.StatusCode != http.StatusOK || !strings.Contains(readBody(res), `"value":"true"`) {
		t.Errorf("PUT a switch as a JSON boolean: %d", res.StatusCode)
	}

	res = admin.putJSON("/api/v1/admin/properties/OutlookApiClientID", `{"value":"not-a-guid"}`)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("PUT bad GUID: %d", res.StatusCode)
	}
	if e := apiErr(t, res); e.Fields["OutlookApiClientID"] != "OutlookApiClientID must be a GUID like 00000000-0000-0000-0000-000000000000." {
		t.Errorf("bad GUID message %+v", e)
	}
	if res := admin.putJSON("/api/v1/admin/properties/Nope", `{"value":"x"}`); res.StatusCode != http.StatusNotFound {
		t.Errorf("PUT unknown property: %d", res.StatusCode)
	}
	if res := admin.putJSON("/api/v1/admin/properties/SAMLTenantID", `{"value":3}`); res.StatusCode != http.StatusBadRequest {
		t.Errorf("PUT a number: %d", res.StatusCode)
	}

	for _, path := range []string{"/api/v1/admin/properties", "/api/v1/admin/properties?q=outlook",
		"/api/v1/admin/properties/OutlookApiClientSecret", "/api/v1/admin/audit/properties"} {
		res := admin.get(path)
		body := readBody(res)
		if res.StatusCode != http.StatusOK || strings.Contains(body, "s3cr3t") {
			t.Errorf("GET %s: %d, secret shown: %t", path, res.StatusCode, strings.Contains(body, "s3cr3t"))
		}
	}
	res = admin.get("/api/v1/admin/properties?q=outlook")
	var list struct {
		Properties []struct {
			Name  string  `json:"name"`
			Value *string `json:"value"`
			Set   bool    `json:"set"`
		} `json:"properties"`
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil || len(list.Properties) != 3 {
		t.Fatalf("search outlook: %+v, %v", list, err)
	}
	for _, p := range list.Properties {
		if p.Name == properties.PropOutlookSecret && (p.Value != nil || !p.Set) {
			t.Errorf("secret listed as %+v", p)
		}
	}

	res = admin.get("/api/v1/admin/audit/properties")
	var audit struct {
		Changes []struct {
			Property string  `json:"property"`
			Actor    string  `json:"actor"`
			Value    *string `json:"value"`
		} `json:"changes"`
	}
	if err := json.NewDecoder(res.Body).Decode(&audit); err != nil || len(audit.Changes) != 2 {
		t.Fatalf("audit: %+v, %v; want the two accepted changes", audit, err)
	}
	if c := audit.Changes[1]; c.Property != properties.PropOutlookSecret || c.Actor != "Root <root@example.com>" || c.Value != nil {
		t.Errorf("audit of the secret: %+v", c)
	}
}

func TestAdminPropertiesAPIRefusesMembers(t *testing.T) {
	a := newTestApp(t, dbtest.SQLite(t))
	member := apiClient(t, a, addUser(t, a, "anna@example.com", "Anna", "correct horse", false))
	cookie := newBrowser(t, a)
	cookie.login("anna@example.com", "correct horse")
	anonymous := newBrowser(t, a)
	tests := []struct {
		name   string
		b      *browser
		method string
		want   int
	}{
		{"member token lists", member, http.MethodGet, http.StatusForbidden},
		{"member token sets", member, http.MethodPut, http.StatusForbidden},
		{"member session lists", cookie, http.MethodGet, http.StatusForbidden},
		{"anonymous lists", anonymous, http.MethodGet, http.StatusUnauthorized},
		{"anonymous sets", anonymous, http.MethodPut, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var res *http.Response
			if tc.method == http.MethodPut {
				res = tc.b.putJSON("/api/v1/admin/properties/EnableThirdPartyCalendarSync", `{"value":"true"}`)
			} else {
				res = tc.b.get("/api/v1/admin/properties")
			}
			if res.StatusCode != tc.want {
				t.Errorf("status %d, want %d", res.StatusCode, tc.want)
			}
		})
	}
	if on, _ := a.props.SyncEnabled(t.Context()); on {
		t.Error("a member's request changed the property")
	}
}
