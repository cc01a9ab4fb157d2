package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// secondTab opens another tab of the same browser, on the site's fake Outlook.
func (b *tab) secondTab(base string) *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a second tab: %v", err)
	}
	return &tab{t: b.t, ctx: ctx, base: base}
}

// TestActingAsOutlookInASecondTab is the demo's two-tab evaluation (issue 14, item 7): My
// Calendar connected in one tab, the fake's "Outlook on the web" in another; Outlook's "this
// and all following" made there comes back as one event with two parts after Sync now.
func TestActingAsOutlookInASecondTab(t *testing.T) {
	s, _ := newOutlookSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/calendar")
	b.follow(".outlook-panel a[href='/outlook/connect']")
	b.follow(".outlook-panel form[action='/outlook/sync'] button")

	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Now().In(berlin)
	monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, berlin)
	splitDay := monday.AddDate(0, 0, 28).Format("2006-01-02")

	o := b.secondTab(s.outlook)
	o.open("/outlook/")
	o.follow(`form[action="/outlook/signin"] button`)
	o.open("/outlook/calendar?view=week&date=" + splitDay)
	occurrence := eval[string](o, `Array.from(document.querySelectorAll('a[href^="/outlook/event?id="]')).find(a => a.textContent.trim() === "Weekly team sync").getAttribute("href")`)
	o.open(occurrence)
	o.do(chromedp.SetValue(chromedp.CSS(`form[action="/outlook/occurrence/split"] input[name=subject]`), "Weekly team sync (new format)"))
	o.follow(`form[action="/outlook/occurrence/split"] button[type=submit]`)
	if !strings.Contains(o.text("main"), "Weekly team sync (new format)") {
		t.Fatalf("the fake's week after the split:\n%s", o.text("main"))
	}

	// Back in My Calendar: Sync now, and the split is one event in two parts.
	b.open("/calendar")
	b.follow(".outlook-panel form[action='/outlook/sync'] button")
	ids := func() []string {
		return eval[[]string](b, `[...new Set(Array.from(document.querySelectorAll(".week-col a.ev[aria-label^='Weekly team sync']")).map(a => new URL(a.href).pathname))]`)
	}
	b.open("/calendar?view=week&date=" + monday.AddDate(0, 0, 21).Format("2006-01-02"))
	before := ids()
	b.open("/calendar?view=week&date=" + splitDay)
	after := ids()
	if len(before) != 1 || len(after) != 1 || before[0] != after[0] {
		t.Fatalf("Outlook's split in My Calendar: the week before has %v, the week of the split %v; want the same one event", before, after)
	}
	if !b.has(".week-col a.ev[aria-label^='Weekly team sync (new format)']") {
		t.Fatalf("the new part's title is not in My Calendar:\n%s", b.text(".week"))
	}
	b.open(before[0] + "/edit?scope=all&instance=" + eval[string](b, `new URL(document.querySelector(".week-col a.ev[aria-label^='Weekly team sync']").href).searchParams.get("instance")`))
	if !strings.Contains(b.text("main"), "This event has 2 parts") {
		t.Errorf("the all-instances form does not show the two parts:\n%s", b.text("main"))
	}
}
