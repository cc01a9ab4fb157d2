package contacts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// Directory is what pushing reads of the site's people (the app implements it).
type Directory interface {
	// Members lists the active people of a group (everyone, a department, a space).
	Members(ctx context.Context, s Spec) ([]int64, error)
	// People returns the active people among ids, with their directory fields.
	People(ctx context.Context, ids []int64) (map[int64]Person, error)
	// Mailboxes returns the addresses of the accounts among ids that are not deleted (a
	// disabled person's mailbox still holds what a list wrote there).
	Mailboxes(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Pusher runs the contact lists.
type Pusher struct {
	store     *Store
	dir       Directory
	mailboxes MailboxFactory
	log       *slog.Logger
	now       func() time.Time
	holder    string
	// Every is how often the lists are looked at (a changes run, or a check when due).
	Every time.Duration
	// Parallel is how many target mailboxes one list writes at once.
	Parallel int
	kick     chan struct{}
}

// NewPusher is the pusher on the store, reading people from dir and reaching mailboxes
// with mailboxes; holder names this instance in leases.
func NewPusher(st *Store, dir Directory, mailboxes MailboxFactory, log *slog.Logger, now func() time.Time, holder string) *Pusher {
	return &Pusher{store: st, dir: dir, mailboxes: mailboxes, log: log, now: now, holder: holder,
		Every: time.Minute, Parallel: 8, kick: make(chan struct{}, 1)}
}

// Log is the pusher's logger.
func (p *Pusher) Log() *slog.Logger { return p.log }

// Store is the pusher's store.
func (p *Pusher) Store() *Store { return p.store }

// SyncNow makes a list's next run a check and runs the lists at once.
func (p *Pusher) SyncNow(ctx context.Context, listID int64) error {
	if err := p.store.RunNow(ctx, listID, p.now()); err != nil {
		return err
	}
	p.Kick()
	return nil
}

// Kick runs the lists soon (the directory changed, a list was saved).
func (p *Pusher) Kick() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// Run looks at the lists every Every and when kicked, until ctx ends.
func (p *Pusher) Run(ctx context.Context) error {
	t := time.NewTicker(p.Every)
	defer t.Stop()
	for {
		if _, err := p.Cycle(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("contact lists: cycle failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-p.kick:
		}
	}
}

// Cycle runs every list once: a check where one is due, else a changes run. It returns the
// runs it made.
func (p *Pusher) Cycle(ctx context.Context) ([]Run, error) {
	lists, err := p.store.Lists(ctx)
	if err != nil {
		return nil, err
	}
	var runs []Run
	var errs []error
	for _, l := range lists {
		now := p.now()
		ok, err := p.store.lease(ctx, l.ID, p.holder, now, now.Add(leaseFor))
		if err != nil || !ok {
			errs = append(errs, err)
			continue
		}
		check := !l.NextRunAt.After(now) || l.Deleting
		run := p.withLease(ctx, l.ID, func(ctx context.Context) Run { return p.runList(ctx, l, check) })
		if err := p.store.finish(ctx, l, run, check); err != nil {
			errs = append(errs, err)
		}
		runs = append(runs, run)
		if l.Deleting {
			if ts, err := p.store.Targets(ctx, l.ID); err == nil && len(ts) == 0 {
				errs = append(errs, p.store.forget(ctx, l.ID))
			}
		}
	}
	return runs, errors.Join(errs...)
}

// leaseFor is how long a lease lasts; a run renews it every third of that, so that a long run
// (hundreds of mailboxes) is never taken over by another instance halfway.
const leaseFor = 10 * time.Minute

// withLease runs fn while renewing the list's lease; if a renewal fails (another instance
// has the list), fn's context is cancelled.
func (p *Pusher) withLease(ctx context.Context, listID int64, fn func(context.Context) Run) Run {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(leaseFor / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				now := p.now()
				if ok, err := p.store.lease(ctx, listID, p.holder, now, now.Add(leaseFor)); err != nil || !ok {
					p.log.Warn("contact lists: the lease was lost", "list", listID, "err", err)
					cancel()
					return
				}
			}
		}
	}()
	defer close(done)
	return fn(ctx)
}

// source is the people of a list: its source group, plus those added, less those excluded,
// active only.
func (p *Pusher) source(ctx context.Context, l List) (map[int64]Person, error) {
	var ids []int64
	if l.Source.Kind != KindNone {
		var err error
		if ids, err = p.dir.Members(ctx, l.Source); err != nil {
			return nil, err
		}
	}
	for _, a := range l.Added {
		if !slices.Contains(ids, a) {
			ids = append(ids, a)
		}
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return slices.Contains(l.Excluded, id) })
	return p.dir.People(ctx, ids)
}

// runList runs one list over its targets, Parallel at a time; a failing mailbox delays no
// other.
func (p *Pusher) runList(ctx context.Context, l List, check bool) Run {
	run := Run{ListID: l.ID, Kind: "changes", StartedAt: p.now()}
	if check {
		run.Kind = "check"
	}
	fail := func(err error) Run {
		run.Failed++
		run.Detail = truncate(err.Error(), 1000)
		run.FinishedAt = p.now()
		return run
	}
	var people map[int64]Person
	var targetIDs []int64
	if !l.Deleting {
		var err error
		if people, err = p.source(ctx, l); err != nil {
			return fail(fmt.Errorf("read the source: %w", err))
		}
		if targetIDs, err = p.dir.Members(ctx, l.Target); err != nil {
			return fail(fmt.Errorf("read the targets: %w", err))
		}
	}
	targets, err := p.store.syncTargets(ctx, l.ID, targetIDs, run.StartedAt)
	if err != nil {
		return fail(err)
	}
	owners, err := p.dir.Mailboxes(ctx, userIDs(targets))
	if err != nil {
		return fail(fmt.Errorf("read the target mailboxes: %w", err))
	}
	want := listDigest(people, l.Overwrite)
	var mu sync.Mutex
	var failures []string
	sem := make(chan struct{}, max(p.Parallel, 1))
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := p.runTarget(ctx, l, t, owners[t.UserID], people, want, check)
			mu.Lock()
			defer mu.Unlock()
			run.Created += c.created
			run.Updated += c.updated
			run.Restored += c.restored
			run.Removed += c.removed
			if err != nil {
				run.Failed++
				failures = append(failures, owners[t.UserID]+": "+err.Error())
			}
		})
	}
	wg.Wait()
	run.Targets = len(targets)
	slices.Sort(failures)
	run.Detail = truncate(strings.Join(failures, "; "), 1000)
	run.FinishedAt = p.now()
	return run
}

func userIDs(ts []Target) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.UserID
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
