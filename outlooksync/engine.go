package outlooksync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
)

// CalendarStore is what the sync needs of My Calendar's store.
type CalendarStore interface {
	OrganizedEvents(ctx context.Context, userID int64, ids []int64, from, to time.Time) ([]*calendar.Event, error)
	Replace(ctx context.Context, e *calendar.Event) error
	// ReplaceWith runs also in the transaction that saves e (the parts of an Outlook split
	// save their links so).
	ReplaceWith(ctx context.Context, e *calendar.Event, also func(tx *gorm.DB) error) error
	Create(ctx context.Context, e *calendar.Event) error
	// CreateWith runs also in the transaction that creates e (an import saves its link so).
	CreateWith(ctx context.Context, e *calendar.Event, also func(tx *gorm.DB) error) error
	// For an invitee's answers.
	EventsByID(ctx context.Context, ids []int64) ([]*calendar.Event, error)
	Answer(ctx context.Context, v calendar.Viewer, id int64, scope calendar.Scope, instance time.Time, resp calendar.Response) error
}

var _ CalendarStore = (*calendar.Store)(nil)

// Engine runs sync cycles: pull Outlook's changes, reconcile, save My Calendar's side, push
// Outlook's side, record the new bases.
type Engine struct {
	Cal   CalendarStore
	Store *Store
	// People finds site users by address for meetings; nil leaves attendees alone.
	People Directory
	Log    *slog.Logger
	Now    func() time.Time
	// Back and Ahead bound the window around today (the seed's today - 2 days .. + 12 months).
	Back, Ahead time.Duration
	// Reround is how far the window may move on before the change feed starts a new round
	// for it: a calendarView delta link keeps the window of the round that began it
	// (concepts/delta-query-events.md), so without a new round the window would never
	// slide. Zero means a day.
	Reround time.Duration
	// BackstopSeries is how many linked Outlook series each cycle re-reads in turn, since
	// Outlook may report nothing of a deleted occurrence (backstop.go); zero turns it off.
	BackstopSeries int

	// HookAfterWrite, set only by tests, runs between the writes to Outlook and the saving of
	// the links (the moment a crash would hurt most); an error ends the cycle there.
	HookAfterWrite func() error
}

// NewEngine returns an engine with the seed's window.
func NewEngine(cal CalendarStore, st *Store, log *slog.Logger) *Engine {
	return &Engine{Cal: cal, Store: st, Log: log, Now: time.Now, Back: 48 * time.Hour, Ahead: 365 * 24 * time.Hour,
		Reround: 24 * time.Hour, BackstopSeries: 10}
}

// Window is the span synced now.
func (en *Engine) Window() Window {
	now := en.Now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return Window{From: day.Add(-en.Back), To: day.Add(en.Ahead)}
}

// windowMoved reports whether the window of the delta round in use lags the window now by
// Reround or more (or is unknown: a cursor from before windows were kept).
func (en *Engine) windowMoved(round, now Window) bool {
	if round.From.IsZero() {
		return true
	}
	step := en.Reround
	if step <= 0 {
		step = 24 * time.Hour
	}
	return now.To.Sub(round.To) >= step || round.To.Sub(now.To) >= step
}

// Job names one connection's cycle.
type Job struct {
	UserID     int64
	CalendarID int64
	Graph      Graph
	DryRun     bool
	Progress   func(items int)
}

// Result says what one cycle did.
type Result struct {
	Read      int // Outlook items read
	Pulled    int // local events changed or imported
	Pushed    int // Outlook operations that succeeded
	Failed    int // Outlook operations that failed (retried next cycle)
	Conflicts int
	Passes    int
	FullRead  bool
	// NewWindow is set when the change feed started a new round because the window moved.
	NewWindow bool
	// Backstop counts the Outlook series re-read in turn (backstop.go).
	Backstop   int
	DryRunPlan string
	History    []HistoryEntry
}

// maxPasses bounds the passes of one cycle: a series created or reshaped in the first pass
// has its exceptions rebuilt in the next.
const maxPasses = 3

// Cycle runs one sync cycle for a connection. A failed read changes nothing; a failed write is
// retried by the next cycle, since the bases record only what both sides agree on.
func (en *Engine) Cycle(ctx context.Context, job Job) (Result, error) {
	var res Result
	w := en.Window()
	cur, err := en.Store.Cursor(ctx, job.UserID)
	if err != nil {
		return res, err
	}
	link, deltaWindow := cur.DeltaLink, cur.DeltaWindow
	if link != "" && en.windowMoved(deltaWindow, w) {
		// A new round for the window as it is now. Nothing is deleted for having left the
		// old window: only a read that answers 404 deletes.
		link, res.NewWindow = "", true
	}
	if link == "" {
		deltaWindow = w
	}
	delta, err := job.Graph.Delta(ctx, link, w, job.Progress)
	if errors.Is(err, ErrResyncNeeded) && link != "" {
		// An expired change feed means a full read of the window, never a deletion.
		res.FullRead, deltaWindow = true, w
		delta, err = job.Graph.Delta(ctx, "", w, job.Progress)
	}
	if err != nil {
		return res, fmt.Errorf("read Outlook changes: %w", err)
	}
	res.FullRead = res.FullRead || link == ""
	seen := touchedSeries(delta.Items)
	forced := map[string]bool{}
	backstop, backstopAfter, err := en.backstop(ctx, job.UserID, cur.BackstopAfter)
	if err != nil {
		return res, err
	}
	for _, id := range backstop {
		forced[id] = true
	}
	res.Backstop = len(backstop)
	if res.FullRead {
		// A new round lists what is there, not what went since the last delta read: every
		// linked item in the window that it does not name is read, so that a deletion made
		// in between is seen (404), never taken as "unchanged".
		unnamed, err := en.unnamedLinks(ctx, job.UserID, seen, w)
		if err != nil {
			return res, err
		}
		for _, id := range unnamed {
			forced[id] = true
		}
	}
	read := map[string]*RemoteSeries{} // every Outlook item read this cycle
	for pass := 1; pass <= maxPasses; pass++ {
		res.Passes = pass
		again, err := en.pass(ctx, job, w, seen, forced, read, &res)
		if err != nil {
			return res, err
		}
		if job.DryRun || len(again) == 0 {
			break
		}
		seen, forced = touchedSeries(nil), again
	}
	if job.DryRun {
		return res, nil
	}
	if err := en.attend(ctx, job, w, touchedSeries(delta.Items), read, &res); err != nil {
		return res, err
	}
	now := en.Now().UTC()
	cur.DeltaLink, cur.DeltaWindow, cur.BackstopAfter, cur.LastCycleAt = delta.DeltaLink, deltaWindow, backstopAfter, &now
	cur.LastSummary = fmt.Sprintf("%d from Outlook, %d to Outlook, %d conflicts, %d failed", res.Pulled, res.Pushed, res.Conflicts, res.Failed)
	if err := en.Store.SaveCursor(ctx, job.UserID, cur); err != nil {
		return res, err
	}
	return res, nil
}

// touched is what a delta read named: series masters and singles (with the changeKey it
// reported), masters named through their occurrences, and removed ids.
type touched struct {
	keys      map[string]string // id -> changeKey reported; "" when named through an occurrence
	viaOccurr map[string]bool
	removed   map[string]bool
}

// touchedSeries sorts a delta read's items.
func touchedSeries(items []RemoteEvent) touched {
	t := touched{keys: map[string]string{}, viaOccurr: map[string]bool{}, removed: map[string]bool{}}
	for _, it := range items {
		switch {
		case it.Removed:
			t.removed[it.ID] = true
		case it.Type == TypeOccurrence || it.Type == TypeException:
			if it.SeriesMasterID != "" {
				t.viaOccurr[it.SeriesMasterID] = true
				if _, ok := t.keys[it.SeriesMasterID]; !ok {
					t.keys[it.SeriesMasterID] = ""
				}
			}
		default:
			t.keys[it.ID] = it.ChangeKey
		}
	}
	return t
}

// pass reads what it needs, reconciles, and applies the plan. It returns the Outlook series
// whose exceptions must be rebuilt in a further pass.
func (en *Engine) pass(ctx context.Context, job Job, w Window, seen touched, forced map[string]bool, cache map[string]*RemoteSeries, res *Result) (map[string]bool, error) {
	links, err := en.Store.Links(ctx, job.UserID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(links))
	for _, l := range links {
		ids = append(ids, l.EventID)
	}
	local, err := en.Cal.OrganizedEvents(ctx, job.UserID, ids, w.From, w.To)
	if err != nil {
		return nil, err
	}
	toRead := map[string]bool{}
	for id := range seen.keys {
		toRead[id] = true
	}
	for id := range forced {
		toRead[id] = true
	}
	byEvent := map[int64]*calendar.Event{}
	for _, e := range local {
		byEvent[e.ID] = e
	}
	people, err := en.invitees(ctx, local)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if k, ok := seen.keys[l.RemoteID]; ok && k != "" && k == l.ChangeKey && !seen.viaOccurr[l.RemoteID] && !forced[l.RemoteID] {
			// Our own write coming back: Outlook has what the base says.
			delete(toRead, l.RemoteID)
		}
		if seen.removed[l.RemoteID] {
			toRead[l.RemoteID] = true
		}
		for _, si := range l.Base.StandIns {
			if _, changed := seen.keys[si.ID]; changed || seen.removed[si.ID] {
				// A stand-in is merged with its series' instances: read both.
				toRead[si.ID], toRead[l.RemoteID] = true, true
			}
		}
		if e := byEvent[l.EventID]; e != nil && en.needsRemoteRead(e, l, w, people) {
			toRead[l.RemoteID] = true
		}
	}
	for _, l := range links {
		if toRead[l.RemoteID] {
			// A series is merged with the stand-ins of its instances: read them with it.
			for _, si := range l.Base.StandIns {
				toRead[si.ID] = true
			}
		}
	}
	remote, err := readAll(ctx, job.Graph, toRead, w)
	if err != nil {
		return nil, fmt.Errorf("read Outlook series: %w", err)
	}
	res.Read += len(remote)
	// Items we created whose link was never saved name their event in their marker: load
	// those events too (deleted ones included), so that the marker can be honoured.
	var extra []int64
	for _, rs := range remote {
		if id, _, ok := ParseMarker(rs.Master.Marker); ok && byEvent[id] == nil {
			extra = append(extra, id)
		}
	}
	if len(extra) > 0 {
		more, err := en.Cal.OrganizedEvents(ctx, job.UserID, extra, w.To, w.To)
		if err != nil {
			return nil, err
		}
		for _, e := range more {
			if byEvent[e.ID] == nil {
				byEvent[e.ID] = e
				local = append(local, e)
			}
		}
	}
	if err := en.attendeesOf(ctx, remote, &people); err != nil {
		return nil, err
	}
	for id, rs := range remote {
		cache[id] = rs
	}
	pending, err := en.Store.Pending(ctx, job.UserID)
	if err != nil {
		return nil, err
	}
	awaited, err := en.Store.Awaited(ctx, job.UserID, en.Now().Add(-trimmedKept))
	if err != nil {
		return nil, err
	}
	plan := Reconcile(Input{UserID: job.UserID, CalendarID: job.CalendarID, Window: w, Now: en.Now(), Local: local, Remote: remote,
		Links: links, Pending: pending, Awaited: awaited, People: people})
	if job.DryRun {
		res.DryRunPlan += plan.Summary()
		return nil, nil
	}
	return en.apply(ctx, job, plan, res)
}

// needsRemoteRead reports whether a linked series must be read although Outlook reported no
// change: My Calendar changed its exceptions, or changed the series while Outlook holds
// exceptions that must follow (Outlook does not carry series changes into exceptions).
func (en *Engine) needsRemoteRead(e *calendar.Event, l Link, w Window, people People) bool {
	i := e.SegmentIndex(l.SegmentUID)
	if e.DeletedAt != nil || i < 0 {
		// A series about to be deleted: its occurrences with people invited to them alone
		// are cancelled first, which needs their ids.
		for _, st := range l.Base.Instances {
			if st.Invitees != "" && !st.Cancelled {
				return true
			}
		}
		return false
	}
	if en.People != nil && (l.ICalUID == "" || !slices.Equal(people.localAttendees(e), l.Base.Attendees)) {
		// Invitees changed here (Outlook's full attendee list is needed to change it), or a
		// link from before meetings were synced has no iCalUId yet.
		return true
	}
	if e.Segments[i].Rule == nil {
		return false
	}
	if !sameInstances(localInstances(e, i, w, people), l.Base.Instances) {
		return true
	}
	return len(l.Base.Instances) > 0 && LocalSeriesState(e.Segments[i]) != l.Base.Series
}

// readAll reads the Outlook items in ids in one ReadSeries call (series masters with their
// instances in the window, single events); an item Outlook no longer has is Gone.
func readAll(ctx context.Context, g Graph, ids map[string]bool, w Window) (map[string]*RemoteSeries, error) {
	if len(ids) == 0 {
		return map[string]*RemoteSeries{}, nil
	}
	list := slices.Sorted(maps.Keys(ids))
	got, err := g.ReadSeries(ctx, list, w)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*RemoteSeries, len(list))
	for _, id := range list {
		if got[id] == nil {
			// Taking a missing answer for "unchanged" would be harmless, for "gone" not.
			return nil, fmt.Errorf("outlook item %s was not read", id)
		}
		out[id] = got[id]
	}
	return out, nil
}

// apply saves the plan's local side, then writes Outlook, then records the links whose
// operations all succeeded.
func (en *Engine) apply(ctx context.Context, job Job, plan *Plan, res *Result) (map[string]bool, error) {
	for _, e := range plan.Changed {
		var also func(tx *gorm.DB) error
		if links := plan.SplitLinks[e.ID]; len(links) > 0 {
			also = func(tx *gorm.DB) error {
				st := en.Store.InTx(tx)
				for _, l := range links {
					if err := st.SaveLink(ctx, job.UserID, l); err != nil {
						return err
					}
				}
				return nil
			}
		}
		if err := en.Cal.ReplaceWith(ctx, e, also); err != nil {
			// Someone changed the event meanwhile: the next cycle starts from their version.
			return nil, fmt.Errorf("save event %d from Outlook: %w", e.ID, err)
		}
		res.Pulled++
	}
	importLinks := map[*calendar.Event]*LinkPlan{}
	for _, lp := range plan.Links {
		if lp.Event != nil && lp.Event.ID == 0 && lp.RemoteID != "" && !lp.Delete {
			importLinks[lp.Event] = lp
		}
	}
	for _, e := range plan.Created {
		// An import and its link are stored together: a crash between the two would leave
		// an unlinked event here (sent to Outlook as new) and an unlinked item there
		// (imported again), a duplicate on both sides.
		var also func(tx *gorm.DB) error
		if lp := importLinks[e]; lp != nil {
			also = func(tx *gorm.DB) error {
				return en.Store.InTx(tx).SaveLink(ctx, job.UserID, Link{EventID: e.ID, SegmentUID: lp.SegmentUID,
					RemoteID: lp.RemoteID, ChangeKey: lp.ChangeKey, ICalUID: lp.ICalUID, Base: lp.Base})
			}
		}
		if err := en.Cal.CreateWith(ctx, e, also); err != nil {
			return nil, fmt.Errorf("import event from Outlook: %w", err)
		}
		res.Pulled++
	}
	failed := map[*LinkPlan]bool{}
	redo := map[string]bool{}
	if len(plan.Ops) > 0 {
		ops := make([]Op, len(plan.Ops))
		var creates []PendingCreate
		for i, p := range plan.Ops {
			ops[i] = p.Op
			if p.Op.Write != nil && p.Op.Write.Marker != "" && p.Link != nil && p.Link.Event != nil && p.StandIn == "" {
				// Created events got their ids on save: the marker names the stored id.
				p.Op.Write.Marker = Marker(p.Link.Event.ID, p.Link.SegmentUID)
			}
			if p.Op.Kind == OpCreate && p.StandIn == "" && p.Link != nil && p.Link.Event != nil {
				creates = append(creates, PendingCreate{EventID: p.Link.Event.ID, SegmentUID: p.Link.SegmentUID, Base: p.Link.Base})
			}
		}
		// What is sent as new is recorded first: should the cycle stop before the links are
		// saved, the next one relinks the items with what was sent (pending.go).
		if err := en.Store.SavePending(ctx, job.UserID, creates); err != nil {
			return nil, err
		}
		// So are the deleted series whose new parts are awaited (awaited.go).
		if err := en.Store.SaveAwaited(ctx, job.UserID, plan.Awaited, en.Now().Add(-trimmedKept)); err != nil {
			return nil, err
		}
		sent := en.Now()
		results := job.Graph.Apply(ctx, ops)
		for i, r := range results {
			lp := plan.Ops[i].Link
			if r.Err != nil {
				failed[lp] = true
				res.Failed++
				en.Log.Warn("outlook operation failed", "user", job.UserID, "kind", ops[i].Kind, "purpose", plan.Ops[i].Purpose, "err", r.Err)
				var throttled *ThrottledError
				switch {
				case ops[i].Kind == OpDelete && errors.Is(r.Err, ErrRemoteNotFound):
					failed[lp] = false // already gone: that is what we wanted
					res.Failed--
				case !errors.As(r.Err, &throttled):
					// The plan's history said what was sent; this says it did not go through.
					var eventID int64
					if lp != nil && lp.Event != nil {
						eventID = lp.Event.ID
					}
					plan.History = append(plan.History, HistoryEntry{EventID: eventID, Direction: "error",
						Summary: "Outlook refused a change; it is tried again on the next sync", Detail: plan.Ops[i].Purpose + ": " + r.Err.Error()})
				}
				continue
			}
			res.Pushed++
			if k := plan.Ops[i].StandIn; k != "" && lp != nil && r.Event != nil && ops[i].Kind == OpCreate {
				lp.setStandIn(k, StandIn{ID: r.Event.ID})
				continue
			}
			if lp != nil && r.Event != nil && (ops[i].Kind == OpCreate || r.Event.ID == lp.RemoteID) {
				if ops[i].Kind == OpCreate {
					lp.RemoteID = r.Event.ID
					lp.ICalUID = r.Event.ICalUID
					if !r.Event.Created.After(sent) {
						// Not made now: Outlook matched the transaction id of a create a
						// crashed cycle made, and the item may have been changed or deleted
						// since (Outlook's answer says nothing of that): read it again.
						redo[r.Event.ID] = true
					}
				}
				lp.ChangeKey = r.Event.ChangeKey
			}
		}
	}
	if en.HookAfterWrite != nil {
		if err := en.HookAfterWrite(); err != nil {
			return nil, err
		}
	}
	again := redo
	for _, lp := range plan.Links {
		if failed[lp] || lp.Event == nil {
			continue
		}
		if lp.Delete {
			if err := en.Store.DeleteLink(ctx, job.UserID, lp.Event.ID, lp.SegmentUID); err != nil {
				return nil, err
			}
			continue
		}
		if lp.RemoteID == "" {
			continue
		}
		l := Link{EventID: lp.Event.ID, SegmentUID: lp.SegmentUID, RemoteID: lp.RemoteID, ChangeKey: lp.ChangeKey, ICalUID: lp.ICalUID, Base: lp.Base}
		if err := en.Store.SaveLink(ctx, job.UserID, l); err != nil {
			return nil, err
		}
		if lp.NeedsInstances {
			again[lp.RemoteID] = true
		}
	}
	for _, h := range plan.History {
		if h.Direction == "conflict" {
			res.Conflicts++
		}
	}
	for i, h := range plan.History {
		if h.imported != nil {
			plan.History[i].EventID = h.imported.ID
		}
	}
	plan.History = coalesceHistory(plan.History)
	res.History = append(res.History, plan.History...)
	if err := en.Store.AddHistory(ctx, job.UserID, plan.History); err != nil {
		return nil, err
	}
	return again, nil
}
