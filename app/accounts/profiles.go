package accounts

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"intracal/calendar"
)

// The directory: what an intranet's People page shows of each person, beyond name and
// address. The person edits their own fields; administrators edit anyone's and may lock a
// field, which is then theirs alone (a department set from HR, say).

// The profile fields, as forms and the API name them.
const (
	FieldJobTitle       = "jobTitle"
	FieldDepartment     = "department"
	FieldOfficeLocation = "officeLocation"
	FieldOfficePhone    = "officePhone"
	FieldMobilePhone    = "mobilePhone"
)

// ProfileField describes a profile field.
type ProfileField struct {
	Name  string
	Label string
	Max   int
	Phone bool
}

// ProfileFields are the profile fields in the order the pages show them.
func ProfileFields() []ProfileField {
	return []ProfileField{
		{FieldJobTitle, "Job title", 255, false},
		{FieldDepartment, "Department", 255, false},
		{FieldOfficeLocation, "Office location", 255, false},
		{FieldOfficePhone, "Office phone", 64, true},
		{FieldMobilePhone, "Mobile phone", 64, true},
	}
}

func profileField(name string) (ProfileField, bool) {
	for _, f := range ProfileFields() {
		if f.Name == name {
			return f, true
		}
	}
	return ProfileField{}, false
}

// Profile is a person's directory fields (user_profiles, migration 21).
type Profile struct {
	UserID         int64 `gorm:"primaryKey;autoIncrement:false"`
	JobTitle       string
	Department     string
	OfficeLocation string
	OfficePhone    string
	MobilePhone    string
	Locked         string // field names, separated by commas
	UpdatedAt      time.Time
}

// TableName is user_profiles.
func (Profile) TableName() string { return "user_profiles" }

// Value is a field's value.
func (p Profile) Value(field string) string {
	switch field {
	case FieldJobTitle:
		return p.JobTitle
	case FieldDepartment:
		return p.Department
	case FieldOfficeLocation:
		return p.OfficeLocation
	case FieldOfficePhone:
		return p.OfficePhone
	case FieldMobilePhone:
		return p.MobilePhone
	}
	return ""
}

func (p *Profile) set(field, v string) {
	switch field {
	case FieldJobTitle:
		p.JobTitle = v
	case FieldDepartment:
		p.Department = v
	case FieldOfficeLocation:
		p.OfficeLocation = v
	case FieldOfficePhone:
		p.OfficePhone = v
	case FieldMobilePhone:
		p.MobilePhone = v
	}
}

// IsLocked reports whether only administrators may change the field.
func (p Profile) IsLocked(field string) bool {
	return slices.Contains(strings.Split(p.Locked, ","), field)
}

// Profiles keeps the directory's fields.
type Profiles struct {
	db    *gorm.DB
	audit *Audit
	now   func() time.Time
	// OnChange is told of every stored change (contact lists push it at once); nil for none.
	OnChange func()
}

// NewProfiles is the store on db; administrators' changes go to the account audit.
func NewProfiles(db *gorm.DB, audit *Audit, now func() time.Time) *Profiles {
	return &Profiles{db: db, audit: audit, now: now}
}

// Get returns a person's profile; an empty one when none was ever saved.
func (s *Profiles) Get(ctx context.Context, userID int64) (Profile, error) {
	var p Profile
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Profile{UserID: userID}, nil
	}
	if err != nil {
		return Profile{}, fmt.Errorf("read the profile of user %d: %w", userID, err)
	}
	return p, nil
}

// ByUsers returns the profiles of the given people (those without one are left out).
func (s *Profiles) ByUsers(ctx context.Context, ids []int64) (map[int64]Profile, error) {
	out := make(map[int64]Profile, len(ids))
	for chunk := range slices.Chunk(ids, inListChunk) {
		var ps []Profile
		if err := s.db.WithContext(ctx).Where("user_id IN ?", chunk).Find(&ps).Error; err != nil {
			return nil, fmt.Errorf("read profiles: %w", err)
		}
		for _, p := range ps {
			out[p.UserID] = p
		}
	}
	return out, nil
}

// ProfileEdit is a change of a profile: the new values of the fields sent (a field left out
// keeps its value), and for administrators the fields to lock or unlock.
type ProfileEdit struct {
	Values map[string]string
	Lock   map[string]bool // administrators only; nil keeps the locks
}

// phonePattern is what a phone number may hold: digits, spaces and + ( ) - . /, with an
// extension at the end ("x 12", "ext. 12").
var phonePattern = regexp.MustCompile(`^[0-9+()\-./ ]*[0-9](?: ?(?:x|ext\.?) ?[0-9]+)?$`)

// Update changes a profile as actor: the person themselves (asAdmin false, locked fields
// refused with why) or an administrator (any field, and the locks). Problems come back as a
// *calendar.ValidationError naming the fields. An administrator's change is audited.
func (s *Profiles) Update(ctx context.Context, actor Viewer, subject User, edit ProfileEdit, asAdmin bool) (Profile, error) {
	p, err := s.Get(ctx, subject.ID)
	if err != nil {
		return Profile{}, err
	}
	var verr calendar.ValidationError
	var changed []string
	for name, raw := range edit.Values {
		f, ok := profileField(name)
		if !ok {
			verr.Add(name, "There is no profile field "+name+".")
			continue
		}
		v := strings.Join(strings.Fields(raw), " ")
		if msg := checkProfileValue(f, v); msg != "" {
			verr.Add(name, msg)
			continue
		}
		if v == p.Value(name) {
			continue
		}
		if !asAdmin && p.IsLocked(name) {
			verr.Add(name, f.Label+" is set by your administrators.")
			continue
		}
		p.set(name, v)
		changed = append(changed, name)
	}
	if asAdmin && edit.Lock != nil {
		var locked []string
		for _, f := range ProfileFields() {
			if lock, ok := edit.Lock[f.Name]; (ok && lock) || (!ok && p.IsLocked(f.Name)) {
				locked = append(locked, f.Name)
			}
		}
		if l := strings.Join(locked, ","); l != p.Locked {
			p.Locked = l
			changed = append(changed, "locks")
		}
	}
	if err := verr.Err(); err != nil {
		return Profile{}, err
	}
	if len(changed) == 0 {
		return p, nil
	}
	slices.Sort(changed)
	p.UserID, p.UpdatedAt = subject.ID, s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}}, UpdateAll: true}).Create(&p).Error; err != nil {
			return fmt.Errorf("store the profile of user %d: %w", subject.ID, err)
		}
		if !asAdmin || actor.UserID == subject.ID {
			return nil
		}
		return s.audit.In(tx).Record(ctx, actor, AuditProfileChanged, subject, strings.Join(changed, ", "))
	})
	if err != nil {
		return Profile{}, err
	}
	if s.OnChange != nil {
		s.OnChange()
	}
	return p, nil
}

func checkProfileValue(f ProfileField, v string) string {
	switch {
	case !utf8.ValidString(v):
		return f.Label + " must be text."
	case utf8.RuneCountInString(v) > f.Max:
		return fmt.Sprintf("%s is longer than %d characters.", f.Label, f.Max)
	case strings.ContainsFunc(v, unicode.IsControl):
		return f.Label + " must be one line of text."
	case f.Phone && v != "" && !phonePattern.MatchString(v):
		return f.Label + " must be a phone number such as +49 30 1234567 (digits, spaces, + ( ) - . /, and x or ext. before an extension)."
	}
	return ""
}

// Departments lists the departments of active people, sorted.
func (s *Profiles) Departments(ctx context.Context) ([]string, error) {
	var ds []string
	err := s.db.WithContext(ctx).Table("user_profiles").Joins("JOIN users ON users.id = user_profiles.user_id").
		Where("users.disabled_at IS NULL AND users.deleted_at IS NULL AND user_profiles.department <> ''").
		Distinct("user_profiles.department").Order("user_profiles.department").Pluck("user_profiles.department", &ds).Error
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	return ds, nil
}

// InDepartment lists the active people of a department (its name matched ignoring case).
func (s *Profiles) InDepartment(ctx context.Context, department string) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Table("user_profiles").Joins("JOIN users ON users.id = user_profiles.user_id").
		Where("users.disabled_at IS NULL AND users.deleted_at IS NULL AND LOWER(user_profiles.department) = ?", strings.ToLower(strings.TrimSpace(department))).
		Order("users.id").Pluck("users.id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("list the people of a department: %w", err)
	}
	return ids, nil
}

// Entry is one person as the directory shows them.
type Entry struct {
	User    User
	Profile Profile
}

// DirectoryQuery narrows the directory: words matched against name, address, job title,
// department and office (each word must match one of them), a department, a page.
type DirectoryQuery struct {
	Q          string
	Department string
	Limit      int
	Offset     int
}

// maxDirectoryPage bounds one page of the directory.
const maxDirectoryPage = 100

// Directory lists active people by name with their profiles, and how many match in all.
func (s *Profiles) Directory(ctx context.Context, q DirectoryQuery) ([]Entry, int64, error) {
	if q.Limit <= 0 || q.Limit > maxDirectoryPage {
		q.Limit = maxDirectoryPage
	}
	db := s.db.WithContext(ctx).Table("users").
		Joins("LEFT JOIN user_profiles ON user_profiles.user_id = users.id").
		Where("users.disabled_at IS NULL AND users.deleted_at IS NULL")
	for _, w := range strings.Fields(strings.ToLower(q.Q)) {
		p := "%" + escapeLike(w) + "%"
		db = db.Where(`(users.email LIKE ? ESCAPE '!' OR LOWER(users.name) LIKE ? ESCAPE '!' OR LOWER(user_profiles.job_title) LIKE ? ESCAPE '!'
			OR LOWER(user_profiles.department) LIKE ? ESCAPE '!' OR LOWER(user_profiles.office_location) LIKE ? ESCAPE '!')`, p, p, p, p, p)
	}
	if d := strings.TrimSpace(q.Department); d != "" {
		db = db.Where("LOWER(user_profiles.department) = ?", strings.ToLower(d))
	}
	var total int64
	if err := db.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count the directory: %w", err)
	}
	var us []User
	if err := db.Select("users.*").Order("users.name").Order("users.id").Limit(q.Limit).Offset(max(q.Offset, 0)).Find(&us).Error; err != nil {
		return nil, 0, fmt.Errorf("list the directory: %w", err)
	}
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	profiles, err := s.ByUsers(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Entry, len(us))
	for i, u := range us {
		p, ok := profiles[u.ID]
		if !ok {
			p = Profile{UserID: u.ID}
		}
		out[i] = Entry{User: u, Profile: p}
	}
	return out, total, nil
}
