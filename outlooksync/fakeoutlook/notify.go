package fakeoutlook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Delivery of change notifications and lifecycle notifications to the subscribers' URLs, as
// Graph's webhooks do: a POST of {"value": [...]} that the app must answer 2xx within 3 s
// (the fake retries a failed delivery twice, Graph for up to four hours), several
// notifications for one URL batched into one POST. By default a change is delivered within
// the batching window (DefaultNotificationWindow); NotificationFaults make deliveries late,
// duplicated, out of order or lost, and SendLifecycle sends the lifecycle events on demand.

// DefaultNotificationWindow is how long a notification waits for others to the same URL.
const DefaultNotificationWindow = 100 * time.Millisecond

// validationTimeout is Graph's limit for the handshake; deliveryTimeout its limit for a
// notification's answer.
const (
	validationTimeout = 10 * time.Second
	deliveryTimeout   = 3 * time.Second
)

// NotificationFaults change how notifications are delivered, until changed again.
type NotificationFaults struct {
	Delay     time.Duration // each delivery waits this long first (late)
	Duplicate bool          // each notification is delivered twice
	Reorder   bool          // a batch's notifications are delivered one by one, newest first
	Lose      bool          // notifications are dropped (lifecycle events too)
}

// Delivery is one POST the fake made to a subscriber, or one it dropped (Lost).
type Delivery struct {
	At             time.Time
	URL            string
	SubscriptionID string
	Items          int
	Lifecycle      string // the lifecycle event, "" for change notifications
	Status         int    // the app's answer; 0 when it could not be reached
	Lost           bool
}

type notification struct {
	url       string
	subID     string
	lifecycle string
	payload   map[string]any
	faults    NotificationFaults // those set when the change was made
}

// notifier delivers notifications. It has its own lock: the server enqueues under s.mu, and
// deliveries run without either.
type notifier struct {
	client *http.Client
	window time.Duration

	mu         sync.Mutex
	faults     NotificationFaults
	pending    map[string][]notification // by URL, waiting for their window
	inFlight   int
	idle       chan struct{} // closed when nothing is pending or in flight
	deliveries []Delivery
}

func newNotifier(client *http.Client, window time.Duration) *notifier {
	if client == nil {
		client = &http.Client{}
	}
	if window <= 0 {
		window = DefaultNotificationWindow
	}
	idle := make(chan struct{})
	close(idle)
	return &notifier{client: client, window: window, pending: map[string][]notification{}, idle: idle}
}

// SetNotificationFaults sets how the notifications from now on are delivered.
func (s *Server) SetNotificationFaults(f NotificationFaults) {
	s.notifier.mu.Lock()
	defer s.notifier.mu.Unlock()
	s.notifier.faults = f
}

// Deliveries returns the deliveries so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.notifier.mu.Lock()
	defer s.notifier.mu.Unlock()
	return slices.Clone(s.notifier.deliveries)
}

// WaitNotifications waits until every notification queued so far has been delivered or
// dropped.
func (s *Server) WaitNotifications(ctx context.Context) error {
	s.notifier.mu.Lock()
	idle := s.notifier.idle
	s.notifier.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SendLifecycle delivers a lifecycle event (reauthorizationRequired, subscriptionRemoved or
// missed) of a live subscription to its lifecycle URL. subscriptionRemoved also removes the
// subscription, as Graph does when it ends one.
func (s *Server) SendLifecycle(subscriptionID, event string) error {
	if !slices.Contains([]string{"reauthorizationRequired", "subscriptionRemoved", "missed"}, event) {
		return fmt.Errorf("fake outlook: unknown lifecycle event %q", event)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sub := s.subscriptionLocked(subscriptionID)
	if sub == nil {
		return fmt.Errorf("fake outlook: no live subscription %q", subscriptionID)
	}
	if sub.lifecycle == "" {
		return fmt.Errorf("fake outlook: subscription %q has no lifecycle URL", subscriptionID)
	}
	s.notifier.enqueue(notification{url: sub.lifecycle, subID: sub.id, lifecycle: event, payload: map[string]any{
		"subscriptionId":                 sub.id,
		"subscriptionExpirationDateTime": sub.expires.Format(time.RFC3339),
		"tenantId":                       sub.owner.tenantID,
		"clientState":                    nullable(sub.clientState),
		"lifecycleEvent":                 event,
	}})
	if event == "subscriptionRemoved" {
		s.removeSubscriptionLocked(sub.id)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// notifyChangeLocked queues a change notification for every live subscription on the store
// whose change types include the change.
func (s *Server) notifyChangeLocked(store *mailbox, ev *event, change string) {
	if len(s.subs) == 0 {
		return
	}
	for _, sub := range s.liveSubscriptionsLocked() {
		if sub.store != store || !slices.Contains(sub.changeTypes, change) {
			continue
		}
		res := fmt.Sprintf("Users/%s/Events/%s", sub.owner.id, ev.id)
		s.notifier.enqueue(notification{url: sub.notifyURL, subID: sub.id, payload: map[string]any{
			"subscriptionId":                 sub.id,
			"subscriptionExpirationDateTime": sub.expires.Format(time.RFC3339),
			"changeType":                     change,
			"resource":                       res,
			"clientState":                    nullable(sub.clientState),
			"tenantId":                       sub.owner.tenantID,
			"resourceData": map[string]any{
				"@odata.type": "#Microsoft.Graph.Event",
				"@odata.id":   res,
				"@odata.etag": `W/"` + ev.changeKey + `"`,
				"id":          ev.id,
			},
		}})
	}
}

func (n *notifier) enqueue(item notification) {
	n.mu.Lock()
	defer n.mu.Unlock()
	item.faults = n.faults
	if n.inFlight == 0 && len(n.pending) == 0 {
		n.idle = make(chan struct{})
	}
	first := len(n.pending[item.url]) == 0
	n.pending[item.url] = append(n.pending[item.url], item)
	if first {
		n.inFlight++ // the flush to come
		time.AfterFunc(n.window, func() { n.flush(item.url) })
	}
}

// flush delivers what waits for a URL, each run of notifications as the faults set when its
// changes were made say.
func (n *notifier) flush(target string) {
	n.mu.Lock()
	items := n.pending[target]
	delete(n.pending, target)
	n.mu.Unlock()
	defer n.done()
	for len(items) > 0 {
		i := 1
		for i < len(items) && items[i].faults == items[0].faults {
			i++
		}
		n.deliver(target, items[:i], items[0].faults)
		items = items[i:]
	}
}

func (n *notifier) deliver(target string, items []notification, f NotificationFaults) {
	if f.Lose {
		n.mu.Lock()
		for _, it := range items {
			n.deliveries = append(n.deliveries, Delivery{At: time.Now(), URL: target, SubscriptionID: it.subID, Items: 1, Lifecycle: it.lifecycle, Lost: true})
		}
		n.mu.Unlock()
		return
	}
	if f.Delay > 0 {
		time.Sleep(f.Delay)
	}
	var posts [][]notification
	switch {
	case f.Reorder:
		for i := len(items) - 1; i >= 0; i-- {
			posts = append(posts, []notification{items[i]})
		}
	default:
		posts = append(posts, items)
	}
	if f.Duplicate {
		posts = append(posts, posts...)
	}
	for _, post := range posts {
		n.post(target, post)
	}
}

func (n *notifier) done() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.inFlight--
	if n.inFlight == 0 && len(n.pending) == 0 {
		close(n.idle)
	}
}

// post delivers one batch, retrying twice after a failure.
func (n *notifier) post(target string, items []notification) {
	values := make([]map[string]any, len(items))
	for i, it := range items {
		values[i] = it.payload
	}
	body, _ := json.Marshal(map[string]any{"value": values})
	status := 0
	for attempt := range 3 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		status = n.send(target, body)
		if status >= 200 && status < 300 {
			break
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.deliveries = append(n.deliveries, Delivery{At: time.Now(), URL: target, SubscriptionID: items[0].subID,
		Items: len(items), Lifecycle: items[0].lifecycle, Status: status})
}

func (n *notifier) send(target string, body []byte) int {
	ctx, cancel := context.WithTimeout(context.Background(), deliveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := n.client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	return resp.StatusCode
}

// validationTokenFor is what Graph sends: a sentence with spaces and a colon, so that an app
// that echoes it without decoding the query fails the handshake, as it would with Graph.
func validationTokenFor() string {
	return "Validation: Testing client application reachability for subscription Request-Id: " + newGUID()
}

// validate runs Graph's handshake with a notification URL: a POST with ?validationToken=
// and a text/plain body, to be answered 200 with the decoded token as text/plain within
// 10 seconds.
func (n *notifier) validate(ctx context.Context, target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	token := validationTokenFor()
	q := u.Query()
	q.Set("validationToken", token)
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(ctx, validationTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), http.NoBody)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := n.client.Do(req)
	if err != nil {
		return fmt.Errorf("the endpoint could not be reached: %w", err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch {
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("the endpoint answered %d", resp.StatusCode)
	case !bytes.HasPrefix([]byte(resp.Header.Get("Content-Type")), []byte("text/plain")):
		return fmt.Errorf("the answer is %q, not text/plain", resp.Header.Get("Content-Type"))
	case string(got) != token:
		return errors.New("the answer does not match the validationToken")
	}
	return nil
}
