package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCreateASpaceAndSeeItsEventInMyCalendar: from the top navigation Alice creates a space,
// adds an event from the space's calendar, and finds it both there and in My Calendar.
func TestCreateASpaceAndSeeItsEventInMyCalendar(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/calendar")
	b.follow(".mainnav a[href='/spaces']")
	b.follow("a[href='/spaces/new']")
	b.do(
		chromedp.SendKeys(chromedp.ID("space-name"), "Garden club"),
		chromedp.SendKeys(chromedp.ID("space-description"), "Seeds and cuttings"),
		chromedp.Click(chromedp.CSS("input[name=visibility][value=private]")),
	)
	b.follow(".space-form button.primary")
	if got := b.text(".space-banner"); !strings.Contains(got, "Garden club") || !strings.Contains(got, "Show in My Calendar: on") {
		t.Fatalf("the new space's page shows %q", got)
	}
	space := b.location().Path
	b.follow(".cal-tools a.btn.primary")
	if got := b.text("#event-space"); !strings.Contains(got, "Garden club") {
		t.Fatalf("the new-event form says %q, not the space", got)
	}
	b.do(chromedp.SendKeys(chromedp.ID("title"), "Seed swap"))
	b.follow("#event-form button.primary")
	if got := b.text(".flash"); !strings.Contains(got, "Event created.") {
		t.Fatalf("after creating: %q", got)
	}
	b.open(space)
	if !strings.Contains(b.text(".cal-main"), "Seed swap") {
		t.Error("the space's calendar does not show its event")
	}
	b.follow(".mainnav a[href='/calendar']")
	if !strings.Contains(b.text(".cal-main"), "Seed swap") {
		t.Error("My Calendar does not show the space's event")
	}

	// Every control of the spaces' pages has a label, and they fit a phone.
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	for _, path := range []string{"/spaces", "/spaces/new", space, space + "?view=week", space + "/members", space + "/settings"} {
		b.open(path)
		if bad := b.unlabelled(); len(bad) > 0 {
			t.Errorf("%s has controls without a label: %q", path, bad)
		}
		if width := eval[int](b, "document.documentElement.scrollWidth"); width > 375 {
			t.Errorf("%s is %d px wide on a 375 px screen", path, width)
		}
	}
}
