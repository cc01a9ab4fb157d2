package publish

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"intracal/calendar"
	"intracal/outlooksync"
)

// key names one copy: an event part.
type key struct {
	EventID int64
	UID     string
}

// wanted is a copy a member's calendar should hold.
type wanted struct {
	event *calendar.Event
	seg   int
	copy  outlooksync.SeriesCopy
}

// Marker is the value of our extended property on a copy: the space, the event and the
// part, so that copies are told from items the member made, and one space's from another's.
func Marker(spaceID int64, k key) string {
	return fmt.Sprintf("%s%d:%s", markerPrefix(spaceID), k.EventID, k.UID)
}

func markerPrefix(spaceID int64) string {
	return "intracal-space:" + strconv.FormatInt(spaceID, 10) + ":"
}

// ours reports whether an item carries a marker of the space.
func ours(spaceID int64, marker string) bool { return strings.HasPrefix(marker, markerPrefix(spaceID)) }

// desired is what a member's space calendar should hold: the events they may see, each
// part a copy, less what their Outlook shows already as a meeting. When the organizer syncs
// My Calendar with Outlook, the organizer and everyone invited to the whole series have the
// event as a meeting in their main calendar and no copy; an occurrence someone is invited to
// alone is cancelled in their copy (docs/architecture.md, "Which calendar holds an event").
// A private event whose reader sees only some instances is left out: a copy is a series.
func desired(sp *calendar.SpaceToPublish, userID int64, connected map[int64]bool, w outlooksync.Window, cache *copyCache) (map[key]wanted, error) {
	v := calendar.Viewer{UserID: userID}
	out := map[key]wanted{}
	for _, e := range sp.Events {
		if !e.CanSee(v) || e.InstanceOnly(v) {
			continue
		}
		var hidden []time.Time
		if connected[e.OrganizerID] {
			if e.OrganizerID == userID || invitedToAll(e, userID) {
				continue
			}
			for _, inv := range e.Invitations {
				if inv.UserID == userID && inv.Instance != nil {
					hidden = append(hidden, inv.Instance.UTC())
				}
			}
		}
		for i, seg := range e.Segments {
			c, ok, err := cache.copyOf(e, i, w, hidden)
			if err != nil {
				return nil, err
			}
			if ok {
				out[key{e.ID, seg.UID}] = wanted{event: e, seg: i, copy: c}
			}
		}
	}
	return out, nil
}

func invitedToAll(e *calendar.Event, userID int64) bool {
	for _, inv := range e.Invitations {
		if inv.UserID == userID && inv.Instance == nil {
			return true
		}
	}
	return false
}

// copyCache keeps the copies of one space's event parts for a cycle: most members see the
// same copy of an event, so it is made once, not once per member.
type copyCache struct {
	mu sync.Mutex
	m  map[string]cachedCopy
}

type cachedCopy struct {
	c   outlooksync.SeriesCopy
	ok  bool
	err error
}

func newCopyCache() *copyCache { return &copyCache{m: map[string]cachedCopy{}} }

// copyOf is outlooksync.CopyOf, once per event part and set of hidden occurrences. The
// copies it returns are shared: their writes are cloned before a change.
func (cc *copyCache) copyOf(e *calendar.Event, i int, w outlooksync.Window, hidden []time.Time) (outlooksync.SeriesCopy, bool, error) {
	if cc == nil {
		return outlooksync.CopyOf(e, i, w, hidden)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d/%d", e.ID, e.Version, i)
	for _, h := range hidden {
		fmt.Fprintf(&b, "/%d", h.Unix())
	}
	k := b.String()
	cc.mu.Lock()
	got, ok := cc.m[k]
	cc.mu.Unlock()
	if ok {
		return got.c, got.ok, got.err
	}
	c, okc, err := outlooksync.CopyOf(e, i, w, hidden)
	cc.mu.Lock()
	cc.m[k] = cachedCopy{c, okc, err}
	cc.mu.Unlock()
	return c, okc, err
}
