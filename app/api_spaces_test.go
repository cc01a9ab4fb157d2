package app

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/migrations/dbtest"
)

func TestAPISpaces(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		const alice, bob, carol = "alice@example.com", "bob@example.com", "carol@example.com"
		sp := h.mustDo(alice, "POST", "/api/v1/spaces", map[string]any{"name": "Board", "description": "The board", "visibility": "private"}, http.StatusCreated)
		if sp["role"] != "admin" || sp["canManage"] != true || sp["visibility"] != "private" || sp["calendarId"] == nil || sp["id"] == nil {
			t.Fatalf("created space = %v", sp)
		}
		id, calID := int64(sp["id"].(float64)), int64(sp["calendarId"].(float64))
		base := fmt.Sprintf("/api/v1/spaces/%d", id)

		// Bad input is a 4xx naming the problem.
		for _, c := range []struct {
			name  string
			body  any
			code  int
			field string
		}{
			{"no name", map[string]any{"name": "", "visibility": "public"}, 422, "name"},
			{"unknown visibility", map[string]any{"name": "X", "visibility": "secret"}, 422, "visibility"},
			{"unknown field", map[string]any{"name": "X", "visibility": "public", "colour": "red"}, 400, ""},
		} {
			code, out := h.do(alice, "POST", "/api/v1/spaces", c.body)
			if code != c.code {
				t.Errorf("%s: status %d, want %d: %v", c.name, code, c.code, out)
			}
			if c.field != "" {
				if f, _ := out["error"].(map[string]any)["fields"].(map[string]any); f[c.field] == nil {
					t.Errorf("%s: %v does not name %s", c.name, out, c.field)
				}
			}
		}
		if code, _ := h.do(alice, "POST", base+"/members", map[string]any{"emails": []string{"nobody@example.com"}}); code != 422 {
			t.Errorf("adding an unknown address: %d, want 422", code)
		}
		if code, _ := h.do(alice, "POST", base+"/members", map[string]any{"emails": []string{bob}, "role": "owner"}); code != 422 {
			t.Errorf("adding with an unknown role: %d, want 422", code)
		}
		if code, _ := h.do(alice, "DELETE", base+"/members/abc", nil); code != 400 {
			t.Errorf("a user id that is no number: %d, want 400", code)
		}

		// A non-member sees nothing of a private space: not the space, its events or its listing.
		if code, _ := h.do(bob, "GET", base, nil); code != 404 {
			t.Errorf("a non-member reading a private space: %d, want 404", code)
		}
		ev := h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Board meeting", "start": "2026-03-10T10:00:00",
			"timeZone": "Europe/Berlin", "calendarId": calID}, http.StatusCreated)
		if int64(ev["calendarId"].(float64)) != calID {
			t.Fatalf("the event's calendar = %v, want the space's %d", ev["calendarId"], calID)
		}
		evPath := fmt.Sprintf("/api/v1/events/%d", int64(ev["id"].(float64)))
		listing := fmt.Sprintf("/api/v1/occurrences?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&calendarId=%d", calID)
		if code, _ := h.do(bob, "GET", evPath, nil); code != 404 {
			t.Errorf("a non-member reading a private space's event: %d, want 404", code)
		}
		if code, _ := h.do(bob, "GET", listing, nil); code != 404 {
			t.Errorf("a non-member listing a private space: %d, want 404", code)
		}
		if code, out := h.do(bob, "POST", "/api/v1/events", map[string]any{"title": "x", "start": "2026-03-10T10:00:00", "calendarId": calID}); code != 422 {
			t.Errorf("a non-member creating in a private space: %d %v, want 422 (no such calendar)", code, out)
		}
		if code, _ := h.do(bob, "POST", base+"/join", nil); code != 404 {
			t.Errorf("a non-member joining a private space: %d, want 404", code)
		}

		// Added by the administrator, bob sees it in the space's listing and his My Calendar.
		h.mustDo(alice, "POST", base+"/members", map[string]any{"emails": []string{bob}}, http.StatusOK)
		h.mustDo(bob, "GET", evPath, nil, http.StatusOK)
		if got := occTitles(h.mustDo(bob, "GET", listing, nil, http.StatusOK)); !slices.Equal(got, []string{"2026-03-10T10:00 Board meeting"}) {
			t.Errorf("bob's listing of the space = %v", got)
		}
		mine := "/api/v1/occurrences?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z"
		myList := h.mustDo(bob, "GET", mine, nil, http.StatusOK)
		if got := occTitles(myList); len(got) != 1 || int64(myList["occurrences"].([]any)[0].(map[string]any)["calendarId"].(float64)) != calID {
			t.Errorf("bob's My Calendar = %v, want the space's event with the space's calendarId", myList)
		}
		h.mustDo(bob, "PUT", base+"/show", map[string]any{"showInMyCalendar": false}, http.StatusOK)
		if got := occTitles(h.mustDo(bob, "GET", mine, nil, http.StatusOK)); len(got) != 0 {
			t.Errorf("bob's My Calendar with the space hidden = %v", got)
		}
		list := h.mustDo(bob, "GET", "/api/v1/spaces", nil, http.StatusOK)["spaces"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["role"] != "member" || list[0].(map[string]any)["showInMyCalendar"] != false {
			t.Errorf("bob's spaces = %v", list)
		}
		if got := h.mustDo(carol, "GET", "/api/v1/spaces", nil, http.StatusOK)["spaces"].([]any); len(got) != 0 {
			t.Errorf("carol's spaces = %v, want none (the only one is private)", got)
		}

		// Members: the last administrator cannot leave (409); a member can; a member cannot remove others (403).
		aliceID, bobID := h.userID(alice), h.userID(bob)
		code, out := h.do(alice, "DELETE", fmt.Sprintf("%s/members/%d", base, aliceID), nil)
		if code != 409 || out["error"].(map[string]any)["message"] == "" {
			t.Errorf("the last administrator leaving: %d %v, want 409 with a message", code, out)
		}
		if code, _ := h.do(bob, "DELETE", fmt.Sprintf("%s/members/%d", base, aliceID), nil); code != 403 {
			t.Errorf("a member removing the administrator: %d, want 403", code)
		}
		h.mustDo(bob, "DELETE", fmt.Sprintf("%s/members/%d", base, bobID), nil, http.StatusNoContent)
		if code, _ := h.do(bob, "GET", evPath, nil); code != 404 {
			t.Errorf("a former member reading the space's event: %d, want 404", code)
		}

		// Public spaces: everyone sees and joins them.
		pub := h.mustDo(alice, "POST", "/api/v1/spaces", map[string]any{"name": "Everyone", "visibility": "public"}, http.StatusCreated)
		pubPath := fmt.Sprintf("/api/v1/spaces/%d", int64(pub["id"].(float64)))
		if got := h.mustDo(carol, "GET", pubPath, nil, http.StatusOK); got["role"] != nil || len(got["memberList"].([]any)) != 1 {
			t.Errorf("a non-member's view of a public space = %v", got)
		}
		if got := h.mustDo(carol, "POST", pubPath+"/join", nil, http.StatusOK); got["role"] != "member" {
			t.Errorf("after joining: %v", got)
		}

		// Inviting the whole space: its members now (and later, calendar's tests) are invited.
		pubCal := int64(pub["calendarId"].(float64))
		all := h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "All hands", "start": "2026-03-12T10:00:00",
			"timeZone": "Europe/Berlin", "calendarId": pubCal, "inviteSpace": true}, http.StatusCreated)
		if inv := all["invitations"].([]any); all["invitesSpace"] != true || len(inv) != 1 || inv[0].(map[string]any)["email"] != carol {
			t.Errorf("an event inviting its space: %v", all)
		}
		if code, out := h.do(alice, "POST", "/api/v1/events", map[string]any{"title": "x", "start": "2026-03-12T10:00:00", "inviteSpace": true}); code != 422 {
			t.Errorf("inviteSpace on a My Calendar event: %d %v, want 422", code, out)
		}
		other := h.mustDo(alice, "POST", "/api/v1/events", map[string]any{"title": "Retro", "start": "2026-03-13T10:00:00", "calendarId": pubCal}, http.StatusCreated)
		otherInv := fmt.Sprintf("/api/v1/events/%d/invitations", int64(other["id"].(float64)))
		if code, _ := h.do(alice, "POST", otherInv, map[string]any{"space": true, "emails": []string{bob}}); code != 422 {
			t.Errorf("the space and addresses at once: %d, want 422", code)
		}
		if got := h.mustDo(alice, "POST", otherInv, map[string]any{"space": true}, http.StatusOK); got["invitesSpace"] != true || len(got["invitations"].([]any)) != 1 {
			t.Errorf("after inviting the space: %v", got)
		}

		// With the Control Panel switch off, only site administrators create spaces.
		if err := h.app.props.Set(t.Context(), accounts.Viewer{UserID: h.userID("admin@example.com"), IsAdmin: true}, properties.PropEmployeesSpaces, "false"); err != nil {
			t.Fatal(err)
		}
		if code, _ := h.do(carol, "POST", "/api/v1/spaces", map[string]any{"name": "Mine", "visibility": "public"}); code != 403 {
			t.Errorf("an employee creating a space with the switch off: %d, want 403", code)
		}
		h.mustDo("admin@example.com", "POST", "/api/v1/spaces", map[string]any{"name": "Admin's", "visibility": "public"}, http.StatusCreated)
	})
}
