package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"gorm.io/gorm"

	"intracal/config"
	"intracal/migrations"
)

// ErrSchemaBehind means the database needs migrations that were not applied.
var ErrSchemaBehind = errors.New("the database schema is behind this program")

// OpenDatabase opens the configured database and makes sure its schema is current. The local
// SQLite database is migrated on the spot; a server database shared by several instances is
// migrated only on purpose (`bin/calendar migrate`), so start-up refuses one that is behind.
func OpenDatabase(ctx context.Context, cfg config.Config, log *slog.Logger) (*gorm.DB, error) {
	db, err := migrations.Open(ctx, cfg.DB, log)
	if err != nil {
		return nil, err
	}
	if err := ensureSchema(ctx, db, log, cfg.DB.IsSQLite()); err != nil {
		CloseDatabase(db, log)
		return nil, err
	}
	return db, nil
}

// ensureSchema applies pending migrations when autoMigrate is set and refuses otherwise.
func ensureSchema(ctx context.Context, db *gorm.DB, log *slog.Logger, autoMigrate bool) error {
	pending, err := migrations.Pending(ctx, db)
	if err != nil {
		return fmt.Errorf("check the database schema: %w", err)
	}
	if len(pending) == 0 {
		return nil
	}
	if autoMigrate {
		return migrations.Apply(ctx, db, log)
	}
	names := make([]string, len(pending))
	for i, m := range pending {
		names[i] = fmt.Sprintf("%d %s", m.Version, m.Name)
	}
	return fmt.Errorf("%w: %d migration(s) pending (%s); run `bin/calendar migrate` first",
		ErrSchemaBehind, len(pending), strings.Join(names, ", "))
}

// CloseDatabase closes the database, logging what fails.
func CloseDatabase(db *gorm.DB, log *slog.Logger) {
	sqlDB, err := db.DB()
	if err == nil {
		err = sqlDB.Close()
	}
	if err != nil {
		log.Warn("close database", "err", err)
	}
}
