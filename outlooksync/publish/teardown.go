package publish

import (
	"context"
	"errors"
	"fmt"

	"intracal/outlooksync"
)

// teardown takes a target's copies out of its mailbox (the member left the space, or the
// space is no longer published or is gone) and forgets the target. Only items with the
// space's marker are deleted; the calendar goes too when nothing else is left in it, so an
// item the member put there, or a calendar of theirs that was found by name, stays.
func (p *Publisher) teardown(ctx context.Context, j job) RunOutcome {
	t := j.target
	why := "The member left the space: the copies were removed from their Outlook"
	switch {
	case j.space == nil:
		why = "The space was deleted: the copies were removed from the member's Outlook"
	case !p.isPublished(ctx, t.SpaceID):
		why = "The space is no longer published: the copies were removed from the member's Outlook"
	}
	if t.Mailbox != "" && t.CalendarID != "" {
		if err := p.empty(ctx, t); err != nil {
			return RunOutcome{Err: p.failed(ctx, t, nil, nil, err)}
		}
	}
	h := []HistoryEntry{{UserID: t.UserID, At: p.Now().UTC(), Summary: why, Detail: t.Mailbox}}
	if err := p.Store.Remove(ctx, t, h); err != nil {
		return RunOutcome{Err: err}
	}
	return RunOutcome{Removed: true}
}

func (p *Publisher) isPublished(ctx context.Context, spaceID int64) bool {
	on, err := p.Store.Published(ctx, spaceID)
	return err == nil && on
}

// empty deletes the space's copies from the target's calendar, and the calendar when it
// holds nothing else. A mailbox or calendar that is gone is empty.
func (p *Publisher) empty(ctx context.Context, t Target) error {
	mb, err := p.Mailboxes(ctx, t.Mailbox)
	if err != nil {
		return fmt.Errorf("reach the mailbox of %s: %w", t.Mailbox, err)
	}
	cal := mb.Calendar(t.CalendarID)
	remote, err := cal.Items(ctx)
	if errors.Is(err, outlooksync.ErrRemoteNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list the space's calendar of %s: %w", t.Mailbox, err)
	}
	var ops []outlooksync.Op
	for _, ev := range remote {
		if ours(t.SpaceID, ev.Marker) {
			ops = append(ops, outlooksync.Op{Kind: outlooksync.OpDelete, ID: ev.ID})
		}
	}
	var errs []error
	for i, res := range cal.Apply(ctx, ops) {
		if res.Err != nil && !errors.Is(res.Err, outlooksync.ErrRemoteNotFound) {
			errs = append(errs, fmt.Errorf("delete %s: %w", ops[i].ID, res.Err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if len(ops) < len(remote) {
		return nil // the member's own items stay, and their calendar with them
	}
	if err := mb.DeleteCalendar(ctx, t.CalendarID); err != nil && !errors.Is(err, outlooksync.ErrRemoteNotFound) {
		return fmt.Errorf("delete the space's calendar of %s: %w", t.Mailbox, err)
	}
	return nil
}
