package fakeoutlook

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The identity platform v2 endpoints, after Microsoft's "OAuth 2.0
// authorization code flow" article (identity-platform/v2-oauth2-auth-code-flow):
// /{tenant}/oauth2/v2.0/authorize, /{tenant}/oauth2/v2.0/token and the OpenID
// configuration. {tenant} is a tenant GUID, "organizations" or "common".

// authCode is an authorization code waiting to be redeemed.
type authCode struct {
	clientID      string
	redirectURI   string
	mailboxID     string
	tenantID      string
	scopes        []string
	challenge     string
	nonce         string
	expires       time.Time
	redeemed      bool
	authenticated time.Time
}

func (s *Server) serveIdentity(w http.ResponseWriter, r *http.Request, body []byte, ids requestIDs) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	var ep Endpoint
	switch {
	case len(segs) == 1 && segs[0] == "":
		s.serveIndex(sw)
	case len(segs) == 4 && segs[1] == "oauth2" && segs[2] == "v2.0" && segs[3] == "authorize":
		ep = EndpointAuthorize
		s.authorize(sw, r, segs[0], body)
	case len(segs) == 4 && segs[1] == "oauth2" && segs[2] == "v2.0" && segs[3] == "token":
		ep = EndpointToken
		if !s.tokenFault(r, sw) {
			s.token(sw, r, segs[0], body)
		}
	case len(segs) == 4 && segs[1] == "v2.0" && segs[2] == ".well-known" && segs[3] == "openid-configuration":
		s.openIDConfiguration(sw, r, segs[0], ids)
	case len(segs) == 4 && segs[1] == "discovery" && segs[2] == "v2.0" && segs[3] == "keys":
		s.serveKeys(sw, ids)
	default:
		s.write(sw, errorResponse(http.StatusNotFound, "NotFound", "No such endpoint in the fake identity platform: "+r.URL.Path), ids)
	}
	if ep != "" {
		s.record(Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Mailbox: sw.mailbox, Endpoint: ep, Status: sw.status})
	}
}

// statusWriter remembers the status of an identity response, and the
// mailbox it concerned, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status  int
	mailbox string
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// tenantKind classifies the {tenant} segment of an identity URL.
type tenantRef struct {
	raw      string
	id       string // a tenant GUID, or "" for organizations/common
	anyUsers bool   // organizations or common
}

func (s *Server) parseTenantLocked(raw string) (tenantRef, *identityError) {
	switch strings.ToLower(raw) {
	case "organizations", "common":
		return tenantRef{raw: raw, anyUsers: true}, nil
	case "consumers":
		return tenantRef{}, &identityError{code: "invalid_request", aadsts: 50020,
			msg: "The fake Outlook has work and school accounts only; use organizations or a tenant id."}
	}
	id := strings.ToLower(raw)
	if s.knownTenantLocked(id) {
		return tenantRef{raw: raw, id: id}, nil
	}
	return tenantRef{}, &identityError{code: "invalid_tenant", aadsts: 90002,
		msg: fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", raw)}
}

func (s *Server) knownTenantLocked(id string) bool {
	if strings.EqualFold(id, s.opts.DefaultTenantID) {
		return true
	}
	for _, a := range s.apps {
		if strings.EqualFold(a.TenantID, id) {
			return true
		}
	}
	for _, m := range s.mailboxes {
		if strings.EqualFold(m.tenantID, id) {
			return true
		}
	}
	return false
}

// checkAppTenantLocked applies Microsoft's rules for an app used through a
// tenant: a single-tenant app refuses /organizations and /common and does
// not exist in other tenants.
func checkAppTenant(app App, t tenantRef) *identityError {
	if app.Multitenant {
		return nil
	}
	if t.anyUsers {
		return &identityError{code: "invalid_request", aadsts: 50194, msg: fmt.Sprintf(
			"Application '%s' is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
			app.ClientID)}
	}
	if !strings.EqualFold(app.TenantID, t.id) {
		return appNotFound(app.ClientID, t.raw)
	}
	return nil
}

func appNotFound(clientID, tenant string) *identityError {
	return &identityError{code: "unauthorized_client", aadsts: 700016, msg: fmt.Sprintf(
		"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.",
		clientID, tenant)}
}

// signInTenantLocked decides the tenant of a user signing in: the one in the
// URL, the app's own for a single-tenant app, else the default tenant.
func (s *Server) signInTenant(app App, t tenantRef) string {
	switch {
	case t.id != "":
		return t.id
	case !app.Multitenant:
		return app.TenantID
	default:
		return s.opts.DefaultTenantID
	}
}

// userMayUseLocked refuses a user of another tenant than the one signed in
// to (AADSTS50020), as the identity platform does.
func userMayUse(m *mailbox, app App, t tenantRef) *identityError {
	want := t.id
	if want == "" && !app.Multitenant {
		want = app.TenantID
	}
	if want == "" || strings.EqualFold(m.tenantID, want) {
		return nil
	}
	return &identityError{code: "invalid_request", aadsts: 50020, msg: fmt.Sprintf(
		"User account '%s' from identity provider 'https://sts.windows.net/%s/' does not exist in tenant '%s' and cannot access the application '%s' in that tenant.",
		m.email, m.tenantID, want, app.ClientID)}
}

// redirectAllowed compares a redirect URI with the registered ones exactly,
// except that the port of a loopback URI is ignored (Microsoft's rule for
// localhost redirect URIs).
func redirectAllowed(app App, uri string) bool {
	got, err := url.Parse(uri)
	if err != nil || uri == "" {
		return false
	}
	for _, reg := range app.RedirectURIs {
		if reg == uri {
			return true
		}
		want, err := url.Parse(reg)
		if err != nil || want.Scheme != "http" || !isLoopback(want.Hostname()) {
			continue
		}
		if got.Scheme == want.Scheme && got.Hostname() == want.Hostname() &&
			got.Path == want.Path && got.RawQuery == want.RawQuery {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool { return host == "localhost" || host == "127.0.0.1" || host == "::1" }
