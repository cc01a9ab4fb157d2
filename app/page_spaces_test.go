package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"intracal/app/properties"
	"intracal/migrations/dbtest"
)

// spaceIDFrom reads the space's id from the address a create redirected to.
func spaceIDFrom(t *testing.T, res *http.Response) string {
	t.Helper()
	m := regexp.MustCompile(`^/spaces/(\d+)$`).FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create space: status %d to %q, want 303 to the space", res.StatusCode, res.Header.Get("Location"))
	}
	return m[1]
}

func TestPageSpaces(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice, bob, carol := h.as("alice@example.com"), h.as("bob@example.com"), h.as("carol@example.com")

	_, body := alice.page("/spaces")
	if !strings.Contains(body, `<a href="/spaces">Spaces</a>`) || !strings.Contains(body, `href="/spaces/new"`) {
		t.Fatal("the spaces page lacks the navigation item or the New space link")
	}
	// Without the token a form is refused; bad input comes back with its field named.
	if res := alice.postForm("/spaces/new", url.Values{"name": {"Design"}, "visibility": {"private"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("create without the CSRF token: %d, want 403", res.StatusCode)
	}
	if res, body := alice.submit("/spaces/new", url.Values{"name": {" "}, "visibility": {"private"}}); res.StatusCode != 422 || !strings.Contains(body, `id="name-err"`) {
		t.Errorf("create without a name: %d, want 422 naming the name", res.StatusCode)
	}
	if res, _ := alice.submit("/spaces/new", url.Values{"name": {"Design"}}); res.StatusCode != 400 {
		t.Errorf("create without a visibility: %d, want 400", res.StatusCode)
	}
	res, _ := alice.submit("/spaces/new", url.Values{"name": {"Design"}, "description": {"The design team"}, "visibility": {"private"}})
	id := spaceIDFrom(t, res)
	space := "/spaces/" + id

	// The space's page is its calendar, whose New event link goes into the space.
	status, body := alice.page(space + "?date=2026-03-02")
	if status != 200 || !strings.Contains(body, "The design team") || !strings.Contains(body, `class="month"`) || !strings.Contains(body, `action="`+space+`"`) {
		t.Fatalf("the space's page (status %d) lacks its head, its month or its date form", status)
	}
	m := regexp.MustCompile(`href="(/events/new\?[^"]*calendarId=(\d+)[^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the space's New event link does not carry its calendar")
	}
	calID := m[2]
	_, form := alice.page(strings.ReplaceAll(m[1], "&amp;", "&"))
	if !strings.Contains(form, `name="calendarId" value="`+calID+`"`) || !strings.Contains(form, `id="event-space"`) {
		t.Fatal("the new-event form of a space does not carry the space")
	}
	if _, card := alice.page("/events/new/card?date=2026-03-04&time=10:00&calendarId=" + calID + "&back=" + url.QueryEscape(space)); !strings.Contains(card, `name="calendarId" value="`+calID+`"`) || !strings.Contains(card, "in Design") {
		t.Error("the quick create of a space's calendar does not carry the space")
	}
	res, _ = alice.submit("/events/new", url.Values{"title": {"Design review"}, "startDate": {"2026-03-04"}, "startTime": {"10:00"},
		"endDate": {"2026-03-04"}, "endTime": {"11:00"}, "timeZone": {"Europe/Berlin"}, "privacy": {"public"}, "calendarId": {calID}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create in the space: %d", res.StatusCode)
	}
	evURL := res.Header.Get("Location")
	evID := strings.TrimPrefix(strings.SplitN(evURL, "?", 2)[0], "/events/")
	if e := h.reload(mustAtoi(t, evID)); itoa64(e.CalendarID) != calID {
		t.Fatalf("the event went into calendar %d, want the space's %s", e.CalendarID, calID)
	}
	if _, body := alice.page(space + "?date=2026-03-02"); !strings.Contains(body, "Design review") {
		t.Error("the space's month does not show its event")
	}
	for _, view := range []string{"week", "day", "agenda"} {
		if _, body := alice.page(space + "?view=" + view + "&date=2026-03-04"); !strings.Contains(body, "Design review") {
			t.Errorf("the space's %s view does not show its event", view)
		}
	}

	// The quick card of a space's event returns to the space's page, never elsewhere.
	if _, card := alice.page("/events/" + evID + "/card?back=" + url.QueryEscape(space+"?date=2026-03-02")); !strings.Contains(card, `name="back" value="`+space+`?date=2026-03-02"`) {
		t.Error("the quick card does not return to the space's page")
	}
	if _, card := alice.page("/events/" + evID + "/card?back=" + url.QueryEscape("/spaces/x/../../evil")); strings.Contains(card, "evil") {
		t.Error("the quick card returns to a path that is no calendar page")
	}

	// Bob is no member of the private space: it and its event are not found anywhere.
	for _, path := range []string{space, space + "/members", evURL, "/events/" + evID + "/card", "/events/new?calendarId=" + calID} {
		if status, _ := bob.page(path); status != 404 {
			t.Errorf("a non-member's GET %s: %d, want 404", path, status)
		}
	}
	if _, body := bob.page("/calendar?date=2026-03-02"); strings.Contains(body, "Design review") {
		t.Error("a non-member's My Calendar shows the private space's event")
	}
	if _, body := bob.page("/spaces"); strings.Contains(body, "Design") {
		t.Error("a non-member's spaces list shows the private space")
	}
	for _, bad := range []string{"abc", "-1"} {
		if res, _ := bob.submit("/events/new", url.Values{"title": {"x"}, "startDate": {"2026-03-04"}, "startTime": {"10:00"}, "timeZone": {"UTC"}, "calendarId": {bad}}); res.StatusCode != 400 {
			t.Errorf("calendarId %q: %d, want 400", bad, res.StatusCode)
		}
		if status, _ := bob.page("/events/new?calendarId=" + bad); status != 400 {
			t.Errorf("the form with calendarId %q: %d, want 400", bad, status)
		}
	}
	if res, _ := bob.submit("/events/new", url.Values{"title": {"Planted"}, "startDate": {"2026-03-04"}, "startTime": {"10:00"}, "timeZone": {"UTC"}, "calendarId": {calID}}); res.StatusCode != 404 {
		t.Errorf("a non-member creating in the private space: %d, want 404", res.StatusCode)
	}

	// Alice adds Bob by name; he sees the space, and its event in My Calendar until he switches it off.
	if res, body := alice.submit(space+"/members", url.Values{"people": {"Nobody Known"}, "role": {"member"}}); res.StatusCode != 422 || !strings.Contains(body, "Nobody Known") {
		t.Errorf("adding an unknown person: %d, want 422 naming them", res.StatusCode)
	}
	if res, _ := alice.submit(space+"/members", url.Values{"people": {"Bob Baker"}, "role": {"member"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add bob: %d", res.StatusCode)
	}
	if _, body := bob.page(space + "?date=2026-03-02"); !strings.Contains(body, "Design review") || !strings.Contains(body, "Show in My Calendar: on") {
		t.Error("a member's view of the space lacks its event or the show switch")
	}
	if _, body := bob.page("/calendar?date=2026-03-02"); !strings.Contains(body, "Design review") {
		t.Error("a member's My Calendar does not show the space's event")
	}
	if res, _ := bob.submit(space+"/show", url.Values{"show": {"no"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch off: %d", res.StatusCode)
	}
	if _, body := bob.page("/calendar?date=2026-03-02"); strings.Contains(body, "Design review") {
		t.Error("My Calendar shows a space switched off")
	}
	if _, body := bob.page(space + "?date=2026-03-02"); !strings.Contains(body, "Design review") || !strings.Contains(body, "Show in My Calendar: off") {
		t.Error("the space's page lost its event when switched off in My Calendar")
	}
	if res, _ := bob.submit(space+"/show", url.Values{"show": {"maybe"}}); res.StatusCode != 400 {
		t.Errorf("an unknown switch value: %d, want 400", res.StatusCode)
	}
	if _, body := bob.page(space + "/members"); strings.Contains(body, `action="`+space+`/members"`) {
		t.Error("a member is offered the administrators' add form")
	}
	if res, _ := bob.submit(space+"/settings", url.Values{"name": {"Taken"}, "visibility": {"public"}}); res.StatusCode != 403 {
		t.Errorf("a member saving the settings: %d, want 403", res.StatusCode)
	}

	// Roles change from the members list: the last administrator cannot be made a member.
	_, body = alice.page(space + "/members")
	if !strings.Contains(body, "Make administrator") || !strings.Contains(body, "Make member") {
		t.Fatal("the members list offers no role changes")
	}
	if res, body := alice.submit(space+"/members", url.Values{"people": {"alice@example.com"}, "role": {"member"}}); res.StatusCode != http.StatusConflict || !strings.Contains(body, "at least one administrator") {
		t.Errorf("the last administrator making herself a member: %d, want 409 saying why", res.StatusCode)
	}

	// The last administrator cannot leave; the settings change the space.
	if res, body := alice.submit(space+"/leave", nil); res.StatusCode != http.StatusConflict || !strings.Contains(body, "at least one administrator") {
		t.Errorf("the last administrator leaving: %d, want 409 saying why", res.StatusCode)
	}
	if res, _ := alice.submit(space+"/settings", url.Values{"name": {"Design team"}, "visibility": {"public"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d", res.StatusCode)
	}

	// Now public: Carol finds it among the spaces to join, sees its event, and joins.
	_, body = carol.page("/spaces")
	if !strings.Contains(body, "Public spaces to join") || !strings.Contains(body, `action="`+space+`/join"`) {
		t.Fatal("the public space is not offered to join")
	}
	if status, _ := carol.page(evURL); status != 200 {
		t.Errorf("a non-member reading a public space's event: %d", status)
	}
	if res, _ := carol.submit(space+"/join", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("join: %d", res.StatusCode)
	}
	if _, body := carol.page("/calendar?date=2026-03-02"); !strings.Contains(body, "Design review") {
		t.Error("a new member's My Calendar does not show the space's event")
	}

	// Inviting the whole space from the event's page: Bob and Carol are invited, and whoever
	// joins later; Carol leaving the public space takes her invitation with her.
	_, body = alice.page(evURL)
	if !strings.Contains(body, `<a href="`+space+`">Design team</a>`) || !strings.Contains(body, "Invite the whole space") {
		t.Fatal("the event's page does not name its space or offer to invite it")
	}
	if res, _ := alice.submit("/events/"+evID+"/invite", url.Values{"space": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite the space: %d", res.StatusCode)
	}
	invited := func() map[int64]bool {
		out := map[int64]bool{}
		for _, in := range h.reload(mustAtoi(t, evID)).Invitations {
			out[in.UserID] = true
		}
		return out
	}
	if got := invited(); !got[h.users["bob@example.com"].ID] || !got[h.users["carol@example.com"].ID] {
		t.Errorf("after inviting the space: %v, want bob and carol", got)
	}
	if _, body := alice.page(evURL); strings.Contains(body, "Invite the whole space") || !strings.Contains(body, "its members are invited") {
		t.Error("the event's page still offers to invite the space, or does not say it is")
	}
	if res, _ := carol.submit(space+"/leave", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("leave: %d", res.StatusCode)
	}
	if got := invited(); got[h.users["carol@example.com"].ID] {
		t.Error("Carol left the space and is still invited")
	}
	// The new-event form of a space offers it too.
	_, form = alice.page("/events/new?calendarId=" + calID)
	if !strings.Contains(form, `name="inviteSpace"`) {
		t.Error("the new-event form of a space does not offer to invite it")
	}
	res, _ = alice.submit("/events/new", url.Values{"title": {"Offsite"}, "startDate": {"2026-03-05"}, "startTime": {"10:00"},
		"endDate": {"2026-03-05"}, "endTime": {"11:00"}, "timeZone": {"Europe/Berlin"}, "calendarId": {calID}, "inviteSpace": {"on"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create inviting the space: %d", res.StatusCode)
	}
	offsite := mustAtoi(t, strings.TrimPrefix(strings.SplitN(res.Header.Get("Location"), "?", 2)[0], "/events/"))
	if ok, _ := h.app.store.InvitesSpace(t.Context(), offsite); !ok || len(h.reload(offsite).Invitations) != 1 {
		t.Errorf("the event created inviting the space: invites it %v, invitations %v", ok, h.reload(offsite).Invitations)
	}

	// With Control Panel > General's switch off, employees cannot create spaces.
	admin := h.as("admin@example.com")
	if res, _ := admin.submit("/cp/general", url.Values{"enableThirdPartySync": {"no"}, "employeesCreateSpaces": {"no"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save general settings: %d", res.StatusCode)
	}
	if p, _ := h.app.props.Get(t.Context(), properties.PropEmployeesSpaces); p.Value != "false" {
		t.Fatalf("the switch is %q after saving No", p.Value)
	}
	if _, body := carol.page("/spaces"); strings.Contains(body, `href="/spaces/new"`) {
		t.Error("the New space link is offered with the switch off")
	}
	if res, _ := carol.submit("/spaces/new", url.Values{"name": {"Mine"}, "visibility": {"public"}}); res.StatusCode != 403 {
		t.Errorf("an employee creating with the switch off: %d, want 403", res.StatusCode)
	}
	if status, _ := admin.page("/spaces/new"); status != 200 {
		t.Errorf("a site administrator's new space form: %d", status)
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q is no id", s)
	}
	return n
}
