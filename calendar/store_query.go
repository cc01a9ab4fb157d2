package calendar

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// childFilter narrows what assemble loads for listings: only the viewer's invitations and
// answers, and only the overrides near the window. An event loaded this way is partial and
// cannot be saved.
type childFilter struct {
	viewer     *Viewer
	from, to   time.Time
	windowOnly bool
}

// idChunk keeps IN lists well below every database's parameter limit.
const idChunk = 500

// assemble loads the children of the event rows and builds events in the rows' order.
func (s *Store) assemble(ctx context.Context, db *gorm.DB, rows []eventRow, f childFilter) ([]*Event, error) {
	byID := make(map[int64]*Event, len(rows))
	out := make([]*Event, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		e := &Event{ID: r.ID, CalendarID: r.CalendarID, OrganizerID: r.OrganizerID, Privacy: Privacy(r.Privacy),
			Categories: categoriesOf(r.Categories), Reminder: reminderOf(r.ReminderMinutes), Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), DeletedAt: utcPtr(r.DeletedAt),
			partial: f.windowOnly || f.viewer != nil}
		byID[r.ID] = e
		out[i] = e
		ids[i] = r.ID
	}
	// A whole event remembers its stored invitation and answer rows, so that a save writes
	// only what changed (store_children.go).
	whole := !f.windowOnly && f.viewer == nil
	stored := map[int64]*storedChildren{}
	if whole {
		for _, id := range ids {
			stored[id] = &storedChildren{}
		}
	}
	db = db.WithContext(ctx)
	var maxDur time.Duration
	for start := 0; start < len(ids); start += idChunk {
		chunk := ids[start:min(start+idChunk, len(ids))]
		var segs []segmentRow
		if err := db.Where("event_id IN ?", chunk).Order("event_id, position").Find(&segs).Error; err != nil {
			return nil, fmt.Errorf("load segments: %w", err)
		}
		for _, r := range segs {
			sg, err := fromSegmentRow(r)
			if err != nil {
				return nil, err
			}
			maxDur = max(maxDur, sg.Duration)
			e := byID[r.EventID]
			e.Segments = append(e.Segments, sg)
		}
	}
	for start := 0; start < len(ids); start += idChunk {
		chunk := ids[start:min(start+idChunk, len(ids))]
		var ovs []overrideRow
		q := db.Where("event_id IN ?", chunk)
		if f.windowOnly {
			q = q.Where("(original_start >= ? AND original_start < ?) OR (start_utc < ? AND end_utc > ?)",
				f.from.Add(-maxDur-time.Second).UTC(), f.to.UTC(), f.to.UTC(), f.from.UTC())
		}
		if err := q.Order("event_id, original_start").Find(&ovs).Error; err != nil {
			return nil, fmt.Errorf("load overrides: %w", err)
		}
		for _, r := range ovs {
			e := byID[r.EventID]
			e.Overrides = append(e.Overrides, fromOverrideRow(r))
		}
		var invs []invitationRow
		q = db.Where("event_id IN ?", chunk)
		if f.viewer != nil {
			q = q.Where("user_id = ?", f.viewer.UserID)
		}
		if err := q.Order("id").Find(&invs).Error; err != nil {
			return nil, fmt.Errorf("load invitations: %w", err)
		}
		for _, r := range invs {
			e := byID[r.EventID]
			in := fromInvitationRow(r)
			e.Invitations = append(e.Invitations, in)
			if whole {
				sc := stored[r.EventID]
				sc.invitations = append(sc.invitations, storedRow[invitationKey]{r.ID, keyOfInvitation(in)})
			}
		}
		var rs []rsvpRow
		q = db.Where("event_id IN ?", chunk)
		if f.viewer != nil {
			q = q.Where("user_id = ?", f.viewer.UserID)
		}
		if err := q.Order("id").Find(&rs).Error; err != nil {
			return nil, fmt.Errorf("load answers: %w", err)
		}
		for _, r := range rs {
			e := byID[r.EventID]
			a := fromRSVPRow(r)
			e.RSVPs = append(e.RSVPs, a)
			if whole {
				sc := stored[r.EventID]
				sc.rsvps = append(sc.rsvps, storedRow[rsvpKey]{r.ID, keyOfRSVP(a)})
			}
		}
	}
	for id, sc := range stored {
		byID[id].stored = sc
	}
	return out, nil
}

// Query selects the instances of a listing.
type Query struct {
	From, To   time.Time
	CalendarID int64 // 0: the viewer's My Calendar
	Max        int   // 0: MaxOccurrences
}

// MaxWindow is the longest window one listing may ask for.
const MaxWindow = 400 * 24 * time.Hour

// Occurrences lists the instances the viewer may see in the window: for My Calendar the
// events they organize, are invited to or said yes or maybe to; for another calendar its
// visible events. It reports whether the cap cut the list.
func (s *Store) Occurrences(ctx context.Context, v Viewer, q Query) ([]Occurrence, bool, error) {
	l, err := s.ListOccurrences(ctx, v, q)
	if err != nil {
		return nil, false, err
	}
	defer l.Release()
	out := make([]Occurrence, 0, l.Len())
	for _, oc := range l.All() {
		out = append(out, oc)
	}
	return out, l.Truncated(), nil
}

// ListOccurrences is Occurrences for a caller that writes the instances out one at a time:
// the list builds each instance only when it is asked for. Release it when done.
func (s *Store) ListOccurrences(ctx context.Context, v Viewer, q Query) (*OccurrenceList, error) {
	if !q.To.After(q.From) {
		return nil, invalid("to", "The end of the range must be after its start.")
	}
	if q.To.Sub(q.From) > MaxWindow {
		return nil, invalid("to", "Ask for at most 400 days at a time.")
	}
	mine, err := s.MyCalendar(ctx, v.UserID)
	if err != nil {
		return nil, err
	}
	sc, err := s.spaceScopeOf(ctx, v)
	if err != nil {
		return nil, err
	}
	m := MyCalendar
	db := s.visibleCalendars(s.db.WithContext(ctx).Table("events").Where("events.deleted_at IS NULL"), sc)
	if q.CalendarID == 0 || q.CalendarID == mine {
		db = s.inMyCalendar(db, sc)
	} else {
		if _, err := s.CalendarByID(ctx, q.CalendarID); err != nil {
			return nil, err
		}
		// A private space's calendar is not found by those who are not its members.
		if hidden, err := s.calendarHidden(ctx, s.db, v, q.CalendarID); err != nil || hidden {
			return nil, cmpOr(err, ErrNotFound)
		}
		m = AllVisible
		db = db.Where("events.calendar_id = ?", q.CalendarID).Where("events.privacy = ? OR events.organizer_id = ? OR events.id IN (?)", string(Public), v.UserID,
			s.db.Model(&invitationRow{}).Select("event_id").Where("user_id = ?", v.UserID))
	}
	from, to := q.From.UTC(), q.To.UTC()
	events, err := s.listEvents(ctx, db, v, from, to)
	if err != nil {
		return nil, err
	}
	if m == MyCalendar {
		if err := s.markShown(ctx, sc, events); err != nil {
			return nil, err
		}
	}
	return listOccurrences(events, v, m, from, to, q.Max), nil
}

// inMyCalendar narrows a query of events to those of the viewer's My Calendar: the events
// they organize, are invited to (to all instances or some), or said yes or maybe to (public
// ones only), and those of the spaces they show in My Calendar (Space.ShowInCalendar). Another person's private event is among them only when the viewer is invited;
// which of its instances they see is Event.includes's to say.
func (s *Store) inMyCalendar(db *gorm.DB, sc spaceScope) *gorm.DB {
	v := sc.v
	invited := s.db.Model(&invitationRow{}).Select("event_id").Where("user_id = ?", v.UserID)
	answered := s.db.Model(&rsvpRow{}).Select("event_id").Where("user_id = ? AND response IN ?", v.UserID, []string{string(Yes), string(Maybe)})
	const mine = "events.organizer_id = ? OR events.id IN (?) OR (events.privacy = ? AND events.id IN (?))"
	switch {
	case sc.many:
		return db.Where(mine+" OR events.calendar_id IN (?)", v.UserID, invited, string(Public), answered, s.shownSpaceCalendars(v))
	case len(sc.shown) > 0:
		return db.Where(mine+" OR events.calendar_id IN ?", v.UserID, invited, string(Public), answered, sc.shown)
	}
	return db.Where(mine, v.UserID, invited, string(Public), answered)
}

// cmpOr is err when there is one, else fallback.
func cmpOr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}
