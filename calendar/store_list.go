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

// listIDCols are what a listing reads of each segment it lists: the cache (store_cache.go)
// holds the rest under the event's version.
const listIDCols = "events.id, events.version, segments.id"

// listCols are the columns a listing reads of the segments the cache lacks, events and
// segments joined: only what the instances show and visibility needs.
const listCols = "events.id, events.version, events.organizer_id, events.calendar_id, events.privacy, events.categories, " +
	"segments.id, segments.start_local, segments.time_zone, segments.duration_seconds, segments.all_day, " +
	"segments.rrule, segments.title, segments.description, segments.location"

// overrideCols are the columns a listing reads of the overrides of the events the cache
// lacks, events left-joined to overrides so that an event without any gives its version too.
const overrideCols = "events.id, events.version, overrides.original_start, overrides.cancelled, overrides.title, " +
	"overrides.description, overrides.location, overrides.start_utc, overrides.end_utc"

// listEvents loads, for a listing, the events that members selects (a query on events with
// the visibility and membership conditions) that have instances in the window: their
// segments that reach into the window (segments are bounded on their own, so the others are
// not needed), all segments of events with an instance moved into the window, the overrides
// near the window, and only the viewer's own invitations and answers. The events are
// partial: they can be expanded, never saved.
func (s *Store) listEvents(ctx context.Context, members *gorm.DB, v Viewer, from, to time.Time) ([]*Event, error) {
	l := &listing{s: s, base: members.Session(&gorm.Session{}), byID: map[int64]*Event{}, rules: ruleMemo{}}
	if err := l.segments(l.base.Where("segments.first_start_utc < ? AND (segments.last_end_utc IS NULL OR segments.last_end_utc >= ?)", to, from)); err != nil {
		return nil, err
	}
	// Events with an instance moved into the window from elsewhere need all their segments,
	// since the instance's own may not reach the window. They are found from the overrides'
	// start index; joined the other way, SQLite read every override of every event.
	var moved []int64
	if err := l.base.Where("events.id IN (?)", s.db.Model(&overrideRow{}).Select("event_id").
		Where("start_utc < ? AND end_utc > ?", to, from)).Pluck("events.id", &moved).Error; err != nil {
		return nil, fmt.Errorf("list moved instances: %w", err)
	}
	movedIDs := make(map[int64]bool, len(moved))
	for start := 0; start < len(moved); start += idChunk {
		chunk := moved[start:min(start+idChunk, len(moved))]
		for _, id := range chunk {
			movedIDs[id] = true
			if e := l.byID[id]; e != nil {
				e.Segments = nil
			}
		}
		if err := l.segments(l.base.Where("events.id IN ?", chunk)); err != nil {
			return nil, err
		}
	}
	if len(l.out) == 0 {
		return nil, nil
	}
	if err := l.overrides(from, to, movedIDs); err != nil {
		return nil, err
	}
	byID := l.byID
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
	return l.out, nil
}

// listing gathers the events of one listing.
type listing struct {
	s      *Store
	base   *gorm.DB // the events the viewer may list
	out    []*Event
	byID   map[int64]*Event
	rules  ruleMemo
	maxDur time.Duration
}

// segments adds the segments that q (a query on events) selects, in order, to their events:
// it reads their ids and their events' versions, takes those the cache holds at that
// version, and reads the others whole.
func (l *listing) segments(q *gorm.DB) error {
	rows, err := q.Joins("JOIN segments ON segments.event_id = events.id").Select(listIDCols).
		Order("events.id, segments.position").Rows()
	if err != nil {
		return fmt.Errorf("list events: %w", err)
	}
	var listed []listedSegment
	for rows.Next() {
		var r listedSegment
		if err := rows.Scan(&r.eventID, &r.version, &r.segmentID); err != nil {
			rows.Close()
			return fmt.Errorf("read listed event: %w", err)
		}
		listed = append(listed, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list events: %w", err)
	}
	got := make([]*cachedSegment, len(listed))
	l.s.cache.segmentsAt(listed, got)
	var missing []int64 // events, in order
	for i, r := range listed {
		if got[i] == nil && (len(missing) == 0 || missing[len(missing)-1] != r.eventID) {
			missing = append(missing, r.eventID)
		}
	}
	if len(missing) > 0 {
		read, err := l.readSegments(missing)
		if err != nil {
			return err
		}
		l.s.cache.putSegments(read)
		for i, r := range listed {
			if got[i] == nil {
				got[i] = read[r.segmentID]
			}
		}
	}
	for i, r := range listed {
		// A segment not read again belongs to an event changed or hidden in between.
		c := got[i]
		if c == nil || c.eventID != r.eventID {
			continue
		}
		e := l.byID[r.eventID]
		if e == nil {
			e = &Event{ID: r.eventID, CalendarID: c.calendarID, OrganizerID: c.organizerID, Privacy: c.privacy, Categories: c.categories, Version: c.version, partial: true}
			l.byID[r.eventID] = e
			l.out = append(l.out, e)
		}
		l.maxDur = max(l.maxDur, c.seg.Duration)
		e.Segments = append(e.Segments, c.seg)
	}
	return nil
}

// readSegments reads all segments of the events with the ids, with the events' versions,
// from the events the viewer may list. It goes by event, not by segment id: asked for a
// list of segment ids, SQLite looked each one up again for every event.
func (l *listing) readSegments(ids []int64) (map[int64]*cachedSegment, error) {
	out := make(map[int64]*cachedSegment, len(ids))
	for start := 0; start < len(ids); start += idChunk {
		rows, err := l.base.Joins("JOIN segments ON segments.event_id = events.id").
			Where("events.id IN ?", ids[start:min(start+idChunk, len(ids))]).Select(listCols).Rows()
		if err != nil {
			return nil, fmt.Errorf("read segments: %w", err)
		}
		for rows.Next() {
			c := &cachedSegment{}
			var privacy, categories string
			var sr segmentRow
			if err := rows.Scan(&c.eventID, &c.version, &c.organizerID, &c.calendarID, &privacy, &categories,
				&sr.ID, &sr.StartLocal, &sr.TimeZone, &sr.DurationSeconds, &sr.AllDay,
				&sr.RRule, &sr.Title, &sr.Description, &sr.Location); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read segment: %w", err)
			}
			sr.EventID = c.eventID
			c.privacy, c.categories = Privacy(privacy), categoriesOf(categories)
			if c.seg, err = segmentFromRow(sr, l.s.zones.load, l.rules.parse); err != nil {
				rows.Close()
				return nil, err
			}
			out[sr.ID] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read segments: %w", err)
		}
	}
	return out, nil
}

// overrides gives the listed events their overrides that begin near the window, from
// (window - longest duration - 1s) to its end, and for the events in moved also those moved
// into the window. The cache holds all of an event's overrides at its version; the others
// are read whole.
func (l *listing) overrides(from, to time.Time, moved map[int64]bool) error {
	lists := l.s.cache.overridesOf(l.out)
	var missing []int64
	for _, e := range l.out {
		if _, ok := lists[e.ID]; !ok {
			missing = append(missing, e.ID)
		}
	}
	if len(missing) > 0 {
		read, err := l.readOverrides(missing)
		if err != nil {
			return err
		}
		l.s.cache.putOverrides(read)
		for id, o := range read {
			lists[id] = o.list
		}
	}
	near := from.Add(-l.maxDur - time.Second)
	for _, e := range l.out {
		mv := moved[e.ID]
		for _, o := range lists[e.ID] {
			if (!o.OriginalStart.Before(near) && o.OriginalStart.Before(to)) ||
				(mv && o.Start != nil && o.End != nil && o.Start.Before(to) && o.End.After(from)) {
				e.Overrides = append(e.Overrides, o)
			}
		}
	}
	return nil
}

// readOverrides reads all overrides of the events with the ids, by original start, with
// the events' versions, from the events the viewer may list.
func (l *listing) readOverrides(ids []int64) (map[int64]cachedOverrides, error) {
	out := make(map[int64]cachedOverrides, len(ids))
	for start := 0; start < len(ids); start += idChunk {
		rows, err := l.base.Joins("LEFT JOIN overrides ON overrides.event_id = events.id").
			Where("events.id IN ?", ids[start:min(start+idChunk, len(ids))]).Select(overrideCols).Rows()
		if err != nil {
			return nil, fmt.Errorf("load overrides: %w", err)
		}
		for rows.Next() {
			var id int64
			var version int
			var orig, st, end *time.Time
			var cancelled *bool
			var title, desc, loc *string
			if err := rows.Scan(&id, &version, &orig, &cancelled, &title, &desc, &loc, &st, &end); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read override: %w", err)
			}
			c := out[id]
			c.version = version
			if orig != nil {
				c.list = append(c.list, Override{OriginalStart: orig.UTC(), Cancelled: cancelled != nil && *cancelled,
					Title: title, Description: desc, Location: loc, Start: utcPtr(st), End: utcPtr(end)})
			}
			out[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("load overrides: %w", err)
		}
	}
	for _, c := range out {
		slices.SortFunc(c.list, func(a, b Override) int { return a.OriginalStart.Compare(b.OriginalStart) })
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
