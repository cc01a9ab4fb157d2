package app

import (
	"intracal/app/outlook"
	"intracal/outlooksync/publish"
)

// The app's side of publishing spaces into members' Outlook (outlooksync/publish): the
// option main passes, and the background cycle.

// WithAppMailbox gives the app the constructor of a mailbox reached as the app itself
// (outlooksync/graph.NewForUser), with which published spaces are written into members'
// Outlook.
func WithAppMailbox(f publish.AppMailboxFactory) Option {
	return func(a *App) { a.outlook.SetAppMailbox(f) }
}

// Publisher is the publication of spaces, nil when the program cannot reach Graph.
func (a *App) Publisher() *publish.Publisher { return a.publisher }

// setupPublish builds the publication once the sync is built (its metrics and its counted
// HTTP client are shared) and makes it background work.
func (a *App) setupPublish() {
	a.publisher = outlook.NewPublisher(a.outlook, a.store, a.publish, a.people, a.sync,
		outlook.SyncConfig{Interval: a.cfg.SyncInterval, PushedInterval: a.cfg.PushedInterval, Log: a.log, Now: a.now})
	if a.publisher != nil {
		a.Background("space publishing", a.publisher.Run)
	}
}
