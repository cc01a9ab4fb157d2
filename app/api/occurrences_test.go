package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// The streamed listing says, byte for byte, what c.JSON said of the same instances before:
// shape, key order, escaping and the final newline.
func TestOccurrencesStreamedAsBefore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newHarness(t, db)
		ev := h.mustDo("alice@example.com", "POST", "/api/v1/events", map[string]any{
			"title": "Standup <team> & co", "start": "2026-03-02T09:00:00", "end": "2026-03-02T09:15:00",
			"timeZone": "Europe/Berlin", "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=5",
			"invitees": []map[string]any{{"email": "bob@example.com"}},
		}, http.StatusCreated)
		path := "/api/v1/events/" + strconv.Itoa(int(ev["id"].(float64)))
		h.mustDo("alice@example.com", "PATCH", path+"?scope=instance&instance=2026-03-16T08:00:00Z",
			map[string]any{"title": "Standup moved", "location": "Room 4", "version": 1}, http.StatusOK)
		h.mustDo("bob@example.com", "PUT", path+"/rsvp", map[string]any{"response": "maybe"}, http.StatusOK)
		h.mustDo("bob@example.com", "POST", "/api/v1/events", map[string]any{
			"title": "Offsite", "start": "2026-03-10", "end": "2026-03-11", "allDay": true,
		}, http.StatusCreated)

		for _, q := range []string{"from=2026-03-01&to=2026-04-01", "from=2027-03-01&to=2027-04-01"} {
			rec := h.raw("bob@example.com", "/api/v1/occurrences?"+q)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("%s: status %d, type %q: %s", q, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
			}
			// What the handler wrote before: the instances as a slice, through c.JSON's encoder.
			ctx := context.Background()
			bob := calendar.Viewer{UserID: h.userID("bob@example.com")}
			from, _ := parseBound(q[5:15], "from", mustZone(t, "Europe/Berlin"))
			to, _ := parseBound(q[19:], "to", mustZone(t, "Europe/Berlin"))
			occ, truncated, err := h.cal.Occurrences(ctx, bob, calendar.Query{From: from, To: to})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, o := range occ {
				ids = append(ids, o.OrganizerID)
			}
			people, err := h.people.ByIDs(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]occurrenceJSON, len(occ))
			for i, o := range occ {
				out[i] = occurrenceOut(o, people)
			}
			var want bytes.Buffer
			if err := json.NewEncoder(&want).Encode(map[string]any{"occurrences": out, "truncated": truncated}); err != nil {
				t.Fatal(err)
			}
			if rec.Body.String() != want.String() {
				t.Errorf("%s: streamed\n%s\nwant\n%s", q, rec.Body.String(), want.String())
			}
			if q[5:9] == "2026" && len(occ) != 6 {
				t.Errorf("March 2026 lists %d instances, want 6 (5 standups, the offsite)", len(occ))
			}
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// writeSizes is a ResponseWriter that records its largest single write.
type writeSizes struct {
	*httptest.ResponseRecorder
	largest, writes int
}

func (w *writeSizes) Write(p []byte) (int, error) {
	w.largest = max(w.largest, len(p))
	w.writes++
	return w.ResponseRecorder.Write(p)
}

// A listing cut at the cap (about 9 MB of JSON) reaches the client in pieces of the stream
// buffer, never as one answer held whole, and still says it was cut.
func TestOccurrencesAnswerIsStreamed(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	h.seedDailySeries("alice@example.com", 70) // 70 x 400 days > the cap
	req := httptest.NewRequest(http.MethodGet, "/api/v1/occurrences?from=2026-01-01&to=2027-02-05", nil)
	req.Header.Set("Authorization", "Bearer "+h.tokens["alice@example.com"])
	w := &writeSizes{ResponseRecorder: httptest.NewRecorder()}
	h.e.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body.String())
	}
	if w.Body.Len() < 4<<20 || w.largest > streamBuffer {
		t.Errorf("%d bytes in %d writes, the largest %d: want over 4 MiB in writes of at most %d", w.Body.Len(), w.writes, w.largest, streamBuffer)
	}
	var out struct {
		Occurrences []occurrenceJSON `json:"occurrences"`
		Truncated   bool             `json:"truncated"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Occurrences) != calendar.MaxOccurrences || !out.Truncated {
		t.Fatalf("%d instances, truncated %v: want the cap, %d, and truncated", len(out.Occurrences), out.Truncated, calendar.MaxOccurrences)
	}
	var prev time.Time
	for i, o := range out.Occurrences {
		start, err := time.Parse(time.RFC3339, o.Start)
		if err != nil || start.Before(prev) {
			t.Fatalf("instance %d starts %s (%v), before the one ahead of it", i, o.Start, err)
		}
		prev = start
	}
}
