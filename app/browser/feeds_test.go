package browser_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestImportAFileAndTurnTheFeedOn: in Chromium, Alice uploads an Outlook export on the
// import page (its script sends the file and shows the progress, then the summary), finds the
// imported series in My Calendar, and turns her calendar feed on in Settings, which shows
// the address and a webcal link; both pages have a label for every control and fit a phone.
func TestImportAFileAndTurnTheFeedOn(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/settings")
	b.follow("#feed a[href='/import']")
	file, err := filepath.Abs("../../calendar/ical/testdata/outlook.ics")
	if err != nil {
		t.Fatal(err)
	}
	b.do(
		chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{file}),
		chromedp.Click(chromedp.CSS("#import-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#import-summary")),
	)
	if got := b.text("#import-summary"); !strings.Contains(got, "3 imported") {
		t.Fatalf("the summary says %q", got)
	}
	b.open("/calendar?view=agenda&date=2026-03-02")
	if got := b.text(".cal-main"); !strings.Contains(got, "Platform sync") {
		t.Fatalf("My Calendar's agenda lacks the imported series: %q", got)
	}

	b.open("/settings")
	b.follow("#feed button.primary")
	address := b.value("#feed-url")
	if !strings.Contains(address, "/feeds/") || !b.has("#feed a[href^='webcal://']") {
		t.Fatalf("the feed's address: %q", address)
	}

	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	for _, path := range []string{"/import", "/settings"} {
		b.open(path)
		if bad := b.unlabelled(); len(bad) > 0 {
			t.Errorf("%s has controls without a label: %q", path, bad)
		}
		if width := eval[int](b, "document.documentElement.scrollWidth"); width > 375 {
			t.Errorf("%s is %d px wide on a 375 px screen", path, width)
		}
	}
}
