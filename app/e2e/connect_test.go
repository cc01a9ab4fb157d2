package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"intracal/outlooksync/fakeoutlook"
)

// TestConnectSyncReconnectDisconnectByHTTP is issue 5's flow as a script runs it, with the
// Graph SDK client against the fake Outlook: connect, sync, the grant revoked (needs
// reconnect), reconnect, disconnect; tokens and the client secret appear in no answer and no
// log line.
func TestConnectSyncReconnectDisconnectByHTTP(t *testing.T) {
	d := newDeployment(t)
	const mailbox = "anna@example.com"
	anna := d.member(mailbox, "Anna Berg")
	if err := d.fake.SeedDemo(mailbox); err != nil {
		t.Fatal(err)
	}
	var answers []string
	keep := func(res *http.Response) string {
		b, _ := io.ReadAll(res.Body)
		answers = append(answers, string(b)+res.Header.Get("Location"))
		return string(b)
	}

	if st := anna.status(); st.State != "disconnected" {
		t.Fatalf("before: %+v", st)
	}
	res := anna.connect()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/calendar" {
		t.Fatalf("callback: %d %s", res.StatusCode, keep(res))
	}
	if st := anna.status(); st.State != "connected" || st.Account == nil || st.Account.Mail != mailbox {
		t.Fatalf("after connect: %+v", st)
	}

	// Sync now brings the mailbox's events into My Calendar, through the SDK client.
	res = anna.post("/api/v1/outlook/sync")
	if body := keep(res); res.StatusCode != http.StatusOK || !strings.Contains(body, `"lastSyncAt":"`) {
		t.Fatalf("sync now: %d %s", res.StatusCode, body)
	}
	// (The cycle that brought them may be the one the new subscription started, before Sync
	// now: My Calendar is what to look at.)
	if len(myCalendar(t, anna)) == 0 {
		t.Errorf("the seeded mailbox's events are not in My Calendar")
	}
	if d.fake.GraphRequestCount(mailbox) == 0 {
		t.Error("no Graph request reached the fake for the mailbox")
	}

	// The user withdraws consent in Microsoft: the next sync finds the grant revoked.
	if err := d.fake.RevokeGrant(mailbox); err != nil {
		t.Fatal(err)
	}
	if err := d.fake.ExpireAccessTokens(mailbox); err != nil {
		t.Fatal(err)
	}
	res = anna.post("/api/v1/outlook/sync")
	if body := keep(res); res.StatusCode < 400 {
		t.Errorf("sync with a revoked grant: %d %s, want a failure", res.StatusCode, body)
	}
	st := anna.status()
	if st.State != "needs_reconnect" || st.LastError == nil || !strings.Contains(*st.LastError, "Reconnect") {
		t.Fatalf("after the revoked grant: %+v", st)
	}
	if events, _ := d.fake.Events(mailbox); len(events) == 0 {
		t.Error("events were deleted in Outlook")
	}

	// Reconnecting restores the connection; disconnecting removes it and keeps the events.
	if res := anna.connect(); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reconnect: %d %s", res.StatusCode, keep(res))
	}
	if st := anna.status(); st.State != "connected" || st.LastError != nil {
		t.Errorf("after reconnect: %+v", st)
	}
	res = anna.post("/api/v1/outlook/sync")
	if body := keep(res); res.StatusCode != http.StatusOK {
		t.Errorf("sync after reconnect: %d %s", res.StatusCode, body)
	}
	before, _ := d.fake.Events(mailbox)
	res = anna.post("/api/v1/outlook/disconnect")
	if body := keep(res); res.StatusCode != http.StatusOK {
		t.Fatalf("disconnect: %d %s", res.StatusCode, body)
	}
	if st := anna.status(); st.State != "disconnected" {
		t.Errorf("after disconnect: %+v", st)
	}
	if after, _ := d.fake.Events(mailbox); len(after) != len(before) {
		t.Errorf("disconnect changed Outlook: %d events before, %d after", len(before), len(after))
	}
	keep(anna.get("/api/v1/outlook/status"))

	// Nothing secret in any answer, printed line or log line.
	everything := strings.Join(answers, "\n") + d.logs.String() + d.out.String()
	if strings.Contains(everything, fakeoutlook.DemoClientSecret) {
		t.Error("the client secret appears in an answer or the log")
	}
	// The fake's access tokens are JWTs (their header encodes to eyJ0eXAiOiJKV1Qi) and its
	// refresh tokens start with 1.AXoA, like Microsoft's; the database log at debug level
	// shows only sealed values.
	for _, marker := range []string{"eyJ0eXAiOiJKV1Qi", "1.AXoA", anna.token} {
		if strings.Contains(everything, marker) {
			t.Errorf("a token (%.8s...) appears in an answer or the log", marker)
		}
	}
}
