package calendar

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SpaceToPublish is what publishing a space into its members' Outlook reads of it.
type SpaceToPublish struct {
	Space   Space
	Members []SpaceMember
	// Events are the space's live events with instances in the window, whole; the
	// publisher shows each member only those Event.CanSee lets them see.
	Events []*Event
}

// PublishedSpace loads a space, its members and its events with instances in [from, to)
// for publishing, with no viewer: the publisher works for every member at once and applies
// each one's visibility itself. A space that does not exist (deleted) is ErrNotFound.
func (s *Store) PublishedSpace(ctx context.Context, id int64, from, to time.Time) (SpaceToPublish, error) {
	db := s.db.WithContext(ctx)
	var row spaceRow
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return SpaceToPublish{}, ErrNotFound
		}
		return SpaceToPublish{}, fmt.Errorf("load space %d: %w", id, err)
	}
	out := SpaceToPublish{Space: Space{ID: row.ID, CalendarID: row.CalendarID, Name: row.Name, Description: row.Description,
		Visibility: SpaceVisibility(row.Visibility), CreatedBy: row.CreatedBy, CreatedAt: row.CreatedAt.UTC()}}
	var members []spaceMemberRow
	if err := db.Where("space_id = ?", id).Order("id").Find(&members).Error; err != nil {
		return SpaceToPublish{}, fmt.Errorf("list members of space %d: %w", id, err)
	}
	for _, m := range members {
		out.Members = append(out.Members, SpaceMember{UserID: m.UserID, Role: SpaceRole(m.Role), ShowInCalendar: m.ShowInCalendar, Since: m.CreatedAt.UTC()})
	}
	out.Space.Members = len(members)
	var rows []eventRow
	q := db.Where("calendar_id = ? AND deleted_at IS NULL", row.CalendarID).Where("id IN (?) OR id IN (?)",
		s.db.Model(&segmentRow{}).Select("event_id").Where("first_start_utc < ? AND (last_end_utc IS NULL OR last_end_utc >= ?)", to.UTC(), from.UTC()),
		s.db.Model(&overrideRow{}).Select("event_id").Where("start_utc < ? AND end_utc > ?", to.UTC(), from.UTC()))
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return SpaceToPublish{}, fmt.Errorf("list events of space %d: %w", id, err)
	}
	if len(rows) == 0 {
		return out, nil
	}
	evs, err := s.assemble(ctx, s.db, rows, childFilter{})
	if err != nil {
		return SpaceToPublish{}, err
	}
	out.Events = evs
	return out, nil
}
