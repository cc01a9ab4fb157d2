package migrations

import (
	"fmt"

	"gorm.io/gorm"
)

// contactListDigestsUp gives each contact list target the digest of everything last written
// there (outlooksync/contacts), so that a changes run compares one value per mailbox with the
// directory instead of reading every managed contact's record.
func contactListDigestsUp(tx *gorm.DB) error {
	type contactListTarget struct {
		WrittenDigest string `gorm:"size:64;not null;default:''"`
	}
	if err := tx.Table("contact_list_targets").Migrator().AddColumn(&contactListTarget{}, "WrittenDigest"); err != nil {
		return fmt.Errorf("add contact_list_targets.written_digest: %w", err)
	}
	return nil
}
