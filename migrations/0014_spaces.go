package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// spacesUp adds spaces (calendar's space.go): a space is a calendar (a calendars row of kind
// "space") with a name, a description, a visibility (public: everyone may see and join;
// private: members only) and its members, each with a role and whether the space's events
// show in their My Calendar, and the events to which the whole space is invited (its members
// now and those who join later). The structs are frozen copies of the store's rows.
func spacesUp(tx *gorm.DB) error {
	type space struct {
		ID          int64  `gorm:"primaryKey"`
		CalendarID  int64  `gorm:"uniqueIndex:ux_spaces_calendar;not null"`
		Name        string `gorm:"size:255;not null"`
		Description string `gorm:"not null;default:''"`
		Visibility  string `gorm:"size:16;not null"`
		CreatedBy   int64  `gorm:"not null"`
		CreatedAt   time.Time
	}
	type spaceMember struct {
		ID             int64  `gorm:"primaryKey"`
		SpaceID        int64  `gorm:"uniqueIndex:ux_space_members_key;not null"`
		UserID         int64  `gorm:"uniqueIndex:ux_space_members_key;index:ix_space_members_user;not null"`
		Role           string `gorm:"size:16;not null"`
		ShowInCalendar bool   `gorm:"not null"`
		CreatedAt      time.Time
	}
	type spaceEventInvite struct {
		ID        int64 `gorm:"primaryKey"`
		EventID   int64 `gorm:"uniqueIndex:ux_space_event_invites_event;not null"`
		SpaceID   int64 `gorm:"index:ix_space_event_invites_space;not null"`
		CreatedAt time.Time
	}
	for _, t := range []struct {
		name  string
		model any
	}{{"spaces", &space{}}, {"space_members", &spaceMember{}}, {"space_event_invites", &spaceEventInvite{}}} {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
	}
	return nil
}
