package fakeoutlook

import (
	"net/http"
	"strings"
	"testing"
)

// TestContactsForTheApp: with the tenant's consent to Contacts.ReadWrite the app makes a
// folder and contacts in a mailbox, finds them by an extended property, and follows the
// folder with delta: the first round lists everything in pages, a later one what the owner
// changed or deleted; without the permission Graph refuses.
func TestContactsForTheApp(t *testing.T) {
	f := newFixture(t, Options{})
	if _, err := f.fake.AddMailbox("alice@example.com", "Alice"); err != nil {
		t.Fatal(err)
	}
	if err := f.fake.GrantAdminConsent(DemoTenantID, DemoClientID, "Calendars.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	_, tok := f.appToken(DemoTenantID)
	calOnly := tok["access_token"].(string)
	base := "/users/alice@example.com"
	f.must(http.StatusForbidden, call{method: "POST", path: base + "/contactFolders", token: calOnly, body: map[string]any{"displayName": "Staff"}})

	if err := f.fake.GrantAdminConsent(DemoTenantID, DemoClientID, "Calendars.ReadWrite", "Contacts.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	_, tok = f.appToken(DemoTenantID)
	app := tok["access_token"].(string)
	folder := f.must(http.StatusCreated, call{method: "POST", path: base + "/contactFolders", token: app, body: map[string]any{"displayName": "Staff"}}).json(t)
	fid := folder["id"].(string)
	f.must(http.StatusConflict, call{method: "POST", path: base + "/contactFolders", token: app, body: map[string]any{"displayName": "staff"}})

	const mark = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name IntracalList"
	var ids []string
	for _, name := range []string{"Ann", "Bo", "Cy"} {
		c := f.must(http.StatusCreated, call{method: "POST", path: base + "/contactFolders/" + fid + "/contacts", token: app, body: map[string]any{
			"displayName": name, "emailAddresses": []map[string]string{{"address": strings.ToLower(name) + "@example.com", "name": name}},
			"singleValueExtendedProperties": []map[string]string{{"id": mark, "value": "7"}}}}).json(t)
		ids = append(ids, c["id"].(string))
	}
	if _, err := f.fake.AddContact("alice@example.com", fid, map[string]any{"displayName": "My dentist"}); err != nil {
		t.Fatal(err)
	}
	f.must(http.StatusBadRequest, call{method: "POST", path: base + "/contactFolders/" + fid + "/contacts", token: app, body: map[string]any{"nonsense": 1}})

	ours := f.must(http.StatusOK, call{method: "GET", token: app, path: base + "/contactFolders/" + fid +
		"/contacts?$top=100&$filter=" + strings.ReplaceAll("singleValueExtendedProperties/any(ep: ep/id eq '"+mark+"' and ep/value eq '7')", " ", "%20") +
		"&$expand=" + strings.ReplaceAll("singleValueExtendedProperties($filter=id eq '"+mark+"')", " ", "%20")}).json(t)
	if vals := ours["value"].([]any); len(vals) != 3 || vals[0].(map[string]any)["singleValueExtendedProperties"] == nil {
		t.Fatalf("filtered: %v", ours)
	}

	// Delta: a first round of 4 contacts in pages of 3, then what the owner did.
	deltaURL := f.graph(base + "/contactFolders/" + fid + "/contacts/delta")
	round := func(link string) (seen []map[string]any, next string) {
		t.Helper()
		for link != "" {
			page := f.must(http.StatusOK, call{method: "GET", path: link, token: app, headers: map[string]string{"Prefer": "odata.maxpagesize=3"}}).json(t)
			for _, v := range page["value"].([]any) {
				seen = append(seen, v.(map[string]any))
			}
			link, _ = page["@odata.nextLink"].(string)
			if d, ok := page["@odata.deltaLink"].(string); ok {
				return seen, d
			}
		}
		return seen, ""
	}
	first, dl := round(deltaURL)
	if len(first) != 4 || dl == "" {
		t.Fatalf("first round %d %q", len(first), dl)
	}
	if again, _ := round(dl); len(again) != 0 {
		t.Fatalf("nothing changed, yet %d", len(again))
	}
	if err := f.fake.EditContact("alice@example.com", ids[0], map[string]any{"jobTitle": "Boss"}); err != nil {
		t.Fatal(err)
	}
	if err := f.fake.DeleteContact("alice@example.com", ids[1]); err != nil {
		t.Fatal(err)
	}
	changes, _ := round(dl)
	if len(changes) != 2 || changes[0]["jobTitle"] != "Boss" || changes[1]["@removed"] == nil {
		t.Fatalf("changes %v", changes)
	}
	f.must(http.StatusGone, call{method: "GET", path: deltaURL + "?$deltatoken=made-up", token: app})
	f.must(http.StatusBadRequest, call{method: "GET", path: deltaURL + "?$top=5", token: app})
	f.must(http.StatusNoContent, call{method: "DELETE", path: base + "/contacts/" + ids[2], token: app})
	f.must(http.StatusNotFound, call{method: "PATCH", path: base + "/contacts/" + ids[2], token: app, body: map[string]any{"jobTitle": "x"}})
	f.must(http.StatusNoContent, call{method: "DELETE", path: base + "/contactFolders/" + fid, token: app})
	if left, _ := f.fake.Contacts("alice@example.com", fid); len(left) != 0 {
		t.Fatalf("a deleted folder keeps %d contacts", len(left))
	}
}
