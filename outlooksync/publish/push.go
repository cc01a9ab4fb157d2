package publish

import (
	"context"
	"errors"

	"intracal/outlooksync"
)

// WatchSpaceCalendar is the kind of watched calendar (outlooksync.Push) of a member's
// calendar of a published space: a change notification there (the member changed or deleted
// a copy) makes the target due now, and the cycle it kicks writes the copies back within
// seconds instead of at the next check.
const WatchSpaceCalendar = "space_calendar"

// Watched is the members' calendars of the published spaces as a kind of watched calendar.
func (p *Publisher) Watched() outlooksync.Watched { return spaceWatch{p} }

type spaceWatch struct{ p *Publisher }

func (w spaceWatch) Owners(ctx context.Context) ([]int64, error) { return w.p.Store.Watchable(ctx) }

func (w spaceWatch) Subscriber(ctx context.Context, id int64) (outlooksync.Subscriber, error) {
	t, err := w.p.Store.Target(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Mailbox == "" || t.CalendarID == "" {
		return nil, errors.New("the space's calendar is not in the member's mailbox yet")
	}
	mb, err := w.p.Mailboxes(ctx, t.Mailbox)
	if err != nil {
		return nil, err
	}
	sub, ok := mb.Calendar(t.CalendarID).(outlooksync.Subscriber)
	if !ok {
		return nil, errors.New("this Graph client cannot subscribe to changes")
	}
	return sub, nil
}

func (w spaceWatch) Changed(ctx context.Context, id int64) error {
	if err := w.p.Store.Notified(ctx, id, w.p.Now()); err != nil {
		return err
	}
	w.p.Kick()
	return nil
}
