package outlook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/config"
	"intracal/config/secrets"
	"intracal/outlooksync"
	"intracal/outlooksync/publish"
)

// Connect to Outlook: the web app's side. Employees link My Calendar to their
// Outlook mailbox with the OAuth2 authorization-code flow (PKCE, a state bound to their
// session); the tokens live sealed in outlooksync's connection store. The Graph adapter is
// passed in by main (app.WithGraph), so this package and its tests never build the Graph SDK.

// Outlook is the wiring of Connect to Outlook: the connection store, the sign-ins under way,
// the site's app registration (from the System Properties) and the Graph adapter main passes
// in. The handlers of this package and the sync scheduler's targets share it.
type Outlook struct {
	conns    *outlooksync.Connections
	states   *oauthStates
	props    *properties.Store
	users    *accounts.Users
	log      *slog.Logger
	siteURL  *url.URL // the site's address, of the connect and callback URLs
	loginURL *url.URL // the identity platform's
	graphURL *url.URL
	newGraph outlooksync.GraphFactory
	// newAppMailbox reaches a mailbox as the app itself (publishing), and appTokens is the
	// app's own token shared by those mailboxes.
	newAppMailbox publish.AppMailboxFactory
	appTokens     appTokens
	// http carries the requests to the identity platform and Graph.
	http *http.Client
	// syncNow runs one sync of a user's connection at once ("Sync now"); nil until the sync
	// is wired in, and then the button answers that sync is not available yet.
	syncNow func(ctx context.Context, userID int64) error
	// unsubscribe deletes a user's change notification subscription before a disconnect
	// forgets the tokens; nil without the sync.
	unsubscribe func(ctx context.Context, userID int64) error
	// connected is told of each new connection; nil without the sync.
	connected func()
	// msAccount finds the Microsoft account a person signs in with; nil without the sign-in.
	msAccount MicrosoftAccount
}

// New is the Outlook wiring of the site cfg describes (its address, Microsoft's endpoints),
// with the connections sealed by box, the site's app registration read from props and the
// people from users.
func New(cfg config.Config, db *gorm.DB, box *secrets.Box, props *properties.Store, users *accounts.Users,
	log *slog.Logger, now func() time.Time) *Outlook {
	return &Outlook{
		conns:    outlooksync.NewConnections(db, box, now),
		states:   &oauthStates{db: db, box: box, now: now},
		props:    props,
		users:    users,
		log:      log,
		siteURL:  cfg.SiteURL,
		loginURL: cfg.MSLoginURL,
		graphURL: cfg.MSGraphURL,
		http:     &http.Client{Timeout: 30 * time.Second},
	}
}

// SetGraph gives the wiring the Graph adapter's constructor (outlooksync/graph.New).
func (o *Outlook) SetGraph(f outlooksync.GraphFactory) { o.newGraph = f }

// HasGraph reports whether the program was built with the Graph adapter.
func (o *Outlook) HasGraph() bool { return o.newGraph != nil }

// SetHTTPClient sets the client of the requests to Microsoft (tests, proxies).
func (o *Outlook) SetHTTPClient(hc *http.Client) { o.http = hc }

// HTTPClient is the client of the requests to Microsoft.
func (o *Outlook) HTTPClient() *http.Client { return o.http }

// Connections is the store of users' Outlook connections.
func (o *Outlook) Connections() *outlooksync.Connections { return o.conns }

// SetSyncNow gives "Sync now" something to run; nil makes it answer that sync is not
// available.
func (o *Outlook) SetSyncNow(fn func(ctx context.Context, userID int64) error) { o.syncNow = fn }

// ForgetSignIns removes, inside tx, the sign-ins under way of a user whose account is
// deleted (an accounts.ForgetFunc).
func (o *Outlook) ForgetSignIns(ctx context.Context, tx *gorm.DB, userID int64) error {
	return o.states.deleteForUser(ctx, tx, userID)
}

// oauthApp is the site's app registration as the System Properties describe it, signing in
// through tenant.
func (o *Outlook) oauthApp(s properties.OutlookSettings, tenant string) outlooksync.OAuthApp {
	return outlooksync.OAuthApp{
		ClientID:     s.ClientID,
		ClientSecret: s.ClientSecret,
		Tenant:       tenant,
		LoginURL:     o.loginURL,
		RedirectURL:  o.redirectURL(),
	}
}

// redirectURL is where Microsoft sends users back: the site URL plus the callback path, the
// value administrators register in Entra.
func (o *Outlook) redirectURL() string { return o.siteURL.String() + CallbackPath }

// The paths of Connect to Outlook: the start of the sign-in, and where Microsoft sends the
// user back.
const (
	ConnectPath  = "/outlook/connect"
	CallbackPath = "/oauth2/outlook/callback"
)

// errNoGraph means the program was built without the Graph adapter (a test app).
var errNoGraph = errors.New("outlook: this program has no Graph client (main passes it with app.WithGraph)")

// Graph returns a Graph client for a user's mailbox, with the token source that refreshes
// and stores the connection's tokens.
func (o *Outlook) Graph(ctx context.Context, userID int64) (outlooksync.Graph, error) {
	if o.newGraph == nil {
		return nil, errNoGraph
	}
	settings, err := o.props.OutlookSettings(ctx)
	if err != nil {
		return nil, err
	}
	if !settings.Ready() {
		return nil, fmt.Errorf("outlook: sync is not set up: %v", settings.Missing())
	}
	conf := o.oauthApp(settings, settings.Tenant()).Config()
	ts := o.conns.TokenSource(userID, conf, o.http)
	return o.newGraph(o.graphURL.String(), ts, o.http)
}

// staticToken is the token source of the sign-in itself, before anything is stored.
func staticToken(tok *oauth2.Token) oauth2.TokenSource { return oauth2.StaticTokenSource(tok) }
