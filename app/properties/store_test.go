package properties

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/internal/apptest"
	"intracal/calendar"
	"intracal/config/secrets"
	"intracal/migrations/dbtest"
)

// testSecret is a client secret that no page, log or answer may show.
const testSecret = "Zq8~s3cr3t.Value-that-must-never-show"

func TestPropertyValidation(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestSite(t, db, nil)
	admin := accounts.ViewerOf(addUser(t, a, "root@example.com", "Root", "correct horse", true))
	tests := []struct {
		name, prop, value string
		wantErr           string // substring of the field's message; "" means accepted
		wantStored        string
	}{
		{"guid accepted and lower-cased", PropOutlookClientID, " 8F0C2A71-5D3E-4B6A-9C1F-2E7D4A6B9C30 ", "", "8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30"},
		{"guid in braces accepted", PropSAMLTenantID, "{3c9d1e5f-7a2b-4c8d-9e0f-1a2b3c4d5e6f}", "", "3c9d1e5f-7a2b-4c8d-9e0f-1a2b3c4d5e6f"},
		{"client id not a guid", PropOutlookClientID, "my-app", "OutlookApiClientID must be a GUID like 00000000-0000-0000-0000-000000000000", ""},
		{"tenant id too short", PropSAMLTenantID, "3c9d1e5f-7a2b-4c8d-9e0f", "SAMLTenantID must be a GUID like 00000000-0000-0000-0000-000000000000", ""},
		{"switch yes", PropEnableSync, "Yes", "", "true"},
		{"switch false", PropUseSAMLTenantForMS, "false", "", "false"},
		{"switch nonsense", PropEnableSync, "maybe", "EnableThirdPartyCalendarSync must be true or false", ""},
		{"secret on two lines", PropOutlookSecret, "abc\ndef", "must be one line", ""},
		{"secret too long", PropOutlookSecret, strings.Repeat("x", maxSecretLength+1), "longer than", ""},
		{"empty clears", PropOutlookClientID, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := a.props.Set(t.Context(), admin, tc.prop, tc.value)
			if tc.wantErr != "" {
				var verr *calendar.ValidationError
				if !errors.As(err, &verr) || !strings.Contains(verr.Fields[tc.prop], tc.wantErr) {
					t.Fatalf("Set(%s, %q) = %v; want a validation message on %s containing %q", tc.prop, tc.value, err, tc.prop, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Set(%s, %q): %v", tc.prop, tc.value, err)
			}
			got, err := a.props.Raw(t.Context(), tc.prop)
			if err != nil || got != tc.wantStored {
				t.Errorf("stored %q, %v; want %q", got, err, tc.wantStored)
			}
		})
	}
	if err := a.props.Set(t.Context(), admin, "NoSuchProperty", "x"); httpkit.Classify(err).Status != 404 {
		t.Errorf("unknown property: %v, want a 404", err)
	}
}

func TestPropertyListDefaultsAndSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestSite(t, db, nil)
		all, err := a.props.List(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		defaults := map[string]string{}
		for _, p := range all {
			defaults[p.Name] = p.Value
		}
		want := map[string]string{PropEnableSync: "false", PropOutlookClientID: "", PropOutlookSecret: "", PropSAMLTenantID: "", PropUseSAMLTenantForMS: "true", PropEmployeesSpaces: "true",
			PropMicrosoftSignIn: "false", PropMicrosoftCreates: "true", PropMicrosoftTenants: "", PropPasswordSignIn: "true", PropBreakGlassAdmin: ""}
		if len(defaults) != len(want) {
			t.Fatalf("listed %v, want %v", defaults, want)
		}
		for k, v := range want {
			if defaults[k] != v {
				t.Errorf("%s defaults to %q, want %q", k, defaults[k], v)
			}
		}
		searches := []struct {
			query string
			want  []string
		}{
			{"outlook", []string{PropOutlookClientID, PropOutlookSecret, PropUseSAMLTenantForMS}},
			{"  SAML ", []string{PropSAMLTenantID, PropUseSAMLTenantForMS}},
			{"nothing-like-this", nil},
		}
		for _, s := range searches {
			list, err := a.props.List(t.Context(), s.query)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range list {
				names = append(names, p.Name)
			}
			if strings.Join(names, ",") != strings.Join(s.want, ",") {
				t.Errorf("search %q found %v, want %v", s.query, names, s.want)
			}
		}
	})
}

func TestPropertySecretIsWriteOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestSite(t, db, nil)
		ctx := t.Context()
		admin := accounts.ViewerOf(addUser(t, a, "root@example.com", "Root", "correct horse", true))
		if err := a.props.Set(ctx, admin, PropOutlookSecret, "  "+testSecret+"\n"); err != nil {
			t.Fatal(err)
		}
		p, err := a.props.Get(ctx, PropOutlookSecret)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Set || p.UpdatedAt == nil || p.Value != "" || p.UpdatedBy != "Root <root@example.com>" {
			t.Errorf("secret reads as %+v; want set, with a time and editor, and no value", p)
		}
		list, _ := a.props.List(ctx, "")
		for _, p := range list {
			if strings.Contains(p.Value, testSecret) || strings.Contains(p.Value, "s3cr3t") {
				t.Errorf("List shows the secret in %s", p.Name)
			}
		}

		var row propertyRow
		if err := db.Where("name = ?", PropOutlookSecret).Take(&row).Error; err != nil {
			t.Fatal(err)
		}
		if !row.Encrypted || strings.Contains(row.Value, "s3cr3t") {
			t.Errorf("database row %+v: want the value encrypted", row)
		}
		// Bound to its property: the sealed text does not open as another one.
		if _, err := a.box.Open(row.Value, secretContext(PropOutlookClientID)); !errors.Is(err, secrets.ErrOpen) {
			t.Errorf("sealed secret opened under another property's context: %v", err)
		}

		settings, err := a.props.OutlookSettings(ctx)
		if err != nil || settings.ClientSecret != testSecret {
			t.Fatalf("OutlookSettings: secret %q, %v; want the trimmed secret", settings.ClientSecret, err)
		}
		if s := settings.String(); strings.Contains(s, "s3cr3t") {
			t.Errorf("settings format with the secret: %s", s)
		}

		// A secret that no longer opens (the site key changed) reads as missing, not as an error.
		if err := db.Model(&propertyRow{}).Where("name = ?", PropOutlookSecret).Update("value", "v1:AAAA").Error; err != nil {
			t.Fatal(err)
		}
		settings, err = a.props.OutlookSettings(ctx)
		if err != nil || settings.ClientSecret != "" || !strings.Contains(strings.Join(settings.Missing(), ";"), "cannot be decrypted") {
			t.Errorf("undecryptable secret: %v, missing %v", err, settings.Missing())
		}
	})
}

func TestPropertyAuditRecordsWhoWhenWhichButNoSecret(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		clock := apptest.NewClock()
		a := newTestSite(t, db, clock.Now)
		ctx := t.Context()
		admin := accounts.ViewerOf(addUser(t, a, "root@example.com", "Root", "correct horse", true))
		steps := []struct {
			actor       accounts.Viewer
			prop, value string
		}{
			{admin, PropEnableSync, "yes"},
			{accounts.Viewer{}, PropOutlookSecret, testSecret},
			{admin, PropOutlookClientID, "8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30"},
			{admin, PropOutlookSecret, ""},
		}
		for _, s := range steps {
			clock.Advance(1)
			if err := a.props.Set(ctx, s.actor, s.prop, s.value); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.props.Set(ctx, admin, PropSAMLTenantID, "not-a-guid"); err == nil {
			t.Fatal("invalid value accepted")
		}
		changes, err := a.props.Audit(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		type entry struct{ prop, actor, action, value string }
		var got []entry
		for _, c := range changes {
			v := "<nil>"
			if c.Value != nil {
				v = *c.Value
			}
			got = append(got, entry{c.Property, c.Actor, c.Action, v})
			if c.ChangedAt.IsZero() {
				t.Errorf("change %+v has no time", c)
			}
		}
		want := []entry{ // newest first; the refused change is not there
			{PropOutlookSecret, "Root <root@example.com>", "cleared", "<nil>"},
			{PropOutlookClientID, "Root <root@example.com>", "set", "8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30"},
			{PropOutlookSecret, "command line", "set", "<nil>"},
			{PropEnableSync, "Root <root@example.com>", "set", "true"},
		}
		if len(got) != len(want) {
			t.Fatalf("audit %+v, want %+v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("audit[%d] = %+v, want %+v", i, got[i], want[i])
			}
		}
		var rows []propertyAuditRow
		db.Find(&rows)
		for _, r := range rows {
			if r.Value != nil && strings.Contains(*r.Value, "s3cr3t") {
				t.Errorf("audit row holds the secret: %+v", r)
			}
		}
	})
}

// testSite is what the System Properties need: their store, the box that seals the secret,
// and the accounts that change them.
type testSite struct {
	props *Store
	box   *secrets.Box
	users *accounts.Users
}

// newTestSite builds the stores on db, reading the time from now (nil: the wall clock).
func newTestSite(t *testing.T, db *gorm.DB, now func() time.Time) testSite {
	t.Helper()
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(100 + i)
	}
	box, err := secrets.New(key)
	if err != nil {
		t.Fatal(err)
	}
	users := accounts.NewUsers(db, now)
	users.Cost = bcrypt.MinCost
	return testSite{props: NewStore(db, box, now, users), box: box, users: users}
}

// addUser creates an account with a password.
func addUser(t *testing.T, s testSite, email, name, password string, admin bool) accounts.User {
	t.Helper()
	u, err := s.users.Create(t.Context(), accounts.NewUser{Email: email, Name: name, Password: password, IsAdmin: admin})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
