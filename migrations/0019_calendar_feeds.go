package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// calendarFeedsUp adds iCalendar feeds (app/feeds): one secret address per person's My
// Calendar (and per space), found by the SHA-256 of its token and shown again from the token
// sealed with the site's key, with the owner's choice for their own private events.
func calendarFeedsUp(tx *gorm.DB) error {
	type calendarFeed struct {
		ID          int64     `gorm:"primaryKey"`
		OwnerKind   string    `gorm:"uniqueIndex:ux_calendar_feeds_owner;size:16;not null"`
		OwnerID     int64     `gorm:"uniqueIndex:ux_calendar_feeds_owner;not null"`
		TokenHash   string    `gorm:"uniqueIndex:ux_calendar_feeds_token;size:64;not null"`
		TokenSealed string    `gorm:"size:512;not null"`
		Private     string    `gorm:"size:16;not null;default:'busy'"`
		CreatedAt   time.Time `gorm:"not null"`
	}
	if err := tx.Migrator().CreateTable(&calendarFeed{}); err != nil {
		return fmt.Errorf("create calendar_feeds: %w", err)
	}
	type calendarImport struct {
		ID         int64     `gorm:"primaryKey"`
		CalendarID int64     `gorm:"uniqueIndex:ux_calendar_imports_uid;not null"`
		UIDHash    string    `gorm:"column:uid_hash;uniqueIndex:ux_calendar_imports_uid;size:64;not null"`
		EventID    int64     `gorm:"index;not null"`
		Digest     string    `gorm:"size:64;not null"`
		UpdatedAt  time.Time `gorm:"not null"`
	}
	if err := tx.Migrator().CreateTable(&calendarImport{}); err != nil {
		return fmt.Errorf("create calendar_imports: %w", err)
	}
	return nil
}
