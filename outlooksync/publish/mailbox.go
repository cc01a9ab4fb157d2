package publish

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"

	"intracal/outlooksync"
)

// Mailbox is what publishing needs of one member's mailbox, reached by the app signed in as
// itself: the space's calendar there, found or made by name, and deleted when the member
// loses it. outlooksync/graph implements it (a client from graph.NewForUser).
type Mailbox interface {
	// EnsureCalendar returns the id of the mailbox's calendar of that name (ignoring case),
	// creating it when there is none.
	EnsureCalendar(ctx context.Context, name string) (string, error)
	// RenameCalendar gives a calendar another name.
	RenameCalendar(ctx context.Context, id, name string) error
	// DeleteCalendar deletes a calendar and the items in it.
	DeleteCalendar(ctx context.Context, id string) error
	// Calendar is the events of one calendar of the mailbox.
	Calendar(id string) Calendar
}

// Calendar is the events of one calendar of a mailbox.
type Calendar interface {
	// Items lists the series masters and single events with their change keys and markers;
	// a calendar that is gone is outlooksync.ErrRemoteNotFound.
	Items(ctx context.Context) ([]outlooksync.RemoteEvent, error)
	// Instances lists a series' occurrences and exceptions in the window.
	Instances(ctx context.Context, masterID string, w outlooksync.Window) ([]outlooksync.RemoteEvent, error)
	// InstancesOf lists the occurrences and exceptions in the window of several series at
	// once ($batch).
	InstancesOf(ctx context.Context, masterIDs []string, w outlooksync.Window) (map[string][]outlooksync.RemoteEvent, error)
	// Apply creates, changes and deletes items there, batched as outlooksync.Graph.Apply.
	Apply(ctx context.Context, ops []outlooksync.Op) []outlooksync.OpResult
}

// MailboxFactory reaches a member's mailbox by e-mail address.
type MailboxFactory func(ctx context.Context, address string) (Mailbox, error)

// AppMailboxFactory builds the client of a mailbox reached by the app signed in as itself:
// the Graph base URL, the app's own token source, the HTTP client, the member's address
// (outlooksync/graph.NewForUser, passed in by main).
type AppMailboxFactory func(baseURL string, ts oauth2.TokenSource, hc *http.Client, address string) (Mailbox, error)
