package calendar

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

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
	q := s.db.Model(&spaceRow{}).Where("visibility = ? OR id IN (?)", string(SpacePublic),
		s.db.Model(&spaceMemberRow{}).Select("space_id").Where("user_id = ?", v.UserID))
	if cond != nil {
		q = q.Where(cond)
	}
	return s.spacesOf(ctx, v, q)
}

// spacesOf reads the spaces the query q of spaces selects, by name, with the viewer's role and
// the members counted.
func (s *Store) spacesOf(ctx context.Context, v Viewer, q *gorm.DB) ([]Space, error) {
	db := s.db.WithContext(ctx)
	var rows []spaceRow
	if err := q.WithContext(ctx).Order("name, id").Find(&rows).Error; err != nil {
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
