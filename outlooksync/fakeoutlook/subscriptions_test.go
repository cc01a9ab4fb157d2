package fakeoutlook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a subscriber's endpoint: it answers the handshake as an app must and keeps
// what it was sent.
type receiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	got      []map[string]any
	tokens   []string
	breakAck bool // answer the handshake wrongly
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("validationToken"); tok != "" {
			rc.mu.Lock()
			rc.tokens = append(rc.tokens, tok)
			broken := rc.breakAck
			rc.mu.Unlock()
			w.Header().Set("Content-Type", "text/plain")
			if broken {
				_, _ = io.WriteString(w, r.URL.RawQuery) // the raw, still encoded query
				return
			}
			_, _ = io.WriteString(w, tok)
			return
		}
		var body struct {
			Value []map[string]any `json:"value"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		rc.mu.Lock()
		rc.got = append(rc.got, body.Value...)
		rc.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) received() []map[string]any {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]map[string]any(nil), rc.got...)
}

func (f *fixture) subscribe(token string, rc *receiver, expires time.Time) reply {
	return f.do(call{method: http.MethodPost, path: "/subscriptions", token: token, body: map[string]any{
		"changeType": "created,updated,deleted", "resource": "me/events",
		"notificationUrl": rc.srv.URL + "/notify", "lifecycleNotificationUrl": rc.srv.URL + "/lifecycle",
		"clientState": "s3cret", "expirationDateTime": expires.Format(time.RFC3339),
	}})
}

func waitDelivered(t *testing.T, f *fixture) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.fake.WaitNotifications(ctx); err != nil {
		t.Fatalf("notifications still pending: %v", err)
	}
}

func TestSubscriptionHandshakeDeliveryAndExpiry(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@contoso.example")
	rc := newReceiver(t)

	if r := f.subscribe(tok, rc, f.clock.Now().Add(MaxSubscriptionLifetime+time.Minute)); r.status != http.StatusBadRequest ||
		!strings.Contains(string(r.body), "10080 minutes") {
		t.Fatalf("a subscription longer than Outlook allows: %d %s", r.status, r.body)
	}
	rc.breakAck = true
	if r := f.subscribe(tok, rc, f.clock.Now().Add(time.Hour)); r.status != http.StatusBadRequest ||
		!strings.Contains(string(r.body), "validation request failed") {
		t.Fatalf("a wrong handshake answer: %d %s", r.status, r.body)
	}
	rc.breakAck = false
	r := f.subscribe(tok, rc, f.clock.Now().Add(3*24*time.Hour))
	if r.status != http.StatusCreated {
		t.Fatalf("subscribe: %d %s", r.status, r.body)
	}
	sub := r.json(t)
	id := sub["id"].(string)
	if got := len(rc.tokens); got != 3 { // the refused try, then both URLs of this one
		t.Fatalf("validation requests: %d, want 3", got)
	}
	for _, tk := range rc.tokens {
		if !strings.HasPrefix(tk, "Validation: ") {
			t.Fatalf("the validation token %q is not Graph's sentence", tk)
		}
	}

	f.must(http.StatusCreated, call{method: http.MethodPost, path: "/me/events", token: tok, body: map[string]any{
		"subject": "Stand-up", "start": map[string]any{"dateTime": "2025-01-07T09:00:00", "timeZone": "UTC"},
		"end": map[string]any{"dateTime": "2025-01-07T09:15:00", "timeZone": "UTC"}}})
	waitDelivered(t, f)
	got := rc.received()
	if len(got) != 1 || got[0]["changeType"] != "created" || got[0]["subscriptionId"] != id || got[0]["clientState"] != "s3cret" {
		t.Fatalf("the notification of a created event: %v", got)
	}

	// Graph keeps subscriptions whatever happens: a fake restarted from its state file too.
	path := t.TempDir() + "/state.json"
	if err := f.fake.SaveState(path); err != nil {
		t.Fatal(err)
	}
	again := New(Options{Now: f.clock.Now})
	if err := again.LoadState(path); err != nil {
		t.Fatal(err)
	}
	if got, want := again.Subscriptions(), f.fake.Subscriptions(); len(got) != 1 || got[0] != want[0] {
		t.Fatalf("subscriptions after a restart: %+v, want %+v", got, want)
	}

	// Another app's or user's token does not see the subscription.
	other := f.token("bob@contoso.example")
	if r := f.do(call{method: http.MethodDelete, path: "/subscriptions/" + id, token: other}); r.status != http.StatusNotFound {
		t.Fatalf("another user deleting the subscription: %d %s", r.status, r.body)
	}

	// Lost notifications leave no trace at the receiver, and are logged as lost.
	f.fake.SetNotificationFaults(NotificationFaults{Lose: true})
	f.must(http.StatusCreated, call{method: http.MethodPost, path: "/me/events", token: tok, body: map[string]any{
		"subject": "Lost", "start": map[string]any{"dateTime": "2025-01-08T09:00:00", "timeZone": "UTC"},
		"end": map[string]any{"dateTime": "2025-01-08T09:15:00", "timeZone": "UTC"}}})
	waitDelivered(t, f)
	if n := len(rc.received()); n != 1 {
		t.Fatalf("a lost notification arrived: %d", n)
	}
	f.fake.SetNotificationFaults(NotificationFaults{Duplicate: true})
	f.must(http.StatusCreated, call{method: http.MethodPost, path: "/me/events", token: tok, body: map[string]any{
		"subject": "Twice", "start": map[string]any{"dateTime": "2025-01-09T09:00:00", "timeZone": "UTC"},
		"end": map[string]any{"dateTime": "2025-01-09T09:15:00", "timeZone": "UTC"}}})
	waitDelivered(t, f)
	if n := len(rc.received()); n != 3 {
		t.Fatalf("a duplicated notification: %d in all, want 3", n)
	}
	f.fake.SetNotificationFaults(NotificationFaults{})

	// Renewal moves the expiry; past it the subscription is gone and delivers nothing.
	renewed := f.clock.Now().Add(4 * 24 * time.Hour)
	f.must(http.StatusOK, call{method: http.MethodPatch, path: "/subscriptions/" + id, token: tok,
		body: map[string]any{"expirationDateTime": renewed.Format(time.RFC3339)}})
	f.clock.Advance(3*24*time.Hour + time.Hour)
	if subs := f.fake.Subscriptions(); len(subs) != 1 {
		t.Fatalf("the renewed subscription expired early: %v", subs)
	}
	f.clock.Advance(24 * time.Hour)
	if subs := f.fake.Subscriptions(); len(subs) != 0 {
		t.Fatalf("an expired subscription lives on: %v", subs)
	}
	tok = f.token("ada@contoso.example") // the first expired with the clock
	if r := f.do(call{method: http.MethodPatch, path: "/subscriptions/" + id, token: tok,
		body: map[string]any{"expirationDateTime": f.clock.Now().Add(time.Hour).Format(time.RFC3339)}}); r.status != http.StatusNotFound {
		t.Fatalf("renewing an expired subscription: %d %s", r.status, r.body)
	}
}

func TestLifecycleEventsReachTheLifecycleURL(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@contoso.example")
	rc := newReceiver(t)
	id := f.subscribe(tok, rc, f.clock.Now().Add(time.Hour)).json(t)["id"].(string)
	if err := f.fake.SendLifecycle(id, "subscriptionRemoved"); err != nil {
		t.Fatal(err)
	}
	waitDelivered(t, f)
	got := rc.received()
	if len(got) != 1 || got[0]["lifecycleEvent"] != "subscriptionRemoved" {
		t.Fatalf("lifecycle notification: %v", got)
	}
	if subs := f.fake.Subscriptions(); len(subs) != 0 {
		t.Fatalf("a removed subscription lives on: %v", subs)
	}
}

// TestWebNotificationsPageSetsFaultsAndSendsLifecycleEvents is the demo's page: it lists the
// subscription, loses the next notification, and sends a lifecycle event on request.
func TestWebNotificationsPageSetsFaultsAndSendsLifecycleEvents(t *testing.T) {
	f, b := webFixture(t)
	rc := newReceiver(t)
	id := f.subscribe(f.token("ada@example.com"), rc, f.clock.Now().Add(time.Hour)).json(t)["id"].(string)
	if p := b.get("/outlook/notifications").must(t, http.StatusOK); !strings.Contains(p.body, "me/events") || !strings.Contains(p.body, "ada@example.com") {
		t.Fatalf("the page does not list the subscription: %s", p.body)
	}
	b.post("/outlook/notifications/faults", url.Values{"lose": {"on"}}).must(t, http.StatusSeeOther)
	if _, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Quiet", Start: testNow().Add(time.Hour), End: testNow().Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	waitDelivered(t, f)
	if n := len(rc.received()); n != 0 {
		t.Fatalf("a notification arrived although they are lost: %d", n)
	}
	b.post("/outlook/notifications/faults", url.Values{}).must(t, http.StatusSeeOther)
	b.post("/outlook/notifications/lifecycle", url.Values{"subscription": {id}, "event": {"missed"}}).must(t, http.StatusSeeOther)
	waitDelivered(t, f)
	if got := rc.received(); len(got) != 1 || got[0]["lifecycleEvent"] != "missed" {
		t.Fatalf("lifecycle event from the page: %v", got)
	}
	if p := b.postRaw("/outlook/notifications/faults", url.Values{"lose": {"on"}}); p.status != http.StatusForbidden {
		t.Fatalf("a form without the token: %d", p.status)
	}
}
