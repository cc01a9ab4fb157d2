package app

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
	// DeletedAt is set on the tombstone of a deleted account (App.deleteUser in accounts.go).
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

// userStore keeps accounts.
type userStore struct {
	db   *gorm.DB
	now  func() time.Time
	cost int // bcrypt cost
}

// normalizeEmail is the form addresses are stored and compared in.
func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// create validates and stores a new account. Problems come back as a
// *calendar.ValidationError naming the field, a taken address included.
func (s *userStore) create(ctx context.Context, in NewUser) (User, error) {
	u := User{
		Email:    normalizeEmail(in.Email),
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
		hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.cost)
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

// byID finds an account; calendar.ErrNotFound when there is none.
func (s *userStore) byID(ctx context.Context, id int64) (User, error) {
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

// byEmail finds an account by address, ignoring case; calendar.ErrNotFound when there is none.
func (s *userStore) byEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", normalizeEmail(email)).Take(&u).Error
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

// listByIDs returns the accounts with the given ids, ordered by id; unknown ids are left out.
func (s *userStore) listByIDs(ctx context.Context, ids []int64) ([]User, error) {
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

// idsByEmail maps the addresses that belong to accounts, normalised, to their ids; the
// others are left out.
func (s *userStore) idsByEmail(ctx context.Context, emails []string) (map[string]int64, error) {
	norm := make([]string, 0, len(emails))
	for _, m := range emails {
		if m = normalizeEmail(m); m != "" {
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
			out[normalizeEmail(u.Email)] = u.ID
		}
	}
	return out, nil
}

// search finds accounts whose e-mail address, name, or a word of the name starts with q,
// ignoring case, for picking colleagues to invite: disabled and deleted accounts are left
// out. At most limit (capped at 50) come back, ordered by name.
func (s *userStore) search(ctx context.Context, q string, limit int) ([]User, error) {
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
func (s *userStore) hashPassword(password, field string) (string, error) {
	if msg := checkPassword(password); msg != "" {
		return "", &calendar.ValidationError{Fields: map[string]string{field: msg}}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(hash), nil
}

// setPassword replaces an account's password. It ends no session: the audited changes of
// accounts.go do that.
func (s *userStore) setPassword(ctx context.Context, id int64, password string) error {
	hash, err := s.hashPassword(password, "password")
	if err != nil {
		return err
	}
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("set password: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user %d: %w", id, calendar.ErrNotFound)
	}
	return nil
}

// list returns the accounts that are not deleted whose address or name starts with q ("":
// all), by name, at most limit.
func (s *userStore) list(ctx context.Context, q string, limit int) ([]User, error) {
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
func (s *userStore) activeIDs(ctx context.Context, ids []int64) ([]int64, error) {
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

// setTimeZone changes an account's time zone to an IANA zone name.
func (s *userStore) setTimeZone(ctx context.Context, id int64, zone string) error {
	if _, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
		return &calendar.ValidationError{Fields: map[string]string{"timeZone": "Use an IANA time zone such as Europe/Berlin."}}
	}
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"time_zone": zone, "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("set time zone: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user %d: %w", id, calendar.ErrNotFound)
	}
	return nil
}
