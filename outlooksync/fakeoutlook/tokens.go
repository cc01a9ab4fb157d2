package fakeoutlook

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// graphAppID is the well-known application id of Microsoft Graph, the
// audience of Graph access tokens.
const graphAppID = "00000003-0000-0000-c000-000000000000"

// accessToken is an issued Graph access token.
type accessToken struct {
	mailboxID string
	clientID  string
	scopes    []string
	expires   time.Time
	// appOnly tokens come from the client credentials grant: no user, the tenant they were
	// issued in, and the application permissions consented there as roles.
	appOnly  bool
	tenantID string
	roles    []string
}

// refreshToken is an issued refresh token. Like Microsoft's, an old refresh
// token keeps working after it was used; it dies by inactivity or when the
// user's grant is revoked.
type refreshToken struct {
	mailboxID string
	clientID  string
	scopes    []string
	issued    time.Time
	revoked   bool
}

// identityError is an error of the identity platform, with its AADSTS code.
type identityError struct {
	status int // for the token endpoint; 400 when zero
	code   string
	aadsts int
	msg    string
}

func (e *identityError) description() string {
	return fmt.Sprintf("AADSTS%d: %s", e.aadsts, e.msg)
}

// token serves /{tenant}/oauth2/v2.0/token for the authorization_code,
// refresh_token and password grants. Answers follow the token responses of
// identity-platform/v2-oauth2-auth-code-flow.md and v2-oauth-ropc.md.
func (s *Server) token(w *statusWriter, r *http.Request, tenant string, body []byte) {
	if r.Method != http.MethodPost {
		s.tokenError(w, &identityError{status: http.StatusMethodNotAllowed, code: "invalid_request", aadsts: 900561,
			msg: "The endpoint only accepts POST requests."})
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		s.tokenError(w, &identityError{code: "invalid_request", aadsts: 900144, msg: "The request body must be a form."})
		return
	}
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if id, sec, ok := r.BasicAuth(); ok {
		clientID, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(sec)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	t, terr := s.parseTenantLocked(tenant)
	if terr != nil {
		s.tokenError(w, terr)
		return
	}
	app, ok := s.apps[strings.ToLower(clientID)]
	if !ok {
		s.tokenError(w, appNotFound(clientID, tenant))
		return
	}
	if e := checkAppTenant(app, t); e != nil {
		s.tokenError(w, e)
		return
	}
	if secret == "" {
		s.tokenError(w, &identityError{status: http.StatusUnauthorized, code: "invalid_client", aadsts: 7000218,
			msg: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."})
		return
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(app.ClientSecret)) != 1 {
		s.tokenError(w, &identityError{status: http.StatusUnauthorized, code: "invalid_client", aadsts: 7000215,
			msg: fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", app.ClientID)})
		return
	}

	var grant grantResult
	var gerr *identityError
	switch gt := form.Get("grant_type"); gt {
	case "authorization_code":
		grant, gerr = s.redeemCodeLocked(app, form)
	case "refresh_token":
		grant, gerr = s.redeemRefreshLocked(app, form)
	case "password":
		grant, gerr = s.passwordGrantLocked(app, t, form)
	case "client_credentials":
		if e := s.clientCredentialsLocked(w, app, t, form); e != nil {
			s.tokenError(w, e)
		}
		return
	default:
		gerr = &identityError{code: "unsupported_grant_type", aadsts: 70003,
			msg: fmt.Sprintf("The app requested an unsupported grant type '%s'.", gt)}
	}
	if gerr != nil {
		s.tokenError(w, gerr)
		return
	}
	w.mailbox = grant.mailbox.email
	s.writeTokens(w, r, app, grant)
}

// grantResult is who a token request was granted for.
type grantResult struct {
	mailbox *mailbox
	scopes  []string
	nonce   string
}

func (s *Server) redeemCodeLocked(app App, form url.Values) (grantResult, *identityError) {
	code, ok := s.codes[form.Get("code")]
	switch {
	case !ok || !strings.EqualFold(code.clientID, app.ClientID):
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 70000,
			msg: "The provided value for the 'code' parameter is not valid."}
	case code.redeemed:
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 54005,
			msg: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."}
	case !s.now().Before(code.expires):
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 70008,
			msg: "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."}
	case form.Get("redirect_uri") != code.redirectURI:
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 500112,
			msg: "The reply address in the token request does not match the reply address of the authorization request."}
	}
	sum := sha256.Sum256([]byte(form.Get("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != code.challenge {
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 501481,
			msg: "The Code_Verifier does not match the code_challenge supplied in the authorization request."}
	}
	code.redeemed = true
	m := s.mailboxes[code.mailboxID]
	return grantResult{mailbox: m, scopes: code.scopes, nonce: code.nonce}, nil
}

func (s *Server) redeemRefreshLocked(app App, form url.Values) (grantResult, *identityError) {
	rt, ok := s.refresh[form.Get("refresh_token")]
	switch {
	case !ok || !strings.EqualFold(rt.clientID, app.ClientID):
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 9002313,
			msg: "Invalid request. Request is malformed or invalid."}
	case rt.revoked:
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 50173,
			msg: "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password."}
	case !s.now().Before(rt.issued.Add(s.opts.RefreshTokenLifetime)):
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 700082, msg: fmt.Sprintf(
			"The refresh token has expired due to inactivity. The token was issued on %s and was inactive for %s.",
			rt.issued.Format(time.RFC3339), s.opts.RefreshTokenLifetime)}
	}
	scopes := rt.scopes
	if sc := strings.Fields(form.Get("scope")); len(sc) > 0 {
		scopes = sc
	}
	return grantResult{mailbox: s.mailboxes[rt.mailboxID], scopes: scopes}, nil
}

// passwordGrantLocked is the resource-owner password credentials grant: any
// non-empty password signs in as the mailbox, which is created if needed.
func (s *Server) passwordGrantLocked(app App, t tenantRef, form url.Values) (grantResult, *identityError) {
	scopes := strings.Fields(form.Get("scope"))
	if len(scopes) == 0 {
		return grantResult{}, &identityError{code: "invalid_scope", aadsts: 900144,
			msg: "The request body must contain the following parameter: 'scope'."}
	}
	if form.Get("password") == "" {
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 50126,
			msg: "Error validating credentials due to invalid username or password."}
	}
	m, err := s.ensureMailboxLocked(s.signInTenant(app, t), form.Get("username"), "")
	if err != nil {
		return grantResult{}, &identityError{code: "invalid_grant", aadsts: 50034,
			msg: fmt.Sprintf("The user account %s does not exist in the directory.", form.Get("username"))}
	}
	if e := userMayUse(m, app, t); e != nil {
		return grantResult{}, e
	}
	return grantResult{mailbox: m, scopes: scopes}, nil
}

// normalizeScopes strips the Graph resource prefix and expands .default.
func normalizeScopes(scopes []string) (graph []string, oidc []string) {
	for _, sc := range scopes {
		sc = strings.TrimPrefix(sc, "https://graph.microsoft.com/")
		switch strings.ToLower(sc) {
		case "openid", "profile", "email", "offline_access":
			oidc = append(oidc, strings.ToLower(sc))
		case ".default":
			graph = append(graph, "Calendars.ReadWrite", "User.Read")
		default:
			graph = append(graph, sc)
		}
	}
	return graph, oidc
}

func (s *Server) writeTokens(w http.ResponseWriter, r *http.Request, app App, g grantResult) {
	now := s.now()
	graph, oidc := normalizeScopes(g.scopes)
	at := s.jwt(map[string]any{
		"aud": graphAppID, "iss": fmt.Sprintf("https://sts.windows.net/%s/", g.mailbox.tenantID),
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(s.opts.AccessTokenLifetime).Unix(),
		"appid": app.ClientID, "oid": g.mailbox.id, "tid": g.mailbox.tenantID,
		"upn": g.mailbox.email, "name": g.mailbox.name, "scp": strings.Join(graph, " "),
	})
	s.access[at] = &accessToken{mailboxID: g.mailbox.id, clientID: app.ClientID, scopes: graph,
		expires: now.Add(s.opts.AccessTokenLifetime)}
	resp := orderedObject{}
	resp.add("token_type", "Bearer")
	resp.add("scope", strings.Join(append(graph, oidc...), " "))
	resp.add("expires_in", int(s.opts.AccessTokenLifetime/time.Second)-1)
	resp.add("ext_expires_in", int(s.opts.AccessTokenLifetime/time.Second)-1)
	resp.add("access_token", at)
	if slices.Contains(oidc, "offline_access") {
		rt := "1.AXoA" + newOpaqueToken(96)
		s.refresh[rt] = &refreshToken{mailboxID: g.mailbox.id, clientID: app.ClientID, scopes: g.scopes, issued: now}
		resp.add("refresh_token", rt)
	}
	if slices.Contains(oidc, "openid") {
		claims := map[string]any{
			"aud": app.ClientID, "iss": fmt.Sprintf("%s/%s/v2.0", s.baseURL(r), g.mailbox.tenantID),
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
			"oid": g.mailbox.id, "sub": g.mailbox.id, "tid": g.mailbox.tenantID,
			"preferred_username": g.mailbox.email, "name": g.mailbox.name, "ver": "2.0",
		}
		if slices.Contains(oidc, "email") {
			claims["email"] = g.mailbox.email
		}
		if g.nonce != "" {
			claims["nonce"] = g.nonce
		}
		idToken, err := s.idTokenLocked(claims)
		if err != nil {
			s.tokenError(w, &identityError{status: http.StatusInternalServerError, code: "server_error", aadsts: 50000, msg: err.Error()})
			return
		}
		resp.add("id_token", idToken)
	}
	data, _ := json.Marshal(resp)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	_, _ = w.Write(data)
}

// jwt returns a JWT-shaped token. The fake looks tokens up rather than
// verifying them, so the signature is random bytes.
func (s *Server) jwt(claims map[string]any) string {
	header, _ := json.Marshal(map[string]string{"typ": "JWT", "alg": "RS256", "kid": "fake-outlook"})
	payload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(randomBytes(64))
}

// tokenError writes an error of the token endpoint in Microsoft's format.
func (s *Server) tokenError(w http.ResponseWriter, e *identityError) {
	status := e.status
	if status == 0 {
		status = http.StatusBadRequest
	}
	now := s.now()
	trace, corr := newGUID(), newGUID()
	body := orderedObject{}
	body.add("error", e.code)
	body.add("error_description", fmt.Sprintf("%s Trace ID: %s Correlation ID: %s Timestamp: %s",
		e.description(), trace, corr, now.Format("2006-01-02 15:04:05Z")))
	body.add("error_codes", []int{e.aadsts})
	body.add("timestamp", now.Format("2006-01-02 15:04:05Z"))
	body.add("trace_id", trace)
	body.add("correlation_id", corr)
	body.add("error_uri", fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", e.aadsts))
	data, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// openIDConfiguration serves the discovery document, so OIDC clients can
// find the endpoints.
func (s *Server) openIDConfiguration(w http.ResponseWriter, r *http.Request, tenant string, ids requestIDs) {
	base := s.baseURL(r)
	doc := orderedObject{}
	doc.add("token_endpoint", fmt.Sprintf("%s/%s/oauth2/v2.0/token", base, tenant))
	doc.add("token_endpoint_auth_methods_supported", []string{"client_secret_post", "client_secret_basic"})
	doc.add("response_modes_supported", []string{"query", "fragment", "form_post"})
	doc.add("response_types_supported", []string{"code"})
	doc.add("scopes_supported", []string{"openid", "profile", "email", "offline_access"})
	issuer := fmt.Sprintf("%s/%s/v2.0", base, tenant)
	if t := strings.ToLower(tenant); t == "common" || t == "organizations" || t == "consumers" {
		// Entra's multitenant document names a template, not an issuer: each token's iss is
		// its tenant's, which a relying party checks against the tenants it allows.
		issuer = base + "/{tenantid}/v2.0"
	}
	doc.add("issuer", issuer)
	doc.add("jwks_uri", fmt.Sprintf("%s/%s/discovery/v2.0/keys", base, tenant))
	doc.add("id_token_signing_alg_values_supported", []string{"RS256"})
	doc.add("subject_types_supported", []string{"pairwise"})
	doc.add("claims_supported", []string{"sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "oid", "tid", "name", "email", "preferred_username", "ver"})
	doc.add("authorization_endpoint", fmt.Sprintf("%s/%s/oauth2/v2.0/authorize", base, tenant))
	doc.add("code_challenge_methods_supported", []string{"S256"})
	doc.add("grant_types_supported", []string{"authorization_code", "refresh_token", "password", "client_credentials"})
	s.write(w, jsonResponse(http.StatusOK, doc), ids)
}

// tokenFault applies faults injected for EndpointToken (without a
// mailbox): throttling and unavailability come back as
// temporarily_unavailable with Retry-After, as the identity platform answers
// when it is overloaded. It reports whether it answered.
func (s *Server) tokenFault(r *http.Request, w *statusWriter) bool {
	f := s.applyFaults(r.Context(), &prepared{route: route{endpoint: EndpointToken}})
	switch {
	case f.drop:
		panic(http.ErrAbortHandler)
	case f.resp != nil:
		w.Header().Set("Retry-After", f.resp.header.Get("Retry-After"))
		s.tokenError(w, &identityError{status: f.resp.status, code: "temporarily_unavailable", aadsts: 90033,
			msg: "A transient error has occurred. Please try again."})
		return true
	}
	return false
}

// RevokeGrant revokes every refresh token of a user, as an administrator
// revoking sessions or the user withdrawing consent would: the next refresh
// fails with invalid_grant (AADSTS50173). Access tokens already issued keep
// working until they expire, as Microsoft's do.
func (s *Server) RevokeGrant(email string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.mailboxLocked(email)
	if err != nil {
		return err
	}
	for _, rt := range s.refresh {
		if rt.mailboxID == m.id {
			rt.revoked = true
		}
	}
	return nil
}

// ExpireAccessTokens makes every access token of a user expired, so the next
// Graph request with one gets 401.
func (s *Server) ExpireAccessTokens(email string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.mailboxLocked(email)
	if err != nil {
		return err
	}
	past := s.now().Add(-time.Second)
	for _, at := range s.access {
		if at.mailboxID == m.id {
			at.expires = past
		}
	}
	return nil
}
