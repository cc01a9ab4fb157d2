package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// syncWindowUp lets the sync follow the clock: a calendarView delta link keeps the window of
// the round that began it, so the cursor remembers that window (to start a new round when
// the clock has moved it on) and where the backstop re-read of linked series stands (Outlook
// may say nothing in delta of a deleted occurrence, so the sync re-reads a few series each
// cycle, in turn).
func syncWindowUp(tx *gorm.DB) error {
	// A frozen copy of the row's new columns as of this migration.
	type syncCursor struct {
		DeltaFrom     *time.Time
		DeltaTo       *time.Time
		BackstopAfter string `gorm:"size:512;not null;default:''"`
	}
	m := tx.Table("sync_cursors").Migrator()
	for _, col := range []string{"DeltaFrom", "DeltaTo", "BackstopAfter"} {
		if err := m.AddColumn(&syncCursor{}, col); err != nil {
			return fmt.Errorf("add sync_cursors.%s: %w", col, err)
		}
	}
	return nil
}
