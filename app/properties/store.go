package properties

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
	"intracal/config/secrets"
)

// Names of the properties, as administrators see and search them.
const (
	PropEnableSync         = "EnableThirdPartyCalendarSync"
	PropOutlookClientID    = "OutlookApiClientID"
	PropOutlookSecret      = "OutlookApiClientSecret"
	PropSAMLTenantID       = "SAMLTenantID"
	PropUseSAMLTenantForMS = "UseSAMLtenantIDForOutlook"
	PropEmployeesSpaces    = "EmployeesCreateSpaces"
	// Sign in with Microsoft (app/signin), on the same app registration.
	PropMicrosoftSignIn  = "MicrosoftSignIn"
	PropMicrosoftCreates = "MicrosoftSignInCreatesAccounts"
	PropMicrosoftTenants = "MicrosoftSignInTenants"
	PropPasswordSignIn   = "PasswordSignIn"
	PropBreakGlassAdmin  = "BreakGlassAdministrator"
)

// Kind says what a property holds, and so how it is validated and shown.
type Kind string

const (
	KindBool   Kind = "bool"
	KindGUID   Kind = "guid"
	KindSecret Kind = "secret" // write-only: only "set" and "updated at" are readable
	KindEmail  Kind = "email"
	KindGUIDs  Kind = "guids" // a list of GUIDs, stored separated by ", "
)

// propertyDef describes one property.
type propertyDef struct {
	Name        string
	Kind        Kind
	Default     string
	Description string
}

// propertyDefs lists every property in the order the Control Panel shows them.
func propertyDefs() []propertyDef {
	return []propertyDef{
		{PropEnableSync, KindBool, "false",
			"Enable calendar sync from 3rd party systems: lets employees connect My Calendar to Outlook."},
		{PropOutlookClientID, KindGUID, "",
			"Application (client) ID of the app registered in Microsoft Entra for Outlook calendar sync."},
		{PropOutlookSecret, KindSecret, "",
			"Client secret value of that app registration. Write-only: it is stored encrypted and never shown again."},
		{PropSAMLTenantID, KindGUID, "",
			"Directory (tenant) ID of your organization in Microsoft Entra."},
		{PropUseSAMLTenantForMS, KindBool, "true",
			"Sign users in to Outlook through the SAMLTenantID tenant (single-tenant app). Turn off for a multitenant app."},
		{PropEmployeesSpaces, KindBool, "true",
			"Let every employee create spaces; when off, only site administrators can."},
		{PropMicrosoftSignIn, KindBool, "false",
			"Offer Sign in with Microsoft on the login page, through the app registration of OutlookApiClientID (register the site's /oauth2/signin/callback as a redirect URI)."},
		{PropMicrosoftCreates, KindBool, "true",
			"Create an account at the first Sign in with Microsoft of someone who has none; when off, only people with an account can sign in."},
		{PropMicrosoftTenants, KindGUIDs, "",
			"For a multitenant app (UseSAMLtenantIDForOutlook off): the tenant IDs, besides SAMLTenantID, whose people may sign in with Microsoft, separated by commas."},
		{PropPasswordSignIn, KindBool, "true",
			"Let people sign in with an e-mail address and password. When off (Sign in with Microsoft must be on), only the BreakGlassAdministrator can."},
		{PropBreakGlassAdmin, KindEmail, "",
			"E-mail address of the site administrator who may still sign in with a password when PasswordSignIn is off, for when Microsoft cannot be reached."},
	}
}

func lookupProperty(name string) (propertyDef, bool) {
	for _, d := range propertyDefs() {
		if d.Name == name {
			return d, true
		}
	}
	return propertyDef{}, false
}

// View is what may be shown of a property: never a secret's value.
type View struct {
	Name        string
	Kind        Kind
	Description string
	Default     string
	// Value is the effective value (the default when unset); always "" for a secret.
	Value string
	// Set reports whether a value was stored (for a secret: whether one is configured).
	Set       bool
	UpdatedAt *time.Time
	// UpdatedBy names who changed it last, "" when never changed.
	UpdatedBy string
}

// IsSecret reports whether the property is write-only.
func (p View) IsSecret() bool { return p.Kind == KindSecret }

// Change is one entry of the audit: who changed which property when. Value is the new
// value of an ordinary property and nil for a secret, whose value is never recorded.
type Change struct {
	ID        int64
	Property  string
	Actor     string
	Action    string // set, cleared
	Value     *string
	ChangedAt time.Time
}

// propertyRow is a row of system_properties.
type propertyRow struct {
	Name      string `gorm:"primaryKey"`
	Value     string
	Encrypted bool
	UpdatedAt time.Time
	UpdatedBy *int64
}

func (propertyRow) TableName() string { return "system_properties" }

// propertyAuditRow is a row of property_audit.
type propertyAuditRow struct {
	ID          int64 `gorm:"primaryKey"`
	Property    string
	ActorUserID *int64
	Actor       string
	Action      string
	Value       *string
	ChangedAt   time.Time
}

func (propertyAuditRow) TableName() string { return "property_audit" }

// Store reads and writes System Properties.
type Store struct {
	db    *gorm.DB
	box   *secrets.Box
	now   func() time.Time
	users *accounts.Users // the names of who changed what
}

// NewStore is the System Properties on db: secrets sealed with box, the time read from now,
// the names of who changed what from users.
func NewStore(db *gorm.DB, box *secrets.Box, now func() time.Time, users *accounts.Users) *Store {
	return &Store{db: db, box: box, now: now, users: users}
}

// secretContext binds a sealed property value to its property, so a sealed value copied into
// another row (or another table) does not open there.
func secretContext(name string) string { return "system-property:" + name }

// errUnknownProperty answers a name that is not a property.
func errUnknownProperty(name string) error {
	names := make([]string, 0, 8)
	for _, d := range propertyDefs() {
		names = append(names, d.Name)
	}
	return httpkit.NewError(http.StatusNotFound, "not_found",
		fmt.Sprintf("There is no system property named %q; the properties are %s.", name, strings.Join(names, ", ")))
}

// List returns the properties whose name contains query, ignoring case ("" lists all).
func (s *Store) List(ctx context.Context, query string) ([]View, error) {
	rows, err := s.rows(ctx)
	if err != nil {
		return nil, err
	}
	users, err := s.actorNames(ctx, rows)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(query))
	var out []View
	for _, d := range propertyDefs() {
		if q != "" && !strings.Contains(strings.ToLower(d.Name), q) {
			continue
		}
		out = append(out, viewOf(d, rows[d.Name], users))
	}
	return out, nil
}

// Get returns one property.
func (s *Store) Get(ctx context.Context, name string) (View, error) {
	d, ok := lookupProperty(name)
	if !ok {
		return View{}, errUnknownProperty(name)
	}
	rows, err := s.rows(ctx)
	if err != nil {
		return View{}, err
	}
	users, err := s.actorNames(ctx, rows)
	if err != nil {
		return View{}, err
	}
	return viewOf(d, rows[d.Name], users), nil
}

func viewOf(d propertyDef, row *propertyRow, users map[int64]string) View {
	v := View{Name: d.Name, Kind: d.Kind, Description: d.Description, Default: d.Default, Value: d.Default}
	if row == nil {
		return v
	}
	v.Set = row.Value != ""
	t := row.UpdatedAt
	v.UpdatedAt = &t
	v.UpdatedBy = "command line"
	if row.UpdatedBy != nil {
		v.UpdatedBy = users[*row.UpdatedBy]
	}
	switch {
	case d.Kind == KindSecret:
		v.Value = ""
	case row.Value != "":
		v.Value = row.Value
	}
	return v
}

func (s *Store) rows(ctx context.Context) (map[string]*propertyRow, error) {
	var rows []propertyRow
	if err := s.db.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read system properties: %w", err)
	}
	out := make(map[string]*propertyRow, len(rows))
	for i := range rows {
		out[rows[i].Name] = &rows[i]
	}
	return out, nil
}

// actorNames finds the names of the people who last changed the properties.
func (s *Store) actorNames(ctx context.Context, rows map[string]*propertyRow) (map[int64]string, error) {
	var ids []int64
	for _, r := range rows {
		if r.UpdatedBy != nil && !slices.Contains(ids, *r.UpdatedBy) {
			ids = append(ids, *r.UpdatedBy)
		}
	}
	names := map[int64]string{}
	if len(ids) == 0 {
		return names, nil
	}
	users, err := s.users.ListByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read property editors: %w", err)
	}
	for _, u := range users {
		names[u.ID] = accounts.Viewer{UserID: u.ID, Name: u.Name, Email: u.Email}.AuditName()
	}
	return names, nil
}

// Set validates and stores a property's new value and records the change in the audit, in
// one transaction. An empty value clears it (back to its default). Problems come back as a
// *calendar.ValidationError whose field is the property's name.
func (s *Store) Set(ctx context.Context, actor accounts.Viewer, name, value string) error {
	d, ok := lookupProperty(name)
	if !ok {
		return errUnknownProperty(name)
	}
	stored, err := normalizeProperty(d, value)
	if err != nil {
		return err
	}
	if err := s.checkSignInChange(ctx, d.Name, stored); err != nil {
		return err
	}
	now := s.now()
	row := propertyRow{Name: d.Name, Value: stored, UpdatedAt: now}
	if actor.UserID != 0 {
		id := actor.UserID
		row.UpdatedBy = &id
	}
	if d.Kind == KindSecret && stored != "" {
		sealed, err := s.box.Seal([]byte(stored), secretContext(d.Name))
		if err != nil {
			return fmt.Errorf("seal %s: %w", d.Name, err)
		}
		row.Value, row.Encrypted = sealed, true
	}
	audit := propertyAuditRow{Property: d.Name, ActorUserID: row.UpdatedBy, Actor: actor.AuditName(),
		Action: "set", ChangedAt: now}
	if stored == "" {
		audit.Action = "cleared"
	} else if d.Kind != KindSecret {
		audit.Value = &stored
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "name"}},
			DoUpdates: clause.AssignmentColumns([]string{"value", "encrypted", "updated_at", "updated_by"}),
		}).Create(&row).Error
		if err != nil {
			return fmt.Errorf("store property %s: %w", d.Name, err)
		}
		if err := tx.Create(&audit).Error; err != nil {
			return fmt.Errorf("audit property %s: %w", d.Name, err)
		}
		return nil
	})
}

// Audit returns the latest changes, newest first.
func (s *Store) Audit(ctx context.Context, limit int) ([]Change, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var rows []propertyAuditRow
	if err := s.db.WithContext(ctx).Order("changed_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read property audit: %w", err)
	}
	out := make([]Change, len(rows))
	for i, r := range rows {
		out[i] = Change{ID: r.ID, Property: r.Property, Actor: r.Actor, Action: r.Action, Value: r.Value, ChangedAt: r.ChangedAt}
	}
	return out, nil
}

// Raw reads a property's stored value, opening a secret; "" when unset.
func (s *Store) Raw(ctx context.Context, name string) (string, error) {
	var row propertyRow
	err := s.db.WithContext(ctx).Where("name = ?", name).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read property %s: %w", name, err)
	}
	if !row.Encrypted {
		return row.Value, nil
	}
	plain, err := s.box.Open(row.Value, secretContext(name))
	if err != nil {
		return "", fmt.Errorf("open property %s (was the secret key changed?): %w", name, err)
	}
	return string(plain), nil
}

// propertyInvalid is a ValidationError for one property.
func propertyInvalid(name, msg string) error {
	return &calendar.ValidationError{Fields: map[string]string{name: msg}}
}
