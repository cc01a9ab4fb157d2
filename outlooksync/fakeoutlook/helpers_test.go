package fakeoutlook

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fixture is a fake behind an httptest server with a controlled clock.
type fixture struct {
	t     *testing.T
	fake  *Server
	srv   *httptest.Server
	clock *Clock
}

// testNow is a Monday in winter, so that tests read like a calendar.
func testNow() time.Time { return time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC) }

func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	clock := NewClock(testNow())
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	fake := New(opts)
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	return &fixture{t: t, fake: fake, srv: srv, clock: clock}
}

func (f *fixture) graph(path string) string { return f.srv.URL + "/v1.0" + path }

// token signs a mailbox in with the password grant.
func (f *fixture) token(email string) string {
	f.t.Helper()
	return f.tokenWithScope(email, "Calendars.ReadWrite User.Read offline_access")
}

func (f *fixture) tokenWithScope(email, scope string) string {
	f.t.Helper()
	form := url.Values{
		"grant_type": {"password"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
		"username": {email}, "password": {"any"}, "scope": {scope},
	}
	status, body := f.postForm("/organizations/oauth2/v2.0/token", form)
	if status != http.StatusOK {
		f.t.Fatalf("password grant for %s: %d %s", email, status, body)
	}
	return jsonObject(f.t, body)["access_token"].(string)
}

func (f *fixture) postForm(path string, form url.Values) (int, []byte) {
	f.t.Helper()
	resp, err := http.PostForm(f.srv.URL+path, form)
	if err != nil {
		f.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// call is a raw Graph request.
type call struct {
	method  string
	path    string // after /v1.0
	token   string
	body    any // marshalled to JSON unless []byte
	headers map[string]string
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	return jsonObject(t, r.body)
}

func (f *fixture) do(c call) reply {
	f.t.Helper()
	var body io.Reader
	switch b := c.body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	target := c.path
	if !strings.HasPrefix(target, "http") {
		target = f.graph(c.path)
	}
	req, err := http.NewRequest(c.method, target, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatalf("%s %s: read body: %v", c.method, c.path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

// must is do that expects a status.
func (f *fixture) must(status int, c call) reply {
	f.t.Helper()
	r := f.do(c)
	if r.status != status {
		f.t.Fatalf("%s %s: status %d, want %d: %s", c.method, c.path, r.status, status, r.body)
	}
	return r
}

func jsonObject(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, data)
	}
	return m
}

func values(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, ok := m["value"].([]any)
	if !ok {
		t.Fatalf("no value array in %v", m)
	}
	var out []map[string]any
	for _, v := range raw {
		out = append(out, v.(map[string]any))
	}
	return out
}

// weeklySeries is a POST body for a weekly series on Mondays at 09:00 in
// the given zone, starting Monday 6 January 2025.
func weeklySeries(subject, zone string, rng map[string]any) map[string]any {
	if rng == nil {
		rng = map[string]any{"type": "noEnd", "startDate": "2025-01-06"}
	}
	return map[string]any{
		"subject": subject,
		"start":   map[string]any{"dateTime": "2025-01-06T09:00:00", "timeZone": zone},
		"end":     map[string]any{"dateTime": "2025-01-06T09:30:00", "timeZone": zone},
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": 1, "daysOfWeek": []string{"monday"}},
			"range":   rng,
		},
	}
}

// january is the calendarView window of January 2025.
const january = "startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-02-01T00:00:00Z"

func errorCode(t *testing.T, r reply) string {
	t.Helper()
	e, ok := r.json(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("no Graph error in %s", r.body)
	}
	return e["code"].(string)
}

func idsOf(list []map[string]any) []string {
	var out []string
	for _, m := range list {
		out = append(out, m["id"].(string))
	}
	return out
}

func subjects(list []map[string]any) []string {
	var out []string
	for _, m := range list {
		s, _ := m["subject"].(string)
		out = append(out, s)
	}
	return out
}

func startsOf(t *testing.T, list []map[string]any) []string {
	t.Helper()
	var out []string
	for _, m := range list {
		st := m["start"].(map[string]any)
		out = append(out, st["dateTime"].(string))
	}
	return out
}
