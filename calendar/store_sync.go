package calendar

import (
	"context"
	"fmt"
	"time"
)

// OrganizedEvents loads, whole, the events a user organizes that have instances in [from, to),
// and the events with the given ids (deleted ones included), for the Outlook sync.
func (s *Store) OrganizedEvents(ctx context.Context, userID int64, ids []int64, from, to time.Time) ([]*Event, error) {
	db := s.db.WithContext(ctx)
	var rows []eventRow
	q := db.Where("organizer_id = ? AND deleted_at IS NULL", userID).Where("id IN (?) OR id IN (?)",
		s.db.Model(&segmentRow{}).Select("event_id").Where("first_start_utc < ? AND (last_end_utc IS NULL OR last_end_utc >= ?)", to.UTC(), from.UTC()),
		s.db.Model(&overrideRow{}).Select("event_id").Where("start_utc < ? AND end_utc > ?", to.UTC(), from.UTC()))
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list organized events: %w", err)
	}
	seen := map[int64]bool{}
	for _, r := range rows {
		seen[r.ID] = true
	}
	var missing []int64
	for _, id := range ids {
		if !seen[id] {
			missing = append(missing, id)
			seen[id] = true
		}
	}
	for start := 0; start < len(missing); start += idChunk {
		var more []eventRow
		if err := db.Where("id IN ?", missing[start:min(start+idChunk, len(missing))]).Find(&more).Error; err != nil {
			return nil, fmt.Errorf("load linked events: %w", err)
		}
		rows = append(rows, more...)
	}
	return s.assemble(ctx, s.db, rows, childFilter{})
}

// EventsByID loads whole events by id, deleted ones included, for the Outlook sync of an
// invitee's answers; ids that do not exist are left out.
func (s *Store) EventsByID(ctx context.Context, ids []int64) ([]*Event, error) {
	var rows []eventRow
	for start := 0; start < len(ids); start += idChunk {
		var more []eventRow
		if err := s.db.WithContext(ctx).Where("id IN ?", ids[start:min(start+idChunk, len(ids))]).Order("id").Find(&more).Error; err != nil {
			return nil, fmt.Errorf("load events: %w", err)
		}
		rows = append(rows, more...)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return s.assemble(ctx, s.db, rows, childFilter{})
}
