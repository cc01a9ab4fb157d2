package outlooksync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"intracal/calendar"
)

// Graph is what the sync needs of Microsoft Graph for one mailbox. outlooksync/graph
// implements it with the Graph SDK; tests may implement it too.
type Graph interface {
	// Me reads the signed-in mailbox.
	Me(ctx context.Context) (Account, error)
	// Delta reads calendarView changes. With an empty deltaLink it starts over for the window;
	// otherwise it follows the stored link. It follows next links until the delta link (at
	// most maxPages pages; more is ErrResyncNeeded), calling progress after each page with the
	// number of items so far. A 410 or a sync-state error is ErrResyncNeeded; any failure
	// returns an error and no partial result, so that nothing is deleted on a partial read.
	Delta(ctx context.Context, deltaLink string, w Window, progress func(items int)) (DeltaResult, error)
	// Event reads one event with its recurrence, cancelled occurrences and our marker.
	Event(ctx context.Context, id string) (RemoteEvent, error)
	// Instances lists the occurrences and exceptions of a series master in the window.
	Instances(ctx context.Context, masterID string, w Window) ([]RemoteEvent, error)
	// ReadSeries reads many items at once: for each id the event as Event reads it and, for
	// a series master, its instances in the window (RemoteSeries.InstancesRead). An item
	// Outlook no longer has (404) is Gone. Any other failure returns an error and no partial
	// result, so that nothing is deleted on a partial read. ReadEach is the same, one
	// request at a time.
	ReadSeries(ctx context.Context, ids []string, w Window) (map[string]*RemoteSeries, error)
	// Apply performs write operations in as few requests as possible ($batch, at most 20 a
	// request, at most 4 requests at once for the mailbox). Each result says how its
	// operation ended; a throttled operation's Err is a *ThrottledError.
	Apply(ctx context.Context, ops []Op) []OpResult
}

// ReadEach does what Graph.ReadSeries does with Event and Instances, one request at a time,
// for implementations of Graph that cannot batch.
func ReadEach(ctx context.Context, g Graph, ids []string, w Window) (map[string]*RemoteSeries, error) {
	out := make(map[string]*RemoteSeries, len(ids))
	for _, id := range ids {
		if out[id] != nil {
			continue
		}
		ev, err := g.Event(ctx, id)
		if errors.Is(err, ErrRemoteNotFound) {
			out[id] = &RemoteSeries{Master: RemoteEvent{ID: id}, Gone: true}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", id, err)
		}
		rs := &RemoteSeries{Master: ev}
		if ev.Type == TypeMaster {
			if rs.Instances, err = g.Instances(ctx, id, w); err != nil {
				return nil, fmt.Errorf("read the instances of %s: %w", id, err)
			}
			rs.InstancesRead = true
		}
		out[id] = rs
	}
	return out, nil
}

// DeltaResult is what a delta read returned.
type DeltaResult struct {
	Items     []RemoteEvent // in the order Graph sent them; an id may repeat (the last wins)
	DeltaLink string
	Pages     int
}

// OpKind says what an operation does.
type OpKind string

const (
	OpCreate  OpKind = "create"  // POST /me/events
	OpUpdate  OpKind = "update"  // PATCH /me/events/{id} (an occurrence id makes an exception)
	OpDelete  OpKind = "delete"  // DELETE /me/events/{id} (an occurrence id cancels it)
	OpRespond OpKind = "respond" // POST .../accept|tentativelyAccept|decline
	OpCancel  OpKind = "cancel"  // POST .../cancel (organizer; tells attendees)
)

// Op is one write.
type Op struct {
	Kind OpKind
	ID   string // the item for update, delete, respond, cancel
	// IfMatch, when set, is the changeKey the item must still have (412 otherwise).
	IfMatch string
	// Write holds the fields to send for create and update.
	Write *EventWrite
	// Response is accepted, tentativelyAccepted or declined, for respond.
	Response     string
	Comment      string
	SendResponse bool
}

// EventWrite is the body of a create or update: only the fields named in Fields are sent
// on update; create sends them all.
type EventWrite struct {
	Fields        []string // subject, body, location, start, end, isAllDay, recurrence, attendees, sensitivity, categories, reminder
	Subject       string
	Body          string
	Location      string
	Start, End    time.Time // instants; sent as wall times in TimeZone
	TimeZone      string    // IANA
	IsAllDay      bool
	Private       bool // sensitivity private; normal otherwise
	Categories    []string
	Reminder      calendar.Reminder // isReminderOn and reminderMinutesBeforeStart
	Recurrence    *Recurrence
	Attendees     []Attendee
	Marker        string // create: our single-value extended property value
	TransactionID string // create: makes a retried create return the first item

	// StartWall, when set, is the wall time (floating: UTC fields) a series' start is sent
	// as instead of Start's: the series keeps it, though its first occurrence (Start) fell
	// in a gap and starts after it.
	StartWall time.Time
}

// OpResult is how one operation ended.
type OpResult struct {
	Event *RemoteEvent // the item after create or update, when Graph returned it
	Err   error
}

// Errors the Graph adapter returns, for errors.Is.
var (
	ErrResyncNeeded       = errors.New("outlook: delta state expired, a full read is needed")
	ErrRemoteNotFound     = errors.New("outlook: item not found")
	ErrPreconditionFailed = errors.New("outlook: the item changed since it was read")
	ErrReconnectNeeded    = errors.New("outlook: the connection must be renewed by its user")
)

// ThrottledError is a 429 or 503 with the wait Graph asked for.
type ThrottledError struct {
	RetryAfter time.Duration
	Status     int
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("outlook: throttled (status %d), retry after %s", e.Status, e.RetryAfter)
}
