package outlooksync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A pending create is the base of an Outlook item a cycle is about to create, saved before
// the create is sent and removed when the link is saved (or deleted). A cycle that stops
// between the two leaves an Outlook item that carries only our marker; the next cycle
// relinks it with this base, what was sent, so that whatever Outlook's user did to the item
// since (a split among it) counts as their change, whatever changed here meanwhile.
type PendingCreate struct {
	EventID    int64
	SegmentUID string
	Base       Base
	SentAt     time.Time
}

type pendingRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	EventID    int64
	SegmentUID string
	Base       string
	SentAt     time.Time
}

func (pendingRow) TableName() string { return "sync_pending_creates" }

// pendingKeep is how long a pending create is kept when no link follows it: the create
// never reached Outlook, or its item was never seen again.
const pendingKeep = 30 * 24 * time.Hour

// SavePending records, in one transaction, the bases of the creates about to be sent,
// replacing earlier ones for the same segments, and drops those older than pendingKeep.
func (s *Store) SavePending(ctx context.Context, userID int64, creates []PendingCreate) error {
	if len(creates) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now().UTC()
		if err := tx.Where("user_id = ? AND sent_at < ?", userID, now.Add(-pendingKeep)).Delete(&pendingRow{}).Error; err != nil {
			return fmt.Errorf("drop old pending creates: %w", err)
		}
		for _, p := range creates {
			base, err := json.Marshal(p.Base)
			if err != nil {
				return fmt.Errorf("pending create base: %w", err)
			}
			if err := deletePending(tx, userID, p.EventID, p.SegmentUID); err != nil {
				return err
			}
			row := pendingRow{UserID: userID, EventID: p.EventID, SegmentUID: p.SegmentUID, Base: string(base), SentAt: now}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("save pending create: %w", err)
			}
		}
		return nil
	})
}

// Pending returns the user's pending creates.
func (s *Store) Pending(ctx context.Context, userID int64) ([]PendingCreate, error) {
	var rows []pendingRow
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load pending creates: %w", err)
	}
	out := make([]PendingCreate, 0, len(rows))
	for _, r := range rows {
		p := PendingCreate{EventID: r.EventID, SegmentUID: r.SegmentUID, SentAt: r.SentAt}
		if err := json.Unmarshal([]byte(r.Base), &p.Base); err != nil {
			return nil, fmt.Errorf("pending create %d: base: %w", r.ID, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func deletePending(tx *gorm.DB, userID, eventID int64, segmentUID string) error {
	err := tx.Where("user_id = ? AND event_id = ? AND segment_uid = ?", userID, eventID, segmentUID).Delete(&pendingRow{}).Error
	if err != nil {
		return fmt.Errorf("delete pending create: %w", err)
	}
	return nil
}
