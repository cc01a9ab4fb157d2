// Package browser holds the end-to-end tests of the web pages in headless Chromium (Debian's
// chromium package, driven with chromedp): the scenario of issue 3, the phone-width and
// keyboard checks, and the README's screenshots (CALENDAR_SCREENSHOTS=1). The tests skip when
// Chromium is missing, except on CI, where that fails them.
package browser
