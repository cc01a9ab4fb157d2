package outlook

import (
	"context"
	"errors"
	"time"

	"intracal/outlooksync"
)

// Targets is what the sync scheduler needs of the connections.
func (o *Outlook) Targets() outlooksync.Targets { return targets{o} }

type targets struct{ o *Outlook }

var _ outlooksync.Targets = targets{}

// Connected lists the users to sync: none while sync is switched off or not set up.
func (t targets) Connected(ctx context.Context) ([]int64, error) {
	settings, err := t.o.props.OutlookSettings(ctx)
	if err != nil || !settings.Ready() {
		return nil, err
	}
	list, err := t.o.conns.Connected(ctx)
	if err != nil {
		return nil, err
	}
	return t.o.users.ActiveIDs(ctx, outlooksync.UserIDs(list))
}

// Graph is the client of the user's mailbox (Outlook.Graph).
func (t targets) Graph(ctx context.Context, userID int64) (outlooksync.Graph, error) {
	return t.o.Graph(ctx, userID)
}

// Record notes a cycle's outcome. A refused grant was recorded by the token source already,
// with its state; a connection removed meanwhile has nothing to record.
func (t targets) Record(ctx context.Context, userID int64, at time.Time, cycleErr error) error {
	var backoff *outlooksync.BackoffError
	if errors.Is(cycleErr, outlooksync.ErrReconnectNeeded) || errors.Is(cycleErr, outlooksync.ErrAppRefused) ||
		errors.As(cycleErr, &backoff) {
		return nil // the token source stored a message that says what to do
	}
	err := t.o.conns.RecordSync(ctx, userID, at, cycleErr)
	if errors.Is(err, outlooksync.ErrNotConnected) {
		return nil
	}
	return err
}
