package calendar

import (
	"cmp"
	"iter"
	"slices"
	"sort"
	"sync"
	"time"
)

// Occurrence is one instance of an event as a viewer sees it.
type Occurrence struct {
	EventID       int64
	CalendarID    int64     // My Calendar of the organizer, or a space's calendar
	OriginalStart time.Time // UTC: the key of the instance
	Start, End    time.Time // in the event's zone (UTC midnights for all-day; End exclusive)
	TimeZone      string
	AllDay        bool
	Content
	Privacy Privacy
	// Categories are the event's, for its organizer (and who may edit it) only.
	Categories  []string
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
	if m == AllVisible || e.fromSpace || e.OrganizerID == v.UserID || e.invitedTo(v.UserID, orig) {
		return true
	}
	if e.Privacy != Public {
		return false
	}
	r := e.EffectiveRSVP(v.UserID, orig)
	return r == Yes || r == Maybe
}

// A slot is an instance as Occurrences collects and sorts them. It holds no pointer, so that
// sorting thousands of them costs the garbage collector nothing, and it holds the event's
// id: the sort meets many equal starts.
type slot struct {
	start, id int64
	origSec   int64 // orig is rebuilt from these (in UTC) or, when origOwn, is the override's own
	origNsec  int32
	ev, ov    int32 // indexes in events and in its overrides (-1: none)
	seg       int32
	origOwn   bool
}

// slotPool keeps the slot slices of past listings for the next: grown by append, a month of
// a heavy calendar's slots made more garbage than the listing's result.
var slotPool = sync.Pool{New: func() any { return new([]slot) }}

// maxPooledSlots is the largest slice kept: one grown by append to hold a listing's cap and
// one more (append grows past what it needs, and a heavy listing's slice was never kept).
const maxPooledSlots = 2 * (MaxOccurrences + 1)

// Occurrences expands the events into the instances that overlap [from, to) and that the
// viewer may see under the membership rule, sorted by start. Cancelled instances are left
// out. It stops at max instances (MaxOccurrences when max <= 0) and reports whether it did.
func Occurrences(events []*Event, v Viewer, m Membership, from, to time.Time, max int) ([]Occurrence, bool) {
	l := listOccurrences(events, v, m, from, to, max)
	defer l.Release()
	out := make([]Occurrence, 0, l.Len())
	for _, oc := range l.All() {
		out = append(out, oc)
	}
	return out, l.Truncated()
}

// OccurrenceList is a listing whose instances are found and sorted but not yet built: a
// pointer-free slot of 48 bytes each, where a built Occurrence takes about 250 and its JSON
// form more. A caller that writes the instances out one at a time (the JSON listing) so holds
// one instance at a time instead of all of them. Release gives its memory back for the next
// listing; the list must not be used after.
type OccurrenceList struct {
	events    []*Event
	v         Viewer
	buf       *[]slot
	slots     []slot
	truncated bool
}

// listOccurrences finds and sorts the instances Occurrences lists.
func listOccurrences(events []*Event, v Viewer, m Membership, from, to time.Time, max int) *OccurrenceList {
	if max <= 0 || max > MaxOccurrences {
		max = MaxOccurrences
	}
	buf := slotPool.Get().(*[]slot)
	slots := (*buf)[:0]
	truncated := false
	for k, e := range events {
		if e.DeletedAt != nil {
			continue
		}
		e.expandRaw(from, to, max+1, func(i int, orig time.Time, ov int, start, _ time.Time) bool {
			if (ov >= 0 && e.Overrides[ov].Cancelled) || !e.includes(v, m, orig) {
				return true
			}
			own := ov >= 0 && orig == e.Overrides[ov].OriginalStart
			slots = append(slots, slot{start: start.UnixNano(), id: e.ID, origSec: orig.Unix(), origNsec: int32(orig.Nanosecond()),
				ev: int32(k), ov: int32(ov), seg: int32(i), origOwn: own})
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
		if a.origSec != b.origSec {
			return cmp.Compare(a.origSec, b.origSec)
		}
		return cmp.Compare(a.origNsec, b.origNsec)
	})
	*buf = slots // the grown slice goes back to the pool on Release
	if len(slots) > max {
		slots = slots[:max]
		truncated = true
	}
	return &OccurrenceList{events: events, v: v, buf: buf, slots: slots, truncated: truncated}
}

// Len is the number of instances listed.
func (l *OccurrenceList) Len() int { return len(l.slots) }

// Truncated reports whether the cap cut the list.
func (l *OccurrenceList) Truncated() bool { return l.truncated }

// OrganizerIDs returns the organizers of the listed instances, each once.
func (l *OccurrenceList) OrganizerIDs() []int64 {
	listed := make(map[int32]bool) // events
	seen := make(map[int64]bool)   // organizers
	var ids []int64
	for _, sl := range l.slots {
		if listed[sl.ev] {
			continue
		}
		listed[sl.ev] = true
		if id := l.events[sl.ev].OrganizerID; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// All yields the instances in order with their index, each built as it is asked for.
func (l *OccurrenceList) All() iter.Seq2[int, Occurrence] {
	return func(yield func(int, Occurrence) bool) {
		for k, sl := range l.slots {
			e := l.events[sl.ev]
			var o *Override
			if sl.ov >= 0 {
				o = &e.Overrides[sl.ov]
			}
			orig := time.Unix(sl.origSec, int64(sl.origNsec)).UTC()
			if sl.origOwn {
				orig = o.OriginalStart
			}
			oc, _ := e.occurrence(int(sl.seg), orig, o)
			oc.RSVP = e.EffectiveRSVP(l.v.UserID, orig)
			oc.Categories = e.labelsFor(l.v)
			if !yield(k, oc) {
				return
			}
		}
	}
}

// Release returns the list's memory to the pool; the list is empty after. Calling it twice
// does nothing.
func (l *OccurrenceList) Release() {
	if l.buf == nil {
		return
	}
	if cap(*l.buf) <= maxPooledSlots {
		*l.buf = (*l.buf)[:0]
		slotPool.Put(l.buf)
	}
	l.buf, l.slots, l.events = nil, nil, nil
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
		oc.Categories = e.labelsFor(v)
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
	oc.Categories = e.labelsFor(v)
	return oc, cancelled, nil
}

// expand calls fn for every instance overlapping [from, to) (after its own changes) until fn
// returns false.
func (e *Event) expand(from, to time.Time, max int, fn func(Occurrence, bool) bool) {
	e.expandRaw(from, to, max, func(i int, orig time.Time, ov int, _, _ time.Time) bool {
		return fn(e.occurrence(i, orig, e.overrideAt(ov)))
	})
}

// overrideAt returns e.Overrides[i], nil for i < 0.
func (e *Event) overrideAt(i int) *Override {
	if i < 0 {
		return nil
	}
	return &e.Overrides[i]
}

// expandRaw calls fn with the segment, original start, override (an index in e.Overrides, -1
// for none) and actual times of every instance overlapping [from, to) until fn returns false.
// Instances moved into the window from outside it are included; instances moved out of it are
// not.
func (e *Event) expandRaw(from, to time.Time, max int, fn func(seg int, orig time.Time, ov int, start, end time.Time) bool) {
	// The overrides by original start: a few per event in a listing, so a scan of their keys
	// (the last of equal keys wins, as a map would keep it) beats building a map.
	var small [16]int64
	keys := small[:0]
	var byKey map[int64]int
	moved := false
	for i := range e.Overrides {
		o := &e.Overrides[i]
		keys = append(keys, o.OriginalStart.UnixNano())
		if o.Start != nil || o.End != nil {
			moved = true
		}
	}
	if len(keys) > len(small) {
		byKey = make(map[int64]int, len(keys))
		for i, k := range keys {
			byKey[k] = i
		}
	}
	find := func(key int64) int {
		if byKey != nil {
			if i, ok := byKey[key]; ok {
				return i
			}
			return -1
		}
		for i := len(keys) - 1; i >= 0; i-- {
			if keys[i] == key {
				return i
			}
		}
		return -1
	}
	var seen map[int64]bool
	if moved {
		seen = map[int64]bool{}
	}
	for i, seg := range e.Segments {
		end := e.segmentEnd(i)
		stopped := false
		seg.Schedule().eachStart(from, to, max, func(s time.Time) bool {
			orig := s.UTC()
			if !end.IsZero() && !orig.Before(end) {
				return false
			}
			ov := find(orig.UnixNano())
			if seen != nil {
				seen[orig.UnixNano()] = true
			}
			start, stop := instanceTimes(seg, orig, e.overrideAt(ov))
			if !overlaps(start, stop, from, to) {
				return true
			}
			if !fn(i, orig, ov, start, stop) {
				stopped = true
				return false
			}
			return true
		})
		if stopped {
			return
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
		if !fn(i, o.OriginalStart, k, start, stop) {
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
		CalendarID:    e.CalendarID,
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
