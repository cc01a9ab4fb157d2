package outlooksync

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// watchRow is a row of outlook_subscriptions: one watched Outlook calendar.
type watchRow struct {
	ID             int64 `gorm:"primaryKey"`
	OwnerKind      string
	OwnerID        int64
	SubscriptionID string
	SecretHash     string
	ExpiresAt      *time.Time
	Mode           string
	Reason         string
	CheckAt        time.Time
	Holder         string
	LeaseUntil     *time.Time
	Failures       int
	Notified       int64
	LastNotifiedAt *time.Time
	UpdatedAt      time.Time
}

func (watchRow) TableName() string { return "outlook_subscriptions" }

// Modes of a watched calendar.
const (
	ModePush    = "push"    // a live subscription: changes arrive as notifications
	ModePolling = "polling" // no subscription: the schedule's polling only, Reason says why
)

// WatchState is what the Control Panel shows of a watched calendar.
type WatchState struct {
	Mode           string
	Reason         string
	Expires        *time.Time
	Notified       int64
	LastNotifiedAt *time.Time
}

// hashSecret is what the database keeps of a clientState: a notification's is hashed and
// compared in constant time, so the secret itself is never stored.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func secretMatches(sent, hash string) bool {
	got := hashSecret(sent)
	return subtle.ConstantTimeCompare([]byte(got), []byte(hash)) == 1
}

// ensureWatches adds a row, due now, for each owner of the kind that has none.
func (s *Store) ensureWatches(ctx context.Context, kind string, owners []int64) error {
	if len(owners) == 0 {
		return nil
	}
	now := s.now().UTC()
	rows := make([]watchRow, len(owners))
	for i, id := range owners {
		rows[i] = watchRow{OwnerKind: kind, OwnerID: id, Mode: ModePolling, Reason: "not subscribed yet", CheckAt: now, UpdatedAt: now}
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 200).Error
	if err != nil {
		return fmt.Errorf("add outlook subscriptions: %w", err)
	}
	return nil
}

// dueWatches lists the rows of the kind whose check time has come and that no instance
// holds.
func (s *Store) dueWatches(ctx context.Context, kind string, limit int) ([]watchRow, error) {
	now := s.now().UTC()
	var rows []watchRow
	err := s.db.WithContext(ctx).Where("owner_kind = ? AND check_at <= ? AND (lease_until IS NULL OR lease_until < ?)", kind, now, now).
		Order("check_at").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list due outlook subscriptions: %w", err)
	}
	return rows, nil
}

// leaseWatch takes a due row for ttl and returns it as it is now; false when another
// instance holds it or has just seen to it.
func (s *Store) leaseWatch(ctx context.Context, id int64, holder string, ttl time.Duration) (watchRow, bool, error) {
	now := s.now().UTC()
	until := now.Add(ttl)
	db := s.db.WithContext(ctx)
	res := db.Model(&watchRow{}).Where("id = ? AND check_at <= ? AND (lease_until IS NULL OR lease_until < ?)", id, now, now).
		Updates(map[string]any{"holder": holder, "lease_until": until})
	if res.Error != nil {
		return watchRow{}, false, fmt.Errorf("lease outlook subscription %d: %w", id, res.Error)
	}
	if res.RowsAffected != 1 {
		return watchRow{}, false, nil
	}
	var r watchRow
	if err := db.Take(&r, id).Error; err != nil {
		return watchRow{}, false, fmt.Errorf("read outlook subscription %d: %w", id, err)
	}
	return r, true, nil
}

// saveWatch stores a row's new state and lets its lease go.
func (s *Store) saveWatch(ctx context.Context, r watchRow) error {
	r.UpdatedAt, r.Holder, r.LeaseUntil = s.now().UTC(), "", nil
	err := s.db.WithContext(ctx).Model(&watchRow{}).Where("id = ?", r.ID).Select(
		"subscription_id", "secret_hash", "expires_at", "mode", "reason", "check_at", "holder", "lease_until", "failures", "updated_at").
		Updates(&r).Error
	if err != nil {
		return fmt.Errorf("save outlook subscription %d: %w", r.ID, err)
	}
	return nil
}

// watchOf returns the row of an owner, if any.
func (s *Store) watchOf(ctx context.Context, kind string, owner int64) (watchRow, bool, error) {
	var r watchRow
	err := s.db.WithContext(ctx).Where("owner_kind = ? AND owner_id = ?", kind, owner).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("read outlook subscription: %w", err)
	}
	return r, true, nil
}

// watchBySubscription returns the row of a Graph subscription id, if any.
func (s *Store) watchBySubscription(ctx context.Context, subscriptionID string) (watchRow, bool, error) {
	var r watchRow
	if subscriptionID == "" {
		return r, false, nil
	}
	err := s.db.WithContext(ctx).Where("subscription_id = ?", subscriptionID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("read outlook subscription: %w", err)
	}
	return r, true, nil
}

// noteNotified counts n notifications of a row.
func (s *Store) noteNotified(ctx context.Context, id int64, n int) error {
	err := s.db.WithContext(ctx).Model(&watchRow{}).Where("id = ?", id).
		Updates(map[string]any{"notified": gorm.Expr("notified + ?", n), "last_notified_at": s.now().UTC()}).Error
	if err != nil {
		return fmt.Errorf("count notifications: %w", err)
	}
	return nil
}

// checkWatchNow makes a row due now (a lifecycle event asked for a renewal or a new
// subscription); forget drops the subscription id, which Graph no longer knows.
func (s *Store) checkWatchNow(ctx context.Context, id int64, forget bool, reason string) error {
	fields := map[string]any{"check_at": s.now().UTC()}
	if forget {
		fields["subscription_id"], fields["secret_hash"], fields["expires_at"] = "", "", nil
		fields["mode"], fields["reason"] = ModePolling, reason
	}
	if err := s.db.WithContext(ctx).Model(&watchRow{}).Where("id = ?", id).Updates(fields).Error; err != nil {
		return fmt.Errorf("reschedule outlook subscription %d: %w", id, err)
	}
	return nil
}

// dropWatch deletes a row.
func (s *Store) dropWatch(ctx context.Context, id int64) error {
	if err := s.db.WithContext(ctx).Delete(&watchRow{}, id).Error; err != nil {
		return fmt.Errorf("delete outlook subscription %d: %w", id, err)
	}
	return nil
}

// watches lists every row of a kind.
func (s *Store) watches(ctx context.Context, kind string) ([]watchRow, error) {
	var rows []watchRow
	if err := s.db.WithContext(ctx).Where("owner_kind = ?", kind).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list outlook subscriptions: %w", err)
	}
	return rows, nil
}

// WatchStates returns the state of every watched calendar of a kind, by owner.
func (s *Store) WatchStates(ctx context.Context, kind string) (map[int64]WatchState, error) {
	rows, err := s.watches(ctx, kind)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]WatchState, len(rows))
	for _, r := range rows {
		out[r.OwnerID] = WatchState{Mode: r.Mode, Reason: r.Reason, Expires: r.ExpiresAt, Notified: r.Notified, LastNotifiedAt: r.LastNotifiedAt}
	}
	return out, nil
}

// Pushed reports whether an owner's calendar has a live subscription: its changes arrive as
// notifications, and the schedule's polling may wait longer.
func (s *Store) Pushed(ctx context.Context, kind string, owner int64) (bool, error) {
	r, ok, err := s.watchOf(ctx, kind, owner)
	if err != nil || !ok {
		return false, err
	}
	return r.Mode == ModePush && r.ExpiresAt != nil && r.ExpiresAt.After(s.now()), nil
}

// forgetWatch deletes, inside a disconnect's transaction, the row of an owner.
func forgetWatch(ctx context.Context, tx *gorm.DB, kind string, owner int64) error {
	if err := tx.WithContext(ctx).Where("owner_kind = ? AND owner_id = ?", kind, owner).Delete(&watchRow{}).Error; err != nil {
		return fmt.Errorf("forget the outlook subscription: %w", err)
	}
	return nil
}
