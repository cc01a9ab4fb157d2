package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPublishASpaceToOutlookAndWatchItInTheControlPanel: Alice turns publishing on in her
// space's settings and sees its members listed as pending; the site administrator finds the
// space in Control Panel > Spaces with the setup steps (the demo site has no Outlook app
// registration), opens it and clicks Publish now. Every control there has a label and the
// pages fit a phone.
func TestPublishASpaceToOutlookAndWatchItInTheControlPanel(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/spaces/new")
	b.do(
		chromedp.SendKeys(chromedp.ID("space-name"), "Choir"),
		chromedp.Click(chromedp.CSS("input[name=visibility][value=public]")),
	)
	b.follow(".space-form button.primary")
	space := b.location().Path
	b.open(space + "/settings")
	if got := b.text("#outlook"); !strings.Contains(got, "copies, not invitations") || !strings.Contains(got, "calendar named after the space") {
		t.Fatalf("the Outlook section says %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS("label[for=publish-yes]")))
	b.follow(".publish-form button.primary")
	if got := b.text(".flash"); !strings.Contains(got, "is published to its members' Outlook") {
		t.Fatalf("after publishing: %q", got)
	}
	if got := b.text(".publish-members"); !strings.Contains(got, "Alice") || !strings.Contains(got, "Pending") {
		t.Errorf("the members' list says %q, want Alice pending", got)
	}
	if !b.has("#publish-yes:checked") {
		t.Error("the switch shows off after publishing")
	}
	b.signOut()

	b.signIn("admin@example.com")
	b.open("/cp/general")
	b.follow(".cp-nav a[href='/cp/spaces']")
	if got := b.text("#publish-setup"); !strings.Contains(got, "Calendars.ReadWrite") || !strings.Contains(got, "Grant admin consent") {
		t.Errorf("the setup steps say %q", got)
	}
	if got := b.text(".cp-spaces"); !strings.Contains(got, "Choir") || !strings.Contains(got, "Published") {
		t.Errorf("the spaces' table says %q", got)
	}
	b.follow(".cp-spaces a[href^='/cp/spaces/']")
	detail := b.location().Path
	b.follow(".cp-main form[action$='/publish-now'] button")
	if got := b.text(".flash"); !strings.Contains(got, "next cycle") {
		t.Errorf("after Publish now: %q", got)
	}

	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	for _, path := range []string{"/cp/spaces", detail, space + "/settings"} {
		b.open(path)
		if bad := b.unlabelled(); len(bad) > 0 {
			t.Errorf("%s has controls without a label: %q", path, bad)
		}
		if width := eval[int](b, "document.documentElement.scrollWidth"); width > 375 {
			t.Errorf("%s is %d px wide on a 375 px screen", path, width)
		}
	}
}
