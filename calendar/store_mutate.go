package calendar

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// access is what a change needs of the viewer.
type access int

const (
	accessEdit access = iota // organizer or administrator
	accessSee                // anyone who can see the event; the change checks the rest
)

// mutate loads an event, checks access and the expected version, applies fn and saves the
// result. With no expected version a conflict from a concurrent change is retried for
// changes that only add to the event (invitations); edits report it. Answers do not come
// here: they write the answering person's rows alone (Store.Answer).
//
// also, when not nil, gives what else the save writes in its transaction (Store.save), for
// the event as fn left it.
func (s *Store) mutate(ctx context.Context, v Viewer, id int64, expect *int, need access, retry bool, fn func(e *Event) error,
	also func(e *Event) func(tx *gorm.DB) error) (*Event, error) {
	for attempt := 0; ; attempt++ {
		e, err := s.load(ctx, s.db, id)
		if err != nil {
			return nil, err
		}
		if err := s.checkSees(ctx, s.db, v, e); err != nil {
			return nil, err
		}
		if need == accessEdit && !e.CanEdit(v) {
			return nil, forbidden("Only the organizer or a site administrator can change this event.")
		}
		if expect != nil && *expect != e.Version {
			return nil, &ConflictError{CurrentVersion: e.Version}
		}
		if err := fn(e); err != nil {
			return nil, err
		}
		var write func(tx *gorm.DB) error
		if also != nil {
			write = also(e)
		}
		err = s.save(ctx, e, write)
		if err == nil {
			return e, nil
		}
		if !retry || expect != nil || !errors.Is(err, ErrConflict) || attempt >= 4 {
			return nil, err
		}
	}
}

// Edit applies a scoped change to an event. expect, when set, is the version the caller saw.
func (s *Store) Edit(ctx context.Context, v Viewer, id int64, expect *int, scope Scope, instance time.Time, ch Change) (*Event, EditResult, error) {
	var res EditResult
	e, err := s.mutate(ctx, v, id, expect, accessEdit, false, func(e *Event) error {
		var err error
		res, err = e.Edit(scope, instance, ch)
		return err
	}, nil)
	if err != nil {
		return nil, res, err
	}
	return e.ViewFor(v), res, nil
}

// Delete removes instances of an event with a scope; it reports whether the whole event went.
func (s *Store) Delete(ctx context.Context, v Viewer, id int64, expect *int, scope Scope, instance time.Time) (bool, error) {
	whole := false
	_, err := s.mutate(ctx, v, id, expect, accessEdit, false, func(e *Event) error {
		var err error
		whole, err = e.Delete(scope, instance, s.now())
		return err
	}, nil)
	return whole, err
}

// Invite invites users to all instances or to one.
func (s *Store) Invite(ctx context.Context, v Viewer, id int64, userIDs []int64, scope Scope, instance time.Time) (*Event, error) {
	e, err := s.mutate(ctx, v, id, nil, accessEdit, true, func(e *Event) error {
		if err := s.checkSpaceInvitees(ctx, e.CalendarID, userIDs); err != nil {
			return err
		}
		return e.Invite(userIDs, scope, instance)
	}, nil)
	if err != nil {
		return nil, err
	}
	return e.ViewFor(v), nil
}

// Replace saves an event that a trusted caller (the sync) changed, if its version is still
// the stored one.
func (s *Store) Replace(ctx context.Context, e *Event) error {
	return s.save(ctx, e, nil)
}

// ReplaceWith saves e like Replace and runs also, when not nil, in the same transaction:
// what also writes is stored with the event or not at all.
func (s *Store) ReplaceWith(ctx context.Context, e *Event, also func(tx *gorm.DB) error) error {
	return s.save(ctx, e, also)
}
