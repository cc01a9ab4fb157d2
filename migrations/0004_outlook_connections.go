package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// outlookConnectionsUp creates the Outlook connections (one per site user, one site user per
// Outlook account, tokens sealed) and the pending OAuth sign-ins (state, PKCE verifier),
// which are single use and expire after ten minutes.
func outlookConnectionsUp(tx *gorm.DB) error {
	// Frozen copies of the rows as of this migration.
	type user struct {
		ID int64 `gorm:"primaryKey"`
	}
	type outlookConnection struct {
		ID          int64  `gorm:"primaryKey"`
		UserID      int64  `gorm:"not null;uniqueIndex:ux_outlook_connections_user"`
		User        *user  `gorm:"constraint:OnDelete:CASCADE"`
		AccountID   string `gorm:"size:100;not null;uniqueIndex:ux_outlook_connections_account"` // Entra object id
		AccountMail string `gorm:"size:320;not null"`
		AccountUPN  string `gorm:"column:account_upn;size:320;not null"`
		AccountName string `gorm:"size:255;not null"`
		TenantID    string `gorm:"size:64;not null"`
		State       string `gorm:"size:20;not null;index:ix_outlook_connections_state"` // connected, needs_reconnect
		// Tokens are sealed with the site's secret key, bound to the user.
		AccessToken  string    `gorm:"not null"`
		RefreshToken string    `gorm:"not null"`
		TokenExpiry  time.Time `gorm:"not null"`
		// TokenVersion grows with every stored refresh: a refresh is saved only over the
		// version it started from, so two refreshes at once keep one valid token.
		TokenVersion int64 `gorm:"not null"`
		DeltaLink    string
		LastSyncAt   *time.Time
		LastError    string `gorm:"size:1000;not null"`
		LastErrorAt  *time.Time
		Failures     int `gorm:"not null"` // consecutive temporary failures, for the backoff
		RetryAt      *time.Time
		CreatedAt    time.Time `gorm:"not null"`
		UpdatedAt    time.Time `gorm:"not null"`
	}
	type oauthState struct {
		ID        string    `gorm:"primaryKey;size:64"` // sha256 of the state sent to Microsoft
		UserID    int64     `gorm:"not null;index:ix_oauth_states_user"`
		User      *user     `gorm:"constraint:OnDelete:CASCADE"`
		Binding   string    `gorm:"size:100;not null"` // the session or API token the sign-in started from (hashed)
		Verifier  string    `gorm:"not null"`          // PKCE code verifier, sealed
		Tenant    string    `gorm:"size:64;not null"`
		CreatedAt time.Time `gorm:"not null"`
		ExpiresAt time.Time `gorm:"not null;index:ix_oauth_states_expires"`
		UsedAt    *time.Time
	}
	tables := []struct {
		name  string
		model any
	}{
		{"outlook_connections", &outlookConnection{}},
		{"oauth_states", &oauthState{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create table %s: %w", t.name, err)
		}
	}
	return nil
}
