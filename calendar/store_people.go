package calendar

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// In returns the store working inside the transaction tx, sharing this store's listing
// cache: a change made through it bumps the versions of the events it touches, so the cache
// stays right once tx commits.
func (s *Store) In(tx *gorm.DB) *Store {
	c := *s
	c.db = tx
	return &c
}

// PersonRemoved says what RemovePerson did.
type PersonRemoved struct {
	EventsDeleted      int64 // events the person organized, or that were in their My Calendar
	InvitationsRemoved int64 // their invitations
	AnswersRemoved     int64 // their answers
}

// RemovePerson takes a deleted account out of the calendar: the events they organize, or
// that live in their My Calendar, are deleted as "delete all" does (kept as tombstones, as
// every deleted event is), and their invitations and answers are removed, each live event
// touched getting a new version (that is how the listing cache and the organizer's sync see
// the change: the sync then removes the person from the Outlook meeting). Their calendar row
// stays, since the deleted events still point at it.
func (s *Store) RemovePerson(ctx context.Context, userID int64) (PersonRemoved, error) {
	var out PersonRemoved
	now := s.now().UTC()
	db := s.db.WithContext(ctx)
	own := db.Model(&calendarRow{}).Select("id").Where("kind = ? AND owner_user_id = ?", "user", userID)
	res := db.Model(&eventRow{}).Where("deleted_at IS NULL").
		Where("organizer_id = ? OR calendar_id IN (?)", userID, own).
		Updates(map[string]any{"deleted_at": now, "updated_at": now, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return out, fmt.Errorf("delete the events of user %d: %w", userID, res.Error)
	}
	out.EventsDeleted = res.RowsAffected

	// The live events that still name the person get a new version first, then lose the rows.
	touched := db.Model(&eventRow{}).Where("deleted_at IS NULL").Where("id IN (?) OR id IN (?)",
		db.Model(&invitationRow{}).Select("event_id").Where("user_id = ?", userID),
		db.Model(&rsvpRow{}).Select("event_id").Where("user_id = ?", userID))
	if err := touched.Updates(map[string]any{"updated_at": now, "version": gorm.Expr("version + 1")}).Error; err != nil {
		return out, fmt.Errorf("touch the events user %d is invited to: %w", userID, err)
	}
	res = db.Where("user_id = ?", userID).Delete(&invitationRow{})
	if res.Error != nil {
		return out, fmt.Errorf("remove the invitations of user %d: %w", userID, res.Error)
	}
	out.InvitationsRemoved = res.RowsAffected
	res = db.Where("user_id = ?", userID).Delete(&rsvpRow{})
	if res.Error != nil {
		return out, fmt.Errorf("remove the answers of user %d: %w", userID, res.Error)
	}
	out.AnswersRemoved = res.RowsAffected
	// Their memberships go too; a space they administered alone is looked after by the
	// site administrators (Space.CanManage).
	if err := db.Where("user_id = ?", userID).Delete(&spaceMemberRow{}).Error; err != nil {
		return out, fmt.Errorf("remove the space memberships of user %d: %w", userID, err)
	}
	return out, nil
}
