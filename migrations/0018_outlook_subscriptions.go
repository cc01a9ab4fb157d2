package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// outlookSubscriptionsUp adds push-first sync (outlooksync/push.go): one row per watched
// Outlook calendar (an Outlook connection, or a member's calendar of a published space) with
// Graph's subscription id, a hash of its clientState, its expiry, the mode (push or polling)
// and why, when to look at it next, and the lease that lets one app instance renew it; and
// on each sync lease the counters of notifications wanted and covered, by which a burst of
// notifications on any instance becomes one cycle; and on each publish target the count of
// notifications, so that a run does not put off a target notified while it ran.
func outlookSubscriptionsUp(tx *gorm.DB) error {
	type outlookSubscription struct {
		ID             int64  `gorm:"primaryKey"`
		OwnerKind      string `gorm:"uniqueIndex:ux_outlook_subscriptions_owner;size:16;not null"`
		OwnerID        int64  `gorm:"uniqueIndex:ux_outlook_subscriptions_owner;not null"`
		SubscriptionID string `gorm:"index;size:128;not null;default:''"`
		SecretHash     string `gorm:"size:64;not null;default:''"`
		ExpiresAt      *time.Time
		Mode           string    `gorm:"size:16;not null;default:'polling'"`
		Reason         string    `gorm:"size:500;not null;default:''"`
		CheckAt        time.Time `gorm:"index;not null"`
		Holder         string    `gorm:"size:128;not null;default:''"`
		LeaseUntil     *time.Time
		Failures       int   `gorm:"not null;default:0"`
		Notified       int64 `gorm:"not null;default:0"`
		LastNotifiedAt *time.Time
		UpdatedAt      time.Time `gorm:"not null"`
	}
	if err := tx.Migrator().CreateTable(&outlookSubscription{}); err != nil {
		return fmt.Errorf("create outlook_subscriptions: %w", err)
	}
	type syncLease struct {
		Wanted  int64 `gorm:"not null;default:0"`
		Covered int64 `gorm:"not null;default:0"`
	}
	for _, col := range []string{"Wanted", "Covered"} {
		if err := tx.Table("sync_leases").Migrator().AddColumn(&syncLease{}, col); err != nil {
			return fmt.Errorf("add sync_leases.%s: %w", col, err)
		}
	}
	type spacePublishTarget struct {
		Wanted int64 `gorm:"not null;default:0"`
	}
	if err := tx.Table("space_publish_targets").Migrator().AddColumn(&spacePublishTarget{}, "Wanted"); err != nil {
		return fmt.Errorf("add space_publish_targets.wanted: %w", err)
	}
	return nil
}
