package migrations

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Migration is one versioned change of the schema.
type Migration struct {
	// Version orders migrations; it is recorded once applied and never reused.
	Version int
	// Name says what the migration does, for logs and schema_migrations.
	Name string
	// Up applies the change inside the transaction tx.
	Up func(tx *gorm.DB) error
}

// All lists every migration in the order they apply. Append new ones; never edit or reorder
// an old one, since databases in the field have already run it.
func All() []Migration {
	return []Migration{
		{1, "platform", platformUp},
		{2, "calendar", calendarUp},
		{3, "system properties", propertiesUp},
		{4, "outlook connections", outlookConnectionsUp},
		{5, "outlook sync", syncUp},
		{6, "outlook meetings", meetingsUp},
		{7, "outlook sync window", syncWindowUp},
		{8, "event dates in range", datesInRangeUp},
		{9, "account lifecycle", accountLifecycleUp},
		{10, "answer indexes", answerIndexesUp},
		{11, "outlook sync pending creates", syncPendingCreatesUp},
		{12, "event labels", eventLabelsUp},
		{13, "event undo", eventUndoUp},
		{14, "spaces", spacesUp},
		{15, "outlook sync awaited splits", syncAwaitedSplitsUp},
		{16, "space publishing", spacePublishingUp},
		{17, "space calendar name", spaceCalendarNameUp},
		{18, "outlook subscriptions", outlookSubscriptionsUp},
		{19, "calendar feeds", calendarFeedsUp},
		{20, "microsoft sign-in", microsoftSignInUp},
		{21, "directory", directoryUp},
		{22, "contact lists", contactListsUp},
		{23, "contact list digests", contactListDigestsUp},
	}
}

// ErrSchemaNewer means the database has migrations this program does not know: it was
// migrated by a newer version, and this one must not run against it.
var ErrSchemaNewer = errors.New("the database schema is newer than this program")

// schemaMigration is a row of schema_migrations, the record of applied migrations.
type schemaMigration struct {
	Version   int       `gorm:"primaryKey;autoIncrement:false"`
	Name      string    `gorm:"size:100;not null"`
	AppliedAt time.Time `gorm:"not null"`
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// Apply runs every pending migration in order, each in its own transaction together with its
// record in schema_migrations, so a failure leaves the schema at the last complete version.
func Apply(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
	return apply(ctx, db, log, All())
}

// Pending lists the migrations the database has not applied yet. It fails with ErrSchemaNewer
// when the database has applied a migration this program does not know.
func Pending(ctx context.Context, db *gorm.DB) ([]Migration, error) {
	return pending(ctx, db, All())
}

func apply(ctx context.Context, db *gorm.DB, log *slog.Logger, all []Migration) error {
	db = db.WithContext(ctx)
	if err := ensureTable(db); err != nil {
		return err
	}
	todo, err := pending(ctx, db, all)
	if err != nil {
		return err
	}
	for _, m := range todo {
		start := time.Now()
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := m.Up(tx); err != nil {
				return err
			}
			rec := schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}
			if err := tx.Create(&rec).Error; err != nil {
				return fmt.Errorf("record: %w", err)
			}
			return nil
		})
		if err != nil {
			// Another instance starting at the same moment may have applied it first; then
			// our transaction failed on its tables and there is nothing left to do.
			if done, _ := applied(db); slices.Contains(done, m.Version) {
				log.Info("migration applied by another process", "version", m.Version, "name", m.Name)
				continue
			}
			return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		log.Info("migration applied", "version", m.Version, "name", m.Name, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func pending(ctx context.Context, db *gorm.DB, all []Migration) ([]Migration, error) {
	db = db.WithContext(ctx)
	if !db.Migrator().HasTable(&schemaMigration{}) {
		return all, nil
	}
	done, err := applied(db)
	if err != nil {
		return nil, err
	}
	known := make(map[int]bool, len(all))
	for _, m := range all {
		known[m.Version] = true
	}
	for _, v := range done {
		if !known[v] {
			return nil, fmt.Errorf("%w: it has migration %d", ErrSchemaNewer, v)
		}
	}
	var todo []Migration
	for _, m := range all {
		if !slices.Contains(done, m.Version) {
			todo = append(todo, m)
		}
	}
	return todo, nil
}

func applied(db *gorm.DB) ([]int, error) {
	var versions []int
	if err := db.Model(&schemaMigration{}).Order("version").Pluck("version", &versions).Error; err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return versions, nil
}

func ensureTable(db *gorm.DB) error {
	if db.Migrator().HasTable(&schemaMigration{}) {
		return nil
	}
	if err := db.Migrator().CreateTable(&schemaMigration{}); err != nil {
		if db.Migrator().HasTable(&schemaMigration{}) {
			return nil // created by a process starting at the same moment
		}
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return nil
}
