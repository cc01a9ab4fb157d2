package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

func TestSeedDemoMakesALivedInCalendar(t *testing.T) {
	h := newAPIHarnessEmpty(t)
	var out bytes.Buffer
	ctx := context.Background()
	if err := h.app.SeedDemo(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "alice@example.com") || !strings.Contains(out.String(), DemoPassword) {
		t.Fatalf("logins not printed: %q", out.String())
	}
	alice, err := h.app.users.ByEmail(ctx, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	v := calendar.Viewer{UserID: alice.ID}
	now := time.Now()
	occ, _, err := h.app.store.Occurrences(ctx, v, calendar.Query{From: now.AddDate(0, 0, -14), To: now.AddDate(0, 0, 42)})
	if err != nil {
		t.Fatal(err)
	}
	var exceptions, split, private, allDay, answered int
	for _, o := range occ {
		if o.IsException {
			exceptions++
		}
		if o.Title == "Sprint planning (new format)" {
			split++
		}
		if o.Privacy == calendar.Private {
			private++
		}
		if o.AllDay {
			allDay++
		}
		if o.RSVP != "" {
			answered++
		}
	}
	if len(occ) < 30 || exceptions < 2 || split == 0 || private == 0 || allDay == 0 || answered == 0 {
		t.Fatalf("demo calendar too thin: %d instances, %d exceptions, %d after the split, %d private, %d all-day, %d answered",
			len(occ), exceptions, split, private, allDay, answered)
	}
	// A second run changes nothing and still prints the logins.
	out.Reset()
	if err := h.app.SeedDemo(ctx, &out); err != nil || !strings.Contains(out.String(), "bob@example.com") {
		t.Fatalf("second seed: %v, %q", err, out.String())
	}
}

func newAPIHarnessEmpty(t *testing.T) *apiHarness {
	t.Helper()
	h := newAPIHarness(t, dbtest.SQLite(t))
	// The harness's own people share the demo addresses: start from an empty users table.
	if err := h.app.db.Exec("DELETE FROM api_tokens").Error; err != nil {
		t.Fatal(err)
	}
	if err := h.app.db.Exec("DELETE FROM users").Error; err != nil {
		t.Fatal(err)
	}
	return h
}
