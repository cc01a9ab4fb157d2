package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"intracal/app/httpkit"
	"intracal/migrations/dbtest"
)

// A person with two listings running is refused a third at once with 429 and Retry-After, on
// the API and on the calendar page, while another person is still served; the refusal takes
// nothing from the person's count.
func TestListingPersonalLimit(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	alice := h.userID("alice@example.com")
	for range listingsPerPerson {
		release, err := h.app.listings.acquire(context.Background(), alice)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
	}
	for _, path := range []string{"/api/v1/occurrences?from=2026-03-01&to=2026-04-01", "/calendar?date=2026-03-02"} {
		rec := h.raw("alice@example.com", path)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "2" {
			t.Errorf("%s: status %d, Retry-After %q: want 429 and 2", path, rec.Code, rec.Header().Get("Retry-After"))
		}
		if !bytes.Contains(rec.Body.Bytes(), []byte("already have 2 calendar listings running")) {
			t.Errorf("%s: the answer does not say why: %s", path, rec.Body.String())
		}
		if rec := h.raw("bob@example.com", path); rec.Code != http.StatusOK {
			t.Errorf("%s as bob: status %d, want 200", path, rec.Code)
		}
	}
	if total, mine := h.app.listings.running(alice); total != listingsPerPerson || mine != listingsPerPerson {
		t.Errorf("running %d, alice's %d: want %d and %d", total, mine, listingsPerPerson, listingsPerPerson)
	}
	rec := h.raw("alice@example.com", "/api/v1/occurrences?from=2026-03-01&to=2026-04-01")
	if e := apiErr(t, rec.Result()); e.Code != "too_many_requests" {
		t.Errorf("code %q, want too_many_requests", e.Code)
	}
}

// A listing that finds every slot of the process taken waits, and when the wait ends first it
// is answered 503 with Retry-After, holding nothing; so when its request ends first.
func TestListingGlobalWait(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	carol, bob := h.userID("carol@example.com"), h.userID("bob@example.com")
	path := "/api/v1/occurrences?from=2026-03-01&to=2026-04-01"
	h.app.listings = newListingLimiter(1, listingsPerPerson, time.Millisecond)
	release, err := h.app.listings.acquire(context.Background(), carol)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	rec := h.raw("bob@example.com", path)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "5" {
		t.Fatalf("status %d, Retry-After %q: want 503 and 5: %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
	}
	if e := apiErr(t, rec.Result()); e.Code != "busy" || e.Message == "" {
		t.Errorf("code %q, message %q: want busy, and why", e.Code, e.Message)
	}
	if total, mine := h.app.listings.running(bob); total != 1 || mine != 0 {
		t.Errorf("running %d, bob's %d: want carol's 1 and none of bob's", total, mine)
	}

	// The request ends while it waits: a limiter deaf to the context would wait the hour.
	h.app.listings.wait = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if rel, err := h.app.listings.acquire(ctx, bob); err == nil {
		rel()
		t.Fatal("a slot was given while the only one is held")
	} else if e, ok := err.(*httpkit.Error); !ok || e.Status != http.StatusServiceUnavailable {
		t.Fatalf("err %v, want the 503 busy error", err)
	}
	if total, mine := h.app.listings.running(bob); total != 1 || mine != 0 {
		t.Errorf("running %d, bob's %d: want carol's 1 and none of bob's", total, mine)
	}

	// Once the slot is free, bob is served.
	release()
	if rec := h.raw("bob@example.com", path); rec.Code != http.StatusOK {
		t.Errorf("after the release: status %d, want 200", rec.Code)
	}
}

// Every listing gives its slot back: answered, refused by the store (a bad window), or cut
// off by a client that hangs up halfway through a heavy answer on a real connection.
func TestListingAlwaysReleases(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	h.seedDailySeries("alice@example.com", 70)
	alice := h.userID("alice@example.com")
	released := make(chan struct{}, 16)
	h.app.listings.released = func() { released <- struct{}{} }
	srv := httptest.NewServer(h.app.Handler())
	defer srv.Close()
	get := func(query string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/occurrences?"+query, nil)
		req.Header.Set("Authorization", "Bearer "+h.tokens["alice@example.com"])
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	waitRelease := func(what string) {
		t.Helper()
		select {
		case <-released:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: the listing's slot was not released", what)
		}
		if total, mine := h.app.listings.running(alice); total != 0 || mine != 0 {
			t.Fatalf("%s: running %d, alice's %d after the release, want none", what, total, mine)
		}
	}

	res := get("from=2026-03-01&to=2026-03-08")
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	waitRelease("answered")

	res = get("from=2026-03-08&to=2026-03-01")
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad window: status %d, want 422", res.StatusCode)
	}
	waitRelease("refused")

	res = get("from=2026-01-01&to=2027-02-05")
	if _, err := io.ReadFull(res.Body, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	res.Body.Close() // unread: the connection is closed under the handler
	waitRelease("client gone")
}
