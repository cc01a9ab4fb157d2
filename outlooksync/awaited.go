package outlooksync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
)

// An awaited split is an Outlook series that a cycle deleted because its part was removed
// here (deleted, or joined into the part before it), when Outlook had just shortened it:
// perhaps the first of the two writes of Outlook's "this and all following", whose new
// series is still to come. With the link gone, nothing would claim that series; imported,
// it would show its days twice beside the part that took them here, or bring back part of
// a deleted event. So the deleted series is kept here for as long as a shortened series
// waits for its new one (trimmedKept), and a new series that carries it on is deleted in
// Outlook too: a removal here wins over Outlook's change, as when both writes come before
// a sync (trySplit).
type AwaitedSplit struct {
	RemoteID string
	EventID  int64
	// Was is the series as last synced whole, Shortened as Outlook had shortened it.
	Was, Shortened SeriesState
	DeletedAt      time.Time
}

type awaitedRow struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	RemoteID  string
	EventID   int64
	Was       string
	Shortened string
	DeletedAt time.Time
}

func (awaitedRow) TableName() string { return "sync_awaited_splits" }

// SaveAwaited records, in one transaction, the series about to be deleted whose new parts
// are awaited, replacing earlier records of the same series, and drops those deleted
// before expired.
func (s *Store) SaveAwaited(ctx context.Context, userID int64, awaited []AwaitedSplit, expired time.Time) error {
	if len(awaited) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND deleted_at < ?", userID, expired.UTC()).Delete(&awaitedRow{}).Error; err != nil {
			return fmt.Errorf("drop expired awaited splits: %w", err)
		}
		for _, a := range awaited {
			was, err := json.Marshal(a.Was)
			if err != nil {
				return fmt.Errorf("awaited split: %w", err)
			}
			short, err := json.Marshal(a.Shortened)
			if err != nil {
				return fmt.Errorf("awaited split: %w", err)
			}
			if err := tx.Where("user_id = ? AND remote_id = ?", userID, a.RemoteID).Delete(&awaitedRow{}).Error; err != nil {
				return fmt.Errorf("replace awaited split: %w", err)
			}
			row := awaitedRow{UserID: userID, RemoteID: a.RemoteID, EventID: a.EventID, Was: string(was), Shortened: string(short), DeletedAt: a.DeletedAt.UTC()}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("save awaited split: %w", err)
			}
		}
		return nil
	})
}

// Awaited returns the user's awaited splits deleted at or after since.
func (s *Store) Awaited(ctx context.Context, userID int64, since time.Time) ([]AwaitedSplit, error) {
	var rows []awaitedRow
	if err := s.db.WithContext(ctx).Where("user_id = ? AND deleted_at >= ?", userID, since.UTC()).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load awaited splits: %w", err)
	}
	out := make([]AwaitedSplit, 0, len(rows))
	for _, r := range rows {
		a := AwaitedSplit{RemoteID: r.RemoteID, EventID: r.EventID, DeletedAt: r.DeletedAt}
		if err := json.Unmarshal([]byte(r.Was), &a.Was); err != nil {
			return nil, fmt.Errorf("awaited split %d: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(r.Shortened), &a.Shortened); err != nil {
			return nil, fmt.Errorf("awaited split %d: %w", r.ID, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// awaitSplitOf records, when a cycle deletes link l's Outlook series rs because its part
// is gone here, whether Outlook had shortened the series since the last sync (read now, or
// seen alone by an earlier cycle): its new part is then awaited.
func (r *reconciler) awaitSplitOf(e *calendar.Event, l *Link, rs *RemoteSeries) {
	was, short := l.Base.Series, SeriesState{}
	if t := l.Base.Trimmed; t != nil && r.in.Now.Sub(l.Base.TrimmedAt) < trimmedKept {
		was, short = *t, l.Base.Series
	}
	if rs != nil && !rs.Gone {
		if rseg, err := RemoteSegment(rs.Master); err == nil {
			if R := LocalSeriesState(rseg); shortened(was, R) {
				short = R
			}
		}
	}
	if !shortened(was, short) {
		return
	}
	r.plan.Awaited = append(r.plan.Awaited, AwaitedSplit{RemoteID: l.RemoteID, EventID: e.ID, Was: was, Shortened: short, DeletedAt: r.in.Now.UTC()})
}

// trySplitOfRemoved deletes child in Outlook when it carries on an awaited split's series
// after its shortened end, under its name, or in its pattern from the first occurrence
// the shortening cut (the split renamed it).
func (r *reconciler) trySplitOfRemoved(child *RemoteSeries, cseg calendar.Segment, childFirst time.Time) bool {
	for _, a := range r.in.Awaited {
		if r.in.Now.Sub(a.DeletedAt) >= trimmedKept {
			continue
		}
		was, err1 := segmentFromState(a.Was, calendar.Segment{})
		short, err2 := segmentFromState(a.Shortened, calendar.Segment{})
		if err1 != nil || err2 != nil {
			continue
		}
		last, bounded := short.Schedule().Last()
		if !bounded {
			continue
		}
		firstMissing := firstStartAfter(was, last)
		if firstMissing.IsZero() || childFirst.Before(firstMissing) {
			continue
		}
		if wasLast, ok := was.Schedule().Last(); ok && childFirst.After(wasLast.AddDate(0, 0, 1)) {
			continue // beyond the series' range: not a part of it
		}
		named := child.Master.Subject == a.Was.Subject || child.Master.Subject == a.Shortened.Subject
		if !named && !(childFirst.Equal(firstMissing) && samePattern(a.Was, LocalSeriesState(cseg))) {
			continue
		}
		r.linked[child.Master.ID] = true
		r.plan.Ops = append(r.plan.Ops, PlannedOp{Op: Op{Kind: OpDelete, ID: child.Master.ID}, Purpose: "Removed from My Calendar"})
		r.history(a.EventID, "to Outlook", "Removed from My Calendar while Outlook split it: deleting the new part in Outlook too", child.Master.Subject)
		return true
	}
	return false
}
