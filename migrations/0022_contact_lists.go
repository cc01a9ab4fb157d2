package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// contactListsUp adds contact lists (outlooksync/contacts): lists of people from the
// directory pushed one way into target mailboxes' contacts, as CiraSync's are. A list has a
// source and targets (everyone, a department, a space's members), people added or excluded
// by hand, the fields written and overwritten, a folder, and a schedule with a lease so one
// instance runs it at a time; each target mailbox keeps its folder, its managed contacts and
// its last error; each run leaves a history row.
func contactListsUp(tx *gorm.DB) error {
	type user struct {
		ID int64 `gorm:"primaryKey"`
	}
	type contactList struct {
		ID              int64     `gorm:"primaryKey"`
		Name            string    `gorm:"size:255;not null;uniqueIndex:ux_contact_lists_name"`
		SourceKind      string    `gorm:"size:16;not null"` // everyone, department, space, none
		SourceValue     string    `gorm:"size:255;not null"`
		TargetKind      string    `gorm:"size:16;not null"` // everyone, department, space
		TargetValue     string    `gorm:"size:255;not null"`
		Folder          string    `gorm:"size:16;not null"`  // list (a folder named after it), default
		WriteFields     string    `gorm:"size:255;not null"` // field names, separated by commas
		OverwriteFields string    `gorm:"size:255;not null"`
		IntervalMinutes int       `gorm:"not null"`
		NextRunAt       time.Time `gorm:"not null;index:ix_contact_lists_next"`
		LeaseHolder     string    `gorm:"size:100;not null"`
		LeaseUntil      *time.Time
		LastRunAt       *time.Time
		CreatedAt       time.Time `gorm:"not null"`
		UpdatedAt       time.Time `gorm:"not null"`
	}
	type contactListPerson struct {
		ListID int64  `gorm:"primaryKey;autoIncrement:false"`
		UserID int64  `gorm:"primaryKey;autoIncrement:false"`
		User   *user  `gorm:"constraint:OnDelete:CASCADE"`
		Role   string `gorm:"size:16;not null"` // add, exclude
	}
	type contactListTarget struct {
		ID        int64  `gorm:"primaryKey"`
		ListID    int64  `gorm:"not null;uniqueIndex:ux_contact_list_targets"`
		UserID    int64  `gorm:"not null;uniqueIndex:ux_contact_list_targets"`
		FolderID  string `gorm:"size:512;not null"`
		Leaving   bool   `gorm:"not null"`
		LastRunAt *time.Time
		LastError string    `gorm:"size:1000;not null"`
		Failures  int       `gorm:"not null"`
		CreatedAt time.Time `gorm:"not null"`
	}
	type contactListItem struct {
		TargetID  int64  `gorm:"primaryKey;autoIncrement:false"`
		PersonID  int64  `gorm:"primaryKey;autoIncrement:false"`
		ContactID string `gorm:"size:512;not null"`
		Digest    string `gorm:"size:64;not null"` // of the fields as last written
	}
	type contactListRun struct {
		ID         int64     `gorm:"primaryKey"`
		ListID     int64     `gorm:"not null;index:ix_contact_list_runs_list"`
		Kind       string    `gorm:"size:16;not null"` // check, changes, now
		StartedAt  time.Time `gorm:"not null"`
		FinishedAt time.Time `gorm:"not null"`
		Targets    int       `gorm:"not null"`
		Created    int       `gorm:"not null"`
		Updated    int       `gorm:"not null"`
		Restored   int       `gorm:"not null"`
		Removed    int       `gorm:"not null"`
		Failed     int       `gorm:"not null"`
		Detail     string    `gorm:"size:1000;not null"`
	}
	tables := []struct {
		name  string
		model any
	}{
		{"contact_lists", &contactList{}},
		{"contact_list_people", &contactListPerson{}},
		{"contact_list_targets", &contactListTarget{}},
		{"contact_list_items", &contactListItem{}},
		{"contact_list_runs", &contactListRun{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
	}
	return nil
}
