package properties

import (
	"errors"
	"testing"

	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// TestPasswordSignInCannotLockEveryoneOut: password sign-in goes off only with Sign in with
// Microsoft on and an active administrator named for break-glass, and neither can be taken
// away while it is off; each refusal names the property.
func TestPasswordSignInCannotLockEveryoneOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newTestSite(t, db, nil)
		ctx := t.Context()
		admin := addUser(t, s, "root@example.com", "Root", "correct horse", true)
		addUser(t, s, "ann@example.com", "Ann", "correct horse", false)
		actor := accounts.ViewerOf(admin)
		refused := func(name, value string) {
			t.Helper()
			var ve *calendar.ValidationError
			if err := s.props.Set(ctx, actor, name, value); !errors.As(err, &ve) || ve.Fields[name] == "" {
				t.Fatalf("set %s=%q: %v, want a validation error naming it", name, value, err)
			}
		}
		set := func(name, value string) {
			t.Helper()
			if err := s.props.Set(ctx, actor, name, value); err != nil {
				t.Fatalf("set %s=%q: %v", name, value, err)
			}
		}
		refused(PropPasswordSignIn, "false") // Microsoft sign-in is off
		set(PropMicrosoftSignIn, "true")
		refused(PropPasswordSignIn, "false") // nobody for break-glass
		refused(PropBreakGlassAdmin, "ann@example.com")
		refused(PropBreakGlassAdmin, "nobody@example.com")
		refused(PropBreakGlassAdmin, "not an address")
		set(PropBreakGlassAdmin, "ROOT@example.com")
		set(PropPasswordSignIn, "false")
		refused(PropBreakGlassAdmin, "")
		refused(PropMicrosoftSignIn, "false")

		got, err := s.props.SignInSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Password || !got.Microsoft || got.BreakGlass != "root@example.com" {
			t.Fatalf("settings %+v", got)
		}
		// Without the app registration Microsoft sign-in cannot work, so passwords still do.
		if got.PasswordOff() || !got.PasswordAllowed("ann@example.com") {
			t.Fatalf("password sign-in off with Microsoft not set up: %v", got.Missing())
		}
		set(PropOutlookClientID, "8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30")
		set(PropOutlookSecret, "s3cret")
		set(PropSAMLTenantID, "3c9d1e5f-7a2b-4c8d-9e0f-1a2b3c4d5e6f")
		if got, err = s.props.SignInSettings(ctx); err != nil {
			t.Fatal(err)
		}
		if !got.PasswordOff() || got.PasswordAllowed("ann@example.com") || !got.PasswordAllowed("root@example.com") {
			t.Fatalf("password sign-in with Microsoft set up: off=%t missing=%v", got.PasswordOff(), got.Missing())
		}
	})
}

// TestTenantListsAreReadAndChecked: the multitenant list takes GUIDs however separated, once
// each, lower-case, and refuses anything else naming it; it counts only for a multitenant app.
func TestTenantListsAreReadAndChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newTestSite(t, db, nil)
		ctx := t.Context()
		actor := accounts.ViewerOf(addUser(t, s, "root@example.com", "Root", "correct horse", true))
		a, b := "11111111-2222-3333-4444-555555555555", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE"
		if err := s.props.Set(ctx, actor, PropMicrosoftTenants, "{"+a+"}; "+b+"\n"+a); err != nil {
			t.Fatal(err)
		}
		var ve *calendar.ValidationError
		if err := s.props.Set(ctx, actor, PropMicrosoftTenants, a+", contoso.com"); !errors.As(err, &ve) {
			t.Fatalf("a domain accepted as a tenant id: %v", err)
		}
		if err := s.props.Set(ctx, actor, PropSAMLTenantID, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.props.SignInSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.AllowedTenants()) != 1 {
			t.Fatalf("single tenant allows %v", got.AllowedTenants())
		}
		if err := s.props.Set(ctx, actor, PropUseSAMLTenantForMS, "false"); err != nil {
			t.Fatal(err)
		}
		if got, err = s.props.SignInSettings(ctx); err != nil {
			t.Fatal(err)
		}
		want := []string{a, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"}
		if al := got.AllowedTenants(); len(al) != 2 || al[0] != want[0] || al[1] != want[1] || got.Tenant() != "organizations" {
			t.Fatalf("multitenant allows %v through %s", al, got.Tenant())
		}
	})
}
