package pages

import (
	"strings"
	"testing"
	"time"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/app/view"
)

// pageSamples holds sample data for every page of this package. A page without a sample
// fails the test, so a new template cannot ship without being rendered once. Text fields
// carry markup, which must come out escaped.
func pageSamples() map[string]any {
	v := &accounts.Viewer{UserID: 1, Email: "anna@example.com", Name: "Anna <b>Berg</b>", TimeZone: "Europe/Berlin", IsAdmin: true}
	signedIn := view.Page{Title: "T", Viewer: v, CSRFToken: "tok", Flash: "Saved.", Undo: &view.UndoNotice{Token: "UNDO", Seconds: 30}}
	evil := "<b>Berg</b>"
	c := chip{URL: "/events/1?instance=2026-03-02T08%3A00%3A00Z", Title: evil, Time: "09:00", TimeRange: "09:00 – 10:00",
		Location: evil, Class: "ev ev-private ev-changed", Label: evil, Private: true, Changed: true, EventZone: "03:00 – 04:00 America/New_York"}
	cal := calendarPage{Page: signedIn, View: viewMonth, Heading: "March 2026", Date: "2026-03-02", PrevURL: "/calendar?date=2026-02-01",
		NextURL: "/calendar?date=2026-04-01", TodayURL: "/calendar", MonthURL: "/calendar", WeekURL: "/calendar?view=week",
		AgendaURL: "/calendar?view=agenda", NewURL: "/events/new", ZoneName: "Europe/Berlin", Truncated: true,
		Mini: newMiniMonth(calTarget{}, viewMonth, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC))}
	week := cal
	week.View = viewWeek
	agenda := cal
	agenda.View = viewAgenda
	form := eventFormPage{Page: signedIn, Heading: "Edit event", Action: "/events/1/edit", CancelURL: "/events/1", Version: 3,
		Instance: "2026-03-02T08:00:00Z", InstanceLabel: "Monday 2 March", Recurring: true, Scope: "following",
		Scopes: scopeChoices("following"), ScopeSwitch: "/events/1/edit",
		Form:   eventForm{Title: evil, Description: evil, Location: evil, StartDate: "2026-03-02", StartTime: "09:00", EndDate: "2026-03-02", EndTime: "10:00", TimeZone: "Europe/Berlin", Repeat: newRepeatForm(nil, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), time.UTC, 0)},
		Errors: map[string]string{"title": evil, "rrule": evil, "interval": evil}, FormError: evil,
		Frequencies: []option{{"weekly", "Weekly", true}}, WeekdayBoxes: []option{{"MO", "Monday", true}}, Zones: []string{"UTC"}}
	newForm := form
	newForm.IsNew, newForm.Recurring, newForm.Scope = true, false, ""
	newForm.Form.Invitees, newForm.Errors = evil, map[string]string{"invitees": evil}
	locked := form
	locked.RepeatLocked, locked.RepeatSummary, locked.Scope = true, evil, "instance"
	tokens := []view.TokenRow{{ID: 7, Name: evil, Prefix: "cal_abcdefgh…", Created: "now", LastUsed: "never", Expires: "never"},
		{ID: 8, Name: evil, Prefix: "cal_…", Created: "now", LastUsed: "now", Expires: "then", Expired: true}}
	ev := eventPage{Page: signedIn, EventID: 1, Version: 2, Instance: "2026-03-02T08:00:00Z", Title: evil, Description: evil, Location: evil,
		When: "Monday", ZoneName: "Europe/Berlin", EventWhen: "x", Repeats: evil, Recurring: true, Private: true,
		Changes: []instanceChange{{"Title", evil}}, Organizer: accounts.Person{Name: evil}, Attendees: []attendeeRow{{Name: evil, Answer: "Going", Class: "ans-yes", Invited: true}},
		MyAnswer: "yes", MyAnswerFrom: "for all dates", RSVPScopes: scopeChoices("instance"), Answers: []option{{"yes", "Yes", true}},
		CanEdit: true, EditURL: "/events/1/edit", DayURL: "/calendar",
		Invite: invitePanel{Query: evil, Searched: true, Recurring: true, Date: "Monday", Results: []inviteCandidate{{ID: 2, Name: evil, Email: "b@example.com"}, {ID: 3, Name: evil, Already: "invited"}}}}
	banner := &spaceBanner{ID: 4, Name: evil, Description: evil, Private: true, Members: 2, Role: "admin", CanManage: true,
		ShowInCalendar: true, URL: "/spaces/4", MembersURL: "/spaces/4/members", SettingsURL: "/spaces/4/settings", CalendarID: 9}
	other := &spaceBanner{ID: 5, Name: evil, Members: 1, CanJoin: true, URL: "/spaces/5"}
	spaceCal := cal
	spaceCal.Space, spaceCal.BaseURL = banner, "/spaces/4"
	spaceNew := newForm
	spaceNew.Form.CalendarID, spaceNew.Form.Space, spaceNew.Form.InviteSpace = 9, banner, true
	spaceEv := ev
	spaceEv.Space = banner
	return map[string]any{
		"spaces.html":          spacesPage{Page: signedIn, Mine: []*spaceBanner{banner}, Others: []*spaceBanner{other}, CanCreate: true},
		"spaces.html#empty":    spacesPage{Page: signedIn},
		"space_form.html":      spaceFormPage{Page: signedIn, Action: "/spaces/new", Name: evil, Description: evil, Errors: map[string]string{"name": evil, "visibility": evil}},
		"space_form.html#edit": spaceFormPage{Page: signedIn, Space: banner, Action: "/spaces/4/settings", Name: evil, Private: true},
		"space_form.html#outlook": spaceFormPage{Page: signedIn, Space: banner, Action: "/spaces/4/settings", Name: evil,
			Outlook: &publishSection{On: true, Action: "/spaces/4/outlook", ConsentMissing: true, Members: []view.PublishRow{
				{Name: evil, Email: evil, State: "consent missing", StateText: "Consent missing", Failing: true, LastPublished: "never", LastRun: "now", Failures: 2, Reason: evil},
				{Name: evil, Email: evil, State: "pending", StateText: "Pending", LastPublished: "never", LastRun: "never"}}}},
		"space_form.html#outlook-off": spaceFormPage{Page: signedIn, Space: banner, Action: "/spaces/4/settings", Name: evil,
			Outlook: &publishSection{Action: "/spaces/4/outlook", SiteReady: true}},
		"space_members.html":        membersPage{Page: signedIn, Space: banner, Members: []memberRow{{UserID: 1, Name: evil, Email: evil, Admin: true, Self: true, RemoveURL: "/spaces/4/members/1/remove"}}, People: evil, Role: "admin", Error: evil},
		"calendar_month.html#space": monthPage{calendarPage: spaceCal, Weekdays: builderWeekdays()},
		"event_form.html#space":     spaceNew,
		"login.html":                loginPage{Page: view.Page{Title: "Sign in"}, Email: "a@example.com", Next: "/x", Error: "Wrong."},
		"login.html#microsoft":      loginPage{Page: view.Page{Title: "Sign in"}, Email: evil, Next: evil, Error: evil, Microsoft: true, Outlook: true, PasswordOff: true},
		"calendar_month.html": monthPage{calendarPage: cal, Weekdays: builderWeekdays(), Weeks: []monthWeek{{Days: []monthDay{
			{Date: "2026-03-02", Number: 2, Weekday: "Mon", Label: "Monday 2 March 2026", InMonth: true, Today: true, NewURL: "/events/new?date=2026-03-02", Chips: []chip{c}, More: 3, MoreURL: "/calendar?view=agenda", Banners: []chip{c}}},
			Bars: []bar{{chip: c, Style: "grid-column: 1 / span 1; grid-row: 1"}}, BarLanes: 1, Style: "--bar-lanes: 1"}}},
		"calendar_week.html": gridPage{calendarPage: week, Hours: []string{"09:00"}, GridStyle: "--hours: 1", ZoneAbbr: evil,
			Bars: []bar{{chip: c, Style: "grid-column: 1 / span 2; grid-row: 1", ContinuesAfter: true}}, BarLanes: 1,
			Days: []gridDay{{Date: "2026-03-02", Short: "Mon 2", Label: "Monday 2 March", Today: true, NewURL: "/events/new", DayURL: "/calendar?view=day",
				Slots: []weekSlot{{URL: "/events/new", Label: "New", Start: "2026-03-02T09:00"}},
				Timed: []timedChip{{chip: c, Style: "--top: 1; --len: 1; --lane: 0; --lanes: 1"}}}}},
		"calendar_agenda.html":     agendaPage{calendarPage: agenda, Days: []agendaDay{{Label: "Monday 2 March", Today: true, Items: []chip{c}}}},
		"event.html":               ev,
		"fragment_event_card.html": cardPage{eventPage: ev, Back: "/calendar?date=2026-03-02", DetailsURL: "/events/1?instance=x", DeleteScopes: scopeChoices("instance")},
		"fragment_new_card.html":   newCardPage{Page: signedIn, Form: form.Form, When: evil, Back: "/calendar", MoreOptions: "/events/new?date=2026-03-02"},
		"event_form.html":          form,
		"profile.html": profilePage{Page: signedIn, TimeZone: "Europe/Berlin", Zones: []string{"UTC"}, Now: "Monday", Error: evil,
			HasPassword: true, PasswordErrors: map[string]string{"current": evil, "password": evil, "confirm": evil},
			Tokens: []view.TokenRow{tokens[0]}, NewToken: evil, TokenErrors: map[string]string{"name": evil, "expiresInDays": evil},
			TokenForm: tokenForm{Name: evil, Days: "30", Choices: tokenDayChoices("30")}},
		"profile.html#nopassword": profilePage{Page: signedIn, TimeZone: "UTC", Zones: []string{"UTC"},
			Profile: []view.ProfileRow{{Name: "department", Label: evil, Value: evil, Error: evil, Locked: true}, {Name: "mobilePhone", Label: "M", Value: evil}}},
		"people.html": peoplePage{Page: signedIn, Q: evil, Department: evil, Departments: []string{evil}, Total: 2, More: "/people?page=2",
			People: []personCard{{Name: evil, Email: evil, JobTitle: evil, Department: evil, OfficeLocation: evil, OfficePhone: evil, OfficePhoneTel: telURI("+49 30 1234"), Mobile: evil}}},
		"people.html#none": peoplePage{Page: signedIn, Total: 0},
		"profile.html#feed": profilePage{Page: signedIn, TimeZone: "UTC", Zones: []string{"UTC"},
			Feed: view.FeedLinks{On: true, HTTPS: "https://example.com/feeds/" + evil + ".ics", Webcal: "webcal://example.com/feeds/x.ics", Private: "hidden"}},
		"event_form.html#locked": locked,
		"event_form.html#new":    newForm,
		"search.html": searchPage{Page: signedIn, Query: evil, Searched: true, More: true, Max: 50, Results: []searchRow{
			{URL: "/events/1?instance=x", Title: evil, When: "Monday", Location: evil, Snippet: evil, Upcoming: true, Private: true, Recurring: true},
			{URL: "/events/2?instance=y", Title: evil, When: "Monday"}}},
		"search.html#empty":   searchPage{Page: signedIn, Query: evil, Searched: true},
		"search.html#message": searchPage{Page: signedIn, Message: evil, Error: evil},
	}
}

func TestEveryPageRenders(t *testing.T) {
	r, err := view.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	// The Control Panel's pages render in its package's test, the error and sync pages in
	// app's, the import page in feeds', the sign-in's in signin's.
	apptest.EveryPageRenders(t, r, pageSamples(), func(name string) bool {
		return !strings.HasPrefix(name, "cp_") && name != "error.html" && name != "sync.html" && name != "import.html" && name != "signin_error.html"
	})
}
