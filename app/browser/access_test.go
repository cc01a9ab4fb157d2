package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// firstEventPath is the details page of the first instance the month view lists.
func (b *tab) firstEventPath() string {
	b.t.Helper()
	b.open("/calendar")
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('.month a.ev').getAttribute('href')`))
	if err != nil || href == "" {
		b.t.Fatalf("no instance in the month view: %v", err)
	}
	return href
}

// unlabelled lists the form controls on the page that have no label a screen reader reads.
func (b *tab) unlabelled() []string {
	b.t.Helper()
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`
		Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea')).filter(el =>
			!el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.closest('label') &&
			!(el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'))
		).map(el => el.outerHTML.slice(0, 120))`))
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}

func TestEveryFormControlHasALabel(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("admin@example.com")
	event := b.firstEventPath()
	for _, path := range []string{"/calendar", "/calendar?view=week", "/calendar?view=agenda", "/events/new", event + "&q=a",
		strings.Replace(event, "?", "/edit?", 1) + "&scope=following", strings.Replace(event, "?", "/edit?", 1) + "&scope=instance",
		"/settings", "/cp/general", "/cp/properties", "/cp/people", b.firstPersonPath()} {
		b.open(path)
		if bad := b.unlabelled(); len(bad) > 0 {
			t.Errorf("%s has controls without a label: %q", path, bad)
		}
	}
}

func TestPagesFitAPhoneScreen(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	fits := func(paths ...string) {
		for _, path := range paths {
			b.open(path)
			width, err := chromedp.Run(b.ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if width > 375 {
				t.Errorf("%s is %d px wide on a 375 px screen", path, width)
			}
		}
	}
	b.signIn("alice@example.com")
	event := b.firstEventPath()
	fits("/calendar", "/calendar?view=week", "/calendar?view=day", "/calendar?view=agenda", "/search?q=team", event, strings.Replace(event, "?", "/edit?", 1), "/events/new", "/settings")

	// The month lists the days with events one under another, in a readable size.
	b.open("/calendar")
	size, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.querySelector('.month a.ev')).fontSize)`))
	if err != nil {
		t.Fatal(err)
	}
	if size < 13 {
		t.Errorf("instances in the phone month are %.1f px, too small to read", size)
	}
	b.screenshot("phone-month.png")

	// The week shows whole days: the space beside the hours holds a whole number of day
	// columns (three), and a swipe stops at a day's start.
	b.open("/calendar?view=week")
	days := eval[float64](b, `(() => { const s = document.querySelector(".week-scroll"), c = document.querySelector(".week-col");
		return (s.clientWidth - document.querySelector(".week-hours").offsetWidth) / c.getBoundingClientRect().width; })()`)
	if days < 2.9 || days > 3.1 {
		t.Errorf("the phone week shows %.2f days, want three whole ones", days)
	}
	if snap := eval[string](b, `getComputedStyle(document.querySelector(".week-scroll")).scrollSnapType`); !strings.HasPrefix(snap, "x") {
		t.Errorf("the phone week does not stop at days: scroll-snap-type %q", snap)
	}
	b.signOut()

	b.signIn("admin@example.com")
	fits("/cp/general", "/cp/properties", "/cp/people", b.firstPersonPath())
}

// firstPersonPath is the Control Panel page of the first other person People lists.
func (b *tab) firstPersonPath() string {
	b.t.Helper()
	b.open("/cp/people")
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('a[href^="/cp/people/"]').getAttribute('href')`))
	if err != nil || href == "" {
		b.t.Fatalf("nobody on the People page: %v", err)
	}
	return href
}

func TestKeyboardReachesInstancesAndShortcuts(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/calendar")
	active := func() string {
		cls, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.activeElement.className || document.activeElement.tagName) + ''`))
		if err != nil {
			t.Fatal(err)
		}
		return cls
	}
	b.do(chromedp.KeyEvent(kb.Tab))
	if got := active(); got != "skip" {
		t.Fatalf("the first Tab lands on %q, want the skip link", got)
	}
	// Tab on until an instance has the focus; Enter opens it.
	found := false
	for i := 0; i < 80 && !found; i++ {
		b.do(chromedp.KeyEvent(kb.Tab))
		found = strings.HasPrefix(active(), "ev")
	}
	if !found {
		t.Fatal("Tab never reaches an instance in the month view")
	}
	// Enter opens its quick card with the focus inside; Tab reaches the card's Open, which
	// leads to the details page.
	b.do(chromedp.KeyEvent(kb.Enter))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel)))
	if !eval[bool](b, inCard) {
		t.Fatal("Enter on an instance does not move the focus into its card")
	}
	for i := 0; i < 20 && !eval[bool](b, `document.activeElement.matches(".qcard .actions a.btn:last-child")`); i++ {
		b.do(chromedp.KeyEvent(kb.Tab))
	}
	if _, err := chromedp.RunResponse(b.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if p := b.location().Path; !strings.HasPrefix(p, "/events/") {
		t.Fatalf("Open in the card opens %s", p)
	}
	// Shortcuts: n for the next month, t for today.
	b.open("/calendar?date=2026-03-10")
	if _, err := chromedp.RunResponse(b.ctx, chromedp.KeyEvent("n")); err != nil {
		t.Fatal(err)
	}
	if got := b.location().Query().Get("date"); got != "2026-04-01" {
		t.Errorf("n goes to %q, want 2026-04-01", got)
	}
}
