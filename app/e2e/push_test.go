package e2e

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"intracal/app/cli"
	"intracal/config"
	"intracal/outlooksync/fakeoutlook"
)

// pushed is a deployment that polls every 30 minutes, so that only change notifications
// explain a change arriving within seconds, with one member connected and subscribed.
func pushed(t testing.TB) (*deployment, *client, string) {
	t.Helper()
	d := newDeploymentWith(t, map[string]string{config.EnvSyncInterval: "30m"})
	const mailbox = "anna@example.com"
	anna := d.member(mailbox, "Anna Berg")
	if res := anna.connect(); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("connect: %d", res.StatusCode)
	}
	d.eventually("the connection is subscribed", func() bool { return len(d.fake.Subscriptions()) == 1 })
	d.eventually("the first cycle ran", func() bool { return anna.status().LastSyncAt != nil })
	return d, anna, mailbox
}

// eventually waits (polling, up to 20 s) for background work; it times nothing.
func (d *deployment) eventually(what string, cond func() bool) {
	d.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			d.t.Fatalf("still not so after 20 s: %s\n%s", what, d.logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// createInOutlook makes an event in the mailbox as its owner does in Outlook.
func (d *deployment) createInOutlook(mailbox, title string, day int) {
	d.t.Helper()
	start := time.Now().UTC().Truncate(time.Hour).AddDate(0, 0, day)
	if _, err := d.fake.CreateEvent(mailbox, fakeoutlook.EventSpec{Subject: title, Start: start, End: start.Add(30 * time.Minute)}); err != nil {
		d.t.Fatal(err)
	}
}

// TestOutlookChangesArriveByNotificationByHTTP is the program as deployed: connecting
// subscribes to the mailbox's changes (the fake ran the handshake against the site), a change
// made in Outlook reaches the occurrences API although the schedule polls every 30 minutes,
// the Control Panel says the connection is pushed, and disconnecting deletes the subscription.
func TestOutlookChangesArriveByNotificationByHTTP(t *testing.T) {
	d, anna, mailbox := pushed(t)
	d.createInOutlook(mailbox, "Pushed from Outlook", 2)
	d.eventually("the change is in My Calendar", func() bool { return myCalendar(t, anna)["Pushed from Outlook"] == 1 })

	root := &client{t: t, d: d, token: strings.TrimSpace(d.run(cli.RunToken, "", "create", "--email", "root@example.com"))}
	res := root.get("/cp/connections")
	page, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "Push: Outlook notifies changes") {
		t.Fatalf("the Control Panel does not say the connection is pushed: %d\n%s", res.StatusCode, page)
	}

	var list struct {
		Connections []struct {
			Changes struct {
				Mode    string     `json:"mode"`
				Expires *time.Time `json:"subscriptionExpires"`
			} `json:"changes"`
		} `json:"connections"`
	}
	root.json(root.get("/api/v1/admin/outlook/connections"), &list)
	if len(list.Connections) != 1 || list.Connections[0].Changes.Mode != "push" || list.Connections[0].Changes.Expires == nil {
		t.Fatalf("the admin API does not say the connection is pushed: %+v", list)
	}

	if res := anna.post("/api/v1/outlook/disconnect"); res.StatusCode != http.StatusOK {
		t.Fatalf("disconnect: %d", res.StatusCode)
	}
	if subs := d.fake.Subscriptions(); len(subs) != 0 {
		t.Fatalf("the subscription outlived the disconnect: %+v", subs)
	}
}

// BenchmarkOutlookChangeToAPIByNotification measures, with the schedule at 30 minutes, the
// delay from a change in the fake's mailbox to the change in GET /api/v1/occurrences, over
// 100 changes one after the other, and the Graph requests each change cost. Run it with
// -benchtime 1x (docs/benchmarks.md).
func BenchmarkOutlookChangeToAPIByNotification(b *testing.B) {
	d, anna, mailbox := pushed(b)
	const changes = 100
	for b.Loop() {
		var delays []time.Duration
		requests := 0
		for i := range changes {
			title := fmt.Sprintf("Change %d", i)
			before := d.fake.GraphRequestCount(mailbox)
			start := time.Now()
			d.createInOutlook(mailbox, title, 1+i%20)
			d.eventually(title+" arrives", func() bool { return myCalendar(b, anna)[title] == 1 })
			delays = append(delays, time.Since(start))
			requests += d.fake.GraphRequestCount(mailbox) - before
		}
		slices.Sort(delays)
		b.ReportMetric(float64(delays[changes/2].Milliseconds()), "p50-ms")
		b.ReportMetric(float64(delays[changes*99/100].Milliseconds()), "p99-ms")
		b.ReportMetric(float64(delays[changes-1].Milliseconds()), "max-ms")
		b.ReportMetric(float64(requests)/changes, "graph-requests/change")
	}
}
