package migrations

import "gorm.io/gorm"

// ApplyList lets the external tests apply a list of their own, such as one with a broken step.
var ApplyList = apply

// EventLabelsUp lets a test that stores events with today's code on an older schema add the
// columns the store writes (and drop them again before migrating: EventLabelsDown).
var EventLabelsUp = eventLabelsUp

// EventLabelsDown drops what EventLabelsUp adds.
func EventLabelsDown(tx *gorm.DB) error {
	for _, col := range []string{"categories", "reminder_minutes"} {
		if err := tx.Exec("ALTER TABLE events DROP COLUMN " + col).Error; err != nil {
			return err
		}
	}
	return nil
}
