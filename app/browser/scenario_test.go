package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// instanceKey is the original start of an instance at 10:00 in Berlin on the date, as the
// pages name it.
func instanceKey(t *testing.T, day time.Time) string {
	t.Helper()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, berlin).UTC().Format(time.RFC3339)
}

// chipTitles lists the titles of the instances that a month cell shows.
func (b *tab) chipTitles(date string) []string {
	b.t.Helper()
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('.day[data-date="`+date+`"] a.ev .n')).map(e => e.textContent.trim())`))
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestRepeatingEventScenario walks issue 3's scenario in headless Chromium: create a weekly
// series, open its third instance, edit "this and following", see both titles in the month,
// answer "following", delete one instance, then set the System Properties as an
// administrator without the secret ever reaching a page.
func TestRepeatingEventScenario(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)

	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(berlin)
	monday := time.Date(now.Year(), now.Month(), now.Day()+7-(int(now.Weekday())+6)%7, 0, 0, 0, 0, berlin)
	dates := make([]time.Time, 6)
	for i := range dates {
		dates[i] = monday.AddDate(0, 0, 7*i)
	}
	day := func(i int) string { return dates[i].Format("2006-01-02") }
	const oldTitle, newTitle = "Design sync", "Design sync (new room)"

	// Alice signs in and clicks the empty Monday in the month to start an event there.
	b.signIn("alice@example.com")
	b.open("/calendar?date=" + day(0))
	b.follow(`.day[data-date="` + day(0) + `"] a.day-new`)
	if got := b.value("#startDate"); got != day(0) {
		t.Fatalf("the new event starts on %s, want the clicked day %s", got, day(0))
	}
	b.do(
		chromedp.SendKeys(chromedp.ID("title"), oldTitle),
		chromedp.SetValue(chromedp.ID("startTime"), "10:00"),
		chromedp.SetValue(chromedp.ID("endTime"), "10:30"),
		chromedp.SetValue(chromedp.ID("freq"), "weekly"),
		chromedp.Click(chromedp.ID("ends-count")),
		chromedp.SetValue(chromedp.CSS("input[name=count]"), "6"),
	)
	if !b.has("#wd-MO:checked") {
		t.Fatal("the weekly pattern does not default to the start's weekday")
	}
	b.follow("#event-form button.primary")
	if got := b.text(".facts"); !strings.Contains(got, "Every week on Monday, 6 times") {
		t.Fatalf("the new event's page says %q", got)
	}
	eventPath := b.location().Path

	// The third instance, from the month view.
	b.open("/calendar?date=" + day(2))
	b.do(chromedp.Click(chromedp.CSS(`.day[data-date="` + day(2) + `"] a.ev[href^="` + eventPath + `?"]`)))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel)))
	b.follow(cardSel + ` .actions a.btn:last-child`)
	if got := b.location().Query().Get("instance"); got != instanceKey(t, dates[2]) {
		t.Fatalf("the chip opens instance %s, want %s", got, instanceKey(t, dates[2]))
	}
	if got := b.text(".facts .when"); !strings.Contains(got, dates[2].Format("Monday 2 January 2006")) {
		t.Fatalf("the details say %q, not the third date", got)
	}
	instancePage := b.location().RequestURI()

	// Full-page edit: "this and following" is the default; switching reloads the form.
	b.follow(`.actions a[href*="/edit?"]`)
	if !b.has("#scope-following:checked") || b.value("input[name=count]") != "4" {
		t.Fatal("the edit does not open on this and following with the 4 remaining instances")
	}
	b.follow("label[for=scope-instance]")
	if b.has("#freq") || !strings.Contains(b.text("#event-form"), "cannot change for one date") || b.location().Query().Get("scope") != "instance" {
		t.Fatal("switching to this instance did not reload the form without the repeat builder")
	}
	b.follow("label[for=scope-following]")
	if !b.has("#freq") || b.value("#title") != oldTitle {
		t.Fatal("switching back did not reload the series form")
	}
	b.do(chromedp.SetValue(chromedp.ID("title"), newTitle))
	b.screenshot("edit-form.png")
	b.follow("#event-form button.primary")
	if got := b.text(".flash"); !strings.Contains(got, "Saved for this and the following dates.") {
		t.Fatalf("after saving: %q", got)
	}

	// The month shows the old title on the first two Mondays and the new one from the third.
	for i := range dates {
		b.open("/calendar?date=" + day(i))
		titles := b.chipTitles(day(i))
		want, other := oldTitle, newTitle
		if i >= 2 {
			want, other = newTitle, oldTitle
		}
		if !contains(titles, want) || contains(titles, other) {
			t.Errorf("%s shows %q, want %q", day(i), titles, want)
		}
	}
	b.open("/calendar?date=" + day(2))
	b.screenshot("month-view.png")
	b.open("/calendar?view=week&date=" + day(2))
	b.screenshot("week-view.png")

	// Alice invites Bob, found by name: the results come while she types.
	b.open(instancePage)
	b.do(
		chromedp.SendKeys(chromedp.ID("invite-q"), "bob"),
		chromedp.WaitVisible(chromedp.CSS("#invite-results input[name=user]")),
		chromedp.Click(chromedp.CSS("#invite-results input[name=user]")),
	)
	b.follow("#invite-results button.primary")
	if got := b.text(".flash"); got != "Invited Bob Baker to all instances." {
		t.Fatalf("after inviting: %q", got)
	}
	b.signOut()

	// Bob answers yes for this and following dates from the third.
	b.signIn("bob@example.com")
	b.open(instancePage)
	b.do(chromedp.Click(chromedp.CSS(".rsvp input[name=scope][value=following]")))
	b.follow(`.rsvp button[name=response][value=yes]`)
	if got := b.text(".rsvp .current"); !strings.Contains(got, "Your answer: Yes") || !strings.Contains(got, "this and following dates") {
		t.Fatalf("after answering: %q", got)
	}
	b.open(eventPath + "?instance=" + instanceKey(t, dates[4]))
	if got := b.text(".rsvp .current"); !strings.Contains(got, "Yes") {
		t.Errorf("the fifth instance says %q, want Yes", got)
	}
	b.open(eventPath + "?instance=" + instanceKey(t, dates[1]))
	if got := b.text(".rsvp .current"); got != "You have not answered yet." {
		t.Errorf("the second instance says %q", got)
	}
	b.signOut()

	// Alice deletes the fourth instance only.
	b.signIn("alice@example.com")
	b.open(eventPath + "?instance=" + instanceKey(t, dates[3]))
	b.do(chromedp.Click(chromedp.CSS(".danger-zone summary")))
	if !b.has(".danger-zone input[name=scope][value=instance]:checked") {
		t.Fatal("deleting does not default to this instance")
	}
	b.follow(".danger-zone button.danger")
	if got := b.location().Query().Get("date"); got != day(3) {
		t.Errorf("after the delete the calendar shows %s", got)
	}
	if titles := b.chipTitles(day(3)); contains(titles, newTitle) {
		t.Errorf("the deleted instance is still shown: %q", titles)
	}
	b.open("/calendar?date=" + day(4))
	if titles := b.chipTitles(day(4)); !contains(titles, newTitle) {
		t.Errorf("the next instance is gone too: %q", titles)
	}
	b.signOut()

	// The administrator sets up Outlook sync; the secret never comes back in a page.
	secret := "Qx8~shh.Secret-" + time.Now().Format("150405.000000")
	var sources []string
	keep := func() { sources = append(sources, b.source()) }
	b.signIn("admin@example.com")
	keep()
	b.open("/cp/general")
	b.do(chromedp.Click(chromedp.CSS("label[for=sync-yes]")))
	b.follow("form[action='/cp/general'] button.primary")
	if !b.has("#sync-yes:checked") || !strings.Contains(b.text(".flash"), "System settings saved.") {
		t.Fatal("General Settings did not save Yes")
	}
	keep()
	b.open("/cp/properties?q=outlook")
	setProperty := func(name, value string) {
		b.do(chromedp.SetValue(chromedp.ID("v-"+name), value))
		b.follow("form[action='/cp/properties/" + name + "'] button.primary")
		if got := b.text(".flash"); got != name+" saved." {
			t.Fatalf("saving %s: %q", name, got)
		}
		keep()
	}
	setProperty("OutlookApiClientID", "0f8fad5b-d9cb-469f-a165-70867728950e")
	b.do(chromedp.SendKeys(chromedp.ID("v-OutlookApiClientSecret"), secret))
	b.follow("form[action='/cp/properties/OutlookApiClientSecret'] button.primary")
	keep()
	if got := b.text("#prop-OutlookApiClientSecret"); !strings.Contains(got, "Set") || !strings.Contains(got, "Changed") {
		t.Errorf("the secret's entry says %q, want that it is set and when", got)
	}
	b.open("/cp/properties")
	setProperty("UseSAMLtenantIDForOutlook", "false")
	// A tenant id that is no GUID comes back with the message next to it.
	b.do(chromedp.SetValue(chromedp.ID("v-SAMLTenantID"), "contoso"))
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS("form[action='/cp/properties/SAMLTenantID'] button.primary"))); err != nil {
		t.Fatal(err)
	}
	if got := b.text("#e-SAMLTenantID"); !strings.Contains(got, "must be a GUID") {
		t.Errorf("bad tenant id: %q", got)
	}
	keep()
	setProperty("SAMLTenantID", "72f988bf-86f1-41af-91ab-2d7cd011db47")
	b.screenshot("system-properties.png")
	for _, path := range []string{"/cp/properties?q=secret", "/cp/general", "/calendar", "/settings", "/api/v1/admin/properties"} {
		b.open(path)
		keep()
	}
	for i, src := range sources {
		if strings.Contains(src, secret) {
			t.Fatalf("page %d of the administrator's visit contains the secret", i)
		}
	}
	if len(sources) < 10 {
		t.Fatalf("only %d pages were checked", len(sources))
	}
}
