package browser_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intracal/app"
	"intracal/config"
	"intracal/migrations/dbtest"
)

// chromiumPath is where Debian's chromium package puts the browser (.ci/test-deps installs it).
const chromiumPath = "/usr/bin/chromium"

// screenshotsEnv, set to 1, makes the run save the README's screenshots into docs/screenshots.
const screenshotsEnv = "CALENDAR_SCREENSHOTS"

// findChromium returns the browser, skipping the test when there is none, except on CI, where
// a missing browser is a failure: the suite must not pass by testing nothing.
func findChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("chromium is not installed (%s): run .ci/test-deps", chromiumPath)
	}
	t.Skipf("chromium is not installed (%s); .ci/test-deps installs it", chromiumPath)
	return ""
}

// site is the app with the demo people and calendar, served on loopback.
type site struct {
	app  *app.App
	base string
	// outlook is the fake Outlook's address, when the site syncs with it.
	outlook string
}

func newSite(t *testing.T) *site {
	t.Helper()
	db := dbtest.SQLite(t)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{Addr: u.Host, SiteURL: u, DataDir: t.TempDir()}
	for i := range cfg.SecretKey {
		cfg.SecretKey[i] = byte(7 * i)
	}
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SeedDemo(context.Background(), io.Discard); err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = a.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &site{app: a, base: base}
}

// tab is one headless Chromium tab, with a fresh profile, on the site.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, s *site) *tab {
	t.Helper()
	exe := findChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		// British English: dates as 07/12/2026 and times as 10:00 in the screenshots.
		chromedp.Flag("lang", "en-GB"),
		chromedp.Env("LANGUAGE=en_GB", "LANG=en_GB.UTF-8"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: s.base}
}

// open loads a page and fails the test unless it answers 200.
func (b *tab) open(path string) {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Navigate(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	if res.Status != 200 {
		b.t.Fatalf("open %s: status %d", path, res.Status)
	}
}

// follow clicks what leads to another page (a link or a submit button) and waits for it.
func (b *tab) follow(sel string) {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	if res.Status != 200 {
		b.t.Fatalf("click %s: the next page answered %d", sel, res.Status)
	}
}

// do runs steps that stay on the page.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// text is the visible text of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// value is the current value of a form field.
func (b *tab) value(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return s
}

// source is the page's HTML as the browser holds it.
func (b *tab) source() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string]("document.documentElement.outerHTML"))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// location is the address of the page.
func (b *tab) location() *url.URL {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	u, err := url.Parse(s)
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// has reports whether an element matches sel now.
func (b *tab) has(sel string) bool {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int]("document.querySelectorAll("+jsString(sel)+").length"))
	if err != nil {
		b.t.Fatal(err)
	}
	return n > 0
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// signIn signs in through the login form.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.open("/login")
	b.do(
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), app.DemoPassword),
	)
	b.follow("form[action='/login'] button[type=submit]")
	if !b.has(".topbar .account") {
		b.t.Fatalf("signing in as %s did not work", email)
	}
}

// signOut uses the Sign out button.
func (b *tab) signOut() {
	b.t.Helper()
	b.follow(".account button[type=submit]")
}

// screenshot saves the page for the README when CALENDAR_SCREENSHOTS=1.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	if os.Getenv(screenshotsEnv) != "1" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
