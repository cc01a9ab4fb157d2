package outlooksync

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

// Scopes are what the site asks each user to grant: the calendar, the profile (/me), and a
// refresh token so that sync runs while the user is away.
func Scopes() []string { return []string{"offline_access", "Calendars.ReadWrite", "User.Read"} }

// OAuthApp is the site's app registration in Microsoft Entra and where users sign in.
type OAuthApp struct {
	ClientID     string
	ClientSecret string
	// Tenant is the {tenant} of the identity platform URLs: the organization's tenant id for
	// a single-tenant app, "organizations" for a multitenant one.
	Tenant string
	// LoginURL is the identity platform's base URL (Microsoft's worldwide cloud, a national
	// cloud, or the fake).
	LoginURL *url.URL
	// RedirectURL is the site's callback: site URL + /oauth2/outlook/callback.
	RedirectURL string
}

// Config is the oauth2 configuration of the app for its tenant.
func (a OAuthApp) Config() *oauth2.Config {
	base := strings.TrimRight(a.LoginURL.String(), "/") + "/" + url.PathEscape(a.Tenant) + "/oauth2/v2.0"
	return &oauth2.Config{
		ClientID:     a.ClientID,
		ClientSecret: a.ClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:  base + "/authorize",
			TokenURL: base + "/token",
			// Microsoft reads the secret from the form body.
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: a.RedirectURL,
		Scopes:      Scopes(),
	}
}

// AuthCodeURL is where to send the user: the authorize endpoint with the state, the PKCE
// challenge (S256) of verifier, and loginHint (the user's address) when known.
func (a OAuthApp) AuthCodeURL(state, verifier, loginHint string) string {
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("response_mode", "query")}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	return a.Config().AuthCodeURL(state, opts...)
}

// Exchange redeems an authorization code with its PKCE verifier.
func (a OAuthApp) Exchange(ctx context.Context, hc *http.Client, code, verifier string) (*oauth2.Token, error) {
	if hc != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	}
	tok, err := a.Config().Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		return nil, errors.New("outlook: Microsoft returned no refresh token (is offline_access granted?)")
	}
	return tok, nil
}

// TokenTenant reads the tenant id ("tid") that Microsoft wrote into an access token, or ""
// when the token is not a readable JWT. It is used only to refuse a sign-in from another
// tenant than the configured one: the token came straight from the token endpoint over TLS,
// so it is not verified again here, and an unreadable token loses nothing the authorize
// endpoint did not already check.
func TokenTenant(tok *oauth2.Token) string {
	if tok == nil {
		return ""
	}
	parts := strings.Split(tok.AccessToken, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		TID string `json:"tid"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return strings.ToLower(claims.TID)
}

// aadstsCode finds Microsoft's AADSTS error number in an error description.
var aadstsCode = regexp.MustCompile(`AADSTS(\d+)`)

// AADSTS is the identity platform's error number in an error description ("50020" of
// "AADSTS50020: User account ..."), or "".
func AADSTS(description string) string {
	if m := aadstsCode.FindStringSubmatch(description); m != nil {
		return m[1]
	}
	return ""
}

// WrongTenant reports whether an authorization error (its OAuth code and AADSTS number)
// means an account or app of another tenant than the one signed in to.
func WrongTenant(code, aadsts string) bool {
	switch aadsts {
	case "50020", "90072", "700016", "50194", "90002", "500200":
		return true
	}
	return code == "invalid_tenant"
}
