package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// eventUndoUp adds what a delete keeps so that the person who made it can undo it for a
// short while (calendar's undo.go): the event as it was before, the version and answers the
// delete left (an undo of an event changed since is refused), who deleted it and until when
// it may be undone. Rows outlive their expiry by an hour, so that a late Undo is told it came
// too late rather than that nothing is known of it.
func eventUndoUp(tx *gorm.DB) error {
	// A frozen copy of the row as of this migration.
	type eventUndo struct {
		ID        int64  `gorm:"primaryKey"`
		Token     string `gorm:"uniqueIndex:ux_event_undos_token;size:32;not null"`
		EventID   int64  `gorm:"index:ix_event_undos_event;not null"`
		UserID    int64  `gorm:"not null"`
		Scope     string `gorm:"size:16;not null"`
		Instance  *time.Time
		Version   int       `gorm:"not null"`
		Answers   string    `gorm:"size:64;not null"`
		Snapshot  string    `gorm:"not null"`
		CreatedAt time.Time `gorm:"not null"`
		ExpiresAt time.Time `gorm:"index:ix_event_undos_expires;not null"`
	}
	if err := tx.Table("event_undos").Migrator().CreateTable(&eventUndo{}); err != nil {
		return fmt.Errorf("create table event_undos: %w", err)
	}
	return nil
}
