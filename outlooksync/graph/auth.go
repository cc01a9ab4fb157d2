package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	"golang.org/x/oauth2"

	"intracal/outlooksync"
)

// preferImmutableID asks Graph for ids that stay the same when an item moves.
const preferImmutableID = `IdType="ImmutableId"`

// ContextTokenSource is a token source that can be cancelled; outlooksync's token source is
// one. Plain oauth2.TokenSources work too.
type ContextTokenSource interface {
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// Invalidator is a token source that can be told that Graph refused an access token, so the
// next Token refreshes instead of handing out the same one.
type Invalidator interface {
	Invalidate(accessToken string)
}

// tokenProvider is kiota's AccessTokenProvider over an oauth2.TokenSource. Its allowed-hosts
// list holds the configured Graph host only: the SDK's own providers fall back to
// Microsoft's hosts when the list is empty and then silently send no token to any other
// host (a national cloud, the fake), and a token must never go to a host that is not Graph.
type tokenProvider struct {
	ts    oauth2.TokenSource
	hosts *absauth.AllowedHostsValidator
}

var _ absauth.AccessTokenProvider = (*tokenProvider)(nil)

func newTokenProvider(ts oauth2.TokenSource, graphHost string) (*tokenProvider, error) {
	hosts, err := absauth.NewAllowedHostsValidatorErrorCheck([]string{graphHost})
	if err != nil {
		return nil, fmt.Errorf("graph: allowed hosts: %w", err)
	}
	return &tokenProvider{ts: ts, hosts: hosts}, nil
}

// GetAuthorizationToken returns the access token for a request to the Graph host, and
// nothing for any other host.
func (p *tokenProvider) GetAuthorizationToken(ctx context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !p.hosts.IsUrlHostValid(u) {
		return "", nil
	}
	if u.Scheme != "https" && !isLoopback(u.Hostname()) {
		return "", fmt.Errorf("graph: refusing to send a token over plain http to %s", u.Host)
	}
	tok, err := p.token(ctx)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// GetAllowedHostsValidator is part of kiota's AccessTokenProvider.
func (p *tokenProvider) GetAllowedHostsValidator() *absauth.AllowedHostsValidator { return p.hosts }

func (p *tokenProvider) token(ctx context.Context) (*oauth2.Token, error) {
	var tok *oauth2.Token
	var err error
	if cts, ok := p.ts.(ContextTokenSource); ok {
		tok, err = cts.TokenContext(ctx)
	} else {
		tok, err = p.ts.Token()
	}
	if err != nil {
		return nil, tokenError(err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, errors.New("graph: the token source gave no access token")
	}
	return tok, nil
}

// tokenError marks the refusals after which only the user can restore access.
func tokenError(err error) error {
	if errors.Is(err, outlooksync.ErrReconnectNeeded) {
		return err
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		switch re.ErrorCode {
		case "invalid_grant", "interaction_required", "consent_required", "invalid_client", "unauthorized_client":
			return fmt.Errorf("%w: %s", outlooksync.ErrReconnectNeeded, re.ErrorCode)
		}
	}
	return fmt.Errorf("graph: access token: %w", err)
}

// preferTransport makes sure every request, the $batch envelope included, asks for
// immutable ids.
type preferTransport struct{ next http.RoundTripper }

func (t *preferTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	for _, v := range req.Header.Values("Prefer") {
		if strings.Contains(strings.ToLower(v), "idtype") {
			return t.next.RoundTrip(req)
		}
	}
	req = req.Clone(req.Context())
	req.Header.Add("Prefer", preferImmutableID)
	return t.next.RoundTrip(req)
}

// reauthTransport answers a 401 by asking the token source for a new access token and
// sending the request once more: an access token can be revoked or expire early, and the
// refresh token usually still works.
type reauthTransport struct {
	next   http.RoundTripper
	tokens *tokenProvider
}

func (t *reauthTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	inv, ok := t.tokens.ts.(Invalidator)
	old, hasBearer := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	if !ok || !hasBearer || (req.Body != nil && req.GetBody == nil) {
		return resp, nil
	}
	// Keep the first answer, to return it if no new token comes.
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, nil
	}
	inv.Invalidate(old)
	tok, err := t.tokens.token(req.Context())
	if err != nil {
		return nil, err
	}
	if tok.AccessToken == old {
		return resp, nil
	}
	retry := req.Clone(req.Context())
	retry.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if req.GetBody != nil {
		if retry.Body, err = req.GetBody(); err != nil {
			return resp, nil
		}
	}
	return t.next.RoundTrip(retry)
}
