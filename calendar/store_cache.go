package calendar

import (
	"sync"
)

// listCache keeps what listings have read of events' segments and overrides, parsed, so that
// a listing reads from the database only the ids and versions of what it lists, and the rows
// of events changed since: on SQLite every column of every row is several calls into the
// driver, and those were most of a month query's time.
//
// An entry is held under the version of its event, read in the same statement as its rows.
// Every change to an event's segments or overrides is written in the transaction that bumps
// the version (save and Create through writeChildren), so an entry is used only when the
// event is still at that version, by this store or by another app instance on the database,
// and is then what a fresh read would give. Event ids are never reused: events are only
// ever soft-deleted.
//
// Entries are never changed once stored, and listings only read them, so their segments,
// rules and overrides are shared between listings. Each map is capped; when one is full,
// arbitrary entries (Go's map order) go until it is three quarters full.
type listCache struct {
	mu          sync.Mutex
	maxSegments int                       // segments held at most
	maxOverride int                       // overrides held at most, counting an event's empty list as one
	segments    map[int64]*cachedSegment  // by segment id
	overrides   map[int64]cachedOverrides // by event id
	nOverrides  int
}

// The default caps: a listing of the heaviest calendar measured (1,000 series, 5,000
// changed instances) keeps 1,000 segments and 5,000 overrides, 1.2 MB of heap. Full, the
// cache holds about 20 MB.
const (
	defaultCachedSegments  = 20000
	defaultCachedOverrides = 50000
)

func newListCache(maxSegments, maxOverrides int) *listCache {
	return &listCache{maxSegments: maxSegments, maxOverride: maxOverrides,
		segments: map[int64]*cachedSegment{}, overrides: map[int64]cachedOverrides{}}
}

// cachedSegment is a segment as a listing reads it, with its event's fields that listings
// show, at the event's version.
type cachedSegment struct {
	eventID     int64
	version     int
	organizerID int64
	calendarID  int64
	privacy     Privacy
	categories  []string
	seg         Segment
}

// cachedOverrides is all of an event's overrides at its version, by original start.
type cachedOverrides struct {
	version int
	list    []Override
}

// listedSegment is a row of a listing's ids query.
type listedSegment struct {
	eventID, segmentID int64
	version            int
}

// segmentsAt sets out[i] to the cached segment of rows[i] if its event is still at the
// version, and leaves it nil otherwise.
func (c *listCache) segmentsAt(rows []listedSegment, out []*cachedSegment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, r := range rows {
		if e := c.segments[r.segmentID]; e != nil && e.eventID == r.eventID && e.version == r.version {
			out[i] = e
		}
	}
}

// putSegments stores segments read from the database.
func (c *listCache) putSegments(segs map[int64]*cachedSegment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.segments)+len(segs) > c.maxSegments {
		keep := c.maxSegments * 3 / 4
		for id := range c.segments {
			if len(c.segments)+len(segs) <= keep {
				break
			}
			delete(c.segments, id)
		}
	}
	for id, s := range segs {
		if _, ok := c.segments[id]; !ok && len(c.segments) >= c.maxSegments {
			continue
		}
		c.segments[id] = s
	}
}

// overridesOf returns the overrides the cache holds of the events at their versions, by
// event id.
func (c *listCache) overridesOf(events []*Event) map[int64][]Override {
	out := make(map[int64][]Override, len(events))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range events {
		if o, ok := c.overrides[e.ID]; ok && o.version == e.Version {
			out[e.ID] = o.list
		}
	}
	return out
}

// putOverrides stores the overrides of events read from the database.
func (c *listCache) putOverrides(ovs map[int64]cachedOverrides) {
	c.mu.Lock()
	defer c.mu.Unlock()
	need := 0
	for _, o := range ovs {
		need += overridesCost(o)
	}
	if c.nOverrides+need > c.maxOverride {
		keep := c.maxOverride * 3 / 4
		for id, o := range c.overrides {
			if c.nOverrides+need <= keep {
				break
			}
			c.nOverrides -= overridesCost(o)
			delete(c.overrides, id)
		}
	}
	for id, o := range ovs {
		cost := overridesCost(o)
		if c.nOverrides+cost > c.maxOverride {
			continue
		}
		if old, ok := c.overrides[id]; ok {
			c.nOverrides -= overridesCost(old)
		}
		c.overrides[id] = o
		c.nOverrides += cost
	}
}

func overridesCost(o cachedOverrides) int { return len(o.list) + 1 }
