package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// spacePublishingUp adds publishing a space's calendar into its members' Outlook
// (outlooksync/publish): whether a space is published, one target per space and member
// (the calendar made in that member's mailbox, the last run and its outcome, and the lease
// that lets one app instance run it at a time), the copies written there (the Outlook
// item of each event part, with the change key written and digests of what it shows, so
// that a member's change is seen and undone), and the space's publishing history.
func spacePublishingUp(tx *gorm.DB) error {
	type spacePublication struct {
		SpaceID   int64 `gorm:"primaryKey;autoIncrement:false"`
		Enabled   bool  `gorm:"not null"`
		UpdatedBy int64 `gorm:"not null"`
		UpdatedAt time.Time
	}
	type spacePublishTarget struct {
		ID         int64  `gorm:"primaryKey"`
		SpaceID    int64  `gorm:"uniqueIndex:ux_space_publish_targets_key;not null"`
		UserID     int64  `gorm:"uniqueIndex:ux_space_publish_targets_key;not null"`
		Mailbox    string `gorm:"size:320;not null;default:''"`
		CalendarID string `gorm:"size:512;not null;default:''"`
		Holder     string `gorm:"size:128;not null;default:''"`
		LeaseUntil *time.Time
		DueAt      time.Time `gorm:"index;not null"`
		LastRunAt  *time.Time
		LastOKAt   *time.Time `gorm:"column:last_ok_at"`
		LastError  string     `gorm:"not null;default:''"`
		Failures   int        `gorm:"not null;default:0"`
		Requests   int        `gorm:"not null;default:0"`
		Leaving    bool       `gorm:"not null;default:false"`
	}
	type spacePublishItem struct {
		ID         int64  `gorm:"primaryKey"`
		TargetID   int64  `gorm:"uniqueIndex:ux_space_publish_items_key;not null"`
		EventID    int64  `gorm:"uniqueIndex:ux_space_publish_items_key;not null"`
		SegmentUID string `gorm:"uniqueIndex:ux_space_publish_items_key;size:32;not null"`
		RemoteID   string `gorm:"size:512;not null"`
		ChangeKey  string `gorm:"size:255;not null;default:''"`
		Digest     string `gorm:"size:64;not null"`
		Schedule   string `gorm:"size:64;not null"`
	}
	type spacePublishHistory struct {
		ID      int64     `gorm:"primaryKey"`
		SpaceID int64     `gorm:"index;not null"`
		UserID  int64     `gorm:"not null"`
		At      time.Time `gorm:"not null"`
		EventID int64     `gorm:"not null;default:0"`
		Summary string    `gorm:"not null"`
		Detail  string    `gorm:"not null;default:''"`
	}
	for _, t := range []struct {
		name  string
		model any
	}{
		{"space_publications", &spacePublication{}},
		{"space_publish_targets", &spacePublishTarget{}},
		{"space_publish_items", &spacePublishItem{}},
		{"space_publish_histories", &spacePublishHistory{}},
	} {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
	}
	return nil
}
