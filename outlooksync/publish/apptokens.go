package publish

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// AppTokens is the app's own access token (client credentials), shared by the clients of
// every mailbox it publishes into: fetched when there is none or it expired, and again when
// Graph refused it (Invalidate), as after the tenant's administrator granted consent: a token
// issued before carries no roles.
type AppTokens struct {
	cfg *clientcredentials.Config
	ctx context.Context // carries the HTTP client of the token requests (oauth2.HTTPClient)
	mu  sync.Mutex
	tok *oauth2.Token
}

// NewAppTokens returns the app's tokens from cfg; ctx carries the HTTP client to use.
func NewAppTokens(ctx context.Context, cfg *clientcredentials.Config) *AppTokens {
	return &AppTokens{cfg: cfg, ctx: ctx}
}

// Token returns a valid access token.
func (a *AppTokens) Token() (*oauth2.Token, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok.Valid() {
		return a.tok, nil
	}
	tok, err := a.cfg.Token(a.ctx)
	if err != nil {
		return nil, fmt.Errorf("the app's own token: %w", err)
	}
	a.tok = tok
	return tok, nil
}

// Invalidate forgets the token Graph refused, so that the next Token fetches another.
func (a *AppTokens) Invalidate(accessToken string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok != nil && a.tok.AccessToken == accessToken {
		a.tok = nil
	}
}
