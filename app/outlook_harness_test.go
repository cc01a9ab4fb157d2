package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/oauth2"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/app/outlook"
	"intracal/app/properties"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// outlookEnv is the app wired to the fake Outlook in-process, with the System Properties set
// to the fake's demo app. Its Graph client is a small one for /me only, so the app's tests
// do not build the Graph SDK (app/e2e runs the real adapter).
type outlookEnv struct {
	t     *testing.T
	a     *App
	fake  *fakeoutlook.Server
	srv   *httptest.Server
	clock *apptest.Clock
	logs  *syncBuffer
	admin accounts.User
}

const outlookSite = "http://127.0.0.1:8080"

func newOutlookEnv(t *testing.T, opts ...Option) *outlookEnv {
	t.Helper()
	fake := fakeoutlook.New(fakeoutlook.Options{})
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	cfg := testConfig(t, outlookSite)
	base, _ := url.Parse(srv.URL)
	cfg.MSLoginURL, cfg.MSGraphURL = base, base
	clock := apptest.NewClockAt(time.Now().UTC())
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts = append([]Option{WithBcryptCost(bcrypt.MinCost), WithClock(clock.Now), WithGraph(newMeGraph)}, opts...)
	a, err := New(cfg, log, dbtest.SQLite(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	e := &outlookEnv{t: t, a: a, fake: fake, srv: srv, clock: clock, logs: logs}
	e.admin = addUser(t, a, "root@example.com", "Root", "correct horse", true)
	e.setProps(map[string]string{
		properties.PropEnableSync: "true", properties.PropOutlookClientID: fakeoutlook.DemoClientID,
		properties.PropOutlookSecret: fakeoutlook.DemoClientSecret, properties.PropSAMLTenantID: fakeoutlook.DemoTenantID,
	})
	return e
}

func (e *outlookEnv) setProps(props map[string]string) {
	e.t.Helper()
	for k, v := range props {
		if err := e.a.props.Set(e.t.Context(), accounts.ViewerOf(e.admin), k, v); err != nil {
			e.t.Fatal(err)
		}
	}
}

// user creates a member with a mailbox of the same address in the fake, and an API client.
func (e *outlookEnv) user(email, name string) (accounts.User, *browser) {
	e.t.Helper()
	u := addUser(e.t, e.a, email, name, "correct horse", false)
	if _, err := e.fake.AddMailbox(email, name); err != nil {
		e.t.Fatal(err)
	}
	return u, apiClient(e.t, e.a, u)
}

// startConnect calls GET /outlook/connect and returns Microsoft's authorize URL.
func (e *outlookEnv) startConnect(b *browser) *url.URL {
	e.t.Helper()
	res := b.get(outlook.ConnectPath)
	if res.StatusCode != http.StatusFound {
		e.t.Fatalf("GET /outlook/connect: %d %s", res.StatusCode, readBody(res))
	}
	u, err := url.Parse(res.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(u.String(), e.srv.URL) {
		e.t.Fatalf("connect redirected to %q, want the fake's authorize endpoint", res.Header.Get("Location"))
	}
	return u
}

// authorize plays the user at Microsoft's sign-in (login_hint signs the mailbox in at once)
// and returns the callback path and query that Microsoft sends the browser to.
func (e *outlookEnv) authorize(authorizeURL *url.URL) string {
	e.t.Helper()
	hc := apptest.NoRedirects()
	res, err := hc.Get(authorizeURL.String())
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusFound {
		body, _ := io.ReadAll(res.Body)
		e.t.Fatalf("authorize: %d %s", res.StatusCode, body)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || back.Path != outlook.CallbackPath {
		e.t.Fatalf("authorize sent the browser to %q", res.Header.Get("Location"))
	}
	return back.RequestURI()
}

// connect runs the whole flow for a client and fails the test unless it ends on My Calendar.
func (e *outlookEnv) connect(b *browser) {
	e.t.Helper()
	res := b.get(e.authorize(e.startConnect(b)))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/calendar" {
		e.t.Fatalf("callback: %d %s", res.StatusCode, readBody(res))
	}
}

// outlookStatus is the answer of GET /api/v1/outlook/status, the fields the tests read
// (docs/api.md).
type outlookStatus struct {
	State   string `json:"state"`
	Account *struct {
		ID   string `json:"id"`
		Mail string `json:"mail"`
	} `json:"account"`
	LastError  *string `json:"lastError"`
	Available  bool    `json:"available"`
	ConnectURL string  `json:"connectUrl"`
}

func (e *outlookEnv) status(b *browser) outlookStatus {
	e.t.Helper()
	res := b.get("/api/v1/outlook/status")
	var st outlookStatus
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil || res.StatusCode != http.StatusOK {
		e.t.Fatalf("status: %d %v", res.StatusCode, err)
	}
	return st
}

// tokens returns the stored token pair of a user, for tests that look for leaks.
func (e *outlookEnv) tokens(uid int64) *oauth2.Token {
	e.t.Helper()
	settings, err := e.a.props.OutlookSettings(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	// The site's app as the sign-in uses it; the stored tokens are fresh, so nothing is refreshed.
	conf := outlooksync.OAuthApp{ClientID: settings.ClientID, ClientSecret: settings.ClientSecret,
		Tenant: settings.Tenant(), LoginURL: e.a.cfg.MSLoginURL}.Config()
	tok, err := e.a.OutlookConnections().TokenSource(uid, conf, nil).TokenContext(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// meGraph is a Graph client that knows only /me, over plain HTTP.
type meGraph struct {
	base string
	ts   oauth2.TokenSource
	hc   *http.Client
}

func newMeGraph(base string, ts oauth2.TokenSource, hc *http.Client) (outlooksync.Graph, error) {
	return &meGraph{base: base, ts: ts, hc: hc}, nil
}

var errMeOnly = errors.New("meGraph answers Me only")

func (g *meGraph) Me(ctx context.Context) (outlooksync.Account, error) {
	tok, err := g.ts.Token()
	if err != nil {
		return outlooksync.Account{}, err
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, g.base+"/v1.0/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	res, err := g.hc.Do(req)
	if err != nil {
		return outlooksync.Account{}, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return outlooksync.Account{}, fmt.Errorf("GET /me: %d", res.StatusCode)
	}
	var me struct {
		ID, Mail, UserPrincipalName, DisplayName string
	}
	if err := json.NewDecoder(res.Body).Decode(&me); err != nil {
		return outlooksync.Account{}, err
	}
	return outlooksync.Account{ID: me.ID, Mail: strings.ToLower(me.Mail), UserPrincipalName: me.UserPrincipalName, DisplayName: me.DisplayName}, nil
}

func (g *meGraph) Delta(context.Context, string, outlooksync.Window, func(int)) (outlooksync.DeltaResult, error) {
	return outlooksync.DeltaResult{}, errMeOnly
}
func (g *meGraph) Event(context.Context, string) (outlooksync.RemoteEvent, error) {
	return outlooksync.RemoteEvent{}, errMeOnly
}
func (g *meGraph) Instances(context.Context, string, outlooksync.Window) ([]outlooksync.RemoteEvent, error) {
	return nil, errMeOnly
}
func (g *meGraph) ReadSeries(context.Context, []string, outlooksync.Window) (map[string]*outlooksync.RemoteSeries, error) {
	return nil, errMeOnly
}
func (g *meGraph) Apply(_ context.Context, ops []outlooksync.Op) []outlooksync.OpResult {
	out := make([]outlooksync.OpResult, len(ops))
	for i := range out {
		out[i].Err = errMeOnly
	}
	return out
}

func jsonDecode(res *http.Response, v any) error { return json.NewDecoder(res.Body).Decode(v) }
