package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// meetingsUp prepares the sync for meetings across mailboxes: a link remembers the iCalUId
// of the organizer's Outlook item, so that an invitee's copy of the meeting (same iCalUId,
// same organizer) can be tied to the same local event; and sync_attendances keeps, per
// invitee, which Outlook copy stands for which event (or instance) with the answers last
// synced, the base of the answers' three-way merge.
func meetingsUp(tx *gorm.DB) error {
	// Frozen copies of the rows as of this migration.
	type syncLink struct {
		ICalUID string `gorm:"column:ical_uid;size:255;not null;default:'';index:ix_sync_links_ical_uid"`
	}
	type syncAttendance struct {
		ID         int64  `gorm:"primaryKey"`
		UserID     int64  `gorm:"uniqueIndex:ux_sync_attendances_remote;not null"`
		RemoteID   string `gorm:"uniqueIndex:ux_sync_attendances_remote;size:512;not null"`
		ICalUID    string `gorm:"column:ical_uid;size:255;not null"`
		Organizer  string `gorm:"size:320;not null"`
		EventID    int64  `gorm:"index;not null"` // 0 while the organizer's side is not synced yet
		SegmentUID string `gorm:"size:32;not null"`
		Instance   *time.Time
		Base       string `gorm:"not null"`
		UpdatedAt  time.Time
	}
	links := tx.Table("sync_links").Migrator()
	if err := links.AddColumn(&syncLink{}, "ICalUID"); err != nil {
		return fmt.Errorf("add sync_links.ical_uid: %w", err)
	}
	if err := links.CreateIndex(&syncLink{}, "ix_sync_links_ical_uid"); err != nil {
		return fmt.Errorf("index sync_links.ical_uid: %w", err)
	}
	if err := tx.Table("sync_attendances").Migrator().CreateTable(&syncAttendance{}); err != nil {
		return fmt.Errorf("create table sync_attendances: %w", err)
	}
	return nil
}
