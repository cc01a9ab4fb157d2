package properties

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"intracal/calendar"
)

// SignInSettings are the properties of Sign in with Microsoft and of password sign-in, read
// together, with the app registration they share with Connect to Outlook.
type SignInSettings struct {
	// Microsoft is the MicrosoftSignIn switch; Ready says whether it can work.
	Microsoft      bool
	CreateAccounts bool
	// Password is the PasswordSignIn switch; PasswordAllowed says whom it lets in.
	Password   bool
	BreakGlass string // an e-mail address, "" when none
	// Tenants are the listed tenants of MicrosoftSignInTenants (multitenant apps only).
	Tenants []string
	App     OutlookSettings
}

// String keeps the secret out of anything that formats the settings with %v.
func (s SignInSettings) String() string {
	return fmt.Sprintf("microsoft=%t create=%t password=%t tenants=%v app={%s}", s.Microsoft, s.CreateAccounts, s.Password, s.Tenants, s.App)
}

// Missing names what an administrator must still do before Sign in with Microsoft works;
// empty when it does.
func (s SignInSettings) Missing() []string {
	var out []string
	if !s.Microsoft {
		out = append(out, "turn "+PropMicrosoftSignIn+" on in Control Panel > System > Sign-in")
	}
	out = append(out, s.App.appMissing()...)
	if !s.App.UseSAMLTenant && len(s.AllowedTenants()) == 0 {
		out = append(out, "name the tenants whose people may sign in ("+PropSAMLTenantID+" or "+PropMicrosoftTenants+")")
	}
	return out
}

// Ready reports whether the login page offers Sign in with Microsoft.
func (s SignInSettings) Ready() bool { return len(s.Missing()) == 0 }

// Tenant is the {tenant} of the identity platform URLs: the SAML tenant of a single-tenant
// app, "organizations" for a multitenant one.
func (s SignInSettings) Tenant() string { return s.App.Tenant() }

// Multitenant reports whether people of several tenants may sign in.
func (s SignInSettings) Multitenant() bool { return !s.App.UseSAMLTenant }

// AllowedTenants are the tenant ids whose people may sign in: the SAML tenant, and for a
// multitenant app the listed ones as well.
func (s SignInSettings) AllowedTenants() []string {
	var out []string
	if s.App.SAMLTenantID != "" {
		out = append(out, s.App.SAMLTenantID)
	}
	if s.Multitenant() {
		for _, t := range s.Tenants {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// PasswordOff reports whether password sign-in is turned off in effect: switched off, and
// Sign in with Microsoft working (otherwise nobody could sign in, so passwords still do).
func (s SignInSettings) PasswordOff() bool { return !s.Password && s.Ready() }

// PasswordAllowed reports whether someone signing in with email may use a password; the
// caller still checks that a break-glass sign-in is an administrator's.
func (s SignInSettings) PasswordAllowed(email string) bool {
	return !s.PasswordOff() || (s.BreakGlass != "" && email == s.BreakGlass)
}

// SignInSettings reads the sign-in properties in one query.
func (s *Store) SignInSettings(ctx context.Context) (SignInSettings, error) {
	get, err := s.values(ctx)
	if err != nil {
		return SignInSettings{}, err
	}
	v := func(name string) string { x, _ := get(name); return x }
	return SignInSettings{
		Microsoft:      v(PropMicrosoftSignIn) == "true",
		CreateAccounts: v(PropMicrosoftCreates) == "true",
		Password:       v(PropPasswordSignIn) == "true",
		BreakGlass:     v(PropBreakGlassAdmin),
		Tenants:        SplitGUIDs(v(PropMicrosoftTenants)),
		App:            outlookSettingsOf(get),
	}, nil
}

// checkSignInChange refuses a change that would lock everyone out: password sign-in turned
// off without Sign in with Microsoft on and a break-glass administrator named, or either of
// those taken away while it is off. A break-glass address must be an active administrator's.
func (s *Store) checkSignInChange(ctx context.Context, name, stored string) error {
	switch name {
	case PropPasswordSignIn, PropMicrosoftSignIn, PropBreakGlassAdmin:
	default:
		return nil
	}
	cur, err := s.SignInSettings(ctx)
	if err != nil {
		return err
	}
	switch name {
	case PropPasswordSignIn:
		cur.Password = stored != "false"
	case PropMicrosoftSignIn:
		cur.Microsoft = stored == "true"
	case PropBreakGlassAdmin:
		cur.BreakGlass = stored
	}
	if name == PropBreakGlassAdmin && stored != "" {
		u, err := s.users.ByEmail(ctx, stored)
		switch {
		case errors.Is(err, calendar.ErrNotFound):
			return propertyInvalid(name, "There is no account with the e-mail address "+stored+".")
		case err != nil:
			return err
		case !u.IsAdmin || !u.Active():
			return propertyInvalid(name, stored+" is not an active site administrator's account.")
		}
	}
	if cur.Password {
		return nil
	}
	switch {
	case !cur.Microsoft:
		return propertyInvalid(name, "Password sign-in can be off only while "+PropMicrosoftSignIn+" is on: turn "+PropPasswordSignIn+" on first.")
	case cur.BreakGlass == "":
		return propertyInvalid(name, "Name a "+PropBreakGlassAdmin+" before turning password sign-in off, so that an administrator can still sign in when Microsoft cannot be reached.")
	}
	return nil
}
