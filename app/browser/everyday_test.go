package browser_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"intracal/calendar"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// tomorrow is tomorrow's date in Berlin, where the demo people live.
func tomorrow(t *testing.T) time.Time {
	t.Helper()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(berlin)
	return time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, berlin)
}

// aliceEvent stores a single event of Alice's tomorrow at 10:00 in Berlin.
func (s *site) aliceEvent(t *testing.T, title string) *calendar.Event {
	t.Helper()
	ctx := context.Background()
	alice, err := s.app.Users().ByEmail(ctx, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := s.app.Store().MyCalendar(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	day := tomorrow(t).Format("2006-01-02")
	e, err := calendar.NewEvent(cal, alice.ID, calendar.EventInput{Title: title, Location: "Room 12", Start: day + "T10:00", End: day + "T11:00", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.app.Store().Create(ctx, e); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestCreateAnEventInvitingAColleagueFromTheForm: the new-event form's Invite people field
// invites by name, and the event opens with the colleague among its people.
func TestCreateAnEventInvitingAColleagueFromTheForm(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/events/new?date=" + tomorrow(t).Format("2006-01-02") + "&time=15:00")
	b.do(
		chromedp.SendKeys(chromedp.ID("title"), "Roadmap chat"),
		chromedp.SendKeys(chromedp.ID("invitees"), "Bob Baker, nobody@example.com"),
	)
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS("#event-form button.primary")))
	if err != nil || res.Status != 422 {
		t.Fatalf("creating with an unknown invitee: %v, status %v; want 422", err, res)
	}
	if got := b.text("#invitees-err"); !strings.Contains(got, "“nobody@example.com”") {
		t.Fatalf("an unknown address is not named next to the field: %q", got)
	}
	if b.value("#title") != "Roadmap chat" || b.value("#invitees") != "Bob Baker, nobody@example.com" {
		t.Fatal("the form came back without what was typed")
	}
	b.do(chromedp.SetValue(chromedp.ID("invitees"), "Bob Baker"))
	b.follow("#event-form button.primary")
	if got := b.text(".flash"); !strings.Contains(got, "Event created. Invited Bob Baker.") {
		t.Fatalf("after creating: %q", got)
	}
	if got := b.text(".people-list"); !strings.Contains(got, "Bob Baker") {
		t.Errorf("the event's people are %q, without Bob", got)
	}
}

// TestSearchFromTheCalendarToolbar: the toolbar's box finds an event by a word of its title
// and the result opens its instance.
func TestSearchFromTheCalendarToolbar(t *testing.T) {
	s := newSite(t)
	e := s.aliceEvent(t, "Zebra crossing review")
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/calendar")
	b.do(chromedp.SendKeys(chromedp.ID("cal-search-q"), "ZEBRA"))
	b.follow(".cal-search button[type=submit]")
	if got := b.location(); got.Path != "/search" || got.Query().Get("q") != "ZEBRA" {
		t.Fatalf("the search box led to %s", got)
	}
	if got := b.text(".search-results"); !strings.Contains(got, "Zebra crossing review") || !strings.Contains(got, "Room 12") {
		t.Fatalf("the results are %q", got)
	}
	b.follow(".search-results a.search-hit")
	if got := b.location().Path; got != "/events/"+itoa(e.ID) {
		t.Errorf("the result opens %s", got)
	}
	b.open("/search?q=z")
	if got := b.text("#search-message"); got != "Type at least 2 characters to search." {
		t.Errorf("a 1-character search says %q", got)
	}
}

// TestUndoADeleteWithTheKeyboard: after a delete the page says so with an Undo button that
// Tab reaches and Enter presses, and the event is back.
func TestUndoADeleteWithTheKeyboard(t *testing.T) {
	s := newSite(t)
	e := s.aliceEvent(t, "Lunch with the interns")
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/events/" + itoa(e.ID))
	b.do(chromedp.Click(chromedp.CSS(".danger-zone summary")))
	b.follow(".danger-zone button.danger")
	if got := b.text(".flash"); !strings.Contains(got, "Deleted the event “Lunch with the interns”.") || !b.has("#undo-form button") {
		t.Fatalf("after the delete the page says %q, without an Undo button", got)
	}
	onUndo := false
	for i := 0; i < 15 && !onUndo; i++ {
		b.do(chromedp.KeyEvent(kb.Tab))
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.activeElement === document.querySelector('#undo-form button')`))
		if err != nil {
			t.Fatal(err)
		}
		onUndo = got
	}
	if !onUndo {
		t.Fatal("Tab does not reach the Undo button")
	}
	if _, err := chromedp.RunResponse(b.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if got := b.location().Path; got != "/events/"+itoa(e.ID) {
		t.Fatalf("the undo leads to %s", got)
	}
	if got := b.text(".flash"); got != "Restored “Lunch with the interns”." {
		t.Errorf("after the undo the page says %q", got)
	}
	if got := b.text("h1"); !strings.Contains(got, "Lunch with the interns") {
		t.Errorf("the restored event's page is headed %q", got)
	}
}
