package fakeoutlook

import (
	"sync"
	"time"
)

// Clock is a clock that tests move by hand, so that expiry, lockouts and a sliding sync
// window need no sleeping. It is the one test clock of the project: the fake stands for the
// world outside the app, whose time is part of it, and every package's tests may import
// the fake (the web app's through app/internal/apptest, which returns it).
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock is a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
