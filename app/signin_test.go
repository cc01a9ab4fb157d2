package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/app/properties"
	"intracal/app/signin"
	"intracal/outlooksync/fakeoutlook"
)

// TestMicrosoftSignInLinksAndCreatesAccounts: the login page offers Sign in with Microsoft;
// an existing account is found by its address at the first sign-in and linked (audited),
// after which the account's object id finds it; someone without an account gets one with the
// name Microsoft gives, without a password.
func TestMicrosoftSignInLinksAndCreatesAccounts(t *testing.T) {
	e := newSignInEnv(t)
	alice, _ := e.user("alice@example.com", "Alice")

	b := newBrowser(t, e.a)
	if status, body := b.page("/login"); status != http.StatusOK || !strings.Contains(body, `action="/login/microsoft"`) {
		t.Fatalf("login page %d does not offer Sign in with Microsoft", status)
	}
	auth := e.msStart(b, "next=%2Fspaces")
	q := auth.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("nonce") == "" || q.Get("state") == "" ||
		q.Get("scope") != "openid profile email" || !strings.HasSuffix(q.Get("redirect_uri"), signin.CallbackPath) ||
		!strings.Contains(auth.Path, "/"+fakeoutlook.DemoTenantID+"/") {
		t.Fatalf("authorize request %s", auth)
	}
	res := b.get(e.msAuthorizeAs(auth, "alice@example.com"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/spaces" {
		t.Fatalf("callback: %d %s", res.StatusCode, readBody(res))
	}
	if got := signedInAs(b); got != "alice@example.com" {
		t.Fatalf("signed in as %q", got)
	}
	id, err := e.a.microsoft.Identities().ForUser(t.Context(), alice.ID)
	if err != nil || id.TenantID != fakeoutlook.DemoTenantID || id.ObjectID == "" || id.Username != "alice@example.com" {
		t.Fatalf("identity %+v %v", id, err)
	}
	admin := newBrowser(t, e.a)
	admin.login("root@example.com", "correct horse")
	if _, page := admin.page("/cp/people/" + strconv.FormatInt(alice.ID, 10)); !strings.Contains(page, "as alice@example.com (tenant "+fakeoutlook.DemoTenantID+")") {
		t.Fatal("the Control Panel does not say which Microsoft account Alice signs in with")
	}
	audit, err := e.a.audit.List(t.Context(), alice.ID, 10)
	if err != nil || len(audit) == 0 || audit[0].Action != accounts.AuditMicrosoftLinked {
		t.Fatalf("audit %+v %v", audit, err)
	}

	// The object id finds the account now, even once its address changed here.
	if err := e.a.db.Table("users").Where("id = ?", alice.ID).Update("email", "alice.smith@example.com").Error; err != nil {
		t.Fatal(err)
	}
	again := newBrowser(t, e.a)
	if res := e.msSignIn(again, "alice@example.com"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d %s", res.StatusCode, readBody(res))
	}
	if got := signedInAs(again); got != "alice.smith@example.com" {
		t.Fatalf("second sign-in signed in as %q", got)
	}

	// Someone new gets an account with no password.
	if _, err := e.fake.AddMailboxInTenant(fakeoutlook.DemoTenantID, "nina@example.com", "Nina Novak"); err != nil {
		t.Fatal(err)
	}
	nb := newBrowser(t, e.a)
	if res := e.msSignIn(nb, "nina@example.com"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new person: %d %s", res.StatusCode, readBody(res))
	}
	nina, err := e.a.users.ByEmail(t.Context(), "nina@example.com")
	if err != nil || nina.Name != "Nina Novak" || nina.PasswordHash != "" || nina.IsAdmin || signedInAs(nb) != "nina@example.com" {
		t.Fatalf("created %+v %v", nina, err)
	}
	if audit, _ := e.a.audit.List(t.Context(), nina.ID, 10); len(audit) == 0 || audit[0].Action != accounts.AuditUserCreated {
		t.Fatalf("audit of the new account %+v", audit)
	}

	// A deleted account lets go of its Microsoft account: the next sign-in is a new person's,
	// and the deleted one's session is gone.
	if _, err := e.a.accounts.Delete(t.Context(), accounts.ViewerOf(e.admin), nina.ID); err != nil {
		t.Fatal(err)
	}
	if signedInAs(nb) != "" {
		t.Fatal("a deleted account is still signed in")
	}
	if res := e.msSignIn(nb, "nina@example.com"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the deletion: %d %s", res.StatusCode, readBody(res))
	}
	if again := e.mustUser("nina@example.com"); again.ID == nina.ID {
		t.Fatal("the deleted account came back")
	}
}

// TestMicrosoftSignInRefusesWithoutStoringAnything: accounts not created when the Control
// Panel says so, disabled accounts, a Microsoft account other than the one linked, and a
// sign-in cancelled at Microsoft all end on a page saying why, signed in as nobody and with
// no account or link made.
func TestMicrosoftSignInRefusesWithoutStoringAnything(t *testing.T) {
	e := newSignInEnv(t)
	bob, _ := e.user("bob@example.com", "Bob")
	carol, _ := e.user("carol@example.com", "Carol")
	if _, err := e.fake.AddMailboxInTenant(fakeoutlook.DemoTenantID, "stranger@example.com", "Stranger"); err != nil {
		t.Fatal(err)
	}
	e.setProps(map[string]string{properties.PropMicrosoftCreates: "false"})
	if _, err := e.a.accounts.Disable(t.Context(), accounts.ViewerOf(e.admin), bob.ID); err != nil {
		t.Fatal(err)
	}
	// Carol's account signs in with another Microsoft account already.
	if err := e.a.db.Create(&signin.Identity{UserID: carol.ID, TenantID: fakeoutlook.DemoTenantID, ObjectID: "another-account",
		Username: "carol@other.example", LinkedAt: e.clock.Now(), LastSignInAt: e.clock.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	users, identities := e.count("users"), e.count("user_identities")
	cases := []struct {
		email   string
		status  int
		heading string
	}{
		{"stranger@example.com", http.StatusForbidden, "You have no account on this site"},
		{"bob@example.com", http.StatusForbidden, "This account is disabled"},
		{"carol@example.com", http.StatusConflict, "Your account here signs in with another Microsoft account"},
	}
	for _, c := range cases {
		b := newBrowser(t, e.a)
		res := e.msSignIn(b, c.email)
		body := readBody(res)
		if res.StatusCode != c.status || !strings.Contains(body, c.heading) || !strings.Contains(body, `href="/login"`) {
			t.Errorf("%s: %d, want %d %q: %s", c.email, res.StatusCode, c.status, c.heading, body)
		}
		if got := signedInAs(b); got != "" {
			t.Errorf("%s: signed in as %s", c.email, got)
		}
	}
	if e.count("users") != users || e.count("user_identities") != identities {
		t.Fatal("a refused sign-in stored an account or a link")
	}

	// Cancel at Microsoft's sign-in page.
	b := newBrowser(t, e.a)
	auth := e.msStart(b, "")
	form := auth.Query()
	form.Set("decline", "1")
	res, err := apptest.NoRedirects().PostForm(auth.Scheme+"://"+auth.Host+auth.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || back.Path != signin.CallbackPath || back.Query().Get("error") != "access_denied" {
		t.Fatalf("cancel went to %q", res.Header.Get("Location"))
	}
	if res := b.get(back.RequestURI()); res.StatusCode != http.StatusForbidden || !strings.Contains(readBody(res), "You cancelled the sign-in") {
		t.Fatalf("cancelled: %d", res.StatusCode)
	}
}

// TestMicrosoftSignInRefusesUntrustedTokens: a forged, expired, wrong-audience,
// wrong-issuer, wrong-nonce or replayed ID token is refused with a page saying why, signing
// nobody in and storing nothing; the replayed one is another person's, who stays out too.
func TestMicrosoftSignInRefusesUntrustedTokens(t *testing.T) {
	for _, multitenant := range []bool{false, true} {
		t.Run(map[bool]string{false: "single tenant", true: "multitenant"}[multitenant], func(t *testing.T) {
			e := newSignInEnv(t)
			if multitenant {
				e.setProps(map[string]string{properties.PropUseSAMLTenantForMS: "false"})
			}
			e.user("dave@example.com", "Dave")
			e.user("erin@example.com", "Erin")
			// Erin signs in first: hers is the token a replay sends again.
			if res := e.msSignIn(newBrowser(t, e.a), "erin@example.com"); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("erin: %d %s", res.StatusCode, readBody(res))
			}
			identities := e.count("user_identities")
			cases := []struct {
				fault  fakeoutlook.IDTokenFault
				reason string
			}{
				// First, while the token issued last is Erin's.
				{fakeoutlook.IDTokenReplayed, "belongs to another sign-in"},
				{fakeoutlook.IDTokenForged, "signature does not match"},
				{fakeoutlook.IDTokenExpired, "it has expired"},
				{fakeoutlook.IDTokenWrongAudience, "for another app"},
				{fakeoutlook.IDTokenWrongIssuer, "by another organization"},
				{fakeoutlook.IDTokenWrongNonce, "belongs to another sign-in"},
			}
			for _, c := range cases {
				b := newBrowser(t, e.a)
				e.fake.SetIDTokenFault(c.fault)
				res := e.msSignIn(b, "dave@example.com")
				body := readBody(res)
				if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "could not be trusted") || !strings.Contains(body, c.reason) {
					t.Errorf("%s: %d %s", c.fault, res.StatusCode, body)
				}
				if got := signedInAs(b); got != "" {
					t.Errorf("%s: signed in as %s", c.fault, got)
				}
			}
			if n := e.count("user_identities"); n != identities {
				t.Fatalf("refused tokens stored %d links", n-identities)
			}
			// The fake spoils one token only: the next sign-in works.
			b := newBrowser(t, e.a)
			if res := e.msSignIn(b, "dave@example.com"); res.StatusCode != http.StatusSeeOther || signedInAs(b) != "dave@example.com" {
				t.Fatalf("after the faults: %d", res.StatusCode)
			}
		})
	}
}

// TestMicrosoftSignInStateIsBoundAndUsedOnce: the callback is refused when opened again, in
// another browser, with a state we never sent, or after ten minutes.
func TestMicrosoftSignInStateIsBoundAndUsedOnce(t *testing.T) {
	e := newSignInEnv(t)
	e.user("fay@example.com", "Fay")
	b := newBrowser(t, e.a)
	callback := e.msAuthorizeAs(e.msStart(b, ""), "fay@example.com")

	thief := newBrowser(t, e.a)
	if res := thief.get(callback); res.StatusCode != http.StatusForbidden || !strings.Contains(readBody(res), "started in another browser") {
		t.Fatalf("callback in another browser: %d", res.StatusCode)
	}
	// The thief's try used the state up: the right browser must start again.
	if res := b.get(callback); res.StatusCode != http.StatusBadRequest || !strings.Contains(readBody(res), "used already") {
		t.Fatalf("callback again: %d", res.StatusCode)
	}
	callback = e.msAuthorizeAs(e.msStart(b, ""), "fay@example.com")
	if res := b.get(callback); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %d %s", res.StatusCode, readBody(res))
	}
	if res := b.get(callback); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("reloaded callback: %d", res.StatusCode)
	}
	u, _ := url.Parse(callback)
	q := u.Query()
	q.Set("state", "made-up")
	if res := newBrowser(t, e.a).get(u.Path + "?" + q.Encode()); res.StatusCode != http.StatusBadRequest || !strings.Contains(readBody(res), "not one we started") {
		t.Fatalf("made-up state: %d", res.StatusCode)
	}
	late := newBrowser(t, e.a)
	callback = e.msAuthorizeAs(e.msStart(late, ""), "fay@example.com")
	e.clock.Advance(11 * time.Minute)
	if res := late.get(callback); res.StatusCode != http.StatusBadRequest || !strings.Contains(readBody(res), "expired") {
		t.Fatalf("late callback: %d", res.StatusCode)
	}
}

// TestMicrosoftSignInTenants: a multitenant site lets in the people of SAMLTenantID and of
// the tenants an administrator lists, and no others; a single-tenant site's sign-in is
// refused by Microsoft itself for another tenant's account (AADSTS50020).
func TestMicrosoftSignInTenants(t *testing.T) {
	e := newSignInEnv(t)
	const other = "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	if _, err := e.fake.AddMailboxInTenant(other, "gus@fabrikam.example", "Gus"); err != nil {
		t.Fatal(err)
	}
	// Single tenant: Microsoft refuses on its own page, and nothing comes back.
	auth := e.msStart(newBrowser(t, e.a), "")
	q := auth.Query()
	q.Set("login_hint", "gus@fabrikam.example")
	auth.RawQuery = q.Encode()
	res, err := http.Get(auth.String())
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(res)
	if res.Request.URL.Host != auth.Host || !strings.Contains(body, "AADSTS50020") {
		t.Fatalf("another tenant's account at a single-tenant sign-in: %s %s", res.Request.URL, body)
	}

	e.setProps(map[string]string{properties.PropUseSAMLTenantForMS: "false"})
	b := newBrowser(t, e.a)
	auth = e.msStart(b, "")
	if !strings.Contains(auth.Path, "/organizations/") {
		t.Fatalf("multitenant sign-in through %s", auth.Path)
	}
	res = b.get(e.msAuthorizeAs(auth, "gus@fabrikam.example"))
	if body := readBody(res); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "another organization") || !strings.Contains(body, other) {
		t.Fatalf("unlisted tenant: %d %s", res.StatusCode, body)
	}
	if e.count("users") != 1 {
		t.Fatal("an unlisted tenant's person got an account")
	}
	e.setProps(map[string]string{properties.PropMicrosoftTenants: other})
	b = newBrowser(t, e.a)
	if res := e.msSignIn(b, "gus@fabrikam.example"); res.StatusCode != http.StatusSeeOther || signedInAs(b) != "gus@fabrikam.example" {
		t.Fatalf("listed tenant: %d %s", res.StatusCode, readBody(res))
	}
}

// TestPasswordSignInOff: with password sign-in off only the break-glass administrator signs
// in with a password; the login page folds the form away; people use Microsoft.
func TestPasswordSignInOff(t *testing.T) {
	e := newSignInEnv(t)
	e.user("hal@example.com", "Hal")
	e.setProps(map[string]string{properties.PropBreakGlassAdmin: "root@example.com"})
	e.setProps(map[string]string{properties.PropPasswordSignIn: "false"})

	b := newBrowser(t, e.a)
	status, page := b.page("/login")
	if status != http.StatusOK || !strings.Contains(page, "<summary>Administrator sign-in with a password</summary>") {
		t.Fatalf("login page with passwords off: %d", status)
	}
	res := b.postForm("/login", url.Values{"email": {"hal@example.com"}, "password": {"correct horse"}})
	if body := readBody(res); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Password sign-in is turned off") {
		t.Fatalf("password sign-in of an employee: %d %s", res.StatusCode, body)
	}
	if signedInAs(b) != "" {
		t.Fatal("signed in with a password while passwords are off")
	}
	b.login("root@example.com", "correct horse")
	if signedInAs(b) != "root@example.com" {
		t.Fatal("the break-glass administrator did not sign in")
	}
	hb := newBrowser(t, e.a)
	if res := e.msSignIn(hb, "hal@example.com"); res.StatusCode != http.StatusSeeOther || signedInAs(hb) != "hal@example.com" {
		t.Fatalf("microsoft sign-in: %d", res.StatusCode)
	}
}

// TestMicrosoftSignInConnectsOutlook: asked to, the sign-in requests the calendar in the
// same consent and connects Outlook at once; later, Connect to Outlook hints the account the
// person signed in with, so they type nothing.
func TestMicrosoftSignInConnectsOutlook(t *testing.T) {
	e := newSignInEnv(t)
	e.user("ivy@example.com", "Ivy")
	b := newBrowser(t, e.a)
	if _, page := b.page("/login"); !strings.Contains(page, `name="outlook" value="1"`) {
		t.Fatal("the login page does not offer to connect Outlook")
	}
	auth := e.msStart(b, "outlook=1")
	if scope := auth.Query().Get("scope"); !strings.Contains(scope, "Calendars.ReadWrite") || !strings.Contains(scope, "offline_access") || !strings.Contains(scope, "openid") {
		t.Fatalf("scope %q", scope)
	}
	if res := b.get(e.msAuthorizeAs(auth, "ivy@example.com")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %d %s", res.StatusCode, readBody(res))
	}
	if st := e.status(b); st.State != "connected" || st.Account == nil || st.Account.Mail != "ivy@example.com" {
		t.Fatalf("outlook after the sign-in: %+v", st)
	}
	if _, err := e.a.microsoft.Identities().ForUser(t.Context(), e.mustUser("ivy@example.com").ID); err != nil {
		t.Fatal(err)
	}
	connect := e.startConnect(b)
	if hint := connect.Query().Get("login_hint"); hint != "ivy@example.com" {
		t.Fatalf("connect hints %q", hint)
	}
}

// TestMicrosoftSignInAcrossAKeyRotation: Microsoft signs with a new key and retires the old
// one; sessions already started go on, and the next sign-in verifies with the new key.
func TestMicrosoftSignInAcrossAKeyRotation(t *testing.T) {
	e := newSignInEnv(t)
	e.user("jo@example.com", "Jo")
	e.user("kim@example.com", "Kim")
	jo := newBrowser(t, e.a)
	if res := e.msSignIn(jo, "jo@example.com"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("before the rotation: %d", res.StatusCode)
	}
	if err := e.fake.RotateSigningKey(); err != nil {
		t.Fatal(err)
	}
	e.fake.RetireSigningKeys()
	if signedInAs(jo) != "jo@example.com" {
		t.Fatal("the rotation ended a session")
	}
	// Jo's token, signed with the retired key, brought back: refused by its signature.
	e.fake.SetIDTokenFault(fakeoutlook.IDTokenReplayed)
	res := e.msSignIn(newBrowser(t, e.a), "kim@example.com")
	if body := readBody(res); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "signature does not match") {
		t.Fatalf("a token of the retired key: %d %s", res.StatusCode, body)
	}
	kim := newBrowser(t, e.a)
	if res := e.msSignIn(kim, "kim@example.com"); res.StatusCode != http.StatusSeeOther || signedInAs(kim) != "kim@example.com" {
		t.Fatalf("after the rotation: %d %s", res.StatusCode, readBody(res))
	}
}

func (e *outlookEnv) mustUser(email string) accounts.User {
	e.t.Helper()
	u, err := e.a.users.ByEmail(e.t.Context(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// TestControlPanelSignInPage: the page names the redirect URI to register; turning password
// sign-in off without a break-glass administrator is refused on the form with why, while all
// three in one submit are stored in an order that never locks anyone out, each audited; a
// form without its CSRF token changes nothing.
func TestControlPanelSignInPage(t *testing.T) {
	e := newOutlookEnv(t) // Microsoft sign-in off
	b := newBrowser(t, e.a)
	b.login("root@example.com", "correct horse")
	status, page := b.page("/cp/signin")
	if status != http.StatusOK || !strings.Contains(page, outlookSite+signin.CallbackPath) || !strings.Contains(page, `href="/cp/signin"`) {
		t.Fatalf("page %d", status)
	}
	form := url.Values{"microsoft": {"no"}, "createAccounts": {"yes"}, "password": {"no"}, "breakGlass": {""}, "tenants": {""}}
	res, body := b.submit("/cp/signin", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Password sign-in can be off only while") {
		t.Fatalf("password off alone: %d", res.StatusCode)
	}
	res = b.postForm("/cp/signin", url.Values{"microsoft": {"yes"}, "createAccounts": {"no"}, "password": {"yes"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", res.StatusCode)
	}
	form = url.Values{"microsoft": {"yes"}, "createAccounts": {"no"}, "password": {"no"}, "breakGlass": {"root@example.com"}, "tenants": {""}}
	if res, body := b.submit("/cp/signin", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("all at once: %d %s", res.StatusCode, body)
	}
	s, err := e.a.props.SignInSettings(t.Context())
	if err != nil || !s.Microsoft || s.CreateAccounts || s.Password || s.BreakGlass != "root@example.com" || !s.PasswordOff() {
		t.Fatalf("stored %v %v", s, err)
	}
	changes, err := e.a.props.Audit(t.Context(), 10)
	if err != nil || len(changes) < 4 || changes[0].Property != properties.PropPasswordSignIn {
		t.Fatalf("audit %+v %v", changes, err)
	}
	// And back: password sign-in on first, then Microsoft off.
	form = url.Values{"microsoft": {"no"}, "createAccounts": {"no"}, "password": {"yes"}, "breakGlass": {""}, "tenants": {""}}
	if res, body := b.submit("/cp/signin", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("back: %d %s", res.StatusCode, body)
	}
	if s, _ := e.a.props.SignInSettings(t.Context()); s.Microsoft || !s.Password || s.BreakGlass != "" {
		t.Fatalf("back to passwords: %v", s)
	}
}
