package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"golang.org/x/crypto/bcrypt"

	"intracal/calendar"
)

// SignIn is the check of an address and a password at sign-in, with the throttle, and the
// start of the session that follows it.
type SignIn struct {
	users    *Users
	sessions *Sessions
	throttle *Throttle
	log      *slog.Logger
	// dummyHash is compared against when a sign-in names no user, so that the answer takes as
	// long as for a real account and does not tell which addresses exist.
	dummyHash []byte
}

// NewSignIn is the sign-in on the account stores. Its dummy hash costs what the users' own
// hashes cost (Users.Cost), so build it once that is set.
func NewSignIn(users *Users, sessions *Sessions, throttle *Throttle, log *slog.Logger) (*SignIn, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(RandomToken()), users.Cost)
	if err != nil {
		return nil, fmt.Errorf("accounts: sign-in: %w", err)
	}
	return &SignIn{users: users, sessions: sessions, throttle: throttle, log: log, dummyHash: hash}, nil
}

// Refused is a sign-in turned down: the status of the answer and the message the form shows.
type Refused struct {
	Status  int
	Message string
}

func (e *Refused) Error() string { return "sign-in refused: " + e.Message }

func refused(status int, msg string) error { return &Refused{Status: status, Message: msg} }

// Check finds the account that email and password sign in to, from the client address ip.
// A sign-in turned down is a *Refused whose status and message the form shows:
// nothing typed (422), locked for a while (429, saying how long), a wrong address or password
// alike (401), a disabled account (403, said only to someone who knows the password).
// Repeated failures for one account from one address are refused for a while (see Throttle).
func (s *SignIn) Check(ctx context.Context, email, password, ip string) (User, error) {
	if email == "" || password == "" {
		return User{}, refused(http.StatusUnprocessableEntity, "Enter your e-mail address and password.")
	}
	// The attempt is counted before the password is checked (see Throttle.Reserve).
	wait, err := s.throttle.Reserve(ctx, email, ip)
	if err != nil {
		return User{}, err
	}
	if wait > 0 {
		return User{}, refused(http.StatusTooManyRequests, LockedMessage(wait))
	}

	user, err := s.users.ByEmail(ctx, email)
	if err != nil && !errors.Is(err, calendar.ErrNotFound) {
		return User{}, err
	}
	hash := s.dummyHash
	if err == nil && user.PasswordHash != "" {
		hash = []byte(user.PasswordHash)
	}
	// Compared even when there is no such account, so the answer takes as long either way.
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if err != nil || user.PasswordHash == "" || !match {
		wait, ferr := s.throttle.LockedNow(ctx, email, ip)
		if ferr != nil {
			return User{}, ferr
		}
		msg := "The e-mail address or the password is wrong."
		if wait > 0 {
			msg += " " + LockedMessage(wait)
		}
		s.log.Info("sign-in failed", "ip", ip)
		return User{}, refused(http.StatusUnauthorized, msg)
	}

	if !user.Active() {
		s.log.Info("sign-in of a disabled account refused", "user", user.ID, "ip", ip)
		return User{}, refused(http.StatusForbidden, "This account is disabled. Ask a site administrator if you need it again.")
	}
	if err := s.throttle.Clear(ctx, email, ip); err != nil {
		s.log.Warn("clear login failures", "err", err)
	}
	return user, nil
}

// Start begins a new session for user and returns its cookie token. A session the browser
// had before (replaced, its hash) ends: a session id planted before sign-in is worth nothing.
func (s *SignIn) Start(ctx context.Context, user User, replaced string) (string, error) {
	if err := s.sessions.DeleteExpired(ctx); err != nil {
		s.log.Warn("delete expired sessions", "err", err)
	}
	if replaced != "" {
		_ = s.sessions.Delete(ctx, replaced)
	}
	token, _, err := s.sessions.Create(ctx, user.ID)
	if err != nil {
		return "", err
	}
	s.log.Info("signed in", "user", user.ID)
	return token, nil
}
