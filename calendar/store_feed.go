package calendar

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// FeedEvents loads, whole and as the viewer may see them, the events of the viewer's My
// Calendar with instances in [from, to), for the viewer's iCalendar feed. Another person's
// private event is left out even when the viewer is invited: a feed's address is a secret
// that travels (phones, other calendar apps), so it carries less than the signed-in
// calendar. The viewer's own private events are in; the feed decides how to show them.
func (s *Store) FeedEvents(ctx context.Context, v Viewer, from, to time.Time) ([]*Event, error) {
	sc, err := s.spaceScopeOf(ctx, v)
	if err != nil {
		return nil, err
	}
	db := s.visibleCalendars(s.db.WithContext(ctx).Table("events").Where("events.deleted_at IS NULL"), sc)
	db = s.inMyCalendar(db, sc).Where("events.privacy = ? OR events.organizer_id = ?", string(Public), v.UserID)
	return s.feedEvents(ctx, db, v, from, to)
}

// CalendarFeedEvents loads, whole, the public events of one calendar (a space's) with
// instances in [from, to), for the space's feed, which is the same for every reader.
func (s *Store) CalendarFeedEvents(ctx context.Context, calendarID int64, from, to time.Time) ([]*Event, error) {
	db := s.db.WithContext(ctx).Table("events").Where("events.deleted_at IS NULL AND events.calendar_id = ? AND events.privacy = ?", calendarID, string(Public))
	return s.feedEvents(ctx, db, Viewer{}, from, to)
}

func (s *Store) feedEvents(ctx context.Context, db *gorm.DB, v Viewer, from, to time.Time) ([]*Event, error) {
	from, to = from.UTC(), to.UTC()
	db = db.Where("events.id IN (?) OR events.id IN (?)",
		s.db.Model(&segmentRow{}).Select("event_id").Where("first_start_utc < ? AND (last_end_utc IS NULL OR last_end_utc >= ?)", to, from),
		s.db.Model(&overrideRow{}).Select("event_id").Where("start_utc < ? AND end_utc > ?", to, from))
	var rows []eventRow
	if err := db.Select("events.*").Order("events.id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list feed events: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	evs, err := s.assemble(ctx, s.db, rows, childFilter{})
	if err != nil {
		return nil, err
	}
	out := make([]*Event, 0, len(evs))
	for _, e := range evs {
		if v.UserID != 0 && !e.CanSee(v) {
			continue
		}
		out = append(out, e.ViewFor(v))
	}
	return out, nil
}

// FeedSpace returns any space by id, whoever asks: for the space's feed, whose address is
// the permission (only those who may see the space are shown it).
func (s *Store) FeedSpace(ctx context.Context, id int64) (Space, error) {
	list, err := s.spacesOf(ctx, Viewer{}, s.db.Model(&spaceRow{}).Where("id = ?", id))
	if err != nil {
		return Space{}, err
	}
	if len(list) == 0 {
		return Space{}, ErrNotFound
	}
	return list[0], nil
}
