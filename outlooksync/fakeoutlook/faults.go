package fakeoutlook

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// FaultKind is a failure the fake can inject.
type FaultKind string

// The faults the fake can inject, per mailbox and per endpoint.
const (
	// FaultThrottle answers 429 with Retry-After and code
	// ApplicationThrottled, as Outlook does over its limits.
	FaultThrottle FaultKind = "throttle"
	// FaultUnavailable answers 503 with Retry-After.
	FaultUnavailable FaultKind = "unavailable"
	// FaultSlow answers after Delay, or once Release is closed; the
	// request holds its mailbox's concurrency slot meanwhile.
	FaultSlow FaultKind = "slow"
	// FaultDropConnection sends half of the answer, then closes the
	// connection. It does not apply inside a $batch.
	FaultDropConnection FaultKind = "drop"
	// FaultDeltaGone answers a delta request that carries a token with 410
	// Gone (SyncStateNotFound), as for an expired token.
	FaultDeltaGone FaultKind = "deltaGone"
)

// Fault describes an injected failure.
type Fault struct {
	Kind    FaultKind
	Mailbox string // email of the mailbox; "" for every mailbox
	// Endpoint is "" for every Graph endpoint. EndpointToken must be named
	// (with no Mailbox): the token endpoint then answers
	// temporarily_unavailable for throttle and unavailable faults.
	Endpoint Endpoint
	// Times is how many matching requests fail; 0 means until removed.
	Times int
	// RetryAfter is sent with 429 and 503 (rounded up to seconds; zero
	// sends "0").
	RetryAfter time.Duration
	// Delay and Release are for FaultSlow.
	Delay   time.Duration
	Release <-chan struct{}
}

type faultRule struct {
	f       Fault
	used    int
	removed bool
}

// InjectFault adds a fault; the returned function removes it. Faults apply
// in the order they were injected; the first that matches a request wins.
func (s *Server) InjectFault(f Fault) (remove func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rule := &faultRule{f: f}
	s.faults = append(s.faults, rule)
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		rule.removed = true
	}
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// faultOutcome is what a fault does to a request.
type faultOutcome struct {
	resp *response
	drop bool
}

func (s *Server) matchFaultLocked(p *prepared) *faultRule {
	for _, r := range s.faults {
		f := r.f
		if r.removed || (f.Times > 0 && r.used >= f.Times) {
			continue
		}
		if f.Mailbox != "" && (p.target == nil || !strings.EqualFold(f.Mailbox, p.target.email)) {
			continue
		}
		if f.Endpoint != p.route.endpoint && (f.Endpoint != "" || p.route.endpoint == EndpointToken) {
			continue
		}
		if f.Kind == FaultDeltaGone && (p.route.endpoint != EndpointDelta ||
			(p.call.query.Get("$deltatoken") == "" && p.call.query.Get("$skiptoken") == "")) {
			continue
		}
		r.used++
		return r
	}
	return nil
}

// applyFaults runs the first matching fault. A slow fault waits without
// holding the lock.
func (s *Server) applyFaults(ctx context.Context, p *prepared) faultOutcome {
	s.mu.Lock()
	rule := s.matchFaultLocked(p)
	s.mu.Unlock()
	if rule == nil {
		return faultOutcome{}
	}
	f := rule.f
	switch f.Kind {
	case FaultThrottle:
		r := throttled(f.RetryAfter, "Application is over its resource limits. Too many requests.")
		return faultOutcome{resp: &r}
	case FaultUnavailable:
		r := errorResponse(http.StatusServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable. Try again later.")
		r.setHeader("Retry-After", retryAfterSeconds(f.RetryAfter))
		return faultOutcome{resp: &r}
	case FaultDeltaGone:
		r := syncStateNotFound()
		return faultOutcome{resp: &r}
	case FaultSlow:
		var timer <-chan time.Time
		if f.Release == nil {
			t := time.NewTimer(f.Delay)
			defer t.Stop()
			timer = t.C
		}
		select {
		case <-f.Release:
		case <-timer:
		case <-ctx.Done():
		}
	case FaultDropConnection:
		return faultOutcome{drop: true}
	}
	return faultOutcome{}
}

// acquire takes one of a mailbox's concurrency slots. Outlook allows four
// concurrent requests per mailbox; the fifth gets 429.
func (s *Server) acquire(mb *mailbox) (release func(), ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acquireLocked(mb)
}

func (s *Server) acquireLocked(mb *mailbox) (release func(), ok bool) {
	if s.inFlight[mb.id] >= s.opts.MaxConcurrentPerMailbox {
		return nil, false
	}
	s.inFlight[mb.id]++
	s.inFlightChangedLocked()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.inFlight[mb.id]--
		s.inFlightChangedLocked()
	}, true
}

func (s *Server) inFlightChangedLocked() {
	close(s.inFlightC)
	s.inFlightC = make(chan struct{})
}

// InFlight returns how many requests for a mailbox are being answered.
func (s *Server) InFlight(email string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.mailboxByKeyLocked(email)
	if m == nil {
		return 0
	}
	return s.inFlight[m.id]
}

// WaitInFlight waits until at least n requests for a mailbox are being
// answered, so tests can line up concurrent requests without sleeping.
func (s *Server) WaitInFlight(ctx context.Context, email string, n int) error {
	for {
		s.mu.Lock()
		m := s.mailboxByKeyLocked(email)
		count := 0
		if m != nil {
			count = s.inFlight[m.id]
		}
		changed := s.inFlightC
		s.mu.Unlock()
		if count >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
