package publish

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"intracal/calendar"
	"intracal/outlooksync"
)

// run is one target's publication in progress: what is written so far, and its history.
type run struct {
	p       *Publisher
	j       job
	cal     Calendar
	items   map[key]Item // the copies the calendar holds now, as far as we know
	history []HistoryEntry
	o       RunOutcome
	// quick is a forced run that did not list the calendar: what was written stands for
	// what is there.
	quick bool
}

func (r *run) note(eventID int64, summary, detail string) {
	r.history = append(r.history, HistoryEntry{UserID: r.j.target.UserID, At: r.p.Now().UTC(), EventID: eventID, Summary: summary, Detail: detail})
}

// publish makes one member's space calendar hold the copies it should: written where
// missing, written again where the member changed or deleted them, patched or rewritten
// where the space changed, deleted where no longer wanted.
func (p *Publisher) publish(ctx context.Context, j job, connected map[int64]bool) RunOutcome {
	t := j.target
	stored, err := p.Store.Items(ctx, t.ID)
	if err != nil {
		return RunOutcome{Err: err}
	}
	r := &run{p: p, j: j, items: map[key]Item{}}
	for _, it := range stored {
		r.items[key{it.EventID, it.SegmentUID}] = it
	}
	err = r.publish(ctx, connected)
	list := make([]Item, 0, len(r.items))
	for _, it := range r.items {
		list = append(list, it)
	}
	sort.Slice(list, func(a, b int) bool {
		if list[a].EventID != list[b].EventID {
			return list[a].EventID < list[b].EventID
		}
		return list[a].SegmentUID < list[b].SegmentUID
	})
	if err != nil {
		r.o.Err = p.failed(ctx, r.j.target, list, r.history, err)
		return r.o
	}
	now := p.Now().UTC()
	t = r.j.target
	t.LastRunAt, t.LastOKAt, t.LastError, t.Failures = &now, &now, "", 0
	due := now.Add(p.Interval)
	if p.PushedInterval > p.Interval && p.Pushed != nil && p.Pushed(ctx, t.ID) {
		due = now.Add(p.PushedInterval) // the member's edits are notified; this is the backstop
	}
	if r.quick {
		due = j.target.DueAt // the check for the member's edits stays when it was
	}
	r.o.Err = p.Store.Finish(ctx, t, list, r.history, due)
	return r.o
}

func (r *run) publish(ctx context.Context, connected map[int64]bool) error {
	t := &r.j.target
	if r.j.address == "" {
		return errNoAddress
	}
	mb, err := r.p.Mailboxes(ctx, r.j.address)
	if err != nil {
		return fmt.Errorf("reach the mailbox of %s: %w", r.j.address, err)
	}
	if t.Mailbox != "" && t.Mailbox != r.j.address {
		// The member's address changed: the copies are in the old mailbox, if anywhere.
		r.items = map[key]Item{}
		t.CalendarID = ""
	}
	t.Mailbox = r.j.address
	remote, err := r.open(ctx, mb)
	if err != nil {
		return err
	}
	want, err := desired(r.j.space, t.UserID, connected, r.p.Window(), r.j.copies)
	if err != nil {
		return err
	}
	return r.reconcile(ctx, want, remote)
}

// open finds the space's calendar in the mailbox, made when there is none (a first run, or
// the member deleted it), and lists what it holds.
func (r *run) open(ctx context.Context, mb Mailbox) ([]outlooksync.RemoteEvent, error) {
	t := &r.j.target
	name := r.j.space.Space.Name
	if t.CalendarID != "" && t.CalendarName != name {
		r.rename(ctx, mb, name)
	}
	if r.j.force && t.CalendarID != "" {
		r.quick = true
		r.cal = mb.Calendar(t.CalendarID)
		return nil, nil
	}
	if t.CalendarID != "" {
		remote, err := mb.Calendar(t.CalendarID).Items(ctx)
		if err == nil {
			r.cal = mb.Calendar(t.CalendarID)
			return remote, nil
		}
		if !errors.Is(err, outlooksync.ErrRemoteNotFound) {
			return nil, fmt.Errorf("list the space's calendar of %s: %w", t.Mailbox, err)
		}
		r.note(0, "The member deleted the calendar in Outlook: made again", name)
		r.items = map[key]Item{}
	}
	id, err := mb.EnsureCalendar(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("make the calendar %q in %s: %w", name, t.Mailbox, err)
	}
	fresh := t.CalendarID == ""
	t.CalendarID, t.CalendarName = id, name
	r.cal = mb.Calendar(id)
	if fresh {
		// A calendar just made is empty; one found by name may hold copies of a run that
		// was not recorded, which the reconcile deletes.
		remote, err := r.cal.Items(ctx)
		if err != nil {
			return nil, fmt.Errorf("list the space's calendar of %s: %w", t.Mailbox, err)
		}
		return remote, nil
	}
	return nil, nil
}

// rename gives the member's calendar the space's new name. A target from before names were
// kept takes the name as it is; a refusal (the member has a calendar of that name) is said in
// the history once, and the calendar keeps its name.
func (r *run) rename(ctx context.Context, mb Mailbox, name string) {
	t := &r.j.target
	old := t.CalendarName
	t.CalendarName = name
	if old == "" {
		return
	}
	if err := mb.RenameCalendar(ctx, t.CalendarID, name); err != nil {
		if errors.Is(err, outlooksync.ErrRemoteNotFound) {
			return // gone: the listing finds out and makes it again
		}
		r.note(0, "Could not rename the calendar in Outlook", fmt.Sprintf("%s to %s: %v", old, name, err))
		return
	}
	r.note(0, "Renamed the calendar in Outlook", old+" to "+name)
}

// reconcile compares what is wanted with what was written and what Outlook holds, and
// writes the difference.
func (r *run) reconcile(ctx context.Context, want map[key]wanted, remote []outlooksync.RemoteEvent) error {
	spaceID := r.j.target.SpaceID
	byID := map[string]outlooksync.RemoteEvent{}
	for _, ev := range remote {
		byID[ev.ID] = ev
	}
	if r.quick {
		for _, it := range r.items {
			byID[it.RemoteID] = outlooksync.RemoteEvent{ID: it.RemoteID, ChangeKey: it.ChangeKey}
		}
	}
	known := map[string]bool{}
	var deletes, patches []outlooksync.Op
	var patchKeys []key
	var creates []key
	for k, it := range r.items {
		known[it.RemoteID] = true
		w, ok := want[k]
		ev, there := byID[it.RemoteID]
		switch {
		case !ok:
			if there {
				deletes = append(deletes, outlooksync.Op{Kind: outlooksync.OpDelete, ID: it.RemoteID})
			}
			delete(r.items, k)
			r.note(k.EventID, "Removed a copy", "no longer in the space for this member")
		case !there:
			delete(r.items, k)
			creates = append(creates, k)
			r.note(k.EventID, "Restored a copy the member deleted in Outlook", shownTitle(w))
			r.o.Restored++
		case ev.ChangeKey != it.ChangeKey:
			deletes = append(deletes, outlooksync.Op{Kind: outlooksync.OpDelete, ID: it.RemoteID})
			delete(r.items, k)
			creates = append(creates, k)
			r.note(k.EventID, "Restored a copy the member changed in Outlook", shownTitle(w))
			r.o.Restored++
		case w.copy.Digest == it.Digest:
		case w.copy.Schedule == it.Schedule:
			patches = append(patches, outlooksync.Op{Kind: outlooksync.OpUpdate, ID: it.RemoteID, IfMatch: it.ChangeKey, Write: outlooksync.ContentWrite(w.copy)})
			patchKeys = append(patchKeys, k)
		default:
			deletes = append(deletes, outlooksync.Op{Kind: outlooksync.OpDelete, ID: it.RemoteID})
			delete(r.items, k)
			creates = append(creates, k)
		}
	}
	for _, ev := range remote {
		if !known[ev.ID] && ours(spaceID, ev.Marker) {
			// Written by a run that was not recorded (a crash before Finish): ours, unknown.
			deletes = append(deletes, outlooksync.Op{Kind: outlooksync.OpDelete, ID: ev.ID})
		}
	}
	for k := range want {
		if _, ok := r.items[k]; !ok && !contains(creates, k) {
			creates = append(creates, k)
		}
	}
	sort.Slice(creates, func(a, b int) bool {
		if creates[a].EventID != creates[b].EventID {
			return creates[a].EventID < creates[b].EventID
		}
		return creates[a].UID < creates[b].UID
	})
	ops := append(deletes, patches...)
	for _, k := range creates {
		wr := *want[k].copy.Write
		wr.Marker = Marker(spaceID, k)
		ops = append(ops, outlooksync.Op{Kind: outlooksync.OpCreate, Write: &wr})
	}
	if len(ops) == 0 {
		return nil
	}
	results := r.cal.Apply(ctx, ops)
	var errs []error
	for i, res := range results[:len(deletes)] {
		if res.Err != nil && !errors.Is(res.Err, outlooksync.ErrRemoteNotFound) {
			errs = append(errs, fmt.Errorf("delete %s: %w", deletes[i].ID, res.Err))
		}
	}
	for i, res := range results[len(deletes) : len(deletes)+len(patches)] {
		k := patchKeys[i]
		it := r.items[k]
		switch {
		case res.Err == nil && res.Event != nil:
			it.ChangeKey, it.Digest = res.Event.ChangeKey, want[k].copy.Digest
			r.items[k] = it
			r.o.Written++
		case errors.Is(res.Err, outlooksync.ErrPreconditionFailed) || errors.Is(res.Err, outlooksync.ErrRemoteNotFound):
			// Changed by the member since the listing: the next run writes it again.
			it.ChangeKey = ""
			r.items[k] = it
		default:
			errs = append(errs, fmt.Errorf("change %s: %w", it.RemoteID, res.Err))
		}
	}
	var series []key
	for i, res := range results[len(deletes)+len(patches):] {
		k := creates[i]
		if res.Err != nil || res.Event == nil {
			errs = append(errs, fmt.Errorf("copy event %d: %w", k.EventID, res.Err))
			continue
		}
		w := want[k]
		r.items[k] = Item{EventID: k.EventID, SegmentUID: k.UID, RemoteID: res.Event.ID, ChangeKey: res.Event.ChangeKey, Digest: w.copy.Digest, Schedule: w.copy.Schedule}
		r.o.Written++
		if len(w.copy.Instances) > 0 {
			series = append(series, k)
		}
	}
	if err := r.instances(ctx, want, series); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// instances gives new series copies their changed and cancelled occurrences, then reads the
// change keys those writes gave the series.
func (r *run) instances(ctx context.Context, want map[key]wanted, series []key) error {
	if len(series) == 0 {
		return nil
	}
	w := r.p.Window()
	ids := make([]string, len(series))
	for i, k := range series {
		ids[i] = r.items[k].RemoteID
	}
	all, err := r.cal.InstancesOf(ctx, ids, w)
	if err != nil {
		return fmt.Errorf("read the occurrences of the new series: %w", err)
	}
	var ops []outlooksync.Op
	for _, k := range series {
		it := r.items[k]
		occ := all[it.RemoteID]
		byStart := map[time.Time]outlooksync.RemoteEvent{}
		for _, o := range occ {
			if o.OriginalStart != nil {
				byStart[o.OriginalStart.UTC()] = o
			}
		}
		wc := want[k]
		for orig, st := range wc.copy.Instances {
			at, err := time.Parse(time.RFC3339, orig)
			if err != nil {
				return fmt.Errorf("occurrence %q of event %d: %w", orig, k.EventID, err)
			}
			o, ok := byStart[at.UTC()]
			if !ok || o.IsCancelled {
				continue // not in Outlook's view (before the window, or cancelled already)
			}
			if st.Cancelled {
				ops = append(ops, outlooksync.Op{Kind: outlooksync.OpDelete, ID: o.ID})
			} else {
				ops = append(ops, outlooksync.Op{Kind: outlooksync.OpUpdate, ID: o.ID, Write: outlooksync.InstanceCopyWrite(st, wc.event.Segments[wc.seg])})
			}
		}
	}
	var errs []error
	for i, res := range r.cal.Apply(ctx, ops) {
		if res.Err != nil && !(ops[i].Kind == outlooksync.OpDelete && errors.Is(res.Err, outlooksync.ErrRemoteNotFound)) {
			errs = append(errs, fmt.Errorf("occurrence %s: %w", ops[i].ID, res.Err))
		}
	}
	if len(errs) > 0 {
		// Which series lacks which occurrence is not worth knowing: they are written
		// again, whole, on the next run (no change key matches "").
		for _, k := range series {
			it := r.items[k]
			it.ChangeKey = ""
			r.items[k] = it
		}
		return errors.Join(errs...)
	}
	remote, err := r.cal.Items(ctx)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("list the space's calendar again: %w", err))...)
	}
	keys := map[string]string{}
	for _, ev := range remote {
		keys[ev.ID] = ev.ChangeKey
	}
	for _, k := range series {
		it := r.items[k]
		it.ChangeKey = keys[it.RemoteID]
		r.items[k] = it
	}
	return errors.Join(errs...)
}

func contains(ks []key, k key) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// shownTitle is what the history says of a copy: its title, unless the event is private
// (the history is read by space and site administrators who may not see it).
func shownTitle(w wanted) string {
	if w.event.Privacy != calendar.Public {
		return "a private event"
	}
	return w.copy.Write.Subject
}
