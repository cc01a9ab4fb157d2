package fakeoutlook

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The Outlook pages, through HTTP as a browser uses them; what they did is read back with
// the snapshots a test's Outlook user sees.

// browser is a person at the Outlook pages: cookies kept, redirects not followed.
type browser struct {
	t     *testing.T
	f     *fixture
	hc    *http.Client
	token string
}

type webReply struct {
	status   int
	body     string
	location string
}

func newBrowser(t *testing.T, f *fixture) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, f: f, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) webReply {
	b.t.Helper()
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return webReply{status: res.StatusCode, body: string(body), location: res.Header.Get("Location")}
}

func (b *browser) get(path string) webReply {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.f.srv.URL+path, nil)
	return b.do(req)
}

// post sends a form with the token the pages put in their forms.
func (b *browser) post(path string, form url.Values) webReply {
	b.t.Helper()
	if _, ok := form["token"]; !ok {
		form.Set("token", b.token)
	}
	return b.postRaw(path, form)
}

func (b *browser) postRaw(path string, form url.Values) webReply {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// must expects a status.
func (p webReply) must(t *testing.T, status int) webReply {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d: %s", p.status, status, p.body)
	}
	return p
}

var formToken = regexp.MustCompile(`name="token" value="([^"]+)"`)

// signIn picks a mailbox on the sign-in page.
func (b *browser) signIn(email string) {
	b.t.Helper()
	p := b.get("/outlook/?mailbox="+url.QueryEscape(email)).must(b.t, http.StatusOK)
	m := formToken.FindStringSubmatch(p.body)
	if m == nil || !strings.Contains(p.body, email) {
		b.t.Fatalf("the sign-in page has no form for %s: %s", email, p.body)
	}
	b.token = m[1]
	p = b.post("/outlook/signin", url.Values{"mailbox": {email}}).must(b.t, http.StatusSeeOther)
	if p.location != "/outlook/calendar" {
		b.t.Fatalf("signed in to %q, want the calendar", p.location)
	}
}

// webFixture is a fake whose pages show Berlin time, with ada signed in.
func webFixture(t *testing.T) (*fixture, *browser) {
	t.Helper()
	f := newFixture(t, Options{DemoTimeZone: "Europe/Berlin"})
	for _, e := range []string{"ada@example.com", "bob@example.com"} {
		if _, err := f.fake.AddMailbox(e, ""); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, f)
	b.signIn("ada@example.com")
	return f, b
}

var berlin = func() *time.Location { loc, _ := time.LoadLocation("Europe/Berlin"); return loc }()

// mondays is a series of ada's on Mondays at 09:00 Berlin from 6 January 2025, with bob
// invited.
func mondays(t *testing.T, f *fixture) Event {
	t.Helper()
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, berlin)
	ev, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Planning", Location: "Room 1", Start: start,
		End: start.Add(time.Hour), TimeZone: "Europe/Berlin", Attendees: []string{"bob@example.com"}, Recurrence: weekly("monday")})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// occurrence returns the instance of a series that starts on a date (Berlin).
func occurrence(t *testing.T, f *fixture, email, masterID string, y int, m time.Month, d int) Event {
	t.Helper()
	from := time.Date(y, m, d, 0, 0, 0, 0, berlin)
	list, err := f.fake.Instances(email, masterID, from, from.AddDate(0, 0, 1))
	if err != nil || len(list) != 1 {
		t.Fatalf("instances on %d-%d-%d: %v %v", y, m, d, list, err)
	}
	return list[0]
}

// when is the date and time fields of a form.
func when(start, end time.Time) url.Values {
	s, e := start.In(berlin), end.In(berlin)
	return url.Values{"start_date": {s.Format(dateLayout)}, "start_time": {s.Format(clockLayout)},
		"end_date": {e.Format(dateLayout)}, "end_time": {e.Format(clockLayout)}}
}

func with(v url.Values, kv ...string) url.Values {
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestWebSignInShowsTheWeekAndTheMonth(t *testing.T) {
	f, b := webFixture(t)
	series := mondays(t, f)
	if p := newBrowser(t, f).get("/outlook/calendar"); p.status != http.StatusSeeOther || p.location != "/outlook/" {
		t.Errorf("the calendar without signing in: %d to %q, want the sign-in page", p.status, p.location)
	}
	p := b.get("/outlook/calendar?view=week&date=2025-01-08").must(t, http.StatusOK)
	for _, want := range []string{"Week of Mon 6 Jan 2025", "09:00–10:00", "Planning", "Room 1", "Europe/Berlin",
		"date=2024-12-30", "date=2025-01-13", "Ada &lt;ada@example.com&gt;"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the week lacks %q:\n%s", want, p.body)
		}
	}
	occ := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 6)
	// html/template writes percent-escapes in lower case.
	if !strings.Contains(strings.ToLower(p.body), strings.ToLower("/outlook/event?id="+url.QueryEscape(occ.ID))) {
		t.Errorf("the week does not link the occurrence %s", occ.ID)
	}
	p = b.get("/outlook/calendar?view=month&date=2025-01-08").must(t, http.StatusOK)
	if n := strings.Count(p.body, ">Planning</a>"); n != 4 {
		t.Errorf("January shows %d occurrences of the series, want 4 (Mondays 6 to 27)", n)
	}
	// bob sees the meeting with its organizer and his answer.
	bob := newBrowser(t, f)
	bob.signIn("bob@example.com")
	p = bob.get("/outlook/calendar?date=2025-01-06").must(t, http.StatusOK)
	if !strings.Contains(p.body, "from ada@example.com, Not responded") {
		t.Errorf("bob's week does not show the invitation:\n%s", p.body)
	}
	b.get("/outlook/calendar?view=year").must(t, http.StatusBadRequest)
	b.post("/outlook/signout", url.Values{}).must(t, http.StatusSeeOther)
	if p := b.get("/outlook/calendar"); p.status != http.StatusSeeOther {
		t.Errorf("the calendar after signing out: %d", p.status)
	}
}

func TestWebChangesOneOccurrence(t *testing.T) {
	f, b := webFixture(t)
	series := mondays(t, f)
	occ := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 13)
	b.get("/outlook/event?id="+url.QueryEscape(occ.ID)).must(t, http.StatusOK)
	before, _ := f.fake.MessagesReceived("bob@example.com")
	start := time.Date(2025, 1, 13, 14, 0, 0, 0, berlin)
	p := b.post("/outlook/occurrence/change", with(when(start, start.Add(30*time.Minute)),
		"id", occ.ID, "subject", "Planning (afternoon)", "location", "Room 1")).must(t, http.StatusSeeOther)
	if !strings.Contains(p.location, "done=changed") {
		t.Errorf("after the change: %q", p.location)
	}
	got := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 13)
	if got.Type != "exception" || got.ID != occ.ID || got.Subject != "Planning (afternoon)" || !got.Start.Equal(start) ||
		!got.End.Equal(start.Add(30*time.Minute)) || got.Location != "Room 1" {
		t.Errorf("the occurrence after the change: %+v", got)
	}
	if got.ChangeKey == occ.ChangeKey {
		t.Error("the change key did not change")
	}
	if other := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 20); other.Type != "occurrence" {
		t.Errorf("another occurrence changed too: %+v", other)
	}
	after, _ := f.fake.MessagesReceived("bob@example.com")
	if after.Updates != before.Updates+1 {
		t.Errorf("bob got %d updates, want 1", after.Updates-before.Updates)
	}
	// The same form again changes nothing, and sends nothing.
	p = b.post("/outlook/occurrence/change", with(when(start, start.Add(30*time.Minute)),
		"id", occ.ID, "subject", "Planning (afternoon)", "location", "Room 1")).must(t, http.StatusSeeOther)
	if again, _ := f.fake.MessagesReceived("bob@example.com"); !strings.Contains(p.location, "done=unchanged") || again != after {
		t.Errorf("an unchanged form: %q, bob's messages %+v then %+v", p.location, after, again)
	}
	// An all-day occurrence: midnight to midnight in the series' zone.
	b.post("/outlook/occurrence/change", with(when(start, start), "id", occ.ID, "subject", "Planning (afternoon)",
		"location", "", "all_day", "1", "end_date", "2025-01-13")).must(t, http.StatusSeeOther)
	got = occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 13)
	if !got.IsAllDay || !got.Start.Equal(time.Date(2025, 1, 13, 0, 0, 0, 0, berlin)) || !got.End.Equal(time.Date(2025, 1, 14, 0, 0, 0, 0, berlin)) || got.Location != "" {
		t.Errorf("the occurrence made all-day: %+v", got)
	}
}

func TestWebDeletesOneOccurrence(t *testing.T) {
	f, b := webFixture(t)
	series := mondays(t, f)
	occ := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 20)
	p := b.post("/outlook/occurrence/delete", url.Values{"id": {occ.ID}}).must(t, http.StatusSeeOther)
	if !strings.Contains(p.location, "calendar") || !strings.Contains(p.location, "date=2025-01-20") {
		t.Errorf("after the delete: %q, want the calendar on its day", p.location)
	}
	got, _ := f.fake.GetEvent("ada@example.com", series.ID)
	if len(got.CancelledOccurrences) != 1 || !got.CancelledOccurrences[0].Equal(occ.OriginalStart) {
		t.Errorf("cancelled occurrences %v, want %v", got.CancelledOccurrences, occ.OriginalStart)
	}
	b.get("/outlook/event?id="+url.QueryEscape(occ.ID)).must(t, http.StatusNotFound)
}

func TestWebSplitsThisAndAllFollowing(t *testing.T) {
	f, b := webFixture(t)
	series := mondays(t, f)
	occ := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 20)
	p := b.get("/outlook/event?id="+url.QueryEscape(occ.ID)).must(t, http.StatusOK)
	if !strings.Contains(p.body, "This and all following") {
		t.Fatal("the occurrence's page offers no split")
	}
	if first := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 6); strings.Contains(
		b.get("/outlook/event?id="+url.QueryEscape(first.ID)).body, "This and all following") {
		t.Error("the first occurrence offers a split, which is an edit of the whole series")
	}
	start := time.Date(2025, 1, 20, 9, 0, 0, 0, berlin)
	p = b.post("/outlook/occurrence/split", with(when(start, start.Add(time.Hour)),
		"id", occ.ID, "subject", "Planning (new room)", "location", "Room 7")).must(t, http.StatusSeeOther)
	old, _ := f.fake.GetEvent("ada@example.com", series.ID)
	if r := old.Recurrence.Range; r.Type != "endDate" || r.EndDate != "2025-01-13" {
		t.Errorf("the old series' range after the split: %+v, want to end on 13 January", r)
	}
	ns, err := f.fake.FindEvent("ada@example.com", "Planning (new room)")
	if err != nil {
		t.Fatal(err)
	}
	if ns.ID == series.ID || ns.ICalUID == series.ICalUID || !ns.Start.Equal(start) || ns.Location != "Room 7" ||
		ns.Recurrence == nil || ns.Recurrence.Range.StartDate != "2025-01-20" {
		t.Errorf("the new series: %+v", ns)
	}
	if !strings.Contains(p.location, url.QueryEscape(ns.ID)) || !strings.Contains(p.location, "done=split") {
		t.Errorf("after the split: %q, want the new series", p.location)
	}
}

func TestWebChangesTheWholeSeries(t *testing.T) {
	f, b := webFixture(t)
	series := mondays(t, f)
	occ := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 13)
	if err := f.fake.DeleteOccurrence("ada@example.com", series.ID, occ.OriginalStart); err != nil {
		t.Fatal(err)
	}
	b.get("/outlook/event?id="+url.QueryEscape(series.ID)).must(t, http.StatusOK)
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, berlin)
	form := func(kv ...string) url.Values {
		return with(when(start, start.Add(time.Hour)), append([]string{"id", series.ID, "subject", "Planning",
			"location", "Room 1", "repeat", "weekly", "interval", "1", "ends", "never"}, kv...)...)
	}
	keyBefore, _ := f.fake.GetEvent("ada@example.com", series.ID)
	unchanged := form()
	unchanged["days"] = []string{"monday"}
	p := b.post("/outlook/series/change", unchanged).must(t, http.StatusSeeOther)
	if now, _ := f.fake.GetEvent("ada@example.com", series.ID); !strings.Contains(p.location, "done=unchanged") || now.ChangeKey != keyBefore.ChangeKey {
		t.Errorf("the series' own values: %q, change key %s then %s; want nothing changed", p.location, keyBefore.ChangeKey, now.ChangeKey)
	}

	changed := form("subject", "Planning (new)", "interval", "2", "ends", "count", "count", "5")
	changed["days"] = []string{"monday", "thursday"}
	b.post("/outlook/series/change", changed).must(t, http.StatusSeeOther)
	got, _ := f.fake.GetEvent("ada@example.com", series.ID)
	r := got.Recurrence
	if got.Subject != "Planning (new)" || r.Pattern.Type != "weekly" || r.Pattern.Interval != 2 ||
		strings.Join(r.Pattern.DaysOfWeek, ",") != "monday,thursday" || r.Range.Type != "numbered" || r.Range.NumberOfOccurrences != 5 {
		t.Errorf("the series after the change: %s, %+v", got.Subject, r)
	}
	if len(got.CancelledOccurrences) != 0 {
		t.Errorf("a new pattern kept the deleted occurrences %v (Outlook drops them)", got.CancelledOccurrences)
	}
	if got.ChangeKey == keyBefore.ChangeKey {
		t.Error("the change key did not change")
	}
	key := got.ChangeKey
	same := form("subject", "Planning (new)", "interval", "2", "ends", "count", "count", "5")
	same["days"] = []string{"monday", "thursday"}
	if p := b.post("/outlook/series/change", same).must(t, http.StatusSeeOther); !strings.Contains(p.location, "done=unchanged") {
		t.Errorf("the same values again: %q, want unchanged", p.location)
	}
	if now, _ := f.fake.GetEvent("ada@example.com", series.ID); now.ChangeKey != key {
		t.Error("the same values again changed the series")
	}

	later := time.Date(2025, 1, 7, 11, 0, 0, 0, berlin)
	daily := with(when(later, later.Add(30*time.Minute)), "id", series.ID, "subject", "Planning (new)", "location", "Room 1",
		"repeat", "daily", "interval", "1", "ends", "date", "until", "2025-01-31")
	b.post("/outlook/series/change", daily).must(t, http.StatusSeeOther)
	got, _ = f.fake.GetEvent("ada@example.com", series.ID)
	if !got.Start.Equal(later) || got.Recurrence.Pattern.Type != "daily" || got.Recurrence.Range.EndDate != "2025-01-31" ||
		got.Recurrence.Range.StartDate != "2025-01-07" {
		t.Errorf("the series moved and made daily: start %s, %+v", got.Start, got.Recurrence)
	}

	b.post("/outlook/event/delete", url.Values{"id": {series.ID}}).must(t, http.StatusSeeOther)
	if _, err := f.fake.GetEvent("ada@example.com", series.ID); err == nil {
		t.Error("the series is still there after its delete")
	}
	if copies, _ := f.fake.Events("bob@example.com"); len(copies) != 1 || !copies[0].IsCancelled {
		t.Errorf("bob's copy after the organizer deleted the series: %+v, want it cancelled", copies)
	}
}

func TestWebCreatesSinglesAndSeries(t *testing.T) {
	f, b := webFixture(t)
	b.get("/outlook/new?date=2025-01-08").must(t, http.StatusOK)
	start := time.Date(2025, 1, 8, 15, 0, 0, 0, berlin)
	p := b.post("/outlook/new", with(when(start, start.Add(45*time.Minute)), "subject", "Dentist",
		"location", "High Street 3", "repeat", "none")).must(t, http.StatusSeeOther)
	single, err := f.fake.FindEvent("ada@example.com", "Dentist")
	if err != nil {
		t.Fatal(err)
	}
	if single.Type != "singleInstance" || !single.Start.Equal(start) || !single.End.Equal(start.Add(45*time.Minute)) ||
		single.Location != "High Street 3" || single.TimeZone != "Europe/Berlin" || !strings.Contains(p.location, url.QueryEscape(single.ID)) {
		t.Errorf("the single: %+v, redirected to %q", single, p.location)
	}

	weeklyForm := with(when(start, start.Add(time.Hour)), "subject", "Review", "repeat", "weekly", "interval", "1",
		"ends", "count", "count", "3", "attendees", "bob@example.com")
	weeklyForm["days"] = []string{"wednesday"}
	b.post("/outlook/new", weeklyForm).must(t, http.StatusSeeOther)
	series, err := f.fake.FindEvent("ada@example.com", "Review")
	if err != nil {
		t.Fatal(err)
	}
	if series.Type != "seriesMaster" || series.Recurrence.Range.NumberOfOccurrences != 3 || len(series.Attendees) != 1 {
		t.Errorf("the series: %+v", series)
	}
	if m, _ := f.fake.MessagesReceived("bob@example.com"); m.Invitations != 1 {
		t.Errorf("bob got %d invitations, want 1", m.Invitations)
	}

	b.post("/outlook/new", with(when(start, start), "subject", "Holiday", "repeat", "none", "all_day", "1",
		"end_date", "2025-01-10")).must(t, http.StatusSeeOther)
	if h, _ := f.fake.FindEvent("ada@example.com", "Holiday"); !h.IsAllDay || !h.End.Equal(time.Date(2025, 1, 11, 0, 0, 0, 0, berlin)) {
		t.Errorf("the all-day event: %+v, want it to end at the midnight after the 10th", h)
	}
}

func TestWebChangesAndDeletesASingle(t *testing.T) {
	f, b := webFixture(t)
	start := time.Date(2025, 1, 8, 15, 0, 0, 0, berlin)
	single, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Dentist", Start: start, End: start.Add(time.Hour), TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	b.post("/outlook/event/change", with(when(start.Add(time.Hour), start.Add(2*time.Hour)), "id", single.ID,
		"subject", "Dentist (later)", "location", "Room 2")).must(t, http.StatusSeeOther)
	got, _ := f.fake.GetEvent("ada@example.com", single.ID)
	if got.Subject != "Dentist (later)" || !got.Start.Equal(start.Add(time.Hour)) || got.Location != "Room 2" {
		t.Errorf("the single after the change: %+v", got)
	}
	b.post("/outlook/occurrence/change", with(when(start, start), "id", single.ID, "subject", "x")).must(t, http.StatusBadRequest)
	b.post("/outlook/event/delete", url.Values{"id": {single.ID}}).must(t, http.StatusSeeOther)
	if _, err := f.fake.GetEvent("ada@example.com", single.ID); err == nil {
		t.Error("the single is still there after its delete")
	}
}

func TestWebAnswersInvitations(t *testing.T) {
	f, _ := webFixture(t)
	series := mondays(t, f)
	bob := newBrowser(t, f)
	bob.signIn("bob@example.com")
	cp, err := f.fake.FindEvent("bob@example.com", "Planning")
	if err != nil {
		t.Fatal(err)
	}
	p := bob.get("/outlook/event?id="+url.QueryEscape(cp.ID)).must(t, http.StatusOK)
	if !strings.Contains(p.body, "Tentative") || strings.Contains(p.body, "Change the whole series") {
		t.Errorf("an attendee's page should offer answers and no changes:\n%s", p.body)
	}
	bob.post("/outlook/event/respond", url.Values{"id": {cp.ID}, "answer": {"accept"}}).must(t, http.StatusSeeOther)
	org, _ := f.fake.GetEvent("ada@example.com", series.ID)
	if len(org.Attendees) != 1 || org.Attendees[0].Status.Response != "accepted" {
		t.Errorf("the organizer's attendees after bob accepted: %+v", org.Attendees)
	}
	if m, _ := f.fake.MessagesReceived("ada@example.com"); m.Responses != 1 {
		t.Errorf("ada received %d responses, want 1", m.Responses)
	}
	bob.post("/outlook/event/respond", url.Values{"id": {cp.ID}, "answer": {"maybe"}}).must(t, http.StatusBadRequest)
	p = bob.post("/outlook/event/respond", url.Values{"id": {cp.ID}, "answer": {"decline"}}).must(t, http.StatusSeeOther)
	if !strings.Contains(p.location, "calendar") {
		t.Errorf("after declining: %q, want the calendar (the meeting leaves it)", p.location)
	}
	if _, err := f.fake.GetEvent("bob@example.com", cp.ID); err == nil {
		t.Error("the declined meeting is still in bob's calendar")
	}
	// The organizer has nothing to answer.
	ada := newBrowser(t, f)
	ada.signIn("ada@example.com")
	ada.post("/outlook/event/respond", url.Values{"id": {series.ID}, "answer": {"accept"}}).must(t, http.StatusBadRequest)
	// And an attendee cannot change the meeting.
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, berlin)
	kickoff, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: "Kickoff", Start: start, End: start.Add(time.Hour),
		TimeZone: "Europe/Berlin", Attendees: []string{"bob@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	bobsKickoff, _ := f.fake.FindEvent("bob@example.com", "Kickoff")
	bob.post("/outlook/event/change", with(when(start, start.Add(time.Hour)), "id", bobsKickoff.ID, "subject", "Mine now")).
		must(t, http.StatusBadRequest)
	if got, _ := f.fake.GetEvent("ada@example.com", kickoff.ID); got.Subject != "Kickoff" {
		t.Errorf("an attendee changed the organizer's meeting: %q", got.Subject)
	}
}

func TestWebRefusesAFormWithoutItsToken(t *testing.T) {
	f, b := webFixture(t)
	series := mondays(t, f)
	for name, form := range map[string]url.Values{
		"missing": {"id": {series.ID}},
		"wrong":   {"id": {series.ID}, "token": {b.token[:len(b.token)-1] + "x"}},
		"empty":   {"id": {series.ID}, "token": {""}},
	} {
		t.Run(name, func(t *testing.T) {
			b.postRaw("/outlook/event/delete", form).must(t, http.StatusForbidden)
			if _, err := f.fake.GetEvent("ada@example.com", series.ID); err != nil {
				t.Error("a form without its token deleted the series")
			}
		})
	}
	newBrowser(t, f).postRaw("/outlook/signin", url.Values{"mailbox": {"ada@example.com"}}).must(t, http.StatusForbidden)
}

func TestWebNamesWhatIsWrongWithAForm(t *testing.T) {
	f, b := webFixture(t)
	series := mondays(t, f)
	occ := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 13)
	start := time.Date(2025, 1, 13, 9, 0, 0, 0, berlin)
	tests := []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"a time that is none", "/outlook/occurrence/change", with(when(start, start), "id", occ.ID, "subject", "x", "start_time", "25:00"), "Start time"},
		{"no date", "/outlook/occurrence/change", with(when(start, start), "id", occ.ID, "subject", "x", "end_date", ""), "End date is missing"},
		{"the end before the start", "/outlook/occurrence/change", with(when(start, start.Add(-time.Hour)), "id", occ.ID, "subject", "x"), "cannot end before"},
		{"no subject", "/outlook/occurrence/change", with(when(start, start), "id", occ.ID, "subject", " "), "Subject"},
		{"onto the next occurrence's day", "/outlook/occurrence/change", with(when(start.AddDate(0, 0, 7), start.AddDate(0, 0, 7).Add(time.Hour)), "id", occ.ID, "subject", "Planning"), "adjacent occurrence"},
		{"no event", "/outlook/occurrence/delete", url.Values{}, "id is missing"},
		{"weekly without a day", "/outlook/new", with(when(start, start), "subject", "x", "repeat", "weekly", "interval", "1", "ends", "never"), "Days"},
		{"an interval of none", "/outlook/new", with(when(start, start), "subject", "x", "repeat", "daily", "interval", "0", "ends", "never"), "Every"},
		{"a count of none", "/outlook/new", with(when(start, start), "subject", "x", "repeat", "daily", "interval", "1", "ends", "count", "count", "many"), "Ends after"},
		{"an attendee who is no address", "/outlook/new", with(when(start, start), "subject", "x", "repeat", "none", "attendees", "bob"), "Attendees"},
		{"a pattern that ends before it starts", "/outlook/series/change", with(when(start, start.Add(time.Hour)), "id", series.ID, "subject", "Planning", "location", "Room 1", "repeat", "daily", "interval", "1", "ends", "date", "until", "2024-01-01"), "endDate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.post(tt.path, tt.form).must(t, http.StatusBadRequest)
			if !strings.Contains(p.body, tt.want) {
				t.Errorf("the 400 page does not say %q:\n%s", tt.want, p.body)
			}
		})
	}
	if got := occurrence(t, f, "ada@example.com", series.ID, 2025, 1, 13); got.Type != "occurrence" {
		t.Errorf("a refused form changed the occurrence: %+v", got)
	}
}

func TestWebEscapesWhatItShows(t *testing.T) {
	f, b := webFixture(t)
	start := time.Date(2025, 1, 8, 15, 0, 0, 0, berlin)
	ev, err := f.fake.CreateEvent("ada@example.com", EventSpec{Subject: `<script>alert("x")</script>`, Location: `"><img src=x onerror=alert(1)>`,
		Start: start, End: start.Add(time.Hour), TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/outlook/calendar?date=2025-01-08", "/outlook/event?id=" + url.QueryEscape(ev.ID)} {
		p := b.get(path).must(t, http.StatusOK)
		if strings.Contains(p.body, "<script>") || strings.Contains(p.body, "<img") {
			t.Errorf("%s shows markup from the event unescaped:\n%s", path, p.body)
		}
		if !strings.Contains(p.body, "&lt;script&gt;") {
			t.Errorf("%s does not show the subject escaped", path)
		}
	}
	if p := b.get("/outlook/event?id=%3Cscript%3E"); strings.Contains(p.body, "<script>") {
		t.Errorf("an error page shows markup from the URL:\n%s", p.body)
	}
}

func TestWebRendersEveryPage(t *testing.T) {
	var logs bytes.Buffer
	f := newFixture(t, Options{DemoTimeZone: "Europe/Berlin", Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err := f.fake.SeedDemo("ada@example.com", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	visit := func(b *browser, path string, status int) {
		t.Helper()
		p := b.get(path).must(t, status)
		if !strings.HasSuffix(strings.TrimSpace(p.body), "</html>") {
			t.Errorf("%s ends early:\n%s", path, p.body)
		}
		seen[path] = true
	}
	for _, email := range []string{"ada@example.com", "bob@example.com"} {
		b := newBrowser(t, f)
		visit(b, "/outlook/", http.StatusOK)
		b.signIn(email)
		visit(b, "/outlook/calendar", http.StatusOK)
		visit(b, "/outlook/calendar?view=month", http.StatusOK)
		visit(b, "/outlook/new", http.StatusOK)
		visit(b, "/outlook/nothing", http.StatusNotFound)
		now := f.clock.Now()
		list, _ := f.fake.CalendarView(email, now.AddDate(0, 0, -21), now.AddDate(0, 1, 0))
		kinds := map[string]bool{}
		for _, e := range list {
			visit(b, "/outlook/event?id="+url.QueryEscape(e.ID), http.StatusOK)
			kinds[e.Type] = true
			if e.SeriesMasterID != "" {
				visit(b, "/outlook/event?id="+url.QueryEscape(e.SeriesMasterID), http.StatusOK)
			}
		}
		for _, k := range []string{"singleInstance", "occurrence", "exception"} {
			if !kinds[k] {
				t.Errorf("%s's demo calendar has no %s to show", email, k)
			}
		}
	}
	if strings.Contains(logs.String(), "page failed") {
		t.Errorf("a page failed to render:\n%s", logs.String())
	}
	if len(seen) < 20 {
		t.Errorf("only %d pages visited", len(seen))
	}
	index := newBrowser(t, f).get("/").must(t, http.StatusOK)
	if !strings.Contains(index.body, `href="/outlook/?mailbox=ada%40example.com"`) {
		t.Errorf("the fake's home page does not link ada's Outlook:\n%s", index.body)
	}
}

// The calendar page lists the mailbox's calendars and shows a secondary one's events (a
// published space's copies) on its own, not in the main calendar.
func TestWebShowsASecondaryCalendar(t *testing.T) {
	f, b := webFixture(t)
	calID := f.newCalendar(f.token("ada@example.com"), "/me", "Engineering")
	body := map[string]any{"subject": "Engineering demo", "start": map[string]any{"dateTime": "2025-01-10T14:00:00", "timeZone": "UTC"},
		"end": map[string]any{"dateTime": "2025-01-10T15:00:00", "timeZone": "UTC"}}
	f.must(http.StatusCreated, call{method: "POST", path: "/me/calendars/" + url.PathEscape(calID) + "/events", token: f.token("ada@example.com"), body: body})
	p := b.get("/outlook/calendar?view=week&date=2025-01-08").must(t, http.StatusOK)
	if strings.Contains(p.body, "Engineering demo") || !strings.Contains(p.body, "Calendars:") || !strings.Contains(p.body, ">Engineering</a>") {
		t.Fatalf("the main calendar's week:\n%s", p.body)
	}
	p = b.get("/outlook/calendar?view=week&date=2025-01-08&cal="+url.QueryEscape(calID)).must(t, http.StatusOK)
	if !strings.Contains(p.body, "Engineering demo") || !strings.Contains(p.body, "<strong>Engineering</strong>") {
		t.Fatalf("the Engineering calendar's week:\n%s", p.body)
	}
	b.get("/outlook/calendar?cal=nope").must(t, http.StatusBadRequest)
}
