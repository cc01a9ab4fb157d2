package properties

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"intracal/app/accounts"
)

// maxSecretLength bounds a pasted client secret; Entra's are 40 characters.
const maxSecretLength = 1024

// guidPattern is the textual form of a GUID as Entra shows application and tenant ids.
// IsGUID reports whether s is a GUID such as an Azure tenant or application id.
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// normalizeProperty checks a new value and returns the form it is stored in ("" clears).
func normalizeProperty(d propertyDef, value string) (string, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return "", nil
	}
	switch d.Kind {
	case KindBool:
		b, ok := parseYesNo(v)
		if !ok {
			return "", propertyInvalid(d.Name, d.Name+" must be true or false.")
		}
		return strconv.FormatBool(b), nil
	case KindGUID:
		v = strings.Trim(v, "{}")
		if !guidPattern.MatchString(v) {
			return "", propertyInvalid(d.Name, d.Name+" must be a GUID like 00000000-0000-0000-0000-000000000000.")
		}
		return strings.ToLower(v), nil
	case KindSecret:
		switch {
		case !utf8.ValidString(v) || strings.ContainsAny(v, "\r\n\t"):
			return "", propertyInvalid(d.Name, d.Name+" must be one line of text: paste the secret's Value, not its ID.")
		case len(v) > maxSecretLength:
			return "", propertyInvalid(d.Name, fmt.Sprintf("%s is longer than %d characters.", d.Name, maxSecretLength))
		}
		return v, nil
	case KindEmail:
		a, err := mail.ParseAddress(v)
		if err != nil || a.Address != v || len(v) > 320 {
			return "", propertyInvalid(d.Name, d.Name+" must be an e-mail address like admin@example.com.")
		}
		return strings.ToLower(v), nil
	case KindGUIDs:
		return normalizeGUIDs(d.Name, v)
	}
	return "", fmt.Errorf("property %s: unknown kind %q", d.Name, d.Kind)
}

// maxGUIDs bounds a list of tenants.
const maxGUIDs = 100

// normalizeGUIDs reads GUIDs separated by commas, semicolons or spaces, in braces or not, and
// stores them lower-case, each once, separated by ", ".
func normalizeGUIDs(name, v string) (string, error) {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	var out []string
	for _, f := range fields {
		g := strings.ToLower(strings.Trim(f, "{}"))
		if !guidPattern.MatchString(g) {
			return "", propertyInvalid(name, fmt.Sprintf("%s must be tenant IDs (GUIDs like 00000000-0000-0000-0000-000000000000) separated by commas; %q is not one.", name, f))
		}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	if len(out) > maxGUIDs {
		return "", propertyInvalid(name, fmt.Sprintf("%s holds at most %d tenant IDs.", name, maxGUIDs))
	}
	return strings.Join(out, ", "), nil
}

// SplitGUIDs reads a stored list of GUIDs.
func SplitGUIDs(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parseYesNo reads the ways a switch is written: true/false, yes/no, on/off, 1/0.
func parseYesNo(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// OutlookSettings are the properties that Connect to Outlook needs, read together.
type OutlookSettings struct {
	SyncEnabled    bool
	ClientID       string
	ClientSecret   string // opened; never log or render it
	SAMLTenantID   string
	UseSAMLTenant  bool
	secretReadable bool
}

// String keeps the secret out of anything that formats the settings with %v.
func (s OutlookSettings) String() string {
	return fmt.Sprintf("enabled=%t client_id=%s tenant=%s use_saml_tenant=%t secret_set=%t",
		s.SyncEnabled, s.ClientID, s.SAMLTenantID, s.UseSAMLTenant, s.ClientSecret != "")
}

// LogValue keeps the secret out of any log line that includes the settings.
func (s OutlookSettings) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Missing names what an administrator must still do before employees can connect, in the
// order of the setup guide; empty when Connect is ready.
func (s OutlookSettings) Missing() []string {
	var out []string
	if !s.SyncEnabled {
		out = append(out, "turn on Enable calendar sync from 3rd party systems (Control Panel > System > General Settings > Advanced Settings)")
	}
	return append(out, s.appMissing()...)
}

// appMissing names what the app registration still lacks, in the order of the setup guide.
func (s OutlookSettings) appMissing() []string {
	var out []string
	if s.ClientID == "" {
		out = append(out, "set "+PropOutlookClientID+" in Control Panel > System > System Properties")
	}
	if s.ClientSecret == "" {
		if s.secretReadable {
			out = append(out, "set "+PropOutlookSecret+" in Control Panel > System > System Properties")
		} else {
			out = append(out, "set "+PropOutlookSecret+" again in Control Panel > System > System Properties (the stored one cannot be decrypted with this site's secret key)")
		}
	}
	if s.UseSAMLTenant && s.SAMLTenantID == "" {
		out = append(out, "set "+PropSAMLTenantID+" in Control Panel > System > System Properties, or turn "+PropUseSAMLTenantForMS+" off for a multitenant app")
	}
	return out
}

// Ready reports whether employees can connect to Outlook.
func (s OutlookSettings) Ready() bool { return len(s.Missing()) == 0 }

// Tenant is the {tenant} of the identity platform URLs: the SAML tenant for a single-tenant
// app, "organizations" for a multitenant one.
func (s OutlookSettings) Tenant() string {
	if s.UseSAMLTenant {
		return s.SAMLTenantID
	}
	return "organizations"
}

// OutlookSettings reads the Outlook properties. A secret that no longer opens (the site's
// secret key changed) reads as unset, so the site asks for it again instead of failing.
func (s *Store) OutlookSettings(ctx context.Context) (OutlookSettings, error) {
	// One query for all of them: My Calendar reads these on every page view.
	get, err := s.values(ctx)
	if err != nil {
		return OutlookSettings{}, err
	}
	return outlookSettingsOf(get), nil
}

func outlookSettingsOf(get func(string) (string, error)) OutlookSettings {
	out := OutlookSettings{secretReadable: true}
	enabled, _ := get(PropEnableSync)
	useSAML, _ := get(PropUseSAMLTenantForMS)
	out.SyncEnabled, out.UseSAMLTenant = enabled == "true", useSAML == "true"
	out.ClientID, _ = get(PropOutlookClientID)
	out.SAMLTenantID, _ = get(PropSAMLTenantID)
	var err error
	if out.ClientSecret, err = get(PropOutlookSecret); err != nil {
		out.ClientSecret, out.secretReadable = "", false
	}
	return out
}

// values reads every property in one query and returns their effective values (the default
// when unset; a secret opened).
func (s *Store) values(ctx context.Context) (func(string) (string, error), error) {
	rows, err := s.rows(ctx)
	if err != nil {
		return nil, err
	}
	return func(name string) (string, error) {
		row := rows[name]
		if row == nil || row.Value == "" {
			d, _ := lookupProperty(name)
			return d.Default, nil
		}
		if !row.Encrypted {
			return row.Value, nil
		}
		plain, err := s.box.Open(row.Value, secretContext(name))
		if err != nil {
			return "", fmt.Errorf("open property %s: %w", name, err)
		}
		return string(plain), nil
	}, nil
}

// SyncEnabled reads the General Settings switch.
func (s *Store) SyncEnabled(ctx context.Context) (bool, error) {
	v, err := s.Raw(ctx, PropEnableSync)
	return v == "true", err
}

// MayCreateSpaces says whether the viewer may create a space: site administrators always,
// employees when the General Settings switch EmployeesCreateSpaces is on (the default).
func (s *Store) MayCreateSpaces(ctx context.Context, v accounts.Viewer) (bool, error) {
	if v.IsAdmin {
		return true, nil
	}
	p, err := s.Get(ctx, PropEmployeesSpaces) // Get, not Raw: the default applies when unset
	return p.Value == "true", err
}
