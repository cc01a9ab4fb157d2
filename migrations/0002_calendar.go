package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// calendarUp creates the calendar domain's tables: calendars, events, their segments, the
// per-instance overrides, invitations and RSVPs. The structs are frozen copies of the store's
// rows as they were when this migration was written.
func calendarUp(tx *gorm.DB) error {
	type calendar struct {
		ID          int64  `gorm:"primaryKey"`
		Kind        string `gorm:"size:16;not null"`
		OwnerUserID *int64 `gorm:"index"`
		Name        string `gorm:"size:255;not null"`
		CreatedAt   time.Time
	}
	type event struct {
		ID          int64  `gorm:"primaryKey"`
		CalendarID  int64  `gorm:"index;not null"`
		OrganizerID int64  `gorm:"index;not null"`
		Privacy     string `gorm:"size:16;not null"`
		Version     int    `gorm:"not null"`
		CreatedAt   time.Time
		UpdatedAt   time.Time
		DeletedAt   *time.Time `gorm:"index"`
	}
	type segment struct {
		ID              int64      `gorm:"primaryKey"`
		EventID         int64      `gorm:"index;not null"`
		UID             string     `gorm:"column:uid;size:32;not null"`
		Position        int        `gorm:"not null"`
		StartLocal      string     `gorm:"size:19;not null"`
		TimeZone        string     `gorm:"size:64;not null"`
		DurationSeconds int64      `gorm:"not null"`
		AllDay          bool       `gorm:"not null"`
		RRule           string     `gorm:"column:rrule;size:255;not null"`
		FirstStartUTC   time.Time  `gorm:"index;not null"`
		LastEndUTC      *time.Time `gorm:"index"`
		Title           string     `gorm:"size:255;not null"`
		Description     string
		Location        string `gorm:"size:255;not null"`
	}
	type override struct {
		ID            int64     `gorm:"primaryKey"`
		EventID       int64     `gorm:"uniqueIndex:ux_overrides_key;not null"`
		OriginalStart time.Time `gorm:"uniqueIndex:ux_overrides_key;index;not null"`
		Cancelled     bool      `gorm:"not null"`
		Title         *string   `gorm:"size:255"`
		Description   *string
		Location      *string    `gorm:"size:255"`
		StartUTC      *time.Time `gorm:"index"`
		EndUTC        *time.Time
	}
	type invitation struct {
		ID       int64 `gorm:"primaryKey"`
		EventID  int64 `gorm:"index;not null"`
		UserID   int64 `gorm:"index;not null"`
		Instance *time.Time
	}
	type rsvp struct {
		ID        int64  `gorm:"primaryKey"`
		EventID   int64  `gorm:"index;not null"`
		UserID    int64  `gorm:"index;not null"`
		Scope     string `gorm:"size:16;not null"`
		Instance  *time.Time
		Response  string `gorm:"size:8;not null"`
		UpdatedAt time.Time
	}
	tables := []struct {
		name  string
		model any
	}{
		{"calendars", &calendar{}}, {"events", &event{}}, {"segments", &segment{}},
		{"overrides", &override{}}, {"invitations", &invitation{}}, {"rsvps", &rsvp{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
	}
	return nil
}
