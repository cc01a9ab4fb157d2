package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A delete made through Store.DeleteUndoable can be undone by the person who made it for
// UndoWindow: the delete keeps, in its own transaction, the whole event as it was before (a
// snapshot of its rows: segments, instance changes, invitations, answers, categories and
// reminder) with the version and the answers the delete left. Store.Undo puts the snapshot
// back under the same event id with a new version, so listings and the Outlook sync see a
// change of the event they know (its links and base still apply), if the event is still as
// the delete left it; an event changed or answered since is not undone.

// UndoWindow is how long a delete can be undone.
const UndoWindow = 30 * time.Second

// undoKept is how long an undo's row outlives its expiry, so that a late Undo is told it
// came too late rather than that nothing is known of it.
const undoKept = time.Hour

// snapshotFormat versions the snapshot's JSON; an undo kept in another format is refused
// as too late (it lives a minute at most).
const snapshotFormat = 1

// Deleted is what an undoable delete did.
type Deleted struct {
	Whole bool      // the whole event went
	Token string    // undoes the delete (Store.Undo) by the person who made it
	Until time.Time // the end of the undo's time
}

// Undone is what Store.Undo restored.
type Undone struct {
	Event    *Event    // the event as the viewer may see it now
	Scope    Scope     // of the delete undone
	Instance time.Time // the instance the delete was made from (zero when it named none)
}

// Reasons an undo is refused (UndoError.Reason).
const (
	UndoUnknown = "unknown" // no such undo, or another person's, or undone already
	UndoExpired = "expired" // its time is over
	UndoChanged = "changed" // the event was changed or answered since the delete
)

// UndoError says why a delete cannot be undone, with a message for the person. An unknown
// undo is ErrNotFound (another person's undo is not told apart), a changed event ErrConflict.
type UndoError struct {
	Reason  string
	Message string
}

func (e *UndoError) Error() string { return e.Message }

// Is makes errors.Is(err, ErrNotFound) true for an unknown undo, ErrConflict for a changed
// event.
func (e *UndoError) Is(target error) bool {
	return (target == ErrNotFound && e.Reason == UndoUnknown) || (target == ErrConflict && e.Reason == UndoChanged)
}

func undoRefused(reason string) error {
	msg := map[string]string{
		UndoUnknown: "There is nothing to undo: the delete was undone already, or was not yours.",
		UndoExpired: "It is too late to undo this delete: a delete can be undone for " + strconv.Itoa(int(UndoWindow/time.Second)) + " seconds.",
		UndoChanged: "This delete cannot be undone: the event was changed or answered after it.",
	}[reason]
	return &UndoError{Reason: reason, Message: msg}
}

// undoRow is a delete that can be undone (migrations/0013_event_undo.go).
type undoRow struct {
	ID        int64  `gorm:"primaryKey"`
	Token     string `gorm:"size:32;not null"`
	EventID   int64  `gorm:"not null"`
	UserID    int64  `gorm:"not null"`
	Scope     string `gorm:"size:16;not null"`
	Instance  *time.Time
	Version   int    `gorm:"not null"` // the event's version the delete left
	Answers   string `gorm:"size:64;not null"`
	Snapshot  string `gorm:"not null"`
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (undoRow) TableName() string { return "event_undos" }

// snapshot is a whole event in the store's own rows: what a load reads back as it was.
type snapshot struct {
	Format      int             `json:"format"`
	Event       eventRow        `json:"event"`
	Segments    []segmentRow    `json:"segments"`
	Overrides   []overrideRow   `json:"overrides"`
	Invitations []invitationRow `json:"invitations"`
	RSVPs       []rsvpRow       `json:"rsvps"`
}

// snapshotOf is e, whole, as the store writes it.
func snapshotOf(e *Event) snapshot {
	cats, rem := labelColumns(e)
	sn := snapshot{Format: snapshotFormat, Event: eventRow{ID: e.ID, CalendarID: e.CalendarID, OrganizerID: e.OrganizerID,
		Privacy: string(e.Privacy), Categories: cats, ReminderMinutes: rem, Version: e.Version,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, DeletedAt: utcPtr(e.DeletedAt)}}
	for i, sg := range e.Segments {
		sn.Segments = append(sn.Segments, toSegmentRow(e.ID, i, sg))
	}
	for _, o := range e.Overrides {
		sn.Overrides = append(sn.Overrides, toOverrideRow(e.ID, o))
	}
	for _, in := range e.Invitations {
		sn.Invitations = append(sn.Invitations, invitationRow{EventID: e.ID, UserID: in.UserID, Instance: utcPtr(in.Instance)})
	}
	for _, r := range e.RSVPs {
		sn.RSVPs = append(sn.RSVPs, toRSVPRow(e.ID, r))
	}
	return sn
}

// event reads the snapshot back as the store reads an event, not yet saved.
func (sn snapshot) event() (*Event, error) {
	r := sn.Event
	e := &Event{ID: r.ID, CalendarID: r.CalendarID, OrganizerID: r.OrganizerID, Privacy: Privacy(r.Privacy),
		Categories: categoriesOf(r.Categories), Reminder: reminderOf(r.ReminderMinutes), Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), DeletedAt: utcPtr(r.DeletedAt)}
	for _, sr := range sn.Segments {
		sg, err := fromSegmentRow(sr)
		if err != nil {
			return nil, err
		}
		e.Segments = append(e.Segments, sg)
	}
	for _, or := range sn.Overrides {
		e.Overrides = append(e.Overrides, fromOverrideRow(or))
	}
	for _, ir := range sn.Invitations {
		e.Invitations = append(e.Invitations, fromInvitationRow(ir))
	}
	for _, rr := range sn.RSVPs {
		e.RSVPs = append(e.RSVPs, fromRSVPRow(rr))
	}
	return e, nil
}

func encodeSnapshot(e *Event) (string, error) {
	b, err := json.Marshal(snapshotOf(e))
	if err != nil {
		return "", fmt.Errorf("snapshot of event %d: %w", e.ID, err)
	}
	return string(b), nil
}

func decodeSnapshot(text string) (snapshot, bool) {
	var sn snapshot
	if err := json.Unmarshal([]byte(text), &sn); err != nil || sn.Format != snapshotFormat {
		return snapshot{}, false
	}
	return sn, true
}

// answersDigest names a set of answers: an answer given since a delete (every answer is a
// row of its own, with its time) changes it.
func answersDigest(rs []RSVP) string {
	lines := make([]string, len(rs))
	for i, r := range rs {
		at := ""
		if r.Instance != nil {
			at = strconv.FormatInt(r.Instance.UnixNano(), 10)
		}
		lines[i] = fmt.Sprintf("%d|%s|%s|%s|%d", r.UserID, r.Scope, at, r.Response, r.UpdatedAt.UnixNano())
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}
