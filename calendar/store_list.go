package calendar

import (
	"context"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
)

// zoneCache remembers loaded time zones: time.LoadLocation reads the zone database on every
// call, and a listing meets the same few zones a thousand times.
type zoneCache struct{ m sync.Map }

func (z *zoneCache) load(name string) (*time.Location, error) {
	if l, ok := z.m.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	z.m.Store(name, l)
	return l, nil
}

// listEvents loads, for a listing, the events that the filtered query selects, with their
// segments (one joined query), the overrides near the window, and only the viewer's own
// invitations and answers. The events are partial: they can be expanded, never saved.
func (s *Store) listEvents(ctx context.Context, events *gorm.DB, v Viewer, from, to time.Time) ([]*Event, error) {
	rows, err := events.
		Joins("JOIN segments ON segments.event_id = events.id").
		Select("events.id, events.calendar_id, events.organizer_id, events.privacy, events.version, " +
			"segments.id, segments.uid, segments.start_local, segments.time_zone, segments.duration_seconds, segments.all_day, " +
			"segments.rrule, segments.title, segments.description, segments.location").
		Order("events.id, segments.position").Rows()
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []*Event
	byID := map[int64]*Event{}
	var maxDur time.Duration
	for rows.Next() {
		var er eventRow
		var sr segmentRow
		if err := rows.Scan(&er.ID, &er.CalendarID, &er.OrganizerID, &er.Privacy, &er.Version,
			&sr.ID, &sr.UID, &sr.StartLocal, &sr.TimeZone, &sr.DurationSeconds, &sr.AllDay,
			&sr.RRule, &sr.Title, &sr.Description, &sr.Location); err != nil {
			return nil, fmt.Errorf("read listed event: %w", err)
		}
		e := byID[er.ID]
		if e == nil {
			e = &Event{ID: er.ID, CalendarID: er.CalendarID, OrganizerID: er.OrganizerID, Privacy: Privacy(er.Privacy),
				Version: er.Version, partial: true}
			byID[er.ID] = e
			out = append(out, e)
		}
		sr.EventID = er.ID
		seg, err := s.segmentFromRow(sr)
		if err != nil {
			return nil, err
		}
		maxDur = max(maxDur, seg.Duration)
		e.Segments = append(e.Segments, seg)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	db := s.db.WithContext(ctx)
	ids := make([]int64, len(out))
	for i, e := range out {
		ids[i] = e.ID
	}
	lo := from.Add(-maxDur - time.Second).UTC()
	for start := 0; start < len(ids); start += idChunk {
		chunk := ids[start:min(start+idChunk, len(ids))]
		var ovs []overrideRow
		if err := db.Where("event_id IN ?", chunk).
			Where("(original_start >= ? AND original_start < ?) OR (start_utc < ? AND end_utc > ?)", lo, to.UTC(), to.UTC(), from.UTC()).
			Order("event_id, original_start").Find(&ovs).Error; err != nil {
			return nil, fmt.Errorf("load overrides: %w", err)
		}
		for _, r := range ovs {
			e := byID[r.EventID]
			e.Overrides = append(e.Overrides, fromOverrideRow(r))
		}
	}
	// The viewer's own invitations and answers, by user: few rows, found by index.
	var invs []invitationRow
	if err := db.Where("user_id = ?", v.UserID).Order("id").Find(&invs).Error; err != nil {
		return nil, fmt.Errorf("load invitations: %w", err)
	}
	for _, r := range invs {
		if e := byID[r.EventID]; e != nil {
			e.Invitations = append(e.Invitations, Invitation{UserID: r.UserID, Instance: utcPtr(r.Instance)})
		}
	}
	var rs []rsvpRow
	if err := db.Where("user_id = ?", v.UserID).Order("id").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("load answers: %w", err)
	}
	for _, r := range rs {
		if e := byID[r.EventID]; e != nil {
			e.RSVPs = append(e.RSVPs, RSVP{UserID: r.UserID, Scope: Scope(r.Scope), Instance: utcPtr(r.Instance),
				Response: Response(r.Response), UpdatedAt: r.UpdatedAt.UTC()})
		}
	}
	return out, nil
}

// segmentFromRow is fromSegmentRow with the store's zone cache.
func (s *Store) segmentFromRow(r segmentRow) (Segment, error) {
	return segmentFromRow(r, s.zones.load)
}
