package app

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"intracal/migrations/dbtest"
)

// TestDirectoryProfilesAndPeoplePage: people fill in their profile on the settings page (with
// the CSRF token), the People page lists and searches them with mail and phone links, an
// administrator locks a field on the person's Control Panel page, after which the person's
// form shows it read-only and refuses a change to it, by page and by API alike.
func TestDirectoryProfilesAndPeoplePage(t *testing.T) {
	a := newTestApp(t, dbtest.SQLite(t))
	addUser(t, a, "root@example.com", "Root", "correct horse", true)
	ann := addUser(t, a, "ann@example.com", "Ann Lee", "correct horse", false)
	addUser(t, a, "bo@example.com", "Bo Berg", "correct horse", false)

	b := newBrowser(t, a)
	b.login("ann@example.com", "correct horse")
	form := url.Values{"jobTitle": {"Payroll lead"}, "department": {"Finance"}, "officeLocation": {"Berlin"},
		"officePhone": {"+49 30 1234-56"}, "mobilePhone": {""}}
	if res, body := b.submit("/settings/profile", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save profile: %d %s", res.StatusCode, body)
	}
	if res := b.postForm("/settings/profile", form); res.StatusCode != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", res.StatusCode)
	}
	bad := url.Values{"officePhone": {"ring me"}}
	if res, body := b.submit("/settings/profile", bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "must be a phone number") {
		t.Fatalf("bad phone: %d", res.StatusCode)
	}

	bob := newBrowser(t, a)
	bob.login("bo@example.com", "correct horse")
	status, page := bob.page("/people?q=payroll")
	_, page, _ = strings.Cut(page, `id="people-list"`) // the viewer's own name is in the top bar
	if status != http.StatusOK || !strings.Contains(page, "Ann Lee") || strings.Contains(page, "Bo Berg") ||
		!strings.Contains(page, `href="tel:&#43;4930123456"`) || !strings.Contains(page, `href="mailto:ann@example.com"`) {
		t.Fatalf("people search %d:\n%s", status, page)
	}
	_, page = bob.page("/people?department=Finance")
	if _, list, _ := strings.Cut(page, `id="people-list"`); !strings.Contains(list, "Ann Lee") || strings.Contains(list, "Bo Berg") || !strings.Contains(page, `<option value="Finance" selected>`) {
		t.Fatal("department filter")
	}
	if res := bob.get("/people?q=" + strings.Repeat("x", 300)); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("a long search: %d", res.StatusCode)
	}

	admin := newBrowser(t, a)
	admin.login("root@example.com", "correct horse")
	person := "/cp/people/" + strconv.FormatInt(ann.ID, 10)
	lock := url.Values{"jobTitle": {"Payroll lead"}, "department": {"Finance & Payroll"}, "officeLocation": {"Berlin"},
		"officePhone": {"+49 30 1234-56"}, "mobilePhone": {""}, "lock": {"department"}}
	if res, body := admin.submit(person+"/profile", lock); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin save: %d %s", res.StatusCode, body)
	}
	if res := bob.get(person); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a member on the Control Panel: %d", res.StatusCode)
	}
	if _, page := b.page("/settings"); !strings.Contains(page, `value="Finance &amp; Payroll" readonly`) || !strings.Contains(page, "Set by your administrators.") {
		t.Fatalf("the locked field on the settings page:\n%s", page)
	}
	form.Set("department", "Sales")
	if res, body := b.submit("/settings/profile", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Department is set by your administrators.") {
		t.Fatalf("changing a locked field: %d", res.StatusCode)
	}
	res := b.do(http.MethodPatch, "/api/v1/me/profile", strings.NewReader(`{"department":"Sales"}`),
		http.Header{"Content-Type": {"application/json"}, "X-Csrf-Token": {b.csrf()}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(readBody(res), "department") {
		t.Fatalf("API change of a locked field: %d %s", res.StatusCode, readBody(res))
	}
	res = b.do(http.MethodPatch, "/api/v1/me/profile", strings.NewReader(`{"mobilePhone":"0170 555"}`),
		http.Header{"Content-Type": {"application/json"}, "X-Csrf-Token": {b.csrf()}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("API change: %d %s", res.StatusCode, readBody(res))
	}
	var list struct {
		People []struct {
			Name        string   `json:"name"`
			Department  string   `json:"department"`
			MobilePhone string   `json:"mobilePhone"`
			Locked      []string `json:"locked"`
		} `json:"people"`
		Total int `json:"total"`
	}
	res = bob.get("/api/v1/people?q=ann")
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil || list.Total != 1 || list.People[0].Department != "Finance & Payroll" ||
		list.People[0].MobilePhone != "0170 555" || len(list.People[0].Locked) != 1 {
		t.Fatalf("people API: %+v %v", list, err)
	}
	if res := bob.get("/api/v1/people?limit=0"); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("limit=0: %d", res.StatusCode)
	}
}
