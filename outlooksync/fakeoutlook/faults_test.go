package fakeoutlook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// Faults and measurements: throttling as Microsoft documents it
// (concepts/throttling-limits.md, Outlook service limits: 429 with
// Retry-After, code ApplicationThrottled; four concurrent requests per
// mailbox), 503, slow answers, dropped connections and the request log.

func TestInjectedThrottleHitsOnlyItsMailboxAndEndpoint(t *testing.T) {
	f := newFixture(t, Options{})
	ada, bob := f.token("ada@example.com"), f.token("bob@example.com")
	f.fake.InjectFault(Fault{Kind: FaultThrottle, Mailbox: "ada@example.com", Endpoint: EndpointCalendarView, Times: 2, RetryAfter: 3 * time.Second})

	for i := range 2 {
		r := f.must(http.StatusTooManyRequests, call{method: "GET", path: "/me/calendarView?" + january, token: ada})
		if r.header.Get("Retry-After") != "3" || errorCode(t, r) != "ApplicationThrottled" {
			t.Errorf("throttled answer %d: Retry-After %q, body %s", i, r.header.Get("Retry-After"), r.body)
		}
	}
	f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?" + january, token: ada})
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: ada})

	f.fake.InjectFault(Fault{Kind: FaultThrottle, Mailbox: "ada@example.com"})
	f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?" + january, token: bob})
	f.must(http.StatusTooManyRequests, call{method: "GET", path: "/me/events", token: ada})
	f.fake.ClearFaults()
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: ada})
}

func TestInjectedUnavailableAndRemoval(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	remove := f.fake.InjectFault(Fault{Kind: FaultUnavailable, RetryAfter: 2 * time.Second})
	r := f.must(http.StatusServiceUnavailable, call{method: "GET", path: "/me/events", token: tok})
	if r.header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	remove()
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: tok})
}

func TestFifthConcurrentRequestForAMailboxGets429(t *testing.T) {
	f := newFixture(t, Options{})
	ada, bob := f.token("ada@example.com"), f.token("bob@example.com")
	release := make(chan struct{})
	f.fake.InjectFault(Fault{Kind: FaultSlow, Endpoint: EndpointListEvents, Release: release})
	statuses := make(chan int, 4)
	for range 4 {
		go func() { statuses <- f.do(call{method: "GET", path: "/me/events", token: ada}).status }()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.fake.WaitInFlight(ctx, "ada@example.com", 4); err != nil {
		t.Fatal(err)
	}
	r := f.must(http.StatusTooManyRequests, call{method: "GET", path: "/me/calendarView?" + january, token: ada})
	if errorCode(t, r) != "ApplicationThrottled" || r.header.Get("Retry-After") == "" {
		t.Errorf("fifth request: %s", r.body)
	}
	f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?" + january, token: bob})
	close(release)
	for range 4 {
		if s := <-statuses; s != http.StatusOK {
			t.Errorf("a held request ended with %d", s)
		}
	}
	if f.fake.InFlight("ada@example.com") != 0 {
		t.Errorf("%d requests still in flight", f.fake.InFlight("ada@example.com"))
	}
	f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?" + january, token: ada})
}

func TestSlowFaultDelaysTheAnswer(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	f.fake.InjectFault(Fault{Kind: FaultSlow, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.graph("/me/events"), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a client with a short timeout got %v, want its deadline", err)
	}
}

func TestDroppedConnectionCutsThePage(t *testing.T) {
	f := newFixture(t, Options{})
	tok := f.token("ada@example.com")
	for range 3 {
		f.createSeries(tok, singleBody("x"))
	}
	f.fake.InjectFault(Fault{Kind: FaultDropConnection, Mailbox: "ada@example.com", Endpoint: EndpointListEvents, Times: 1})
	req, _ := http.NewRequest("GET", f.graph("/me/events"), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("the page arrived whole")
	}
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: tok})
}

func TestRequestLogCountsPerMailboxAndEndpoint(t *testing.T) {
	f := newFixture(t, Options{})
	ada, bob := f.token("ada@example.com"), f.token("bob@example.com")
	f.fake.ResetRequests()
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: ada})
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: ada})
	f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?" + january, token: ada})
	f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: bob})
	f.must(http.StatusNotFound, call{method: "GET", path: "/me/events/" + newEventID(), token: bob})

	tests := []struct {
		mailbox  string
		endpoint Endpoint
		want     int
	}{
		{"ada@example.com", EndpointListEvents, 2},
		{"ada@example.com", EndpointCalendarView, 1},
		{"ADA@example.com", "", 3},
		{"bob@example.com", EndpointGetEvent, 1},
		{"", EndpointListEvents, 3},
		{"", "", 5},
	}
	for _, tt := range tests {
		if got := f.fake.RequestCount(tt.mailbox, tt.endpoint); got != tt.want {
			t.Errorf("RequestCount(%q, %q) = %d, want %d", tt.mailbox, tt.endpoint, got, tt.want)
		}
	}
	if got := f.fake.RequestCounts("ada@example.com"); got[EndpointListEvents] != 2 || got[EndpointCalendarView] != 1 {
		t.Errorf("RequestCounts = %v", got)
	}
	last := f.fake.Requests()[4]
	if last.Status != http.StatusNotFound || last.Method != "GET" || last.Mailbox != "bob@example.com" {
		t.Errorf("last request %+v", last)
	}
}

func TestTokenEndpointFaults(t *testing.T) {
	f := newFixture(t, Options{})
	f.fake.InjectFault(Fault{Kind: FaultUnavailable}) // Graph only
	f.fake.InjectFault(Fault{Kind: FaultUnavailable, Endpoint: EndpointToken, Times: 1, RetryAfter: 5 * time.Second})
	resp, err := http.PostForm(f.srv.URL+"/organizations/oauth2/v2.0/token", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" ||
		jsonObject(t, body)["error"] != "temporarily_unavailable" {
		t.Fatalf("token endpoint under fault: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	f.token("ada@example.com") // the Graph-wide fault does not reach the identity platform
}
