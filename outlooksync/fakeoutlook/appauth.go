package fakeoutlook

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// App-only access, after graph/auth-v2-service.md: an app signs in as itself with the client
// credentials grant and calls /users/{id | userPrincipalName}/... with the application
// permissions a tenant's administrator consented to, once, for the whole tenant. The token
// carries them as its roles; without consent the identity platform still issues a token, with
// no roles, and Graph refuses it (a field report on Microsoft Q&A: "Either scp or roles claim
// need to be present in the token"; docs/fake-outlook.md).

// consentKey names one tenant's admin consent for one app.
func consentKey(tenantID, clientID string) string {
	return strings.ToLower(tenantID) + "/" + strings.ToLower(clientID)
}

// GrantAdminConsent records that the tenant's administrator granted the app the application
// permissions (for example Calendars.ReadWrite), as the "Grant admin consent" button of the
// app registration does. A later grant replaces the earlier one.
func (s *Server) GrantAdminConsent(tenantID, clientID string, roles ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.apps[strings.ToLower(clientID)]; !ok {
		return fmt.Errorf("fakeoutlook: no app %s", clientID)
	}
	s.consents[consentKey(tenantID, clientID)] = slices.Clone(roles)
	return nil
}

// RevokeAdminConsent removes the tenant's consent for the app: tokens issued from now on have
// no roles, and those issued before lose theirs, as a removed grant takes effect in Graph.
func (s *Server) RevokeAdminConsent(tenantID, clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.consents, consentKey(tenantID, clientID))
	for _, at := range s.access {
		if at.appOnly && strings.EqualFold(at.tenantID, tenantID) && strings.EqualFold(at.clientID, clientID) {
			at.roles = nil
		}
	}
}

// clientCredentialsLocked is the client credentials grant: the app itself, in one tenant, for
// the resource's .default scope only.
func (s *Server) clientCredentialsLocked(w http.ResponseWriter, app App, t tenantRef, form url.Values) *identityError {
	if t.anyUsers {
		return &identityError{code: "invalid_request", aadsts: 50059,
			msg: "No tenant-identifying information found in either the request or implied by any provided credentials."}
	}
	scope := strings.TrimSpace(form.Get("scope"))
	if !strings.EqualFold(scope, "https://graph.microsoft.com/.default") && !strings.EqualFold(scope, "00000003-0000-0000-c000-000000000000/.default") {
		return &identityError{code: "invalid_scope", aadsts: 1002012, msg: fmt.Sprintf(
			"The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)}
	}
	now := s.now()
	roles := slices.Clone(s.consents[consentKey(t.id, app.ClientID)])
	sort.Strings(roles)
	claims := map[string]any{
		"aud": graphAppID, "iss": fmt.Sprintf("https://sts.windows.net/%s/", t.id),
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(s.opts.AccessTokenLifetime).Unix(),
		"appid": app.ClientID, "tid": t.id, "idtyp": "app",
	}
	if len(roles) > 0 {
		claims["roles"] = roles
	}
	at := s.jwt(claims)
	s.access[at] = &accessToken{clientID: app.ClientID, appOnly: true, tenantID: t.id, roles: roles,
		expires: now.Add(s.opts.AccessTokenLifetime)}
	resp := orderedObject{}
	resp.add("token_type", "Bearer")
	resp.add("expires_in", int(s.opts.AccessTokenLifetime.Seconds())-1)
	resp.add("ext_expires_in", int(s.opts.AccessTokenLifetime.Seconds())-1)
	resp.add("access_token", at)
	data, _ := json.Marshal(resp)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	_, _ = w.Write(data)
	return nil
}

// hasRole reports whether an app-only token holds the application permission a call needs:
// calendars.read (Calendars.Read or Calendars.ReadWrite), calendars.readwrite, or user.read
// (User.Read.All or User.ReadBasic.All, to read /users/{id}).
func (t *accessToken) hasRole(want string) bool {
	for _, r := range t.roles {
		r = strings.ToLower(r)
		switch want {
		case "calendars.read":
			if r == "calendars.read" || r == "calendars.readwrite" {
				return true
			}
		case "calendars.readwrite":
			if r == "calendars.readwrite" {
				return true
			}
		case "user.read":
			if r == "user.read.all" || r == "user.readbasic.all" || r == "user.readwrite.all" || r == "directory.read.all" {
				return true
			}
		case "contacts.read":
			if r == "contacts.read" || r == "contacts.readwrite" {
				return true
			}
		case "contacts.readwrite":
			if r == "contacts.readwrite" {
				return true
			}
		}
	}
	return false
}

// prepareAppOnlyLocked finds and checks the mailbox an app-only call names.
func (s *Server) prepareAppOnlyLocked(p *prepared, need string) *response {
	tok := p.token
	if strings.EqualFold(p.route.userSeg, "me") {
		r := errorResponse(http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
		return &r
	}
	if len(tok.roles) == 0 {
		r := unauthorized("Either scp or roles claim need to be present in the token.")
		return &r
	}
	m := s.mailboxByKeyLocked(p.route.userSeg)
	if m == nil || !strings.EqualFold(m.tenantID, tok.tenantID) {
		r := errorResponse(http.StatusNotFound, "ErrorInvalidUser", fmt.Sprintf("The requested user '%s' is invalid.", p.route.userSeg))
		return &r
	}
	p.target, p.user = m, m
	if !tok.hasRole(need) {
		r := errorResponse(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		return &r
	}
	return nil
}
