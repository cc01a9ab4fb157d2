package calendar

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// SpaceMembers lists a space's members, administrators first, for whoever may see the space.
func (s *Store) SpaceMembers(ctx context.Context, v Viewer, id int64) ([]SpaceMember, error) {
	if _, err := s.Space(ctx, v, id); err != nil {
		return nil, err
	}
	return s.members(ctx, id)
}

// members lists a space's members, administrators first.
func (s *Store) members(ctx context.Context, id int64) ([]SpaceMember, error) {
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

// SpaceMemberIDs lists the user ids of a space's members, for background work that acts for
// the site (contact lists): no viewer, so no visibility check. An unknown space has none.
func (s *Store) SpaceMemberIDs(ctx context.Context, id int64) ([]int64, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Model(&spaceMemberRow{}).Where("space_id = ?", id).Order("user_id").Pluck("user_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list the members of space %d: %w", id, err)
	}
	return ids, nil
}
