package migrations_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/config"
	"intracal/migrations"
	"intracal/migrations/dbtest"
)

// Migration 9 gives accounts and tokens a lifecycle on a database that has them already:
// existing accounts stay enabled, existing tokens keep working without an expiry, and
// account_audit is there to write to.
func TestMigration9KeepsExistingAccountsAndTokens(t *testing.T) {
	ctx := context.Background()
	db, err := migrations.Open(ctx, config.Database{Driver: config.SQLite, DSN: filepath.Join(t.TempDir(), "x.db")}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	var before []migrations.Migration
	for _, m := range migrations.All() {
		if m.Version < 9 {
			before = append(before, m)
		}
	}
	if err := migrations.ApplyList(ctx, db, quiet, before); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := db.Table("users").Create(map[string]any{"email": "a@example.com", "name": "A", "password_hash": "", "is_admin": true,
		"time_zone": "UTC", "created_at": now, "updated_at": now}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Table("api_tokens").Create(map[string]any{"user_id": 1, "token_hash": "h", "name": "old", "created_at": now}).Error; err != nil {
		t.Fatal(err)
	}
	if db.Migrator().HasColumn("api_tokens", "expires_at") {
		t.Fatal("the columns exist before migration 9: the test does not test it")
	}
	if err := migrations.Apply(ctx, db, quiet); err != nil {
		t.Fatal(err)
	}
	var tok struct {
		TokenPrefix string
		ExpiresAt   *time.Time
	}
	if err := db.Table("api_tokens").Select("token_prefix, expires_at").Take(&tok).Error; err != nil {
		t.Fatal(err)
	}
	if tok.TokenPrefix != "" || tok.ExpiresAt != nil {
		t.Errorf("the old token after migration 9: %+v, want no prefix and no expiry", tok)
	}
	var disabled int64
	db.Table("users").Where("disabled_at IS NOT NULL OR deleted_at IS NOT NULL").Count(&disabled)
	if disabled != 0 {
		t.Error("migration 9 disabled or deleted an existing account")
	}
}

// The new columns and table hold what the app writes, on every dialect.
func TestAccountLifecycleSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if err := db.Table("users").Create(map[string]any{"email": "a@example.com", "name": "A", "password_hash": "", "is_admin": false,
			"time_zone": "UTC", "created_at": now, "updated_at": now, "disabled_at": now}).Error; err != nil {
			t.Fatal(err)
		}
		var id int64
		db.Table("users").Where("email = ?", "a@example.com").Pluck("id", &id)
		if err := db.Table("api_tokens").Create(map[string]any{"user_id": id, "token_hash": "h", "token_prefix": "cal_abcdefgh",
			"name": "n", "created_at": now, "expires_at": now.Add(time.Hour)}).Error; err != nil {
			t.Fatal(err)
		}
		audit := map[string]any{"action": "user_disabled", "subject_user_id": id, "subject": "A <a@example.com>",
			"actor": "command line", "detail": "", "at": now}
		if err := db.Table("account_audit").Create(audit).Error; err != nil {
			t.Fatal(err)
		}
		var at time.Time
		if err := db.Table("account_audit").Where("subject_user_id = ?", id).Pluck("at", &at).Error; err != nil || !at.Equal(now) {
			t.Errorf("account_audit reads back %v, %v", at, err)
		}
	})
}
