package calendar

import (
	"fmt"
	"sort"
	"time"
)

// Whole-state replacements. The operations below serve a trusted caller that knows the whole new state of a segment or
// an instance, such as the Outlook sync; they keep the event's invariants (ordered segments,
// overrides only on existing instances) but check no permissions.

// SegmentIndex returns the index of the segment with the UID, or -1.
func (e *Event) SegmentIndex(uid string) int {
	for i, s := range e.Segments {
		if s.UID == uid {
			return i
		}
	}
	return -1
}

// ReplaceSegment gives the segment with the UID a new schedule and content. Overrides of its
// instances follow a move of the time of day (same date, new time) and are dropped when
// their instance no longer exists; it returns how many were dropped.
func (e *Event) ReplaceSegment(uid string, seg Segment) (int, error) {
	i := e.SegmentIndex(uid)
	if i < 0 {
		return 0, fmt.Errorf("replace segment: no segment %s: %w", uid, ErrNotFound)
	}
	if err := checkSchedule(seg); err != nil {
		return 0, err
	}
	old := e.clone()
	oldSeg := e.Segments[i]
	lo, _ := oldSeg.Schedule().FirstStart()
	hi := e.segmentEnd(i)
	seg.UID, seg.ID = uid, oldSeg.ID
	e.Segments[i] = seg
	e.sortSegments()
	e.boundSegments()
	inRange := func(t time.Time) bool { return !t.Before(lo) && (hi.IsZero() || t.Before(hi)) }
	newLoc := baseLoc(seg)
	oldLoc := baseLoc(oldSeg)
	move := func(k time.Time) time.Time {
		if !inRange(k) || e.HasInstance(k) {
			return k
		}
		d := k.In(oldLoc)
		w := onDate(d, seg.WallStart())
		cand := WallTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), newLoc).UTC()
		if e.HasInstance(cand) {
			return cand
		}
		return k
	}
	e.rekeyFrom(old, lo, func(k time.Time) time.Time { return move(k) })
	return e.dropOrphans(), nil
}

// AttachSegment adds seg (with a new UID) after the segment with parentUID, whose own new
// state is parent: the shape of Outlook's "this and all following", where the parent series
// was shortened and a new series carries on. Overrides whose instances the new segment
// still has stay; it returns how many overrides were dropped and the new segment's UID.
func (e *Event) AttachSegment(parentUID string, parent, seg Segment) (int, string, error) {
	if e.SegmentIndex(parentUID) < 0 {
		return 0, "", fmt.Errorf("attach segment: no segment %s: %w", parentUID, ErrNotFound)
	}
	if err := checkSchedule(seg); err != nil {
		return 0, "", err
	}
	seg.UID, seg.ID = newUID(), 0
	e.Segments = append(e.Segments, seg)
	e.sortSegments()
	n, err := e.ReplaceSegment(parentUID, parent)
	return n, seg.UID, err
}

// RemoveSegment removes the segment with the UID and the overrides, instance answers and
// instance invitations of its instances. Removing the only segment deletes the event; it
// reports whether that happened.
func (e *Event) RemoveSegment(uid string, now time.Time) bool {
	i := e.SegmentIndex(uid)
	if i < 0 {
		return false
	}
	if len(e.Segments) == 1 {
		e.markDeleted(now)
		return true
	}
	e.Segments = append(e.Segments[:i], e.Segments[i+1:]...)
	e.dropOrphans()
	return false
}

// InstanceChange is the whole new state of one instance.
type InstanceChange struct {
	Cancelled   bool
	Title       string
	Description string
	Location    string
	Start, End  time.Time
}

// SetInstance makes the instance originally starting at orig look as ch says, storing only
// what differs from its segment; an instance that matches its segment loses its override.
func (e *Event) SetInstance(orig time.Time, ch InstanceChange) error {
	orig = orig.UTC()
	i := e.segmentOf(orig)
	if i < 0 {
		return fmt.Errorf("set instance %s: %w", orig.Format(time.RFC3339), ErrNotFound)
	}
	seg := e.Segments[i]
	o := Override{OriginalStart: orig, Cancelled: ch.Cancelled}
	if !ch.Cancelled {
		o.Title = differing(ch.Title, seg.Title)
		o.Description = differing(ch.Description, seg.Description)
		o.Location = differing(ch.Location, seg.Location)
		if !ch.Start.IsZero() && (!ch.Start.Equal(orig) || !ch.End.Equal(orig.Add(seg.Duration))) {
			s, en := ch.Start.UTC(), ch.End.UTC()
			o.Start, o.End = &s, &en
		}
	}
	e.setOverride(o)
	return nil
}

// dropOrphans removes overrides, instance answers and instance invitations whose instance no
// longer exists, and returns how many overrides went.
func (e *Event) dropOrphans() int {
	dropped := 0
	keep := e.Overrides[:0]
	for _, o := range e.Overrides {
		if e.HasInstance(o.OriginalStart) {
			keep = append(keep, o)
		} else {
			dropped++
		}
	}
	e.Overrides = keep
	e.dropVanishedKeys(time.Time{})
	e.tidyOverrides()
	return dropped
}

func (e *Event) sortSegments() {
	sort.SliceStable(e.Segments, func(i, j int) bool {
		a, _ := e.Segments[i].Schedule().FirstStart()
		b, _ := e.Segments[j].Schedule().FirstStart()
		return a.Before(b)
	})
}

// NewImportedEvent builds an event from segments that already exist elsewhere (an Outlook
// series imported into My Calendar), minting UIDs; it validates the schedules.
func NewImportedEvent(calendarID, organizerID int64, privacy Privacy, segs ...Segment) (*Event, error) {
	if len(segs) == 0 {
		return nil, invalid("segments", "An event needs at least one segment.")
	}
	e := &Event{CalendarID: calendarID, OrganizerID: organizerID, Privacy: privacy}
	for _, s := range segs {
		v := &ValidationError{}
		checkContent(v, s.Content)
		if v.Fields["title"] != "" && s.Title == "" {
			s.Title = "(no title)"
			v = &ValidationError{}
			checkContent(v, s.Content)
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		if err := checkSchedule(s); err != nil {
			return nil, err
		}
		s.UID, s.ID = newUID(), 0
		e.Segments = append(e.Segments, s)
	}
	e.sortSegments()
	return e, nil
}

// boundSegments keeps the invariant that only the last segment may be unbounded: a segment
// whose instances would run into the next one's ends just before the next one's first start.
func (e *Event) boundSegments() {
	for i := 0; i+1 < len(e.Segments); i++ {
		if next, ok := e.Segments[i+1].Schedule().FirstStart(); ok {
			e.Segments[i] = e.Segments[i].EndBefore(next)
		}
	}
}

// EndBefore returns the segment with its rule ended before next, when it had instances at
// or after next (a COUNT stays a COUNT, anything else gets an UNTIL).
func (s Segment) EndBefore(next time.Time) Segment {
	if s.Rule == nil {
		return s
	}
	if last, bounded := s.Schedule().Last(); bounded && last.Before(next) {
		return s
	}
	r := copyRule(s.Rule)
	if r.Count > 0 {
		r.Count = s.Schedule().CountBefore(next)
	} else {
		r.Until = next.Add(-time.Second).UTC()
	}
	if r.Count == 0 && r.Until.IsZero() {
		r.Until = next.Add(-time.Second).UTC()
	}
	s.Rule = r
	return s
}

// Uninvite removes a user's invitation to every instance (ScopeAll) or to the instance
// originally starting at instance (ScopeInstance); their answers stay.
func (e *Event) Uninvite(userID int64, scope Scope, instance time.Time) {
	orig := instance.UTC()
	kept := e.Invitations[:0]
	for _, in := range e.Invitations {
		drop := in.UserID == userID && (scope == ScopeAll && in.Instance == nil ||
			scope == ScopeInstance && in.Instance != nil && in.Instance.Equal(orig))
		if !drop {
			kept = append(kept, in)
		}
	}
	e.Invitations = kept
}
