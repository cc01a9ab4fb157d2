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
const overrideCols = "overrides.id, overrides.event_id, overrides.original_start, overrides.cancelled, overrides.title, " +
	"overrides.description, overrides.location, overrides.start_utc, overrides.end_utc"

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
	rules := ruleMemo{}
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
			seg, err := segmentFromRow(sr, s.zones.load, rules.parse)
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
	// Events with an instance moved into the window from elsewhere need all their segments,
	// since the instance's own may not reach the window. They are found from the overrides'
	// start index; joined the other way, SQLite read every override of every event.
	var moved []int64
	if err := base.Where("events.id IN (?)", s.db.Model(&overrideRow{}).Select("event_id").
		Where("start_utc < ? AND end_utc > ?", to, from)).Pluck("events.id", &moved).Error; err != nil {
		return nil, fmt.Errorf("list moved instances: %w", err)
	}
	var movedRows []overrideRow
	movedIDs := map[int64]bool{}
	for start := 0; start < len(moved); start += idChunk {
		chunk := moved[start:min(start+idChunk, len(moved))]
		rows, err := s.listOverrides(base.Where("events.id IN ?", chunk).
			Where("overrides.start_utc < ? AND overrides.end_utc > ?", to, from))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			movedIDs[r.ID] = true
		}
		movedRows = append(movedRows, rows...)
		for _, id := range chunk {
			if e := byID[id]; e != nil {
				e.Segments = nil
			}
		}
		if err := scan(base.Where("events.id IN ?", chunk)); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	// The overrides of instances that begin near the window: joined to the same events rather
	// than sent as a list of ids, which SQLite spent longer parsing than answering. The events
	// without a segment in the window are not in byID, and their overrides are dropped.
	near, err := s.listOverrides(base.Where("overrides.original_start >= ? AND overrides.original_start < ?",
		from.Add(-maxDur-time.Second).UTC(), to))
	if err != nil {
		return nil, err
	}
	for _, r := range near {
		if e := byID[r.EventID]; e != nil && !movedIDs[r.ID] {
			e.Overrides = append(e.Overrides, fromOverrideRow(r))
		}
	}
	for _, r := range movedRows {
		if e := byID[r.EventID]; e != nil {
			e.Overrides = append(e.Overrides, fromOverrideRow(r))
		}
	}
	for _, id := range moved {
		if e := byID[id]; e != nil {
			slices.SortFunc(e.Overrides, func(a, b Override) int { return a.OriginalStart.Compare(b.OriginalStart) })
		}
	}
	db := s.db.WithContext(ctx)
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

// listOverrides returns the overrides of the events that q (a query on events) selects, by
// event and original start. It scans the rows itself, as the segments are, rather than
// through gorm's reflection.
func (s *Store) listOverrides(q *gorm.DB) ([]overrideRow, error) {
	rows, err := q.Joins("JOIN overrides ON overrides.event_id = events.id").Select(overrideCols).
		Order("overrides.event_id, overrides.original_start").Rows()
	if err != nil {
		return nil, fmt.Errorf("load overrides: %w", err)
	}
	defer rows.Close()
	var out []overrideRow
	for rows.Next() {
		var r overrideRow
		if err := rows.Scan(&r.ID, &r.EventID, &r.OriginalStart, &r.Cancelled, &r.Title, &r.Description, &r.Location,
			&r.StartUTC, &r.EndUTC); err != nil {
			return nil, fmt.Errorf("read override: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load overrides: %w", err)
	}
	return out, nil
}

// ruleMemo parses each rule text once in a listing, where many series share a rule. The
// rules are shared between the listing's segments, which only read them.
type ruleMemo map[string]*Rule

func (m ruleMemo) parse(text string) (*Rule, error) {
	if r, ok := m[text]; ok {
		return r, nil
	}
	r, err := ParseRule(text)
	if err != nil {
		return nil, err
	}
	m[text] = r
	return r, nil
}
