package calendar

import (
	"context"
	"fmt"
	"slices"
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

// listCols are the columns a listing reads, events and segments joined: only what the
// instances show and visibility needs. Every column costs a driver call per row, and the
// rows are most of a month query's time on SQLite.
const listCols = "events.id, events.organizer_id, events.privacy, " +
	"segments.id, segments.start_local, segments.time_zone, segments.duration_seconds, segments.all_day, " +
	"segments.rrule, segments.title, segments.description, segments.location"

// overrideCols are the columns of overrideRow a listing reads.
const overrideCols = "id, event_id, original_start, cancelled, title, description, location, start_utc, end_utc"

// listEvents loads, for a listing, the events that members selects (a query on events with
// the visibility and membership conditions) that have instances in the window: their
// segments that reach into the window (segments are bounded on their own, so the others are
// not needed), all segments of events with an instance moved into the window, the overrides
// near the window, and only the viewer's own invitations and answers. The events are
// partial: they can be expanded, never saved.
func (s *Store) listEvents(ctx context.Context, members *gorm.DB, v Viewer, from, to time.Time) ([]*Event, error) {
	base := members.Session(&gorm.Session{})
	var out []*Event
	byID := map[int64]*Event{}
	var maxDur time.Duration
	scan := func(q *gorm.DB) error {
		rows, err := q.Joins("JOIN segments ON segments.event_id = events.id").Select(listCols).
			Order("events.id, segments.position").Rows()
		if err != nil {
			return fmt.Errorf("list events: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var er eventRow
			var sr segmentRow
			if err := rows.Scan(&er.ID, &er.OrganizerID, &er.Privacy,
				&sr.ID, &sr.StartLocal, &sr.TimeZone, &sr.DurationSeconds, &sr.AllDay,
				&sr.RRule, &sr.Title, &sr.Description, &sr.Location); err != nil {
				return fmt.Errorf("read listed event: %w", err)
			}
			e := byID[er.ID]
			if e == nil {
				e = &Event{ID: er.ID, OrganizerID: er.OrganizerID, Privacy: Privacy(er.Privacy), partial: true}
				byID[er.ID] = e
				out = append(out, e)
			}
			sr.EventID = er.ID
			seg, err := s.segmentFromRow(sr)
			if err != nil {
				return err
			}
			maxDur = max(maxDur, seg.Duration)
			e.Segments = append(e.Segments, seg)
		}
		return rows.Err()
	}
	if err := scan(base.Where("segments.first_start_utc < ? AND (segments.last_end_utc IS NULL OR segments.last_end_utc >= ?)", to, from)); err != nil {
		return nil, err
	}
	// Events with an instance moved into the window from elsewhere: all their segments.
	var moved []int64
	if err := base.Where("events.id IN (?)", s.db.Model(&overrideRow{}).Select("event_id").
		Where("start_utc < ? AND end_utc > ?", to, from)).Pluck("events.id", &moved).Error; err != nil {
		return nil, fmt.Errorf("list moved instances: %w", err)
	}
	if len(moved) > 0 {
		for _, id := range moved {
			if e := byID[id]; e != nil {
				e.Segments = nil
			}
		}
		for start := 0; start < len(moved); start += idChunk {
			if err := scan(base.Where("events.id IN ?", moved[start:min(start+idChunk, len(moved))])); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	db := s.db.WithContext(ctx)
	ids := make([]int64, len(out))
	for i, e := range out {
		ids[i] = e.ID
	}
	// The overrides of instances that begin near the window, a range of the (event_id,
	// original_start) index for each event; then those that move an instance into the window
	// from elsewhere, which only the events in moved have. One query with both conditions
	// OR-ed made SQLite read every override of every listed event.
	lo, hi := from.Add(-maxDur-time.Second).UTC(), to.UTC()
	near := "original_start >= ? AND original_start < ?"
	for start := 0; start < len(ids); start += idChunk {
		chunk := ids[start:min(start+idChunk, len(ids))]
		if err := s.loadOverrides(db.Where("event_id IN ?", chunk).Where(near, lo, hi), byID); err != nil {
			return nil, err
		}
	}
	for start := 0; start < len(moved); start += idChunk {
		chunk := moved[start:min(start+idChunk, len(moved))]
		if err := s.loadOverrides(db.Where("event_id IN ?", chunk).Where("start_utc < ? AND end_utc > ?", hi, from.UTC()).
			Not(near, lo, hi), byID); err != nil {
			return nil, err
		}
		for _, id := range chunk {
			if e := byID[id]; e != nil {
				slices.SortFunc(e.Overrides, func(a, b Override) int { return a.OriginalStart.Compare(b.OriginalStart) })
			}
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

// loadOverrides adds the overrides that q selects to their events in byID, in the order of
// their original starts. It scans the rows itself, as the segments are, rather than through
// gorm's reflection.
func (s *Store) loadOverrides(q *gorm.DB, byID map[int64]*Event) error {
	rows, err := q.Model(&overrideRow{}).Select(overrideCols).Order("event_id, original_start").Rows()
	if err != nil {
		return fmt.Errorf("load overrides: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r overrideRow
		if err := rows.Scan(&r.ID, &r.EventID, &r.OriginalStart, &r.Cancelled, &r.Title, &r.Description, &r.Location,
			&r.StartUTC, &r.EndUTC); err != nil {
			return fmt.Errorf("read override: %w", err)
		}
		if e := byID[r.EventID]; e != nil {
			e.Overrides = append(e.Overrides, fromOverrideRow(r))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load overrides: %w", err)
	}
	return nil
}

// segmentFromRow is fromSegmentRow with the store's zone cache.
func (s *Store) segmentFromRow(r segmentRow) (Segment, error) {
	return segmentFromRow(r, s.zones.load)
}
