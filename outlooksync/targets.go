package outlooksync

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// ConnectionTargets are the scheduler's targets: the mailboxes of the connection store, each
// reached through the Graph adapter with the connection's refreshing token source.
type ConnectionTargets struct {
	Conns    *Connections
	NewGraph GraphFactory
	GraphURL string
	HTTP     *http.Client // nil: http.DefaultClient
	// OAuth returns the app registration as the System Properties hold it now.
	OAuth   func(ctx context.Context) (*oauth2.Config, error)
	Metrics *Metrics
}

var _ Targets = (*ConnectionTargets)(nil)

// Connected lists the users whose connections can sync now.
func (t *ConnectionTargets) Connected(ctx context.Context) ([]int64, error) {
	cs, err := t.Conns.Connected(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.UserID
	}
	return ids, nil
}

// Graph returns the Graph client of the user's mailbox.
func (t *ConnectionTargets) Graph(ctx context.Context, userID int64) (Graph, error) {
	conf, err := t.OAuth(ctx)
	if err != nil {
		return nil, fmt.Errorf("outlook app registration: %w", err)
	}
	hc := t.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	counted := &http.Client{Transport: t.Metrics.Transport(hc.Transport), Timeout: hc.Timeout}
	return t.NewGraph(t.GraphURL, t.Conns.TokenSource(userID, conf, hc), counted)
}

// Record stores a cycle's outcome on the connection.
func (t *ConnectionTargets) Record(ctx context.Context, userID int64, at time.Time, cycleErr error) error {
	return t.Conns.RecordSync(ctx, userID, at, cycleErr)
}
