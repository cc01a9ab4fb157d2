package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"intracal/migrations/dbtest"
)

// TestContactListForms: the Control Panel's contact list form refuses what cannot work,
// naming the field (a field overwritten but not written, an unknown address, a department
// not chosen, a name taken), keeps the list's folder and, in a list folder, its name, and
// needs the CSRF token; members never reach it.
func TestContactListForms(t *testing.T) {
	a := newTestApp(t, dbtest.SQLite(t))
	addUser(t, a, "root@example.com", "Root", "correct horse", true)
	addUser(t, a, "ann@example.com", "Ann", "correct horse", false)
	b := newBrowser(t, a)
	b.login("root@example.com", "correct horse")
	if status, page := b.page("/cp/contacts/new"); status != http.StatusOK || !strings.Contains(page, `name="overwrite"`) {
		t.Fatalf("new form %d", status)
	}
	good := url.Values{"name": {"Staff"}, "sourceKind": {"everyone"}, "targetKind": {"everyone"}, "folder": {"list"},
		"write": {"jobTitle", "department"}, "overwrite": {"jobTitle"}, "interval": {"60"}, "excluded": {"ann@example.com"}}
	for field, bad := range map[string]url.Values{
		"Overwrite":           {"overwrite": {"mobilePhone"}},
		"No account has":      {"added": {"nobody@example.com"}},
		"Choose a department": {"targetKind": {"department"}},
		"Check every":         {"interval": {"1"}},
	} {
		f := url.Values{}
		for k, v := range good {
			f[k] = v
		}
		for k, v := range bad {
			f[k] = v
		}
		if res, body := b.submit("/cp/contacts/new", f); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, field) {
			t.Errorf("%v: %d, want 422 saying %q", bad, res.StatusCode, field)
		}
	}
	res, _ := b.submit("/cp/contacts/new", good)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	list := res.Header.Get("Location")
	if res, body := b.submit("/cp/contacts/new", good); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Another contact list has this name") {
		t.Fatalf("a taken name: %d", res.StatusCode)
	}
	renamed := url.Values{}
	for k, v := range good {
		renamed[k] = v
	}
	renamed.Set("name", "Everybody")
	renamed.Set("folder", "default")
	if res, _ := b.submit(list, renamed); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	l, err := a.contactLists.Lists(t.Context())
	if err != nil || len(l) != 1 || l[0].Name != "Staff" || l[0].Folder != "list" || len(l[0].Excluded) != 1 {
		t.Fatalf("stored %+v %v", l, err)
	}
	if res := b.postForm(list+"/run", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("sync now without CSRF: %d", res.StatusCode)
	}
	if res, _ := b.submit(list+"/run", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sync now: %d", res.StatusCode)
	}
	member := newBrowser(t, a)
	member.login("ann@example.com", "correct horse")
	if res := member.get("/cp/contacts"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("member: %d", res.StatusCode)
	}
	if res, _ := b.submit(list+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if _, page := b.page("/cp/contacts"); strings.Contains(page, `href="`+list+`"`) {
		t.Fatal("a deleted list is listed")
	}
	if res := b.get(list); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a deleted list's page: %d", res.StatusCode)
	}
}
