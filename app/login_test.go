package app

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/calendar"
	"intracal/migrations/dbtest"
)

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfFrom reads the CSRF token from a signed-in page, as a form would carry it.
func csrfFrom(t *testing.T, b *browser) string {
	t.Helper()
	res := b.get("/")
	m := csrfInput.FindStringSubmatch(readBody(res))
	if m == nil {
		t.Fatalf("no csrf_token field on the home page (status %d)", res.StatusCode)
	}
	return m[1]
}

func TestLoginStartsSessionThatSurvivesRestart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestApp(t, db)
		addUser(t, a, "Anna@Example.com", "Anna Berg", "correct horse", false)
		b := newBrowser(t, a)

		res := b.postForm("/login", url.Values{"email": {"ANNA@example.com"}, "password": {"correct horse"}, "next": {"/calendar?view=week"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/calendar?view=week" {
			t.Fatalf("login: %d to %q, want 303 to the page asked for", res.StatusCode, res.Header.Get("Location"))
		}
		c := b.Cookies[accounts.SessionCookie]
		if c == nil {
			t.Fatal("no session cookie")
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
			t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure on http", c)
		}
		if body := readBody(b.get("/")); !strings.Contains(body, "Anna Berg") {
			t.Errorf("home page does not greet the signed-in user:\n%s", body)
		}

		// A new app on the same database is what a restart is.
		restarted := newBrowser(t, newTestApp(t, db))
		restarted.Cookies = b.Cookies
		res = restarted.get("/")
		if res.StatusCode != http.StatusOK {
			t.Errorf("after a restart the session is gone: status %d", res.StatusCode)
		}
	})
}

func TestLoginRefusesWrongPasswordAndUnknownAccountAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestApp(t, db)
		addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
		addUser(t, a, "nopass@example.com", "No Password", "", false)
		tests := []struct{ name, email, password string }{
			{"wrong password", "anna@example.com", "wrong horse"},
			{"unknown account", "nobody@example.com", "correct horse"},
			{"account without password", "nopass@example.com", "anything at all"},
		}
		var bodies []string
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := newBrowser(t, a)
				res := b.postForm("/login", url.Values{"email": {tt.email}, "password": {tt.password}})
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("status %d, want 401", res.StatusCode)
				}
				if len(b.Cookies) != 0 {
					t.Errorf("cookies set on a failed login: %v", b.Cookies)
				}
				body := readBody(res)
				if !strings.Contains(body, "The e-mail address or the password is wrong.") {
					t.Errorf("page lacks the failure message:\n%s", body)
				}
				bodies = append(bodies, strings.ReplaceAll(body, tt.email, ""))
			})
		}
		for _, b := range bodies[1:] {
			if b != bodies[0] {
				t.Error("the answers differ between a wrong password and an unknown account")
			}
		}
	})
}

func TestRepeatedFailedLoginsAreSlowedPerAccountAndAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		clock := apptest.NewClock()
		a := newTestApp(t, db, WithClock(clock.Now))
		addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
		attacker := newBrowser(t, a)
		try := func(b *browser, password string) (int, string) {
			res := b.postForm("/login", url.Values{"email": {"anna@example.com"}, "password": {password}})
			return res.StatusCode, readBody(res)
		}

		for i := 1; i < accounts.LoginFreeAttempts; i++ {
			if code, body := try(attacker, "guess"); code != http.StatusUnauthorized || strings.Contains(body, "Too many") {
				t.Fatalf("failure %d: status %d, locked already", i, code)
			}
		}
		code, body := try(attacker, "guess")
		if code != http.StatusUnauthorized || !strings.Contains(body, "try again in 30 seconds") {
			t.Fatalf("failure %d: status %d, want the lock announced:\n%s", accounts.LoginFreeAttempts, code, body)
		}
		// Locked: even the right password is refused at once, with the time left.
		clock.Advance(10 * time.Second)
		if code, body := try(attacker, "correct horse"); code != http.StatusTooManyRequests || !strings.Contains(body, "try again in 20 seconds") {
			t.Fatalf("locked attempt: status %d, want 429 with 20 seconds left:\n%s", code, body)
		}
		// The lock is per account and address: Anna at her own desk signs in.
		anna := newBrowser(t, a)
		anna.IP = "198.51.100.7"
		anna.login("anna@example.com", "correct horse")

		// The next failure after the lock doubles it.
		clock.Advance(21 * time.Second)
		if code, body := try(attacker, "guess"); code != http.StatusUnauthorized || !strings.Contains(body, "try again in 60 seconds") {
			t.Fatalf("failure after the lock: status %d, want 60 seconds:\n%s", code, body)
		}
		// Once the wait is over, the right password works and the count starts afresh.
		clock.Advance(61 * time.Second)
		attacker.login("anna@example.com", "correct horse")
		if wait, _ := a.throttle.LockedNow(t.Context(), "anna@example.com", attacker.IP); wait != 0 {
			t.Errorf("failures not cleared by a successful sign-in: wait %s", wait)
		}
	})
}

// Guesses sent at once are throttled like guesses sent one after another: each attempt is
// counted before its password is checked, so only LoginFreeAttempts of 30 are checked, and a
// later batch of 59 wrong passwords with the right one does not sign in.
func TestParallelGuessesAreThrottledToo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestApp(t, db)
		addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
		batch := func(n int, right bool) map[int]int {
			codes := make(chan int, n)
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					password := "guess " + strconv.Itoa(i)
					if right && i == n-1 {
						password = "correct horse"
					}
					res := newBrowser(t, a).postForm("/login", url.Values{"email": {"anna@example.com"}, "password": {password}})
					codes <- res.StatusCode
				}(i)
			}
			wg.Wait()
			close(codes)
			count := map[int]int{}
			for c := range codes {
				count[c]++
			}
			return count
		}
		if got := batch(30, false); got[http.StatusUnauthorized] != accounts.LoginFreeAttempts || got[http.StatusTooManyRequests] != 30-accounts.LoginFreeAttempts {
			t.Fatalf("30 wrong passwords at once: %v, want %d checked (401) and the rest 429", got, accounts.LoginFreeAttempts)
		}
		if got := batch(60, true); got[http.StatusTooManyRequests] != 60 {
			t.Fatalf("59 wrong passwords and the right one at once while locked: %v, want 60 times 429", got)
		}
	})
}

func TestLogoutEndsSessionAndNeedsCSRF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newTestApp(t, db)
		addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
		b := newBrowser(t, a)
		b.login("anna@example.com", "correct horse")
		stolen := *b.Cookies[accounts.SessionCookie]

		if res := b.postForm("/logout", nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("logout without CSRF token: status %d, want 403", res.StatusCode)
		}
		res := b.postForm("/logout", url.Values{"csrf_token": {csrfFrom(t, b)}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("logout: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if _, ok := b.Cookies[accounts.SessionCookie]; ok {
			t.Error("logout left the cookie in place")
		}
		// The old cookie is dead on the server, not just forgotten by this browser.
		replay := newBrowser(t, a)
		replay.Cookies[accounts.SessionCookie] = &stolen
		if res := replay.get("/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the logged-out session still works: status %d", res.StatusCode)
		}
	})
}

func TestSessionExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		clock := apptest.NewClock()
		a := newTestApp(t, db, WithClock(clock.Now))
		addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
		b := newBrowser(t, a)
		b.login("anna@example.com", "correct horse")

		// Used now and then, the session lives on past its first idle period...
		for range 4 {
			clock.Advance(20 * 24 * time.Hour)
			if res := b.get("/"); res.StatusCode != http.StatusOK {
				t.Fatalf("session died while in use: status %d", res.StatusCode)
			}
		}
		// ...but never past its maximum age.
		clock.Advance(11 * 24 * time.Hour)
		if res := b.get("/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("session outlived its maximum age: status %d", res.StatusCode)
		}

		b.login("anna@example.com", "correct horse")
		clock.Advance(accounts.SessionIdle + time.Minute)
		if res := b.get("/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Errorf("idle session still works: status %d", res.StatusCode)
		}

		// The next sign-in sweeps the expired sessions out of the table.
		b.login("anna@example.com", "correct horse")
		var n int64
		if err := db.Model(&accounts.Session{}).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d sessions in the table, want only the live one", n)
		}
	})
}

func TestSecureSessionCookieOnHTTPSSite(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestAppFor(t, db, "https://calendar.example.com")
	addUser(t, a, "anna@example.com", "Anna", "correct horse", false)
	b := newBrowser(t, a)
	b.login("anna@example.com", "correct horse")
	c := b.Cookies[accounts.SecureSessionCookie]
	if c == nil || !c.Secure || !c.HttpOnly {
		t.Fatalf("cookies %v: want a Secure, HttpOnly %s", b.Cookies, accounts.SecureSessionCookie)
	}
}

func TestPagesSendAnonymousVisitorsToLogin(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	res := newBrowser(t, a).get("/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("GET / anonymous: %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	res = newBrowser(t, a).get("/login?next=/calendar")
	if body := readBody(res); res.StatusCode != http.StatusOK || !strings.Contains(body, `name="next" value="/calendar"`) {
		t.Errorf("login form does not carry next:\n%s", body)
	}
}

func TestSetPassword(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	u := addUser(t, a, "anna@example.com", "Anna", "", false)
	if err := a.users.SetPassword(t.Context(), u.ID, "brand new pass"); err != nil {
		t.Fatal(err)
	}
	newBrowser(t, a).login("anna@example.com", "brand new pass")
	if err := a.users.SetPassword(t.Context(), u.ID+99, "brand new pass"); !errors.Is(err, calendar.ErrNotFound) {
		t.Errorf("setPassword of nobody: %v", err)
	}
}
