package calendar

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// Occurrence is one instance of an event as a viewer sees it.
type Occurrence struct {
	EventID       int64
	OriginalStart time.Time // UTC: the key of the instance
	Start, End    time.Time // in the event's zone (UTC midnights for all-day; End exclusive)
	TimeZone      string
	AllDay        bool
	Content
	Privacy     Privacy
	OrganizerID int64
	IsException bool     // the instance has its own changes
	Changed     []string // which fields it changed
	IsRecurring bool
	RSVP        Response // the viewer's effective answer, "" for none
	Segment     int
}

// Membership says which instances a listing shows.
type Membership int

const (
	// MyCalendar shows the instances the viewer organizes, is invited to, or has answered yes
	// or maybe to (public events).
	MyCalendar Membership = iota
	// AllVisible shows every instance the viewer may see.
	AllVisible
)

// MaxOccurrences caps one listing.
const MaxOccurrences = 25000

// includes reports whether the instance belongs in the listing.
func (e *Event) includes(v Viewer, m Membership, orig time.Time) bool {
	if !e.seesInstance(v, orig) {
		return false
	}
	if m == AllVisible || e.OrganizerID == v.UserID || e.invitedTo(v.UserID, orig) {
		return true
	}
	if e.Privacy != Public {
		return false
	}
	r := e.EffectiveRSVP(v.UserID, orig)
	return r == Yes || r == Maybe
}

// Occurrences expands the events into the instances that overlap [from, to) and that the
// viewer may see under the membership rule, sorted by start. Cancelled instances are left
// out. It stops at max instances (MaxOccurrences when max <= 0) and reports whether it did.
func Occurrences(events []*Event, v Viewer, m Membership, from, to time.Time, max int) ([]Occurrence, bool) {
	if max <= 0 || max > MaxOccurrences {
		max = MaxOccurrences
	}
	// Collect small slots and sort those; the full occurrences are built once, in order. The
	// slot holds the event's id itself: the sort meets many equal starts, and reading the id
	// through the event pointer cost a cache miss on each.
	type slot struct {
		start, id int64
		orig      time.Time
		e         *Event
		o         *Override
		seg       int
	}
	var slots []slot
	truncated := false
	for _, e := range events {
		if e.DeletedAt != nil {
			continue
		}
		e.expandRaw(from, to, max+1, func(i int, orig time.Time, o *Override, start, _ time.Time) bool {
			if (o != nil && o.Cancelled) || !e.includes(v, m, orig) {
				return true
			}
			slots = append(slots, slot{start: start.UnixNano(), id: e.ID, orig: orig, e: e, seg: i, o: o})
			if len(slots) > MaxOccurrences {
				truncated = true
				return false
			}
			return true
		})
		if truncated {
			break
		}
	}
	slices.SortFunc(slots, func(a, b slot) int {
		if a.start != b.start {
			return cmp.Compare(a.start, b.start)
		}
		if a.id != b.id {
			return cmp.Compare(a.id, b.id)
		}
		return a.orig.Compare(b.orig)
	})
	if len(slots) > max {
		slots = slots[:max]
		truncated = true
	}
	out := make([]Occurrence, len(slots))
	for k, sl := range slots {
		oc, _ := sl.e.occurrence(sl.seg, sl.orig, sl.o)
		oc.RSVP = sl.e.EffectiveRSVP(v.UserID, sl.orig)
		out[k] = oc
	}
	return out, truncated
}

// Instances returns every instance of one event in [from, to) as the viewer may see it,
// including cancelled ones when withCancelled, for the details page and the sync.
func (e *Event) Instances(v Viewer, from, to time.Time, withCancelled bool) []Occurrence {
	var out []Occurrence
	e.expand(from, to, MaxOccurrences, func(oc Occurrence, cancelled bool) bool {
		if (cancelled && !withCancelled) || !e.seesInstance(v, oc.OriginalStart) {
			return true
		}
		if cancelled {
			oc.Changed = []string{"cancelled"}
		}
		oc.RSVP = e.EffectiveRSVP(v.UserID, oc.OriginalStart)
		out = append(out, oc)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].OriginalStart.Before(out[j].OriginalStart) })
	return out
}

// Instance returns the instance originally starting at orig, with its cancelled flag.
func (e *Event) Instance(v Viewer, orig time.Time) (Occurrence, bool, error) {
	orig = orig.UTC()
	i := e.segmentOf(orig)
	if i < 0 || !e.seesInstance(v, orig) {
		return Occurrence{}, false, ErrNotFound
	}
	oc, cancelled := e.occurrence(i, orig, e.override(orig))
	oc.RSVP = e.EffectiveRSVP(v.UserID, orig)
	return oc, cancelled, nil
}

// expand calls fn for every instance overlapping [from, to) (after its own changes) until fn
// returns false.
func (e *Event) expand(from, to time.Time, max int, fn func(Occurrence, bool) bool) {
	e.expandRaw(from, to, max, func(i int, orig time.Time, o *Override, _, _ time.Time) bool {
		return fn(e.occurrence(i, orig, o))
	})
}

// expandRaw calls fn with the segment, original start, override and actual times of every
// instance overlapping [from, to) until fn returns false. Instances moved into the window from
// outside it are included; instances moved out of it are not.
func (e *Event) expandRaw(from, to time.Time, max int, fn func(seg int, orig time.Time, o *Override, start, end time.Time) bool) {
	var byKey map[int64]*Override
	moved := false
	if len(e.Overrides) > 0 {
		byKey = make(map[int64]*Override, len(e.Overrides))
		for i := range e.Overrides {
			o := &e.Overrides[i]
			byKey[o.OriginalStart.UnixNano()] = o
			if o.Start != nil || o.End != nil {
				moved = true
			}
		}
	}
	var seen map[int64]bool
	if moved {
		seen = map[int64]bool{}
	}
	for i, seg := range e.Segments {
		end := e.segmentEnd(i)
		for _, s := range seg.Schedule().Starts(from, to, max) {
			orig := s.UTC()
			if !end.IsZero() && !orig.Before(end) {
				break
			}
			o := byKey[orig.UnixNano()]
			if seen != nil {
				seen[orig.UnixNano()] = true
			}
			start, stop := instanceTimes(seg, orig, o)
			if !overlaps(start, stop, from, to) {
				continue
			}
			if !fn(i, orig, o, start, stop) {
				return
			}
		}
	}
	if !moved {
		return
	}
	for k := range e.Overrides {
		o := &e.Overrides[k]
		if o.Start == nil || seen[o.OriginalStart.UnixNano()] {
			continue
		}
		i := e.segmentOf(o.OriginalStart)
		if i < 0 {
			continue
		}
		start, stop := instanceTimes(e.Segments[i], o.OriginalStart, o)
		if !overlaps(start, stop, from, to) {
			continue
		}
		if !fn(i, o.OriginalStart, o, start, stop) {
			return
		}
	}
}

// instanceTimes returns the actual start and end of an instance.
func instanceTimes(seg Segment, orig time.Time, o *Override) (time.Time, time.Time) {
	start, end := orig, orig.Add(seg.Duration)
	if o != nil && o.Start != nil {
		start = *o.Start
	}
	if o != nil && o.End != nil {
		end = *o.End
	}
	return start, end
}

// occurrence builds the instance of segment i originally starting at orig.
func (e *Event) occurrence(i int, orig time.Time, o *Override) (Occurrence, bool) {
	seg := e.Segments[i]
	loc := baseLoc(seg)
	start, end := instanceTimes(seg, orig, o)
	oc := Occurrence{
		EventID:       e.ID,
		OriginalStart: orig,
		Start:         start.In(loc),
		End:           end.In(loc),
		TimeZone:      seg.TimeZone,
		AllDay:        seg.AllDay,
		Content:       effectiveContent(seg.Content, o),
		Privacy:       e.Privacy,
		OrganizerID:   e.OrganizerID,
		IsRecurring:   e.IsRecurring(),
		Segment:       i,
	}
	cancelled := false
	if o != nil {
		cancelled = o.Cancelled
		ch := o.ChangedFields()
		if o.Cancelled {
			ch = ch[1:]
		}
		if len(ch) > 0 {
			oc.IsException = true
			oc.Changed = ch
		}
	}
	return oc, cancelled
}

// overlaps reports whether [s, e) overlaps [from, to); an instant instance overlaps when it
// lies in the window.
func overlaps(s, e, from, to time.Time) bool {
	if !s.Before(to) {
		return false
	}
	if e.Equal(s) {
		return !s.Before(from)
	}
	return e.After(from)
}
