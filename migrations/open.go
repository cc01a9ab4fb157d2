package migrations

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlserver"
	"gorm.io/gorm"

	"intracal/config"
)

// Open connects to the configured database and checks that it answers. Times are written in
// UTC everywhere (gorm's clock included): SQLite keeps them as text and compares them as text.
func Open(ctx context.Context, d config.Database, log *slog.Logger) (*gorm.DB, error) {
	var dialector gorm.Dialector
	maxConns := 20
	switch d.Driver {
	case config.SQLite:
		if dir := filepath.Dir(d.DSN); dir != "." {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("open database: create directory: %w", err)
			}
		}
		if err := createPrivate(d.DSN); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		dialector = sqlite.Open(SQLiteDSN(d.DSN))
		// One file, one writer at a time: a few connections serve concurrent readers (WAL)
		// while writers queue on the busy timeout.
		maxConns = 4
	case config.Postgres:
		dialector = postgres.Open(d.DSN)
	case config.SQLServer:
		dialector = sqlserver.Open(d.DSN)
	default:
		return nil, fmt.Errorf("open database: unknown driver %q", d.Driver)
	}
	db, err := gorm.Open(dialector, GormConfig(log))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", d.Redacted(), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB.SetMaxOpenConns(maxConns)
	sqlDB.SetMaxIdleConns(maxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", d.Redacted(), err)
	}
	return db, nil
}

// SQLiteDSN adds the options the program relies on to a database file path: foreign keys
// enforced, write-ahead logging so readers do not wait for a writer, a busy timeout so writers
// queue instead of failing, and transactions that take the write lock when they begin (a
// deferred transaction that reads and then writes can fail at once when another wrote since).
func SQLiteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode()
}

// GormConfig is the gorm configuration every connection uses: UTC clock, errors translated to
// gorm's portable ones (ErrDuplicatedKey, ErrForeignKeyViolated), and gorm's log sent to slog.
func GormConfig(log *slog.Logger) *gorm.Config {
	return &gorm.Config{
		NowFunc:        func() time.Time { return time.Now().UTC() },
		TranslateError: true,
		Logger:         newGormLogger(log),
	}
}

// createPrivate creates the database file readable by its owner alone (it holds everyone's
// calendar and, sealed, their Outlook tokens). SQLite gives the -wal and -shm files it makes
// beside it the database file's permissions. An existing file keeps those its administrator
// gave it.
func createPrivate(path string) error {
	if path == "" || strings.HasPrefix(path, ":") || strings.HasPrefix(path, "file:") {
		return nil // in memory, or a URI the administrator wrote
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}
