package calendar

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Answer records the viewer's answer for one instance, for an instance and those after it,
// or for all, normalised as Event.SetRSVP normalises it. It writes the viewer's own answer
// rows alone, and neither the event's version nor its updated time: an answer is no change
// of the event, so it never conflicts with an edit or with someone else's answer, and it
// costs the same however many people are invited or have answered.
//
// Answers to one event, and saves of it, take turns on the event's row: the first statement
// is an update of the row that changes nothing but holds it until the commit, as a save's
// version update does. Everything the answer checks (the schedule, the viewer's invitations
// and earlier answers) is read after that, so two answers of one person never both keep a
// row the other replaced, and an edit that drops an instance is never undone by an answer
// checked against the schedule before it.
func (s *Store) Answer(ctx context.Context, v Viewer, id int64, scope Scope, instance time.Time, resp Response) error {
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE events SET version = version WHERE id = ?", id)
		if res.Error != nil {
			return fmt.Errorf("lock event %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		var row eventRow
		err := tx.First(&row, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("load event %d: %w", id, err)
		}
		// Only the viewer's invitations and answers: all that CheckRSVP and the
		// normalisation look at.
		evs, err := s.assemble(ctx, tx, []eventRow{row}, childFilter{viewer: &v})
		if err != nil {
			return err
		}
		e := evs[0]
		if err := s.checkSees(ctx, tx, v, e); err != nil {
			return err
		}
		if err := e.CheckRSVP(v, scope, instance); err != nil {
			return err
		}
		a, err := e.newRSVP(v.UserID, scope, instance, resp, now)
		if err != nil {
			return err
		}
		var mine []rsvpRow
		if err := tx.Where("event_id = ? AND user_id = ?", id, v.UserID).Order("id").Find(&mine).Error; err != nil {
			return fmt.Errorf("read answers of user %d to event %d: %w", v.UserID, id, err)
		}
		var replaced []int64
		for _, r := range mine {
			if supersedes(a, fromRSVPRow(r)) {
				replaced = append(replaced, r.ID)
			}
		}
		if err := deleteIDs(tx, &rsvpRow{}, replaced); err != nil {
			return fmt.Errorf("remove answers of user %d to event %d: %w", v.UserID, id, err)
		}
		r := toRSVPRow(id, a)
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("write answer of user %d to event %d: %w", v.UserID, id, err)
		}
		return nil
	})
}

// SetRSVP records the viewer's answer (Answer) and returns the event as the viewer may see
// it now. Reading the event back costs what the event holds; callers that need no event
// call Answer.
func (s *Store) SetRSVP(ctx context.Context, v Viewer, id int64, scope Scope, instance time.Time, resp Response) (*Event, error) {
	if err := s.Answer(ctx, v, id, scope, instance, resp); err != nil {
		return nil, err
	}
	return s.Get(ctx, v, id)
}
