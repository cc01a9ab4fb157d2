package fakeoutlook

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// One-occurrence invitations: Ada organizes a weekly meeting with Bob and
// adds Carol to the second occurrence only. Carol gets that occurrence as a
// single-instance meeting; Outlook does not cancel it with the series.

func attendeeList(addrs ...string) []map[string]any {
	out := []map[string]any{}
	for _, a := range addrs {
		out = append(out, map[string]any{"type": "required", "emailAddress": map[string]string{"address": a}})
	}
	return out
}

// carolsInvite is the organizer's change that invites Carol to one
// occurrence: new subject, body, room and time, and the attendee list.
func carolsInvite() map[string]any {
	return map[string]any{
		"subject":   "Design review (with Carol)",
		"body":      map[string]any{"contentType": "text", "content": "Carol shows the prototype"},
		"location":  map[string]any{"displayName": "Lab 2"},
		"start":     map[string]any{"dateTime": "2025-01-13T14:00:00", "timeZone": "UTC"},
		"end":       map[string]any{"dateTime": "2025-01-13T15:00:00", "timeZone": "UTC"},
		"attendees": attendeeList("bob@example.com", "carol@example.com"),
	}
}

// occurrenceInvite is meetingFixture with Carol invited to the second
// occurrence by a PATCH on its id.
type occurrenceInvite struct {
	f                *fixture
	ada, bob, carol  string
	master, occ      map[string]any
	masterID, occURL string
}

func newOccurrenceInvite(t *testing.T, opts Options) *occurrenceInvite {
	t.Helper()
	f, ada, bob, master := meetingFixture(t, opts)
	o := &occurrenceInvite{f: f, ada: ada, bob: bob, carol: f.token("carol@example.com"), master: master,
		masterID: master["id"].(string)}
	o.occ = f.instances(ada, o.masterID, january)[1]
	o.occURL = "/me/events/" + url.PathEscape(o.occ["id"].(string))
	return o
}

func (o *occurrenceInvite) patchOccurrence(body map[string]any) map[string]any {
	o.f.t.Helper()
	return o.f.must(http.StatusOK, call{method: "PATCH", path: o.occURL, token: o.ada, body: body}).json(o.f.t)
}

func invitedOccurrence(t *testing.T, opts Options) *occurrenceInvite {
	t.Helper()
	o := newOccurrenceInvite(t, opts)
	o.patchOccurrence(carolsInvite())
	return o
}

// eventsOf lists a mailbox's events (singles and masters).
func (o *occurrenceInvite) eventsOf(tok string) []map[string]any {
	o.f.t.Helper()
	return values(o.f.t, o.f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: tok}).json(o.f.t))
}

// carolsCopy is Carol's only event.
func (o *occurrenceInvite) carolsCopy() map[string]any {
	o.f.t.Helper()
	list := o.eventsOf(o.carol)
	if len(list) != 1 {
		o.f.t.Fatalf("Carol has %d events (%v), want her single-instance copy", len(list), subjects(list))
	}
	return list[0]
}

// wantMessages compares a mailbox's meeting message counts.
func (o *occurrenceInvite) wantMessages(email string, want MessageCounts) {
	o.f.t.Helper()
	got, err := o.f.fake.MessagesReceived(email)
	if err != nil {
		o.f.t.Fatal(err)
	}
	if got != want {
		o.f.t.Errorf("%s received %+v, want %+v", email, got, want)
	}
}

// attendeeStatus is the response the organizer's exception records for an
// address, or "" when the address is not on it.
func (o *occurrenceInvite) attendeeStatus(addr string) string {
	o.f.t.Helper()
	exc := o.f.must(http.StatusOK, call{method: "GET", path: o.occURL, token: o.ada}).json(o.f.t)
	for _, a := range exc["attendees"].([]any) {
		a := a.(map[string]any)
		if strings.EqualFold(a["emailAddress"].(map[string]any)["address"].(string), addr) {
			return a["status"].(map[string]any)["response"].(string)
		}
	}
	return ""
}

func TestOccurrenceInviteeGetsASingleInstanceCopy(t *testing.T) {
	tests := []struct {
		name   string
		invite func(o *occurrenceInvite)
	}{
		{"by PATCH on the occurrence id", func(o *occurrenceInvite) { o.patchOccurrence(carolsInvite()) }},
		{"by PATCH inside $batch", func(o *occurrenceInvite) {
			r := o.f.must(http.StatusOK, call{method: "POST", path: "/$batch", token: o.ada, body: map[string]any{"requests": []map[string]any{
				{"id": "1", "method": "PATCH", "url": o.occURL, "headers": map[string]string{"Content-Type": "application/json"}, "body": carolsInvite()},
			}}})
			if st := batchOf(t, r)["1"]["status"]; st != float64(http.StatusOK) {
				t.Fatalf("inner PATCH status %v", st)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOccurrenceInvite(t, Options{})
			tt.invite(o)
			cp := o.carolsCopy()
			want := map[string]any{"type": "singleInstance", "recurrence": nil, "seriesMasterId": nil, "isOrganizer": false,
				"iCalUId": o.master["iCalUId"], "isCancelled": false}
			for k, v := range want {
				if cp[k] != v {
					t.Errorf("copy %s = %v, want %v", k, cp[k], v)
				}
			}
			if _, ok := cp["originalStart"]; ok {
				t.Error("the single-instance copy has an originalStart")
			}
			if r := cp["responseStatus"].(map[string]any)["response"]; r != "notResponded" {
				t.Errorf("responseStatus %v", r)
			}
			if org := cp["organizer"].(map[string]any)["emailAddress"].(map[string]any)["address"]; org != "ada@example.com" {
				t.Errorf("organizer %v", org)
			}
			exc := o.f.must(http.StatusOK, call{method: "GET", path: o.occURL, token: o.ada}).json(t)
			for _, k := range []string{"subject", "body", "location", "start", "end", "attendees"} {
				if !reflect.DeepEqual(cp[k], exc[k]) {
					t.Errorf("copy %s = %v, the organizer's exception has %v", k, cp[k], exc[k])
				}
			}
			o.wantMessages("carol@example.com", MessageCounts{Invitations: 1})
			o.wantMessages("bob@example.com", MessageCounts{Invitations: 1, Updates: 1})

			view := values(t, o.f.must(http.StatusOK, call{method: "GET", path: "/me/calendarView?" + january, token: o.carol}).json(t))
			if len(view) != 1 || view[0]["id"] != cp["id"] || view[0]["start"].(map[string]any)["dateTime"] != "2025-01-13T14:00:00.0000000" {
				t.Errorf("Carol's calendarView: %v at %v", idsOf(view), startsOf(t, view))
			}
			items, _, _ := o.f.deltaRound(o.carol, "/me/calendarView/delta?"+january, "")
			if len(items) != 1 || items[0]["id"] != cp["id"] || items[0]["type"] != "singleInstance" {
				t.Errorf("Carol's delta: %v", items)
			}
		})
	}
}

func TestOccurrenceAttendeesWhoGetNoSingleCopy(t *testing.T) {
	tests := []struct {
		name, addr string
	}{
		{"the organizer", "ada@example.com"},
		{"an attendee of the series", "bob@example.com"},
		{"an address without a mailbox", "dan@elsewhere.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOccurrenceInvite(t, Options{})
			o.patchOccurrence(map[string]any{"attendees": attendeeList("bob@example.com", tt.addr)})
			if n := len(o.eventsOf(o.ada)); n != 1 {
				t.Errorf("Ada has %d events, want her series only", n)
			}
			if n := len(o.eventsOf(o.bob)); n != 1 {
				t.Errorf("Bob has %d events, want his copy of the series only", n)
			}
			o.wantMessages("bob@example.com", MessageCounts{Invitations: 1, Updates: 1})
			o.wantMessages("ada@example.com", MessageCounts{})
		})
	}
}

func TestExceptionChangesReachTheSingleCopy(t *testing.T) {
	o := invitedOccurrence(t, Options{})
	steps := []struct {
		name        string
		patch       map[string]any
		subject     string
		cancelled   bool
		carol, bob  MessageCounts
		carolEvents int
	}{
		{"a new room is an update", map[string]any{"location": map[string]any{"displayName": "Lab 3"}},
			"Design review (with Carol)", false, MessageCounts{Invitations: 1, Updates: 1}, MessageCounts{Invitations: 1, Updates: 2}, 1},
		{"the same attendees again update, without a second copy", map[string]any{"attendees": attendeeList("bob@example.com", "carol@example.com")},
			"Design review (with Carol)", false, MessageCounts{Invitations: 1, Updates: 2}, MessageCounts{Invitations: 1, Updates: 3}, 1},
		{"a personal property sends nothing", map[string]any{"categories": []string{"Blue"}},
			"Design review (with Carol)", false, MessageCounts{Invitations: 1, Updates: 2}, MessageCounts{Invitations: 1, Updates: 3}, 1},
		{"a new subject is an update", map[string]any{"subject": "Prototype demo"},
			"Prototype demo", false, MessageCounts{Invitations: 1, Updates: 3}, MessageCounts{Invitations: 1, Updates: 4}, 1},
		{"removing Carol cancels her copy", map[string]any{"attendees": attendeeList("bob@example.com")},
			"Canceled: Prototype demo", true, MessageCounts{Invitations: 1, Updates: 3, Cancellations: 1}, MessageCounts{Invitations: 1, Updates: 5}, 1},
		{"adding her back invites her anew", map[string]any{"attendees": attendeeList("bob@example.com", "carol@example.com")},
			"", false, MessageCounts{Invitations: 2, Updates: 3, Cancellations: 1}, MessageCounts{Invitations: 1, Updates: 6}, 2},
	}
	for _, st := range steps {
		o.patchOccurrence(st.patch)
		if st.carolEvents == 1 {
			cp := o.carolsCopy()
			if cp["subject"] != st.subject || cp["isCancelled"] != st.cancelled {
				t.Errorf("%s: Carol's copy is %q cancelled %v, want %q %v", st.name, cp["subject"], cp["isCancelled"], st.subject, st.cancelled)
			}
			if st.name == "a new room is an update" && cp["location"].(map[string]any)["displayName"] != "Lab 3" {
				t.Errorf("%s: location %v", st.name, cp["location"])
			}
			if cp["categories"].([]any) == nil || len(cp["categories"].([]any)) != 0 {
				t.Errorf("%s: the organizer's categories reached Carol: %v", st.name, cp["categories"])
			}
		} else if n := len(o.eventsOf(o.carol)); n != st.carolEvents {
			t.Errorf("%s: Carol has %d events, want %d", st.name, n, st.carolEvents)
		}
		o.wantMessages("carol@example.com", st.carol)
		o.wantMessages("bob@example.com", st.bob)
	}
}

func TestDeletingOrCancellingTheOccurrenceCancelsTheSingleCopy(t *testing.T) {
	tests := []struct {
		name string
		call func(o *occurrenceInvite) call
	}{
		{"DELETE", func(o *occurrenceInvite) call {
			return call{method: "DELETE", path: o.occURL, token: o.ada}
		}},
		{"cancel", func(o *occurrenceInvite) call {
			return call{method: "POST", path: o.occURL + "/cancel", token: o.ada, body: map[string]any{"Comment": "moved to next week"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := invitedOccurrence(t, Options{})
			c := tt.call(o)
			want := http.StatusNoContent
			if c.method == "POST" {
				want = http.StatusAccepted
			}
			o.f.must(want, c)
			cp := o.carolsCopy()
			if cp["isCancelled"] != true || cp["subject"] != "Canceled: Design review (with Carol)" {
				t.Errorf("Carol's copy is %q cancelled %v", cp["subject"], cp["isCancelled"])
			}
			o.wantMessages("carol@example.com", MessageCounts{Invitations: 1, Cancellations: 1})
			o.wantMessages("bob@example.com", MessageCounts{Invitations: 1, Updates: 1, Cancellations: 1})
		})
	}
}

func TestDeletingTheSeriesLeavesSingleCopiesUnlessTheQuirk(t *testing.T) {
	tests := []struct {
		name   string
		method string
		quirk  bool
	}{
		{"DELETE leaves Carol's copy (Outlook)", "DELETE", false},
		{"cancel leaves Carol's copy (Outlook)", "POST", false},
		{"DELETE with the quirk cancels it", "DELETE", true},
		{"cancel with the quirk cancels it", "POST", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := invitedOccurrence(t, Options{Quirks: Quirks{CancelSingleInstanceCopiesWithSeries: tt.quirk}})
			path := "/me/events/" + url.PathEscape(o.masterID)
			if tt.method == "POST" {
				o.f.must(http.StatusAccepted, call{method: "POST", path: path + "/cancel", token: o.ada, body: map[string]any{"Comment": "over"}})
			} else {
				o.f.must(http.StatusNoContent, call{method: "DELETE", path: path, token: o.ada})
			}
			cp := o.carolsCopy()
			wantSubject, carol := "Design review (with Carol)", MessageCounts{Invitations: 1}
			if tt.quirk {
				wantSubject, carol = "Canceled: Design review (with Carol)", MessageCounts{Invitations: 1, Cancellations: 1}
			}
			if cp["isCancelled"] != tt.quirk || cp["subject"] != wantSubject {
				t.Errorf("Carol's copy is %q cancelled %v", cp["subject"], cp["isCancelled"])
			}
			o.wantMessages("carol@example.com", carol)
			o.wantMessages("bob@example.com", MessageCounts{Invitations: 1, Updates: 1, Cancellations: 1})
		})
	}
}

func TestNewSeriesTimeOrPatternLeavesTheSingleCopyAsItWas(t *testing.T) {
	tests := []struct {
		name  string
		patch map[string]any
	}{
		{"a new time", map[string]any{
			"start": map[string]any{"dateTime": "2025-01-06T10:00:00", "timeZone": "UTC"},
			"end":   map[string]any{"dateTime": "2025-01-06T10:30:00", "timeZone": "UTC"}}},
		{"a new pattern", map[string]any{"recurrence": map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": 2, "daysOfWeek": []string{"monday"}},
			"range":   map[string]any{"type": "noEnd", "startDate": "2025-01-06"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := invitedOccurrence(t, Options{})
			before := o.carolsCopy()
			o.f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(o.masterID), token: o.ada, body: tt.patch})
			for _, in := range o.f.instances(o.ada, o.masterID, january) {
				if in["type"] == "exception" {
					t.Fatalf("the organizer's exception survived %s", tt.name)
				}
			}
			after := o.carolsCopy()
			for _, k := range []string{"subject", "start", "end", "changeKey", "isCancelled"} {
				if !reflect.DeepEqual(after[k], before[k]) {
					t.Errorf("Carol's copy %s changed from %v to %v", k, before[k], after[k])
				}
			}
			o.wantMessages("carol@example.com", MessageCounts{Invitations: 1})
			o.wantMessages("bob@example.com", MessageCounts{Invitations: 1, Updates: 2})
		})
	}
}

func TestSingleCopyAnswersReachTheOrganizersException(t *testing.T) {
	tests := []struct {
		name, action, want string
		keepDeclined       bool
		carolKeepsCopy     bool
	}{
		{"accept", "accept", "accepted", false, true},
		{"tentativelyAccept", "tentativelyAccept", "tentativelyAccepted", false, true},
		{"decline removes the copy", "decline", "declined", false, false},
		{"decline with KeepDeclinedMeetings", "decline", "declined", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := invitedOccurrence(t, Options{Quirks: Quirks{KeepDeclinedMeetings: tt.keepDeclined}})
			cp := o.carolsCopy()
			_, deltaLink, _ := o.f.deltaRound(o.carol, "/me/calendarView/delta?"+january, "")
			o.f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(cp["id"].(string)) + "/" + tt.action,
				token: o.carol, body: []byte(`{"Comment":"see you","SendResponse":true}`)})
			if got := o.attendeeStatus("carol@example.com"); got != tt.want {
				t.Errorf("the organizer's exception records %q for Carol, want %q", got, tt.want)
			}
			if got := o.attendeeStatus("bob@example.com"); got != "none" {
				t.Errorf("Bob's status on the exception became %q", got)
			}
			o.wantMessages("ada@example.com", MessageCounts{Responses: 1})

			items, _, _ := o.f.deltaRound(o.carol, deltaLink, "")
			removed := len(items) == 1 && items[0]["id"] == cp["id"] && items[0]["@removed"] != nil
			if tt.carolKeepsCopy {
				if got := o.carolsCopy()["responseStatus"].(map[string]any)["response"]; got != tt.want {
					t.Errorf("Carol's copy says %v", got)
				}
				if removed {
					t.Error("the kept copy is reported as @removed")
				}
				return
			}
			if n := len(o.eventsOf(o.carol)); n != 0 {
				t.Errorf("Carol still has %d events after declining", n)
			}
			if !removed {
				t.Errorf("Carol's delta after declining: %v, want the copy @removed", items)
			}
		})
	}
}

func TestSingleCopyAnswersWithoutTheExceptionOrSendResponse(t *testing.T) {
	t.Run("without sendResponse the organizer is not told", func(t *testing.T) {
		o := invitedOccurrence(t, Options{})
		o.f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(o.carolsCopy()["id"].(string)) + "/accept",
			token: o.carol, body: []byte(`{"sendResponse":false}`)})
		if got := o.attendeeStatus("carol@example.com"); got != "none" {
			t.Errorf("the organizer's exception records %q", got)
		}
		o.wantMessages("ada@example.com", MessageCounts{})
	})
	t.Run("after a new pattern dropped the exception the organizer still receives the answer", func(t *testing.T) {
		o := invitedOccurrence(t, Options{})
		o.f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(o.masterID), token: o.ada, body: map[string]any{
			"start": map[string]any{"dateTime": "2025-01-06T10:00:00", "timeZone": "UTC"},
			"end":   map[string]any{"dateTime": "2025-01-06T10:30:00", "timeZone": "UTC"}}})
		o.f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(o.carolsCopy()["id"].(string)) + "/accept",
			token: o.carol, body: []byte(`{"SendResponse":true}`)})
		o.wantMessages("ada@example.com", MessageCounts{Responses: 1})
		if got := o.carolsCopy()["responseStatus"].(map[string]any)["response"]; got != "accepted" {
			t.Errorf("Carol's orphaned copy says %v", got)
		}
	})
	t.Run("after the series was deleted the organizer still receives the answer", func(t *testing.T) {
		o := invitedOccurrence(t, Options{})
		o.f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(o.masterID), token: o.ada})
		o.f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(o.carolsCopy()["id"].(string)) + "/decline",
			token: o.carol, body: []byte(`{"SendResponse":true}`)})
		o.wantMessages("ada@example.com", MessageCounts{Responses: 1})
	})
}

// After a new pattern dropped the exception and the old pattern came back,
// the organizer invites Carol to the same occurrence again: she now has two
// copies, the orphaned one with its old name, and an answer to the orphan
// does not land on the new exception.
func TestOrphanedSingleCopyStaysBesideANewInvitation(t *testing.T) {
	o := invitedOccurrence(t, Options{})
	orphan := o.carolsCopy()
	master := "/me/events/" + url.PathEscape(o.masterID)
	for _, interval := range []int{2, 1} {
		o.f.must(http.StatusOK, call{method: "PATCH", path: master, token: o.ada, body: map[string]any{"recurrence": map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": interval, "daysOfWeek": []string{"monday"}},
			"range":   map[string]any{"type": "noEnd", "startDate": "2025-01-06"}}}})
	}
	again := carolsInvite()
	again["subject"] = "Prototype demo"
	o.patchOccurrence(again)
	got := map[string]bool{}
	for _, ev := range o.eventsOf(o.carol) {
		got[ev["subject"].(string)] = true
	}
	if len(got) != 2 || !got["Design review (with Carol)"] || !got["Prototype demo"] {
		t.Errorf("Carol's calendar: %v, want the orphaned copy and the new one", got)
	}
	o.wantMessages("carol@example.com", MessageCounts{Invitations: 2})

	o.f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(orphan["id"].(string)) + "/accept",
		token: o.carol, body: []byte(`{"SendResponse":true}`)})
	if st := o.attendeeStatus("carol@example.com"); st != "none" {
		t.Errorf("the answer to the orphaned copy landed on the new exception: %q", st)
	}
	o.wantMessages("ada@example.com", MessageCounts{Responses: 1})
}

// A series without attendees has a meeting in one occurrence only: the
// organizer may cancel that occurrence (it has someone to tell), and the
// invitee gets the cancellation.
func TestCancellingTheOnlyOccurrenceWithAttendees(t *testing.T) {
	f := newFixture(t, Options{})
	ada, carol := f.token("ada@example.com"), f.token("carol@example.com")
	master := f.createSeries(ada, weeklySeries("Focus time", "UTC", nil))
	occs := f.instances(ada, master["id"].(string), january)
	o := &occurrenceInvite{f: f, ada: ada, carol: carol, master: master, masterID: master["id"].(string), occ: occs[1],
		occURL: "/me/events/" + url.PathEscape(occs[1]["id"].(string))}
	r := f.must(http.StatusBadRequest, call{method: "POST", path: "/me/events/" + url.PathEscape(occs[2]["id"].(string)) + "/cancel", token: ada})
	if errorCode(t, r) != "ErrorInvalidRequest" {
		t.Errorf("cancel of an occurrence without attendees: %s", errorCode(t, r))
	}
	o.patchOccurrence(map[string]any{"attendees": attendeeList("carol@example.com")})
	f.must(http.StatusAccepted, call{method: "POST", path: o.occURL + "/cancel", token: ada})
	if cp := o.carolsCopy(); cp["isCancelled"] != true || cp["subject"] != "Canceled: Focus time" {
		t.Errorf("Carol's copy is %q cancelled %v", cp["subject"], cp["isCancelled"])
	}
	o.wantMessages("carol@example.com", MessageCounts{Invitations: 1, Cancellations: 1})
}
