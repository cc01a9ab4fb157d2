package signin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"intracal/app/properties"
)

// The ID token is validated by go-oidc: its signature with the keys the tenant publishes
// (fetched again when a token names a key not seen yet, so Microsoft's key rotation needs
// nothing of us), its audience (the site's client id) and its expiry. The issuer is checked
// by go-oidc against the tenant's discovery document for a single-tenant app; a multitenant
// app's document names a template ({tenantid}), so there go-oidc skips it and the issuer
// must be the token's own tenant's, a tenant the site allows, as Microsoft's guidance for
// multitenant apps says.

// idClaims are the claims the sign-in reads.
type idClaims struct {
	ObjectID          string `json:"oid"`
	TenantID          string `json:"tid"`
	Email             string `json:"email"`
	PreferredUsername string `json:"preferred_username"`
	Name              string `json:"name"`
}

// errUntrusted is an ID token refused; its reason says why in words for the page.
type errUntrusted struct {
	reason string
	err    error
}

func (e *errUntrusted) Error() string { return "id token refused: " + e.reason + ": " + e.err.Error() }
func (e *errUntrusted) Unwrap() error { return e.err }

// verifiers keeps a provider (discovery document and key set) per discovery address.
type verifiers struct {
	login *url.URL
	hc    *http.Client
	now   func() time.Time

	mu        sync.Mutex
	providers map[string]*oidc.Provider
}

func (v *verifiers) base() string { return strings.TrimRight(v.login.String(), "/") }

// issuerOf is the issuer of a tenant's ID tokens.
func (v *verifiers) issuerOf(tenant string) string { return v.base() + "/" + tenant + "/v2.0" }

// provider discovers (once) the provider of the site's {tenant}. The provider outlives the
// request: its key set fetches later rotations with the context it was made with.
func (v *verifiers) provider(ctx context.Context, s properties.SignInSettings) (*oidc.Provider, error) {
	discovery := v.issuerOf(s.Tenant())
	v.mu.Lock()
	defer v.mu.Unlock()
	if p, ok := v.providers[discovery]; ok {
		return p, nil
	}
	bg := oidc.ClientContext(context.WithoutCancel(ctx), v.hc)
	if s.Multitenant() {
		bg = oidc.InsecureIssuerURLContext(bg, v.issuerOf("{tenantid}"))
	}
	p, err := oidc.NewProvider(bg, discovery)
	if err != nil {
		return nil, fmt.Errorf("signin: discover %s: %w", discovery, err)
	}
	if v.providers == nil {
		v.providers = map[string]*oidc.Provider{}
	}
	v.providers[discovery] = p
	return p, nil
}

// verify validates a raw ID token for the site's settings and the sign-in's nonce (hashed),
// and returns its claims. A token refused is an *errUntrusted; a provider that cannot be
// reached is another error.
func (v *verifiers) verify(ctx context.Context, s properties.SignInSettings, raw, nonceHash string) (idClaims, error) {
	p, err := v.provider(ctx, s)
	if err != nil {
		return idClaims{}, err
	}
	conf := &oidc.Config{ClientID: s.App.ClientID, Now: v.now, SkipIssuerCheck: s.Multitenant()}
	tok, err := p.VerifierContext(oidc.ClientContext(ctx, v.hc), conf).Verify(ctx, raw)
	if err != nil {
		return idClaims{}, &errUntrusted{reason: reasonOf(err), err: err}
	}
	if !hashEqual(tok.Nonce, nonceHash) {
		return idClaims{}, &errUntrusted{reason: "it belongs to another sign-in than this one (its nonce does not match)", err: errors.New("nonce mismatch")}
	}
	var cl idClaims
	if err := tok.Claims(&cl); err != nil {
		return idClaims{}, &errUntrusted{reason: "its claims cannot be read", err: err}
	}
	cl.TenantID = strings.ToLower(cl.TenantID)
	if !properties.IsGUID(cl.TenantID) || cl.ObjectID == "" {
		return idClaims{}, &errUntrusted{reason: "it names no account (oid) or organization (tid)", err: errors.New("oid or tid missing")}
	}
	if !slices.Contains(s.AllowedTenants(), cl.TenantID) {
		return idClaims{}, &errTenant{tenant: cl.TenantID}
	}
	if tok.Issuer != v.issuerOf(cl.TenantID) {
		return idClaims{}, &errUntrusted{reason: "it was issued by another organization than the account's", err: fmt.Errorf("issuer %q for tenant %s", tok.Issuer, cl.TenantID)}
	}
	return cl, nil
}

// errTenant is an account of a tenant the site does not allow.
type errTenant struct{ tenant string }

func (e *errTenant) Error() string { return "signin: tenant " + e.tenant + " is not allowed" }

// reasonOf words go-oidc's refusal for the page. Its errors are not typed beyond expiry, so
// the words are matched; anything else reads as a signature that does not verify.
func reasonOf(err error) string {
	var expired *oidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &expired):
		return "it has expired"
	case strings.Contains(msg, "audience"):
		return "it was issued for another app than this site's"
	case strings.Contains(msg, "issued by a different provider"):
		return "it was issued by another organization than this site's"
	case strings.Contains(msg, "malformed"):
		return "it is malformed"
	}
	return "its signature does not match Microsoft's published keys"
}
