package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// platformUp creates the web application's own tables: users, their browser sessions, personal
// API tokens, and the record of failed logins that slows down password guessing.
func platformUp(tx *gorm.DB) error {
	// The structs are frozen copies of the rows as of this migration.
	type user struct {
		ID           int64     `gorm:"primaryKey"`
		Email        string    `gorm:"size:320;not null;uniqueIndex:ux_users_email"` // stored lower-cased
		Name         string    `gorm:"size:255;not null"`
		PasswordHash string    `gorm:"size:255;not null"` // empty: cannot log in with a password
		IsAdmin      bool      `gorm:"not null"`
		TimeZone     string    `gorm:"size:64;not null;default:UTC"`
		CreatedAt    time.Time `gorm:"not null"`
		UpdatedAt    time.Time `gorm:"not null"`
	}
	type session struct {
		ID         string    `gorm:"primaryKey;size:64"` // hex sha256 of the cookie token
		UserID     int64     `gorm:"not null;index:ix_sessions_user"`
		User       *user     `gorm:"constraint:OnDelete:CASCADE"`
		CSRFToken  string    `gorm:"column:csrf_token;size:64;not null"`
		CreatedAt  time.Time `gorm:"not null"`
		ExpiresAt  time.Time `gorm:"not null;index:ix_sessions_expires"`
		LastSeenAt time.Time `gorm:"not null"`
	}
	type apiToken struct {
		ID         int64     `gorm:"primaryKey"`
		UserID     int64     `gorm:"not null;index:ix_api_tokens_user"`
		User       *user     `gorm:"constraint:OnDelete:CASCADE"`
		TokenHash  string    `gorm:"size:64;not null;uniqueIndex:ux_api_tokens_hash"` // hex sha256
		Name       string    `gorm:"size:100;not null"`
		CreatedAt  time.Time `gorm:"not null"`
		LastUsedAt *time.Time
	}
	type loginFailure struct {
		ID            int64     `gorm:"primaryKey"`
		Email         string    `gorm:"size:320;not null;uniqueIndex:ux_login_failures_key"` // lower-cased, need not exist
		IP            string    `gorm:"column:ip;size:64;not null;uniqueIndex:ux_login_failures_key"`
		Failures      int       `gorm:"not null"`
		FirstFailedAt time.Time `gorm:"not null"`
		LastFailedAt  time.Time `gorm:"not null;index:ix_login_failures_last"`
		LockedUntil   *time.Time
	}
	tables := []struct {
		name  string
		model any
	}{
		{"users", &user{}},
		{"sessions", &session{}},
		{"api_tokens", &apiToken{}},
		{"login_failures", &loginFailure{}},
	}
	for _, t := range tables {
		if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
			return fmt.Errorf("create %s: %w", t.name, err)
		}
	}
	return nil
}
