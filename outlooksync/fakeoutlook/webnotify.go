package fakeoutlook

import (
	"net/http"
	"slices"
	"time"
)

// The Notifications page: the live subscriptions and the latest deliveries, with forms to
// make the deliveries from now on late, duplicated, out of order or lost, and to send a
// subscription's lifecycle events, so that the demo can show notifications and polling.

type notifyPageData struct {
	webPage
	Subscriptions []SubscriptionInfo
	Deliveries    []Delivery // newest first
	Faults        NotificationFaults
	Now           time.Time
}

func (w *web) notificationsPage(rw http.ResponseWriter, r *http.Request) {
	w.s.notifier.mu.Lock()
	faults := w.s.notifier.faults
	w.s.notifier.mu.Unlock()
	d := w.s.Deliveries()
	slices.Reverse(d)
	d = d[:min(len(d), 50)]
	w.render(rw, http.StatusOK, "notifications", notifyPageData{webPage: w.page("Notifications", w.signedIn(r), r),
		Subscriptions: w.s.Subscriptions(), Deliveries: d, Faults: faults, Now: w.s.now()})
}

// setFaults is POST /outlook/notifications/faults.
func (w *web) setFaults(rw http.ResponseWriter, r *http.Request) {
	f := NotificationFaults{Duplicate: r.PostForm.Get("duplicate") != "", Reorder: r.PostForm.Get("reorder") != "",
		Lose: r.PostForm.Get("lose") != ""}
	if v := r.PostForm.Get("delay"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > 10*time.Minute {
			w.fail(rw, r, w.signedIn(r), http.StatusBadRequest, "The delay is a duration such as 30s, at most 10m.")
			return
		}
		f.Delay = d
	}
	w.s.SetNotificationFaults(f)
	http.Redirect(rw, r, "/outlook/notifications?done=changed", http.StatusSeeOther)
}

// lifecycle is POST /outlook/notifications/lifecycle.
func (w *web) lifecycle(rw http.ResponseWriter, r *http.Request) {
	if err := w.s.SendLifecycle(r.PostForm.Get("subscription"), r.PostForm.Get("event")); err != nil {
		w.failErr(rw, r, w.signedIn(r), err)
		return
	}
	http.Redirect(rw, r, "/outlook/notifications?done=sent", http.StatusSeeOther)
}

// signedIn is the signed-in mailbox, if any.
func (w *web) signedIn(r *http.Request) *MailboxInfo {
	c, err := r.Cookie(webCookie)
	if err != nil {
		return nil
	}
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if m := w.s.mailboxes[c.Value]; m != nil {
		info := m.info()
		return &info
	}
	return nil
}
