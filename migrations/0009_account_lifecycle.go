package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// accountLifecycleUp gives accounts and API tokens a lifecycle: an account can be disabled
// (it cannot sign in, and the Outlook sync skips it) or deleted (kept as a tombstone, so that
// what it organized and changed still names someone); a token keeps a prefix to be
// recognised by and may expire. account_audit records these changes, as property_audit
// records those of System Properties: who did what to which account and when, never a secret.
func accountLifecycleUp(tx *gorm.DB) error {
	// Frozen copies of the rows' new columns and of the new table as of this migration.
	type user struct {
		DisabledAt *time.Time
		DeletedAt  *time.Time
	}
	type apiToken struct {
		TokenPrefix string `gorm:"size:16;not null;default:''"` // the first characters, shown to tell tokens apart
		ExpiresAt   *time.Time
	}
	type accountAudit struct {
		ID            int64     `gorm:"primaryKey"`
		Action        string    `gorm:"size:32;not null"`
		SubjectUserID *int64    `gorm:"index:ix_account_audit_subject"` // users.id of the account concerned
		Subject       string    `gorm:"size:400;not null"`              // name and address as they were
		ActorUserID   *int64    // users.id; nil for the command line
		Actor         string    `gorm:"size:400;not null"` // name and address, or "command line"
		Detail        string    `gorm:"size:400;not null"` // a token's name and prefix, a count; never a secret
		At            time.Time `gorm:"not null;index:ix_account_audit_at"`
	}
	users := tx.Table("users").Migrator()
	for _, col := range []string{"DisabledAt", "DeletedAt"} {
		if err := users.AddColumn(&user{}, col); err != nil {
			return fmt.Errorf("add users.%s: %w", col, err)
		}
	}
	tokens := tx.Table("api_tokens").Migrator()
	for _, col := range []string{"TokenPrefix", "ExpiresAt"} {
		if err := tokens.AddColumn(&apiToken{}, col); err != nil {
			return fmt.Errorf("add api_tokens.%s: %w", col, err)
		}
	}
	if err := tx.Table("account_audit").Migrator().CreateTable(&accountAudit{}); err != nil {
		return fmt.Errorf("create table account_audit: %w", err)
	}
	return nil
}
