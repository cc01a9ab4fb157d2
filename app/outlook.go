package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/app/properties"
	"intracal/config/secrets"
	"intracal/outlooksync"
)

// Connect to Outlook: the web app's side. Employees link My Calendar to their
// Outlook mailbox with the OAuth2 authorization-code flow (PKCE, a state bound to their
// session); the tokens live sealed in outlooksync's connection store. The Graph adapter is
// passed in by main (WithGraph), so this package and its tests never build the Graph SDK.

// outlookFeature holds what Connect to Outlook needs besides the rest of the app.
type outlookFeature struct {
	conns    *outlooksync.Connections
	states   *oauthStates
	newGraph outlooksync.GraphFactory
	// http carries the requests to the identity platform and Graph.
	http *http.Client
	// syncNow runs one sync of a user's connection at once ("Sync now"); nil until the sync
	// is wired in, and then the button answers that sync is not available yet.
	syncNow func(ctx context.Context, userID int64) error
}

func newOutlookFeature(db *gorm.DB, box *secrets.Box, now func() time.Time) *outlookFeature {
	return &outlookFeature{
		conns:  outlooksync.NewConnections(db, box, now),
		states: &oauthStates{db: db, box: box, now: now},
		http:   &http.Client{Timeout: 30 * time.Second},
	}
}

// WithGraph gives the app the Graph adapter's constructor (outlooksync/graph.New).
func WithGraph(f outlooksync.GraphFactory) Option { return func(a *App) { a.outlook.newGraph = f } }

// WithOutlookHTTPClient sets the client of the requests to Microsoft (tests, proxies).
func WithOutlookHTTPClient(hc *http.Client) Option { return func(a *App) { a.outlook.http = hc } }

// WithSyncNow gives "Sync now" something to run.
func WithSyncNow(fn func(ctx context.Context, userID int64) error) Option {
	return func(a *App) { a.outlook.syncNow = fn }
}

// OutlookConnections is the store of users' Outlook connections, for the sync.
func (a *App) OutlookConnections() *outlooksync.Connections { return a.outlook.conns }

// SetSyncNow wires "Sync now" after the app is built (the scheduler needs the app first).
func (a *App) SetSyncNow(fn func(ctx context.Context, userID int64) error) { a.outlook.syncNow = fn }

// oauthApp is the site's app registration as the System Properties describe it, signing in
// through tenant.
func (a *App) oauthApp(s properties.OutlookSettings, tenant string) outlooksync.OAuthApp {
	return outlooksync.OAuthApp{
		ClientID:     s.ClientID,
		ClientSecret: s.ClientSecret,
		Tenant:       tenant,
		LoginURL:     a.cfg.MSLoginURL,
		RedirectURL:  a.redirectURL(),
	}
}

// redirectURL is where Microsoft sends users back: the site URL plus the callback path, the
// value administrators register in Entra.
func (a *App) redirectURL() string { return a.cfg.SiteURL.String() + outlookCallbackPath }

const (
	outlookConnectPath  = "/outlook/connect"
	outlookCallbackPath = "/oauth2/outlook/callback"
)

// errNoGraph means the program was built without the Graph adapter (a test app).
var errNoGraph = errors.New("outlook: this program has no Graph client (main passes it with app.WithGraph)")

// OutlookGraph returns a Graph client for a user's mailbox, with the token source that
// refreshes and stores the connection's tokens.
func (a *App) OutlookGraph(ctx context.Context, userID int64) (outlooksync.Graph, error) {
	if a.outlook.newGraph == nil {
		return nil, errNoGraph
	}
	settings, err := a.props.OutlookSettings(ctx)
	if err != nil {
		return nil, err
	}
	if !settings.Ready() {
		return nil, fmt.Errorf("outlook: sync is not set up: %v", settings.Missing())
	}
	conf := a.oauthApp(settings, settings.Tenant()).Config()
	ts := a.outlook.conns.TokenSource(userID, conf, a.outlook.http)
	return a.outlook.newGraph(a.cfg.MSGraphURL.String(), ts, a.outlook.http)
}

// OutlookTargets is what the sync scheduler needs of the connections.
func (a *App) OutlookTargets() outlooksync.Targets { return outlookTargets{a} }

type outlookTargets struct{ a *App }

var _ outlooksync.Targets = outlookTargets{}

// Connected lists the users to sync: none while sync is switched off or not set up.
func (t outlookTargets) Connected(ctx context.Context) ([]int64, error) {
	settings, err := t.a.props.OutlookSettings(ctx)
	if err != nil || !settings.Ready() {
		return nil, err
	}
	list, err := t.a.outlook.conns.Connected(ctx)
	if err != nil {
		return nil, err
	}
	return t.a.users.ActiveIDs(ctx, outlooksync.UserIDs(list))
}

func (t outlookTargets) Graph(ctx context.Context, userID int64) (outlooksync.Graph, error) {
	return t.a.OutlookGraph(ctx, userID)
}

// Record notes a cycle's outcome. A refused grant was recorded by the token source already,
// with its state; a connection removed meanwhile has nothing to record.
func (t outlookTargets) Record(ctx context.Context, userID int64, at time.Time, cycleErr error) error {
	var backoff *outlooksync.BackoffError
	if errors.Is(cycleErr, outlooksync.ErrReconnectNeeded) || errors.Is(cycleErr, outlooksync.ErrAppRefused) ||
		errors.As(cycleErr, &backoff) {
		return nil // the token source stored a message that says what to do
	}
	err := t.a.outlook.conns.RecordSync(ctx, userID, at, cycleErr)
	if errors.Is(err, outlooksync.ErrNotConnected) {
		return nil
	}
	return err
}

// staticToken is the token source of the sign-in itself, before anything is stored.
func staticToken(tok *oauth2.Token) oauth2.TokenSource { return oauth2.StaticTokenSource(tok) }
