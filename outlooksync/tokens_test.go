package outlooksync

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/config/secrets"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

const annaMailbox = "anna@contoso.example"

func (f *connFixture) tokenSource(c *Connections, uid int64, hc *http.Client) *TokenSource {
	return c.TokenSource(uid, f.app.Config(), hc)
}

func (f *connFixture) tokenRequests() int {
	return f.fake.RequestCount("", fakeoutlook.EndpointToken)
}

func TestTokenSourceRefreshesBeforeExpiryAndStoresTheRotatedToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newConnFixture(t, db)
		uid := f.addUser("anna@example.com")
		first := f.connect(uid, annaMailbox)
		ts := f.tokenSource(f.conns, uid, nil)
		before := f.tokenRequests()
		tok, err := ts.TokenContext(t.Context())
		if err != nil || tok.AccessToken != first.AccessToken || f.tokenRequests() != before {
			t.Fatalf("a fresh token was not used as it is: %v, %d requests", err, f.tokenRequests()-before)
		}

		// Four minutes before expiry the token is replaced.
		f.clock.Advance(time.Until(first.Expiry) - 4*time.Minute)
		v0 := f.row(uid).TokenVersion
		tok, err = ts.TokenContext(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken == first.AccessToken || tok.RefreshToken == first.RefreshToken || f.tokenRequests() != before+1 {
			t.Fatalf("no refresh near expiry (%d requests)", f.tokenRequests()-before)
		}
		row := f.row(uid)
		stored, err := ts.open(row)
		if err != nil {
			t.Fatal(err)
		}
		if row.TokenVersion != v0+1 || stored.RefreshToken != tok.RefreshToken || stored.AccessToken != tok.AccessToken {
			t.Errorf("the rotated pair was not stored (version %d -> %d)", v0, row.TokenVersion)
		}

		// Graph refusing the access token forces a refresh even before expiry.
		ts.Invalidate(tok.AccessToken)
		again, err := ts.TokenContext(t.Context())
		if err != nil || again.AccessToken == tok.AccessToken {
			t.Errorf("after Invalidate: %v, same token %t", err, again != nil && again.AccessToken == tok.AccessToken)
		}
	})
}

// barrier holds refresh requests until n of them are on their way, so two refreshes
// certainly start from the same stored version.
type barrier struct {
	n       int32
	arrived atomic.Int32
	all     chan struct{}
	once    sync.Once
	next    http.RoundTripper
}

func newBarrier(n int) *barrier {
	return &barrier{n: int32(n), all: make(chan struct{}), next: http.DefaultTransport}
}

func (b *barrier) RoundTrip(req *http.Request) (*http.Response, error) {
	if b.arrived.Add(1) == b.n {
		b.once.Do(func() { close(b.all) })
	}
	select {
	case <-b.all:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	return b.next.RoundTrip(req)
}

func TestConcurrentRefreshesKeepOneValidStoredToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newConnFixture(t, db)
		uid := f.addUser("anna@example.com")
		first := f.connect(uid, annaMailbox)
		f.clock.Advance(time.Until(first.Expiry))
		v0 := f.row(uid).TokenVersion

		// Two app instances (two stores, so no shared lock) refresh at the same moment.
		hc := &http.Client{Transport: newBarrier(2)}
		sources := []*TokenSource{f.tokenSource(f.newConns(), uid, hc), f.tokenSource(f.newConns(), uid, hc)}
		toks := make([]*oauth2.Token, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, ts := range sources {
			wg.Go(func() { toks[i], errs[i] = ts.TokenContext(t.Context()) })
		}
		wg.Wait()
		for i := range errs {
			if errs[i] != nil {
				t.Fatalf("refresh %d: %v", i, errs[i])
			}
		}
		row := f.row(uid)
		stored, err := sources[0].open(row)
		if err != nil {
			t.Fatal(err)
		}
		if row.TokenVersion != v0+1 {
			t.Errorf("token version %d -> %d: want exactly one stored refresh", v0, row.TokenVersion)
		}
		for i, tok := range toks {
			if tok.AccessToken != stored.AccessToken {
				t.Errorf("refresh %d handed out a token that is not the stored one", i)
			}
		}
		// The stored refresh token works.
		f.clock.Advance(2 * time.Hour)
		if _, err := f.tokenSource(f.conns, uid, nil).TokenContext(t.Context()); err != nil {
			t.Errorf("refreshing with the stored token: %v", err)
		}
	})
}

// counter counts the requests that leave a client.
type counter struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *counter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(req)
}

// rotatingServer is a token endpoint whose refresh tokens work once, as some identity
// providers rotate them: a second use of the same refresh token is invalid_grant.
type rotatingServer struct {
	mu     sync.Mutex
	valid  map[string]bool
	serial int
}

func (s *rotatingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	rt := r.PostForm.Get("refresh_token")
	if !s.valid[rt] {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "used"})
		return
	}
	delete(s.valid, rt)
	s.serial++
	next := "refresh-" + string(rune('a'+s.serial))
	s.valid[next] = true
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "access-" + next, "refresh_token": next,
		"token_type": "Bearer", "expires_in": 3600})
}

func TestRacingRefreshesWithStrictRotationEndConnected(t *testing.T) {
	for i := range 10 { // the interleavings differ from run to run; every one must end well
		t.Run(fmt.Sprint("run ", i), func(t *testing.T) {
			f := newConnFixture(t, dbtest.SQLite(t))
			uid := f.addUser("anna@example.com")
			rot := &rotatingServer{valid: map[string]bool{"refresh-start": true}}
			srv := httptest.NewServer(rot)
			t.Cleanup(srv.Close)
			if err := f.conns.Connect(t.Context(), uid, Account{ID: "acct-1", Mail: annaMailbox}, "", &oauth2.Token{
				AccessToken: "access-start", RefreshToken: "refresh-start", Expiry: f.clock.Now().Add(-time.Minute)}); err != nil {
				t.Fatal(err)
			}
			conf := &oauth2.Config{ClientID: "c", ClientSecret: "s", Endpoint: oauth2.Endpoint{TokenURL: srv.URL, AuthStyle: oauth2.AuthStyleInParams}}
			hc := &http.Client{Transport: newBarrier(2)}
			sources := []*TokenSource{f.newConns().TokenSource(uid, conf, hc), f.newConns().TokenSource(uid, conf, hc)}
			toks := make([]*oauth2.Token, 2)
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, ts := range sources {
				wg.Go(func() { toks[i], errs[i] = ts.TokenContext(t.Context()) })
			}
			wg.Wait()
			c, _ := f.conns.Get(t.Context(), uid)
			stored, err := sources[0].open(f.row(uid))
			if err != nil {
				t.Fatal(err)
			}
			if c.State != StateConnected || !rot.valid[stored.RefreshToken] {
				t.Fatalf("after the race: state %s, stored refresh token valid %t", c.State, rot.valid[stored.RefreshToken])
			}
			got := 0
			for i := range toks {
				switch {
				case errs[i] == nil && toks[i].AccessToken == stored.AccessToken:
					got++
				case errs[i] == nil:
					t.Errorf("refresh %d handed out %q, not the stored %q", i, toks[i].AccessToken, stored.AccessToken)
				case !errors.Is(errs[i], ErrReconnectNeeded):
					t.Errorf("refresh %d: %v", i, errs[i])
				}
			}
			if got == 0 {
				t.Error("neither refresh handed out a token")
			}
		})
	}
}

func TestRevokedGrantNeedsReconnectAndDeletesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newConnFixture(t, db)
		uid := f.addUser("anna@example.com")
		first := f.connect(uid, annaMailbox)
		if err := f.fake.RevokeGrant(annaMailbox); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Until(first.Expiry))
		ts := f.tokenSource(f.conns, uid, nil)
		if _, err := ts.TokenContext(t.Context()); !errors.Is(err, ErrReconnectNeeded) {
			t.Fatalf("refresh of a revoked grant: %v, want ErrReconnectNeeded", err)
		}
		c, err := f.conns.Get(t.Context(), uid)
		if err != nil || c.State != StateNeedsReconnect || !strings.Contains(c.LastError, "invalid_grant") {
			t.Fatalf("connection after the refusal: %+v, %v", c, err)
		}
		row := f.row(uid)
		if row.AccessToken == "" || row.RefreshToken == "" {
			t.Error("the refusal deleted the stored tokens")
		}
		before := f.tokenRequests()
		if _, err := ts.TokenContext(t.Context()); !errors.Is(err, ErrReconnectNeeded) || f.tokenRequests() != before {
			t.Errorf("a needs_reconnect connection asked Microsoft again (%v)", err)
		}
		if list, _ := f.conns.Connected(t.Context()); len(list) != 0 {
			t.Errorf("a needs_reconnect connection is listed for sync: %+v", list)
		}
		// Signing in again restores it.
		f.connect(uid, annaMailbox)
		if c, _ := f.conns.Get(t.Context(), uid); c.State != StateConnected || c.LastError != "" {
			t.Errorf("after reconnecting: %+v", c)
		}
	})
}

func TestTemporaryFailuresBackOffAndRecover(t *testing.T) {
	tests := []struct {
		name  string
		fault fakeoutlook.Fault
	}{
		{"temporarily_unavailable", fakeoutlook.Fault{Kind: fakeoutlook.FaultUnavailable, Endpoint: fakeoutlook.EndpointToken, Times: refreshAttempts}},
		{"connection dropped", fakeoutlook.Fault{Kind: fakeoutlook.FaultDropConnection, Endpoint: fakeoutlook.EndpointToken, Times: refreshAttempts}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newConnFixture(t, dbtest.SQLite(t))
			uid := f.addUser("anna@example.com")
			first := f.connect(uid, annaMailbox)
			f.clock.Advance(time.Until(first.Expiry))
			f.fake.InjectFault(tc.fault)
			sent := &counter{next: http.DefaultTransport}
			ts := f.tokenSource(f.conns, uid, &http.Client{Transport: sent})
			_, err := ts.TokenContext(t.Context())
			var boe *BackoffError
			if !errors.As(err, &boe) || !boe.RetryAt.Equal(f.clock.Now().Add(backoffBase)) {
				t.Fatalf("after %d failed attempts: %v, want a BackoffError for %s", refreshAttempts, err, backoffBase)
			}
			if got := sent.n.Load(); got != refreshAttempts || len(f.waits) != refreshAttempts-1 {
				t.Errorf("%d requests and %d waits, want %d attempts with waits between", got, len(f.waits), refreshAttempts)
			}
			c, _ := f.conns.Get(t.Context(), uid)
			if c.State != StateConnected || c.RetryAt == nil || c.LastError == "" {
				t.Errorf("connection while backing off: %+v", c)
			}
			if list, _ := f.conns.Connected(t.Context()); len(list) != 0 {
				t.Error("a connection backing off is listed for sync")
			}
			// Before the time is up nothing is asked; after it the refresh works again.
			if _, err := ts.TokenContext(t.Context()); !errors.As(err, &boe) || sent.n.Load() != refreshAttempts {
				t.Errorf("during the backoff: %v", err)
			}
			f.clock.Advance(backoffBase)
			if _, err := ts.TokenContext(t.Context()); err != nil {
				t.Fatalf("after the backoff: %v", err)
			}
			if row := f.row(uid); row.Failures != 0 || row.RetryAt != nil {
				t.Errorf("failures %d, retry at %v after success", row.Failures, row.RetryAt)
			}
		})
	}
}

func TestWrongAppSecretIsTheAdministratorsProblem(t *testing.T) {
	f := newConnFixture(t, dbtest.SQLite(t))
	uid := f.addUser("anna@example.com")
	first := f.connect(uid, annaMailbox)
	f.clock.Advance(time.Until(first.Expiry))
	f.app.ClientSecret = "an-expired-secret"
	_, err := f.tokenSource(f.conns, uid, nil).TokenContext(t.Context())
	if !errors.Is(err, ErrAppRefused) {
		t.Fatalf("refresh with a wrong client secret: %v, want ErrAppRefused", err)
	}
	c, _ := f.conns.Get(t.Context(), uid)
	if c.State != StateConnected || !strings.Contains(c.LastError, "OutlookApiClientSecret") {
		t.Errorf("connection: %+v; want connected with an error naming the property", c)
	}
}

func TestAuthCodeURLAsksForPKCEAndTheScopes(t *testing.T) {
	login, _ := url.Parse("https://login.example.org")
	app := OAuthApp{ClientID: "cid", ClientSecret: "s", Tenant: "3c9d1e5f-7a2b-4c8d-9e0f-1a2b3c4d5e6f", LoginURL: login,
		RedirectURL: "https://intranet.example/oauth2/outlook/callback"}
	u, err := url.Parse(app.AuthCodeURL("st", oauth2.GenerateVerifier(), "anna@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	want := map[string]string{
		"client_id": "cid", "response_type": "code", "state": "st", "code_challenge_method": "S256",
		"scope": "offline_access Calendars.ReadWrite User.Read", "login_hint": "anna@example.com",
		"redirect_uri": "https://intranet.example/oauth2/outlook/callback", "response_mode": "query",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if u.Path != "/3c9d1e5f-7a2b-4c8d-9e0f-1a2b3c4d5e6f/oauth2/v2.0/authorize" || len(q.Get("code_challenge")) != 43 {
		t.Errorf("authorize URL %s", u)
	}
}

func TestTokensSealedUnderAnotherKeyNeedReconnect(t *testing.T) {
	f := newConnFixture(t, dbtest.SQLite(t))
	uid := f.addUser("anna@example.com")
	f.connect(uid, annaMailbox)
	key := make([]byte, secrets.KeySize) // another site key
	other, err := secrets.New(key)
	if err != nil {
		t.Fatal(err)
	}
	conns := NewConnections(f.db, other, f.clock.Now)
	if _, err := conns.TokenSource(uid, f.app.Config(), nil).TokenContext(t.Context()); !errors.Is(err, ErrReconnectNeeded) {
		t.Fatalf("tokens sealed under another key: %v, want ErrReconnectNeeded", err)
	}
	if c, _ := conns.Get(t.Context(), uid); c.State != StateNeedsReconnect || !strings.Contains(c.LastError, "secret key changed") {
		t.Errorf("connection: %+v", c)
	}
}
