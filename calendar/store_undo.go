package calendar

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PartCopies is what an undo asks of whoever keeps copies of an event's parts outside the
// calendar, by segment UID (the Outlook sync: its links name the Outlook series made of each
// part): which parts still have a copy that stays, read in the undo's transaction. A part an
// undo puts back that has none any more (the sync deleted its series after the delete) gets
// a new UID: the copy that was made of it is gone, and the next one must be made anew, not
// found again under the old name (Outlook may answer a create with the deleted item of the
// same name; docs/sync.md).
type PartCopies interface {
	KeptParts(tx *gorm.DB, eventID int64) (map[string]bool, error)
}

// WithPartCopies returns a copy of the store whose undos ask copies which parts are kept
// elsewhere. Without, an undo keeps every UID.
func (s *Store) WithPartCopies(copies PartCopies) *Store {
	c := *s
	c.copies = copies
	return &c
}

// DeleteUndoable deletes as Delete does and keeps, in the same transaction, what Undo needs
// to put the event back (undo.go): it may be undone by the viewer until now + UndoWindow.
// now is the caller's clock, which the undo is checked against.
func (s *Store) DeleteUndoable(ctx context.Context, v Viewer, id int64, expect *int, scope Scope, instance time.Time, now time.Time) (Deleted, error) {
	var before *Event
	d := Deleted{Token: newUID(), Until: now.Add(UndoWindow).UTC()}
	_, err := s.mutate(ctx, v, id, expect, accessEdit, false, func(e *Event) error {
		before = e.clone()
		var err error
		d.Whole, err = e.Delete(scope, instance, s.now())
		return err
	}, func(e *Event) func(tx *gorm.DB) error {
		return func(tx *gorm.DB) error { return s.keepUndo(tx, v, before, e, scope, instance, now, d) }
	})
	if err != nil {
		return Deleted{}, err
	}
	return d, nil
}

// keepUndo writes the undo of the delete that made after of before, in the delete's
// transaction once its rows are written, and drops the undos long expired.
func (s *Store) keepUndo(tx *gorm.DB, v Viewer, before, after *Event, scope Scope, instance, now time.Time, d Deleted) error {
	snap, err := encodeSnapshot(before)
	if err != nil {
		return err
	}
	// The answers as the delete stored them: those it kept and any given meanwhile.
	var rows []rsvpRow
	if err := tx.Where("event_id = ?", after.ID).Find(&rows).Error; err != nil {
		return fmt.Errorf("read answers of event %d: %w", after.ID, err)
	}
	answers := make([]RSVP, len(rows))
	for i, r := range rows {
		answers[i] = fromRSVPRow(r)
	}
	var at *time.Time
	if !instance.IsZero() {
		u := instance.UTC()
		at = &u
	}
	row := undoRow{Token: d.Token, EventID: after.ID, UserID: v.UserID, Scope: string(scope), Instance: at,
		Version: after.Version + 1, // what the save in progress writes
		Answers: answersDigest(answers), Snapshot: snap, CreatedAt: now.UTC(), ExpiresAt: d.Until}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("keep the undo of event %d: %w", after.ID, err)
	}
	if err := tx.Where("expires_at < ?", now.Add(-undoKept).UTC()).Delete(&undoRow{}).Error; err != nil {
		return fmt.Errorf("drop expired undos: %w", err)
	}
	return nil
}

// Undo puts back the event a delete of the viewer's changed, as it was before, if the undo
// is theirs, its time (now, the caller's clock, against the delete's) is not over and the
// event is still as the delete left it (its version and answers): the whole event (parts,
// instance changes, invitations, answers, categories, reminder) with its id, at a new
// version. Refusals are *UndoError.
func (s *Store) Undo(ctx context.Context, v Viewer, token string, now time.Time) (Undone, error) {
	var row undoRow
	err := s.db.WithContext(ctx).Where("token = ?", token).First(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && row.UserID != v.UserID) {
		return Undone{}, undoRefused(UndoUnknown)
	}
	if err != nil {
		return Undone{}, fmt.Errorf("find undo: %w", err)
	}
	if !now.Before(row.ExpiresAt) {
		return Undone{}, undoRefused(UndoExpired)
	}
	sn, ok := decodeSnapshot(row.Snapshot)
	if !ok {
		return Undone{}, undoRefused(UndoExpired)
	}
	cur, err := s.load(ctx, s.db, row.EventID)
	if errors.Is(err, ErrNotFound) {
		return Undone{}, undoRefused(UndoUnknown)
	}
	if err != nil {
		return Undone{}, err
	}
	if cur.Version != row.Version || answersDigest(cur.RSVPs) != row.Answers {
		return Undone{}, undoRefused(UndoChanged)
	}
	e, err := sn.event()
	if err != nil {
		return Undone{}, err
	}
	if hidden, err := s.calendarHidden(ctx, s.db, v, e.CalendarID); err != nil || hidden {
		return Undone{}, cmpOr(err, undoRefused(UndoUnknown))
	}
	if !e.CanEdit(v) {
		return Undone{}, forbidden("Only the organizer or a site administrator can change this event.")
	}
	// Saved over the event as it is now: its version, and its stored invitations and answers
	// that the save writes the difference against.
	e.Version, e.stored = cur.Version, cur.stored
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.renewLostParts(tx, e, cur); err != nil {
			return err
		}
		return s.In(tx).save(ctx, e, func(tx *gorm.DB) error {
			res := tx.Where("id = ?", row.ID).Delete(&undoRow{})
			if res.Error != nil {
				return fmt.Errorf("use undo of event %d: %w", row.EventID, res.Error)
			}
			if res.RowsAffected == 0 { // undone at the same time by another request
				return undoRefused(UndoUnknown)
			}
			return nil
		})
	})
	if errors.Is(err, ErrConflict) {
		return Undone{}, undoRefused(UndoChanged)
	}
	if err != nil {
		return Undone{}, err
	}
	u := Undone{Event: e.ViewFor(v), Scope: Scope(row.Scope)}
	if row.Instance != nil {
		u.Instance = row.Instance.UTC()
	}
	return u, nil
}

// renewLostParts gives the parts that the undo puts back, that the delete had removed (all of
// them when it deleted the event) and that no copy is kept of any more, new UIDs, in the
// undo's transaction before the event is written (PartCopies).
func (s *Store) renewLostParts(tx *gorm.DB, e, cur *Event) error {
	if s.copies == nil {
		return nil
	}
	kept, err := s.copies.KeptParts(tx, e.ID)
	if err != nil {
		return fmt.Errorf("read the copies of event %d: %w", e.ID, err)
	}
	for i, sg := range e.Segments {
		removed := cur.DeletedAt != nil || cur.SegmentIndex(sg.UID) < 0
		if removed && !kept[sg.UID] {
			e.Segments[i].UID = newUID()
		}
	}
	return nil
}
