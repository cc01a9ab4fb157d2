package migrations_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/config"
	"intracal/migrations"
	"intracal/migrations/dbtest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestAllIsOrderedAndUnique(t *testing.T) {
	all := migrations.All()
	if len(all) < 2 || all[0].Version != 1 || all[1].Version != 2 {
		t.Fatalf("All() must start with versions 1 and 2, got %v", all)
	}
	for i, m := range all {
		if m.Up == nil || m.Name == "" {
			t.Errorf("migration %d has no Up or no Name", m.Version)
		}
		if i > 0 && m.Version <= all[i-1].Version {
			t.Errorf("migration %d follows %d: versions must increase", m.Version, all[i-1].Version)
		}
	}
}

func TestPendingOnEmptyDatabaseListsAll(t *testing.T) {
	db, err := migrations.Open(context.Background(), config.Database{Driver: config.SQLite, DSN: filepath.Join(t.TempDir(), "x.db")}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := migrations.Pending(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != len(migrations.All()) {
		t.Errorf("Pending = %d migrations, want all %d", len(pending), len(migrations.All()))
	}
}

func TestApplyCreatesTablesAndRecordsVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		for _, table := range []string{"users", "sessions", "api_tokens", "login_failures", "schema_migrations"} {
			if !db.Migrator().HasTable(table) {
				t.Errorf("table %s missing after Apply", table)
			}
		}
		var versions []int
		if err := db.Table("schema_migrations").Order("version").Pluck("version", &versions).Error; err != nil {
			t.Fatal(err)
		}
		if len(versions) != len(migrations.All()) {
			t.Errorf("schema_migrations holds %v, want every version", versions)
		}
		pending, err := migrations.Pending(ctx, db)
		if err != nil || len(pending) != 0 {
			t.Errorf("Pending after Apply = %v, %v; want none", pending, err)
		}
		// A second run (every start-up on SQLite does one) changes nothing.
		if err := migrations.Apply(ctx, db, quiet); err != nil {
			t.Fatalf("second Apply: %v", err)
		}
	})
}

func TestFailedMigrationRollsBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		type scratch struct{ ID int64 }
		broken := migrations.Migration{Version: 100, Name: "broken", Up: func(tx *gorm.DB) error {
			if err := tx.Table("scratch").Migrator().CreateTable(&scratch{}); err != nil {
				return err
			}
			return errors.New("boom")
		}}
		err := migrations.ApplyList(context.Background(), db, quiet, append(migrations.All(), broken))
		if err == nil {
			t.Fatal("Apply of a failing migration succeeded")
		}
		if db.Migrator().HasTable("scratch") {
			t.Error("the failed migration's table survived: it did not run in a transaction")
		}
		var n int64
		db.Table("schema_migrations").Where("version = ?", 100).Count(&n)
		if n != 0 {
			t.Error("the failed migration was recorded as applied")
		}
	})
}

func TestSchemaNewerThanProgramIsRefused(t *testing.T) {
	db := dbtest.SQLite(t)
	rec := map[string]any{"version": 999, "name": "from the future", "applied_at": time.Now().UTC()}
	if err := db.Table("schema_migrations").Create(rec).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.Pending(context.Background(), db); !errors.Is(err, migrations.ErrSchemaNewer) {
		t.Errorf("Pending err = %v, want ErrSchemaNewer", err)
	}
	if err := migrations.Apply(context.Background(), db, quiet); !errors.Is(err, migrations.ErrSchemaNewer) {
		t.Errorf("Apply err = %v, want ErrSchemaNewer", err)
	}
}

// TestConstraintsHold checks what the application relies on from the schema on every dialect:
// e-mail addresses are unique (reported as gorm.ErrDuplicatedKey), and deleting a user takes
// their sessions with them (foreign keys are enforced, on SQLite too).
func TestConstraintsHold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		user := func(email string) map[string]any {
			return map[string]any{"email": email, "name": "A", "password_hash": "", "is_admin": false,
				"time_zone": "UTC", "created_at": now, "updated_at": now}
		}
		if err := db.Table("users").Create(user("a@example.com")).Error; err != nil {
			t.Fatal(err)
		}
		err := db.Table("users").Create(user("a@example.com")).Error
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			t.Errorf("duplicate e-mail: err = %v, want gorm.ErrDuplicatedKey", err)
		}
		var id int64
		if err := db.Table("users").Where("email = ?", "a@example.com").Pluck("id", &id).Error; err != nil {
			t.Fatal(err)
		}
		sess := map[string]any{"id": "h", "user_id": id, "csrf_token": "c", "created_at": now, "expires_at": now, "last_seen_at": now}
		if err := db.Table("sessions").Create(sess).Error; err != nil {
			t.Fatal(err)
		}
		orphan := map[string]any{"id": "o", "user_id": id + 1000, "csrf_token": "c", "created_at": now, "expires_at": now, "last_seen_at": now}
		if err := db.Table("sessions").Create(orphan).Error; err == nil {
			t.Error("a session for a missing user was accepted: foreign keys are not enforced")
		}
		if err := db.Table("users").Where("id = ?", id).Delete(nil).Error; err != nil {
			t.Fatal(err)
		}
		var n int64
		db.Table("sessions").Count(&n)
		if n != 0 {
			t.Errorf("%d sessions survived their user's deletion", n)
		}
	})
}

// The SQLite database holds everyone's calendar: its file and the WAL beside it are for the
// program's user alone.
func TestSQLiteFilesAreCreatedPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "calendar.db")
	db, err := migrations.Open(context.Background(), config.Database{Driver: config.SQLite, DSN: path}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrations.Apply(context.Background(), db, quiet); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if mode := st.Mode().Perm(); mode&0o077 != 0 {
			t.Errorf("%s has mode %o, want no access for group and others", filepath.Base(p), mode)
		}
	}
}
