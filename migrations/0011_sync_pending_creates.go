package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// syncPendingCreatesUp adds the record of what a sync cycle sends to Outlook as a new item,
// saved before it is sent: a cycle that stops after Outlook created the item but before its
// link was saved leaves the item with only our marker, and the next cycle relinks it with
// this as its base (what was sent) instead of guessing it from either side's present state.
func syncPendingCreatesUp(tx *gorm.DB) error {
	type syncPendingCreate struct {
		ID         int64     `gorm:"primaryKey"`
		UserID     int64     `gorm:"uniqueIndex:ux_sync_pending_creates_segment;not null"`
		EventID    int64     `gorm:"uniqueIndex:ux_sync_pending_creates_segment;not null"`
		SegmentUID string    `gorm:"uniqueIndex:ux_sync_pending_creates_segment;size:32;not null"`
		Base       string    `gorm:"not null"`
		SentAt     time.Time `gorm:"not null"`
	}
	if err := tx.Table("sync_pending_creates").Migrator().CreateTable(&syncPendingCreate{}); err != nil {
		return fmt.Errorf("create table sync_pending_creates: %w", err)
	}
	return nil
}
