package contacts

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"intracal/outlooksync"
)

// counts are what one target's run did.
type counts struct {
	created, updated, restored, removed int
}

// runTarget brings one target mailbox's managed contacts to the list: in a check from what
// the mailbox holds (putting back the owner's changes), else from what was last written.
// A target leaving (or of a list being deleted; a disabled owner leaves the targets) gets
// the list's contacts removed, and is then forgotten; a deleted owner's target is forgotten
// at once, its mailbox being gone with the account.
func (p *Pusher) runTarget(ctx context.Context, l List, t Target, address string, people map[int64]Person, want string, check bool) (counts, error) {
	var c counts
	if address == "" {
		return c, p.store.saveTarget(ctx, t, nil, nil, true)
	}
	leaving := t.Leaving || l.Deleting
	if !check && !leaving && t.WrittenDigest == want {
		return c, nil // what the last run left is what the directory says: nothing to read or write
	}
	items, err := p.store.items(ctx, t.ID)
	if err != nil {
		return c, err
	}
	if !check && !leaving && !p.changed(l, items, people) {
		t.WrittenDigest = want
		return c, p.store.saveTarget(ctx, t, nil, nil, false)
	}
	t.WrittenDigest = "" // unknown until this run succeeds
	now := p.now()
	t.LastRunAt = &now
	record := func(err error) error {
		if err != nil {
			t.Failures++
			t.LastError = truncate(reason(err), 1000)
		}
		if serr := p.store.saveTarget(ctx, t, nil, nil, false); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	}
	mb, err := p.mailboxes(ctx, address)
	if err != nil {
		return c, record(err)
	}
	if l.Folder == FolderList && t.FolderID == "" && !leaving {
		if t.FolderID, err = mb.EnsureContactFolder(ctx, l.Name); err != nil {
			return c, record(fmt.Errorf("make the contact folder: %w", err))
		}
	}
	folder := t.FolderID // "" is the default Contacts folder
	if l.Folder == FolderList && folder == "" {
		// A leaving target whose folder was never made holds nothing of the list.
		return c, p.store.saveTarget(ctx, t, nil, nil, true)
	}

	// What the mailbox holds: read in a check (and on a first run, to find contacts a lost
	// database made), else what was last written.
	remote := map[int64]Remote{}
	var extra []Remote // a second contact of one person: removed
	if check || len(items) == 0 {
		rs, err := mb.ManagedContacts(ctx, folder, l.ID)
		if errors.Is(err, ErrGone) && l.Folder == FolderList {
			// The owner deleted the folder: make it again.
			t.FolderID = ""
			return c, record(fmt.Errorf("the contact folder was deleted; it is made again on the next run"))
		}
		if err != nil {
			return c, record(fmt.Errorf("read the managed contacts: %w", err))
		}
		for _, r := range rs {
			if _, dup := remote[r.PersonID]; dup {
				extra = append(extra, r)
				continue
			}
			remote[r.PersonID] = r
		}
	} else {
		for pid, it := range items {
			remote[pid] = Remote{ID: it.ContactID, PersonID: pid}
		}
	}

	var ops []Op
	var kinds []string // what each op counts as
	if !leaving {
		ids := make([]int64, 0, len(people))
		for id := range people {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, pid := range ids {
			person := people[pid]
			r, have := remote[pid]
			want := contactOf(person, l.Write)
			over := contactOf(person, l.Overwrite)
			it, written := items[pid]
			switch {
			case !have:
				ops = append(ops, Op{Kind: Create, ListID: l.ID, PersonID: pid, Contact: want, Fields: l.Write})
				kinds = append(kinds, map[bool]string{true: "restored", false: "created"}[written])
			case check && !r.Contact.same(over, l.Overwrite):
				ops = append(ops, Op{Kind: Update, ID: r.ID, PersonID: pid, Contact: over, Fields: l.Overwrite})
				// The directory unchanged since the last write: the owner changed it.
				kinds = append(kinds, map[bool]string{true: "restored", false: "updated"}[written && it.Digest == digest(over, l.Overwrite)])
			case !check && it.Digest != digest(over, l.Overwrite):
				ops = append(ops, Op{Kind: Update, ID: r.ID, PersonID: pid, Contact: over, Fields: l.Overwrite})
				kinds = append(kinds, "updated")
			case check && (!written || it.ContactID != r.ID):
				// Found in the mailbox and as it should be: remember it.
				ops = append(ops, Op{Kind: remember, ID: r.ID, PersonID: pid, Contact: over})
				kinds = append(kinds, "")
			}
		}
	}
	for pid, r := range remote {
		if _, stay := people[pid]; !stay || leaving {
			ops = append(ops, Op{Kind: Delete, ID: r.ID, PersonID: pid})
			kinds = append(kinds, "removed")
		}
	}
	for _, r := range extra {
		ops = append(ops, Op{Kind: Delete, ID: r.ID, PersonID: 0})
		kinds = append(kinds, "")
	}

	var send []Op
	var at []int
	for i, op := range ops {
		if op.Kind != remember {
			send = append(send, op)
			at = append(at, i)
		}
	}
	var results []Result
	if len(send) > 0 {
		results = mb.ApplyContacts(ctx, folder, send)
	}
	res := make([]Result, len(ops))
	for j, i := range at {
		res[i] = results[j]
	}
	var upsert []item
	var remove []int64
	var errs []error
	gone := false // a contact to update was deleted meanwhile: the next run has work
	for i, op := range ops {
		r := res[i]
		switch {
		case op.Kind == remember:
			upsert = append(upsert, item{TargetID: t.ID, PersonID: op.PersonID, ContactID: op.ID, Digest: digest(op.Contact, l.Overwrite)})
			continue
		case op.Kind == Delete && (r.Err == nil || errors.Is(r.Err, ErrGone)):
			if op.PersonID != 0 {
				remove = append(remove, op.PersonID)
			}
		case op.Kind == Update && errors.Is(r.Err, ErrGone):
			remove = append(remove, op.PersonID) // deleted meanwhile: made again on the next run
			gone = true
			continue
		case r.Err != nil:
			errs = append(errs, r.Err)
			continue
		case op.Kind == Create:
			upsert = append(upsert, item{TargetID: t.ID, PersonID: op.PersonID, ContactID: r.ID, Digest: digest(contactOf(people[op.PersonID], l.Overwrite), l.Overwrite)})
		case op.Kind == Update:
			upsert = append(upsert, item{TargetID: t.ID, PersonID: op.PersonID, ContactID: op.ID, Digest: digest(op.Contact, l.Overwrite)})
		}
		switch kinds[i] {
		case "created":
			c.created++
		case "updated":
			c.updated++
		case "restored":
			c.restored++
		case "removed":
			c.removed++
		}
	}
	t.LastError = ""
	if len(errs) > 0 {
		t.Failures++
		t.LastError = truncate(fmt.Sprintf("%d of %d writes failed: %s", len(errs), len(send), reason(errs[0])), 1000)
	} else {
		t.Failures = 0
		if !gone {
			t.WrittenDigest = want
		}
	}
	drop := leaving && len(errs) == 0
	if err := p.store.saveTarget(ctx, t, upsert, remove, drop); err != nil {
		return c, err
	}
	if len(errs) > 0 {
		return c, errors.New(t.LastError)
	}
	return c, nil
}

// changed reports whether a changes run has anything to write for a target: someone to add
// or remove, or a contact whose overwritten fields moved in the directory.
func (p *Pusher) changed(l List, items map[int64]item, people map[int64]Person) bool {
	if len(items) != len(people) {
		return true
	}
	for pid, person := range people {
		it, ok := items[pid]
		if !ok || it.Digest != digest(contactOf(person, l.Overwrite), l.Overwrite) {
			return true
		}
	}
	return false
}

// ConsentMissing starts a target's last error when Graph refused the app for want of the
// tenant's admin consent (docs/outlook-setup.md).
const ConsentMissing = "The site's app registration has no admin consent for the application permission Contacts.ReadWrite"

// reason is what the Control Panel shows of a failure.
func reason(err error) string {
	if errors.Is(err, outlooksync.ErrReconnectNeeded) || isForbidden(err) {
		return ConsentMissing + ": " + err.Error()
	}
	return err.Error()
}

// isForbidden reports a 403 from Graph (an error with an HTTPStatus method, as the adapter's).
func isForbidden(err error) bool {
	var s interface{ HTTPStatus() int }
	return errors.As(err, &s) && s.HTTPStatus() == 403
}
