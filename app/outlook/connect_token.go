package outlook

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/outlooksync"
)

// MicrosoftAccount is the Microsoft account a person signs in to the site with
// (app/signin): its tenant and username, which Connect to Outlook signs in through and
// hints, so the person types nothing.
type MicrosoftAccount func(ctx context.Context, userID int64) (tenant, username string, ok bool, err error)

// SetMicrosoftAccount gives Connect the people's Microsoft sign-in accounts.
func (o *Outlook) SetMicrosoftAccount(f MicrosoftAccount) { o.msAccount = f }

// signInHint is the tenant to sign in through and the login_hint for v: the account v signs
// in to the site with (through its own tenant, for a multitenant app), else v's address.
func (o *Outlook) signInHint(ctx context.Context, s properties.OutlookSettings, v accounts.Viewer) (tenant, hint string, err error) {
	tenant, hint = s.Tenant(), v.Email
	if o.msAccount == nil {
		return tenant, hint, nil
	}
	t, username, ok, err := o.msAccount(ctx, v.UserID)
	if err != nil || !ok {
		return tenant, hint, err
	}
	if !s.UseSAMLTenant && isTenantID(t) {
		tenant = t
	}
	return tenant, username, nil
}

// ConnectReady reports whether Connect to Outlook works now (app/signin asks before it
// requests the calendar in the same consent as the sign-in).
func (o *Outlook) ConnectReady(ctx context.Context) (bool, error) {
	s, err := o.props.OutlookSettings(ctx)
	if err != nil {
		return false, err
	}
	return s.Ready() && o.newGraph != nil, nil
}

// errMailboxUnreadable means Microsoft signed the person in but Graph did not tell whose
// mailbox it is.
type errMailboxUnreadable struct{ err error }

func (e *errMailboxUnreadable) Error() string { return "outlook: read the mailbox: " + e.err.Error() }
func (e *errMailboxUnreadable) Unwrap() error { return e.err }

// ConnectWithToken connects a person's Outlook with tokens Microsoft issued for the Outlook
// scopes (the sign-in's own, at Sign in with Microsoft), and returns the account's label.
func (o *Outlook) ConnectWithToken(ctx context.Context, userID int64, tok *oauth2.Token, tenant string) (string, error) {
	if tok.RefreshToken == "" {
		return "", errors.New("outlook: Microsoft returned no refresh token (is offline_access granted?)")
	}
	acct, err := o.connectWithToken(ctx, userID, tok, tenant)
	return acct.Label(), err
}

// connectWithToken reads the mailbox tok reaches and stores its connection for userID.
func (o *Outlook) connectWithToken(ctx context.Context, userID int64, tok *oauth2.Token, tenant string) (outlooksync.Account, error) {
	if o.newGraph == nil {
		return outlooksync.Account{}, errNoGraph
	}
	g, err := o.newGraph(o.graphURL.String(), staticToken(tok), o.http)
	if err != nil {
		return outlooksync.Account{}, err
	}
	acct, err := g.Me(ctx)
	if err != nil {
		o.log.Warn("outlook connect: reading the mailbox failed", "user", userID, "err", err)
		return outlooksync.Account{}, &errMailboxUnreadable{err}
	}
	tid := outlooksync.TokenTenant(tok)
	if tid == "" && isTenantID(tenant) {
		tid = strings.ToLower(tenant)
	}
	if err := o.conns.Connect(ctx, userID, acct, tid, tok); err != nil {
		if errors.Is(err, outlooksync.ErrAccountTaken) {
			return acct, err
		}
		return acct, fmt.Errorf("outlook connect: %w", err)
	}
	o.log.Info("outlook connected", "user", userID, "account", acct.Label())
	if o.connected != nil {
		o.connected() // subscribe to the mailbox's changes now, not at the next pass
	}
	return acct, nil
}
