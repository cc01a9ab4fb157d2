package outlooksync

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// ConnectionState is where a user's link to Outlook stands. A user without a connection row
// is disconnected.
type ConnectionState string

const (
	StateDisconnected   ConnectionState = "disconnected"
	StateConnected      ConnectionState = "connected"
	StateNeedsReconnect ConnectionState = "needs_reconnect"
)

// Connection is a user's link to one Outlook mailbox, without its tokens.
type Connection struct {
	UserID      int64
	Account     Account
	TenantID    string
	State       ConnectionState
	TokenExpiry time.Time
	DeltaLink   string
	LastSyncAt  *time.Time
	LastError   string
	LastErrorAt *time.Time
	// RetryAt is when a temporarily failing connection is tried again; nil when it is not
	// backing off.
	RetryAt   *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Failing reports whether the connection needs someone's attention: its user must reconnect
// or its last attempt failed.
func (c Connection) Failing() bool {
	return c.State == StateNeedsReconnect || c.LastError != ""
}

// UserIDs are the users of the connections, in their order.
func UserIDs(conns []Connection) []int64 {
	ids := make([]int64, len(conns))
	for i, c := range conns {
		ids[i] = c.UserID
	}
	return ids
}

// Errors of the connection store and the token source.
var (
	ErrNotConnected = errors.New("outlook: not connected")
	// ErrAccountTaken: the Outlook account is linked to another user of the site already.
	ErrAccountTaken = errors.New("outlook: this Outlook account is connected to another user")
	// ErrAppRefused: Microsoft refused the site's app registration (client id or secret).
	// Reconnecting does not help; an administrator must fix the System Properties.
	ErrAppRefused = errors.New("outlook: Microsoft refused the site's app credentials")
)

// BackoffError says that refreshing the connection's token failed for a reason that may pass
// (Microsoft unavailable, a network error) and when to try again.
type BackoffError struct {
	RetryAt time.Time
	Err     error
}

func (e *BackoffError) Error() string {
	return fmt.Sprintf("outlook: sign-in temporarily unavailable, retry after %s: %v", e.RetryAt.UTC().Format(time.RFC3339), e.Err)
}

func (e *BackoffError) Unwrap() error { return e.Err }

// GraphFactory builds the Graph client of one mailbox from the Graph base URL, the
// mailbox's token source and the HTTP client to use; outlooksync/graph.New is one (main
// passes it in, so that the web app and its tests do not build the Graph SDK).
type GraphFactory func(baseURL string, ts oauth2.TokenSource, hc *http.Client) (Graph, error)
