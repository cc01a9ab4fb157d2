package fakeoutlook

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// $batch tests, after the request and response examples of
// concepts/json-batching.md.

func batchOf(t *testing.T, r reply) map[string]map[string]any {
	t.Helper()
	raw, ok := r.json(t)["responses"].([]any)
	if !ok {
		t.Fatalf("no responses in %s", r.body)
	}
	out := map[string]map[string]any{}
	for _, x := range raw {
		m := x.(map[string]any)
		out[m["id"].(string)] = m
	}
	return out
}

func singleBody(subject string) map[string]any {
	return map[string]any{"subject": subject,
		"start": map[string]any{"dateTime": "2025-01-07T10:00:00", "timeZone": "UTC"},
		"end":   map[string]any{"dateTime": "2025-01-07T11:00:00", "timeZone": "UTC"}}
}

func TestBatchRunsDependantsInOrderAndFailsThemWith424(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	json := map[string]string{"Content-Type": "application/json"}
	r := f.must(http.StatusOK, call{method: "POST", path: "/$batch", token: tok, body: map[string]any{"requests": []map[string]any{
		{"id": "1", "method": "POST", "url": "/me/events", "headers": json, "body": singleBody("first")},
		{"id": "2", "method": "GET", "url": "/me/events?$select=subject", "dependsOn": []string{"1"}},
		{"id": "3", "method": "PATCH", "url": "/me/events/" + newEventID(), "headers": json, "body": map[string]any{"subject": "x"}},
		{"id": "4", "method": "DELETE", "url": "/me/events/whatever", "dependsOn": []string{"3"}},
		{"id": "5", "method": "GET", "url": "/me/events", "dependsOn": []string{"4"}},
	}}})
	got := batchOf(t, r)
	wantStatus := map[string]float64{"1": 201, "2": 200, "3": 404, "4": 424, "5": 424}
	for id, want := range wantStatus {
		if got[id]["status"] != want {
			t.Errorf("request %s: status %v, want %v", id, got[id]["status"], want)
		}
	}
	list := got["2"]["body"].(map[string]any)["value"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["subject"] != "first" {
		t.Errorf("the dependant did not see the event its dependency created: %v", list)
	}
	if got["1"]["headers"].(map[string]any)["Content-Type"] == nil {
		t.Error("inner response without Content-Type header")
	}
	if f.fake.RequestCount("ada@example.com", EndpointCreateEvent) != 1 || f.fake.GraphRequestCount("ada@example.com") != 1 {
		t.Errorf("request log: %d creates, %d Graph round trips; want 1 create inside 1 batch",
			f.fake.RequestCount("ada@example.com", EndpointCreateEvent), f.fake.GraphRequestCount("ada@example.com"))
	}
}

func TestBatchRefusesMoreThanTwentyRequests(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	var reqs []map[string]any
	for i := range 21 {
		reqs = append(reqs, map[string]any{"id": fmt.Sprint(i), "method": "GET", "url": "/me/events"})
	}
	r := f.must(http.StatusBadRequest, call{method: "POST", path: "/$batch", token: tok, body: map[string]any{"requests": reqs}})
	if !strings.Contains(string(r.body), "20") {
		t.Errorf("error %s", r.body)
	}
}

func TestBatchNeedsContentTypeForABody(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	r := f.must(http.StatusOK, call{method: "POST", path: "/$batch", token: tok, body: map[string]any{"requests": []map[string]any{
		{"id": "1", "method": "POST", "url": "/me/events", "body": singleBody("no content type")},
	}}})
	if got := batchOf(t, r)["1"]["status"]; got != 400.0 {
		t.Errorf("status %v, want 400", got)
	}
}

func TestBatchRequestsAreThrottledOneByOne(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	f.fake.InjectFault(Fault{Kind: FaultThrottle, Mailbox: "ada@example.com", Endpoint: EndpointCreateEvent, Times: 1, RetryAfter: 7 * time.Second})
	json := map[string]string{"Content-Type": "application/json"}
	r := f.must(http.StatusOK, call{method: "POST", path: "/$batch", token: tok, body: map[string]any{"requests": []map[string]any{
		{"id": "a", "method": "POST", "url": "/me/events", "headers": json, "body": singleBody("a")},
		{"id": "b", "method": "POST", "url": "/me/events", "headers": json, "body": singleBody("b"), "dependsOn": []string{"a"}},
		{"id": "c", "method": "GET", "url": "/me/events"},
	}}})
	got := batchOf(t, r)
	if got["a"]["status"] != 429.0 || got["a"]["headers"].(map[string]any)["Retry-After"] != "7" {
		t.Errorf("a: %v, want 429 with Retry-After 7", got["a"])
	}
	if got["b"]["status"] != 424.0 || got["c"]["status"] != 200.0 {
		t.Errorf("b %v, c %v: want 424 and 200", got["b"]["status"], got["c"]["status"])
	}
}

func TestBatchSentBesideBusyRequestsGetsMailboxConcurrency429(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	release := make(chan struct{})
	f.fake.InjectFault(Fault{Kind: FaultSlow, Mailbox: "ada@example.com", Endpoint: EndpointCalendarView, Release: release})
	done := make(chan int, 2)
	for range 2 {
		go func() {
			done <- f.do(call{method: "GET", path: "/me/calendarView?" + january, token: tok}).status
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.fake.WaitInFlight(ctx, "ada@example.com", 2); err != nil {
		t.Fatal(err)
	}
	var reqs []map[string]any
	for i := range 4 {
		reqs = append(reqs, map[string]any{"id": fmt.Sprint(i), "method": "GET", "url": "/me/events"})
	}
	got := batchOf(t, f.must(http.StatusOK, call{method: "POST", path: "/$batch", token: tok, body: map[string]any{"requests": reqs}}))
	close(release)
	ok, throttledN := 0, 0
	for _, a := range got {
		switch a["status"] {
		case 200.0:
			ok++
		case 429.0:
			throttledN++
			if a["body"].(map[string]any)["error"].(map[string]any)["code"] != "ApplicationThrottled" {
				t.Errorf("inner 429 body %v", a["body"])
			}
		}
	}
	if ok != 2 || throttledN != 2 {
		t.Errorf("%d ok and %d throttled, want 2 and 2 (two slots were taken)", ok, throttledN)
	}
	for range 2 {
		if s := <-done; s != http.StatusOK {
			t.Errorf("a slow request ended with %d", s)
		}
	}
}
