package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"intracal/outlooksync/fakeoutlook"
)

// msSignIn clicks Sign in with Microsoft on the login page (with "connect Outlook as well"
// ticked when outlook) and signs in at the fake Microsoft's page as email.
func (b *tab) msSignIn(email string, outlook bool) {
	b.t.Helper()
	b.open("/login")
	if outlook {
		b.do(chromedp.Click(chromedp.CSS("#microsoft-signin input[name=outlook]")))
	}
	b.follow("#microsoft-signin button[type=submit]")
	if loc := b.location(); !strings.HasSuffix(loc.Path, "/oauth2/v2.0/authorize") {
		b.t.Fatalf("Sign in with Microsoft went to %s", loc)
	}
	b.do(chromedp.SendKeys(chromedp.CSS("input[name=login]"), email))
	b.follow("form button[type=submit]:not([name=decline])")
}

// TestSignInWithMicrosoftInTheBrowser is issue 18's flow in headless Chromium: the login
// page's button, Microsoft's sign-in and back, signed in; a forged ID token refused on a page
// that says so, signed in as nobody; a key rotation while signed in, after which the session
// goes on and the next sign-in verifies with the new key; and Outlook connected in the same
// consent as the sign-in.
func TestSignInWithMicrosoftInTheBrowser(t *testing.T) {
	s, fake := newOutlookSite(t)
	if err := s.app.SetProperty(context.Background(), "MicrosoftSignIn", "true"); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, s)
	b.msSignIn("bob@example.com", false)
	if loc := b.location(); loc.Path != "/" && loc.Path != "/calendar" {
		t.Fatalf("after the sign-in the browser is on %s", loc)
	}
	if got := b.text(".topbar .account"); !strings.Contains(got, "Bob") {
		t.Fatalf("signed in as %q", got)
	}

	// Microsoft rotates its keys while Bob works: his session goes on.
	if err := fake.RotateSigningKey(); err != nil {
		t.Fatal(err)
	}
	fake.RetireSigningKeys()
	b.open("/calendar")
	if !b.has(".topbar .account") {
		t.Fatal("the key rotation ended the session")
	}
	b.signOut()

	// A forged token: refused, on a page that says why, and nobody is signed in.
	fake.SetIDTokenFault(fakeoutlook.IDTokenForged)
	b.msSignInExpectingRefusal("bob@example.com")
	if got := b.text("#signin-refused"); !strings.Contains(got, "could not be trusted") || !strings.Contains(got, "signature") {
		t.Fatalf("refusal page: %q", got)
	}
	if b.has(".topbar .account") {
		t.Fatal("signed in after a forged token")
	}

	// After the rotation, a sign-in verifies with the new key; Outlook is connected with it.
	c := newTab(t, s)
	c.msSignIn("carol@example.com", true)
	if got := c.text(".flash"); !strings.Contains(got, "connected to Outlook (carol@example.com)") {
		t.Fatalf("flash %q", got)
	}
	if got := c.text(".outlook-panel"); !strings.Contains(got, "Connected") {
		t.Fatalf("panel %q", got)
	}
}

// msSignInExpectingRefusal is msSignIn ending on a refusal page (an error status).
func (b *tab) msSignInExpectingRefusal(email string) {
	b.t.Helper()
	b.open("/login")
	b.follow("#microsoft-signin button[type=submit]")
	b.do(chromedp.SendKeys(chromedp.CSS("input[name=login]"), email))
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS("form button[type=submit]:not([name=decline])")))
	if err != nil {
		b.t.Fatal(err)
	}
	if res.Status < 400 {
		b.t.Fatalf("the forged sign-in answered %d", res.Status)
	}
}
