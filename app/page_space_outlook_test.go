package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"intracal/app/properties"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/publish"
)

// configureOutlookApp sets the site's Outlook app registration, as the setup guide does.
func configureOutlookApp(t *testing.T, a *App) {
	t.Helper()
	for _, p := range [][2]string{
		{properties.PropEnableSync, "true"},
		{properties.PropOutlookClientID, "8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30"},
		{properties.PropOutlookSecret, testSecret},
		{properties.PropSAMLTenantID, "3c9d1e5f-7a2b-4c8d-9e0f-1a2b3c4d5e6f"},
	} {
		if err := a.SetProperty(t.Context(), p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
}

// after is the part of a page from marker on.
func after(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no %s on the page", marker)
	}
	return body[i:]
}

// The space's settings offer its administrators the switch of publishing into the members'
// Outlook, say what it does, and list each member's state while it is on.
func TestPageSpaceSettingsPublishToOutlook(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice, bob, carol := h.as("alice@example.com"), h.as("bob@example.com"), h.as("carol@example.com")
	res, _ := alice.submit("/spaces/new", url.Values{"name": {"Board"}, "visibility": {"private"}})
	id := spaceIDFrom(t, res)
	space := "/spaces/" + id
	if res, _ := alice.submit(space+"/members", url.Values{"people": {"bob@example.com"}, "role": {"member"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add bob: %d", res.StatusCode)
	}

	_, body := alice.page(space + "/settings")
	for _, want := range []string{`id="outlook"`, "Publish to members' Outlook", `action="` + space + `/outlook"`, `name="publish" value="yes"`,
		"calendar named after the space", "copies, not invitations", "undone on the next cycle", "not set up for Outlook yet"} {
		if !strings.Contains(body, want) {
			t.Errorf("the settings page lacks %q", want)
		}
	}
	if strings.Contains(body, `class="publish-members"`) {
		t.Error("the settings list members' states while publishing is off")
	}

	// Members and outsiders may not; the form needs its token and a yes or a no.
	if status, _ := bob.page(space + "/settings"); status != http.StatusForbidden {
		t.Errorf("a member's GET of the settings: %d, want 403", status)
	}
	if res, _ := bob.submit(space+"/outlook", url.Values{"publish": {"yes"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member publishing: %d, want 403", res.StatusCode)
	}
	if res, _ := carol.submit(space+"/outlook", url.Values{"publish": {"yes"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("someone outside the private space publishing: %d, want 404", res.StatusCode)
	}
	for _, token := range []string{"", "forged-token"} {
		f := url.Values{"publish": {"yes"}}
		if token != "" {
			f.Set("csrf_token", token)
		}
		if res := alice.postForm(space+"/outlook", f); res.StatusCode != http.StatusForbidden {
			t.Errorf("the switch with token %q: %d, want 403", token, res.StatusCode)
		}
	}
	if res, body := alice.submit(space+"/outlook", url.Values{"publish": {"maybe"}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Choose yes or no") {
		t.Errorf("an unknown value: %d, want 400 saying what to choose", res.StatusCode)
	}
	spaceID := mustAtoi(t, id)
	if on, _ := h.app.publish.Published(t.Context(), spaceID); on {
		t.Fatal("a refused form published the space")
	}

	// On: the members are listed, pending until the cycle runs; then each one's state.
	res, _ = alice.submit(space+"/outlook", url.Values{"publish": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != space+"/settings#outlook" {
		t.Fatalf("publish: %d to %q, want 303 to the settings", res.StatusCode, res.Header.Get("Location"))
	}
	if on, _ := h.app.publish.Published(t.Context(), spaceID); !on {
		t.Fatal("the switch did not publish the space")
	}
	_, body = alice.page(space + "/settings")
	if !strings.Contains(body, "is published to its members") || !strings.Contains(body, `id="publish-yes" name="publish" value="yes" checked`) {
		t.Error("after publishing, the settings lack the flash or show the switch off")
	}
	if strings.Count(body, `class="pub-pending"`) != 2 {
		t.Error("the members are not both listed as pending before the first cycle")
	}
	configureOutlookApp(t, h.app)
	at := h.clock.Now()
	publishRun(t, h.app.publish, spaceID, h.users["alice@example.com"].ID, at, "")
	publishRun(t, h.app.publish, spaceID, h.users["bob@example.com"].ID, at, publish.ConsentMissing+" (AADSTS65001)")
	_, body = alice.page(space + "/settings")
	list := after(t, body, `class="publish-members"`)
	failing, published := strings.Index(list, "Bob Baker"), strings.Index(list, "Alice Andersen")
	if !strings.Contains(body, `class="pub-failing"`) || !strings.Contains(body, `class="pub-published"`) || failing < 0 || published < failing {
		t.Error("the settings do not list the failing member first, then the published one")
	}
	if !strings.Contains(body, "grant admin consent") || strings.Contains(body, "not set up for Outlook yet") {
		t.Error("the settings do not say that publishing waits for admin consent, or still say the site is not set up")
	}

	// Off: the members' copies still to go are listed until the cycle removes them.
	if res, _ := alice.submit(space+"/outlook", url.Values{"publish": {"no"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unpublish: %d", res.StatusCode)
	}
	if on, _ := h.app.publish.Published(t.Context(), spaceID); on {
		t.Fatal("the switch did not unpublish the space")
	}
	if _, body := alice.page(space + "/settings"); !strings.Contains(body, "Copies still to be removed") || !strings.Contains(body, "no longer published") {
		t.Error("after unpublishing, the settings do not say the copies are still to go")
	}
}

// Control Panel > Spaces lists every space with its publication, and shows the setup steps
// while the app registration is not configured or Graph refused for want of admin consent.
func TestPageControlPanelSpaces(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice, bob, admin := h.as("alice@example.com"), h.as("bob@example.com"), h.as("admin@example.com")
	res, _ := alice.submit("/spaces/new", url.Values{"name": {"Board"}, "visibility": {"private"}})
	board := spaceIDFrom(t, res)
	res, _ = bob.submit("/spaces/new", url.Values{"name": {"Allotment"}, "visibility": {"public"}})
	allotment := spaceIDFrom(t, res)
	if res, _ := alice.submit("/spaces/"+board+"/members", url.Values{"people": {"bob@example.com"}, "role": {"member"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add bob: %d", res.StatusCode)
	}
	if res, _ := alice.submit("/spaces/"+board+"/outlook", url.Values{"publish": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	boardID := mustAtoi(t, board)
	cp := "/cp/spaces/" + board

	// Site administrators only, pages and form alike.
	for _, path := range []string{"/cp/spaces", cp} {
		if status, _ := alice.page(path); status != http.StatusForbidden {
			t.Errorf("a space administrator's GET %s: %d, want 403", path, status)
		}
	}
	if res, _ := alice.submit(cp+"/publish-now", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a space administrator's Publish now in the Control Panel: %d, want 403", res.StatusCode)
	}
	for _, token := range []string{"", "forged-token"} {
		f := url.Values{}
		if token != "" {
			f.Set("csrf_token", token)
		}
		if res := admin.postForm(cp+"/publish-now", f); res.StatusCode != http.StatusForbidden {
			t.Errorf("Publish now with token %q: %d, want 403", token, res.StatusCode)
		}
	}
	if status, _ := admin.page("/cp/spaces/abc"); status != http.StatusNotFound {
		t.Errorf("a space id that is no number: %d, want 404", status)
	}

	// The list: every space, the private one too, and the setup steps (nothing configured).
	_, body := admin.page("/cp/spaces")
	for _, want := range []string{`<a href="/cp/spaces" aria-current="page">Spaces</a>`, `href="` + cp + `">Board</a>`, `href="/cp/spaces/` + allotment + `">Allotment</a>`,
		"Not published", `id="publish-setup"`, "not configured yet", "Calendars.ReadWrite", "Application permissions", "Grant admin consent", "docs/outlook-setup.md"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Control Panel's spaces lack %q", want)
		}
	}
	// Configured and nothing refused: no setup message.
	configureOutlookApp(t, h.app)
	if _, body := admin.page("/cp/spaces"); strings.Contains(body, `id="publish-setup"`) {
		t.Error("the setup steps show with the app configured and no consent missing")
	}

	// Runs: Alice published, Bob refused for want of consent; the detail says so, failures first.
	at := h.clock.Now()
	aliceID, bobID := h.users["alice@example.com"].ID, h.users["bob@example.com"].ID
	publishRun(t, h.app.publish, boardID, aliceID, at, "", publish.HistoryEntry{UserID: aliceID, At: at, EventID: 3, Summary: "Published", Detail: "Board meeting"})
	publishRun(t, h.app.publish, boardID, bobID, at, publish.ConsentMissing+" (AADSTS65001)",
		publish.HistoryEntry{UserID: bobID, At: at, Summary: "Refused for want of consent"})
	_, body = admin.page("/cp/spaces")
	if !strings.Contains(body, `id="publish-setup"`) || !strings.Contains(body, "refused to publish for want of admin consent") || strings.Contains(body, "not configured yet") {
		t.Error("the list does not show the consent steps once Graph refused for want of consent")
	}
	if !strings.Contains(body, `<strong class="pub-failing">1</strong>`) || !strings.Contains(body, "Consent missing") {
		t.Error("the list does not count the failing member of the published space")
	}
	status, body := admin.page(cp)
	if status != http.StatusOK {
		t.Fatalf("the space's page: %d", status)
	}
	list := after(t, body, `class="publish-members"`)
	bobRow, aliceRow := strings.Index(list, "Bob Baker"), strings.Index(list, "Alice Andersen")
	if bobRow < 0 || aliceRow < bobRow || !strings.Contains(body, "bob@example.com") || !strings.Contains(body, "AADSTS65001") {
		t.Error("the space's page does not list the refused member first with the reason")
	}
	if !strings.Contains(body, `id="publish-setup"`) || !strings.Contains(body, `action="`+cp+`/publish-now"`) || !strings.Contains(body, "Refused for want of consent") {
		t.Error("the space's page lacks the setup steps, Publish now or the history")
	}
	// The site administrator is no member of the private space: its history names no events.
	if strings.Contains(body, "Board meeting") || strings.Contains(body, `href="/events/3"`) || !strings.Contains(body, "not to which events") {
		t.Error("the history of a private space shows its events to a site administrator outside it")
	}

	// Publish now makes every member's copy due.
	h.clock.Advance(30 * time.Minute)
	res, _ = admin.submit(cp+"/publish-now", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != cp {
		t.Fatalf("publish now: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	targets, err := h.app.publish.Targets(t.Context(), boardID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range targets {
		if !tg.DueAt.Equal(h.clock.Now()) {
			t.Errorf("after Publish now, user %d's target is due at %v, want now (%v)", tg.UserID, tg.DueAt, h.clock.Now())
		}
	}
	// An unpublished space has no Publish now; its form says why instead of publishing.
	if _, body := admin.page("/cp/spaces/" + allotment); strings.Contains(body, "publish-now") || !strings.Contains(body, "Not published") {
		t.Error("an unpublished space's page offers Publish now")
	}
	if res, _ := admin.submit("/cp/spaces/"+allotment+"/publish-now", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("publish now of an unpublished space: %d, want 303 with a message", res.StatusCode)
	}
	if on, _ := h.app.publish.Published(t.Context(), mustAtoi(t, allotment)); on {
		t.Error("Publish now published a space its administrators did not")
	}
}
