package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/calendar"
)

// pageHarness is the app on a real database with four people, a clock fixed at Monday
// 2 March 2026 09:00 UTC, and a signed-in browser for each.
type pageHarness struct {
	t     *testing.T
	app   *App
	clock *apptest.Clock
	users map[string]accounts.User
	tabs  map[string]*browser
}

const testPassword = "correct horse"

func newPageHarness(t *testing.T, db *gorm.DB) *pageHarness {
	t.Helper()
	clock := apptest.NewClock()
	a := newTestApp(t, db, WithClock(clock.Now))
	h := &pageHarness{t: t, app: a, clock: clock, users: map[string]accounts.User{}, tabs: map[string]*browser{}}
	for _, p := range []struct {
		email, name, zone string
		admin             bool
	}{
		{"alice@example.com", "Alice Andersen", "Europe/Berlin", false},
		{"bob@example.com", "Bob Baker", "Europe/Berlin", false},
		{"carol@example.com", "Carol Chen", "America/New_York", false},
		{"admin@example.com", "Ada Admin", "Europe/Berlin", true},
	} {
		u := addUser(t, a, p.email, p.name, testPassword, p.admin)
		if err := a.users.SetTimeZone(context.Background(), u.ID, p.zone); err != nil {
			t.Fatal(err)
		}
		u.TimeZone = p.zone
		h.users[p.email] = u
	}
	return h
}

// as is a browser signed in as the person.
func (h *pageHarness) as(email string) *browser {
	h.t.Helper()
	if b, ok := h.tabs[email]; ok {
		return b
	}
	b := newBrowser(h.t, h.app)
	b.login(email, testPassword)
	h.tabs[email] = b
	return b
}

// event creates an event in the organizer's My Calendar, inviting people to all instances.
func (h *pageHarness) event(organizer string, in calendar.EventInput, invitees ...string) *calendar.Event {
	h.t.Helper()
	ctx := context.Background()
	org := h.users[organizer]
	cal, err := h.app.store.MyCalendar(ctx, org.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	e, err := calendar.NewEvent(cal, org.ID, in)
	if err != nil {
		h.t.Fatal(err)
	}
	var ids []int64
	for _, em := range invitees {
		ids = append(ids, h.users[em].ID)
	}
	if err := e.Invite(ids, calendar.ScopeAll, e.Segments[0].Start); err != nil {
		h.t.Fatal(err)
	}
	if err := h.app.store.Create(ctx, e); err != nil {
		h.t.Fatal(err)
	}
	return e
}

// reload reads the event as stored.
func (h *pageHarness) reload(id int64) *calendar.Event {
	h.t.Helper()
	e, err := h.app.store.GetFull(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return e
}

// page GETs a page and returns its status and body.
func (b *browser) page(path string) (int, string) {
	b.T.Helper()
	res := b.get(path)
	return res.StatusCode, readBody(res)
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// csrf is the session's CSRF token as the pages carry it.
func (b *browser) csrf() string {
	b.T.Helper()
	_, body := b.page("/settings")
	m := csrfMeta.FindStringSubmatch(body)
	if m == nil {
		b.T.Fatal("no csrf-token meta tag on the settings page")
	}
	return m[1]
}

// submit posts a form with the session's CSRF token, as the page's form would.
func (b *browser) submit(path string, form url.Values) (*http.Response, string) {
	b.T.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("csrf_token", b.csrf())
	res := b.postForm(path, f)
	return res, readBody(res)
}

// fieldValue reads the value attribute of the input with the id from a page.
func fieldValue(t *testing.T, body, id string) string {
	t.Helper()
	re := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]*?value="([^"]*)"`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no input #%s on the page", id)
	}
	return html.UnescapeString(m[1])
}

// formOf reads the named inputs of the edit form from a page as a browser would submit them:
// text inputs, checked boxes and radios, selected options and the textarea.
func formOf(t *testing.T, body string) url.Values {
	t.Helper()
	start := strings.Index(body, `id="event-form"`)
	if start < 0 {
		t.Fatal("no event form on the page")
	}
	body = body[start:]
	body = body[:strings.Index(body, "</form>")]
	out := url.Values{}
	for _, m := range regexp.MustCompile(`<input ([^>]*)>`).FindAllStringSubmatch(body, -1) {
		attrs := m[1]
		name := attr(attrs, "name")
		if name == "" || strings.Contains(attrs, " disabled") {
			continue
		}
		typ := attr(attrs, "type")
		if (typ == "checkbox" || typ == "radio") && !strings.Contains(attrs, " checked") {
			continue
		}
		out.Add(name, attr(attrs, "value"))
	}
	for _, m := range regexp.MustCompile(`(?s)<select ([^>]*)>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		name := attr(m[1], "name")
		opts := regexp.MustCompile(`<option value="([^"]*)"( selected)?>`).FindAllStringSubmatch(m[2], -1)
		if name == "" || len(opts) == 0 {
			continue
		}
		chosen := opts[0][1]
		for _, o := range opts {
			if o[2] != "" {
				chosen = o[1]
			}
		}
		out.Set(name, html.UnescapeString(chosen))
	}
	if m := regexp.MustCompile(`(?s)<textarea [^>]*name="description"[^>]*>(.*?)</textarea>`).FindStringSubmatch(body); m != nil {
		out.Set("description", html.UnescapeString(m[1]))
	}
	return out
}

func attr(attrs, name string) string {
	m := regexp.MustCompile(`(?:^|\s)` + name + `="([^"]*)"`).FindStringSubmatch(attrs)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}
