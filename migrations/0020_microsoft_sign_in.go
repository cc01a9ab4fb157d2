package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// microsoftSignInUp adds Sign in with Microsoft (app/signin): the Entra account each person
// signs in with, named by its immutable object id within its tenant (oid with tid), one per
// person and one person per account; and the sign-ins under way, bound to the browser that
// started them, used once and kept ten minutes (the PKCE verifier sealed, the nonce hashed).
func microsoftSignInUp(tx *gorm.DB) error {
	type user struct {
		ID int64 `gorm:"primaryKey"`
	}
	type userIdentity struct {
		ID           int64     `gorm:"primaryKey"`
		UserID       int64     `gorm:"not null;uniqueIndex:ux_user_identities_user"`
		User         *user     `gorm:"constraint:OnDelete:CASCADE"`
		TenantID     string    `gorm:"size:64;not null;uniqueIndex:ux_user_identities_subject"`
		ObjectID     string    `gorm:"size:64;not null;uniqueIndex:ux_user_identities_subject"`
		Username     string    `gorm:"size:320;not null"` // preferred_username at the last sign-in
		LinkedAt     time.Time `gorm:"not null"`
		LastSignInAt time.Time `gorm:"not null"`
	}
	type signinState struct {
		ID        string    `gorm:"primaryKey;size:64"` // sha256 of the state sent to Microsoft
		Binding   string    `gorm:"size:64;not null"`   // sha256 of the browser's sign-in cookie
		NonceHash string    `gorm:"size:64;not null"`
		Verifier  string    `gorm:"not null"` // PKCE code verifier, sealed
		Tenant    string    `gorm:"size:64;not null"`
		Next      string    `gorm:"size:2048;not null"`
		Connect   bool      `gorm:"not null"` // connect Outlook with the same consent
		CreatedAt time.Time `gorm:"not null"`
		ExpiresAt time.Time `gorm:"not null;index:ix_signin_states_expires"`
		UsedAt    *time.Time
	}
	tables := []struct {
		name  string
		model any
	}{
		{"user_identities", &userIdentity{}},
		{"signin_states", &signinState{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
	}
	return nil
}
