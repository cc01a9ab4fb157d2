package accounts

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The account audit records the lifecycle of accounts and API tokens as property_audit
// records System Properties: who did what to whose account, and when. It holds names,
// addresses, token names and prefixes, and counts; never a password or a token.

// What the account audit records.
const (
	AuditTokenCreated    = "token_created"
	AuditTokenRevoked    = "token_revoked"
	AuditUserDisabled    = "user_disabled"
	AuditUserEnabled     = "user_enabled"
	AuditUserDeleted     = "user_deleted"
	AuditPasswordChanged = "password_changed" // by the owner
	AuditPasswordReset   = "password_reset"   // by an administrator or the command line
	AuditUserCreated     = "user_created"     // at a first Sign in with Microsoft
	AuditMicrosoftLinked = "microsoft_linked" // a Microsoft account linked at its first sign-in
	AuditProfileChanged  = "profile_changed"  // directory fields or their locks, by an administrator
)

// auditActionText is how each action reads on the pages.
var auditActionText = map[string]string{
	AuditTokenCreated:    "API token created",
	AuditTokenRevoked:    "API token revoked",
	AuditUserDisabled:    "account disabled",
	AuditUserEnabled:     "account enabled",
	AuditUserDeleted:     "account deleted",
	AuditPasswordChanged: "password changed",
	AuditPasswordReset:   "password reset",
	AuditUserCreated:     "account created at its first Sign in with Microsoft",
	AuditMicrosoftLinked: "Microsoft account linked",
	AuditProfileChanged:  "profile changed by an administrator",
}

// AccountChange is one entry of the account audit.
type AccountChange struct {
	ID            int64
	Action        string
	SubjectUserID *int64
	Subject       string // the account, as it was named then
	Actor         string // who did it: name and address, or "command line"
	Detail        string
	At            time.Time
}

// ActionText is the action as the pages show it.
func (c AccountChange) ActionText() string {
	if t, ok := auditActionText[c.Action]; ok {
		return t
	}
	return c.Action
}

// accountAuditRow is a row of account_audit (migration 9).
type accountAuditRow struct {
	ID            int64 `gorm:"primaryKey"`
	Action        string
	SubjectUserID *int64
	Subject       string
	ActorUserID   *int64
	Actor         string
	Detail        string
	At            time.Time
}

func (accountAuditRow) TableName() string { return "account_audit" }

// Audit reads and writes the account audit.
type Audit struct {
	db  *gorm.DB
	now func() time.Time
}

// NewAudit is the account audit on db, reading the time from now.
func NewAudit(db *gorm.DB, now func() time.Time) *Audit { return &Audit{db: db, now: now} }

// In is the audit working inside the transaction tx, the transaction of the changes it records.
func (s *Audit) In(tx *gorm.DB) *Audit { return &Audit{db: tx, now: s.now} }

// Record adds an entry; call it on the audit In the transaction of the change it records.
func (s *Audit) Record(ctx context.Context, actor Viewer, action string, subject User, detail string) error {
	row := accountAuditRow{Action: action, Subject: truncateText(ViewerOf(subject).AuditName(), 400), Actor: truncateText(actor.AuditName(), 400),
		Detail: truncateText(detail, 400), At: s.now()}
	if subject.ID != 0 {
		id := subject.ID
		row.SubjectUserID = &id
	}
	if actor.UserID != 0 {
		id := actor.UserID
		row.ActorUserID = &id
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("audit %s of user %d: %w", action, subject.ID, err)
	}
	return nil
}

// List returns the latest entries, newest first: about one account when subjectID is not 0.
func (s *Audit) List(ctx context.Context, subjectID int64, limit int) ([]AccountChange, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := s.db.WithContext(ctx).Order("at DESC, id DESC").Limit(limit)
	if subjectID != 0 {
		q = q.Where("subject_user_id = ?", subjectID)
	}
	var rows []accountAuditRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read account audit: %w", err)
	}
	out := make([]AccountChange, len(rows))
	for i, r := range rows {
		out[i] = AccountChange{ID: r.ID, Action: r.Action, SubjectUserID: r.SubjectUserID, Subject: r.Subject,
			Actor: r.Actor, Detail: r.Detail, At: r.At}
	}
	return out, nil
}

// truncateText cuts s to at most n bytes at a character boundary.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
