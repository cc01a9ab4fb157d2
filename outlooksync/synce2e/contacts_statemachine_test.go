package synce2e

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"intracal/migrations/dbtest"
	"intracal/outlooksync/contacts"
	"intracal/outlooksync/fakeoutlook"
)

// TestContactListStateMachine interleaves directory edits (any field, people disabled and
// enabled again, excluded from the list and back), targets joining and leaving, members
// editing and deleting managed contacts and adding their own on their phones, mailboxes
// failing for a while, and runs of both kinds, several edits between runs. Invariants:
// after a check in which no mailbox failed, every target's folder holds exactly the list's
// people with their overwritten fields as the directory has them; after a changes run, every
// managed contact no member touched since the last check is so; members' own contacts are
// never touched; mailboxes that are not targets hold none of the list's contacts.
func TestContactListStateMachine(t *testing.T) {
	rapidCases(t, "60")
	rapid.Check(t, func(rt *rapid.T) {
		scope := &caseScope{TB: t}
		defer scope.end()
		w := newContactsWorld(scope, dbtest.SQLite(scope), 6)
		w.t = rt
		folder := rapid.SampledFrom([]string{contacts.FolderList, contacts.FolderDefault}).Draw(rt, "folder")
		over := rapid.SliceOfDistinct(rapid.SampledFrom(contacts.Fields()), rapid.ID).Draw(rt, "overwrite")
		write := slices.Clone(over)
		for _, f := range contacts.Fields() {
			if !slices.Contains(write, f) && rapid.Bool().Draw(rt, "write "+f) {
				write = append(write, f)
			}
		}
		m := &contactsMachine{w: w, rt: rt, touched: map[string]bool{}, own: map[ownContact]map[string]any{}}
		for i := 1; i <= 6; i++ {
			m.ids = append(m.ids, w.id(i))
		}
		w.dir.groups["space:1"] = []int64{m.ids[0], m.ids[1], m.ids[2]}
		m.list = w.save(contacts.List{Name: "Staff", Source: contacts.Spec{Kind: contacts.KindEveryone},
			Target: contacts.Spec{Kind: contacts.KindSpace, Value: "1"}, Folder: folder, Write: write, Overwrite: over, Interval: time.Hour})
		m.folderName = map[bool]string{true: "Staff", false: ""}[folder == contacts.FolderList]
		for range rapid.IntRange(5, 30).Draw(rt, "steps") {
			m.step()
		}
		m.clearFaults()
		m.check()
	})
}

// ownContact is a contact a member made: its mailbox, folder ("" the default) and id.
type ownContact struct{ email, folder, id string }

type contactsMachine struct {
	w          *contactsWorld
	rt         *rapid.T
	ids        []int64
	list       contacts.List
	folderName string
	// touched are the managed contacts (mailbox|person name) members changed since the last
	// check; own are members' own contacts (mailbox|id -> fields).
	touched map[string]bool
	own     map[ownContact]map[string]any
	faults  []func()
	n       int
}

func (m *contactsMachine) targets() []int64 {
	ids, _ := m.w.dir.Members(context.Background(), m.list.Target)
	return ids
}

func (m *contactsMachine) email(id int64) string {
	return m.w.dir.people[id].Email
}

func (m *contactsMachine) step() {
	w, rt := m.w, m.rt
	m.n++
	switch rapid.IntRange(0, 11).Draw(rt, "action") {
	case 0, 1, 2: // a directory edit
		id := rapid.SampledFrom(m.ids).Draw(rt, "person")
		f := rapid.SampledFrom(contacts.Fields()).Draw(rt, "field")
		w.dir.set(id, f, rapid.SampledFrom([]string{"", "A", "B", fmt.Sprintf("v%d", m.n)}).Draw(rt, "value"))
	case 3: // disabled, or enabled again
		id := rapid.SampledFrom(m.ids).Draw(rt, "person")
		w.dir.mu.Lock()
		w.dir.active[id] = !w.dir.active[id]
		w.dir.mu.Unlock()
	case 4: // excluded from the list, or back
		id := rapid.SampledFrom(m.ids).Draw(rt, "person")
		if i := slices.Index(m.list.Excluded, id); i >= 0 {
			m.list.Excluded = slices.Delete(m.list.Excluded, i, i+1)
		} else {
			m.list.Excluded = append(m.list.Excluded, id)
		}
		m.list = w.save(m.list)
	case 5: // a target joins or leaves
		id := rapid.SampledFrom(m.ids).Draw(rt, "person")
		g := w.dir.groups["space:1"]
		if i := slices.Index(g, id); i >= 0 {
			g = slices.Delete(g, i, i+1)
		} else {
			g = append(g, id)
		}
		w.dir.groups["space:1"] = g
	case 6, 7: // a member edits or deletes a managed contact
		m.memberEdit()
	case 8: // a member adds their own contact
		id := rapid.SampledFrom(m.ids).Draw(rt, "mailbox")
		fields := map[string]any{"displayName": fmt.Sprintf("Own %d", m.n), "jobTitle": "mine"}
		folder := m.folderID(m.email(id)) // the default folder while the list's is not made yet
		cid, err := w.fake.AddContact(m.email(id), folder, fields)
		if err == nil {
			m.own[ownContact{m.email(id), folder, cid}] = fields
		}
	case 9: // a mailbox fails for a while
		id := rapid.SampledFrom(m.ids).Draw(rt, "mailbox")
		m.faults = append(m.faults, w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultUnavailable, Mailbox: m.email(id),
			Times: rapid.IntRange(1, 4).Draw(rt, "times")}))
	case 10: // a changes run
		w.clock.Advance(time.Minute)
		runs := w.cycle()
		if len(runs) == 1 && runs[0].Kind == "changes" && runs[0].Failed == 0 {
			m.changesInvariant()
		}
	case 11: // a check
		m.check()
	}
}

// folderID is the id of the list's folder in a mailbox ("" the default, or none yet).
func (m *contactsMachine) folderID(email string) string {
	if m.folderName == "" {
		return ""
	}
	fs, _ := m.w.fake.ContactFolders(email)
	return fs[m.folderName]
}

func (m *contactsMachine) memberEdit() {
	w, rt := m.w, m.rt
	id := rapid.SampledFrom(m.ids).Draw(rt, "mailbox")
	email := m.email(id)
	if m.folderName != "" && m.folderID(email) == "" {
		return
	}
	cs, _ := w.fake.Contacts(email, m.folderID(email))
	var managed []fakeoutlook.ContactInfo
	for _, c := range cs {
		if c.ExtProps[contacts.ListProperty] != "" {
			managed = append(managed, c)
		}
	}
	if len(managed) == 0 {
		return
	}
	c := rapid.SampledFrom(managed).Draw(rt, "contact")
	name, _ := c.Fields["displayName"].(string)
	m.touched[email+"|"+name] = true
	if rapid.Bool().Draw(rt, "delete") {
		_ = w.fake.DeleteContact(email, c.ID)
		return
	}
	f := rapid.SampledFrom([]string{"jobTitle", "department", "officeLocation", "mobilePhone"}).Draw(rt, "edited field")
	_ = w.fake.EditContact(email, c.ID, map[string]any{f: "edited on the phone"})
}

func (m *contactsMachine) clearFaults() {
	for _, remove := range m.faults {
		remove()
	}
	m.faults = nil
}

// check runs a check; when no mailbox failed, every target is the list and nobody else
// holds its contacts.
func (m *contactsMachine) check() {
	w := m.w
	if err := w.pusher.SyncNow(context.Background(), m.list.ID); err != nil {
		m.rt.Fatal(err)
	}
	runs := w.cycle()
	if len(runs) != 1 || runs[0].Kind != "check" {
		m.rt.Fatalf("a check ran as %+v", runs)
	}
	if runs[0].Failed > 0 {
		return
	}
	targets := m.targets()
	for _, id := range m.ids {
		email := m.email(id)
		if slices.Contains(targets, id) {
			if d := w.differences(email, m.folderName, m.list); len(d) != 0 {
				m.rt.Fatalf("%s after a check: %v", email, d)
			}
			continue
		}
		if n := m.managedIn(email); n != 0 {
			m.rt.Fatalf("%s is no target but holds %d of the list's contacts", email, n)
		}
	}
	m.ownUntouched()
	m.touched = map[string]bool{}
}

func (m *contactsMachine) managedIn(email string) int {
	if m.folderName != "" && m.folderID(email) == "" {
		return 0
	}
	cs, _ := m.w.fake.Contacts(email, m.folderID(email))
	n := 0
	for _, c := range cs {
		if c.ExtProps[contacts.ListProperty] != "" {
			n++
		}
	}
	return n
}

// changesInvariant: after a changes run, a managed contact no member touched holds what the
// directory says of its overwritten fields.
func (m *contactsMachine) changesInvariant() {
	for _, id := range m.targets() {
		email := m.email(id)
		for _, d := range m.w.differences(email, m.folderName, m.list) {
			name := d
			for _, p := range m.w.dir.people {
				if len(d) >= len(p.Name) && (d[:len(p.Name)] == p.Name || d == "missing "+p.Name || d == "extra "+p.Name) {
					name = p.Name
				}
			}
			if !m.touched[email+"|"+name] {
				m.rt.Fatalf("%s after a changes run: %s (not touched by its owner)", email, d)
			}
		}
	}
	m.ownUntouched()
}

// ownUntouched: members' own contacts are as they made them.
func (m *contactsMachine) ownUntouched() {
	for key, fields := range m.own {
		email, id := key.email, key.id
		cs, _ := m.w.fake.Contacts(email, key.folder)
		found := false
		for _, c := range cs {
			if c.ID == id {
				found = true
				for k, v := range fields {
					if c.Fields[k] != v {
						m.rt.Fatalf("%s's own contact %s changed: %v", email, id, c.Fields)
					}
				}
			}
		}
		if !found {
			m.rt.Fatalf("%s's own contact %s is gone", email, id)
		}
	}
}
