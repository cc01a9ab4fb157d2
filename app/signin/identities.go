package signin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Identity is the Microsoft account a person signs in with: its object id within its tenant,
// which never changes, and the username it last signed in with, which may.
type Identity struct {
	ID           int64
	UserID       int64
	TenantID     string
	ObjectID     string
	Username     string
	LinkedAt     time.Time
	LastSignInAt time.Time
}

// TableName is user_identities of migration 20.
func (Identity) TableName() string { return "user_identities" }

// Identities keeps the Microsoft accounts people sign in with.
type Identities struct {
	db *gorm.DB
}

// NewIdentities is the store on db.
func NewIdentities(db *gorm.DB) *Identities { return &Identities{db: db} }

func (s *Identities) in(tx *gorm.DB) *Identities { return &Identities{db: tx} }

// errNoIdentity means no identity matches.
var errNoIdentity = errors.New("no such Microsoft account")

// ByAccount finds the identity of a Microsoft account.
func (s *Identities) ByAccount(ctx context.Context, tenantID, objectID string) (Identity, error) {
	var id Identity
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND object_id = ?", tenantID, objectID).Take(&id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Identity{}, errNoIdentity
	}
	if err != nil {
		return Identity{}, fmt.Errorf("find the microsoft account: %w", err)
	}
	return id, nil
}

// ForUser finds the identity a person signs in with.
func (s *Identities) ForUser(ctx context.Context, userID int64) (Identity, error) {
	var id Identity
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Take(&id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Identity{}, errNoIdentity
	}
	if err != nil {
		return Identity{}, fmt.Errorf("find the microsoft account of user %d: %w", userID, err)
	}
	return id, nil
}

// Account is the tenant and username of the Microsoft account a person signs in with, and
// whether there is one (an outlook.MicrosoftAccount).
func (s *Identities) Account(ctx context.Context, userID int64) (tenant, username string, ok bool, err error) {
	id, err := s.ForUser(ctx, userID)
	if errors.Is(err, errNoIdentity) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, err
	}
	return id.TenantID, id.Username, true, nil
}

// link stores a new identity; gorm.ErrDuplicatedKey when the account or the person is linked
// already (two first sign-ins at once).
func (s *Identities) link(ctx context.Context, id Identity) (Identity, error) {
	if err := s.db.WithContext(ctx).Create(&id).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return Identity{}, err
		}
		return Identity{}, fmt.Errorf("link the microsoft account: %w", err)
	}
	return id, nil
}

// touch records a sign-in and the username it came with.
func (s *Identities) touch(ctx context.Context, id int64, username string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&Identity{}).Where("id = ?", id).
		Updates(map[string]any{"username": username, "last_sign_in_at": at}).Error
	if err != nil {
		return fmt.Errorf("record the sign-in: %w", err)
	}
	return nil
}

// ForgetUser removes, inside tx, the identity of a user whose account is deleted, so the
// Microsoft account can be given a new account later (an accounts.ForgetFunc).
func ForgetUser(ctx context.Context, tx *gorm.DB, userID int64) error {
	if err := tx.WithContext(ctx).Where("user_id = ?", userID).Delete(&Identity{}).Error; err != nil {
		return fmt.Errorf("remove the microsoft account of user %d: %w", userID, err)
	}
	return nil
}
