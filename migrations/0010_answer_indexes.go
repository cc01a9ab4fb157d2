package migrations

import (
	"fmt"

	"gorm.io/gorm"
)

// answerIndexesUp indexes invitations and answers by event and person together. An answer
// reads and writes one person's rows of one event; with only the single-column indexes of
// migration 2, SQLite looked them up through the event's index and went through every
// invitee's row, so that an answer cost ten times more on an event of 10,000 invitees
// than on one of 10.
func answerIndexesUp(tx *gorm.DB) error {
	for _, ix := range []struct{ name, table string }{
		{"ix_invitations_event_user", "invitations"},
		{"ix_rsvps_event_user", "rsvps"},
	} {
		if err := tx.Exec(fmt.Sprintf("CREATE INDEX %s ON %s (event_id, user_id)", ix.name, ix.table)).Error; err != nil {
			return fmt.Errorf("index %s: %w", ix.table, err)
		}
	}
	return nil
}
