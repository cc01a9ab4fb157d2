package outlooksync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"intracal/calendar"
)

// Store keeps the sync's own state: links with their bases, delta cursors, history, leases.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns the sync store on db (migration 5 made its tables).
func NewStore(db *gorm.DB) *Store { return &Store{db: db, now: time.Now} }

// WithClock returns the store reading the time from now (tests with a moved clock).
func (s *Store) WithClock(now func() time.Time) *Store { return &Store{db: s.db, now: now} }

// InTx returns the store working inside the transaction tx (one My Calendar's store opened).
func (s *Store) InTx(tx *gorm.DB) *Store { return &Store{db: tx, now: s.now} }

type linkRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	EventID    int64
	SegmentUID string
	RemoteID   string
	ChangeKey  string
	ICalUID    string `gorm:"column:ical_uid"`
	Base       string
	UpdatedAt  time.Time
}

func (linkRow) TableName() string { return "sync_links" }

type cursorRow struct {
	UserID        int64 `gorm:"primaryKey;autoIncrement:false"`
	DeltaLink     string
	DeltaFrom     *time.Time
	DeltaTo       *time.Time
	BackstopAfter string
	LastCycleAt   *time.Time
	LastSummary   string
	UpdatedAt     time.Time
}

func (cursorRow) TableName() string { return "sync_cursors" }

type historyRow struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	At        time.Time
	EventID   int64
	Direction string
	Summary   string
	Detail    string
}

func (historyRow) TableName() string { return "sync_histories" }

type leaseRow struct {
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Holder    string
	ExpiresAt time.Time
	Wanted    int64 // notifications received for the connection
	Covered   int64 // of those, how many a finished cycle began after
}

func (leaseRow) TableName() string { return "sync_leases" }

// Links returns the user's links.
func (s *Store) Links(ctx context.Context, userID int64) ([]Link, error) {
	var rows []linkRow
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load sync links: %w", err)
	}
	out := make([]Link, 0, len(rows))
	for _, r := range rows {
		l, err := r.link()
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func (r linkRow) link() (Link, error) {
	l := Link{EventID: r.EventID, SegmentUID: r.SegmentUID, RemoteID: r.RemoteID, ChangeKey: r.ChangeKey, ICalUID: r.ICalUID}
	if err := json.Unmarshal([]byte(r.Base), &l.Base); err != nil {
		return l, fmt.Errorf("sync link %d: base: %w", r.ID, err)
	}
	return l, nil
}

// LinkByICalUID finds the organizer's link whose Outlook item has the iCalUId: the local
// event an invitee's copy of the meeting stands for. ok is false when there is none.
func (s *Store) LinkByICalUID(ctx context.Context, organizerID int64, icalUID string) (Link, bool, error) {
	if icalUID == "" {
		return Link{}, false, nil
	}
	var rows []linkRow
	if err := s.db.WithContext(ctx).Where("user_id = ? AND ical_uid = ?", organizerID, icalUID).Order("id").Limit(1).Find(&rows).Error; err != nil {
		return Link{}, false, fmt.Errorf("find sync link by iCalUId: %w", err)
	}
	if len(rows) == 0 {
		return Link{}, false, nil
	}
	l, err := rows[0].link()
	return l, err == nil, err
}

// SaveLink stores a link, replacing the one for the same segment.
func (s *Store) SaveLink(ctx context.Context, userID int64, l Link) error {
	base, err := json.Marshal(l.Base)
	if err != nil {
		return fmt.Errorf("sync link base: %w", err)
	}
	row := linkRow{UserID: userID, EventID: l.EventID, SegmentUID: l.SegmentUID, RemoteID: l.RemoteID,
		ChangeKey: l.ChangeKey, ICalUID: l.ICalUID, Base: string(base), UpdatedAt: s.now().UTC()}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND event_id = ? AND segment_uid = ?", userID, l.EventID, l.SegmentUID).Delete(&linkRow{}).Error; err != nil {
			return fmt.Errorf("replace sync link: %w", err)
		}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("save sync link: %w", err)
		}
		return deletePending(tx, userID, l.EventID, l.SegmentUID)
	})
}

// DeleteLink removes the link of a segment, and the base of a create sent for it.
func (s *Store) DeleteLink(ctx context.Context, userID, eventID int64, segmentUID string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("user_id = ? AND event_id = ? AND segment_uid = ?", userID, eventID, segmentUID).Delete(&linkRow{}).Error
		if err != nil {
			return fmt.Errorf("delete sync link: %w", err)
		}
		return deletePending(tx, userID, eventID, segmentUID)
	})
}

// Cursor is a user's place in Outlook's change feed and the outcome of the last cycle.
type Cursor struct {
	DeltaLink string
	// DeltaWindow is the window of the delta round DeltaLink belongs to: a delta link keeps
	// the window of the request that began its round.
	DeltaWindow Window
	// BackstopAfter is the last Outlook series re-read by the backstop; the next cycle goes on
	// after it.
	BackstopAfter string
	LastCycleAt   *time.Time
	LastSummary   string
}

// Cursor returns the user's cursor (empty when none).
func (s *Store) Cursor(ctx context.Context, userID int64) (Cursor, error) {
	var r cursorRow
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Cursor{}, nil
	}
	if err != nil {
		return Cursor{}, fmt.Errorf("load sync cursor: %w", err)
	}
	c := Cursor{DeltaLink: r.DeltaLink, BackstopAfter: r.BackstopAfter, LastCycleAt: r.LastCycleAt, LastSummary: r.LastSummary}
	if r.DeltaFrom != nil && r.DeltaTo != nil {
		c.DeltaWindow = Window{From: r.DeltaFrom.UTC(), To: r.DeltaTo.UTC()}
	}
	return c, nil
}

// SaveCursor stores the user's cursor.
func (s *Store) SaveCursor(ctx context.Context, userID int64, c Cursor) error {
	row := cursorRow{UserID: userID, DeltaLink: c.DeltaLink, BackstopAfter: c.BackstopAfter, LastCycleAt: c.LastCycleAt, LastSummary: c.LastSummary, UpdatedAt: s.now().UTC()}
	if !c.DeltaWindow.From.IsZero() {
		from, to := c.DeltaWindow.From.UTC(), c.DeltaWindow.To.UTC()
		row.DeltaFrom, row.DeltaTo = &from, &to
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}}, UpdateAll: true}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("save sync cursor: %w", err)
	}
	return nil
}

// ForgetCursor drops the delta state (on disconnect); links stay, so that reconnecting the
// same mailbox duplicates nothing.
func (s *Store) ForgetCursor(ctx context.Context, userID int64) error {
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&cursorRow{}).Error; err != nil {
		return fmt.Errorf("forget sync cursor: %w", err)
	}
	return nil
}

// AddHistory appends entries to the user's sync history.
func (s *Store) AddHistory(ctx context.Context, userID int64, entries []HistoryEntry) error {
	if len(entries) == 0 {
		return nil
	}
	now := s.now().UTC()
	rows := make([]historyRow, len(entries))
	for i, h := range entries {
		rows[i] = historyRow{UserID: userID, At: now, EventID: h.EventID, Direction: h.Direction, Summary: truncateRunes(h.Summary, 255), Detail: h.Detail}
	}
	if err := s.db.WithContext(ctx).CreateInBatches(rows, 200).Error; err != nil {
		return fmt.Errorf("save sync history: %w", err)
	}
	return nil
}

// HistoryItem is one stored history line.
type HistoryItem struct {
	At time.Time
	HistoryEntry
}

// History returns the user's latest history lines, newest first.
func (s *Store) History(ctx context.Context, userID int64, limit int) ([]HistoryItem, error) {
	var rows []historyRow
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load sync history: %w", err)
	}
	out := make([]HistoryItem, len(rows))
	for i, r := range rows {
		out[i] = HistoryItem{At: r.At, HistoryEntry: HistoryEntry{EventID: r.EventID, Direction: r.Direction, Summary: r.Summary, Detail: r.Detail}}
	}
	return out, nil
}

// LeaseMode says when a cycle may take a connection's lease.
type LeaseMode int

const (
	// LeaseScheduled is the schedule's: not while another cycle runs (on any instance), nor
	// while the connection rests after a recent cycle.
	LeaseScheduled LeaseMode = iota
	// LeaseNow is an on-demand "Sync now": not while another cycle runs.
	LeaseNow
	// LeaseWanted is a notification's: as LeaseNow, and only while notifications wait that
	// no cycle has covered yet, so that a burst received by several instances runs once.
	LeaseWanted
)

// AcquireLease takes the right to sync a user's connection for ttl. It fails while another
// cycle runs (on any instance), and while the connection rests after a recent cycle unless
// force (an on-demand "Sync now"). Several app instances on one database thus sync each
// connection once per interval.
func (s *Store) AcquireLease(ctx context.Context, userID int64, holder string, ttl time.Duration, force bool) (bool, error) {
	mode := LeaseScheduled
	if force {
		mode = LeaseNow
	}
	ok, _, err := s.TakeLease(ctx, userID, holder, ttl, mode)
	return ok, err
}

// TakeLease takes the right to sync a user's connection for ttl, as mode allows, and returns
// the count of notifications wanted when it was taken: the cycle that follows covers them.
func (s *Store) TakeLease(ctx context.Context, userID int64, holder string, ttl time.Duration, mode LeaseMode) (bool, int64, error) {
	now := s.now().UTC()
	db := s.db.WithContext(ctx)
	running := "run:" + holder
	q := db.Model(&leaseRow{}).Where("user_id = ?", userID)
	switch mode {
	case LeaseNow:
		q = q.Where("expires_at < ? OR holder LIKE ?", now, "done:%")
	case LeaseWanted:
		q = q.Where("(expires_at < ? OR holder LIKE ?) AND wanted > covered", now, "done:%")
	default:
		q = q.Where("expires_at < ?", now)
	}
	res := q.Updates(map[string]any{"holder": running, "expires_at": now.Add(ttl)})
	if res.Error != nil {
		return false, 0, fmt.Errorf("take sync lease: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		if mode == LeaseWanted {
			return false, 0, nil // held, or nothing waits
		}
		err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&leaseRow{UserID: userID, Holder: running, ExpiresAt: now.Add(ttl)}).Error
		if err != nil {
			return false, 0, fmt.Errorf("take sync lease: %w", err)
		}
	}
	var cur leaseRow
	if err := db.Where("user_id = ?", userID).Take(&cur).Error; err != nil {
		return false, 0, fmt.Errorf("read sync lease: %w", err)
	}
	return cur.Holder == running && cur.ExpiresAt.After(now), cur.Wanted, nil
}

// ReleaseLease ends a cycle's lease; the connection then rests for rest before another
// instance's schedule takes it.
func (s *Store) ReleaseLease(ctx context.Context, userID int64, holder string, rest time.Duration) error {
	err := s.db.WithContext(ctx).Model(&leaseRow{}).Where("user_id = ? AND holder = ?", userID, "run:"+holder).
		Updates(map[string]any{"holder": "done:" + holder, "expires_at": s.now().UTC().Add(rest)}).Error
	if err != nil {
		return fmt.Errorf("release sync lease: %w", err)
	}
	return nil
}

// EndLease ends a cycle that began when covered notifications were wanted. When more
// arrived meanwhile (on any instance, whose own try found the lease held), the lease is kept
// and again is true with the new count: the holder runs another cycle, so that no
// notification is left without a cycle that started after it.
func (s *Store) EndLease(ctx context.Context, userID int64, holder string, rest time.Duration, covered int64) (again bool, wanted int64, err error) {
	db := s.db.WithContext(ctx)
	res := db.Model(&leaseRow{}).Where("user_id = ? AND holder = ? AND wanted = ?", userID, "run:"+holder, covered).
		Updates(map[string]any{"holder": "done:" + holder, "expires_at": s.now().UTC().Add(rest), "covered": covered})
	if res.Error != nil {
		return false, 0, fmt.Errorf("release sync lease: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return false, covered, nil
	}
	var cur leaseRow
	if err := db.Where("user_id = ?", userID).Take(&cur).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return false, 0, nil // disconnected meanwhile
		}
		return false, 0, fmt.Errorf("read sync lease: %w", err)
	}
	if cur.Holder != "run:"+holder {
		return false, 0, nil // the lease ran out and another instance has it
	}
	return true, cur.Wanted, nil
}

// Want counts a notification for a user's connection: the next cycle to take the lease
// covers it.
func (s *Store) Want(ctx context.Context, userID int64) error {
	db := s.db.WithContext(ctx)
	res := db.Model(&leaseRow{}).Where("user_id = ?", userID).Update("wanted", gorm.Expr("wanted + 1"))
	if res.Error != nil {
		return fmt.Errorf("note a notification: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&leaseRow{UserID: userID, Holder: "", ExpiresAt: time.Unix(0, 0).UTC()}).Error
	if err != nil {
		return fmt.Errorf("note a notification: %w", err)
	}
	if err := db.Model(&leaseRow{}).Where("user_id = ?", userID).Update("wanted", gorm.Expr("wanted + 1")).Error; err != nil {
		return fmt.Errorf("note a notification: %w", err)
	}
	return nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

var _ calendar.PartCopies = (*Store)(nil)

// KeptParts names the segments of an event that a link still names: an Outlook series stands
// for each, and an undo that puts the event back keeps their UIDs, so the links still apply
// (calendar.PartCopies). The links of a mailbox whose cycle is running are left out: that
// cycle may be deleting the series of the event it read as deleted, and their parts must then
// be made anew.
func (s *Store) KeptParts(tx *gorm.DB, eventID int64) (map[string]bool, error) {
	running := tx.Model(&leaseRow{}).Select("user_id").Where("holder LIKE ? AND expires_at > ?", "run:%", s.now().UTC())
	var uids []string
	if err := tx.Model(&linkRow{}).Where("event_id = ? AND user_id NOT IN (?)", eventID, running).Pluck("segment_uid", &uids).Error; err != nil {
		return nil, fmt.Errorf("read the links of event %d: %w", eventID, err)
	}
	kept := make(map[string]bool, len(uids))
	for _, u := range uids {
		kept[u] = true
	}
	return kept, nil
}
