package fakeoutlook

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSeedDemoFillsMailboxesAroundToday(t *testing.T) {
	f := newFixture(t, Options{DemoTimeZone: "Europe/Berlin"})
	if err := f.fake.SeedDemo("ada@example.com", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.fake.SeedDemo("ada@example.com"); err != nil {
		t.Fatal(err)
	}
	ada, _ := f.fake.Events("ada@example.com")
	var names []string
	for _, e := range ada {
		names = append(names, e.Subject)
	}
	want := "Weekly team sync,Stand-up,Monthly report,Dentist,Project kickoff,Fortnightly 1:1"
	if strings.Join(names, ",") != want {
		t.Fatalf("Ada's events %v, want %s (seeded once)", names, want)
	}
	sync, _ := f.fake.FindEvent("ada@example.com", "Weekly team sync")
	if len(sync.CancelledOccurrences) != 1 {
		t.Errorf("the team sync has %d deleted occurrences, want 1", len(sync.CancelledOccurrences))
	}
	from, to := testNow().AddDate(0, 0, -2), testNow().AddDate(0, 1, 0)
	inst, err := f.fake.Instances("ada@example.com", sync.ID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	exceptions := 0
	for _, in := range inst {
		if in.Type == "exception" {
			exceptions++
		}
	}
	if exceptions != 1 {
		t.Errorf("the team sync has %d exceptions in the coming month, want 1", exceptions)
	}
	bob, _ := f.fake.Events("bob@example.com")
	copies := 0
	for _, e := range bob {
		if !e.IsOrganizer {
			copies++
		}
	}
	if copies != 2 {
		t.Errorf("Bob has %d meeting copies, want 2", copies)
	}
	tok := f.token("ada@example.com")
	r := f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?startDateTime=" + url.QueryEscape(from.Format(time.RFC3339)) +
		"&endDateTime=" + url.QueryEscape(to.Format(time.RFC3339)) + "&$top=200", token: tok})
	if n := len(values(t, r.json(t))); n < 20 {
		t.Errorf("only %d items in Ada's next month", n)
	}
}

func TestSeedDemoOnFirstSignIn(t *testing.T) {
	f := newFixture(t, Options{SeedDemo: true})
	f.token("newcomer@example.com")
	list, _ := f.fake.Events("newcomer@example.com")
	if len(list) != 4 {
		t.Errorf("a new mailbox got %d demo events, want 4", len(list))
	}
}

// lines collects what Main prints.
func lines(r io.Reader) <-chan string {
	out := make(chan string, 100)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			out <- sc.Text()
		}
	}()
	return out
}

func TestMainServesTheDemoUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Main(ctx, []string{"--addr", "127.0.0.1:0", "--demo-users", "ada@example.com, bob@example.com", "--demo"}, pw)
		pw.Close()
	}()
	out := lines(pr)
	var banner []string
	base := ""
	for line := range out {
		banner = append(banner, line)
		if b, ok := strings.CutPrefix(line, "fake Outlook listening on "); ok {
			base = b
		}
		if strings.Contains(line, "mailboxes:") {
			break
		}
	}
	go func() {
		for range out { // keep the pipe drained
		}
	}()
	text := strings.Join(banner, "\n")
	for _, want := range []string{DemoClientID, DemoClientSecret, DemoTenantID, "/v1.0"} {
		if !strings.Contains(text, want) {
			t.Errorf("start-up output lacks %s:\n%s", want, text)
		}
	}
	if base == "" {
		t.Fatalf("no base URL in\n%s", text)
	}
	resp, err := http.PostForm(base+"/organizations/oauth2/v2.0/token", url.Values{
		"grant_type": {"password"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret},
		"username": {"bob@example.com"}, "password": {"x"}, "scope": {"Calendars.ReadWrite"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("token from the running fake: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Main returned %v after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Main did not stop when its context ended")
	}
}

func TestMainValidatesTheAppRegistration(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"id without secret", []string{"--client-id", "x", "--tenant", DemoTenantID}, "go together"},
		{"tenant not a GUID", []string{"--client-id", "x", "--client-secret", "s", "--tenant", "contoso"}, "GUID"},
		{"no redirect uri", []string{"--client-id", "x", "--client-secret", "s", "--tenant", DemoTenantID}, "redirect-uri"},
		{"unknown flag", []string{"--colour"}, "colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Main(context.Background(), append([]string{"--addr", "127.0.0.1:0"}, tt.args...), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Main error %v, want one about %q", err, tt.want)
			}
		})
	}
}

// runMain starts Main with args on a free port and returns its base URL and a function
// that stops it and returns what Main returned.
func runMain(t *testing.T, args ...string) (base string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Main(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), pw)
		pw.Close()
	}()
	out := lines(pr)
	for line := range out {
		if b, ok := strings.CutPrefix(line, "fake Outlook listening on "); ok {
			base = b
			break
		}
	}
	go func() {
		for range out { // keep the pipe drained
		}
	}()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("Main did not stop when its context ended")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	if base == "" {
		t.Fatalf("Main did not start: %v", <-done)
	}
	return base, stop
}

func TestMainKeepsMailboxesAndTokensInItsStateFile(t *testing.T) {
	state := filepath.Join(t.TempDir(), "fakeoutlook.json")
	args := []string{"--state", state, "--demo", "--demo-zone", "Europe/Berlin", "--demo-users", "ada@example.com,bob@example.com"}
	base, stop := runMain(t, args...)
	token := func(base string, form url.Values) map[string]any {
		t.Helper()
		form.Set("client_id", DemoClientID)
		form.Set("client_secret", DemoClientSecret)
		resp, err := http.PostForm(base+"/organizations/oauth2/v2.0/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("token: %d %s", resp.StatusCode, body)
		}
		return jsonObject(t, body)
	}
	events := func(base, access string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/v1.0/me/events?$top=100&$select=id,subject,changeKey", nil)
		req.Header.Set("Authorization", "Bearer "+access)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("events: %d %s", resp.StatusCode, body)
		}
		return strings.ReplaceAll(string(body), base, "BASE")
	}
	granted := token(base, url.Values{"grant_type": {"password"}, "username": {"ada@example.com"}, "password": {"x"},
		"scope": {"Calendars.ReadWrite offline_access"}})
	before := events(base, granted["access_token"].(string))
	if err := stop(); err != nil {
		t.Fatalf("Main: %v", err)
	}
	if _, err := os.Stat(state); err != nil {
		t.Fatalf("no state file after the stop: %v", err)
	}

	base, stop = runMain(t, args...)
	refreshed := token(base, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {granted["refresh_token"].(string)}})
	if after := events(base, refreshed["access_token"].(string)); after != before {
		t.Errorf("the demo mailbox after a restart:\n%s\nwant what it was (seeded once):\n%s", after, before)
	}
	if err := stop(); err != nil {
		t.Fatalf("Main: %v", err)
	}

	if err := os.WriteFile(state, []byte(`{"format": "intracal-fakeoutlook-state", "version": 99}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Main(context.Background(), append([]string{"--addr", "127.0.0.1:0"}, args...), io.Discard)
	if err == nil || !strings.Contains(err.Error(), state) {
		t.Fatalf("Main with a state file of another version: %v, want an error naming it", err)
	}
	if data, _ := os.ReadFile(state); !strings.Contains(string(data), `"version": 99`) {
		t.Error("the refused state file was overwritten")
	}
}
