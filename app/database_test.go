package app

import (
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"intracal/config"
	"intracal/migrations"
)

// TestServerDatabaseBehindIsRefused checks the rule for shared databases: start-up refuses a
// schema that is behind and says what to run, while the local SQLite database is migrated.
func TestServerDatabaseBehindIsRefused(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	open := func() *gorm.DB {
		db, err := migrations.Open(t.Context(), config.Database{Driver: config.SQLite, DSN: filepath.Join(t.TempDir(), "c.db")}, log)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sqlDB, _ := db.DB(); sqlDB.Close() })
		return db
	}
	shared := open()
	err := ensureSchema(t.Context(), shared, log, false)
	if !errors.Is(err, ErrSchemaBehind) || !strings.Contains(err.Error(), "bin/calendar migrate") {
		t.Errorf("behind and not auto-migrated: err %v", err)
	}
	if pending, _ := migrations.Pending(t.Context(), shared); len(pending) != len(migrations.All()) {
		t.Error("the refusal changed the schema")
	}
	local := open()
	if err := ensureSchema(t.Context(), local, log, true); err != nil {
		t.Fatal(err)
	}
	if pending, _ := migrations.Pending(t.Context(), local); len(pending) != 0 {
		t.Errorf("auto-migration left %d pending", len(pending))
	}
}
