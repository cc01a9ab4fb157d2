package accounts

import (
	"errors"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

func TestUserStoreCreateAndFind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestStores(db)
		ctx := t.Context()
		u, err := a.users.Create(ctx, NewUser{Email: "  Anna.Berg@Example.COM ", Name: " Anna Berg ", Password: "correct horse", TimeZone: "Europe/Berlin"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "anna.berg@example.com" || u.Name != "Anna Berg" || u.TimeZone != "Europe/Berlin" || u.ID == 0 {
			t.Errorf("created %+v", u)
		}
		if u.PasswordHash == "" || u.PasswordHash == "correct horse" {
			t.Errorf("password stored as %q, want a bcrypt hash", u.PasswordHash)
		}
		byEmail, err := a.users.ByEmail(ctx, "ANNA.BERG@example.com")
		if err != nil || byEmail.ID != u.ID {
			t.Errorf("byEmail ignoring case: %+v, %v", byEmail, err)
		}
		byID, err := a.users.ByID(ctx, u.ID)
		if err != nil || byID.Email != u.Email {
			t.Errorf("byID: %+v, %v", byID, err)
		}
		if _, err := a.users.ByID(ctx, u.ID+100); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("byID of nobody: %v, want ErrNotFound", err)
		}
		if _, err := a.users.ByEmail(ctx, "nobody@example.com"); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("byEmail of nobody: %v, want ErrNotFound", err)
		}
		plain, err := a.users.Create(ctx, NewUser{Email: "bob@example.com", Name: "Bob"})
		if err != nil || plain.TimeZone != "UTC" || plain.PasswordHash != "" {
			t.Errorf("defaults: %+v, %v; want UTC and no password", plain, err)
		}
	})
}

func TestUserStoreRejects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestStores(db)
		addUser(t, a.users, "anna@example.com", "Anna", "", false)
		tests := []struct {
			name  string
			in    NewUser
			field string
		}{
			{"taken address in other case", NewUser{Email: "ANNA@example.com", Name: "Other Anna"}, "email"},
			{"no address", NewUser{Name: "X"}, "email"},
			{"not an address", NewUser{Email: "anna at example", Name: "X"}, "email"},
			{"address with a display name", NewUser{Email: "Anna <a@example.com>", Name: "X"}, "email"},
			{"no name", NewUser{Email: "x@example.com", Name: "  "}, "name"},
			{"unknown time zone", NewUser{Email: "x@example.com", Name: "X", TimeZone: "Mars/Olympus"}, "timeZone"},
			{"short password", NewUser{Email: "x@example.com", Name: "X", Password: "short"}, "password"},
			{"password past bcrypt's limit", NewUser{Email: "x@example.com", Name: "X", Password: string(make([]byte, 73))}, "password"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := a.users.Create(t.Context(), tt.in)
				var verr *calendar.ValidationError
				if !errors.As(err, &verr) || verr.Fields[tt.field] == "" {
					t.Errorf("err = %v, want a validation error on %s", err, tt.field)
				}
			})
		}
	})
}

func TestUserSearchByPrefix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestStores(db)
		for _, p := range [][2]string{
			{"anna.berg@example.com", "Anna Berg"},
			{"bernd@example.com", "Bernd Anders"},
			{"carla@example.com", "Carla Bergmann"},
			{"dave_x@example.com", "Dave"},
			{"dave1@example.com", "Dave One"},
		} {
			addUser(t, a.users, p[0], p[1], "", false)
		}
		tests := []struct {
			q    string
			want []string // names, in order
		}{
			{"ann", []string{"Anna Berg"}},                    // e-mail and first name
			{"ANDERS", []string{"Bernd Anders"}},              // a later word of the name, any case
			{"berg", []string{"Anna Berg", "Carla Bergmann"}}, // word prefix
			{"ber", []string{"Anna Berg", "Bernd Anders", "Carla Bergmann"}},
			{"dave_", []string{"Dave"}}, // _ is a character, not a wildcard
			{"%", nil},                  // so is %
			{"", nil},
			{"zed", nil},
		}
		for _, tt := range tests {
			t.Run(tt.q, func(t *testing.T) {
				us, err := a.users.Search(t.Context(), tt.q, 10)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, u := range us {
					got = append(got, u.Name)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("search(%q) = %v, want %v", tt.q, got, tt.want)
				}
			})
		}
		if us, _ := a.users.Search(t.Context(), "b", 2); len(us) != 2 {
			t.Errorf("limit not applied: %d results", len(us))
		}
	})
}

func TestUserListByIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestStores(db)
		x := addUser(t, a.users, "x@example.com", "X", "", false)
		y := addUser(t, a.users, "y@example.com", "Y", "", false)
		addUser(t, a.users, "z@example.com", "Z", "", false)
		us, err := a.users.ListByIDs(t.Context(), []int64{y.ID, x.ID, 9999})
		if err != nil {
			t.Fatal(err)
		}
		if len(us) != 2 || us[0].ID != x.ID || us[1].ID != y.ID {
			t.Errorf("listByIDs = %+v, want X and Y by id", us)
		}
		if us, err := a.users.ListByIDs(t.Context(), nil); err != nil || len(us) != 0 {
			t.Errorf("listByIDs(nil) = %v, %v", us, err)
		}
	})
}

// testStores are the stores of a test, with cheap password hashing.
type testStores struct{ users *Users }

func newTestStores(db *gorm.DB) testStores {
	users := NewUsers(db, func() time.Time { return time.Now().UTC() })
	users.Cost = bcrypt.MinCost
	return testStores{users: users}
}

// addUser creates an account with a password.
func addUser(t *testing.T, users *Users, email, name, password string, admin bool) User {
	t.Helper()
	u, err := users.Create(t.Context(), NewUser{Email: email, Name: name, Password: password, IsAdmin: admin})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
