package outlooksync

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"intracal/calendar"
)

// Link ties a local segment to an Outlook series master or single event, with the base of the
// three-way merge: what both sides held after the last sync.
type Link struct {
	EventID    int64
	SegmentUID string
	RemoteID   string
	ChangeKey  string
	ICalUID    string // of the Outlook item: an invitee's copy of a meeting has the same
	Base       Base
}

// RemoteSeries is an Outlook series master or single event read this cycle.
type RemoteSeries struct {
	Master RemoteEvent
	// Instances are its occurrences and exceptions in the window; InstancesRead says whether
	// they were read (a series read only as a delta item has not had them read).
	Instances     []RemoteEvent
	InstancesRead bool
	// Gone is set when Outlook confirmed the item deleted (404 after a delta @removed).
	Gone bool
}

// Input is everything one reconciliation looks at.
type Input struct {
	UserID     int64
	CalendarID int64 // the user's My Calendar, for imported events
	Window     Window
	Now        time.Time
	// Local are the events the user organizes that are in the window or linked, deleted ones
	// included while they are linked.
	Local []*calendar.Event
	// Remote are the Outlook items read this cycle, by id. A linked item not read is unchanged
	// since the base.
	Remote map[string]*RemoteSeries
	Links  []Link
	// Pending are the bases of creates sent by cycles that may have stopped before saving
	// their links (pending.go).
	Pending []PendingCreate
	// Awaited are Outlook series deleted by earlier cycles whose new parts may still come
	// (awaited.go).
	Awaited []AwaitedSplit
	// People resolves invitees and attendees (empty: meetings are left as they are).
	People People
}

// Plan is what a reconciliation decided. Local changes are whole events (changed copies of
// the input's, or new ones); remote changes are Graph operations, each tied to the link it
// serves; Links holds the state every link should have once all its operations succeeded.
type Plan struct {
	Changed []*calendar.Event // existing local events to save
	Created []*calendar.Event // new local events imported from Outlook
	Ops     []PlannedOp
	Links   []*LinkPlan
	History []HistoryEntry
	// SplitLinks are the links of the parts an Outlook split added to an event this cycle,
	// by event id, as matched (before this cycle's pushes): they are saved with the event,
	// so that a crash before the links are saved cannot leave parts here that the next
	// cycle would match to Outlook's split again.
	SplitLinks map[int64][]Link
	// Awaited are the series this plan deletes whose new parts are awaited: saved before
	// the deletions are sent.
	Awaited []AwaitedSplit
}

// PlannedOp is one Graph operation and the link it serves.
type PlannedOp struct {
	Op   Op
	Link *LinkPlan
	// StandIn, on a create, names the instance (original start, RFC 3339) whose stand-in
	// it creates: the new id goes to the link's base, not to the link.
	StandIn string
	Purpose string
}

// LinkPlan is the intended state of one link.
type LinkPlan struct {
	Event      *calendar.Event // the local event (for Created, its id is known after saving)
	SegmentUID string
	RemoteID   string // empty until the create op ran
	ChangeKey  string
	ICalUID    string
	Base       Base
	Delete     bool // the link goes (both sides are gone)
	// NeedsInstances asks for a further pass once the operations ran: the series was created
	// or its schedule changed, so Outlook's exceptions must be rebuilt from My Calendar.
	NeedsInstances bool
	// Prior is the link as it was, nil for a new one.
	Prior *Link
}

// HistoryEntry is one line of the sync history the user sees.
type HistoryEntry struct {
	EventID   int64
	Direction string // "to Outlook", "from Outlook", "conflict", "kept"
	Summary   string
	Detail    string // e.g. the losing value of a conflict
	// imported is the event an import creates: its id, known once it is stored, becomes
	// EventID, so the line links to it.
	imported *calendar.Event
}

// coalesceHistory lists what one cycle did with at most one line per event and direction,
// so that one change is listed once though it took several writes (a "this and following"
// shortens one Outlook series and creates another; a change of all instances of an event with
// two parts updates both): the summaries and details of the writes are joined, in order,
// each once. Conflicts, errors and lines of no event stay as they are.
func coalesceHistory(in []HistoryEntry) []HistoryEntry {
	type key struct {
		id  int64
		dir string
	}
	out := make([]HistoryEntry, 0, len(in))
	at := map[key]int{}
	for _, h := range in {
		k := key{h.EventID, h.Direction}
		i, seen := at[k]
		if h.EventID == 0 || h.Direction == "conflict" || h.Direction == "error" || !seen {
			if h.EventID != 0 {
				at[k] = len(out)
			}
			out = append(out, h)
			continue
		}
		out[i].Summary = joinOnce(out[i].Summary, continued(h.Summary), "; ")
		out[i].Detail = joinOnce(out[i].Detail, h.Detail, ", ")
	}
	return out
}

// continued is a summary as the continuation of another: its first word in lower case,
// unless it is a name (Outlook, My Calendar).
func continued(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if first == "" || first == "Outlook" || first == "My" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// joinOnce appends part to list (parts separated by sep) unless it is empty or already there.
func joinOnce(list, part, sep string) string {
	if part == "" || slices.Contains(strings.Split(list, sep), part) {
		return list
	}
	if list == "" {
		return part
	}
	return list + sep + part
}

// IsEmpty reports whether the plan changes nothing.
func (p *Plan) IsEmpty() bool {
	return len(p.Changed) == 0 && len(p.Created) == 0 && len(p.Ops) == 0
}

// Summary renders the plan for a dry run.
func (p *Plan) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d local changes, %d imports, %d Outlook operations\n", len(p.Changed), len(p.Created), len(p.Ops))
	for _, op := range p.Ops {
		fmt.Fprintf(&b, "  %s %s (%s)\n", op.Op.Kind, op.Op.ID, op.Purpose)
	}
	for _, h := range p.History {
		fmt.Fprintf(&b, "  %s: %s\n", h.Direction, h.Summary)
	}
	return b.String()
}

// Marker is the value of our extended property on an item we created for a segment.
func Marker(eventID int64, segmentUID string) string {
	return "intracal:" + strconv.FormatInt(eventID, 10) + ":" + segmentUID
}

// ParseMarker reads a marker back.
func ParseMarker(m string) (int64, string, bool) {
	parts := strings.SplitN(m, ":", 3)
	if len(parts) != 3 || parts[0] != "intracal" {
		return 0, "", false
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || parts[2] == "" {
		return 0, "", false
	}
	return id, parts[2], true
}

// TransactionID is the transactionId of the create of a segment's series: the same for every
// retry, so that a create whose answer was lost returns the first item instead of a second.
func TransactionID(userID, eventID int64, segmentUID string) string {
	return RecreateTransactionID(userID, eventID, segmentUID, "")
}

// RecreateTransactionID is the transaction id of a deliberate new create of a segment whose
// Outlook item replaced (the deleted item's id): each re-create gets its own, since Exchange
// may match a transactionId against the deleted item, while a retry of the same re-create
// (same replaced item) keeps it.
func RecreateTransactionID(userID, eventID int64, segmentUID, replaced string) string {
	key := fmt.Sprintf("intracal-create:%d:%d:%s", userID, eventID, segmentUID)
	if replaced != "" {
		key += ":replacing:" + replaced
	}
	sum := sha256.Sum256([]byte(key))
	h := fmt.Sprintf("%x", sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
