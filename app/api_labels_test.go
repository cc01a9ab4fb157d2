package app

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"intracal/migrations/dbtest"
)

// The API takes and shows an event's categories and reminder: Outlook's default reminder
// when none is given, none for null, a change by PATCH; its colour in the listing; and none
// of it to an invitee, who sees the event but not how its organizer files it.
func TestAPICategoriesAndReminder(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	created := h.mustDo("alice@example.com", "POST", "/api/v1/events", map[string]any{"title": "Review", "start": "2026-03-02T09:00:00",
		"end": "2026-03-02T10:00:00", "timeZone": "UTC", "categories": []string{"Red category", "Project X"}}, http.StatusCreated)
	if created["reminderMinutes"] != float64(15) || created["colour"] != "red" {
		t.Fatalf("created: reminder %v, colour %v; want Outlook's default 15 and red", created["reminderMinutes"], created["colour"])
	}
	path := fmt.Sprintf("/api/v1/events/%v", created["id"])
	patched := h.mustDo("alice@example.com", "PATCH", path, map[string]any{"reminderMinutes": nil, "categories": []string{"Project X"}}, http.StatusOK)
	if patched["reminderMinutes"] != nil || patched["colour"] != nil {
		t.Fatalf("patched: reminder %v, colour %v; want none and none", patched["reminderMinutes"], patched["colour"])
	}
	if cats, _ := patched["categories"].([]any); !slices.Equal(cats, []any{"Project X"}) {
		t.Fatalf("patched categories %v", patched["categories"])
	}
	again := h.mustDo("alice@example.com", "PATCH", path, map[string]any{"title": "Review 2"}, http.StatusOK)
	if again["reminderMinutes"] != nil || len(again["categories"].([]any)) != 1 {
		t.Fatalf("a PATCH without them changed them: %v, %v", again["reminderMinutes"], again["categories"])
	}
	colour := h.mustDo("alice@example.com", "PATCH", path, map[string]any{"categories": []string{"Blue category"}, "reminderMinutes": 0}, http.StatusOK)
	if colour["reminderMinutes"] != float64(0) {
		t.Fatalf("a reminder at the start reads %v", colour["reminderMinutes"])
	}
	h.mustDo("alice@example.com", "POST", path+"/invitations", map[string]any{"emails": []string{"bob@example.com"}}, http.StatusOK)
	for who, want := range map[string]any{"alice@example.com": "blue", "bob@example.com": nil} {
		_, list := h.do(who, "GET", "/api/v1/occurrences?from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z", nil)
		occ, _ := list["occurrences"].([]any)
		if len(occ) != 1 {
			t.Fatalf("%s lists %d instances", who, len(occ))
		}
		if got := occ[0].(map[string]any)["colour"]; got != want {
			t.Errorf("%s sees colour %v, want %v", who, got, want)
		}
	}
	asBob := h.mustDo("bob@example.com", "GET", path, nil, http.StatusOK)
	if asBob["reminderMinutes"] != nil || len(asBob["categories"].([]any)) != 0 {
		t.Errorf("the invitee sees the organizer's reminder %v and categories %v", asBob["reminderMinutes"], asBob["categories"])
	}
	for _, bad := range []struct {
		body  map[string]any
		field string
		want  int
	}{{map[string]any{"reminderMinutes": -1}, "reminder", http.StatusUnprocessableEntity}, {map[string]any{"categories": []string{"a\nb"}}, "categories", http.StatusUnprocessableEntity},
		{map[string]any{"reminderMinutes": "soon"}, "", http.StatusBadRequest}} {
		status, body := h.do("alice@example.com", "PATCH", path, bad.body)
		if status != bad.want {
			t.Errorf("PATCH %v: %d %v, want %d", bad.body, status, body, bad.want)
			continue
		}
		if bad.field != "" {
			if fields, _ := body["error"].(map[string]any)["fields"].(map[string]any); fields[bad.field] == nil {
				t.Errorf("PATCH %v: the answer does not name %s: %v", bad.body, bad.field, body)
			}
		}
	}
}
