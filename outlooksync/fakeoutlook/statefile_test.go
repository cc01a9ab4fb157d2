package fakeoutlook

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// restarted saves f's state to a file and returns a new fake, on its own server, that loaded
// it: the fake stopped and started again with --state.
func restarted(t *testing.T, f *fixture) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fakeoutlook.json")
	if err := f.fake.SaveState(path); err != nil {
		t.Fatal(err)
	}
	g := newFixture(t, Options{Now: f.clock.Now})
	g.clock = f.clock
	if err := g.fake.LoadState(path); err != nil {
		t.Fatal(err)
	}
	return g
}

// lived fills ada's and bob's mailboxes the way a demo does: a series with an exception and a
// deleted occurrence, split "this and all following", organised by ada with bob invited and
// answering, categories, a reminder, a private single with an extended property created by a
// client with a transactionId.
func lived(t *testing.T, f *fixture) (ada, bob string) {
	t.Helper()
	ada, bob = f.token("ada@example.com"), f.token("bob@example.com")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, berlin)
	series, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Planning", Location: "Room 1",
		Start: start, End: start.Add(time.Hour), TimeZone: "Europe/Berlin", Attendees: []string{"bob@example.com"},
		Categories: []string{"Blue category"}, Reminder: &Reminder{On: true, Minutes: 30}, Recurrence: weekly("monday")})
	if err != nil {
		t.Fatal(err)
	}
	subject := "Planning (afternoon)"
	moved := start.AddDate(0, 0, 7).Add(5 * time.Hour)
	if _, err := f.fake.UpdateOccurrence("ada@example.com", series.ID, start.AddDate(0, 0, 7),
		Change{Subject: &subject, Start: &moved, End: ptr(moved.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if err := f.fake.DeleteOccurrence("ada@example.com", series.ID, start.AddDate(0, 0, 14)); err != nil {
		t.Fatal(err)
	}
	room := "Room 7"
	if _, err := f.fake.SplitSeries("ada@example.com", series.ID, start.AddDate(0, 0, 28), Change{Location: &room}); err != nil {
		t.Fatal(err)
	}
	copyOf, err := f.fake.FindEvent("bob@example.com", "Planning")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.fake.Respond("bob@example.com", copyOf.ID, "tentativelyAccept"); err != nil {
		t.Fatal(err)
	}
	f.must(http.StatusCreated, call{method: "POST", path: "/me/events", token: ada, body: map[string]any{
		"subject":       "Dentist",
		"sensitivity":   "private",
		"transactionId": "tx-1",
		"start":         map[string]any{"dateTime": "2025-01-08T16:00:00", "timeZone": "Pacific Standard Time"},
		"end":           map[string]any{"dateTime": "2025-01-08T17:00:00", "timeZone": "Pacific Standard Time"},
		"singleValueExtendedProperties": []map[string]any{
			{"id": "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name intracal", "value": "event-42"}},
	}})
	return ada, bob
}

var tokenInLink = regexp.MustCompile(`(\$(?:skip|delta)token=)[A-Za-z0-9_-]+`)

// normalized is a Graph answer with what differs between two servers, or between two equal
// changes, taken out: the base URL, the tokens in links, change keys.
func normalized(t *testing.T, f *fixture, body []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(bytes.ReplaceAll(body, []byte(f.srv.URL), []byte("BASE")), &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, body)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				switch k {
				case "changeKey", "@odata.etag":
					x[k] = "CHANGEKEY"
				case "@odata.nextLink", "@odata.deltaLink":
					x[k] = tokenInLink.ReplaceAllString(e.(string), "${1}TOKEN")
				default:
					x[k] = walk(e)
				}
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		}
		return v
	}
	data, _ := json.MarshalIndent(walk(v), "", " ")
	return string(data)
}

// onBoth sends the same request to both fakes and fails unless they answer alike.
func onBoth(t *testing.T, a, b *fixture, c call) (reply, reply) {
	t.Helper()
	ra := a.do(c)
	cb := c
	cb.path = strings.ReplaceAll(c.path, a.srv.URL, b.srv.URL)
	rb := b.do(cb)
	if ra.status != rb.status {
		t.Fatalf("%s %s: %d before the restart, %d after: %s", c.method, c.path, ra.status, rb.status, rb.body)
	}
	if na, nb := normalized(t, a, ra.body), normalized(t, b, rb.body); na != nb {
		t.Fatalf("%s %s answers differently after the restart:\nbefore: %s\nafter:  %s", c.method, c.path, na, nb)
	}
	return ra, rb
}

func TestStateKeepsWhatGraphAnswersAcrossARestart(t *testing.T) {
	a := newFixture(t, Options{})
	ada, bob := lived(t, a)
	// A client that synced: a delta round to its end, and a second round begun (one page in).
	_, deltaLink, _ := a.deltaRound(ada, "/me/calendarView/delta?"+deltaWindow, "5")
	first := a.must(http.StatusOK, call{method: "GET", path: "/me/calendarView/delta?" + deltaWindow, token: ada}).json(t)
	skipLink := first["@odata.nextLink"].(string)
	series, _ := a.fake.FindEvent("ada@example.com", "Planning")
	refresh := refreshTokenOf(t, a, "ada@example.com")

	b := restarted(t, a)

	// The access tokens issued before work after it, and so does a refresh.
	b.must(http.StatusOK, call{method: "GET", path: "/me", token: ada})
	b.must(http.StatusOK, call{method: "GET", path: "/me", token: bob})
	if status, body := b.postForm("/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"},
		"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}, "refresh_token": {refresh}}); status != http.StatusOK {
		t.Fatalf("refresh after the restart: %d %s", status, body)
	}

	berlinView := map[string]string{"Prefer": `outlook.timezone="W. Europe Standard Time"`}
	for _, c := range []call{
		{method: "GET", path: "/me/events?$top=50", token: ada, headers: berlinView},
		{method: "GET", path: "/me/events?$top=50", token: bob},
		{method: "GET", path: "/me/calendarView?" + january + "&$top=100", token: ada, headers: berlinView},
		{method: "GET", path: "/me/calendarView?" + january + "&$top=100", token: bob},
		{method: "GET", path: "/me/events/" + series.ID + "?$select=subject,recurrence,cancelledOccurrences", token: ada},
		{method: "GET", path: "/me/events/" + series.ID + "/instances?" + january, token: ada},
		{method: "GET", path: "/me/events?$filter=" + url.QueryEscape("iCalUId eq '"+series.ICalUID+"'"), token: bob},
		// Nothing changed since the delta link.
		{method: "GET", path: deltaLink, token: ada},
	} {
		onBoth(t, a, b, c)
	}

	// An update made with the etag read before the restart is not a conflict after it, and
	// the delta link reports it the same way.
	onBoth(t, a, b, call{method: "PATCH", path: "/me/events/" + series.ID, token: ada,
		headers: map[string]string{"If-Match": etag(series.ChangeKey)}, body: map[string]any{"subject": "Planning (new)"}})
	ra, _ := onBoth(t, a, b, call{method: "GET", path: deltaLink, token: ada})
	if n := len(values(t, ra.json(t))); n == 0 {
		t.Error("the delta round after the update reports nothing")
	}
	onBoth(t, a, b, call{method: "GET", path: "/me/events?$top=50", token: bob})
	ma, _ := a.fake.MessagesReceived("bob@example.com")
	mb, _ := b.fake.MessagesReceived("bob@example.com")
	if ma != mb {
		t.Errorf("bob's meeting messages: %+v before the restart, %+v after", ma, mb)
	}

	// A page of a round in progress is not kept: Graph's answer to a lost sync state.
	r := b.must(http.StatusGone, call{method: "GET", path: strings.ReplaceAll(skipLink, a.srv.URL, b.srv.URL), token: ada})
	if code := errorCode(t, r); code != "SyncStateNotFound" {
		t.Errorf("a skip token after the restart: %s, want SyncStateNotFound", code)
	}
}

func refreshTokenOf(t *testing.T, f *fixture, email string) string {
	t.Helper()
	f.fake.mu.Lock()
	defer f.fake.mu.Unlock()
	m := f.fake.byEmail[email]
	for tok, rt := range f.fake.refresh {
		if rt.mailboxID == m.id {
			return tok
		}
	}
	t.Fatalf("no refresh token for %s", email)
	return ""
}

func TestLoadStateRefusesAFileItCannotUse(t *testing.T) {
	good := func(t *testing.T) []byte {
		f := newFixture(t, Options{})
		lived(t, f)
		data, err := f.fake.encodeState()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}(t)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not JSON", []byte("{\"format\": \"intracal-fakeoutlook-state\", "), "not a fake Outlook state file"},
		{"another JSON file", []byte(`{"mailboxes": []}`), "not a fake Outlook state file"},
		{"a newer version", bytes.Replace(good, []byte(`"version": 1`), []byte(`"version": 2`), 1), "version 2"},
		{"cut short", good[:len(good)/2], "not a fake Outlook state file"},
		{"an unknown field", bytes.Replace(good, []byte(`"seeded":`), []byte(`"colour": 1, "seeded":`), 1), "damaged"},
		{"data after the state", append(bytes.Clone(good), []byte("{}")...), "not a fake Outlook state file"},
		{"a bad pattern", bytes.Replace(good, []byte(`"interval": 1`), []byte(`"interval": 0`), 1), "interval"},
		{"an unknown zone", bytes.Replace(good, []byte(`"startZone": "Europe/Berlin"`), []byte(`"startZone": "Mars/Olympus"`), 1), "Mars/Olympus"},
		{"a token of no mailbox", regexp.MustCompile(`("accessTokens": \[\s*\{\s*"token": "[^"]+",\s*"mailboxId": ")[^"]+`).
			ReplaceAll(good, []byte("${1}nobody")), "unknown mailbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if bytes.Equal(tt.data, good) {
				t.Fatal("the case did not change the file")
			}
			path := filepath.Join(t.TempDir(), "state.json")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			fake := New(Options{})
			err := fake.LoadState(path)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadState: %v, want an error naming %s and %q", err, path, tt.want)
			}
			if n := len(fake.Mailboxes()); n != 0 {
				t.Errorf("%d mailboxes loaded from a refused file", n)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, tt.data) {
				t.Error("the refused file was changed")
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		err := New(Options{}).LoadState(filepath.Join(t.TempDir(), "none.json"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("LoadState of a missing file: %v, want one that is os.ErrNotExist", err)
		}
	})
	t.Run("into a fake with mailboxes", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, good, 0o600); err != nil {
			t.Fatal(err)
		}
		fake := New(Options{})
		if _, err := fake.AddMailbox("eve@example.com", ""); err != nil {
			t.Fatal(err)
		}
		if err := fake.LoadState(path); err == nil {
			t.Error("LoadState merged a file into a fake that has mailboxes")
		}
	})
}

func TestSaveStateReplacesTheFileWhole(t *testing.T) {
	f := newFixture(t, Options{})
	lived(t, f)
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.fake.SaveState(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the directory holds %d files after a save, want the state file alone", len(entries))
	}
	g := New(Options{})
	if err := g.LoadState(path); err != nil {
		t.Fatal(err)
	}
	if n := len(g.Mailboxes()); n != 2 {
		t.Errorf("%d mailboxes loaded, want 2", n)
	}
}
