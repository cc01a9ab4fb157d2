package publish

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Store keeps what publishing knows (migration 16): which spaces are published, a target
// per space and member, the copies written, and the spaces' publishing history.
type Store struct {
	db *gorm.DB
}

// NewStore returns the publishing store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

type publicationRow struct {
	SpaceID   int64 `gorm:"primaryKey;autoIncrement:false"`
	Enabled   bool
	UpdatedBy int64
	UpdatedAt time.Time
}

func (publicationRow) TableName() string { return "space_publications" }

type targetRow struct {
	ID           int64 `gorm:"primaryKey"`
	SpaceID      int64
	UserID       int64
	Mailbox      string
	CalendarID   string
	CalendarName string
	Holder       string
	LeaseUntil   *time.Time
	DueAt        time.Time
	LastRunAt    *time.Time
	LastOKAt     *time.Time `gorm:"column:last_ok_at"`
	LastError    string
	Failures     int
	Requests     int
	Leaving      bool
	Wanted       int64
}

func (targetRow) TableName() string { return "space_publish_targets" }

type itemRow struct {
	ID         int64 `gorm:"primaryKey"`
	TargetID   int64
	EventID    int64
	SegmentUID string
	RemoteID   string
	ChangeKey  string
	Digest     string
	Schedule   string
}

func (itemRow) TableName() string { return "space_publish_items" }

type historyRow struct {
	ID      int64 `gorm:"primaryKey"`
	SpaceID int64
	UserID  int64
	At      time.Time
	EventID int64
	Summary string
	Detail  string
}

func (historyRow) TableName() string { return "space_publish_histories" }

// Target is one member's side of a published space.
type Target struct {
	ID         int64
	SpaceID    int64
	UserID     int64
	Mailbox    string // the address the copies were written to
	CalendarID string // the calendar made in that mailbox; "" before the first run
	// CalendarName is the name that calendar was given (the space's, then).
	CalendarName string
	DueAt        time.Time
	LastRunAt    *time.Time
	LastOKAt     *time.Time
	LastError    string
	Failures     int // runs failed in a row
	// Wanted counts the change notifications of the member's calendar; a run that finishes
	// with a count other than the one it began with leaves the target due.
	Wanted int64
}

func targetOf(r targetRow) Target {
	return Target{ID: r.ID, SpaceID: r.SpaceID, UserID: r.UserID, Mailbox: r.Mailbox, CalendarID: r.CalendarID, CalendarName: r.CalendarName,
		DueAt: r.DueAt.UTC(), LastRunAt: r.LastRunAt, LastOKAt: r.LastOKAt, LastError: r.LastError, Failures: r.Failures, Wanted: r.Wanted}
}

// Item is a copy written into a member's calendar: the Outlook item of one part of an event.
type Item struct {
	EventID    int64
	SegmentUID string
	RemoteID   string
	ChangeKey  string // after our last write: another one means the member changed it
	Digest     string
	Schedule   string
}

// HistoryEntry is one line of a space's publishing history.
type HistoryEntry struct {
	UserID  int64
	At      time.Time
	EventID int64
	Summary string
	Detail  string
}

// SetPublished turns publishing of a space on or off; targets are made and removed by the
// next cycle.
func (s *Store) SetPublished(ctx context.Context, spaceID, by int64, on bool, now time.Time) error {
	row := publicationRow{SpaceID: spaceID, Enabled: on, UpdatedBy: by, UpdatedAt: now.UTC()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "space_id"}}, UpdateAll: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("publish space %d: %w", spaceID, err)
	}
	if on {
		// Due at once, so the members see it within a cycle.
		if err := s.db.WithContext(ctx).Model(&targetRow{}).Where("space_id = ?", spaceID).Update("due_at", now.UTC()).Error; err != nil {
			return fmt.Errorf("publish space %d: %w", spaceID, err)
		}
	}
	return nil
}

// Published reports whether a space is published.
func (s *Store) Published(ctx context.Context, spaceID int64) (bool, error) {
	var row publicationRow
	err := s.db.WithContext(ctx).Where("space_id = ?", spaceID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load publication of space %d: %w", spaceID, err)
	}
	return row.Enabled, nil
}

// SpacesToVisit lists the spaces a cycle looks at: those published, and those with targets
// left (unpublished or deleted since, whose copies must go).
func (s *Store) SpacesToVisit(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Model(&publicationRow{}).Where("enabled = ?", true).Pluck("space_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list published spaces: %w", err)
	}
	var left []int64
	if err := s.db.WithContext(ctx).Model(&targetRow{}).Distinct("space_id").Pluck("space_id", &left).Error; err != nil {
		return nil, fmt.Errorf("list published spaces: %w", err)
	}
	seen := map[int64]bool{}
	var out []int64
	for _, id := range append(ids, left...) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// Targets lists a space's targets.
func (s *Store) Targets(ctx context.Context, spaceID int64) ([]Target, error) {
	var rows []targetRow
	if err := s.db.WithContext(ctx).Where("space_id = ?", spaceID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list targets of space %d: %w", spaceID, err)
	}
	out := make([]Target, len(rows))
	for i, r := range rows {
		out[i] = targetOf(r)
	}
	return out, nil
}

// EnsureTarget makes the target of a member, due now, unless it exists.
func (s *Store) EnsureTarget(ctx context.Context, spaceID, userID int64, now time.Time) error {
	row := targetRow{SpaceID: spaceID, UserID: userID, DueAt: now.UTC()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "space_id"}, {Name: "user_id"}}, DoNothing: true}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("make target of space %d for user %d: %w", spaceID, userID, err)
	}
	return nil
}

// Lease takes a due target (any target with evenIfNotDue, one to tear down) for holder until
// until, unless another holder has it: one app instance runs a target at a time.
func (s *Store) Lease(ctx context.Context, id int64, holder string, now, until time.Time, evenIfNotDue bool) (bool, error) {
	q := s.db.WithContext(ctx).Model(&targetRow{}).
		Where("id = ? AND (lease_until IS NULL OR lease_until < ? OR holder = ?)", id, now.UTC(), holder)
	if !evenIfNotDue {
		q = q.Where("due_at <= ?", now.UTC())
	}
	res := q.Updates(map[string]any{"holder": holder, "lease_until": until.UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("lease publish target %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Finish records a run of a target and releases its lease: the outcome, the calendar, the
// copies now written, and when it is due again.
func (s *Store) Finish(ctx context.Context, t Target, items []Item, history []HistoryEntry, due time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		up := map[string]any{"mailbox": t.Mailbox, "calendar_id": t.CalendarID, "calendar_name": t.CalendarName, "holder": "", "lease_until": nil,
			"due_at": gorm.Expr("CASE WHEN wanted = ? THEN ? ELSE due_at END", t.Wanted, due.UTC()), "last_run_at": t.LastRunAt, "last_ok_at": t.LastOKAt, "last_error": t.LastError, "failures": t.Failures}
		if err := tx.Model(&targetRow{}).Where("id = ?", t.ID).Updates(up).Error; err != nil {
			return fmt.Errorf("finish publish target %d: %w", t.ID, err)
		}
		if err := tx.Where("target_id = ?", t.ID).Delete(&itemRow{}).Error; err != nil {
			return fmt.Errorf("replace copies of target %d: %w", t.ID, err)
		}
		rows := make([]itemRow, 0, len(items))
		for _, it := range items {
			rows = append(rows, itemRow{TargetID: t.ID, EventID: it.EventID, SegmentUID: it.SegmentUID, RemoteID: it.RemoteID,
				ChangeKey: it.ChangeKey, Digest: it.Digest, Schedule: it.Schedule})
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(rows, 200).Error; err != nil {
				return fmt.Errorf("save copies of target %d: %w", t.ID, err)
			}
		}
		return addHistory(tx, t.SpaceID, history)
	})
}

// Remove deletes a target whose copies are gone (the member left, or the space is no longer
// published), with its copies, and records the history.
func (s *Store) Remove(ctx context.Context, t Target, history []HistoryEntry) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("target_id = ?", t.ID).Delete(&itemRow{}).Error; err != nil {
			return fmt.Errorf("remove copies of target %d: %w", t.ID, err)
		}
		if err := tx.Where("id = ?", t.ID).Delete(&targetRow{}).Error; err != nil {
			return fmt.Errorf("remove publish target %d: %w", t.ID, err)
		}
		return addHistory(tx, t.SpaceID, history)
	})
}

// Items returns the copies written for a target.
func (s *Store) Items(ctx context.Context, targetID int64) ([]Item, error) {
	var rows []itemRow
	if err := s.db.WithContext(ctx).Where("target_id = ?", targetID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list copies of target %d: %w", targetID, err)
	}
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = Item{EventID: r.EventID, SegmentUID: r.SegmentUID, RemoteID: r.RemoteID, ChangeKey: r.ChangeKey, Digest: r.Digest, Schedule: r.Schedule}
	}
	return out, nil
}

// History returns a space's newest publishing history lines first.
func (s *Store) History(ctx context.Context, spaceID int64, limit int) ([]HistoryEntry, error) {
	var rows []historyRow
	if err := s.db.WithContext(ctx).Where("space_id = ?", spaceID).Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load publishing history of space %d: %w", spaceID, err)
	}
	out := make([]HistoryEntry, len(rows))
	for i, r := range rows {
		out[i] = HistoryEntry{UserID: r.UserID, At: r.At.UTC(), EventID: r.EventID, Summary: r.Summary, Detail: r.Detail}
	}
	return out, nil
}

// Target returns one target.
func (s *Store) Target(ctx context.Context, id int64) (Target, error) {
	var r targetRow
	if err := s.db.WithContext(ctx).Take(&r, id).Error; err != nil {
		return Target{}, fmt.Errorf("read publish target %d: %w", id, err)
	}
	return targetOf(r), nil
}

// Watchable lists the targets whose calendar exists in a published space's member's mailbox:
// the calendars to watch for the member's changes.
func (s *Store) Watchable(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Model(&targetRow{}).
		Joins("JOIN space_publications ON space_publications.space_id = space_publish_targets.space_id").
		Where("space_publications.enabled = ? AND space_publish_targets.calendar_id <> '' AND space_publish_targets.leaving = ?", true, false).
		Order("space_publish_targets.id").Pluck("space_publish_targets.id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("list watchable publish targets: %w", err)
	}
	return ids, nil
}

// Notified makes a target due now after a change notification of its calendar, and counts it.
func (s *Store) Notified(ctx context.Context, id int64, now time.Time) error {
	err := s.db.WithContext(ctx).Model(&targetRow{}).Where("id = ?", id).
		Updates(map[string]any{"due_at": now.UTC(), "wanted": gorm.Expr("wanted + 1")}).Error
	if err != nil {
		return fmt.Errorf("note a notification of publish target %d: %w", id, err)
	}
	return nil
}

// RunNow makes a space's targets due now.
func (s *Store) RunNow(ctx context.Context, spaceID int64, now time.Time) error {
	if err := s.db.WithContext(ctx).Model(&targetRow{}).Where("space_id = ?", spaceID).Update("due_at", now.UTC()).Error; err != nil {
		return fmt.Errorf("publish space %d now: %w", spaceID, err)
	}
	return nil
}

func addHistory(tx *gorm.DB, spaceID int64, entries []HistoryEntry) error {
	if len(entries) == 0 {
		return nil
	}
	rows := make([]historyRow, len(entries))
	for i, h := range entries {
		rows[i] = historyRow{SpaceID: spaceID, UserID: h.UserID, At: h.At.UTC(), EventID: h.EventID, Summary: h.Summary, Detail: h.Detail}
	}
	if err := tx.CreateInBatches(rows, 200).Error; err != nil {
		return fmt.Errorf("add publishing history of space %d: %w", spaceID, err)
	}
	return nil
}
