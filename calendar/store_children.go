package calendar

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"gorm.io/gorm"
)

// An event's invitations and answers are written as the difference against what the store
// last read or wrote of them (Event.stored), never rewritten wholesale:
//
//   - Answers are given by the people answering (Store.Answer), without the organizer's
//     version and without bumping it, so a save of the whole event (an edit, the sync's
//     Replace) loaded before an answer must not undo it. A save writes the answers only of
//     the people whose answers it changed in memory (the sync's answers from Outlook, an edit
//     re-keying or dropping instance answers), and of those only the people whose stored
//     answers are still the ones it read: someone who answered since keeps their own later
//     answer, and the saved event shows it. The save holds the event's row (its version
//     update) while it compares and writes, and every answer takes the same row lock first,
//     so nobody answers in between.
//   - Invitations change only in saves, under the version, so what the event was read with
//     is what is stored; but an event may have tens of thousands, and an edit of its title
//     must not write them all again.

// instant is an optional time as a comparable value (time.Time holds a location pointer).
type instant struct {
	set  bool
	sec  int64
	nsec int32
}

func instantOf(t *time.Time) instant {
	if t == nil {
		return instant{}
	}
	return instant{set: true, sec: t.Unix(), nsec: int32(t.Nanosecond())}
}

type invitationKey struct {
	user int64
	at   instant
}

type rsvpKey struct {
	user     int64
	scope    Scope
	at       instant
	response Response
	updated  instant
}

func keyOfInvitation(in Invitation) invitationKey {
	return invitationKey{user: in.UserID, at: instantOf(in.Instance)}
}

func keyOfRSVP(r RSVP) rsvpKey {
	return rsvpKey{user: r.UserID, scope: r.Scope, at: instantOf(r.Instance), response: r.Response, updated: instantOf(&r.UpdatedAt)}
}

// storedRow is a stored row's id and what it holds.
type storedRow[K comparable] struct {
	id  int64
	key K
}

// storedChildren is what the store read or wrote of an event's invitations and answers. It
// is never changed once made, only replaced, so clones of an event share it.
type storedChildren struct {
	invitations []storedRow[invitationKey]
	rsvps       []storedRow[rsvpKey]
}

// diffRows matches the current keys against the stored rows, each row at most once: it
// returns the rows no longer wanted, the indexes of the keys that have no row, and the rows
// that stay.
func diffRows[K comparable](stored []storedRow[K], current []K) (gone []storedRow[K], added []int, kept []storedRow[K]) {
	free := make(map[K][]int64, len(stored))
	for _, r := range stored {
		free[r.key] = append(free[r.key], r.id)
	}
	for i, k := range current {
		if ids := free[k]; len(ids) > 0 {
			kept = append(kept, storedRow[K]{id: ids[0], key: k})
			free[k] = ids[1:]
			continue
		}
		added = append(added, i)
	}
	for _, r := range stored {
		if ids := free[r.key]; len(ids) > 0 && ids[0] == r.id {
			gone = append(gone, r)
			free[r.key] = ids[1:]
		}
	}
	return gone, added, kept
}

// Rows per INSERT: SQL Server takes at most 2,100 parameters a statement, SQLite 32,766,
// PostgreSQL 65,535; each row costs one per column.
const maxInsertParams = 2000

func insertBatch(columns int) int { return maxInsertParams / columns }

// deleteIDs deletes the rows of model with the ids, a chunk of ids a statement.
func deleteIDs(tx *gorm.DB, model any, ids []int64) error {
	for chunk := range slices.Chunk(ids, idChunk) {
		if err := tx.Where("id IN ?", chunk).Delete(model).Error; err != nil {
			return err
		}
	}
	return nil
}

// childWrite is what a write of an event's children leaves to apply to the event in memory
// once the transaction has committed.
type childWrite struct {
	stored *storedChildren
	// answers are the stored answers of the people who answered since the event was read,
	// which the write left as they were, by person.
	answers map[int64][]RSVP
}

// apply makes the event in memory what the committed write stored.
func (w childWrite) apply(e *Event) {
	e.stored = w.stored
	if len(w.answers) == 0 {
		return
	}
	kept := make([]RSVP, 0, len(e.RSVPs))
	for _, r := range e.RSVPs {
		if _, moved := w.answers[r.UserID]; !moved {
			kept = append(kept, r)
		}
	}
	for _, rs := range w.answers {
		kept = append(kept, rs...)
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].UserID < kept[j].UserID })
	e.RSVPs = kept
}

// writeChildren writes the segments, overrides, invitations and answers of e: segments and
// overrides anew (they are few, and listings cache them under the version that the same
// transaction bumps), invitations and answers as the difference against e.stored. fresh says
// the event was created in this transaction, so that nothing of it is stored yet.
func writeChildren(tx *gorm.DB, e *Event, fresh bool) (childWrite, error) {
	if !fresh {
		for _, m := range []any{&segmentRow{}, &overrideRow{}} {
			if err := tx.Where("event_id = ?", e.ID).Delete(m).Error; err != nil {
				return childWrite{}, fmt.Errorf("clear children of event %d: %w", e.ID, err)
			}
		}
	}
	segs := make([]segmentRow, len(e.Segments))
	for i, sg := range e.Segments {
		segs[i] = toSegmentRow(e.ID, i, sg)
		segs[i].ID = 0
	}
	if len(segs) > 0 {
		if err := tx.CreateInBatches(segs, 200).Error; err != nil {
			return childWrite{}, fmt.Errorf("write segments of event %d: %w", e.ID, err)
		}
		for i := range segs {
			e.Segments[i].ID = segs[i].ID
		}
	}
	if len(e.Overrides) > 0 {
		ovs := make([]overrideRow, len(e.Overrides))
		for i, o := range e.Overrides {
			ovs[i] = toOverrideRow(e.ID, o)
		}
		if err := tx.CreateInBatches(ovs, 200).Error; err != nil {
			return childWrite{}, fmt.Errorf("write overrides of event %d: %w", e.ID, err)
		}
	}

	before := e.stored
	if before == nil {
		before = &storedChildren{}
		if !fresh { // an event built by hand with an id: compare with what is stored now
			var err error
			if before, err = readStored(tx, e.ID); err != nil {
				return childWrite{}, err
			}
		}
	}
	invs, err := writeInvitations(tx, e, before.invitations)
	if err != nil {
		return childWrite{}, err
	}
	rsvps, moved, err := writeAnswers(tx, e, before.rsvps, !fresh)
	if err != nil {
		return childWrite{}, err
	}
	return childWrite{stored: &storedChildren{invitations: invs, rsvps: rsvps}, answers: moved}, nil
}

// readStored reads the event's invitation and answer rows as they are now.
func readStored(tx *gorm.DB, eventID int64) (*storedChildren, error) {
	var invs []invitationRow
	if err := tx.Where("event_id = ?", eventID).Order("id").Find(&invs).Error; err != nil {
		return nil, fmt.Errorf("read invitations of event %d: %w", eventID, err)
	}
	var rs []rsvpRow
	if err := tx.Where("event_id = ?", eventID).Order("id").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("read answers of event %d: %w", eventID, err)
	}
	sc := &storedChildren{}
	for _, r := range invs {
		sc.invitations = append(sc.invitations, storedRow[invitationKey]{r.ID, keyOfInvitation(fromInvitationRow(r))})
	}
	for _, r := range rs {
		sc.rsvps = append(sc.rsvps, storedRow[rsvpKey]{r.ID, keyOfRSVP(fromRSVPRow(r))})
	}
	return sc, nil
}

// writeInvitations writes the difference between the event's invitations and before, and
// returns the rows stored now.
func writeInvitations(tx *gorm.DB, e *Event, before []storedRow[invitationKey]) ([]storedRow[invitationKey], error) {
	keys := make([]invitationKey, len(e.Invitations))
	for i, in := range e.Invitations {
		keys[i] = keyOfInvitation(in)
	}
	gone, added, kept := diffRows(before, keys)
	if err := deleteIDs(tx, &invitationRow{}, rowIDs(gone)); err != nil {
		return nil, fmt.Errorf("remove invitations of event %d: %w", e.ID, err)
	}
	if len(added) == 0 {
		return kept, nil
	}
	rows := make([]invitationRow, len(added))
	for i, k := range added {
		in := e.Invitations[k]
		rows[i] = invitationRow{EventID: e.ID, UserID: in.UserID, Instance: utcPtr(in.Instance)}
	}
	if err := tx.CreateInBatches(rows, insertBatch(4)).Error; err != nil {
		return nil, fmt.Errorf("write invitations of event %d: %w", e.ID, err)
	}
	for i, k := range added {
		kept = append(kept, storedRow[invitationKey]{rows[i].ID, keys[k]})
	}
	return kept, nil
}

// writeAnswers writes the difference between the event's answers and before, person by
// person, and returns the rows stored now. With checkPeople, a person whose stored answers
// are no longer those in before (they answered since the event was read) keeps them, and
// the write returns them by person.
func writeAnswers(tx *gorm.DB, e *Event, before []storedRow[rsvpKey], checkPeople bool) ([]storedRow[rsvpKey], map[int64][]RSVP, error) {
	keys := make([]rsvpKey, len(e.RSVPs))
	for i, r := range e.RSVPs {
		keys[i] = keyOfRSVP(r)
	}
	gone, added, kept := diffRows(before, keys)
	if len(gone) == 0 && len(added) == 0 {
		return kept, nil, nil
	}
	var moved map[int64][]storedAnswer
	if checkPeople {
		touched := map[int64]bool{}
		for _, r := range gone {
			touched[r.key.user] = true
		}
		for _, i := range added {
			touched[keys[i].user] = true
		}
		var err error
		if moved, err = answeredSince(tx, e.ID, before, touched); err != nil {
			return nil, nil, err
		}
	}
	if len(moved) > 0 {
		stays := func(user int64) bool { _, m := moved[user]; return !m }
		gone = slices.DeleteFunc(gone, func(r storedRow[rsvpKey]) bool { return !stays(r.key.user) })
		added = slices.DeleteFunc(added, func(i int) bool { return !stays(keys[i].user) })
		kept = slices.DeleteFunc(kept, func(r storedRow[rsvpKey]) bool { return !stays(r.key.user) })
		for _, rs := range moved {
			for _, r := range rs {
				kept = append(kept, storedRow[rsvpKey]{r.id, keyOfRSVP(r.RSVP)})
			}
		}
	}
	if err := deleteIDs(tx, &rsvpRow{}, rowIDs(gone)); err != nil {
		return nil, nil, fmt.Errorf("remove answers of event %d: %w", e.ID, err)
	}
	if len(added) > 0 {
		rows := make([]rsvpRow, len(added))
		for i, k := range added {
			rows[i] = toRSVPRow(e.ID, e.RSVPs[k])
		}
		if err := tx.CreateInBatches(rows, insertBatch(7)).Error; err != nil {
			return nil, nil, fmt.Errorf("write answers of event %d: %w", e.ID, err)
		}
		for i, k := range added {
			kept = append(kept, storedRow[rsvpKey]{rows[i].ID, keys[k]})
		}
	}
	var out map[int64][]RSVP
	if len(moved) > 0 {
		out = make(map[int64][]RSVP, len(moved))
		for user, rs := range moved {
			out[user] = []RSVP{}
			for _, r := range rs {
				out[user] = append(out[user], r.RSVP)
			}
		}
	}
	return kept, out, nil
}

// storedAnswer is a stored answer with its row id.
type storedAnswer struct {
	RSVP
	id int64
}

// answeredSince reads the stored answers of the people and returns, by person, those of the
// people whose rows are no longer the ones in before.
func answeredSince(tx *gorm.DB, eventID int64, before []storedRow[rsvpKey], people map[int64]bool) (map[int64][]storedAnswer, error) {
	read := map[int64]map[int64]bool{} // person -> row ids in before
	for _, r := range before {
		if people[r.key.user] {
			if read[r.key.user] == nil {
				read[r.key.user] = map[int64]bool{}
			}
			read[r.key.user][r.id] = true
		}
	}
	ids := make([]int64, 0, len(people))
	for u := range people {
		ids = append(ids, u)
	}
	slices.Sort(ids)
	now := map[int64][]storedAnswer{}
	for chunk := range slices.Chunk(ids, idChunk) {
		var rows []rsvpRow
		if err := tx.Where("event_id = ? AND user_id IN ?", eventID, chunk).Order("id").Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("read answers of event %d: %w", eventID, err)
		}
		for _, r := range rows {
			now[r.UserID] = append(now[r.UserID], storedAnswer{fromRSVPRow(r), r.ID})
		}
	}
	moved := map[int64][]storedAnswer{}
	for _, u := range ids {
		same := len(now[u]) == len(read[u])
		for _, r := range now[u] {
			same = same && read[u][r.id]
		}
		if !same {
			moved[u] = now[u]
		}
	}
	return moved, nil
}

func rowIDs[K comparable](rows []storedRow[K]) []int64 {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	return ids
}

func toRSVPRow(eventID int64, r RSVP) rsvpRow {
	return rsvpRow{EventID: eventID, UserID: r.UserID, Scope: string(r.Scope), Instance: utcPtr(r.Instance),
		Response: string(r.Response), UpdatedAt: r.UpdatedAt.UTC()}
}

func fromRSVPRow(r rsvpRow) RSVP {
	return RSVP{UserID: r.UserID, Scope: Scope(r.Scope), Instance: utcPtr(r.Instance), Response: Response(r.Response),
		UpdatedAt: r.UpdatedAt.UTC()}
}

func fromInvitationRow(r invitationRow) Invitation {
	return Invitation{UserID: r.UserID, Instance: utcPtr(r.Instance)}
}
