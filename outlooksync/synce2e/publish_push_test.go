package synce2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"intracal/app/outlook"
	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/publish"
)

// TestAMembersEditOfAPublishedCopyIsUndoneByNotification: each member's calendar of a
// published space is subscribed to (as the app, with its application permission); when
// carol deletes a copy in Outlook, the notification makes her target due and kicks the
// publisher, which writes the copy back without waiting for the next check.
func TestAMembersEditOfAPublishedCopyIsUndoneByNotification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newPublishWorld(t, db, true)
		w.spaceEvent(w.user, calendar.EventInput{Title: "Offsite", Start: wall(w.at(2, 9, 0)), End: wall(w.at(2, 17, 0))})
		if res := w.cycle(); res.Runs != 3 || res.Failed != 0 {
			t.Fatalf("first cycle: %+v", res)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		push := &outlooksync.Push{Store: outlooksync.NewStore(db), Kinds: map[string]outlooksync.Watched{publish.WatchSpaceCalendar: w.pub.Watched()},
			Holder: "A", Log: log}
		e := echo.New()
		n := outlook.NewNotifications(push, log)
		e.POST(outlook.NotificationPath, n.Receive)
		e.POST(outlook.LifecyclePath, n.Receive)
		site := httptest.NewServer(e)
		t.Cleanup(site.Close)
		push.NotificationURL, push.LifecycleURL = site.URL+outlook.NotificationPath, site.URL+outlook.LifecyclePath
		if err := push.Maintain(context.Background()); err != nil {
			t.Fatal(err)
		}
		subs := w.fake.Subscriptions()
		var resources []string
		for _, s := range subs {
			resources = append(resources, s.Resource)
		}
		if len(subs) != 3 || !slices.ContainsFunc(resources, func(r string) bool {
			return strings.HasPrefix(r, "users/"+carolMail+"/calendars/") && strings.HasSuffix(r, "/events")
		}) {
			t.Fatalf("subscriptions of the space's calendars: %v", resources)
		}

		// Subscribing made each target due (what changed before has no notification); a cycle
		// runs them, and none is due for an hour after.
		w.cycle()

		// The publisher runs as in the program, checking its targets only hourly: the
		// notification is what brings the copy back.
		w.pub.Tick = time.Hour
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = w.pub.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
		pw := &pushWorld{world: w.world}

		offsite := w.findIn(carolMail, w.spaceCalendar(carolMail), "Offsite")
		if err := w.fake.DeleteEvent(carolMail, offsite.ID); err != nil {
			t.Fatal(err)
		}
		pw.eventually("carol's deleted copy is back", func() bool {
			return slices.ContainsFunc(w.copies(carolMail), func(l string) bool { return strings.Contains(l, "Offsite") })
		})
		notified := false
		for _, d := range w.fake.Deliveries() {
			notified = notified || (d.Status == 202 && d.Lifecycle == "")
		}
		if !notified {
			t.Fatal("no notification was delivered: the copy came back some other way")
		}
	})
}
