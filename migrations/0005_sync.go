package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// syncUp creates the Outlook sync's tables: the links between local segments and Outlook
// series with the base of the three-way merge, the delta cursor of each user, the history
// the user sees, and the lease that lets one app instance at a time sync a connection.
func syncUp(tx *gorm.DB) error {
	type syncLink struct {
		ID         int64  `gorm:"primaryKey"`
		UserID     int64  `gorm:"uniqueIndex:ux_sync_links_segment;not null"`
		EventID    int64  `gorm:"uniqueIndex:ux_sync_links_segment;index;not null"`
		SegmentUID string `gorm:"uniqueIndex:ux_sync_links_segment;size:32;not null"`
		RemoteID   string `gorm:"index;size:512;not null"`
		ChangeKey  string `gorm:"size:128;not null"`
		Base       string `gorm:"not null"`
		UpdatedAt  time.Time
	}
	type syncCursor struct {
		UserID      int64 `gorm:"primaryKey;autoIncrement:false"`
		DeltaLink   string
		LastCycleAt *time.Time
		LastSummary string
		UpdatedAt   time.Time
	}
	type syncHistory struct {
		ID        int64     `gorm:"primaryKey"`
		UserID    int64     `gorm:"index:ix_sync_history_user_at;not null"`
		At        time.Time `gorm:"index:ix_sync_history_user_at;not null"`
		EventID   int64     `gorm:"not null"`
		Direction string    `gorm:"size:16;not null"`
		Summary   string    `gorm:"size:255;not null"`
		Detail    string
	}
	type syncLease struct {
		UserID    int64     `gorm:"primaryKey;autoIncrement:false"`
		Holder    string    `gorm:"size:64;not null"`
		ExpiresAt time.Time `gorm:"not null"`
	}
	for _, t := range []struct {
		name  string
		model any
	}{{"sync_links", &syncLink{}}, {"sync_cursors", &syncCursor{}}, {"sync_histories", &syncHistory{}}, {"sync_leases", &syncLease{}}} {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
	}
	return nil
}
