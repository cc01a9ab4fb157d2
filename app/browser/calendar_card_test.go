package browser_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// box is an element's place on the screen, in CSS pixels of the viewport.
type box struct{ X, Y, W, H float64 }

func (b box) cx() float64 { return b.X + b.W/2 }
func (b box) cy() float64 { return b.Y + b.H/2 }

// rect scrolls the first element matching sel into view (unless it is in view) and returns
// its box.
func (b *tab) rect(sel string) box {
	b.t.Helper()
	r, err := chromedp.Run(b.ctx, chromedp.Evaluate[box](`(() => { const el = document.querySelector(`+jsString(sel)+`);
		if (!el) return null; el.scrollIntoView({block: "nearest", inline: "nearest"}); const r = el.getBoundingClientRect();
		return {X: r.left, Y: r.top, W: r.width, H: r.height}; })()`))
	if err != nil || r.W == 0 {
		b.t.Fatalf("no box for %s: %v", sel, err)
	}
	return r
}

// place is the box of the first element matching sel where it is now, without scrolling.
func (b *tab) place(sel string) box {
	b.t.Helper()
	r, err := chromedp.Run(b.ctx, chromedp.Evaluate[box](`(() => { const r = document.querySelector(`+jsString(sel)+`).getBoundingClientRect();
		return {X: r.left, Y: r.top, W: r.width, H: r.height}; })()`))
	if err != nil {
		b.t.Fatalf("no box for %s: %v", sel, err)
	}
	return r
}

// mouseDrag presses the left button at one point, moves to the other in steps and releases
// it there: plain mouse events, as a hand on a mouse sends them.
func (b *tab) mouseDrag(x0, y0, x1, y1 float64, steps int) {
	b.t.Helper()
	acts := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x0, y0, chromedp.ButtonLeft, chromedp.ClickCount(1))}
	for i := 1; i <= steps; i++ {
		f := float64(i) / float64(steps)
		acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*f, y0+(y1-y0)*f, chromedp.ButtonLeft))
	}
	acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x1, y1, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	b.do(acts...)
}

// eval runs a script on the page and returns its value.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor waits until the expression is true on the page, across a navigation the page starts
// itself (a script's location.assign), which ends one evaluation and starts a new page.
func (b *tab) waitFor(expr string) {
	b.t.Helper()
	var last error
	for try := 0; try < 10; try++ {
		_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(3*time.Second)))
		if err == nil {
			return
		}
		last = err
	}
	b.t.Fatalf("waiting for %s: %v", expr, last)
}

// markPage marks the page, so that waitNewPage can tell when the next one has loaded.
func (b *tab) markPage() { eval[bool](b, `window.__oldPage = true`) }

// waitNewPage waits for the page the script navigated to.
func (b *tab) waitNewPage() {
	b.t.Helper()
	b.waitFor(`!window.__oldPage && document.readyState === "complete"`)
}

const (
	cardSel  = `.qcard[role=dialog]`
	inCard   = `document.activeElement && document.activeElement.closest(".qcard") !== null`
	flashSel = `.flash`
)

// TestQuickCardQuickCreateAndDrag works My Calendar from the calendar itself, as issue 14 asks:
// a quick create in the week, moving and resizing by dragging and by keyboard, the quick card
// with Escape and Delete, a repeating event asking which dates, a drag across hours creating.
func TestQuickCardQuickCreateAndDrag(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Now().In(berlin)
	monday := time.Date(now.Year(), now.Month(), now.Day()+7-(int(now.Weekday())+6)%7, 0, 0, 0, 0, berlin)
	tue, wed, thu := monday.AddDate(0, 0, 1).Format("2006-01-02"), monday.AddDate(0, 0, 2).Format("2006-01-02"), monday.AddDate(0, 0, 3).Format("2006-01-02")
	week := "/calendar?view=week&date=" + tue
	b.open(week)

	// Quick create: a click on Tuesday 10:00 opens a card with the title field focused.
	b.do(chromedp.Click(chromedp.CSS(`.week-col[data-date="` + tue + `"] .slot[data-start="` + tue + `T10:00"]`)))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel)))
	if !eval[bool](b, `document.activeElement.name === "title"`) {
		t.Fatal("the quick create card does not focus its title")
	}
	if got := b.text(cardSel); !strings.Contains(got, "10:00 – 11:00") {
		t.Fatalf("quick create card: %q", got)
	}
	b.markPage()
	b.do(chromedp.SendKeys(chromedp.CSS(cardSel+` input[name=title]`), "Design review"+kb.Enter))
	b.waitNewPage()
	chip := `.week-col[data-date="` + tue + `"] a.ev[aria-label^="Design review"]`
	if !b.has(chip) || !strings.Contains(b.text(flashSel), "Event created") {
		t.Fatalf("after quick create: chip %v, flash %q, %s: %s", b.has(chip), b.text(flashSel), b.location(), eval[string](b, `Array.from(document.querySelectorAll(".week-col a.ev")).map(e => e.closest(".week-col").dataset.date + " " + e.getAttribute("aria-label")).join("\\n")`))
	}
	if p := b.location(); p.Path != "/calendar" || p.Query().Get("view") != "week" {
		t.Fatalf("quick create returns to %s", p)
	}

	// Drag to Wednesday one hour later.
	r := b.rect(chip)
	hour := eval[float64](b, `document.querySelector(".week-col .slot").getBoundingClientRect().height`)
	col := b.place(`.week-col[data-date="` + wed + `"]`)
	b.markPage()
	b.do(chromedp.DragAndDropXY(r.cx(), r.Y+5, col.cx(), r.Y+5+hour, 8))
	b.waitNewPage()
	moved := `.week-col[data-date="` + wed + `"] a.ev[aria-label^="Design review, 11:00 – 12:00"]`
	if !b.has(moved) {
		t.Fatalf("the drag did not move the event to Wednesday 11:00:\n%s", b.text(".week"))
	}
	if !strings.Contains(b.text(flashSel), "Moved") {
		t.Errorf("no flash after the move: %q", b.text(flashSel))
	}

	// Resize: its lower edge half an hour down.
	r = b.rect(moved)
	b.markPage()
	b.do(chromedp.DragAndDropXY(r.cx(), r.Y+r.H-2, r.cx(), r.Y+r.H-2+hour/2, 6))
	b.waitNewPage()
	resized := `.week-col[data-date="` + wed + `"] a.ev[aria-label^="Design review, 11:00 – 12:30"]`
	if !b.has(resized) {
		t.Fatalf("the resize did not end the event at 12:30:\n%s", b.text(".week"))
	}

	// Keyboard: Alt+Down moves it by 15 minutes.
	b.do(chromedp.Focus(chromedp.CSS(resized)))
	b.markPage()
	b.do(chromedp.KeyEvent(kb.ArrowDown, chromedp.KeyModifiers(chromedp.ModifierAlt)))
	b.waitNewPage()
	later := `.week-col[data-date="` + wed + `"] a.ev[aria-label^="Design review, 11:15 – 12:45"]`
	if !b.has(later) {
		t.Fatalf("Alt+Down did not move the event by 15 minutes:\n%s", b.text(".week"))
	}

	// The card: a click opens it with the focus inside; Escape closes it and gives the focus back.
	b.do(chromedp.Click(chromedp.CSS(later)))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel)))
	if !eval[bool](b, inCard) {
		t.Error("the card does not take the focus")
	}
	text := b.text(cardSel)
	for _, want := range []string{"Design review", "11:15 – 12:45", "Europe/Berlin", "Organizer", "Alice", "Delete", "Edit", "Open"} {
		if !strings.Contains(text, want) {
			t.Errorf("the card lacks %q:\n%s", want, text)
		}
	}
	b.do(chromedp.KeyEvent(kb.Escape))
	b.do(chromedp.WaitNotPresent(chromedp.CSS(cardSel)))
	if !eval[bool](b, `document.activeElement.matches(`+jsString(later)+`)`) {
		t.Error("Escape does not give the focus back to the instance")
	}

	// Delete from the card.
	b.do(chromedp.Click(chromedp.CSS(later)))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel)))
	b.follow(cardSel + ` .qcard-delete button.danger`)
	if b.has(later) || !strings.Contains(b.text(flashSel), "Deleted the event") {
		t.Fatalf("after Delete in the card: still there %v, flash %q", b.has(later), b.text(flashSel))
	}

	// A repeating event asks which dates, "this and following" first; "this instance" moves one.
	standup := `.week-col a.ev[data-recurring][data-movable][aria-label^="Team standup, 09:00"]`
	if !b.has(standup) {
		t.Fatalf("no standup to move in the week:\n%s", b.text(".week"))
	}
	date := eval[string](b, `document.querySelector(`+jsString(standup)+`).closest(".week-col").dataset.date`)
	before := eval[int](b, `document.querySelectorAll(".week-col a.ev[aria-label^='Team standup, 09:00']").length`)
	r = b.rect(standup)
	b.do(chromedp.DragAndDropXY(r.cx(), r.Y+4, r.cx(), r.Y+4+2*hour, 8))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel + ` form.qcard-move`)))
	if !eval[bool](b, `document.querySelector(".qcard input[value=following]").checked`) {
		t.Error("the move of a repeating event does not default to this and following")
	}
	b.do(chromedp.Click(chromedp.CSS(cardSel + ` input[value=instance]`)))
	b.markPage()
	b.do(chromedp.Click(chromedp.CSS(cardSel + ` button[type=submit]`)))
	b.waitNewPage()
	if !b.has(`.week-col[data-date="` + date + `"] a.ev[aria-label^="Team standup, 11:00"]`) {
		t.Fatalf("the instance did not move to 11:00:\n%s", b.text(".week"))
	}
	if after := eval[int](b, `document.querySelectorAll(".week-col a.ev[aria-label^='Team standup, 09:00']").length`); after != before-1 {
		t.Errorf("%d standups left at 09:00, want %d: only this instance moves", after, before-1)
	}

	// A drag across Thursday 14:00 to 15:30 opens the quick create for that time.
	top := b.rect(`.week-col[data-date="` + thu + `"] .slot[data-start="` + thu + `T14:00"]`)
	b.do(chromedp.DragAndDropXY(top.cx(), top.Y+2, top.cx(), top.Y+1.5*hour+1, 8))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel)))
	if got := b.text(cardSel); !strings.Contains(got, "14:00 – 15:30") {
		t.Errorf("a drag from 14:00 to 15:30 opens %q", got)
	}
	b.screenshot("week-quick-create.png")
}

// TestQuickCardAnswersAndOpensTheDetails answers from the card in the month, with a scope,
// and opens the details page from it; the keyboard reaches the card's controls.
func TestQuickCardAnswersAndOpensTheDetails(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	b.open("/calendar")
	invited := `.month a.ev[aria-label^="Lunch & learn"]`
	if !b.has(invited) {
		t.Fatal("the demo month has no lunch & learn, the repeating event alice answered")
	}
	b.do(chromedp.Focus(chromedp.CSS(invited)), chromedp.KeyEvent(kb.Enter))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel + ` .qcard-rsvp`)))
	if !eval[bool](b, inCard) {
		t.Fatal("Enter on an instance does not move the focus into its card")
	}
	options := eval[string](b, `Array.from(document.querySelectorAll(".qcard select[name=scope] option")).map(o => o.textContent).join("|")`)
	if options != "This instance|This and following|All instances" {
		t.Errorf("answer scopes %q", options)
	}
	b.screenshot("month-quick-card.png")
	b.do(chromedp.SetValue(chromedp.CSS(cardSel+` select[name=scope]`), "following"))
	b.follow(cardSel + ` button[name=response][value=yes]`)
	if got := b.text(flashSel); got != "You answered Yes for this and following dates." {
		t.Errorf("flash after answering in the card: %q", got)
	}
	if p := b.location().Path; p != "/calendar" {
		t.Errorf("answering in the card leads to %s, want back to the calendar", p)
	}
	// Open leads to the details page.
	b.do(chromedp.Click(chromedp.CSS(invited)))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel)))
	b.follow(cardSel + ` .actions a.btn:last-child`)
	if p := b.location().Path; !strings.HasPrefix(p, "/events/") {
		t.Errorf("Open in the card leads to %s", p)
	}
	if !strings.Contains(b.text(".rsvp"), "Yes") {
		t.Error(fmt.Sprintf("the details page does not show the answer: %q", b.text(".rsvp")))
	}
}

// TestMonthQuickCreateAndDragToAnotherDay creates an all-day event from an empty day of the
// month and drags its bar two days on.
func TestMonthQuickCreateAndDragToAnotherDay(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s)
	b.signIn("alice@example.com")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Now().In(berlin)
	// A Monday two weeks on, in the month shown.
	day := time.Date(now.Year(), now.Month(), now.Day()+14-(int(now.Weekday())+6)%7, 0, 0, 0, 0, berlin)
	from, to := day.Format("2006-01-02"), day.AddDate(0, 0, 2).Format("2006-01-02")
	b.open("/calendar?date=" + from)
	r := b.rect(`.day[data-date="` + from + `"]`)
	b.do(chromedp.MouseClickXY(r.X+r.W/2, r.Y+r.H-8))
	b.do(chromedp.WaitVisible(chromedp.CSS(cardSel)))
	if got := b.text(cardSel); !strings.Contains(got, "all day") {
		t.Fatalf("quick create on a day of the month: %q", got)
	}
	b.markPage()
	b.do(chromedp.SendKeys(chromedp.CSS(cardSel+` input[name=title]`), "Conference"+kb.Enter))
	b.waitNewPage()
	bar := `.month-bars a.ev.bar[data-movable][aria-label^="Conference"]`
	if !b.has(bar) {
		t.Fatalf("no bar for the new all-day event:\n%s", b.text(".month"))
	}
	r = b.rect(bar)
	target := b.place(`.day[data-date="` + to + `"]`)
	b.markPage()
	b.mouseDrag(r.X+10, r.cy(), target.cx(), r.cy(), 8)
	b.waitNewPage()
	style := eval[string](b, `(document.querySelector(`+jsString(bar)+`) || {getAttribute: () => ""}).getAttribute("style")`)
	wd := int(day.AddDate(0, 0, 2).Weekday()+6)%7 + 1
	if !strings.Contains(style, fmt.Sprintf("grid-column: %d / span 1", wd)) {
		t.Fatalf("after the drag the bar is at %q, want column %d", style, wd)
	}
}
