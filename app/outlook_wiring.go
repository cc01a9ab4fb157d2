package app

import (
	"context"
	"net/http"

	"intracal/app/outlook"
	"intracal/outlooksync"
)

// The app's side of the Outlook wiring (app/outlook): the options main and the tests pass,
// and what the sync and the tests read of it.

// WithGraph gives the app the Graph adapter's constructor (outlooksync/graph.New).
func WithGraph(f outlooksync.GraphFactory) Option { return func(a *App) { a.outlook.SetGraph(f) } }

// WithOutlookHTTPClient sets the client of the requests to Microsoft (tests, proxies).
func WithOutlookHTTPClient(hc *http.Client) Option {
	return func(a *App) { a.outlook.SetHTTPClient(hc) }
}

// WithSyncNow gives "Sync now" something to run.
func WithSyncNow(fn func(ctx context.Context, userID int64) error) Option {
	return func(a *App) { a.outlook.SetSyncNow(fn) }
}

// OutlookConnections is the store of users' Outlook connections, for the sync.
func (a *App) OutlookConnections() *outlooksync.Connections { return a.outlook.Connections() }

// SetSyncNow wires "Sync now" after the app is built (the scheduler needs the app first).
func (a *App) SetSyncNow(fn func(ctx context.Context, userID int64) error) { a.outlook.SetSyncNow(fn) }

// OutlookGraph returns a Graph client for a user's mailbox, with the token source that
// refreshes and stores the connection's tokens.
func (a *App) OutlookGraph(ctx context.Context, userID int64) (outlooksync.Graph, error) {
	return a.outlook.Graph(ctx, userID)
}

// OutlookTargets is what the sync scheduler needs of the connections.
func (a *App) OutlookTargets() outlooksync.Targets { return a.outlook.Targets() }

// setupSync builds the sync once the options are in (it needs the Graph adapter that main
// passes with WithGraph) and, when there is a scheduler, makes it background work.
func (a *App) setupSync() {
	a.syncStore = outlooksync.NewStore(a.db)
	a.sync = outlook.NewSync(a.outlook, a.store, a.syncStore, a.people, outlook.SyncConfig{
		Interval: a.cfg.SyncInterval, PushedInterval: a.cfg.PushedInterval, Push: a.cfg.OutlookPush,
		Log: a.log, Now: a.now})
	if a.sync.Scheduled() {
		a.Background("outlook sync", a.sync.Run)
		a.Background("outlook subscriptions", a.sync.RunPush)
	}
}
