package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"intracal/calendar"
	"intracal/outlooksync"
)

// Spaces is what the publisher reads of the calendar (calendar.Store implements it).
type Spaces interface {
	PublishedSpace(ctx context.Context, id int64, from, to time.Time) (calendar.SpaceToPublish, error)
}

// Publisher runs publication cycles: every published space's members get their copies, the
// copies members changed or deleted in Outlook are written again, and targets whose member
// left or whose space is no longer published lose theirs. Several app instances may run it
// on one database: each target is leased by one at a time.
type Publisher struct {
	Store  *Store
	Spaces Spaces
	// Addresses gives users' e-mail addresses, by which their mailboxes are found.
	Addresses func(ctx context.Context, userIDs []int64) (map[int64]string, error)
	// Connected lists the users whose My Calendar is synced with their Outlook: their
	// meetings are in Outlook already, and the copies leave them out (docs/architecture.md).
	Connected func(ctx context.Context) ([]int64, error)
	Mailboxes MailboxFactory
	Log       *slog.Logger
	Metrics   *Metrics
	Now       func() time.Time
	// Interval is how long a target rests after a good run (its idle check then costs one
	// request); Back and Ahead bound the window of instances, as the sync's.
	Interval, Back, Ahead time.Duration
	// Holder names this instance in leases; Workers is how many mailboxes are written at once.
	Holder  string
	Workers int
	// Tick is the pause between cycles of Run.
	Tick time.Duration
	// Pushed reports whether a target's calendar has a live change notification
	// subscription (outlooksync.Store.Pushed); such a target is checked every PushedInterval
	// instead of every Interval.
	Pushed         func(ctx context.Context, targetID int64) bool
	PushedInterval time.Duration

	mu       sync.Mutex
	seen     map[int64]string // each space's version at the last cycle here
	kickOnce sync.Once
	kick     chan struct{}
}

func (p *Publisher) kicks() chan struct{} {
	p.kickOnce.Do(func() { p.kick = make(chan struct{}, 1) })
	return p.kick
}

// Kick asks Run for a cycle now (a notified target is due).
func (p *Publisher) Kick() {
	select {
	case p.kicks() <- struct{}{}:
	default:
	}
}

// NewPublisher returns a publisher with the sync's window and a five-minute interval.
func NewPublisher(st *Store, spaces Spaces, mailboxes MailboxFactory, log *slog.Logger) *Publisher {
	return &Publisher{Store: st, Spaces: spaces, Mailboxes: mailboxes, Log: log, Now: time.Now,
		Interval: 5 * time.Minute, Back: 48 * time.Hour, Ahead: 365 * 24 * time.Hour, Holder: "publisher", Workers: 4, Tick: time.Minute}
}

// CycleResult counts what a cycle did.
type CycleResult struct {
	Runs, Failed, Removed int // targets run, of which failed; targets removed
	Written, Restored     int // copies created or changed; of which a member had changed or deleted
}

func (r *CycleResult) add(o RunOutcome) {
	r.Runs++
	if o.Err != nil {
		r.Failed++
	}
	if o.Removed {
		r.Removed++
	}
	r.Written += o.Written
	r.Restored += o.Restored
}

// RunOutcome is how one target's run ended.
type RunOutcome struct {
	Written, Restored int
	Removed           bool
	Err               error
}

// Window is the span of instances published now.
func (p *Publisher) Window() outlooksync.Window {
	now := p.Now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return outlooksync.Window{From: day.Add(-p.Back), To: day.Add(p.Ahead)}
}

// job is one target's run in a cycle.
type job struct {
	space    *calendar.SpaceToPublish // nil: the space is gone
	target   Target
	address  string
	teardown bool // the member left or the space is not published: the copies go
	// force runs a target that is not due, because the space changed: it writes the change
	// without listing the member's calendar first (the next due run looks for their edits).
	force bool
	// copies are the space's copies made so far in this cycle, shared by its jobs.
	copies *copyCache
}

// Cycle visits every space to publish or to clean up and runs its due targets, a few
// mailboxes at a time; a failing or throttled mailbox only delays itself.
func (p *Publisher) Cycle(ctx context.Context) (CycleResult, error) {
	started := time.Now()
	var res CycleResult
	ids, err := p.Store.SpacesToVisit(ctx)
	if err != nil {
		return res, err
	}
	connected := map[int64]bool{}
	if p.Connected != nil {
		users, err := p.Connected(ctx)
		if err != nil {
			return res, fmt.Errorf("list synced users: %w", err)
		}
		for _, u := range users {
			connected[u] = true
		}
	}
	var jobs []job
	for _, id := range ids {
		more, err := p.jobsOf(ctx, id)
		if err != nil {
			p.Log.Error("publish space", "space", id, "err", err)
			continue
		}
		jobs = append(jobs, more...)
	}
	var mu sync.Mutex
	sem := make(chan struct{}, max(p.Workers, 1))
	var wg sync.WaitGroup
	for _, j := range jobs {
		sem <- struct{}{}
		wg.Add(1)
		go func(j job) {
			defer wg.Done()
			defer func() { <-sem }()
			o, ran := p.runJob(ctx, j, connected)
			if !ran {
				return
			}
			p.Metrics.run(o)
			mu.Lock()
			res.add(o)
			mu.Unlock()
		}(j)
	}
	wg.Wait()
	p.Metrics.cycle(res, time.Since(started))
	return res, nil
}

// jobsOf reads a space once and lists its targets to run: members of a published space get
// a target each (made here when new), and targets of anyone else are torn down.
func (p *Publisher) jobsOf(ctx context.Context, spaceID int64) ([]job, error) {
	now := p.Now()
	published, err := p.Store.Published(ctx, spaceID)
	if err != nil {
		return nil, err
	}
	w := p.Window()
	sp, err := p.Spaces.PublishedSpace(ctx, spaceID, w.From, w.To)
	var space *calendar.SpaceToPublish
	switch {
	case errors.Is(err, calendar.ErrNotFound):
		published = false
	case err != nil:
		return nil, fmt.Errorf("read space %d: %w", spaceID, err)
	default:
		space = &sp
	}
	members := map[int64]bool{}
	if published {
		for _, m := range sp.Members {
			members[m.UserID] = true
		}
	}
	targets, err := p.Store.Targets(ctx, spaceID)
	if err != nil {
		return nil, err
	}
	have := map[int64]bool{}
	for _, t := range targets {
		have[t.UserID] = true
	}
	made := false
	for uid := range members {
		if !have[uid] {
			if err := p.Store.EnsureTarget(ctx, spaceID, uid, now); err != nil {
				return nil, err
			}
			made = true
		}
	}
	if made {
		if targets, err = p.Store.Targets(ctx, spaceID); err != nil {
			return nil, err
		}
	}
	var ids []int64
	for _, t := range targets {
		ids = append(ids, t.UserID)
	}
	addresses := map[int64]string{}
	if published && p.Addresses != nil {
		if addresses, err = p.Addresses(ctx, ids); err != nil {
			return nil, fmt.Errorf("addresses of the members of space %d: %w", spaceID, err)
		}
	}
	// A space changed since the last cycle is published to every member now, not when each
	// target is next due.
	changed := space != nil && p.changed(spaceID, versionOf(space))
	copies := newCopyCache()
	var jobs []job
	for _, t := range targets {
		if !members[t.UserID] {
			jobs = append(jobs, job{space: space, target: t, teardown: true})
			continue
		}
		if t.DueAt.After(now) && !changed {
			continue
		}
		jobs = append(jobs, job{space: space, target: t, address: addresses[t.UserID], force: changed && t.DueAt.After(now), copies: copies})
	}
	return jobs, nil
}

// runJob leases a target and runs it; ran is false when another instance holds it or it is
// not due any more.
func (p *Publisher) runJob(ctx context.Context, j job, connected map[int64]bool) (o RunOutcome, ran bool) {
	now := p.Now()
	ok, err := p.Store.Lease(ctx, j.target.ID, p.Holder, now, now.Add(10*time.Minute), j.teardown || j.force)
	if err != nil {
		p.Log.Error("lease publish target", "target", j.target.ID, "err", err)
		return RunOutcome{}, false
	}
	if !ok {
		return RunOutcome{}, false
	}
	if j.teardown {
		o = p.teardown(ctx, j)
	} else {
		o = p.publish(ctx, j, connected)
	}
	if o.Err != nil {
		p.Log.Warn("publish space to a mailbox", "space", j.target.SpaceID, "user", j.target.UserID, "err", o.Err)
	}
	return o, true
}

// failed records a failed run: the target keeps what was written, and is due again after a
// pause that grows with the failures in a row (or Graph's Retry-After).
func (p *Publisher) failed(ctx context.Context, t Target, items []Item, history []HistoryEntry, err error) error {
	now := p.Now().UTC()
	t.LastRunAt = &now
	t.Failures++
	t.LastError = reason(err)
	wait := min(time.Minute<<min(t.Failures-1, 6), time.Hour)
	var th *outlooksync.ThrottledError
	if errors.As(err, &th) && th.RetryAfter > 0 {
		wait = th.RetryAfter
	}
	if ferr := p.Store.Finish(ctx, t, items, history, now.Add(wait)); ferr != nil {
		return errors.Join(err, ferr)
	}
	return err
}

// reason is what the Control Panel shows of a failure.
func reason(err error) string {
	if errors.Is(err, outlooksync.ErrReconnectNeeded) || isForbidden(err) {
		return ConsentMissing + ": " + err.Error()
	}
	return err.Error()
}

// isForbidden reports a 403 from Graph (an error with an HTTPStatus method, as the adapter's).
func isForbidden(err error) bool {
	var s interface{ HTTPStatus() int }
	return errors.As(err, &s) && s.HTTPStatus() == 403
}

var errNoAddress = errors.New("the member has no e-mail address to find their mailbox by")

// Run runs cycles until ctx ends, one every Tick: a target runs when it is due (Interval
// after its last good run, at once after a change of the space's publication, or "Publish
// now").
func (p *Publisher) Run(ctx context.Context) error {
	for {
		if _, err := p.Cycle(ctx); err != nil && ctx.Err() == nil {
			p.Log.Error("space publication cycle", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(max(p.Tick, time.Second)):
		case <-p.kicks():
			// A burst of notifications is one cycle: wait for the rest of it.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(outlooksync.DefaultCoalesce):
			}
			select {
			case <-p.kicks():
			default:
			}
		}
	}
}

// changed records a space's version and reports whether it differs from the one seen by
// the last cycle of this publisher (a first sight is no change: the targets are due then).
func (p *Publisher) changed(spaceID int64, version string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen == nil {
		p.seen = map[int64]string{}
	}
	old, ok := p.seen[spaceID]
	p.seen[spaceID] = version
	return ok && old != version
}

// versionOf sums up what of a space its copies show: its name and each event's version.
func versionOf(sp *calendar.SpaceToPublish) string {
	h := sha256.New()
	fmt.Fprintf(h, "%q;", sp.Space.Name)
	for _, e := range sp.Events {
		fmt.Fprintf(h, "%d:%d:%d;", e.ID, e.Version, e.UpdatedAt.UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
