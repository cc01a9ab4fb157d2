package calendar

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

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

// CreateSpace creates a space with its calendar; the viewer becomes its administrator, with
// its events shown in their My Calendar. Who may create spaces at all is the app's to say.
func (s *Store) CreateSpace(ctx context.Context, v Viewer, in SpaceInput) (Space, error) {
	if err := in.validate(); err != nil {
		return Space{}, err
	}
	now := s.now().UTC()
	var row spaceRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cal := calendarRow{Kind: "space", Name: in.Name, CreatedAt: now}
		if err := tx.Create(&cal).Error; err != nil {
			return fmt.Errorf("create space calendar: %w", err)
		}
		row = spaceRow{CalendarID: cal.ID, Name: in.Name, Description: in.Description, Visibility: string(in.Visibility), CreatedBy: v.UserID, CreatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("create space: %w", err)
		}
		m := spaceMemberRow{SpaceID: row.ID, UserID: v.UserID, Role: string(RoleAdmin), ShowInCalendar: true, CreatedAt: now}
		if err := tx.Create(&m).Error; err != nil {
			return fmt.Errorf("add space administrator: %w", err)
		}
		return nil
	})
	if err != nil {
		return Space{}, err
	}
	return s.Space(ctx, v, row.ID)
}

// UpdateSpace changes a space's name, description and visibility; space and site
// administrators only. A public space made private drops the invitations of people who are
// not its members to its events, as if they had left (they could not see them any more).
func (s *Store) UpdateSpace(ctx context.Context, v Viewer, id int64, in SpaceInput) (Space, error) {
	sp, err := s.Space(ctx, v, id)
	if err != nil {
		return Space{}, err
	}
	if !sp.CanManage(v) {
		return Space{}, forbidden("Only the space's administrators can change its settings.")
	}
	if err := in.validate(); err != nil {
		return Space{}, err
	}
	err = s.lockSpace(ctx, id, func(tx *gorm.DB) error {
		if sp.Visibility == SpacePublic && in.Visibility == SpacePrivate {
			if err := s.dropOutsiders(ctx, tx, sp); err != nil {
				return err
			}
		}
		if err := tx.Model(&spaceRow{}).Where("id = ?", id).Updates(map[string]any{
			"name": in.Name, "description": in.Description, "visibility": string(in.Visibility)}).Error; err != nil {
			return fmt.Errorf("update space %d: %w", id, err)
		}
		if err := tx.Model(&calendarRow{}).Where("id = ?", sp.CalendarID).Update("name", in.Name).Error; err != nil {
			return fmt.Errorf("rename calendar of space %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return Space{}, err
	}
	return s.Space(ctx, v, id)
}

// Space returns a space as the viewer sees it (with their role); a private space the viewer
// is not a member of is ErrNotFound.
func (s *Store) Space(ctx context.Context, v Viewer, id int64) (Space, error) {
	list, err := s.spaces(ctx, v, s.db.Where("spaces.id = ?", id))
	if err != nil {
		return Space{}, err
	}
	if len(list) == 0 {
		return Space{}, ErrNotFound
	}
	return list[0], nil
}

// SpaceOfCalendar returns the space whose calendar this is, as Space does; a calendar that
// is no space, or one the viewer may not see, is ErrNotFound.
func (s *Store) SpaceOfCalendar(ctx context.Context, v Viewer, calendarID int64) (Space, error) {
	list, err := s.spaces(ctx, v, s.db.Where("spaces.calendar_id = ?", calendarID))
	if err != nil {
		return Space{}, err
	}
	if len(list) == 0 {
		return Space{}, ErrNotFound
	}
	return list[0], nil
}

// Spaces lists the spaces the viewer may see, by name: every public space and the private
// ones they are a member of.
func (s *Store) Spaces(ctx context.Context, v Viewer) ([]Space, error) {
	return s.spaces(ctx, v, nil)
}

// spaces reads the visible spaces that cond (when not nil) selects, with the viewer's role.
func (s *Store) spaces(ctx context.Context, v Viewer, cond *gorm.DB) ([]Space, error) {
	db := s.db.WithContext(ctx)
	q := db.Model(&spaceRow{}).Where("visibility = ? OR id IN (?)", string(SpacePublic),
		s.db.Model(&spaceMemberRow{}).Select("space_id").Where("user_id = ?", v.UserID))
	if cond != nil {
		q = q.Where(cond)
	}
	var rows []spaceRow
	if err := q.Order("name, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list spaces: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var mine []spaceMemberRow
	if err := db.Where("user_id = ? AND space_id IN ?", v.UserID, ids).Find(&mine).Error; err != nil {
		return nil, fmt.Errorf("read memberships: %w", err)
	}
	byID := map[int64]spaceMemberRow{}
	for _, m := range mine {
		byID[m.SpaceID] = m
	}
	var counts []struct {
		SpaceID int64
		N       int
	}
	if err := db.Model(&spaceMemberRow{}).Select("space_id, COUNT(*) AS n").Where("space_id IN ?", ids).Group("space_id").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	n := map[int64]int{}
	for _, c := range counts {
		n[c.SpaceID] = c.N
	}
	out := make([]Space, len(rows))
	for i, r := range rows {
		out[i] = Space{ID: r.ID, CalendarID: r.CalendarID, Name: r.Name, Description: r.Description,
			Visibility: SpaceVisibility(r.Visibility), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), Members: n[r.ID]}
		if m, ok := byID[r.ID]; ok {
			out[i].Role, out[i].ShowInCalendar = SpaceRole(m.Role), m.ShowInCalendar
		}
	}
	return out, nil
}

// SpaceMembers lists a space's members, administrators first, for whoever may see the space.
func (s *Store) SpaceMembers(ctx context.Context, v Viewer, id int64) ([]SpaceMember, error) {
	if _, err := s.Space(ctx, v, id); err != nil {
		return nil, err
	}
	var rows []spaceMemberRow
	if err := s.db.WithContext(ctx).Where("space_id = ?", id).Order("role, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list members of space %d: %w", id, err)
	}
	out := make([]SpaceMember, len(rows))
	for i, r := range rows {
		out[i] = SpaceMember{UserID: r.UserID, Role: SpaceRole(r.Role), ShowInCalendar: r.ShowInCalendar, Since: r.CreatedAt.UTC()}
	}
	return out, nil
}

// AddSpaceMembers adds people to a space with the role, or gives members already there that
// role; space and site administrators only. Taking the administrator role from the last
// administrator is a conflict.
func (s *Store) AddSpaceMembers(ctx context.Context, v Viewer, id int64, userIDs []int64, role SpaceRole) error {
	sp, err := s.Space(ctx, v, id)
	if err != nil {
		return err
	}
	if !sp.CanManage(v) {
		return forbidden("Only the space's administrators can add members.")
	}
	if role != RoleAdmin && role != RoleMember {
		return invalid("role", "Role must be member or admin.")
	}
	now := s.now().UTC()
	return s.lockSpace(ctx, id, func(tx *gorm.DB) error {
		var joined []int64
		for _, uid := range userIDs {
			var cur spaceMemberRow
			err := tx.Where("space_id = ? AND user_id = ?", id, uid).First(&cur).Error
			switch {
			case errors.Is(err, gorm.ErrRecordNotFound):
				m := spaceMemberRow{SpaceID: id, UserID: uid, Role: string(role), ShowInCalendar: true, CreatedAt: now}
				if err := tx.Create(&m).Error; err != nil {
					return fmt.Errorf("add member %d to space %d: %w", uid, id, err)
				}
				joined = append(joined, uid)
			case err != nil:
				return fmt.Errorf("read member %d of space %d: %w", uid, id, err)
			case cur.Role != string(role):
				if err := tx.Model(&spaceMemberRow{}).Where("id = ?", cur.ID).Update("role", string(role)).Error; err != nil {
					return fmt.Errorf("change role of member %d of space %d: %w", uid, id, err)
				}
			}
		}
		if err := keepsAnAdmin(tx, id); err != nil {
			return err
		}
		return s.inviteJoined(ctx, tx, id, joined)
	})
}

// RemoveSpaceMember takes a member out of a space: space and site administrators may remove
// anyone, a member themselves (leaving). The last administrator can neither leave nor be
// removed (SpaceConflictError).
func (s *Store) RemoveSpaceMember(ctx context.Context, v Viewer, id, userID int64) error {
	sp, err := s.Space(ctx, v, id)
	if err != nil {
		return err
	}
	if userID != v.UserID && !sp.CanManage(v) {
		return forbidden("Only the space's administrators can remove other members.")
	}
	return s.lockSpace(ctx, id, func(tx *gorm.DB) error {
		res := tx.Where("space_id = ? AND user_id = ?", id, userID).Delete(&spaceMemberRow{})
		if res.Error != nil {
			return fmt.Errorf("remove member %d of space %d: %w", userID, id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := keepsAnAdmin(tx, id); err != nil {
			return err
		}
		return s.dropLeaver(ctx, tx, sp, userID)
	})
}

// JoinSpace makes the viewer a member of a public space; joining one already joined changes
// nothing. Private spaces are joined only by invitation (a non-member does not see them:
// ErrNotFound).
func (s *Store) JoinSpace(ctx context.Context, v Viewer, id int64) error {
	sp, err := s.Space(ctx, v, id)
	if err != nil {
		return err
	}
	if sp.Role != "" {
		return nil
	}
	if sp.Visibility != SpacePublic {
		return forbidden("This space is private: its administrators add its members.")
	}
	return s.lockSpace(ctx, id, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&spaceMemberRow{}).Where("space_id = ? AND user_id = ?", id, v.UserID).Count(&n).Error; err != nil {
			return fmt.Errorf("read membership in space %d: %w", id, err)
		}
		if n > 0 { // a second click that waited for the first
			return nil
		}
		m := spaceMemberRow{SpaceID: id, UserID: v.UserID, Role: string(RoleMember), ShowInCalendar: true, CreatedAt: s.now().UTC()}
		if err := tx.Create(&m).Error; err != nil {
			return fmt.Errorf("join space %d: %w", id, err)
		}
		return s.inviteJoined(ctx, tx, id, []int64{v.UserID})
	})
}

// SetShowInCalendar sets whether the space's events show in the viewer's My Calendar; the
// space's own pages show them either way.
func (s *Store) SetShowInCalendar(ctx context.Context, v Viewer, id int64, show bool) error {
	sp, err := s.Space(ctx, v, id)
	if err != nil {
		return err
	}
	if sp.Role == "" {
		return forbidden("Join the space first.")
	}
	if err := s.db.WithContext(ctx).Model(&spaceMemberRow{}).Where("space_id = ? AND user_id = ?", id, v.UserID).
		Update("show_in_calendar", show).Error; err != nil {
		return fmt.Errorf("set show in calendar for space %d: %w", id, err)
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

// lockSpace runs fn in a transaction that holds the space's row, so that two changes of its
// members take turns (the last administrator cannot be removed by two at once).
func (s *Store) lockSpace(ctx context.Context, id int64, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE spaces SET visibility = visibility WHERE id = ?", id)
		if res.Error != nil {
			return fmt.Errorf("lock space %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return fn(tx)
	})
}

// keepsAnAdmin refuses a change that leaves the space without an administrator.
func keepsAnAdmin(tx *gorm.DB, id int64) error {
	var n int64
	if err := tx.Model(&spaceMemberRow{}).Where("space_id = ? AND role = ?", id, string(RoleAdmin)).Count(&n).Error; err != nil {
		return fmt.Errorf("count administrators of space %d: %w", id, err)
	}
	if n == 0 {
		return &SpaceConflictError{Message: "A space needs at least one administrator: make another member an administrator first."}
	}
	return nil
}
