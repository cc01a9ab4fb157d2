package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"intracal/app/internal/apptest"
	"intracal/outlooksync/fakeoutlook"
)

// TestFakeRestartedFromItsStateDuplicatesNothing is `make run` stopped and started again with
// its data kept: the fake runs as the program does, with the demo and a state file; anna
// connects and syncs; the fake stops and starts from its state; her connection keeps working
// with no reconnect, and My Calendar has every event once, as before. Then she acts as
// Outlook on the fake's pages, and her next sync brings the change in.
func TestFakeRestartedFromItsStateDuplicatesNothing(t *testing.T) {
	addr := freeAddr(t)
	args := []string{"--addr", addr, "--demo", "--demo-zone", "Europe/Berlin",
		"--demo-users", "anna@example.com,ben@example.com", "--state", filepath.Join(t.TempDir(), "fakeoutlook.json")}
	stop := runFake(t, addr, args)
	d := newDeploymentAt(t, "http://"+addr)
	anna := d.member("anna@example.com", "Anna Berg")
	if res := anna.connect(); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("connect: %d", res.StatusCode)
	}
	sync := func() {
		t.Helper()
		if res := anna.post("/api/v1/outlook/sync"); res.StatusCode != http.StatusOK {
			body, _ := io.ReadAll(res.Body)
			t.Fatalf("sync: %d %s", res.StatusCode, body)
		}
	}
	sync()
	before := myCalendar(t, anna)
	if before["Stand-up"] == 0 || before["Weekly team sync"] == 0 {
		t.Fatalf("the first sync did not bring the demo in: %v", before)
	}

	stop()
	stop = runFake(t, addr, args)
	defer stop()
	sync()
	if st := anna.status(); st.State != "connected" || st.LastError != nil {
		t.Fatalf("after the fake's restart: %+v, want still connected", st)
	}
	after := myCalendar(t, anna)
	for title, n := range before {
		if after[title] != n {
			t.Errorf("%q: %d instances before the fake's restart, %d after", title, n, after[title])
		}
	}
	for title, n := range after {
		if before[title] == 0 {
			t.Errorf("%q (%d instances) appeared with the restart", title, n)
		}
	}

	// Outlook on the web: anna changes an occurrence of the team sync three weeks ahead (the
	// sync reads from two days back).
	fake := newFakeBrowser(t, "http://"+addr)
	fake.signIn("anna@example.com")
	week := fake.get("/outlook/calendar?date=" + time.Now().AddDate(0, 0, 21).Format("2006-01-02"))
	m := regexp.MustCompile(`href="/outlook/event\?id=([^"]+)">Weekly team sync</a>`).FindStringSubmatch(week)
	if m == nil {
		t.Fatalf("no team sync in three weeks on the fake's page:\n%s", week)
	}
	id, _ := url.QueryUnescape(m[1])
	form := url.Values{"id": {id}, "subject": {"Weekly team sync (by hand)"}, "location": {"Room 1"}}
	page := fake.get("/outlook/event?id=" + url.QueryEscape(id))
	for _, name := range []string{"start_date", "start_time", "end_date", "end_time"} {
		v := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
		if v == nil {
			t.Fatalf("no %s on the occurrence's page:\n%s", name, page)
		}
		form.Set(name, v[1])
	}
	if page := fake.post("/outlook/occurrence/change", form); !strings.Contains(page, "Weekly team sync (by hand)") {
		t.Fatalf("the occurrence's page after the change:\n%s", page)
	}
	sync()
	changed := myCalendar(t, anna)
	if changed["Weekly team sync (by hand)"] != 1 || changed["Weekly team sync"] != before["Weekly team sync"]-1 {
		t.Errorf("after the change in Outlook on the web: %v", changed)
	}
}

// runFake runs `calendar fakeoutlook` with args until the returned function is called.
func runFake(t *testing.T, addr string, args []string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &apptest.SyncBuffer{}
	done := make(chan error, 1)
	go func() { done <- fakeoutlook.Main(ctx, args, out) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("fakeoutlook: %v\n%s", err, out.String())
		}
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + addr + "/"); err == nil {
			res.Body.Close()
			return stop
		}
		time.Sleep(20 * time.Millisecond) // waiting for start-up, not timing an assertion
	}
	t.Fatalf("the fake did not start:\n%s", out.String())
	return stop
}

// myCalendar counts a client's instances in My Calendar by title, from two weeks back to six
// weeks ahead.
func myCalendar(t testing.TB, c *client) map[string]int {
	t.Helper()
	from := time.Now().UTC().AddDate(0, 0, -14).Format(time.RFC3339)
	to := time.Now().UTC().AddDate(0, 0, 42).Format(time.RFC3339)
	var list struct {
		Occurrences []struct {
			Title         string `json:"title"`
			OriginalStart string `json:"originalStart"`
		} `json:"occurrences"`
	}
	c.json(c.get("/api/v1/occurrences?from="+from+"&to="+to), &list)
	counts := map[string]int{}
	seen := map[string]bool{}
	for _, o := range list.Occurrences {
		counts[o.Title]++
		key := o.Title + " " + o.OriginalStart
		if seen[key] {
			t.Errorf("%q at %s is in My Calendar twice", o.Title, o.OriginalStart)
		}
		seen[key] = true
	}
	return counts
}

// fakeBrowser is a person at the fake's Outlook pages.
type fakeBrowser struct {
	t     *testing.T
	base  string
	hc    *http.Client
	token string
}

func newFakeBrowser(t *testing.T, base string) *fakeBrowser {
	jar, _ := cookiejar.New(nil)
	return &fakeBrowser{t: t, base: base, hc: &http.Client{Jar: jar}}
}

func (b *fakeBrowser) get(path string) string {
	b.t.Helper()
	res, err := b.hc.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	return string(body)
}

// post sends a form with the pages' token and follows the redirect to the page after it.
func (b *fakeBrowser) post(path string, form url.Values) string {
	b.t.Helper()
	form.Set("token", b.token)
	res, err := b.hc.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("POST %s: %d %s", path, res.StatusCode, body)
	}
	return string(body)
}

func (b *fakeBrowser) signIn(email string) {
	b.t.Helper()
	page := b.get("/outlook/")
	m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no form token on the sign-in page:\n%s", page)
	}
	b.token = m[1]
	if page := b.post("/outlook/signin", url.Values{"mailbox": {email}}); !strings.Contains(page, email) {
		b.t.Fatalf("signed in, but the page does not name %s:\n%s", email, page)
	}
}
