package fakeoutlook

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// authorize serves /{tenant}/oauth2/v2.0/authorize. GET checks the request
// and shows a sign-in page (login_hint skips it); the page posts the email
// back here. Errors that cannot be sent to a verified redirect URI are shown
// as a page, the others come back as error and error_description, as
// Microsoft does.
func (s *Server) authorize(w *statusWriter, r *http.Request, tenant string, body []byte) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			s.errorPage(w, &identityError{code: "invalid_request", aadsts: 900144, msg: "The sign-in form could not be read."})
			return
		}
		q = form
	} else if r.Method != http.MethodGet {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	t, terr := s.parseTenantLocked(tenant)
	if terr != nil {
		s.errorPage(w, terr)
		return
	}
	clientID := q.Get("client_id")
	app, ok := s.apps[strings.ToLower(clientID)]
	if !ok {
		s.errorPage(w, appNotFound(clientID, tenant))
		return
	}
	if e := checkAppTenant(app, t); e != nil {
		s.errorPage(w, e)
		return
	}
	redirectURI := q.Get("redirect_uri")
	if !redirectAllowed(app, redirectURI) {
		s.errorPage(w, &identityError{code: "invalid_request", aadsts: 50011, msg: fmt.Sprintf(
			"The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.",
			redirectURI, app.ClientID)})
		return
	}
	back := redirectBack{uri: redirectURI, state: q.Get("state"), mode: q.Get("response_mode")}
	if rt := q.Get("response_type"); rt != "code" {
		s.redirectError(w, r, back, &identityError{code: "unsupported_response_type", aadsts: 700054,
			msg: fmt.Sprintf("response_type '%s' is not enabled for the application.", rt)})
		return
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		s.redirectError(w, r, back, &identityError{code: "invalid_request", aadsts: 900144,
			msg: "The request body must contain the following parameter: 'scope'."})
		return
	}
	// The fake insists on PKCE with S256, which Microsoft recommends for
	// every app and requires for public clients.
	challenge := q.Get("code_challenge")
	if challenge == "" {
		s.redirectError(w, r, back, &identityError{code: "invalid_request", aadsts: 9002325,
			msg: "Proof Key for Code Exchange is required: send code_challenge and code_challenge_method=S256."})
		return
	}
	if m := q.Get("code_challenge_method"); m != "S256" {
		s.redirectError(w, r, back, &identityError{code: "invalid_request", aadsts: 501491,
			msg: fmt.Sprintf("Invalid code_challenge_method '%s': the fake Outlook accepts S256 only.", m)})
		return
	}

	if r.Method == http.MethodPost && q.Get("decline") != "" {
		// Cancel on the sign-in page: Entra answers a declined sign-in or consent so.
		s.redirectError(w, r, back, &identityError{code: "access_denied", aadsts: 65004,
			msg: "User declined to consent to access the app."})
		return
	}
	login := strings.TrimSpace(q.Get("login"))
	prompt := q.Get("prompt")
	if login == "" && prompt != "login" && prompt != "select_account" {
		login = strings.TrimSpace(q.Get("login_hint"))
	}
	if login == "" {
		if prompt == "none" {
			s.redirectError(w, r, back, &identityError{code: "login_required", aadsts: 50058,
				msg: "A silent sign-in request was sent but no user is signed in."})
			return
		}
		s.showSignIn(w, r, q, "")
		return
	}
	m, err := s.ensureMailboxLocked(s.signInTenant(app, t), login, "")
	if err != nil {
		s.showSignIn(w, r, q, "Enter a valid email address.")
		return
	}
	if e := userMayUse(m, app, t); e != nil {
		s.errorPage(w, e)
		return
	}
	if s.disabled[m.id] {
		s.errorPage(w, &identityError{code: "invalid_grant", aadsts: 50057,
			msg: "The user account is disabled. The account has been disabled by an administrator."})
		return
	}
	w.mailbox = m.email
	code := newOpaqueToken(48)
	now := s.now()
	s.codes[code] = &authCode{
		clientID:      app.ClientID,
		redirectURI:   redirectURI,
		mailboxID:     m.id,
		tenantID:      m.tenantID,
		scopes:        scopes,
		challenge:     challenge,
		nonce:         q.Get("nonce"),
		expires:       now.Add(s.opts.CodeLifetime),
		authenticated: now,
	}
	s.redirectWith(w, r, back, url.Values{"code": {code}, "session_state": {newGUID()}})
}

func (s *Server) showSignIn(w http.ResponseWriter, r *http.Request, q url.Values, message string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if message != "" {
		w.WriteHeader(http.StatusBadRequest)
	}
	_ = s.pages.signIn.Execute(w, struct {
		Action string
		Hidden []hiddenField
		Login  string
		Error  string
	}{r.URL.Path, hiddenFields(q, "login"), q.Get("login_hint"), message})
}

// redirectBack is where and how an authorization answer goes.
type redirectBack struct {
	uri   string
	state string
	mode  string // query (default), fragment or form_post
}

func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, back redirectBack, e *identityError) {
	s.redirectWith(w, r, back, url.Values{
		"error":             {e.code},
		"error_description": {e.description()},
		"error_uri":         {fmt.Sprintf("%s/error?code=%d", s.baseURL(r), e.aadsts)},
	})
}

func (s *Server) redirectWith(w http.ResponseWriter, r *http.Request, back redirectBack, v url.Values) {
	if back.state != "" {
		v.Set("state", back.state)
	}
	switch back.mode {
	case "form_post":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = s.pages.formPost.Execute(w, struct {
			Action string
			Hidden []hiddenField
		}{back.uri, hiddenFields(v, "")})
	case "fragment":
		http.Redirect(w, r, back.uri+"#"+v.Encode(), http.StatusFound)
	default:
		sep := "?"
		if strings.Contains(back.uri, "?") {
			sep = "&"
		}
		http.Redirect(w, r, back.uri+sep+v.Encode(), http.StatusFound)
	}
}
