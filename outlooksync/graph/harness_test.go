package graph

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"intracal/outlooksync/fakeoutlook"
)

const mailbox = "anna@contoso.example"

// fixture is the fake Outlook in-process, with a client for one mailbox whose HTTP requests
// are recorded as they leave the client.
type fixture struct {
	t      *testing.T
	fake   *fakeoutlook.Server
	srv    *httptest.Server
	tokens *passwordTokens
	rec    *recorder
	client *Client
}

func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	fake := fakeoutlook.New(fakeoutlook.Options{})
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	if _, err := fake.AddMailbox(mailbox, "Anna Berg"); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, fake: fake, srv: srv, rec: &recorder{next: http.DefaultTransport}}
	f.tokens = &passwordTokens{conf: oauthConfig(srv.URL), user: mailbox}
	c, err := New(srv.URL, f.tokens, &http.Client{Transport: f.rec}, opts)
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	return f
}

func oauthConfig(base string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     fakeoutlook.DemoClientID,
		ClientSecret: fakeoutlook.DemoClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/organizations/oauth2/v2.0/authorize",
			TokenURL:  base + "/organizations/oauth2/v2.0/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes: []string{"offline_access", "Calendars.ReadWrite", "User.Read"},
	}
}

// passwordTokens signs the mailbox in with the fake's password grant and keeps the token
// until it is invalidated, counting sign-ins.
type passwordTokens struct {
	conf *oauth2.Config
	user string

	mu          sync.Mutex
	tok         *oauth2.Token
	fetches     int
	invalidated int
	err         error // returned instead of a token when set
}

func (p *passwordTokens) Token() (*oauth2.Token, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return nil, p.err
	}
	if p.tok != nil {
		return p.tok, nil
	}
	tok, err := p.conf.PasswordCredentialsToken(context.Background(), p.user, "any")
	if err != nil {
		return nil, err
	}
	p.tok, p.fetches = tok, p.fetches+1
	return tok, nil
}

func (p *passwordTokens) Invalidate(access string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tok != nil && p.tok.AccessToken == access {
		p.tok = nil
		p.invalidated++
	}
}

// recorder keeps the headers of every request the client sends.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, path string
	header       http.Header
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.Header.Clone()})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

func (r *recorded) prefers(part string) bool {
	for _, v := range r.header.Values("Prefer") {
		if strings.Contains(v, part) {
			return true
		}
	}
	return false
}
