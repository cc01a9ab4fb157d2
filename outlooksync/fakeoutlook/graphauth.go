package fakeoutlook

import (
	"net/http"
	"strings"
)

// Graph's side of the tokens: a request's bearer token must be one the fake
// issued and has not expired, and its scopes must allow the request.

// authenticateLocked checks a Graph request's bearer token.
func (s *Server) authenticateLocked(header http.Header) (*accessToken, *mailbox, response, bool) {
	auth := header.Get("Authorization")
	raw, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		return nil, nil, unauthorized("Access token is empty."), false
	}
	at, ok := s.access[strings.TrimSpace(raw)]
	if !ok {
		return nil, nil, unauthorized("IDX14100: JWT is not well formed, or is not a token issued by this fake."), false
	}
	if !s.now().Before(at.expires) {
		return nil, nil, unauthorized("Lifetime validation failed, the token is expired."), false
	}
	m := s.mailboxes[at.mailboxID]
	return at, m, response{}, true
}

func unauthorized(msg string) response {
	r := errorResponse(http.StatusUnauthorized, "InvalidAuthenticationToken", msg)
	r.setHeader("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="`+graphAppID+`"`)
	return r
}

// hasScope reports whether a token allows reading or writing calendars, or
// reading the user's profile.
func (t *accessToken) hasScope(want string) bool {
	for _, sc := range t.scopes {
		sc = strings.ToLower(sc)
		switch want {
		case "calendars.read":
			if sc == "calendars.read" || sc == "calendars.readwrite" {
				return true
			}
		case "calendars.readwrite":
			if sc == "calendars.readwrite" {
				return true
			}
		case "user.read":
			if strings.HasPrefix(sc, "user.") {
				return true
			}
		case "contacts.read":
			if sc == "contacts.read" || sc == "contacts.readwrite" {
				return true
			}
		case "contacts.readwrite":
			if sc == "contacts.readwrite" {
				return true
			}
		}
	}
	return false
}
