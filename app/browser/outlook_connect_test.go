package browser_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"intracal/app"
	"intracal/config"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/graph"
)

// newOutlookSite is the demo site set up for Outlook sync with the fake Outlook's demo app,
// the fake serving beside it and the Graph SDK client between them, as `make run` does.
func newOutlookSite(t *testing.T) (*site, *fakeoutlook.Server) {
	t.Helper()
	fake := fakeoutlook.New(fakeoutlook.Options{})
	fsrv := httptest.NewServer(fake.Handler())
	t.Cleanup(fsrv.Close)
	ms, _ := url.Parse(fsrv.URL)

	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	u, _ := url.Parse(base)
	cfg := config.Config{Addr: u.Host, SiteURL: u, DataDir: t.TempDir(), MSLoginURL: ms, MSGraphURL: ms}
	for i := range cfg.SecretKey {
		cfg.SecretKey[i] = byte(3 * i)
	}
	newGraph := func(base string, ts oauth2.TokenSource, hc *http.Client) (outlooksync.Graph, error) {
		return graph.New(base, ts, hc, graph.Options{})
	}
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), dbtest.SQLite(t), app.WithGraph(newGraph))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := a.SeedDemo(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	for name, value := range map[string]string{
		"EnableThirdPartyCalendarSync": "true", "OutlookApiClientID": fakeoutlook.DemoClientID,
		"OutlookApiClientSecret": fakeoutlook.DemoClientSecret, "SAMLTenantID": fakeoutlook.DemoTenantID,
	} {
		if err := a.SetProperty(ctx, name, value); err != nil {
			t.Fatal(err)
		}
	}
	if err := fake.SeedDemo("alice@example.com"); err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = a.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &site{app: a, base: base, outlook: fsrv.URL}, fake
}

// TestConnectToOutlookInTheBrowser is issue 5's flow in headless Chromium: sign in, click
// Connect to Outlook, sign in at the fake Microsoft as the mailbox, come back to My Calendar
// connected, sync, reconnect after the grant was revoked, and disconnect. No page shows a
// token or the client secret.
func TestConnectToOutlookInTheBrowser(t *testing.T) {
	s, fake := newOutlookSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/calendar")
	if !b.has(".outlook-panel a[href='/outlook/connect']") {
		t.Fatalf("My Calendar has no Connect to Outlook button:\n%s", b.source())
	}
	sources := []string{b.source()}

	// Connect: to the fake's authorize page and back; login_hint signs the mailbox in.
	b.follow(".outlook-panel a[href='/outlook/connect']")
	if loc := b.location(); loc.Path != "/calendar" {
		t.Fatalf("after signing in at Microsoft the browser is on %s", loc)
	}
	if got := b.text(".flash"); !strings.Contains(got, "connected to Outlook (alice@example.com)") {
		t.Errorf("flash %q", got)
	}
	if got := b.text(".outlook-panel"); !strings.Contains(got, "Connected") || !strings.Contains(got, "alice@example.com") {
		t.Errorf("panel after connecting: %q", got)
	}
	sources = append(sources, b.source())

	// Sync now brings the mailbox's events in.
	b.follow(".outlook-panel form[action='/outlook/sync'] button")
	if got := b.text(".outlook-panel"); !strings.Contains(got, "Last sync") {
		t.Errorf("panel after Sync now: %q", got)
	}
	if fake.GraphRequestCount("alice@example.com") == 0 {
		t.Error("Sync now sent no Graph request")
	}
	b.screenshot("outlook-connected.png")
	sources = append(sources, b.source())

	// Alice withdraws consent in Microsoft: the next sync shows the Reconnect banner, and
	// Reconnect signs in again.
	if err := fake.RevokeGrant("alice@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := fake.ExpireAccessTokens("alice@example.com"); err != nil {
		t.Fatal(err)
	}
	b.follow(".outlook-panel form[action='/outlook/sync'] button")
	if got := b.text(".outlook-panel [role=alert]"); !strings.Contains(got, "needs to be renewed") {
		t.Fatalf("no reconnect banner after the revoked grant: %q", got)
	}
	b.screenshot("outlook-reconnect.png")
	sources = append(sources, b.source())
	b.follow(".outlook-panel a[href='/outlook/connect']")
	if got := b.text(".outlook-panel"); !strings.Contains(got, "Connected") {
		t.Errorf("panel after Reconnect: %q", got)
	}

	// Disconnect: the panel offers Connect again.
	b.follow(".outlook-panel form[action='/outlook/disconnect'] button")
	if !b.has(".outlook-panel a[href='/outlook/connect']") || !strings.Contains(b.text(".flash"), "no longer connected") {
		t.Errorf("after Disconnect: %s", b.text("main"))
	}
	sources = append(sources, b.source())

	for i, src := range sources {
		for _, secret := range []string{fakeoutlook.DemoClientSecret, "eyJ0eXAiOiJKV1Qi", "1.AXoA"} {
			if strings.Contains(src, secret) {
				t.Errorf("page %d shows a token or the client secret", i)
			}
		}
	}
}
