package app

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"intracal/app/accounts"
	"intracal/app/httpkit"
)

// Listings (the JSON occurrences and the calendar pages) are what a person can make the
// server work hardest at: a 400-day listing of a heavy calendar expands up to the cap of
// instances, which takes a few megabytes while it runs. The listing limiter bounds them: at
// most cfg.MaxListings at once in the process, so that their memory is bounded in total
// (docs/benchmarks.md states the bound), and at most listingsPerPerson of one person's at
// once, so that one person cannot take every slot. A person over their share is refused at
// once; a listing that finds the process full waits for a slot, at most listingWait and
// never past its request's end.
const (
	listingsPerPerson = 2
	listingWait       = 10 * time.Second
	// The Retry-After of the two refusals: a heavy listing takes well under a second alone.
	listingRetryPerson = 2 * time.Second
	listingRetryBusy   = 5 * time.Second
)

// listingLimiter counts the listings running, in the process and per person.
type listingLimiter struct {
	slots     chan struct{} // one token per listing running
	perPerson int
	wait      time.Duration

	mu     sync.Mutex
	active map[int64]int // listings running, by user id

	// released, when set (by tests), is called after each release.
	released func()
}

func newListingLimiter(total, perPerson int, wait time.Duration) *listingLimiter {
	return &listingLimiter{slots: make(chan struct{}, total), perPerson: perPerson, wait: wait, active: map[int64]int{}}
}

// acquire takes a slot for a listing of the person's. It refuses with 429 when the person
// already has perPerson listings running, and with 503 when no slot in the process came
// free within the wait or before ctx ended. On success, release must be called once.
func (l *listingLimiter) acquire(ctx context.Context, userID int64) (release func(), err error) {
	l.mu.Lock()
	if l.active[userID] >= l.perPerson {
		l.mu.Unlock()
		return nil, &httpkit.Error{Status: http.StatusTooManyRequests, Code: "too_many_requests",
			Message: "You already have " + strconv.Itoa(l.perPerson) + " calendar listings running; wait for them to finish, then ask again."}
	}
	l.active[userID]++
	l.mu.Unlock()
	// The person's count is taken first, so that one person's waiting listings never hold
	// more than their share of the queue either.
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
	case <-t.C:
		l.leave(userID)
		return nil, errListingsBusy()
	case <-ctx.Done():
		l.leave(userID)
		return nil, errListingsBusy()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-l.slots
			l.leave(userID)
		})
	}, nil
}

// leave takes one listing off the person's count.
func (l *listingLimiter) leave(userID int64) {
	l.mu.Lock()
	if l.active[userID]--; l.active[userID] <= 0 {
		delete(l.active, userID)
	}
	hook := l.released
	l.mu.Unlock()
	if hook != nil {
		hook()
	}
}

// running reports how many listings hold a slot, and how many the person has counted.
func (l *listingLimiter) running(userID int64) (int, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.slots), l.active[userID]
}

func errListingsBusy() error {
	return &httpkit.Error{Status: http.StatusServiceUnavailable, Code: "busy",
		Message: "The server is busy listing calendars; try again in a few seconds."}
}

// limitListings wraps a listing route (after accounts.RequireUser): it holds a slot of the listing
// limiter while the listing runs, however the handler ends.
func (a *App) limitListings(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		release, err := a.listings.acquire(c.Request().Context(), accounts.CurrentViewer(c).UserID)
		if err != nil {
			retry := listingRetryBusy
			if e, ok := err.(*httpkit.Error); ok && e.Status == http.StatusTooManyRequests {
				retry = listingRetryPerson
			}
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(retry/time.Second)))
			return err
		}
		defer release()
		return next(c)
	}
}
