package synce2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/app/outlook"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// subscribed makes the world's subscription and waits for the cycle that follows it.
func (w *pushWorld) subscribed() fakeoutlook.SubscriptionInfo {
	w.t.Helper()
	w.maintain()
	subs := w.fake.Subscriptions()
	if len(subs) != 1 {
		w.t.Fatalf("subscriptions after upkeep: %+v", subs)
	}
	w.settle()
	return subs[0]
}

func (w *pushWorld) state() outlooksync.WatchState {
	w.t.Helper()
	st, err := w.store.WatchStates(context.Background(), outlooksync.WatchConnection)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return st[w.user.UserID]
}

// TestAnOutlookChangeArrivesByNotification: with the schedule at 30 minutes, a change made in
// Outlook reaches My Calendar because Graph notified it (the fake validated the site, as
// Graph does, before it subscribed), and a disconnect deletes the subscription.
func TestAnOutlookChangeArrivesByNotification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newPushWorld(t, db, pushOptions{})
		sub := w.subscribed()
		if !strings.HasSuffix(sub.NotificationURL, outlook.NotificationPath) || !strings.HasSuffix(sub.LifecycleURL, outlook.LifecyclePath) ||
			sub.Resource != "me/events" {
			t.Fatalf("subscription: %+v", sub)
		}
		if left := time.Until(sub.Expires); left < 6*24*time.Hour || left > fakeoutlook.MaxSubscriptionLifetime {
			t.Fatalf("the subscription lives %s; Outlook allows 10,080 minutes and we ask nearly that", left)
		}
		if st := w.state(); st.Mode != outlooksync.ModePush {
			t.Fatalf("state: %+v", st)
		}
		w.createInOutlook("Made in Outlook", 1)
		w.eventually("the new event is in My Calendar", func() bool { return w.hasLocal("Made in Outlook") })
		w.settle()
		if st := w.state(); st.Notified == 0 || st.LastNotifiedAt == nil {
			t.Fatalf("the notification was not counted: %+v", st)
		}
		for _, d := range w.fake.Deliveries() {
			if d.Status != http.StatusAccepted {
				t.Fatalf("a delivery was answered %d", d.Status)
			}
		}
		if err := w.instances[0].push.Unsubscribe(context.Background(), outlooksync.WatchConnection, w.user.UserID); err != nil {
			t.Fatal(err)
		}
		if subs := w.fake.Subscriptions(); len(subs) != 0 {
			t.Fatalf("the subscription outlived the disconnect: %+v", subs)
		}
	})
}

// TestABurstReceivedByTwoInstancesIsOneCycle: two app instances on one database behind one
// address receive a burst of notifications in turn (each its own POST); one cycle runs for
// the burst, on one of them, and brings all of it.
func TestABurstReceivedByTwoInstancesIsOneCycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newPushWorld(t, db, pushOptions{instances: 2, coalesce: time.Second})
		w.subscribed()
		w.fake.SetNotificationFaults(fakeoutlook.NotificationFaults{Reorder: true})
		before := w.cycles.Load()
		for i := range 8 {
			w.createInOutlook(fmt.Sprintf("Burst %d", i), i%5)
		}
		w.settle()
		for i := range 8 {
			if !w.hasLocal(fmt.Sprintf("Burst %d", i)) {
				t.Fatalf("Burst %d is missing: %v", i, w.local())
			}
		}
		if got := w.cycles.Load() - before; got != 1 {
			t.Fatalf("%d cycles for one burst, want 1", got)
		}
		for i, in := range w.instances {
			if in.received.Load() == 0 {
				t.Fatalf("instance %d received none of the burst", i)
			}
		}
	})
}

// TestForgedAndReplayedNotificationsDoNothing: a replayed notification (the real
// subscription and clientState, sent again and again) runs one cycle; a notification for an
// unknown subscription, or with the wrong clientState, or for a subscription since replaced,
// runs none, and a sender of many is refused.
func TestForgedAndReplayedNotificationsDoNothing(t *testing.T) {
	w := newPushWorld(t, dbtest.SQLite(t), pushOptions{coalesce: time.Second})
	sub := w.subscribed()
	note := func(id, state string) string {
		return fmt.Sprintf(`{"value":[{"subscriptionId":%q,"clientState":%q,"changeType":"updated","resource":"Users/x/Events/y"}]}`, id, state)
	}
	before := w.cycles.Load()
	for range 30 {
		if st := w.post(outlook.NotificationPath, note(sub.ID, sub.ClientState)); st != http.StatusAccepted {
			t.Fatalf("a replayed notification: %d", st)
		}
	}
	w.settle()
	if got := w.cycles.Load() - before; got != 1 {
		t.Fatalf("30 replays ran %d cycles, want 1", got)
	}

	// Graph removes the subscription; the upkeep makes another. The old id is now unknown.
	if err := w.fake.SendLifecycle(sub.ID, "subscriptionRemoved"); err != nil {
		t.Fatal(err)
	}
	w.settle()
	w.maintain()
	subs := w.fake.Subscriptions()
	if len(subs) != 1 || subs[0].ID == sub.ID {
		t.Fatalf("after subscriptionRemoved: %+v", subs)
	}
	w.settle()
	before = w.cycles.Load()
	forged := []string{
		note(sub.ID, sub.ClientState),       // the replaced subscription
		note(subs[0].ID, "guessed"),         // the live one, the wrong secret
		note("00000000-0000-0000-0000", ""), // unknown
		`{"value":[{"subscriptionId":"` + subs[0].ID + `","lifecycleEvent":"missed"}]}`, // no secret
	}
	for _, body := range forged {
		if st := w.post(outlook.NotificationPath, body); st != http.StatusAccepted {
			t.Fatalf("a forged notification: %d", st)
		}
	}
	w.settle()
	if got := w.cycles.Load() - before; got != 0 {
		t.Fatalf("forged notifications ran %d cycles", got)
	}
	limited := false
	for range 40 {
		if w.post(outlook.NotificationPath, note("forged", "x")) == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("40 forged notifications from one address were never refused")
	}
}

// TestSubscriptionsAreRenewedBeforeTheyExpire, with the fake's clock moved by days: the
// upkeep renews a subscription when half its life is gone, subscribes anew when it expired
// unrenewed (the app was down) or Graph asked for reauthorization of one it forgot.
func TestSubscriptionsAreRenewedBeforeTheyExpire(t *testing.T) {
	clock := fakeoutlook.NewClock(time.Now())
	w := newPushWorld(t, dbtest.SQLite(t), pushOptions{now: clock.Now,
		// The world's token source cannot be told a token died early; the clock moves by weeks.
		fake: fakeoutlook.Options{Now: clock.Now, AccessTokenLifetime: 60 * 24 * time.Hour}})
	first := w.subscribed()

	clock.Advance(2 * 24 * time.Hour) // not yet half
	w.maintain()
	if subs := w.fake.Subscriptions(); len(subs) != 1 || !subs[0].Expires.Equal(first.Expires) {
		t.Fatalf("renewed too early: %+v", subs)
	}
	clock.Advance(36 * time.Hour) // past half
	w.maintain()
	subs := w.fake.Subscriptions()
	if len(subs) != 1 || subs[0].ID != first.ID || !subs[0].Expires.After(first.Expires) {
		t.Fatalf("not renewed past half its life: %+v (first %+v); %+v", subs, first, w.state())
	}
	renewed := subs[0]

	clock.Advance(8 * 24 * time.Hour) // the app was down: it expired
	if subs := w.fake.Subscriptions(); len(subs) != 0 {
		t.Fatalf("the fake kept an expired subscription: %+v", subs)
	}
	w.maintain()
	subs = w.fake.Subscriptions()
	if len(subs) != 1 || subs[0].ID == renewed.ID {
		t.Fatalf("no new subscription after expiry: %+v", subs)
	}
	w.settle()

	// reauthorizationRequired: the next upkeep renews (with a PATCH) at once.
	if err := w.fake.SendLifecycle(subs[0].ID, "reauthorizationRequired"); err != nil {
		t.Fatal(err)
	}
	w.settle()
	clock.Advance(time.Minute)
	w.maintain()
	after := w.fake.Subscriptions()
	if len(after) != 1 || after[0].ID != subs[0].ID || !after[0].Expires.After(subs[0].Expires) {
		t.Fatalf("reauthorizationRequired did not renew: %+v", after)
	}
	if st := w.state(); st.Mode != outlooksync.ModePush {
		t.Fatalf("state: %+v", st)
	}
}

// TestLostNotificationsAreCaughtByPolling: every notification is lost; the schedule, which
// polls a pushed connection every PushedInterval, brings the change all the same.
func TestLostNotificationsAreCaughtByPolling(t *testing.T) {
	w := newPushWorld(t, dbtest.SQLite(t), pushOptions{run: true, interval: time.Second, pushedInterval: 2 * time.Second})
	w.subscribed()
	w.fake.SetNotificationFaults(fakeoutlook.NotificationFaults{Lose: true})
	w.createInOutlook("Nobody told us", 2)
	w.eventually("polling brings the change", func() bool { return w.hasLocal("Nobody told us") })
	lost := 0
	for _, d := range w.fake.Deliveries() {
		if d.Lost {
			lost++
		}
	}
	if lost == 0 {
		t.Fatal("no notification was lost: the test proves nothing")
	}
}

// TestASiteGraphCannotReachIsPolledAndSaysWhy: when the handshake fails (the site is not
// reachable from Graph), the connection is polled only and its state says why; with push
// turned off, so it says.
func TestASiteGraphCannotReachIsPolledAndSaysWhy(t *testing.T) {
	w := newPushWorld(t, dbtest.SQLite(t), pushOptions{})
	w.instances[0].push.NotificationURL = "http://127.0.0.1:1" + outlook.NotificationPath
	w.maintain()
	if subs := w.fake.Subscriptions(); len(subs) != 0 {
		t.Fatalf("subscribed without a handshake: %+v", subs)
	}
	st := w.state()
	if st.Mode != outlooksync.ModePolling || !strings.Contains(st.Reason, "could not reach this site") {
		t.Fatalf("state: %+v", st)
	}
	// An hour on, the row is due again; this time push is off.
	clocked := &outlooksync.Push{Store: w.store.WithClock(func() time.Time { return time.Now().Add(time.Hour) }),
		Kinds: w.instances[0].push.Kinds, Off: "change notifications are turned off on this site", Holder: "A", Log: w.instances[0].push.Log}
	if err := clocked.Maintain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := w.state(); st.Mode != outlooksync.ModePolling || st.Reason != "change notifications are turned off on this site" {
		t.Fatalf("state with push off: %+v", st)
	}
}

// TestTheValidationHandshakeEchoesTheDecodedToken: Graph's token, a sentence with spaces and
// a colon, comes back decoded as text/plain.
func TestTheValidationHandshakeEchoesTheDecodedToken(t *testing.T) {
	w := newPushWorld(t, dbtest.SQLite(t), pushOptions{})
	token := "Validation: Testing client application reachability for subscription Request-Id: 1a2b"
	for _, path := range []string{outlook.NotificationPath, outlook.LifecyclePath} {
		res, err := http.Post(w.site.URL+path+"?validationToken="+strings.ReplaceAll(strings.ReplaceAll(token, " ", "%20"), ":", "%3A"), "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") || string(body) != token {
			t.Fatalf("%s: %d %q %q", path, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
}

// TestTwoInstancesKeepOneSubscription: both instances run the upkeep at once, again and
// again; the connection has one subscription, not one per instance.
func TestTwoInstancesKeepOneSubscription(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newPushWorld(t, db, pushOptions{instances: 2})
		for range 3 {
			errs := make(chan error, 2)
			for _, in := range w.instances {
				go func() { errs <- in.push.Maintain(context.Background()) }()
			}
			for range 2 {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
		}
		if subs := w.fake.Subscriptions(); len(subs) != 1 {
			t.Fatalf("%d subscriptions for one connection: %+v", len(subs), subs)
		}
		w.settle()
	})
}
