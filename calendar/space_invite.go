package calendar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Inviting the whole space: an event of a space's calendar may be marked (a row of
// space_event_invites) so that every member is invited to all its instances, those there now
// when it is marked and those who join later, in the transaction that adds them. A member
// who leaves a private space loses every invitation to its events (they could not see them
// any more, and their Outlook should not keep them); one who leaves a public space loses the
// invitations the space gave them.

// CreateInvitingSpace stores a new event of a space's calendar (as Create) with the space's
// members invited to all instances, and marks it so that later members are invited too. The
// space's row is held meanwhile, so a member joining at the same moment is invited either way.
func (s *Store) CreateInvitingSpace(ctx context.Context, e *Event) error {
	sp, err := s.spaceRowOf(ctx, s.db, e.CalendarID)
	if err != nil {
		return err
	}
	return s.lockSpace(ctx, sp.ID, func(tx *gorm.DB) error {
		members, err := memberIDs(tx, sp.ID)
		if err != nil {
			return err
		}
		if err := e.Invite(members, ScopeAll, e.Segments[0].Start); err != nil {
			return err
		}
		return s.In(tx).CreateWith(ctx, e, func(tx *gorm.DB) error {
			return markSpaceWide(tx, e.ID, sp.ID, s.now().UTC())
		})
	})
}

// InviteSpace invites the whole space to an event of its calendar: its members now and those
// who join later. The organizer and site administrators may, as for any invitation.
func (s *Store) InviteSpace(ctx context.Context, v Viewer, id int64) (*Event, error) {
	e, err := s.Get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	sp, err := s.spaceRowOf(ctx, s.db, e.CalendarID)
	if errors.Is(err, ErrNotFound) {
		return nil, invalid("space", "This event is in no space's calendar.")
	}
	if err != nil {
		return nil, err
	}
	var out *Event
	err = s.lockSpace(ctx, sp.ID, func(tx *gorm.DB) error {
		members, err := memberIDs(tx, sp.ID)
		if err != nil {
			return err
		}
		in := s.In(tx)
		out, err = in.mutate(ctx, v, id, nil, accessEdit, true, func(e *Event) error {
			return e.Invite(members, ScopeAll, e.Segments[0].Start)
		}, func(e *Event) func(tx *gorm.DB) error {
			return func(tx *gorm.DB) error { return markSpaceWide(tx, e.ID, sp.ID, s.now().UTC()) }
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out.ViewFor(v), nil
}

// InvitesSpace reports whether the whole space is invited to the event.
func (s *Store) InvitesSpace(ctx context.Context, eventID int64) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&spaceEventInviteRow{}).Where("event_id = ?", eventID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("read space invitation of event %d: %w", eventID, err)
	}
	return n > 0, nil
}

// markSpaceWide records that the whole space is invited to the event, once.
func markSpaceWide(tx *gorm.DB, eventID, spaceID int64, now time.Time) error {
	var n int64
	if err := tx.Model(&spaceEventInviteRow{}).Where("event_id = ?", eventID).Count(&n).Error; err != nil {
		return fmt.Errorf("read space invitation of event %d: %w", eventID, err)
	}
	if n > 0 {
		return nil
	}
	row := spaceEventInviteRow{EventID: eventID, SpaceID: spaceID, CreatedAt: now}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("mark event %d as inviting space %d: %w", eventID, spaceID, err)
	}
	return nil
}

// memberIDs lists a space's members.
func memberIDs(tx *gorm.DB, spaceID int64) ([]int64, error) {
	var ids []int64
	if err := tx.Model(&spaceMemberRow{}).Where("space_id = ?", spaceID).Order("id").Pluck("user_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list members of space %d: %w", spaceID, err)
	}
	return ids, nil
}

// spaceRowOf is the space whose calendar this is, or ErrNotFound.
func (s *Store) spaceRowOf(ctx context.Context, db *gorm.DB, calendarID int64) (spaceRow, error) {
	var sp spaceRow
	err := db.WithContext(ctx).Where("calendar_id = ?", calendarID).First(&sp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sp, ErrNotFound
	}
	if err != nil {
		return sp, fmt.Errorf("read space of calendar %d: %w", calendarID, err)
	}
	return sp, nil
}

// inviteJoined invites people who just joined the space (in tx, which holds its row) to every
// live event the whole space is invited to. Each event touched gets a new version, which is
// how the organizer's Outlook sync learns of its new attendees.
func (s *Store) inviteJoined(ctx context.Context, tx *gorm.DB, spaceID int64, uids []int64) error {
	if len(uids) == 0 {
		return nil
	}
	var ids []int64
	if err := tx.Model(&spaceEventInviteRow{}).Where("space_id = ? AND event_id IN (?)", spaceID,
		tx.Model(&eventRow{}).Select("id").Where("deleted_at IS NULL")).Order("event_id").Pluck("event_id", &ids).Error; err != nil {
		return fmt.Errorf("list events inviting space %d: %w", spaceID, err)
	}
	return s.In(tx).touchEvents(ctx, ids, func(e *Event) bool {
		var add []int64
		for _, uid := range uids {
			if uid != e.OrganizerID && !e.invitedAll(uid) {
				add = append(add, uid)
			}
		}
		// An event already at MaxInvitations is left as it is rather than refusing the member.
		return len(add) > 0 && e.Invite(add, ScopeAll, time.Time{}) == nil
	})
}

// dropLeaver removes a former member's invitations (in tx, which holds the space's row): to
// every event of a private space, to the events a public space invited its members to.
func (s *Store) dropLeaver(ctx context.Context, tx *gorm.DB, sp Space, uid int64) error {
	events := tx.Model(&spaceEventInviteRow{}).Select("event_id").Where("space_id = ?", sp.ID)
	if sp.Visibility == SpacePrivate {
		events = tx.Model(&eventRow{}).Select("id").Where("calendar_id = ?", sp.CalendarID)
	}
	var ids []int64
	if err := tx.Model(&invitationRow{}).Distinct("event_id").Where("user_id = ? AND event_id IN (?)", uid, events).
		Where("event_id IN (?)", tx.Model(&eventRow{}).Select("id").Where("deleted_at IS NULL")).Pluck("event_id", &ids).Error; err != nil {
		return fmt.Errorf("list invitations of user %d in space %d: %w", uid, sp.ID, err)
	}
	slices.Sort(ids)
	return s.In(tx).touchEvents(ctx, ids, func(e *Event) bool {
		n := len(e.Invitations)
		e.Invitations = slices.DeleteFunc(e.Invitations, func(in Invitation) bool { return in.UserID == uid })
		return len(e.Invitations) != n
	})
}

// dropOutsiders removes the invitations of non-members to the space's events (in tx, which
// holds the space's row), when a public space becomes private.
func (s *Store) dropOutsiders(ctx context.Context, tx *gorm.DB, sp Space) error {
	members, err := memberIDs(tx, sp.ID)
	if err != nil {
		return err
	}
	member := make(map[int64]bool, len(members))
	for _, id := range members {
		member[id] = true
	}
	var ids []int64
	q := tx.Model(&invitationRow{}).Distinct("event_id").Where("event_id IN (?)",
		tx.Model(&eventRow{}).Select("id").Where("calendar_id = ? AND deleted_at IS NULL", sp.CalendarID))
	if len(members) > 0 {
		q = q.Where("user_id NOT IN (?)", tx.Model(&spaceMemberRow{}).Select("user_id").Where("space_id = ?", sp.ID))
	}
	if err := q.Pluck("event_id", &ids).Error; err != nil {
		return fmt.Errorf("list outside invitations of space %d: %w", sp.ID, err)
	}
	slices.Sort(ids)
	return s.In(tx).touchEvents(ctx, ids, func(e *Event) bool {
		n := len(e.Invitations)
		e.Invitations = slices.DeleteFunc(e.Invitations, func(in Invitation) bool { return !member[in.UserID] })
		return len(e.Invitations) != n
	})
}

// touchEvents loads each event whole, lets change change it and saves it when it says so; a
// concurrent edit (a version conflict) is met by loading the event again.
func (s *Store) touchEvents(ctx context.Context, ids []int64, change func(e *Event) bool) error {
	for _, id := range ids {
		for attempt := 0; ; attempt++ {
			e, err := s.load(ctx, s.db, id)
			if err != nil {
				return err
			}
			if !change(e) {
				break
			}
			err = s.save(ctx, e, nil)
			if err == nil {
				break
			}
			if !errors.Is(err, ErrConflict) || attempt >= 4 {
				return err
			}
		}
	}
	return nil
}
