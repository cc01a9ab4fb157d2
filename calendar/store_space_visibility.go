package calendar

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// What spaces add to visibility: a private space's events are seen by its members only, so
// every query that lists or loads events for a viewer also excludes the calendars of private
// spaces they are not in; and My Calendar also shows the spaces a member chose to show.

// hiddenCalendars is the subquery of the calendars whose events the viewer may not see at
// all: those of private spaces they are not a member of. Every listing and search of events
// excludes them (events.calendar_id NOT IN ...); loads of one event ask calendarHidden.
func (s *Store) hiddenCalendars(v Viewer) *gorm.DB {
	return s.db.Model(&spaceRow{}).Select("calendar_id").Where("visibility = ? AND id NOT IN (?)", string(SpacePrivate),
		s.db.Model(&spaceMemberRow{}).Select("space_id").Where("user_id = ?", v.UserID))
}

// spaceScope is what a listing or search of one viewer needs of spaces, read once before it:
// the calendars hidden from them and those they show in My Calendar. Both are short lists in
// practice (none at all on a site without spaces), so they go into the listing's SQL as
// literal lists, or not at all when empty, which keeps the listing's plan as it was before
// spaces; a long list falls back to the subquery.
type spaceScope struct {
	v      Viewer
	hidden []int64
	shown  []int64
	many   bool // a list too long to send as parameters: use the subqueries
}

// maxScopeIDs bounds the literal lists, well within every database's parameter limit.
const maxScopeIDs = 200

// spaceScopeOf reads the viewer's spaceScope, in one query.
func (s *Store) spaceScopeOf(ctx context.Context, v Viewer) (spaceScope, error) {
	sc := spaceScope{v: v}
	rows, err := s.db.WithContext(ctx).Table("spaces").
		Joins("LEFT JOIN space_members ON space_members.space_id = spaces.id AND space_members.user_id = ?", v.UserID).
		Where("(spaces.visibility = ? AND space_members.id IS NULL) OR space_members.show_in_calendar = ?", string(SpacePrivate), true).
		Select("spaces.calendar_id, CASE WHEN space_members.id IS NULL THEN 1 ELSE 0 END").Order("spaces.id").Limit(2*maxScopeIDs + 1).Rows()
	if err != nil {
		return sc, fmt.Errorf("read the viewer's spaces: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var calID int64
		var outside int
		if err := rows.Scan(&calID, &outside); err != nil {
			return sc, fmt.Errorf("read the viewer's spaces: %w", err)
		}
		if outside == 1 {
			sc.hidden = append(sc.hidden, calID)
		} else {
			sc.shown = append(sc.shown, calID)
		}
	}
	if err := rows.Err(); err != nil {
		return sc, fmt.Errorf("read the viewer's spaces: %w", err)
	}
	sc.many = len(sc.hidden) > maxScopeIDs || len(sc.shown) > maxScopeIDs || len(sc.hidden)+len(sc.shown) > 2*maxScopeIDs
	return sc, nil
}

// visibleCalendars narrows a query of events to those outside the viewer's hidden calendars.
func (s *Store) visibleCalendars(db *gorm.DB, sc spaceScope) *gorm.DB {
	switch {
	case sc.many:
		return db.Where("events.calendar_id NOT IN (?)", s.hiddenCalendars(sc.v))
	case len(sc.hidden) > 0:
		return db.Where("events.calendar_id NOT IN ?", sc.hidden)
	}
	return db
}

// calendarHidden reports whether the calendar is a private space the viewer is not a member of.
func (s *Store) calendarHidden(ctx context.Context, db *gorm.DB, v Viewer, calendarID int64) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Model(&spaceRow{}).Where("calendar_id = ? AND calendar_id IN (?)", calendarID, s.hiddenCalendars(v)).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check calendar %d: %w", calendarID, err)
	}
	return n > 0, nil
}

// shownSpaceCalendars is the subquery of the calendars of the spaces whose events the viewer
// chose to show in My Calendar.
func (s *Store) shownSpaceCalendars(v Viewer) *gorm.DB {
	return s.db.Model(&spaceRow{}).Select("calendar_id").Where("id IN (?)",
		s.db.Model(&spaceMemberRow{}).Select("space_id").Where("user_id = ? AND show_in_calendar = ?", v.UserID, true))
}

// markShown sets fromSpace on the listed events of the spaces the viewer shows in My Calendar,
// so that Event.includes takes them into My Calendar.
func (s *Store) markShown(ctx context.Context, sc spaceScope, events []*Event) error {
	ids := sc.shown
	if sc.many {
		if err := s.shownSpaceCalendars(sc.v).WithContext(ctx).Pluck("calendar_id", &ids).Error; err != nil {
			return fmt.Errorf("list shown spaces: %w", err)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	shown := make(map[int64]bool, len(ids))
	for _, id := range ids {
		shown[id] = true
	}
	for _, e := range events {
		e.fromSpace = shown[e.CalendarID]
	}
	return nil
}

// CheckWritable says whether the viewer may add events to the calendar: their own My
// Calendar, a space they are a member of, or (site administrators) another person's. A
// private space the viewer does not belong to is ErrNotFound, as is an unknown calendar.
func (s *Store) CheckWritable(ctx context.Context, v Viewer, calendarID int64) error {
	cal, err := s.CalendarByID(ctx, calendarID)
	if err != nil {
		return err
	}
	switch cal.Kind {
	case "user":
		if cal.OwnerUserID != v.UserID && !v.IsAdmin {
			return forbidden("You cannot add events to another person's calendar.")
		}
		return nil
	case "space":
		sp, err := s.SpaceOfCalendar(ctx, v, calendarID)
		if err != nil {
			return err
		}
		if sp.Role == "" {
			return forbidden("Join the space to add events to its calendar.")
		}
		return nil
	}
	return forbidden("You cannot add events to this calendar.")
}

// checkSpaceInvitees refuses invitations of people who are not members to an event of a
// private space: they could not see it, and the invitation would carry it into their Outlook.
func (s *Store) checkSpaceInvitees(ctx context.Context, calendarID int64, userIDs []int64) error {
	if len(userIDs) == 0 {
		return nil
	}
	var sp spaceRow
	err := s.db.WithContext(ctx).Where("calendar_id = ?", calendarID).First(&sp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && sp.Visibility != string(SpacePrivate)) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read space of calendar %d: %w", calendarID, err)
	}
	members := map[int64]bool{}
	var ids []int64
	if err := s.db.WithContext(ctx).Model(&spaceMemberRow{}).Where("space_id = ?", sp.ID).Pluck("user_id", &ids).Error; err != nil {
		return fmt.Errorf("read members of space %d: %w", sp.ID, err)
	}
	for _, id := range ids {
		members[id] = true
	}
	for _, uid := range userIDs {
		if !members[uid] {
			return invalid("invitees", "Only members of this private space can be invited to its events: add them to the space first.")
		}
	}
	return nil
}
