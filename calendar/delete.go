package calendar

import "time"

// Delete removes instances with the given scope: one instance becomes a cancelled override,
// "following" ends the event before the instance, "all" deletes the event. It reports whether
// the whole event is gone (the caller then keeps it as a tombstone until every linked mailbox
// has been told).
func (e *Event) Delete(scope Scope, instance time.Time, now time.Time) (whole bool, err error) {
	if e.DeletedAt != nil {
		return false, ErrNotFound
	}
	orig := instance.UTC()
	switch scope {
	case ScopeAll:
		e.markDeleted(now)
		return true, nil
	case ScopeInstance:
		if e.segmentOf(orig) < 0 {
			return false, invalid("instance", "The event has no instance starting at "+orig.Format(time.RFC3339)+".")
		}
		if !e.IsRecurring() || e.liveInstancesOtherThan(orig) == 0 {
			e.markDeleted(now)
			return true, nil
		}
		o := Override{OriginalStart: orig}
		if cur := e.override(orig); cur != nil {
			o = *cur
		}
		o.Cancelled = true
		e.setOverride(o)
		return false, nil
	case ScopeFollowing:
		i := e.segmentOf(orig)
		if i < 0 {
			return false, invalid("instance", "The event has no instance starting at "+orig.Format(time.RFC3339)+".")
		}
		if first, _ := e.Segments[0].Schedule().FirstStart(); !orig.After(first) {
			e.markDeleted(now)
			return true, nil
		}
		j := e.split(i, orig)
		e.Segments = e.Segments[:j]
		e.dropFrom(orig)
		return false, nil
	}
	return false, invalid("scope", "Scope must be instance, following or all.")
}

func (e *Event) markDeleted(now time.Time) {
	t := now.UTC()
	e.DeletedAt = &t
}

// dropFrom removes overrides, instance and following RSVPs and instance invitations at or
// after orig.
func (e *Event) dropFrom(orig time.Time) {
	ov := e.Overrides[:0]
	for _, o := range e.Overrides {
		if o.OriginalStart.Before(orig) {
			ov = append(ov, o)
		}
	}
	e.Overrides = ov
	rs := e.RSVPs[:0]
	for _, r := range e.RSVPs {
		if r.Instance != nil && !r.Instance.Before(orig) {
			continue
		}
		rs = append(rs, r)
	}
	e.RSVPs = rs
	inv := e.Invitations[:0]
	for _, in := range e.Invitations {
		if in.Instance != nil && !in.Instance.Before(orig) {
			continue
		}
		inv = append(inv, in)
	}
	e.Invitations = inv
}

// liveInstancesOtherThan counts, up to 2, the instances other than orig that are not cancelled.
func (e *Event) liveInstancesOtherThan(orig time.Time) int {
	n := 0
	for _, seg := range e.Segments {
		sched := seg.Schedule()
		if _, bounded := sched.Last(); !bounded {
			return 2
		}
		first, ok := sched.FirstStart()
		if !ok {
			continue
		}
		last, _ := sched.Last()
		for _, s := range sched.Starts(first, last.Add(time.Second), 1000) {
			s = s.UTC()
			if s.Equal(orig) {
				continue
			}
			if o := e.override(s); o != nil && o.Cancelled {
				continue
			}
			n++
			if n >= 2 {
				return n
			}
		}
	}
	return n
}
