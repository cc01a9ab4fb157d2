package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"intracal/app/cli"
	"intracal/app/internal/apptest"
	"intracal/outlooksync/fakeoutlook"
)

// postForm posts a form with the client's token, as a script would.
func (c *client) postForm(path string, form url.Values) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.d.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := apptest.NoRedirects().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { res.Body.Close() })
	return res
}

// waitFor polls cond until it holds or 30 seconds passed: the program's background work
// runs on its own time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(50 * time.Millisecond) // polling the program, not timing an assertion
	}
}

// TestContactListFromTheControlPanel is a contact list in the deployed program: an
// administrator makes it in the Control Panel, the background pusher fills the Sales
// department's mailboxes through the Graph SDK, a profile change arrives at once, and Sync
// now puts back what a member changed on the phone.
func TestContactListFromTheControlPanel(t *testing.T) {
	d := newDeployment(t)
	if err := d.fake.GrantAdminConsent(fakeoutlook.DemoTenantID, fakeoutlook.DemoClientID, "Contacts.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	ann := d.member("ann@example.com", "Ann Lee")
	bo := d.member("bo@example.com", "Bo Berg")
	for _, m := range []struct {
		c    *client
		body string
	}{{ann, `{"department":"Sales","jobTitle":"Rep"}`}, {bo, `{"department":"Sales","mobilePhone":"+49 170 1"}`}} {
		if res := m.c.send(http.MethodPatch, "/api/v1/me/profile", strings.NewReader(m.body)); res.StatusCode != http.StatusOK {
			t.Fatalf("profile: %d", res.StatusCode)
		}
	}
	root := &client{t: t, d: d, token: strings.TrimSpace(d.run(cli.RunToken, "", "create", "--email", "root@example.com"))}
	form := url.Values{"name": {"Sales team"}, "sourceKind": {"everyone"}, "targetKind": {"department"}, "targetDepartment": {"Sales"},
		"folder": {"list"}, "write": {"jobTitle", "department", "mobilePhone"}, "overwrite": {"jobTitle"}, "interval": {"60"}}
	res := root.postForm("/cp/contacts/new", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/cp/contacts/") {
		t.Fatalf("create: %d %s", res.StatusCode, readAll(res))
	}
	list := res.Header.Get("Location")

	names := func(email string) map[string]fakeoutlook.ContactInfo {
		folders, err := d.fake.ContactFolders(email)
		if err != nil || folders["Sales team"] == "" {
			return nil
		}
		cs, _ := d.fake.Contacts(email, folders["Sales team"])
		out := map[string]fakeoutlook.ContactInfo{}
		for _, c := range cs {
			n, _ := c.Fields["displayName"].(string)
			out[n] = c
		}
		return out
	}
	waitFor(t, "the list in both mailboxes", func() bool {
		return len(names("ann@example.com")) == 3 && len(names("bo@example.com")) == 3 // Root, Ann, Bo
	})
	if got := names("bo@example.com")["Ann Lee"].Fields["jobTitle"]; got != "Rep" {
		t.Fatalf("Ann's title in Bo's contacts: %v", got)
	}

	// Ann's new title arrives without waiting for the schedule.
	if res := ann.send(http.MethodPatch, "/api/v1/me/profile", strings.NewReader(`{"jobTitle":"Head of sales"}`)); res.StatusCode != http.StatusOK {
		t.Fatalf("profile: %d", res.StatusCode)
	}
	waitFor(t, "the new title", func() bool { return names("bo@example.com")["Ann Lee"].Fields["jobTitle"] == "Head of sales" })

	// Bo changes Ann's title on his phone; Sync now puts it back.
	if err := d.fake.EditContact("bo@example.com", names("bo@example.com")["Ann Lee"].ID, map[string]any{"jobTitle": "Nobody"}); err != nil {
		t.Fatal(err)
	}
	if res := root.postForm(list+"/run", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sync now: %d", res.StatusCode)
	}
	waitFor(t, "the title put back", func() bool { return names("bo@example.com")["Ann Lee"].Fields["jobTitle"] == "Head of sales" })

	page := root.get(list)
	body := readAll(page)
	if page.StatusCode != http.StatusOK || !strings.Contains(body, "bo@example.com") || !strings.Contains(body, "check") {
		t.Fatalf("the list's page %d:\n%s", page.StatusCode, body)
	}
	if res := bo.get("/cp/contacts"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a member on the Contact lists page: %d", res.StatusCode)
	}
}

func readAll(res *http.Response) string { return apptest.ReadBody(res) }
