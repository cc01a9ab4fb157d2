package migrations

import (
	"fmt"

	"gorm.io/gorm"
)

// spaceCalendarNameUp keeps, for each member's side of a published space, the name its
// calendar in Outlook was given, so that renaming the space renames that calendar too.
func spaceCalendarNameUp(tx *gorm.DB) error {
	// A frozen copy of the row's new column as of this migration.
	type spacePublishTarget struct {
		CalendarName string `gorm:"size:255;not null;default:''"`
	}
	if err := tx.Table("space_publish_targets").Migrator().AddColumn(&spacePublishTarget{}, "CalendarName"); err != nil {
		return fmt.Errorf("add space_publish_targets.calendar_name: %w", err)
	}
	return nil
}
