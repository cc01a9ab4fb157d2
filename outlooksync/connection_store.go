package outlooksync

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/config/secrets"
)

// connectionRow is a row of outlook_connections (migration 4).
type connectionRow struct {
	ID           int64 `gorm:"primaryKey"`
	UserID       int64
	AccountID    string
	AccountMail  string
	AccountUPN   string `gorm:"column:account_upn"`
	AccountName  string
	TenantID     string
	State        string
	AccessToken  string
	RefreshToken string
	TokenExpiry  time.Time
	TokenVersion int64
	DeltaLink    string
	LastSyncAt   *time.Time
	LastError    string
	LastErrorAt  *time.Time
	Failures     int
	RetryAt      *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (connectionRow) TableName() string { return "outlook_connections" }

func (r connectionRow) connection() Connection {
	return Connection{
		UserID:      r.UserID,
		Account:     Account{ID: r.AccountID, Mail: r.AccountMail, UserPrincipalName: r.AccountUPN, DisplayName: r.AccountName},
		TenantID:    r.TenantID,
		State:       ConnectionState(r.State),
		TokenExpiry: r.TokenExpiry,
		DeltaLink:   r.DeltaLink,
		LastSyncAt:  r.LastSyncAt,
		LastError:   r.LastError,
		LastErrorAt: r.LastErrorAt,
		RetryAt:     r.RetryAt,
		CreatedAt:   r.CreatedAt,
		UpdatedAt:   r.UpdatedAt,
	}
}

// maxErrorText bounds the stored last error.
const maxErrorText = 1000

// Connections stores users' Outlook connections, their sealed tokens and their sync state.
type Connections struct {
	db  *gorm.DB
	box *secrets.Box
	now func() time.Time
	// sleep waits between attempts of a refresh; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
	// OnDisconnect, when set, runs inside the transaction that removes a connection or
	// links it to another mailbox (mailboxChanged), after the sync's own state for the user
	// was dropped (forgetSyncState); an error rolls the change back.
	OnDisconnect func(ctx context.Context, userID int64, mailboxChanged bool) error

	locks sync.Map // user id -> *sync.Mutex: one refresh at a time per user in this process
}

// NewConnections returns the store on db; tokens are sealed with box.
func NewConnections(db *gorm.DB, box *secrets.Box, now func() time.Time) *Connections {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	return &Connections{db: db, box: box, now: now, sleep: sleepCtx}
}

// SetSleep replaces the wait between refresh attempts (tests use one that returns at once).
func (s *Connections) SetSleep(fn func(ctx context.Context, d time.Duration) error) { s.sleep = fn }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *Connections) userLock(userID int64) *sync.Mutex {
	m, _ := s.locks.LoadOrStore(userID, &sync.Mutex{})
	return m.(*sync.Mutex)
}

// Token contexts bind sealed tokens to their kind and user: a token copied into another
// user's row does not open there.
func accessContext(userID int64) string {
	return "outlook-access-token:user:" + strconv.FormatInt(userID, 10)
}
func refreshContext(userID int64) string {
	return "outlook-refresh-token:user:" + strconv.FormatInt(userID, 10)
}

// Get returns a user's connection; ErrNotConnected when there is none.
func (s *Connections) Get(ctx context.Context, userID int64) (Connection, error) {
	row, err := s.row(ctx, s.db, userID)
	if err != nil {
		return Connection{}, err
	}
	return row.connection(), nil
}

func (s *Connections) row(ctx context.Context, db *gorm.DB, userID int64) (connectionRow, error) {
	var row connectionRow
	err := db.WithContext(ctx).Where("user_id = ?", userID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return connectionRow{}, ErrNotConnected
	}
	if err != nil {
		return connectionRow{}, fmt.Errorf("read outlook connection of user %d: %w", userID, err)
	}
	return row, nil
}

// List returns every connection: those that need attention first (to reconnect, then with
// an error), then the others, each group by most recently changed.
func (s *Connections) List(ctx context.Context) ([]Connection, error) {
	var rows []connectionRow
	if err := s.db.WithContext(ctx).Order("updated_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list outlook connections: %w", err)
	}
	var reconnect, failing, fine []Connection
	for _, r := range rows {
		c := r.connection()
		switch {
		case c.State == StateNeedsReconnect:
			reconnect = append(reconnect, c)
		case c.Failing():
			failing = append(failing, c)
		default:
			fine = append(fine, c)
		}
	}
	return append(append(reconnect, failing...), fine...), nil
}

// Connected lists the users whose connections can sync now: connected and not backing off.
func (s *Connections) Connected(ctx context.Context) ([]Connection, error) {
	var rows []connectionRow
	now := s.now()
	err := s.db.WithContext(ctx).Where("state = ? AND (retry_at IS NULL OR retry_at <= ?)", string(StateConnected), now).
		Order("user_id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list connected outlook accounts: %w", err)
	}
	out := make([]Connection, len(rows))
	for i, r := range rows {
		out[i] = r.connection()
	}
	return out, nil
}

// Connect links a user to the Outlook account that signed in, storing its tokens sealed.
// Reconnecting the same account keeps the sync state; linking another account drops it.
// An account linked to another user is refused with ErrAccountTaken, and nothing is stored.
func (s *Connections) Connect(ctx context.Context, userID int64, acct Account, tenantID string, tok *oauth2.Token) error {
	if acct.ID == "" || tok == nil || tok.AccessToken == "" || tok.RefreshToken == "" {
		return errors.New("outlook: connect needs the account id and both tokens")
	}
	access, err := s.box.Seal([]byte(tok.AccessToken), accessContext(userID))
	if err != nil {
		return err
	}
	refresh, err := s.box.Seal([]byte(tok.RefreshToken), refreshContext(userID))
	if err != nil {
		return err
	}
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var other connectionRow
		err := tx.Where("account_id = ? AND user_id <> ?", acct.ID, userID).Take(&other).Error
		if err == nil {
			return ErrAccountTaken
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("check the account's link: %w", err)
		}
		row, err := s.row(ctx, tx, userID)
		switch {
		case errors.Is(err, ErrNotConnected):
			row = connectionRow{UserID: userID, CreatedAt: now}
		case err != nil:
			return err
		case row.AccountID != acct.ID:
			// Another mailbox: what the sync knew of the old one means nothing for it.
			row.DeltaLink, row.LastSyncAt = "", nil
			if err := s.disconnected(ctx, tx, userID, true); err != nil {
				return fmt.Errorf("drop the sync state of the previous account: %w", err)
			}
		}
		row.AccountID, row.AccountMail, row.AccountUPN, row.AccountName = acct.ID, acct.Mail, acct.UserPrincipalName, acct.DisplayName
		row.TenantID = tenantID
		row.State = string(StateConnected)
		row.AccessToken, row.RefreshToken, row.TokenExpiry = access, refresh, tokenExpiry(tok, now)
		row.TokenVersion++
		row.LastError, row.LastErrorAt, row.Failures, row.RetryAt = "", nil, 0, nil
		row.UpdatedAt = now
		if err := tx.Save(&row).Error; err != nil {
			return fmt.Errorf("store the outlook connection: %w", err)
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrAccountTaken) {
		// The unique index on the account catches a link made by another request meanwhile.
		var other connectionRow
		if s.db.WithContext(ctx).Where("account_id = ? AND user_id <> ?", acct.ID, userID).Take(&other).Error == nil {
			return ErrAccountTaken
		}
	}
	return err
}

// tokenExpiry is when to stop using an access token; a token without an expiry is treated as
// good for an hour, which is what Microsoft issues.
func tokenExpiry(tok *oauth2.Token, now time.Time) time.Time {
	if tok.Expiry.IsZero() {
		return now.Add(time.Hour)
	}
	return tok.Expiry.UTC()
}

// Disconnect removes a user's connection: its tokens and its sync state. Events stay in
// both calendars. Disconnecting a user who is not connected is not an error.
func (s *Connections) Disconnect(ctx context.Context, userID int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ?", userID).Delete(&connectionRow{}).Error; err != nil {
			return fmt.Errorf("remove the outlook connection: %w", err)
		}
		if err := s.disconnected(ctx, tx, userID, false); err != nil {
			return fmt.Errorf("remove the sync state: %w", err)
		}
		return nil
	})
}

// disconnected drops, inside tx, what the sync knew of the user's mailbox, then runs the
// OnDisconnect hook.
func (s *Connections) disconnected(ctx context.Context, tx *gorm.DB, userID int64, mailboxChanged bool) error {
	if err := forgetSyncState(ctx, tx, userID, mailboxChanged); err != nil {
		return err
	}
	if s.OnDisconnect != nil {
		return s.OnDisconnect(ctx, userID, mailboxChanged)
	}
	return nil
}

// SetDeltaLink stores the delta link the last sync ended with ("" to start over).
func (s *Connections) SetDeltaLink(ctx context.Context, userID int64, link string) error {
	return s.update(ctx, userID, map[string]any{"delta_link": link})
}

// RecordSync notes the end of a sync: its time, and its error or none.
func (s *Connections) RecordSync(ctx context.Context, userID int64, at time.Time, syncErr error) error {
	at = at.UTC()
	fields := map[string]any{"last_sync_at": at, "last_error": "", "last_error_at": nil}
	if syncErr != nil {
		fields = map[string]any{"last_error": truncate(syncErr.Error(), maxErrorText), "last_error_at": at}
	}
	return s.update(ctx, userID, fields)
}

// MarkNeedsReconnect sets the connection to needs_reconnect with the reason; nothing is
// deleted, and the user's next sign-in restores it.
func (s *Connections) MarkNeedsReconnect(ctx context.Context, userID int64, reason string) error {
	now := s.now()
	return s.update(ctx, userID, map[string]any{
		"state": string(StateNeedsReconnect), "last_error": truncate(reason, maxErrorText), "last_error_at": now,
	})
}

func (s *Connections) update(ctx context.Context, userID int64, fields map[string]any) error {
	fields["updated_at"] = s.now()
	res := s.db.WithContext(ctx).Model(&connectionRow{}).Where("user_id = ?", userID).Updates(fields)
	if res.Error != nil {
		return fmt.Errorf("update outlook connection of user %d: %w", userID, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotConnected
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut at a rune boundary.
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
