package outlooksync

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ForgetUser removes, inside tx, everything the sync keeps of a user whose account is being
// deleted: the Outlook connection with its sealed tokens, and the sync's links, cursor,
// history, lease, pending creates, awaited splits and the meeting copies it tracks in their mailbox.
// Unlike Disconnect it keeps no links for a later reconnect: nobody will reconnect that
// account. Items already in the user's Outlook are not touched (the connection that could
// reach them goes).
func ForgetUser(ctx context.Context, tx *gorm.DB, userID int64) error {
	for _, m := range []any{&connectionRow{}, &linkRow{}, &cursorRow{}, &historyRow{}, &leaseRow{}, &attendanceRow{}, &pendingRow{}, &awaitedRow{}} {
		if err := tx.WithContext(ctx).Where("user_id = ?", userID).Delete(m).Error; err != nil {
			return fmt.Errorf("forget the outlook sync of user %d: %w", userID, err)
		}
	}
	return nil
}

// forgetSyncState drops, inside tx, the sync's delta state with a connection. The links
// between events and Outlook items stay when the user disconnects, so reconnecting the same
// mailbox duplicates nothing; they go when another mailbox is linked, whose items they do
// not name.
func forgetSyncState(ctx context.Context, tx *gorm.DB, userID int64, mailboxChanged bool) error {
	st := NewStore(tx)
	if err := st.ForgetCursor(ctx, userID); err != nil {
		return err
	}
	// The subscription, if any, was deleted at Graph before (Push.Unsubscribe) or expires
	// by itself; its notifications are now unknown and refused.
	if err := forgetWatch(ctx, tx, WatchConnection, userID); err != nil {
		return err
	}
	if !mailboxChanged {
		return nil
	}
	links, err := st.Links(ctx, userID)
	if err != nil {
		return err
	}
	for _, l := range links {
		if err := st.DeleteLink(ctx, userID, l.EventID, l.SegmentUID); err != nil {
			return err
		}
	}
	// Creates sent to the old mailbox: no item of the new one carries their marker.
	if err := tx.WithContext(ctx).Where("user_id = ?", userID).Delete(&pendingRow{}).Error; err != nil {
		return fmt.Errorf("forget pending creates of user %d: %w", userID, err)
	}
	// Series of the old mailbox: no new series there carries one on.
	if err := tx.WithContext(ctx).Where("user_id = ?", userID).Delete(&awaitedRow{}).Error; err != nil {
		return fmt.Errorf("forget awaited splits of user %d: %w", userID, err)
	}
	return nil
}
