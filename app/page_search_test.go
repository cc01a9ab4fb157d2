package app

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// searchHarness has, at the harness's Monday 2 March 2026: Alice's weekly "Budget review"
// (Bob invited) and her past "Budget retro"; Bob's private "Budget cuts" and his public
// "Budget fair", which Alice has not answered.
func searchHarness(t *testing.T, db *gorm.DB) (*pageHarness, *calendar.Event) {
	h := newPageHarness(t, db)
	review := h.event("alice@example.com", calendar.EventInput{Title: "Budget review", Location: "Room 4", Description: "Bring the Q2 numbers, please.",
		Start: "2026-03-03T10:00", End: "2026-03-03T11:00", TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;COUNT=4"}, "bob@example.com")
	h.event("alice@example.com", calendar.EventInput{Title: "Budget retro", Start: "2026-02-10T10:00", End: "2026-02-10T11:00", TimeZone: "Europe/Berlin"})
	h.event("bob@example.com", calendar.EventInput{Title: "Budget cuts", Location: "Budget room", Privacy: calendar.Private,
		Start: "2026-03-04T10:00", End: "2026-03-04T11:00", TimeZone: "Europe/Berlin"})
	h.event("bob@example.com", calendar.EventInput{Title: "Budget fair", Start: "2026-03-05T10:00", End: "2026-03-05T11:00", TimeZone: "Europe/Berlin"})
	return h, review
}

func TestSearchPageListsWhatTheViewerMaySee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, review := searchHarness(t, db)
		alice := h.as("alice@example.com")
		_, cal := alice.page("/calendar")
		if !strings.Contains(cal, `action="/search"`) || !strings.Contains(cal, `id="cal-search-q"`) {
			t.Fatal("the calendar's toolbar has no search box")
		}
		status, body := alice.page("/search?q=budget")
		if status != http.StatusOK {
			t.Fatalf("search: status %d", status)
		}
		text := visibleText(body)
		next := instanceURL(review.ID, "2026-03-03T09:00:00Z")
		if !strings.Contains(body, `href="`+html.EscapeString(next)+`"`) || !strings.Contains(text, "Next Tuesday 3 March 2026, 10:00 – 11:00") {
			t.Errorf("the weekly review is not shown by its next instance, linked to it:\n%s", body)
		}
		if !strings.Contains(text, "Past Tuesday 10 February 2026") {
			t.Error("the past retro is not shown by its date")
		}
		if strings.Index(text, "Budget review") > strings.Index(text, "Budget retro") {
			t.Error("the upcoming event is not listed before the past one")
		}
		for _, hidden := range []string{"Budget cuts", "Budget room", "Budget fair"} {
			if strings.Contains(text, hidden) {
				t.Errorf("Alice's search shows %q, which is not in her calendar", hidden)
			}
		}
		// Found by its description alone: the result quotes it.
		if _, body := alice.page("/search?q=Q2"); !strings.Contains(visibleText(body), "Bring the Q2 numbers, please.") {
			t.Error("a match in the description is not quoted")
		}
		// The invitee finds the event; his own private one too.
		_, body = h.as("bob@example.com").page("/search?q=budget")
		if text := visibleText(body); !strings.Contains(text, "Budget review") || !strings.Contains(text, "Budget cuts") {
			t.Error("Bob does not find the review he is invited to and his own private event")
		}
		// Carol is invited to nothing.
		if _, body := h.as("carol@example.com").page("/search?q=budget"); !strings.Contains(visibleText(body), "Nothing in My Calendar matches “budget”.") {
			t.Error("Carol's search does not say it found nothing")
		}
	})
}

// visibleText is a page's text as it reads: tags dropped, entities decoded, spaces collapsed.
func visibleText(body string) string {
	return strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " "))), " ")
}

func instanceURL(id int64, orig string) string {
	return "/events/" + itoa64(id) + "?" + url.Values{"instance": {orig}}.Encode()
}

func TestSearchPageAnswersShortAndLongQueries(t *testing.T) {
	h, _ := searchHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	for q, want := range map[string]string{"": "Type a word of", "b": "Type at least 2 characters to search."} {
		status, body := alice.page("/search?q=" + url.QueryEscape(q))
		if status != http.StatusOK || !strings.Contains(body, want) || strings.Contains(body, "search-results") {
			t.Errorf("search %q: status %d, want 200 saying %q and no results", q, status, want)
		}
	}
	long := strings.Repeat("b", 201)
	status, body := alice.page("/search?q=" + long)
	if status != http.StatusBadRequest || !strings.Contains(body, "A search is at most 200 characters long.") {
		t.Errorf("a 201-character search: status %d, want 400 with the reason", status)
	}
	if status, _ := alice.page("/search?q=" + strings.Repeat("b", 200)); status != http.StatusOK {
		t.Errorf("a 200-character search: status %d", status)
	}
}

func TestSearchAPIAnswersAsThePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, review := searchHarness(t, db)
		bob := apiClient(t, h.app, h.users["bob@example.com"])
		get := func(q string, want int) map[string]any {
			t.Helper()
			res := bob.get("/api/v1/search?q=" + url.QueryEscape(q))
			var out map[string]any
			if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != want {
				t.Fatalf("search %q: status %d (%v), want %d", q, res.StatusCode, err, want)
			}
			return out
		}
		out := get("budget", http.StatusOK)
		var got []string
		for _, r := range out["results"].([]any) {
			m := r.(map[string]any)
			got = append(got, m["title"].(string)+" "+m["originalStart"].(string)+" "+map[bool]string{true: "upcoming", false: "past"}[m["upcoming"].(bool)])
		}
		want := []string{"Budget review 2026-03-03T09:00:00Z upcoming", "Budget cuts 2026-03-04T09:00:00Z upcoming", "Budget fair 2026-03-05T09:00:00Z upcoming"}
		if strings.Join(got, "|") != strings.Join(want, "|") || out["more"] != false {
			t.Errorf("results %q more %v, want %q", got, out["more"], want)
		}
		first := out["results"].([]any)[0].(map[string]any)
		if first["eventId"].(float64) != float64(review.ID) || first["organizer"].(map[string]any)["email"] != "alice@example.com" {
			t.Errorf("the first result is %v", first)
		}
		if out := get("b", http.StatusOK); len(out["results"].([]any)) != 0 || out["message"] != "Type at least 2 characters to search." {
			t.Errorf("a 1-character search: %v", out)
		}
		if out := get(strings.Repeat("b", 201), http.StatusBadRequest); out["error"].(map[string]any)["code"] != "bad_request" {
			t.Errorf("a 201-character search: %v", out)
		}
	})
}
