package calendar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ImportOutcome says what importing one item did.
type ImportOutcome string

// What an import did with an item.
const (
	Imported  ImportOutcome = "imported"
	Updated   ImportOutcome = "updated"
	Unchanged ImportOutcome = "unchanged"
)

type importRow struct {
	ID         int64 `gorm:"primaryKey"`
	CalendarID int64
	UIDHash    string `gorm:"column:uid_hash"`
	EventID    int64
	Digest     string
	UpdatedAt  time.Time
}

func (importRow) TableName() string { return "calendar_imports" }

// Import adds to the calendar the event an iCalendar item describes (build makes it), or,
// when an item of that UID was imported into the calendar before, leaves its event alone
// (the same digest: nothing changed in the file) or gives it the item's schedule, content
// and instance changes (another digest). The viewer must be allowed to add events to the
// calendar; they organize what is imported.
func (s *Store) Import(ctx context.Context, v Viewer, calendarID int64, uid, digest string, build func() (*Event, error)) (ImportOutcome, int64, error) {
	sum := sha256.Sum256([]byte(uid))
	key := hex.EncodeToString(sum[:])
	db := s.db.WithContext(ctx)
	var row importRow
	err := db.Where("calendar_id = ? AND uid_hash = ?", calendarID, key).Take(&row).Error
	found := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", 0, fmt.Errorf("find an imported event: %w", err)
	}
	var old *Event
	if found && row.Digest == digest {
		// Unchanged in the file: a look at the event's row says whether it is still here.
		var live int64
		if err := db.Table("events").Where("id = ? AND deleted_at IS NULL", row.EventID).Count(&live).Error; err != nil {
			return "", 0, fmt.Errorf("find an imported event: %w", err)
		}
		if live == 1 {
			return Unchanged, row.EventID, nil
		}
	}
	if found {
		old, err = s.load(ctx, s.db, row.EventID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return "", 0, err
		}
		if old != nil && old.DeletedAt != nil {
			old = nil // deleted here since: imported afresh
		}
		if old != nil && row.Digest == digest {
			return Unchanged, old.ID, nil
		}
	}
	e, err := build()
	if err != nil {
		return "", 0, err
	}
	now := s.now().UTC()
	record := func(tx *gorm.DB, eventID int64) error {
		r := importRow{CalendarID: calendarID, UIDHash: key, EventID: eventID, Digest: digest, UpdatedAt: now}
		if found {
			return tx.Model(&importRow{}).Where("id = ?", row.ID).Updates(map[string]any{"event_id": eventID, "digest": digest, "updated_at": now}).Error
		}
		return tx.Create(&r).Error
	}
	if old == nil {
		e.CalendarID, e.OrganizerID = calendarID, v.UserID
		if err := s.CreateWith(ctx, e, func(tx *gorm.DB) error { return record(tx, e.ID) }); err != nil {
			return "", 0, err
		}
		return Imported, e.ID, nil
	}
	if old.OrganizerID != v.UserID && !v.IsAdmin {
		return "", 0, &ForbiddenError{Message: "The event this item made before is someone else's now."}
	}
	// The item's whole state, keeping the event's first segment's UID (its Outlook links).
	n := old.clone()
	n.Segments = e.Segments
	if len(old.Segments) > 0 && len(n.Segments) > 0 {
		n.Segments[0].UID, n.Segments[0].ID = old.Segments[0].UID, old.Segments[0].ID
	}
	n.Overrides, n.Privacy = e.Overrides, e.Privacy
	n.dropOrphans()
	if err := s.ReplaceWith(ctx, n, func(tx *gorm.DB) error { return record(tx, n.ID) }); err != nil {
		return "", 0, err
	}
	return Updated, n.ID, nil
}
