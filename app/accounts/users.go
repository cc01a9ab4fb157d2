package accounts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"intracal/calendar"
)

// User is a person with an account.
type User struct {
	ID           int64
	Email        string // lower-case
	Name         string
	PasswordHash string // bcrypt; empty means the account cannot sign in with a password
	IsAdmin      bool
	TimeZone     string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// DisabledAt is set while an administrator has disabled the account: it cannot sign in.
	DisabledAt *time.Time
	// DeletedAt is set on the tombstone of a deleted account (Lifecycle.Delete).
	DeletedAt *time.Time
}

// TableName is the users table of migration 1.
func (User) TableName() string { return "users" }

// Active reports whether the account may sign in and be synced: neither disabled nor deleted.
func (u User) Active() bool { return u.DisabledAt == nil && u.DeletedAt == nil }

// activeUsers is the condition that leaves out disabled and deleted accounts.
const activeUsers = "disabled_at IS NULL AND deleted_at IS NULL"

// NewUser is what creating an account needs.
type NewUser struct {
	Email    string
	Name     string
	Password string // empty: no password sign-in
	IsAdmin  bool
	TimeZone string // IANA; empty means UTC
}

// Limits on account fields.
const (
	maxEmail       = 320
	maxName        = 255
	minPassword    = 8
	maxPassword    = 72 // bcrypt reads no further
	maxSearchLimit = 50
)

// Users keeps accounts.
type Users struct {
	db  *gorm.DB
	now func() time.Time
	// Cost is the bcrypt cost of new password hashes; tests lower it to stay fast.
	Cost int
}

// NewUsers is the account store on db, reading the time from now.
func NewUsers(db *gorm.DB, now func() time.Time) *Users {
	return &Users{db: db, now: now, Cost: bcrypt.DefaultCost}
}

// NormalizeEmail is the form addresses are stored and compared in.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Create validates and stores a new account. Problems come back as a
// *calendar.ValidationError naming the field, a taken address included.
func (s *Users) Create(ctx context.Context, in NewUser) (User, error) {
	u := User{
		Email:    NormalizeEmail(in.Email),
		Name:     strings.TrimSpace(in.Name),
		IsAdmin:  in.IsAdmin,
		TimeZone: strings.TrimSpace(in.TimeZone),
	}
	if u.TimeZone == "" {
		u.TimeZone = "UTC"
	}
	var verr calendar.ValidationError
	if msg := checkEmail(u.Email); msg != "" {
		verr.Add("email", msg)
	}
	switch {
	case u.Name == "":
		verr.Add("name", "Enter a name.")
	case utf8.RuneCountInString(u.Name) > maxName:
		verr.Add("name", fmt.Sprintf("Use at most %d characters.", maxName))
	}
	if _, err := time.LoadLocation(u.TimeZone); err != nil || u.TimeZone == "Local" {
		verr.Add("timeZone", "Use an IANA time zone such as Europe/Berlin.")
	}
	if in.Password != "" {
		if msg := checkPassword(in.Password); msg != "" {
			verr.Add("password", msg)
		}
	}
	if err := verr.Err(); err != nil {
		return User{}, err
	}
	if in.Password != "" {
		hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.Cost)
		if err != nil {
			return User{}, fmt.Errorf("hash password: %w", err)
		}
		u.PasswordHash = string(hash)
	}
	now := s.now()
	u.CreatedAt, u.UpdatedAt = now, now
	if err := s.db.WithContext(ctx).Create(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return User{}, &calendar.ValidationError{Fields: map[string]string{"email": "An account with this e-mail address exists already."}}
		}
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

func checkEmail(email string) string {
	if email == "" {
		return "Enter an e-mail address."
	}
	if len(email) > maxEmail {
		return fmt.Sprintf("Use at most %d characters.", maxEmail)
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return "Enter an address such as anna@example.com."
	}
	return ""
}

func checkPassword(pw string) string {
	switch {
	case utf8.RuneCountInString(pw) < minPassword:
		return fmt.Sprintf("Use at least %d characters.", minPassword)
	case len(pw) > maxPassword:
		return fmt.Sprintf("Use at most %d bytes.", maxPassword)
	}
	return ""
}

// ByID finds an account; calendar.ErrNotFound when there is none.
func (s *Users) ByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, fmt.Errorf("user %d: %w", id, calendar.ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("find user %d: %w", id, err)
	}
	return u, nil
}

// ByEmail finds an account by address, ignoring case; calendar.ErrNotFound when there is none.
func (s *Users) ByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, fmt.Errorf("user with that e-mail address: %w", calendar.ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("find user by e-mail: %w", err)
	}
	return u, nil
}

// inListChunk is how many values one IN list holds at most: SQL Server takes 2,100
// parameters a statement, SQLite 32,766 and PostgreSQL 65,535, and an event may have tens
// of thousands of invitees.
const inListChunk = 500

// ListByIDs returns the accounts with the given ids, ordered by id; unknown ids are left out.
func (s *Users) ListByIDs(ctx context.Context, ids []int64) ([]User, error) {
	var us []User
	for chunk := range slices.Chunk(ids, inListChunk) {
		var more []User
		if err := s.db.WithContext(ctx).Where("id IN ?", chunk).Find(&more).Error; err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		us = append(us, more...)
	}
	slices.SortFunc(us, func(a, b User) int { return cmp.Compare(a.ID, b.ID) })
	return slices.CompactFunc(us, func(a, b User) bool { return a.ID == b.ID }), nil
}

// ByIDs maps the given ids to their accounts; unknown ids are left out.
func (s *Users) ByIDs(ctx context.Context, ids []int64) (map[int64]User, error) {
	us, err := s.ListByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]User, len(us))
	for _, u := range us {
		out[u.ID] = u
	}
	return out, nil
}

// IDsByEmail maps the addresses that belong to accounts, normalised, to their ids; the
// others are left out.
func (s *Users) IDsByEmail(ctx context.Context, emails []string) (map[string]int64, error) {
	norm := make([]string, 0, len(emails))
	for _, m := range emails {
		if m = NormalizeEmail(m); m != "" {
			norm = append(norm, m)
		}
	}
	slices.Sort(norm)
	out := make(map[string]int64, len(norm))
	for chunk := range slices.Chunk(slices.Compact(norm), inListChunk) {
		var us []User
		if err := s.db.WithContext(ctx).Select("id", "email").Where("email IN ?", chunk).Find(&us).Error; err != nil {
			return nil, fmt.Errorf("find users by address: %w", err)
		}
		for _, u := range us {
			out[NormalizeEmail(u.Email)] = u.ID
		}
	}
	return out, nil
}

// Search finds accounts whose e-mail address, name, or a word of the name starts with q,
// ignoring case, for picking colleagues to invite: disabled and deleted accounts are left
// out. At most limit (capped at 50) come back, ordered by name.
func (s *Users) Search(ctx context.Context, q string, limit int) ([]User, error) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return nil, nil
	}
	if limit <= 0 || limit > maxSearchLimit {
		limit = maxSearchLimit
	}
	var us []User
	err := matching(s.db.WithContext(ctx), q).Where(activeUsers).
		Order("name").Order("id").Limit(limit).Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("search users: %w", err)
	}
	return us, nil
}

// matching narrows a query of users to those whose e-mail address, name, or a word of the
// name starts with q (lower case); "" matches everyone.
func matching(db *gorm.DB, q string) *gorm.DB {
	if q == "" {
		return db
	}
	p := escapeLike(q)
	// '!' as the escape character works alike on SQLite, PostgreSQL and SQL Server.
	return db.Where("email LIKE ? ESCAPE '!' OR LOWER(name) LIKE ? ESCAPE '!' OR LOWER(name) LIKE ? ESCAPE '!'",
		p+"%", p+"%", "% "+p+"%")
}

// escapeLike makes s match itself in a LIKE pattern with '!' as the escape character ('[' is
// a wildcard on SQL Server).
func escapeLike(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_", "[", "![").Replace(s)
}

// hashPassword checks a new password against the rules of `user add` (a validation error on
// field when it breaks them) and hashes it.
func (s *Users) hashPassword(password, field string) (string, error) {
	if msg := checkPassword(password); msg != "" {
		return "", &calendar.ValidationError{Fields: map[string]string{field: msg}}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.Cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(hash), nil
}

// SetPassword replaces an account's password. It ends no session: the audited changes of
// lifecycle.go do that.
func (s *Users) SetPassword(ctx context.Context, id int64, password string) error {
	hash, err := s.hashPassword(password, "password")
	if err != nil {
		return err
	}
	return s.update(ctx, "id = ?", id, "set password", map[string]any{"password_hash": hash})
}

// List returns the accounts that are not deleted whose address or name starts with q ("":
// all), by name, at most limit.
func (s *Users) List(ctx context.Context, q string, limit int) ([]User, error) {
	var us []User
	err := matching(s.db.WithContext(ctx), strings.ToLower(strings.TrimSpace(q))).Where("deleted_at IS NULL").
		Order("name").Order("id").Limit(limit).Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// activeOf keeps the ids of accounts that are neither disabled nor deleted: the sync skips
// a disabled account's connection (kept, so enabling the account resumes it).
func (s *Users) ActiveIDs(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return ids, nil
	}
	var out []int64
	err := s.db.WithContext(ctx).Model(&User{}).Where("id IN ?", ids).Where(activeUsers).Order("id").Pluck("id", &out).Error
	if err != nil {
		return nil, fmt.Errorf("find the active accounts to sync: %w", err)
	}
	return out, nil
}

// SetTimeZone changes an account's time zone to an IANA zone name.
func (s *Users) SetTimeZone(ctx context.Context, id int64, zone string) error {
	if _, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
		return &calendar.ValidationError{Fields: map[string]string{"timeZone": "Use an IANA time zone such as Europe/Berlin."}}
	}
	return s.update(ctx, "id = ?", id, "set time zone", map[string]any{"time_zone": zone})
}

// In is the store working inside the transaction tx.
func (s *Users) In(tx *gorm.DB) *Users { return &Users{db: tx, now: s.now, Cost: s.Cost} }

// OtherActiveAdmins counts the administrators other than id who can sign in.
func (s *Users) OtherActiveAdmins(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Where("is_admin = ? AND id <> ?", true, id).Where(activeUsers).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count administrators: %w", err)
	}
	return n, nil
}

// SetDisabled disables an account at at, or enables it again when at is nil. Disabling a
// disabled account keeps the time it was first disabled.
func (s *Users) SetDisabled(ctx context.Context, id int64, at *time.Time) error {
	q := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id)
	updatedAt := s.now()
	if at != nil {
		q, updatedAt = q.Where("disabled_at IS NULL"), *at
	}
	if err := q.Updates(map[string]any{"disabled_at": at, "updated_at": updatedAt}).Error; err != nil {
		if at != nil {
			return fmt.Errorf("disable user %d: %w", id, err)
		}
		return fmt.Errorf("enable user %d: %w", id, err)
	}
	return nil
}

// tombstone turns an account into the tombstone of a deleted one: name kept, address
// replaced by email, password and role removed.
func (s *Users) tombstone(ctx context.Context, id int64, email string, now time.Time) error {
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ? AND deleted_at IS NULL", id).Updates(map[string]any{
		"email": email, "password_hash": "", "is_admin": false, "deleted_at": now, "updated_at": now,
	})
	if res.Error != nil {
		return fmt.Errorf("delete user %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user %d was deleted meanwhile: %w", id, calendar.ErrNotFound)
	}
	return nil
}

// storeHash replaces the password hash of an account that is not deleted.
func (s *Users) storeHash(ctx context.Context, id int64, hash string) error {
	return s.update(ctx, "id = ? AND deleted_at IS NULL", id, fmt.Sprintf("store the password of user %d", id),
		map[string]any{"password_hash": hash})
}

// update sets fields, and the time of the change, on the account id if it meets cond;
// calendar.ErrNotFound when there is none. what names the change in errors.
func (s *Users) update(ctx context.Context, cond string, id int64, what string, fields map[string]any) error {
	fields["updated_at"] = s.now()
	res := s.db.WithContext(ctx).Model(&User{}).Where(cond, id).Updates(fields)
	if res.Error != nil {
		return fmt.Errorf("%s: %w", what, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user %d: %w", id, calendar.ErrNotFound)
	}
	return nil
}

// AllActiveIDs lists every account that is neither disabled nor deleted, by id.
func (s *Users) AllActiveIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Model(&User{}).Where(activeUsers).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list active users: %w", err)
	}
	return ids, nil
}
