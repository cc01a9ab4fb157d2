package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

func TestCreateEventWithTheRepeatBuilder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		alice := h.as("alice@example.com")
		status, body := alice.page("/events/new?date=2026-03-04&time=14:00")
		if status != http.StatusOK || fieldValue(t, body, "startDate") != "2026-03-04" || fieldValue(t, body, "startTime") != "14:00" ||
			fieldValue(t, body, "endTime") != "15:00" || fieldValue(t, body, "timeZone") != "Europe/Berlin" {
			t.Fatalf("the new-event form does not start at the clicked slot in the viewer's zone (status %d)", status)
		}
		form := formOf(t, body)
		form.Set("title", "Design review")
		form.Set("freq", "monthly")
		form.Set("monthMode", "day")
		form.Set("monthDay", "31")
		form.Set("ends", "count")
		form.Set("count", "6")
		form.Set("privacy", "private")
		res, body := alice.submit("/events/new", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: status %d:\n%s", res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/events/") {
			t.Fatalf("create goes to %q, want the event", loc)
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/events/"), 10, 64)
		if err != nil {
			t.Fatalf("create goes to %q: %v", loc, err)
		}
		e := h.reload(id)
		seg := e.Segments[0]
		if seg.Title != "Design review" || e.Privacy != calendar.Private || seg.Rule == nil ||
			seg.Rule.String() != "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT=6" || seg.TimeZone != "Europe/Berlin" {
			t.Fatalf("stored %+v rule %v", seg, seg.Rule)
		}
		status, body = alice.page(loc)
		if status != http.StatusOK || !strings.Contains(body, "Event created.") || !strings.Contains(body, "Every month on day 31 (or the month&#39;s last day), 6 times") {
			t.Errorf("the new event's page (status %d) lacks the flash or the rule in words", status)
		}
	})
}

func TestEventFormShowsMessagesNextToTheFields(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	_, body := alice.page("/events/new?date=2026-03-04")
	form := formOf(t, body)
	tests := []struct {
		name   string
		change map[string]string
		want   []string // ids of the messages
	}{
		{"no title", map[string]string{"title": ""}, []string{`id="title-err"`}},
		{"end before start", map[string]string{"title": "x", "endTime": "08:00"}, []string{`id="end-err"`}},
		{"unknown zone", map[string]string{"title": "x", "timeZone": "Mars/Olympus"}, []string{`id="tz-err"`}},
		{"builder mistakes", map[string]string{"title": "x", "freq": "weekly", "interval": "0", "ends": "count", "count": "abc"},
			[]string{`id="interval-err"`, "Pick at least one weekday.", "Enter a number of occurrences"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Del("weekdays")
			for k, v := range tt.change {
				f.Set(k, v)
			}
			res, body := alice.submit("/events/new", f)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if tt.change["title"] == "x" && fieldValue(t, body, "title") != "x" {
				t.Error("the form came back without what was typed")
			}
		})
	}
}

// seriesHarness has Alice's weekly standup on Mondays, ten times from 2 March 2026, with
// Bob invited, and the third instance (16 March) retitled for that date only.
func seriesHarness(t *testing.T, db *gorm.DB) (*pageHarness, *calendar.Event) {
	h := newPageHarness(t, db)
	e := h.event("alice@example.com", calendar.EventInput{Title: "Standup", Location: "Room 2", Start: "2026-03-02T09:00", End: "2026-03-02T09:15",
		TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=10"}, "bob@example.com")
	title := "Standup (demo day)"
	cv := calendar.Viewer{UserID: h.users["alice@example.com"].ID}
	if _, _, err := h.app.store.Edit(t.Context(), cv, e.ID, nil, calendar.ScopeInstance, at("2026-03-16T08:00:00Z"), calendar.Change{Title: &title}); err != nil {
		t.Fatal(err)
	}
	return h, h.reload(e.ID)
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func editPath(id int64, instance, scope string) string {
	q := url.Values{"instance": {instance}}
	if scope != "" {
		q.Set("scope", scope)
	}
	return "/events/" + itoa64(id) + "/edit?" + q.Encode()
}

func TestEditFormLoadsTheValuesOfEachScope(t *testing.T) {
	h, e := seriesHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	tests := []struct {
		scope                       string
		title, startDate, endsCount string
	}{
		{"", "Standup", "2026-03-16", "8"}, // the default is "this and following"
		{"following", "Standup", "2026-03-16", "8"},
		{"instance", "Standup (demo day)", "2026-03-16", ""},
		{"all", "Standup", "2026-03-02", "10"},
	}
	for _, tt := range tests {
		t.Run("scope="+tt.scope, func(t *testing.T) {
			status, body := alice.page(editPath(e.ID, "2026-03-16T08:00:00Z", tt.scope))
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			want := tt.scope
			if want == "" {
				want = "following"
			}
			if !strings.Contains(body, `id="scope-`+want+`" name="scope" value="`+want+`" checked`) {
				t.Errorf("the %s radio button is not the checked one", want)
			}
			f := formOf(t, body)
			if f.Get("title") != tt.title || f.Get("startDate") != tt.startDate || f.Get("startTime") != "09:00" || f.Get("scope") != want {
				t.Errorf("form title %q start %s %s scope %q, want %q %s", f.Get("title"), f.Get("startDate"), f.Get("startTime"), f.Get("scope"), tt.title, tt.startDate)
			}
			if tt.endsCount == "" {
				if f.Get("freq") != "" || !strings.Contains(body, "The repeat pattern cannot change for one date") {
					t.Error("an instance edit offers the repeat builder")
				}
			} else if f.Get("ends") != "count" || f.Get("count") != tt.endsCount {
				t.Errorf("ends %q after %q, want after %s", f.Get("ends"), f.Get("count"), tt.endsCount)
			}
		})
	}
}

func TestEditThisAndFollowingKeepsOneEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, e := seriesHarness(t, db)
		alice := h.as("alice@example.com")
		_, body := alice.page(editPath(e.ID, "2026-03-16T08:00:00Z", ""))
		f := formOf(t, body)
		f.Set("title", "Standup (new room)")
		f.Set("location", "Room 4")
		res, body := alice.submit("/events/"+itoa64(e.ID)+"/edit", f)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: status %d:\n%s", res.StatusCode, body)
		}
		got := h.reload(e.ID)
		if len(got.Segments) != 2 || got.Segments[0].Title != "Standup" || got.Segments[1].Title != "Standup (new room)" ||
			got.Segments[1].Location != "Room 4" || got.Segments[1].Rule.Count != 8 || got.Version != e.Version+1 {
			t.Fatalf("segments %+v version %d", got.Segments, got.Version)
		}
		_, body = alice.page("/calendar?date=2026-03-01")
		for _, w := range []string{">Standup</span>", ">Standup (new room)</span>"} {
			if !strings.Contains(body, w) {
				t.Errorf("month view lacks %s", w)
			}
		}
		if strings.Index(body, `data-date="2026-03-09"`) > strings.Index(body, ">Standup (new room)</span>") {
			t.Error("the new title shows before 16 March")
		}
	})
}

func TestEditThatChangesNothingSavesNothing(t *testing.T) {
	h, e := seriesHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	for _, scope := range []string{"instance", "following", "all"} {
		_, body := alice.page(editPath(e.ID, "2026-03-23T08:00:00Z", scope))
		res, _ := alice.submit("/events/"+itoa64(e.ID)+"/edit", formOf(t, body))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d", scope, res.StatusCode)
		}
		if got := h.reload(e.ID); got.Version != e.Version || len(got.Segments) != 1 {
			t.Errorf("%s: an untouched form changed the event (version %d, %d segments)", scope, got.Version, len(got.Segments))
		}
	}
}

func TestEditAllChangesTheRuleAndInstanceEditsMoveOne(t *testing.T) {
	h, e := seriesHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")

	_, body := alice.page(editPath(e.ID, "2026-03-09T08:00:00Z", "all"))
	f := formOf(t, body)
	f["weekdays"] = []string{"MO", "TH"}
	if res, body := alice.submit("/events/"+itoa64(e.ID)+"/edit", f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("all: status %d:\n%s", res.StatusCode, body)
	}
	if got := h.reload(e.ID); got.Segments[0].Rule.String() != "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10" {
		t.Fatalf("rule %s", got.Segments[0].Rule)
	}

	_, body = alice.page(editPath(e.ID, "2026-03-09T08:00:00Z", "instance"))
	f = formOf(t, body)
	f.Set("startTime", "11:00")
	f.Set("endTime", "11:30")
	res, _ := alice.submit("/events/"+itoa64(e.ID)+"/edit", f)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/events/"+itoa64(e.ID)+"?instance=2026-03-09T08%3A00%3A00Z" {
		t.Fatalf("instance: status %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = alice.page(res.Header.Get("Location"))
	if !strings.Contains(body, "Monday 9 March 2026, 11:00 – 11:30") || !strings.Contains(body, "This date differs from the series") {
		t.Error("the moved instance's page does not show its new time and that it changed")
	}
}

func TestEditConflictIsReportedNotOverwritten(t *testing.T) {
	h, e := seriesHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	_, body := alice.page(editPath(e.ID, "2026-03-23T08:00:00Z", "all"))
	stale := formOf(t, body)
	// Someone else saves first.
	title := "Standup (moved to Teams)"
	if _, _, err := h.app.store.Edit(t.Context(), calendar.Viewer{UserID: h.users["alice@example.com"].ID}, e.ID, nil, calendar.ScopeAll, time.Time{},
		calendar.Change{Title: &title}); err != nil {
		t.Fatal(err)
	}
	stale.Set("location", "Room 9")
	res, body := alice.submit("/events/"+itoa64(e.ID)+"/edit", stale)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Someone changed this event while you were editing it") {
		t.Fatalf("status %d, want 409 with a message", res.StatusCode)
	}
	if got := h.reload(e.ID); got.Segments[0].Location != "Room 2" {
		t.Error("the stale form was saved")
	}
}

func TestOnlyTheOrganizerCanEdit(t *testing.T) {
	h, e := seriesHarness(t, dbtest.SQLite(t))
	bob := h.as("bob@example.com")
	if status, _ := bob.page(editPath(e.ID, "2026-03-23T08:00:00Z", "")); status != http.StatusForbidden {
		t.Errorf("an invitee opens the edit form: status %d", status)
	}
	res, _ := bob.submit("/events/"+itoa64(e.ID)+"/edit", url.Values{"instance": {"2026-03-23T08:00:00Z"}, "version": {"1"}, "title": {"Mine"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("an invitee saves an edit: status %d", res.StatusCode)
	}
	_, body := bob.page("/events/" + itoa64(e.ID) + "?instance=2026-03-23T08:00:00Z")
	if strings.Contains(body, "/edit?") || strings.Contains(body, "/delete") {
		t.Error("an invitee is offered edit or delete")
	}
}

func TestDeleteWithEachScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, e := seriesHarness(t, db)
		alice := h.as("alice@example.com")
		del := func(instance, scope string) *http.Response {
			res, _ := alice.submit("/events/"+itoa64(e.ID)+"/delete", url.Values{"instance": {instance}, "scope": {scope}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("delete %s %s: status %d", scope, instance, res.StatusCode)
			}
			return res
		}
		res := del("2026-03-09T08:00:00Z", "instance")
		if res.Header.Get("Location") != "/calendar?date=2026-03-09" {
			t.Errorf("after a delete: to %s, want the calendar at that date", res.Header.Get("Location"))
		}
		cv := calendar.Viewer{UserID: h.users["alice@example.com"].ID}
		left := func() int {
			return len(h.reload(e.ID).Instances(cv, at("2026-03-01T00:00:00Z"), at("2026-06-01T00:00:00Z"), false))
		}
		if n := left(); n != 9 {
			t.Fatalf("%d instances after deleting one, want 9", n)
		}
		del("2026-04-13T07:00:00Z", "following") // 09:00 in Berlin, summer time
		if n := left(); n != 5 {
			t.Fatalf("%d instances after deleting from the seventh on, want 5", n)
		}
		del("2026-03-23T08:00:00Z", "all")
		if got := h.reload(e.ID); got.DeletedAt == nil {
			t.Fatal("the event is not deleted")
		}
		if status, _ := alice.page("/events/" + itoa64(e.ID)); status != http.StatusNotFound {
			t.Errorf("a deleted event's page: status %d", status)
		}
	})
}

func TestRSVPWithScopeShowsTheCurrentAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, e := seriesHarness(t, db)
		bob := h.as("bob@example.com")
		page := "/events/" + itoa64(e.ID) + "?instance=2026-03-16T08%3A00%3A00Z"
		_, body := bob.page(page)
		if !strings.Contains(body, "You have not answered yet.") || !strings.Contains(body, `name="scope" value="following"`) {
			t.Fatal("the RSVP form lacks the scopes or says there is an answer")
		}
		rsvp := func(instance, scope, resp string) {
			res, body := bob.submit("/events/"+itoa64(e.ID)+"/rsvp", url.Values{"instance": {instance}, "scope": {scope}, "response": {resp}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("rsvp: status %d:\n%s", res.StatusCode, body)
			}
		}
		rsvp("2026-03-02T08:00:00Z", "all", "yes")
		rsvp("2026-03-16T08:00:00Z", "following", "no")
		rsvp("2026-03-23T08:00:00Z", "instance", "maybe")
		got := h.reload(e.ID)
		bobID := h.users["bob@example.com"].ID
		for inst, want := range map[string]calendar.Response{"2026-03-09T08:00:00Z": calendar.Yes, "2026-03-16T08:00:00Z": calendar.No,
			"2026-03-23T08:00:00Z": calendar.Maybe, "2026-03-30T07:00:00Z": calendar.No} {
			if r := got.EffectiveRSVP(bobID, at(inst)); r != want {
				t.Errorf("answer for %s: %q, want %q", inst, r, want)
			}
		}
		_, body = bob.page(page)
		if !strings.Contains(body, `value="no" class="answer a-no" aria-pressed="true"`) ||
			!strings.Contains(body, "for this and following dates from 16 March 2026") {
			t.Error("the page does not show the current answer and where it comes from")
		}
		// The declined instance is marked in the calendar.
		_, body = bob.page("/calendar?date=2026-03-16")
		if !strings.Contains(body, "ev-declined") {
			t.Error("declined instances are not marked in the month view")
		}
	})
}

func TestInviteeOfOneInstanceOfAPrivateEventSeesASingleEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		e := h.event("alice@example.com", calendar.EventInput{Title: "Leadership sync", Start: "2026-03-02T11:00", End: "2026-03-02T12:00",
			TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=5", Privacy: calendar.Private})
		alice := h.as("alice@example.com")

		// Alice finds Carol by name and invites her to 16 March only.
		_, body := alice.page("/events/" + itoa64(e.ID) + "?instance=2026-03-16T10%3A00%3A00Z&q=car")
		if !strings.Contains(body, `name="user" value="`+itoa64(h.users["carol@example.com"].ID)+`"`) || !strings.Contains(body, "Only Monday 16 March") {
			t.Fatal("the colleague search does not offer Carol for all or this date")
		}
		res, _ := alice.submit("/events/"+itoa64(e.ID)+"/invite", url.Values{"instance": {"2026-03-16T10:00:00Z"}, "scope": {"instance"},
			"user": {itoa64(h.users["carol@example.com"].ID)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("invite: status %d", res.StatusCode)
		}

		carol := h.as("carol@example.com")
		_, body = carol.page("/calendar?view=agenda&date=2026-03-01")
		if strings.Count(body, `href="/events/`+itoa64(e.ID)+`?instance=`) != 1 || !strings.Contains(body, "instance=2026-03-16T10%3A00%3A00Z") {
			t.Errorf("Carol's agenda does not show exactly the one instance:\n%s", body)
		}
		status, body := carol.page("/events/" + itoa64(e.ID) + "?instance=2026-03-16T10%3A00%3A00Z")
		if status != http.StatusOK || strings.Contains(body, "Repeats") || strings.Contains(body, `value="following"`) ||
			!strings.Contains(body, "You were invited to this date only") {
			t.Errorf("Carol's page shows the series (status %d)", status)
		}
		if status, _ := carol.page("/events/" + itoa64(e.ID) + "?instance=2026-03-23T10%3A00%3A00Z"); status != http.StatusNotFound {
			t.Errorf("Carol opens another instance: status %d, want 404", status)
		}
		res, _ = carol.submit("/events/"+itoa64(e.ID)+"/rsvp", url.Values{"instance": {"2026-03-16T10:00:00Z"}, "scope": {"following"}, "response": {"yes"}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("Carol answers beyond her invitation: status %d, want 403", res.StatusCode)
		}
		res, _ = carol.submit("/events/"+itoa64(e.ID)+"/rsvp", url.Values{"instance": {"2026-03-16T10:00:00Z"}, "scope": {"instance"}, "response": {"yes"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("Carol answers for her instance: status %d", res.StatusCode)
		}
		_, body = alice.page("/events/" + itoa64(e.ID) + "?instance=2026-03-16T10%3A00%3A00Z")
		if !strings.Contains(body, "Carol Chen") || !strings.Contains(body, "Going") || !strings.Contains(body, "invited to this date") {
			t.Error("the organizer does not see Carol's answer for the date")
		}
	})
}

// "All instances" of an event with two parts is the whole event: the form starts on its first
// date, ends with its last part, and says what each part holds.
func TestAllInstancesFormOfAnEventWithTwoPartsShowsTheWholeEvent(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	e := h.event("alice@example.com", calendar.EventInput{Title: "Standup", Start: "2026-03-02T09:00", End: "2026-03-02T09:15",
		TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=10"})
	cv := calendar.Viewer{UserID: h.users["alice@example.com"].ID}
	title := "Standup (new format)"
	if _, _, err := h.app.store.Edit(t.Context(), cv, e.ID, nil, calendar.ScopeFollowing, at("2026-03-16T08:00:00Z"), calendar.Change{Title: &title}); err != nil {
		t.Fatal(err)
	}
	_, body := h.as("alice@example.com").page(editPath(e.ID, "2026-03-23T08:00:00Z", "all"))
	f := formOf(t, body)
	if f.Get("startDate") != "2026-03-02" || f.Get("ends") != "until" || f.Get("until") != "2026-05-04" {
		t.Errorf("form starts %s, ends %q %q; want the whole event, 2026-03-02 to 2026-05-04", f.Get("startDate"), f.Get("ends"), f.Get("until"))
	}
	for _, want := range []string{"This event has 2 parts", "Standup: Every week on Monday, 2 times, from Mon 2 Mar 2026 to Mon 9 Mar 2026",
		"Standup (new format): Every week on Monday, 8 times, from Mon 16 Mar 2026 to Mon 4 May 2026"} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	// A part's own form ("this and following") has no such list.
	if _, body := h.as("alice@example.com").page(editPath(e.ID, "2026-03-23T08:00:00Z", "following")); strings.Contains(body, "event-parts") {
		t.Error("this and following lists the parts")
	}
}
