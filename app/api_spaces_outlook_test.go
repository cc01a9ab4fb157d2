package app

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/migrations/dbtest"
	"intracal/outlooksync/publish"
)

// Who may read and change a space's publication: its administrators, and site
// administrators for a space they can see; a member is refused (403), someone who cannot see
// the space finds nothing (404); bad input is a 4xx naming the problem.
func TestAPISpaceOutlookPermissionsAndInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		const alice, bob, carol, admin = "alice@example.com", "bob@example.com", "carol@example.com", "admin@example.com"
		board := h.mustDo(alice, "POST", "/api/v1/spaces", map[string]any{"name": "Board", "visibility": "private"}, http.StatusCreated)
		boardPath := fmt.Sprintf("/api/v1/spaces/%d", int64(board["id"].(float64)))
		h.mustDo(alice, "POST", boardPath+"/members", map[string]any{"emails": []string{bob}}, http.StatusOK)
		club := h.mustDo(carol, "POST", "/api/v1/spaces", map[string]any{"name": "Club", "visibility": "public"}, http.StatusCreated)
		clubPath := fmt.Sprintf("/api/v1/spaces/%d", int64(club["id"].(float64)))

		type call struct{ method, path string }
		calls := func(space string) []call {
			return []call{{"GET", space + "/outlook"}, {"PUT", space + "/outlook"}, {"POST", space + "/outlook/run"}}
		}
		for _, c := range []struct {
			who, space string
			want       int
		}{
			{bob, boardPath, http.StatusForbidden},   // a member of the space
			{alice, clubPath, http.StatusForbidden},  // a public space one is no member of
			{carol, boardPath, http.StatusNotFound},  // a private space one is not in
			{admin, boardPath, http.StatusNotFound},  // site administrators are no exception to that
			{"", boardPath, http.StatusUnauthorized}, // nobody signed in
		} {
			for _, cl := range calls(c.space) {
				code, out := h.do(c.who, cl.method, cl.path, map[string]any{"publish": true})
				if code != c.want {
					t.Errorf("%s %s as %q: %d %v, want %d", cl.method, cl.path, c.who, code, out, c.want)
				}
			}
		}
		if on, _ := h.app.publish.Published(t.Context(), int64(board["id"].(float64))); on {
			t.Fatal("a refused request published the space")
		}

		// The space's administrator, and a site administrator for a space they see.
		if got := h.mustDo(alice, "GET", boardPath+"/outlook", nil, http.StatusOK); got["publish"] != false || len(got["members"].([]any)) != 0 || len(got["history"].([]any)) != 0 {
			t.Errorf("an unpublished space: %v, want publish false and empty lists", got)
		}
		if code, out := h.do(alice, "POST", boardPath+"/outlook/run", nil); code != http.StatusConflict {
			t.Errorf("publish now of an unpublished space: %d %v, want 409", code, out)
		}
		if got := h.mustDo(alice, "PUT", boardPath+"/outlook", map[string]any{"publish": true}, http.StatusOK); got["publish"] != true || len(got["members"].([]any)) != 2 {
			t.Errorf("after publishing: %v, want publish true and both members (pending)", got)
		}
		h.mustDo(alice, "POST", boardPath+"/outlook/run", nil, http.StatusAccepted)
		if got := h.mustDo(admin, "PUT", clubPath+"/outlook", map[string]any{"publish": true}, http.StatusOK); got["publish"] != true {
			t.Errorf("a site administrator publishing a public space: %v", got)
		}
		h.mustDo(admin, "POST", clubPath+"/outlook/run", nil, http.StatusAccepted)
		if got := h.mustDo(admin, "PUT", clubPath+"/outlook", map[string]any{"publish": false}, http.StatusOK); got["publish"] != false {
			t.Errorf("a site administrator unpublishing: %v", got)
		}

		for _, c := range []struct {
			name, body string
			want       int
			field      string
		}{
			{"no body", "", 400, ""},
			{"not JSON", "publish=yes", 400, ""},
			{"a string for the switch", `{"publish":"yes"}`, 400, ""},
			{"an unknown field", `{"publish":true,"calendar":"x"}`, 400, ""},
			{"no switch", `{}`, 422, "publish"},
			{"a null switch", `{"publish":null}`, 422, "publish"},
		} {
			code, out := h.do(alice, "PUT", boardPath+"/outlook", c.body)
			if code != c.want {
				t.Errorf("%s: %d %v, want %d", c.name, code, out, c.want)
				continue
			}
			e := out["error"].(map[string]any)
			if msg, _ := e["message"].(string); msg == "" {
				t.Errorf("%s: no message saying what is wrong: %v", c.name, out)
			}
			if c.field != "" {
				if f, _ := e["fields"].(map[string]any); f[c.field] == nil {
					t.Errorf("%s: %v does not name %s", c.name, out, c.field)
				}
			}
		}
		if code, _ := h.do(alice, "GET", "/api/v1/spaces/abc/outlook", nil); code != 400 {
			t.Errorf("a space id that is no number: %d, want 400", code)
		}
		if code, _ := h.do(alice, "GET", "/api/v1/spaces/99999/outlook", nil); code != 404 {
			t.Errorf("an unknown space: %d, want 404", code)
		}
	})
}

// GET answers each member's state, failures first, and the history newest first.
func TestAPISpaceOutlookShowsEachMembersStateFailuresFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		const alice = "alice@example.com"
		sp := h.mustDo(alice, "POST", "/api/v1/spaces", map[string]any{"name": "Board", "visibility": "private"}, http.StatusCreated)
		id := int64(sp["id"].(float64))
		path := fmt.Sprintf("/api/v1/spaces/%d/outlook", id)
		h.mustDo(alice, "POST", fmt.Sprintf("/api/v1/spaces/%d/members", id),
			map[string]any{"emails": []string{"bob@example.com", "carol@example.com", "admin@example.com"}}, http.StatusOK)
		h.mustDo(alice, "PUT", path, map[string]any{"publish": true}, http.StatusOK)

		st := h.app.PublishStore()
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		aliceID, bobID, carolID := h.userID(alice), h.userID("bob@example.com"), h.userID("carol@example.com")
		publishRun(t, st, id, aliceID, at, "", publish.HistoryEntry{UserID: aliceID, At: at, EventID: 7, Summary: "Published", Detail: "Board meeting"})
		publishRun(t, st, id, bobID, at, "Graph answered 503")
		publishRun(t, st, id, carolID, at, publish.ConsentMissing+" (AADSTS65001)")
		publishRun(t, st, id, carolID, at.Add(time.Hour), publish.ConsentMissing+" (AADSTS65001)",
			publish.HistoryEntry{UserID: carolID, At: at.Add(time.Hour), Summary: "Refused: no admin consent"})

		got := h.mustDo(alice, "GET", path, nil, http.StatusOK)
		members := got["members"].([]any)
		var order []string
		for _, m := range members {
			m := m.(map[string]any)
			order = append(order, m["email"].(string)+"="+m["state"].(string))
		}
		// Carol has failed twice in a row, Bob once; Alice is published; Ada has no target yet.
		want := "carol@example.com=consent missing bob@example.com=failing alice@example.com=published admin@example.com=pending"
		if strings.Join(order, " ") != want {
			t.Fatalf("members = %v, want %s", order, want)
		}
		carol, alicem, ada := members[0].(map[string]any), members[2].(map[string]any), members[3].(map[string]any)
		if carol["failures"] != 2.0 || !strings.HasPrefix(carol["lastError"].(string), publish.ConsentMissing) || carol["lastPublishedAt"] != nil ||
			carol["lastRunAt"] != "2026-03-02T10:00:00Z" || carol["name"] != "Carol" || carol["userId"] != float64(carolID) {
			t.Errorf("the member refused for want of consent = %v", carol)
		}
		if alicem["lastPublishedAt"] != "2026-03-02T09:00:00Z" || alicem["lastError"] != nil || alicem["failures"] != 0.0 {
			t.Errorf("the published member = %v", alicem)
		}
		if ada["lastRunAt"] != nil || ada["lastPublishedAt"] != nil || ada["lastError"] != nil {
			t.Errorf("the member without a run = %v", ada)
		}
		history := got["history"].([]any)
		if len(history) != 2 {
			t.Fatalf("history = %v, want 2 lines", history)
		}
		newest, oldest := history[0].(map[string]any), history[1].(map[string]any)
		if newest["summary"] != "Refused: no admin consent" || newest["eventId"] != nil || newest["userId"] != float64(carolID) || newest["at"] != "2026-03-02T10:00:00Z" {
			t.Errorf("the newest history line = %v", newest)
		}
		if oldest["eventId"] != 7.0 || oldest["detail"] != "Board meeting" {
			t.Errorf("the oldest history line = %v", oldest)
		}

		// Unpublished, only the targets still holding copies are listed.
		got = h.mustDo(alice, "PUT", path, map[string]any{"publish": false}, http.StatusOK)
		if n := len(got["members"].([]any)); got["publish"] != false || n != 3 {
			t.Errorf("after unpublishing: %v, want the 3 targets left, not the member without one", got)
		}
	})
}

// A session's state changes need its CSRF token in the X-CSRF-Token header, as every API
// change does.
func TestAPISpaceOutlookWithASessionNeedsTheCSRFToken(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	res, _ := alice.submit("/spaces/new", map[string][]string{"name": {"Board"}, "visibility": {"private"}})
	path := "/spaces/" + spaceIDFrom(t, res)
	api := "/api/v1" + path + "/outlook"
	for _, token := range []string{"", "forged-token"} {
		header := http.Header{"Content-Type": {"application/json"}}
		if token != "" {
			header.Set("X-CSRF-Token", token)
		}
		if res := alice.do("PUT", api, strings.NewReader(`{"publish":true}`), header); res.StatusCode != http.StatusForbidden {
			t.Errorf("PUT with token %q: %d, want 403", token, res.StatusCode)
		}
		if res := alice.do("POST", api+"/run", bytes.NewReader(nil), header); res.StatusCode != http.StatusForbidden {
			t.Errorf("run with token %q: %d, want 403", token, res.StatusCode)
		}
	}
	if on, _ := h.app.publish.Published(t.Context(), mustAtoi(t, strings.TrimPrefix(path, "/spaces/"))); on {
		t.Fatal("a request without the CSRF token published the space")
	}
	header := http.Header{"Content-Type": {"application/json"}}
	header.Set("X-CSRF-Token", alice.csrf())
	if res := alice.do("PUT", api, strings.NewReader(`{"publish":true}`), header); res.StatusCode != http.StatusOK {
		t.Errorf("PUT with the session's token: %d, want 200", res.StatusCode)
	}
}
