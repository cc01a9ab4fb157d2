package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// syncAwaitedSplitsUp adds the Outlook series that a sync cycle deleted because their part
// was removed here, just after Outlook had shortened them: the first of the two writes of
// Outlook's "this and all following". The new series of the second write arrives later
// and, matched against what is kept here, is deleted too instead of being imported
// (outlooksync/awaited.go). A row lives a day at most.
func syncAwaitedSplitsUp(tx *gorm.DB) error {
	type syncAwaitedSplit struct {
		ID        int64     `gorm:"primaryKey"`
		UserID    int64     `gorm:"index;not null"`
		RemoteID  string    `gorm:"size:512;not null"`
		EventID   int64     `gorm:"not null"`
		Was       string    `gorm:"not null"`
		Shortened string    `gorm:"not null"`
		DeletedAt time.Time `gorm:"not null"`
	}
	if err := tx.Table("sync_awaited_splits").Migrator().CreateTable(&syncAwaitedSplit{}); err != nil {
		return fmt.Errorf("create table sync_awaited_splits: %w", err)
	}
	return nil
}
