package fakeoutlook

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Meetings across mailboxes, answered as event-accept.md, event-decline.md,
// event-tentativelyaccept.md and event-cancel.md show (202, no body).

// meetingFixture has Ada organize a weekly meeting with Bob.
func meetingFixture(t *testing.T, opts Options) (f *fixture, ada, bob string, master map[string]any) {
	t.Helper()
	f = newFixture(t, opts)
	ada, bob = f.token("ada@example.com"), f.token("bob@example.com")
	body := weeklySeries("Design review", "UTC", nil)
	body["attendees"] = []map[string]any{{"type": "required", "emailAddress": map[string]string{"address": "bob@example.com", "name": "Bob"}}}
	master = f.createSeries(ada, body)
	return f, ada, bob, master
}

func bobsCopy(t *testing.T, f *fixture, bob string) map[string]any {
	t.Helper()
	list := values(t, f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: bob}).json(t))
	if len(list) != 1 {
		t.Fatalf("Bob has %d events, want the meeting copy", len(list))
	}
	return list[0]
}

func TestMeetingAppearsInAttendeeMailbox(t *testing.T) {
	f, _, bob, master := meetingFixture(t, Options{})
	cp := bobsCopy(t, f, bob)
	if cp["id"] == master["id"] || cp["iCalUId"] != master["iCalUId"] || cp["isOrganizer"] != false || cp["type"] != "seriesMaster" {
		t.Errorf("copy: id differs %t, same iCalUId %t, isOrganizer %v, type %v",
			cp["id"] != master["id"], cp["iCalUId"] == master["iCalUId"], cp["isOrganizer"], cp["type"])
	}
	if cp["responseStatus"].(map[string]any)["response"] != "notResponded" {
		t.Errorf("responseStatus %v", cp["responseStatus"])
	}
	if org := cp["organizer"].(map[string]any)["emailAddress"].(map[string]any)["address"]; org != "ada@example.com" {
		t.Errorf("organizer %v", org)
	}
	if n, _ := f.fake.MessagesReceived("bob@example.com"); n.Invitations != 1 {
		t.Errorf("Bob received %+v, want one invitation", n)
	}
}

func TestAnswersUpdateTheOrganizerAndMatchKeysCaseInsensitively(t *testing.T) {
	tests := []struct {
		name, action, body, want string
	}{
		{"accept with the SDK's keys", "accept", `{"Comment":"yes","SendResponse":true}`, "accepted"},
		{"tentative with the docs' keys", "tentativelyAccept", `{"comment":"maybe","sendResponse":true}`, "tentativelyAccepted"},
		{"accept with odd casing", "ACCEPT", `{"COMMENT":"ok","sendresponse":true}`, "accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ada, bob, master := meetingFixture(t, Options{})
			cp := bobsCopy(t, f, bob)
			f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(cp["id"].(string)) + "/" + tt.action,
				token: bob, body: []byte(tt.body)})
			org := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(master["id"].(string)), token: ada}).json(t)
			status := org["attendees"].([]any)[0].(map[string]any)["status"].(map[string]any)
			if status["response"] != tt.want {
				t.Errorf("organizer sees %v, want %s", status["response"], tt.want)
			}
			if got := bobsCopy(t, f, bob)["responseStatus"].(map[string]any)["response"]; got != tt.want {
				t.Errorf("Bob's copy says %v", got)
			}
		})
	}
}

func TestAnswerWithoutSendResponseLeavesTheOrganizerUntold(t *testing.T) {
	f, ada, bob, master := meetingFixture(t, Options{})
	cp := bobsCopy(t, f, bob)
	f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(cp["id"].(string)) + "/accept",
		token: bob, body: []byte(`{"SendResponse":false}`)})
	org := f.must(http.StatusOK, call{method: "GET", path: "/me/events/" + url.PathEscape(master["id"].(string)), token: ada}).json(t)
	if got := org["attendees"].([]any)[0].(map[string]any)["status"].(map[string]any)["response"]; got != "none" {
		t.Errorf("organizer sees %v, want none", got)
	}
}

func TestDeclineRemovesTheMeetingFromTheAttendeeCalendar(t *testing.T) {
	f, _, bob, _ := meetingFixture(t, Options{})
	cp := bobsCopy(t, f, bob)
	f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(cp["id"].(string)) + "/decline", token: bob})
	list := values(t, f.must(http.StatusOK, call{method: "GET", path: "/me/events", token: bob}).json(t))
	if len(list) != 0 {
		t.Errorf("Bob still has %d events after declining", len(list))
	}

	kept, _, bob2, _ := meetingFixture(t, Options{Quirks: Quirks{KeepDeclinedMeetings: true}})
	cp2 := bobsCopy(t, kept, bob2)
	kept.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(cp2["id"].(string)) + "/decline", token: bob2})
	if got := bobsCopy(t, kept, bob2)["responseStatus"].(map[string]any)["response"]; got != "declined" {
		t.Errorf("with KeepDeclinedMeetings the copy says %v", got)
	}
}

func TestOrganizerDeleteMarksAttendeeCopiesCancelled(t *testing.T) {
	f, ada, bob, master := meetingFixture(t, Options{})
	cp := bobsCopy(t, f, bob)
	occ := f.instances(ada, master["id"].(string), january)[1]
	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(occ["id"].(string)), token: ada})
	bobInst := f.instances(bob, cp["id"].(string), january)
	cancelled := 0
	for _, in := range bobInst {
		if in["isCancelled"] == true {
			cancelled++
			if in["originalStart"] != occ["originalStart"] || !strings.HasPrefix(in["subject"].(string), "Canceled: ") {
				t.Errorf("cancelled copy %v %v", in["originalStart"], in["subject"])
			}
		}
	}
	if cancelled != 1 || len(bobInst) != 4 {
		t.Errorf("Bob sees %d instances, %d cancelled; want 4 with 1 cancelled", len(bobInst), cancelled)
	}

	f.must(http.StatusNoContent, call{method: "DELETE", path: "/me/events/" + url.PathEscape(master["id"].(string)), token: ada})
	after := bobsCopy(t, f, bob)
	if after["isCancelled"] != true || after["subject"] != "Canceled: Design review" {
		t.Errorf("after the organizer's delete Bob's copy is %v %v", after["isCancelled"], after["subject"])
	}
	if n, _ := f.fake.MessagesReceived("bob@example.com"); n.Cancellations != 2 {
		t.Errorf("Bob received %+v, want 2 cancellations", n)
	}
}

func TestOnlyTheOrganizerMayCancel(t *testing.T) {
	f, ada, bob, master := meetingFixture(t, Options{})
	cp := bobsCopy(t, f, bob)
	r := f.must(http.StatusBadRequest, call{method: "POST", path: "/me/events/" + url.PathEscape(cp["id"].(string)) + "/cancel",
		token: bob, body: []byte(`{"Comment":"no"}`)})
	if errorCode(t, r) != "ErrorInvalidRequest" {
		t.Errorf("code %s", errorCode(t, r))
	}
	f.must(http.StatusAccepted, call{method: "POST", path: "/me/events/" + url.PathEscape(master["id"].(string)) + "/cancel",
		token: ada, body: []byte(`{"Comment":"sorry"}`)})
	if bobsCopy(t, f, bob)["isCancelled"] != true {
		t.Error("the organizer's cancel did not reach Bob")
	}
	f.must(http.StatusNotFound, call{method: "GET", path: "/me/events/" + url.PathEscape(master["id"].(string)), token: ada})
}

func TestUpdateMessagesAreCounted(t *testing.T) {
	f, ada, _, master := meetingFixture(t, Options{})
	path := "/me/events/" + url.PathEscape(master["id"].(string))
	f.must(http.StatusOK, call{method: "PATCH", path: path, token: ada, body: map[string]any{"subject": "Design review (v2)"}})
	f.must(http.StatusOK, call{method: "PATCH", path: path, token: ada, body: map[string]any{"subject": "Design review (v2)"}})
	f.must(http.StatusOK, call{method: "PATCH", path: path, token: ada, body: map[string]any{"categories": []string{"Blue"}}})
	occ := f.instances(ada, master["id"].(string), january)[0]
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(occ["id"].(string)), token: ada,
		body: map[string]any{"location": map[string]any{"displayName": "Room 9"}}})
	n, err := f.fake.MessagesReceived("bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// Every meeting change sends an update, even one that changes
	// nothing; a personal property (categories) does not.
	if n.Updates != 3 || n.Invitations != 1 {
		t.Errorf("Bob received %+v, want 1 invitation and 3 updates", n)
	}
	bob := f.token("bob@example.com")
	cp := bobsCopy(t, f, bob)
	if cp["subject"] != "Design review (v2)" {
		t.Errorf("Bob's copy subject %v", cp["subject"])
	}
	locs := ""
	for _, in := range f.instances(bob, cp["id"].(string), january) {
		locs += in["location"].(map[string]any)["displayName"].(string) + ";"
	}
	if !strings.Contains(locs, "Room 9") {
		t.Errorf("the changed occurrence did not reach Bob: %s", locs)
	}
}

func TestRemovingAnAttendeeCancelsTheirCopy(t *testing.T) {
	f, ada, bob, master := meetingFixture(t, Options{})
	f.must(http.StatusOK, call{method: "PATCH", path: "/me/events/" + url.PathEscape(master["id"].(string)), token: ada,
		body: map[string]any{"attendees": []any{}}})
	if bobsCopy(t, f, bob)["isCancelled"] != true {
		t.Error("the uninvited attendee's copy is not cancelled")
	}
}

func TestOutlookUIRespondAndSplitOfAMeeting(t *testing.T) {
	f, _, bob, master := meetingFixture(t, Options{})
	cp := bobsCopy(t, f, bob)
	if err := f.fake.Respond("bob@example.com", cp["id"].(string), "tentativelyAccept"); err != nil {
		t.Fatal(err)
	}
	org, _ := f.fake.GetEvent("ada@example.com", master["id"].(string))
	if org.Attendees[0].Status.Response != "tentativelyAccepted" {
		t.Errorf("organizer sees %+v", org.Attendees[0].Status)
	}
	if _, err := f.fake.SplitSeries("ada@example.com", master["id"].(string), time.Date(2025, 1, 20, 9, 0, 0, 0, time.UTC), Change{}); err != nil {
		t.Fatal(err)
	}
	bobs, _ := f.fake.Events("bob@example.com")
	if len(bobs) != 2 || bobs[0].ICalUID == bobs[1].ICalUID {
		t.Errorf("after the split Bob has %d series; want the cut one and a new unlinked one", len(bobs))
	}
}
