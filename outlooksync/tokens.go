package outlooksync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/config/secrets"
)

// Token refresh policy.
const (
	// refreshBefore is how long before its expiry an access token is replaced, so a sync
	// never starts with a token that dies halfway.
	refreshBefore = 5 * time.Minute
	// refreshAttempts is how often one Token call tries Microsoft when it fails for a reason
	// that may pass, waiting attemptWait, then twice that, in between.
	refreshAttempts = 3
	attemptWait     = time.Second
	// backoffBase and backoffMax bound how long a connection rests after its refresh kept
	// failing: backoffBase doubled per consecutive failure.
	backoffBase = time.Minute
	backoffMax  = time.Hour
)

// TokenSource gives the access token of one user's connection: the stored one while it is
// good, else a refreshed one, stored before it is handed out. It implements
// oauth2.TokenSource, and the Graph adapter's ContextTokenSource and Invalidator.
//
// Refresh tokens rotate: each refresh may return a new one that must replace the old. The
// new pair is saved only over the token version the refresh started from (compare and
// swap), so when two refreshes for one user race, across processes or app instances, one
// pair is stored and the other process adopts it; in one process a lock per user keeps
// refreshes one at a time.
type TokenSource struct {
	conns  *Connections
	userID int64
	conf   *oauth2.Config
	hc     *http.Client

	mu  sync.Mutex
	bad string // an access token Graph refused: refresh even though it has not expired
}

// TokenSource returns the token source of a user's connection; conf names the app and the
// token endpoint (see OAuthApp.Config) and hc carries the refresh requests.
func (s *Connections) TokenSource(userID int64, conf *oauth2.Config, hc *http.Client) *TokenSource {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &TokenSource{conns: s, userID: userID, conf: conf, hc: hc}
}

// Token is TokenContext without a deadline.
func (t *TokenSource) Token() (*oauth2.Token, error) { return t.TokenContext(context.Background()) }

// Invalidate records that Graph refused the access token, so the next call refreshes.
func (t *TokenSource) Invalidate(accessToken string) {
	t.mu.Lock()
	t.bad = accessToken
	t.mu.Unlock()
}

// TokenContext returns a usable access token. Errors: ErrNotConnected; ErrReconnectNeeded
// (wrapped) when Microsoft refused the grant, after which the connection is needs_reconnect;
// a *BackoffError while Microsoft or the network fails; ErrAppRefused (wrapped) when the
// site's app credentials are wrong.
func (t *TokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	lock := t.conns.userLock(t.userID)
	lock.Lock()
	defer lock.Unlock()

	row, err := t.conns.row(ctx, t.conns.db, t.userID)
	if err != nil {
		return nil, err
	}
	if row.State == string(StateNeedsReconnect) {
		return nil, fmt.Errorf("%w: %s", ErrReconnectNeeded, row.LastError)
	}
	now := t.conns.now()
	current, err := t.open(row)
	if errors.Is(err, secrets.ErrOpen) {
		// Sealed under another secret key: only a new sign-in gives tokens this site can read.
		reason := "The site's secret key changed, so the stored Outlook sign-in cannot be read: sign in again with Reconnect."
		if merr := t.conns.MarkNeedsReconnect(ctx, t.userID, reason); merr != nil {
			return nil, merr
		}
		return nil, fmt.Errorf("%w: %v", ErrReconnectNeeded, err)
	}
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	refused := t.bad != "" && t.bad == current.AccessToken
	t.mu.Unlock()
	if !refused && now.Add(refreshBefore).Before(row.TokenExpiry) {
		return current, nil
	}
	if row.RetryAt != nil && now.Before(*row.RetryAt) {
		return nil, &BackoffError{RetryAt: *row.RetryAt, Err: errors.New(row.LastError)}
	}
	return t.refresh(ctx, row, current)
}

// open unseals the stored pair.
func (t *TokenSource) open(row connectionRow) (*oauth2.Token, error) {
	access, err := t.conns.box.Open(row.AccessToken, accessContext(row.UserID))
	if err != nil {
		return nil, fmt.Errorf("outlook: open the access token of user %d: %w", row.UserID, err)
	}
	refresh, err := t.conns.box.Open(row.RefreshToken, refreshContext(row.UserID))
	if err != nil {
		return nil, fmt.Errorf("outlook: open the refresh token of user %d: %w", row.UserID, err)
	}
	return &oauth2.Token{AccessToken: string(access), RefreshToken: string(refresh), TokenType: "Bearer", Expiry: row.TokenExpiry}, nil
}

// refresh redeems the refresh token, retrying what may pass, and stores the new pair.
func (t *TokenSource) refresh(ctx context.Context, row connectionRow, current *oauth2.Token) (*oauth2.Token, error) {
	var fresh *oauth2.Token
	var err error
	for attempt := 1; ; attempt++ {
		fresh, err = t.redeem(ctx, current.RefreshToken)
		if err == nil || !temporary(err) || attempt == refreshAttempts || ctx.Err() != nil {
			break
		}
		if serr := t.conns.sleep(ctx, attemptWait<<(attempt-1)); serr != nil {
			err = serr
			break
		}
	}
	if err != nil {
		return t.refreshFailed(ctx, row, err)
	}
	return t.store(ctx, row, fresh)
}

// redeem asks the token endpoint for a new pair.
func (t *TokenSource) redeem(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, t.hc)
	// An expired token makes the oauth2 package use the refresh token.
	tok, err := t.conf.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken, Expiry: time.Unix(1, 0)}).Token()
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = refreshToken // not rotated this time: the old one stays valid
	}
	return tok, nil
}

// store saves the refreshed pair over the version the refresh started from. When another
// refresh got there first, its pair is the one that counts and is returned instead.
func (t *TokenSource) store(ctx context.Context, row connectionRow, fresh *oauth2.Token) (*oauth2.Token, error) {
	access, err := t.conns.box.Seal([]byte(fresh.AccessToken), accessContext(row.UserID))
	if err != nil {
		return nil, err
	}
	refresh, err := t.conns.box.Seal([]byte(fresh.RefreshToken), refreshContext(row.UserID))
	if err != nil {
		return nil, err
	}
	now := t.conns.now()
	fresh.Expiry = tokenExpiry(fresh, now)
	// A refresh that Microsoft granted proves the connection sound: it is connected again
	// even if a racing refresh, refused for using a rotated-away token, marked it otherwise.
	res := t.conns.db.WithContext(ctx).Model(&connectionRow{}).
		Where("user_id = ? AND token_version = ?", row.UserID, row.TokenVersion).
		Updates(map[string]any{
			"access_token": access, "refresh_token": refresh, "token_expiry": fresh.Expiry,
			"token_version": gorm.Expr("token_version + 1"), "failures": 0, "retry_at": nil,
			"state": string(StateConnected), "last_error": "", "last_error_at": nil, "updated_at": now,
		})
	if res.Error != nil {
		return nil, fmt.Errorf("outlook: store the refreshed tokens: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return fresh, nil
	}
	return t.adopt(ctx)
}

// adopt returns the pair another refresh stored.
func (t *TokenSource) adopt(ctx context.Context) (*oauth2.Token, error) {
	winner, err := t.conns.row(ctx, t.conns.db, t.userID)
	if err != nil {
		return nil, err
	}
	if winner.State == string(StateNeedsReconnect) {
		return nil, fmt.Errorf("%w: %s", ErrReconnectNeeded, winner.LastError)
	}
	return t.open(winner)
}

// refreshFailed records why a refresh failed and decides what it means.
func (t *TokenSource) refreshFailed(ctx context.Context, row connectionRow, err error) (*oauth2.Token, error) {
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	now := t.conns.now()
	var re *oauth2.RetrieveError
	isRetrieve := errors.As(err, &re)
	switch {
	case isRetrieve && userMustReconnect(re.ErrorCode):
		// With strictly rotating refresh tokens, a refresh that raced another one and lost
		// is refused although the connection is fine: the mark is made only over the token
		// version this refresh started from, and otherwise the winner's pair is used.
		reason := "Microsoft refused the connection (" + re.ErrorCode + "): sign in again with Reconnect."
		res := t.conns.db.WithContext(ctx).Model(&connectionRow{}).
			Where("user_id = ? AND token_version = ?", row.UserID, row.TokenVersion).
			Updates(map[string]any{"state": string(StateNeedsReconnect), "last_error": reason, "last_error_at": now, "updated_at": now})
		if res.Error != nil {
			return nil, fmt.Errorf("outlook: mark the connection for reconnecting: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return t.adopt(ctx)
		}
		return nil, fmt.Errorf("%w: %s", ErrReconnectNeeded, re.ErrorCode)
	case isRetrieve && (re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client"):
		msg := "Microsoft refused the site's Outlook app (" + re.ErrorCode + "): an administrator must check OutlookApiClientID and OutlookApiClientSecret."
		if uerr := t.conns.update(ctx, row.UserID, map[string]any{"last_error": msg, "last_error_at": now}); uerr != nil {
			return nil, uerr
		}
		return nil, fmt.Errorf("%w: %s", ErrAppRefused, re.ErrorCode)
	case temporary(err):
		failures := row.Failures + 1
		retryAt := now.Add(backoff(failures))
		msg := "Microsoft sign-in is unavailable for now; retrying after " + retryAt.Format(time.RFC3339) + "."
		if uerr := t.conns.update(ctx, row.UserID, map[string]any{
			"failures": failures, "retry_at": retryAt, "last_error": msg, "last_error_at": now,
		}); uerr != nil {
			return nil, uerr
		}
		return nil, &BackoffError{RetryAt: retryAt, Err: err}
	}
	msg := "Refreshing the Outlook sign-in failed"
	if isRetrieve {
		msg += " (" + re.ErrorCode + ")"
	}
	if uerr := t.conns.update(ctx, row.UserID, map[string]any{"last_error": msg + ".", "last_error_at": now}); uerr != nil {
		return nil, uerr
	}
	return nil, fmt.Errorf("outlook: refresh the token: %w", err)
}

// userMustReconnect: Microsoft's answers after which only a new sign-in helps.
func userMustReconnect(code string) bool {
	return code == "invalid_grant" || code == "interaction_required" || code == "consent_required"
}

// temporary reports failures that may pass: Microsoft's temporarily_unavailable and server
// errors, timeouts and network errors.
func temporary(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode == "temporarily_unavailable" {
			return true
		}
		return re.Response != nil && re.Response.StatusCode >= 500
	}
	// Anything else did not get an answer from Microsoft: a network error or a timeout.
	return true
}

// backoff is the rest after n consecutive failures.
func backoff(n int) time.Duration {
	d := backoffBase
	for i := 1; i < n && d < backoffMax; i++ {
		d *= 2
	}
	return min(d, backoffMax)
}
