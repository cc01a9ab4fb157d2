package migrations

import (
	"fmt"

	"gorm.io/gorm"
)

// eventLabelsUp adds what the organizer files an event under and when they are reminded of
// it, Outlook's categories and reminder, so that the sync keeps them both ways: the
// categories one a line, the reminder in minutes before the start (NULL: no reminder).
// Events stored before have neither, as an event made in Outlook with none.
func eventLabelsUp(tx *gorm.DB) error {
	// A frozen copy of the row's new columns as of this migration.
	type event struct {
		Categories      string `gorm:"not null;default:''"`
		ReminderMinutes *int
	}
	m := tx.Table("events").Migrator()
	for _, col := range []string{"Categories", "ReminderMinutes"} {
		if err := m.AddColumn(&event{}, col); err != nil {
			return fmt.Errorf("add events.%s: %w", col, err)
		}
	}
	return nil
}
