// Package apptest holds what the web app's tests share, whichever package they are in: the
// one test clock, the HTTP client that stops at redirects the way a test wants to see them,
// the in-process browser over a router (Browser), a buffer safe across goroutines, reading a
// response body, seeding listings, and the check that every page a package owns renders its
// sample. It imports nothing of the app (only the calendar, the fake Outlook for the clock, and
// Echo), so every package of it may use it, accounts and view included.
package apptest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/calendar"
	"intracal/outlooksync/fakeoutlook"
)

// Clock is the project's one test clock (fakeoutlook.Clock), moved by hand, so that
// lockouts and expiry need no sleeping.
type Clock = fakeoutlook.Clock

// NewClock is a clock at Monday 2 March 2026, 09:00 UTC.
func NewClock() *Clock { return NewClockAt(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) }

// NewClockAt is a clock at t.
func NewClockAt(t time.Time) *Clock { return fakeoutlook.NewClock(t) }

// NoRedirects is an HTTP client that returns a redirect instead of following it, so that a
// test sees where the app or the sign-in sends the browser.
func NoRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// ReadBody reads the whole body of a response as text.
func ReadBody(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// SeedDailySeries gives the calendar of person uid n endless daily series, public, begun in
// 2025: enough of them (70) make a listing of 400 days longer than the cap.
func SeedDailySeries(t testing.TB, cal *calendar.Store, uid int64, n int) {
	t.Helper()
	ctx := context.Background()
	id, err := cal.MyCalendar(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		e, err := calendar.NewEvent(id, uid, calendar.EventInput{
			Title: fmt.Sprintf("Daily %02d <b>&</b>", i), Location: "Room", Description: "Every day.",
			Start: fmt.Sprintf("2025-01-01T%02d:%02d", 6+i%12, i%60), End: fmt.Sprintf("2025-01-01T%02d:%02d", 7+i%12, i%60),
			TimeZone: "Europe/Berlin", RRule: "FREQ=DAILY", Privacy: calendar.Public,
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := cal.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
}

// Renderer is what EveryPageRenders needs of the app's renderer (view.Renderer).
type Renderer interface {
	PageNames() []string
	Render(c echo.Context, status int, name string, data any) error
}

// EveryPageRenders renders each page that owns says is the caller's with its sample data
// (keyed by template name; "name#variant" adds a variant) and checks it is a whole page that
// links the stylesheet and escapes the samples' "<b>Berg</b>". An owned page without a sample
// fails, so a new template cannot ship without being rendered once.
func EveryPageRenders(t *testing.T, r Renderer, samples map[string]any, owns func(name string) bool) {
	t.Helper()
	var names []string
	for _, name := range r.PageNames() {
		if owns(name) {
			names = append(names, name)
		}
	}
	for k := range samples {
		if strings.Contains(k, "#") {
			names = append(names, k)
		}
	}
	for _, key := range names {
		name, _, _ := strings.Cut(key, "#")
		t.Run(key, func(t *testing.T) {
			data, ok := samples[key]
			if !ok {
				t.Fatalf("no sample data for %s: add it to pageSamples", name)
			}
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
			if err := r.Render(c, http.StatusOK, name, data); err != nil {
				t.Fatal(err)
			}
			body := rec.Body.String()
			// A fragment (fragment_*.html) is a piece a page's script inserts: no frame.
			fragment := strings.HasPrefix(name, "fragment_")
			if !fragment && (!strings.HasPrefix(body, "<!doctype html>") || !strings.Contains(body, "</html>")) {
				t.Errorf("%s is not a whole page:\n%s", name, body)
			}
			if strings.Contains(body, "<b>Berg</b>") {
				t.Errorf("%s does not escape text: <b> came out as markup", key)
			}
			if !fragment && !strings.Contains(body, "/static/style.css?v=") {
				t.Errorf("%s does not link the stylesheet", name)
			}
		})
	}
}
