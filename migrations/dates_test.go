package migrations_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"intracal/calendar"
	"intracal/config"
	"intracal/migrations"
)

// An event stored before dates were bounded, whose last instance ends in year 10000, could
// not be read back from SQLite (times are text there); migration 8 makes it readable and
// deletable again.
func TestAnEventEndingInYear10000IsReadableAfterMigration8(t *testing.T) {
	ctx := context.Background()
	db, err := migrations.Open(ctx, config.Database{Driver: config.SQLite, DSN: filepath.Join(t.TempDir(), "x.db")}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	all := migrations.All()
	var before []migrations.Migration
	for _, m := range all {
		if m.Version < 8 {
			before = append(before, m)
		}
	}
	if err := migrations.ApplyList(ctx, db, quiet, before); err != nil {
		t.Fatal(err)
	}
	if err := migrations.EventLabelsUp(db); err != nil { // what today's store writes
		t.Fatal(err)
	}
	store := calendar.NewStore(db)
	cal, err := store.MyCalendar(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	e, err := calendar.NewEvent(cal, 1, calendar.EventInput{Title: "x", Start: "2026-12-31", End: "2026-12-31", AllDay: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Create(ctx, e); err != nil {
		t.Fatal(err)
	}
	// What the unbounded program wrote for 9999-12-31 all day.
	if err := db.Exec("UPDATE segments SET first_start_utc = '9999-12-31 00:00:00+00:00', last_end_utc = '10000-01-01 00:00:00+00:00'").Error; err != nil {
		t.Fatal(err)
	}
	owner := calendar.Viewer{UserID: 1}
	if _, err := store.Get(ctx, owner, e.ID); err == nil {
		t.Fatal("the broken row reads back: the test does not reproduce the defect")
	}
	if err := migrations.EventLabelsDown(db); err != nil {
		t.Fatal(err)
	}
	if err := migrations.ApplyList(ctx, db, quiet, all); err != nil {
		t.Fatal(err)
	}
	store = calendar.NewStore(db) // a fresh listing cache
	if _, err := store.Get(ctx, owner, e.ID); err != nil {
		t.Fatalf("after migration 8 the event cannot be read: %v", err)
	}
	if _, err := store.Delete(ctx, owner, e.ID, nil, calendar.ScopeAll, time.Time{}); err != nil {
		t.Fatalf("after migration 8 the event cannot be deleted: %v", err)
	}
}
