package outlooksync

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Push-first sync. Each watched Outlook calendar (a connection's, or a member's calendar of
// a published space) has a Graph subscription whose notifications start a cycle within
// seconds; the schedule keeps polling as the backstop, less often while a subscription is
// live. All of it is in the database (outlook_subscriptions), so any app instance renews a
// subscription and any receives for it:
//
//   - Maintain subscribes the calendars that have no live subscription, renews those whose
//     expiry nears (Graph allows an Outlook event subscription 10,080 minutes; we ask a
//     little less and renew when half is left), subscribes anew those Graph forgot, and
//     drops the rows of calendars no longer watched. A calendar Graph cannot reach us for
//     (the validation handshake failed: an intranet behind a firewall) is polled only, and
//     its row says why; it is tried again later.
//   - Receive takes the items of a notification POST. An item counts only when its
//     subscription is known and its clientState matches the stored hash (compared in
//     constant time); its content is never trusted beyond that: it says "look at this
//     calendar", and the calendar's cycle finds what changed. Lifecycle events renew
//     (reauthorizationRequired), subscribe anew (subscriptionRemoved) or run a cycle
//     (missed).

// WatchConnection is the kind of an Outlook connection's calendar.
const WatchConnection = "connection"

// Defaults of Push.
const (
	DefaultSubscriptionLifetime = 10080*time.Minute - 2*time.Hour
	DefaultSubscriptionRetry    = 15 * time.Minute
	maxSubscriptionRetry        = 6 * time.Hour
	watchLeaseTTL               = 2 * time.Minute
	maintainWorkers             = 4
)

// Watched is one kind of watched calendar: whose, through which client, and what a
// notification does.
type Watched interface {
	// Owners lists the owners whose calendar is to be watched now.
	Owners(ctx context.Context) ([]int64, error)
	// Subscriber returns the Graph client of the owner's calendar.
	Subscriber(ctx context.Context, owner int64) (Subscriber, error)
	// Changed says that the owner's calendar changed (or that a notification may have been
	// missed): its cycle is to run soon.
	Changed(ctx context.Context, owner int64) error
}

// Push keeps the subscriptions of the watched calendars and receives their notifications.
type Push struct {
	Store *Store
	Kinds map[string]Watched
	// NotificationURL and LifecycleURL are the site's fixed addresses for Graph.
	NotificationURL string
	LifecycleURL    string
	// Off, when set, is why push is off: every calendar is polled only, and its row says so.
	Off string
	// Lifetime is the expiry asked for (zero: DefaultSubscriptionLifetime); a subscription
	// is renewed when less than half of it is left.
	Lifetime time.Duration
	// Retry is the first wait after a failed subscribe (zero: DefaultSubscriptionRetry); it
	// doubles up to six hours.
	Retry   time.Duration
	Holder  string
	Log     *slog.Logger
	Metrics *Metrics

	kickOnce sync.Once
	kick     chan struct{}
}

// Notification is one item of a notification POST from Graph; only what it is trusted for.
type Notification struct {
	SubscriptionID string `json:"subscriptionId"`
	ClientState    string `json:"clientState"`
	ChangeType     string `json:"changeType"`
	LifecycleEvent string `json:"lifecycleEvent"`
}

func (p *Push) lifetime() time.Duration {
	if p.Lifetime > 0 {
		return p.Lifetime
	}
	return DefaultSubscriptionLifetime
}

func (p *Push) kicks() chan struct{} {
	p.kickOnce.Do(func() { p.kick = make(chan struct{}, 1) })
	return p.kick
}

// Kick asks the maintenance for a pass soon.
func (p *Push) Kick() {
	select {
	case p.kicks() <- struct{}{}:
	default:
	}
}

// Run maintains the subscriptions until ctx is done: a pass at once, then every half
// minute and whenever a lifecycle event asks.
func (p *Push) Run(ctx context.Context) error {
	kick := p.kicks()
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		if err := p.Maintain(ctx); err != nil && ctx.Err() == nil {
			p.Log.Warn("maintain outlook subscriptions", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-kick:
		}
	}
}

// Maintain makes one pass over every kind: rows for the calendars to watch, none for the
// others, and each due row subscribed or renewed.
func (p *Push) Maintain(ctx context.Context) error {
	var errs []error
	for kind, w := range p.Kinds {
		if err := p.maintainKind(ctx, kind, w); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", kind, err))
		}
	}
	return errors.Join(errs...)
}

func (p *Push) maintainKind(ctx context.Context, kind string, w Watched) error {
	owners, err := w.Owners(ctx)
	if err != nil {
		return err
	}
	if err := p.Store.ensureWatches(ctx, kind, owners); err != nil {
		return err
	}
	rows, err := p.Store.watches(ctx, kind)
	if err != nil {
		return err
	}
	keep := make(map[int64]bool, len(owners))
	for _, o := range owners {
		keep[o] = true
	}
	for _, r := range rows {
		if !keep[r.OwnerID] {
			if err := p.Store.dropWatch(ctx, r.ID); err != nil {
				return err
			}
		}
	}
	for {
		due, err := p.Store.dueWatches(ctx, kind, 50)
		if err != nil || len(due) == 0 {
			return err
		}
		// A few at a time: each create waits for Graph's handshake with the site.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		sem := make(chan struct{}, maintainWorkers)
		for _, r := range due {
			if !keep[r.OwnerID] {
				continue
			}
			sem <- struct{}{}
			wg.Add(1)
			go func(r watchRow) {
				defer wg.Done()
				defer func() { <-sem }()
				cur, ok, err := p.Store.leaseWatch(ctx, r.ID, p.Holder, watchLeaseTTL)
				if err == nil && ok {
					err = p.maintainOne(ctx, w, cur)
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}(r)
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if len(due) < 50 {
			return nil
		}
	}
}

// maintainOne subscribes or renews one leased row and saves it.
func (p *Push) maintainOne(ctx context.Context, w Watched, r watchRow) error {
	now := p.Store.now().UTC()
	if p.Off != "" {
		r.SubscriptionID, r.SecretHash, r.ExpiresAt = "", "", nil
		r.Mode, r.Reason, r.CheckAt, r.Failures = ModePolling, p.Off, now.Add(maxSubscriptionRetry), 0
		return p.Store.saveWatch(ctx, r)
	}
	sub, err := w.Subscriber(ctx, r.OwnerID)
	if err != nil {
		return p.Store.saveWatch(ctx, p.failed(r, now, "the mailbox could not be reached: "+err.Error()))
	}
	live := r.SubscriptionID != "" && r.ExpiresAt != nil && r.ExpiresAt.After(now)
	if live {
		exp, err := sub.RenewSubscription(ctx, r.SubscriptionID, now.Add(p.lifetime()))
		p.Metrics.subscriptionOp("renew", err)
		switch {
		case err == nil:
			r.ExpiresAt, r.Failures, r.Mode, r.Reason = &exp, 0, ModePush, ""
			r.CheckAt = exp.Add(-p.lifetime() / 2)
			return p.Store.saveWatch(ctx, r)
		case !errors.Is(err, ErrRemoteNotFound):
			// Still live until it expires: try again soon, in push mode meanwhile.
			f := p.failed(r, now, "renewing the subscription failed: "+err.Error())
			f.Mode, f.SubscriptionID, f.SecretHash, f.ExpiresAt = ModePush, r.SubscriptionID, r.SecretHash, r.ExpiresAt
			return p.Store.saveWatch(ctx, f)
		}
		p.Log.Info("graph forgot a subscription; subscribing again", "owner", r.OwnerID)
	}
	secret, err := newClientState()
	if err != nil {
		return err
	}
	got, err := sub.Subscribe(ctx, SubscriptionRequest{NotificationURL: p.NotificationURL, LifecycleURL: p.LifecycleURL,
		ClientState: secret, Expires: now.Add(p.lifetime())})
	p.Metrics.subscriptionOp("create", err)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.Log.Warn("subscribing to outlook changes failed; polling", "owner", r.OwnerID, "err", err)
		return p.Store.saveWatch(ctx, p.failed(r, now, reasonOf(err, p.NotificationURL)))
	}
	exp := got.Expires
	if exp.IsZero() {
		exp = now.Add(p.lifetime())
	}
	r.SubscriptionID, r.SecretHash, r.ExpiresAt = got.ID, hashSecret(secret), &exp
	r.Mode, r.Reason, r.Failures, r.CheckAt = ModePush, "", 0, exp.Add(-p.lifetime()/2)
	if err := p.Store.saveWatch(ctx, r); err != nil {
		return err
	}
	// What changed while nothing was subscribed has no notification: a cycle finds it.
	return w.Changed(ctx, r.OwnerID)
}

// failed is a row polled only after a failure, to be tried again after a growing wait.
func (p *Push) failed(r watchRow, now time.Time, reason string) watchRow {
	r.Failures++
	wait := p.Retry
	if wait <= 0 {
		wait = DefaultSubscriptionRetry
	}
	wait = min(wait<<min(r.Failures-1, 10), maxSubscriptionRetry)
	r.SubscriptionID, r.SecretHash, r.ExpiresAt = "", "", nil
	r.Mode, r.Reason, r.CheckAt = ModePolling, truncateRunes(reason, 500), now.Add(wait)
	return r
}

// reasonOf says why subscribing failed, in the words an administrator needs.
func reasonOf(err error, notificationURL string) string {
	msg := err.Error()
	if strings.Contains(strings.ToLower(msg), "validation request failed") {
		return "Microsoft Graph could not reach this site at " + notificationURL +
			" (an intranet behind a firewall?), so changes are found by polling. Graph said: " + msg
	}
	return "subscribing to changes failed, so changes are found by polling: " + msg
}

func newClientState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make a clientState: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Receive handles the items of one notification POST and returns how many it refused (an
// unknown subscription, or a clientState that does not match): the endpoint rate limits
// those who send them.
func (p *Push) Receive(ctx context.Context, items []Notification) (refused int, err error) {
	type known struct {
		row watchRow
		ok  bool
	}
	type watched struct {
		kind  string
		owner int64
	}
	seen := map[string]known{}
	counted := map[int64]int{}
	changed := map[watched]bool{}
	accepted, lifecycle := 0, 0
	for _, it := range items {
		k, cached := seen[it.SubscriptionID]
		if !cached {
			r, ok, err := p.Store.watchBySubscription(ctx, it.SubscriptionID)
			if err != nil {
				return refused, err
			}
			k = known{row: r, ok: ok}
			seen[it.SubscriptionID] = k
		}
		if !k.ok || !secretMatches(it.ClientState, k.row.SecretHash) {
			refused++
			continue
		}
		w := p.Kinds[k.row.OwnerKind]
		if w == nil {
			refused++
			continue
		}
		counted[k.row.ID]++
		key := watched{k.row.OwnerKind, k.row.OwnerID}
		switch it.LifecycleEvent {
		case "":
			accepted++
			changed[key] = true
		case "reauthorizationRequired":
			lifecycle++
			if err := p.Store.checkWatchNow(ctx, k.row.ID, false, ""); err != nil {
				return refused, err
			}
			p.Kick()
		case "subscriptionRemoved":
			lifecycle++
			if err := p.Store.checkWatchNow(ctx, k.row.ID, true, "Graph removed the subscription; subscribing again"); err != nil {
				return refused, err
			}
			changed[key] = true
			p.Kick()
		case "missed":
			lifecycle++
			changed[key] = true
		default:
			refused++
		}
	}
	for id, n := range counted {
		if err := p.Store.noteNotified(ctx, id, n); err != nil {
			return refused, err
		}
	}
	for key := range changed {
		if err := p.Kinds[key.kind].Changed(ctx, key.owner); err != nil {
			return refused, err
		}
	}
	p.Metrics.notification("accepted", accepted)
	p.Metrics.notification("lifecycle", lifecycle)
	p.Metrics.notification("refused", refused)
	return refused, nil
}

// Unsubscribe deletes the subscription of an owner's calendar at Graph (as well as it can:
// a failure is logged, the subscription then expires by itself) and its row.
func (p *Push) Unsubscribe(ctx context.Context, kind string, owner int64) error {
	r, ok, err := p.Store.watchOf(ctx, kind, owner)
	if err != nil || !ok {
		return err
	}
	if r.SubscriptionID != "" {
		if w := p.Kinds[kind]; w != nil {
			sub, err := w.Subscriber(ctx, owner)
			if err == nil {
				err = sub.Unsubscribe(ctx, r.SubscriptionID)
			}
			p.Metrics.subscriptionOp("delete", err)
			if err != nil && !errors.Is(err, ErrRemoteNotFound) {
				p.Log.Warn("delete outlook subscription", "owner", owner, "err", err)
			}
		}
	}
	return p.Store.dropWatch(ctx, r.ID)
}

// connectionWatch watches the calendars of the Outlook connections: while connected, and a
// notification runs the connection's cycle.
type connectionWatch struct{ s *Scheduler }

// Watched is the scheduler's connections as a kind of watched calendar.
func (s *Scheduler) Watched() Watched { return connectionWatch{s} }

func (w connectionWatch) Owners(ctx context.Context) ([]int64, error) {
	return w.s.Conns.Connected(ctx)
}

func (w connectionWatch) Subscriber(ctx context.Context, uid int64) (Subscriber, error) {
	g, err := w.s.Conns.Graph(ctx, uid)
	if err != nil {
		return nil, err
	}
	sub, ok := g.(Subscriber)
	if !ok {
		return nil, errors.New("this Graph client cannot subscribe to changes")
	}
	return sub, nil
}

func (w connectionWatch) Changed(ctx context.Context, uid int64) error { return w.s.Notify(ctx, uid) }
