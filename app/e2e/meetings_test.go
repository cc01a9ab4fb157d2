package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMeetingsAcrossConnectedMailboxesByHTTP runs the meetings issue through the program: the
// fake's demo has anna organize meetings with ben as attendee; both connect; anna's sync
// brings the meetings in with ben invited (the app's directory matches addresses), ben's
// sync ties his copies to them instead of importing them again, and ben's answer in My
// Calendar reaches anna's Outlook.
func TestMeetingsAcrossConnectedMailboxesByHTTP(t *testing.T) {
	d := newDeployment(t)
	anna := d.member("anna@example.com", "Anna Berg")
	ben := d.member("Ben@Example.com", "Ben Olsen")
	if err := d.fake.SeedDemo("anna@example.com", "ben@example.com"); err != nil {
		t.Fatal(err)
	}
	seeded, err := d.fake.MessagesReceived("ben@example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*client{anna, ben} {
		if res := c.connect(); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("connect: %d", res.StatusCode)
		}
	}
	for _, c := range []*client{anna, ben, anna, ben} {
		if res := c.post("/api/v1/outlook/sync"); res.StatusCode != http.StatusOK {
			t.Fatalf("sync: %d", res.StatusCode)
		}
	}
	from := time.Now().UTC().AddDate(0, 0, -1).Format(time.RFC3339)
	to := time.Now().UTC().AddDate(0, 0, 40).Format(time.RFC3339)
	type occurrence struct {
		EventID       int64  `json:"eventId"`
		OriginalStart string `json:"originalStart"`
		Title         string `json:"title"`
		Organizer     struct {
			Email string `json:"email"`
		} `json:"organizer"`
		RSVP *string `json:"rsvp"`
	}
	var list struct {
		Occurrences []occurrence `json:"occurrences"`
	}
	ben.json(ben.get("/api/v1/occurrences?from="+from+"&to="+to), &list)
	var kickoff []occurrence
	for _, o := range list.Occurrences {
		if strings.Contains(o.Title, "Project kickoff") {
			kickoff = append(kickoff, o)
		}
	}
	if len(kickoff) != 1 || kickoff[0].Organizer.Email != "anna@example.com" {
		t.Fatalf("ben sees the kickoff %d times (%+v), want once, organized by anna", len(kickoff), kickoff)
	}

	// Ben answers yes in My Calendar; after his sync, anna's Outlook shows it.
	body := `{"response":"yes","scope":"all"}`
	res := ben.send(http.MethodPut, "/api/v1/events/"+strconv.FormatInt(kickoff[0].EventID, 10)+"/rsvp", strings.NewReader(body))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("rsvp: %d", res.StatusCode)
	}
	if res := ben.post("/api/v1/outlook/sync"); res.StatusCode != http.StatusOK {
		t.Fatalf("sync: %d", res.StatusCode)
	}
	ev, err := d.fake.FindEvent("anna@example.com", "Project kickoff")
	if err != nil {
		t.Fatal(err)
	}
	answered := false
	for _, a := range ev.Attendees {
		answered = answered || strings.EqualFold(a.EmailAddress.Address, "ben@example.com") && a.Status.Response == "accepted"
	}
	if !answered {
		t.Fatalf("anna's Outlook attendees after ben's yes: %+v", ev.Attendees)
	}
	if got, _ := d.fake.MessagesReceived("ben@example.com"); got != seeded {
		t.Fatalf("ben received %+v (before the syncs %+v): syncing sent him messages", got, seeded)
	}
}
