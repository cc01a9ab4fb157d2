package e2e

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"intracal/outlooksync/fakeoutlook"
)

// TestPrivateOutlookAppointmentsStayPrivateByHTTP: an appointment marked private in Outlook
// is private once synced, so a colleague reads nothing of it through the occurrences API
// with the owner's calendar id or through GET /api/v1/events/{id}; the owner still sees it.
func TestPrivateOutlookAppointmentsStayPrivateByHTTP(t *testing.T) {
	d := newDeployment(t)
	anna := d.member("anna@example.com", "Anna Berg")
	ben := d.member("ben@example.com", "Ben Olsen")
	start := time.Now().UTC().Truncate(time.Hour).Add(48 * time.Hour)
	for _, s := range []string{"private", "confidential"} {
		if _, err := d.fake.CreateEvent("anna@example.com", fakeoutlook.EventSpec{Subject: "Doctor (" + s + ")", Body: "results",
			Location: "Clinic", Start: start, End: start.Add(time.Hour), TimeZone: "UTC", Sensitivity: s}); err != nil {
			t.Fatal(err)
		}
	}
	if res := anna.connect(); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("connect: %d", res.StatusCode)
	}
	if res := anna.post("/api/v1/outlook/sync"); res.StatusCode != http.StatusOK {
		t.Fatalf("sync: %d", res.StatusCode)
	}
	type occurrence struct {
		EventID int64  `json:"eventId"`
		Title   string `json:"title"`
		Privacy string `json:"privacy"`
	}
	var mine struct {
		Occurrences []occurrence `json:"occurrences"`
	}
	window := "from=" + start.AddDate(0, 0, -1).Format(time.RFC3339) + "&to=" + start.AddDate(0, 0, 1).Format(time.RFC3339)
	anna.json(anna.get("/api/v1/occurrences?"+window), &mine)
	if len(mine.Occurrences) != 2 {
		t.Fatalf("anna sees %d of her appointments, want 2", len(mine.Occurrences))
	}
	var event struct {
		CalendarID int64 `json:"calendarId"`
	}
	anna.json(anna.get("/api/v1/events/"+strconv.FormatInt(mine.Occurrences[0].EventID, 10)), &event)
	for _, o := range mine.Occurrences {
		if o.Privacy != "private" {
			t.Errorf("%q is %s here", o.Title, o.Privacy)
		}
	}

	var seen struct {
		Occurrences []occurrence `json:"occurrences"`
	}
	res := ben.get("/api/v1/occurrences?" + window + "&calendarId=" + strconv.FormatInt(event.CalendarID, 10))
	if res.StatusCode == http.StatusOK {
		ben.json(res, &seen)
	}
	if len(seen.Occurrences) != 0 {
		t.Fatalf("a colleague sees anna's private appointments: %+v", seen.Occurrences)
	}
	for _, o := range mine.Occurrences {
		res := ben.get("/api/v1/events/" + strconv.FormatInt(o.EventID, 10))
		if res.StatusCode == http.StatusOK {
			t.Fatalf("a colleague reads %q", o.Title)
		}
		body, _ := io.ReadAll(res.Body)
		if strings.Contains(string(body), "Doctor") || strings.Contains(string(body), "Clinic") {
			t.Fatalf("the refusal shows the appointment: %s", body)
		}
	}
}
