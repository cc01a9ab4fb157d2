// Package dbtest gives tests a fresh, fully migrated database: SQLite always, and PostgreSQL
// when CALENDAR_TEST_POSTGRES holds a DSN, so that one store test suite runs on both.
//
// Each PostgreSQL test gets its own schema (created, put first on the search_path, dropped
// when the test ends), so tests never see each other's rows and may run in parallel. On CI
// (CI=true) a missing CALENDAR_TEST_POSTGRES fails the test rather than silently testing
// SQLite alone.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"intracal/config"
	"intracal/migrations"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests; .ci/test-deps starts a
// throwaway server and the Makefile exports it.
const EnvPostgres = "CALENDAR_TEST_POSTGRES"

// Each runs fn on a fresh migrated SQLite database and, when CALENDAR_TEST_POSTGRES is set, on
// a fresh migrated PostgreSQL schema, as the subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set on CI: PostgreSQL tests would be skipped silently (make test starts a server)", EnvPostgres)
		}
		t.Logf("%s not set: PostgreSQL not tested", EnvPostgres)
		return
	}
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, dsn)) })
}

// SQLite returns a fresh migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) *gorm.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := migrations.Open(context.Background(), config.Database{Driver: config.SQLite, DSN: path}, logger(t))
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { closeDB(t, db) })
	migrate(t, db)
	return db
}

// Postgres returns a fresh migrated schema on the PostgreSQL server that dsn reaches.
func Postgres(t testing.TB, dsn string) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	admin, err := gorm.Open(postgres.Open(dsn), migrations.GormConfig(logger(t)))
	if err != nil {
		t.Fatalf("dbtest: connect to %s: %v", EnvPostgres, err)
	}
	t.Cleanup(func() { closeDB(t, admin) })

	schema := "test_" + randomHex(8)
	if err := admin.WithContext(ctx).Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	// Registered after admin's close, so it runs before it (cleanups run last first).
	t.Cleanup(func() {
		if err := admin.Exec("DROP SCHEMA " + schema + " CASCADE").Error; err != nil {
			t.Errorf("dbtest: drop schema %s: %v", schema, err)
		}
	})

	db, err := migrations.Open(ctx, config.Database{Driver: config.Postgres, DSN: withSearchPath(dsn, schema)}, logger(t))
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { closeDB(t, db) })
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.SetMaxOpenConns(4) // many test packages share one server's connection limit
	}
	migrate(t, db)
	return db
}

// withSearchPath puts schema on the search path of a URL or keyword/value DSN.
func withSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " search_path=" + schema
}

func migrate(t testing.TB, db *gorm.DB) {
	t.Helper()
	if err := migrations.Apply(context.Background(), db, logger(t)); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
}

func closeDB(t testing.TB, db *gorm.DB) {
	sqlDB, err := db.DB()
	if err != nil {
		return
	}
	if err := sqlDB.Close(); err != nil {
		t.Errorf("dbtest: close: %v", err)
	}
}

// logger shows warnings (failed and slow statements) in the test's output.
func logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Dialect names the database's dialect ("sqlite", "postgres") for tests that must differ.
func Dialect(db *gorm.DB) string { return db.Dialector.Name() }
