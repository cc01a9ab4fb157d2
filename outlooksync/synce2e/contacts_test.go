package synce2e

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"intracal/migrations/dbtest"
	"intracal/outlooksync/contacts"
	"intracal/outlooksync/fakeoutlook"

	"gorm.io/gorm"
)

// TestContactListsPushOneWay is a list's life against the fake through the Graph adapter:
// the first run fills a folder named after the list in every target mailbox, leaving a
// hand-made contact alone; a changed person costs one $batch per mailbox and an idle run
// none; what a member changed or deleted is put back by the next check, except a field the
// list writes but does not overwrite; a person leaving the source leaves every folder; a
// target leaving loses the list's contacts; a failing mailbox delays no other.
func TestContactListsPushOneWay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		w := newContactsWorld(t, db, 6)
		mine, err := w.fake.AddContact(w.email(1), "", map[string]any{"displayName": "My dentist"})
		if err != nil {
			t.Fatal(err)
		}
		l := w.save(contacts.List{Name: "Staff", Source: contacts.Spec{Kind: contacts.KindEveryone},
			Target: contacts.Spec{Kind: contacts.KindSpace, Value: "7"}, Folder: contacts.FolderList,
			Write:     contacts.Fields(),
			Overwrite: []string{contacts.FieldJobTitle, contacts.FieldDepartment, contacts.FieldOfficePhone},
			Interval:  time.Hour, Excluded: []int64{w.id(6)}})
		w.dir.groups["space:7"] = []int64{w.id(1), w.id(2), w.id(3)}
		targets := []string{w.email(1), w.email(2), w.email(3)}

		runs := w.cycle()
		if len(runs) != 1 || runs[0].Kind != "check" || runs[0].Created != 15 || runs[0].Failed != 0 {
			t.Fatalf("first run %+v", runs)
		}
		for _, m := range targets {
			if d := w.differences(m, "Staff", l); len(d) != 0 {
				t.Fatalf("%s after the first run: %v", m, d)
			}
		}
		if got := w.folder(w.email(4), "Staff"); got != nil {
			t.Fatal("a mailbox that is no target got the folder")
		}
		if cs, _ := w.fake.Contacts(w.email(1), ""); len(cs) != 1 || cs[0].ID != mine {
			t.Fatal("the hand-made contact was touched")
		}

		// Idle: nothing changed, nothing sent.
		w.clock.Advance(time.Minute)
		w.fake.ResetRequests()
		if runs := w.cycle(); len(runs) != 1 || runs[0].Kind != "changes" || w.fake.GraphRequestCount("") != 0 {
			t.Fatalf("an idle run sent %d requests: %+v", w.fake.GraphRequestCount(""), runs)
		}

		// One person changed: one $batch per target mailbox.
		w.dir.set(w.id(2), contacts.FieldJobTitle, "Head of sales")
		w.fake.ResetRequests()
		runs = w.cycle()
		if runs[0].Updated != 3 {
			t.Fatalf("changed person: %+v", runs[0])
		}
		// A $batch is logged without a mailbox, its inner requests with theirs.
		if n := w.fake.GraphRequestCount(""); n != len(targets) {
			t.Errorf("%d requests for one changed person in %d mailboxes, want one each", n, len(targets))
		}
		for _, m := range targets {
			if n := w.fake.RequestCount(m, fakeoutlook.EndpointUpdateContact); n != 1 {
				t.Errorf("%s: %d updates for one changed person, want 1", m, n)
			}
			if d := w.differences(m, "Staff", l); len(d) != 0 {
				t.Fatalf("%s after the change: %v", m, d)
			}
		}

		// The owner of mailbox 1 edits and deletes managed contacts on the phone.
		staff := w.folder(w.email(1), "Staff")
		p3, p4 := staff["Person 003"], staff["Person 004"]
		if err := w.fake.EditContact(w.email(1), p3.ID, map[string]any{"jobTitle": "Clown", "officeLocation": "Home"}); err != nil {
			t.Fatal(err)
		}
		if err := w.fake.DeleteContact(w.email(1), p4.ID); err != nil {
			t.Fatal(err)
		}
		if runs := w.cycle(); runs[0].Kind != "changes" || runs[0].Restored+runs[0].Created+runs[0].Updated != 0 {
			t.Fatalf("a changes run does not read the mailbox: %+v", runs[0])
		}
		if err := w.pusher.SyncNow(ctx, l.ID); err != nil {
			t.Fatal(err)
		}
		runs = w.cycle()
		if runs[0].Kind != "check" || runs[0].Restored != 2 {
			t.Fatalf("check: %+v", runs[0])
		}
		if d := w.differences(w.email(1), "Staff", l); len(d) != 0 {
			t.Fatalf("after the check: %v", d)
		}
		if got := w.folder(w.email(1), "Staff")["Person 003"]; got.Fields["officeLocation"] != "Home" {
			t.Fatalf("a field written but not overwritten was put back: %v", got.Fields["officeLocation"])
		}

		// Person 5 leaves the source (excluded now); mailbox 3 leaves the targets.
		l.Excluded = append(l.Excluded, w.id(5))
		l = w.save(l)
		w.dir.groups["space:7"] = []int64{w.id(1), w.id(2)}
		runs = w.cycle()
		if runs[0].Removed != 2+5 { // person 5 from two mailboxes, all five from the third
			t.Fatalf("leaving: %+v", runs[0])
		}
		for _, m := range targets[:2] {
			if d := w.differences(m, "Staff", l); len(d) != 0 {
				t.Fatalf("%s after person 5 left: %v", m, d)
			}
		}
		if left := w.folder(w.email(3), "Staff"); len(left) != 0 {
			t.Fatalf("a target that left keeps %d contacts", len(left))
		}
		if ts, _ := w.store.Targets(ctx, l.ID); len(ts) != 2 {
			t.Fatalf("targets %+v", ts)
		}

		// Mailbox 2 fails; mailbox 1 is written all the same, and 2 catches up later.
		remove := w.fake.InjectFault(fakeoutlook.Fault{Kind: fakeoutlook.FaultUnavailable, Mailbox: w.email(2)})
		w.dir.set(w.id(1), contacts.FieldDepartment, "Board")
		runs = w.cycle()
		if runs[0].Failed != 1 || runs[0].Updated != 1 {
			t.Fatalf("one failing mailbox: %+v", runs[0])
		}
		if d := w.differences(w.email(1), "Staff", l); len(d) != 0 {
			t.Fatalf("the healthy mailbox: %v", d)
		}
		ts, _ := w.store.Targets(ctx, l.ID)
		for _, tg := range ts {
			if tg.UserID == w.id(2) && (tg.LastError == "" || tg.Failures != 1) {
				t.Fatalf("the failing target says nothing: %+v", tg)
			}
		}
		remove()
		w.cycle()
		if d := w.differences(w.email(2), "Staff", l); len(d) != 0 {
			t.Fatalf("after the failure: %v", d)
		}

		// The list is deleted: its contacts leave every mailbox, and then the list.
		if err := w.store.Delete(ctx, l.ID, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		w.cycle()
		for _, m := range targets {
			if left := w.folder(m, "Staff"); len(left) != 0 {
				t.Fatalf("%s keeps %d contacts of a deleted list", m, len(left))
			}
		}
		if lists, _ := w.store.Lists(ctx); len(lists) != 0 {
			t.Fatalf("the deleted list stays: %+v", lists)
		}
	})
}

// TestContactListIntoTheDefaultFolder: a list into the default Contacts folder (for Android)
// writes beside the owner's own contacts and never touches them; a store that lost its
// records finds its contacts again by their marks instead of making them twice.
func TestContactListIntoTheDefaultFolder(t *testing.T) {
	w := newContactsWorld(t, dbtest.SQLite(t), 3)
	mine, err := w.fake.AddContact(w.email(1), "", map[string]any{"displayName": "Person 002", "jobTitle": "my own note"})
	if err != nil {
		t.Fatal(err)
	}
	l := w.save(contacts.List{Name: "Phones", Source: contacts.Spec{Kind: contacts.KindEveryone},
		Target: contacts.Spec{Kind: contacts.KindEveryone}, Folder: contacts.FolderDefault,
		Write: []string{contacts.FieldJobTitle, contacts.FieldMobilePhone}, Overwrite: []string{contacts.FieldJobTitle}, Interval: time.Hour})
	w.cycle()
	cs, err := w.fake.Contacts(w.email(1), "")
	if err != nil || len(cs) != 4 {
		t.Fatalf("default folder holds %d: %v", len(cs), err)
	}
	for _, c := range cs {
		if c.ID == mine && (c.Fields["jobTitle"] != "my own note" || len(c.ExtProps) != 0) {
			t.Fatalf("the owner's own contact was changed: %+v", c)
		}
	}
	// The records are lost: the next check adopts what it finds.
	if err := w.db.Exec("DELETE FROM contact_list_items").Error; err != nil {
		t.Fatal(err)
	}
	if err := w.pusher.SyncNow(context.Background(), l.ID); err != nil {
		t.Fatal(err)
	}
	runs := w.cycle()
	if runs[0].Created != 0 {
		t.Fatalf("contacts made twice after losing the records: %+v", runs[0])
	}
	if cs, _ := w.fake.Contacts(w.email(1), ""); len(cs) != 4 {
		t.Fatalf("default folder holds %d after the check", len(cs))
	}
}

// TestContactListWithoutConsent: without the tenant's admin consent for Contacts.ReadWrite
// every target says so, and once it is granted the next check fills them.
func TestContactListWithoutConsent(t *testing.T) {
	w := newContactsWorld(t, dbtest.SQLite(t), 2)
	w.fake.RevokeAdminConsent(fakeoutlook.DemoTenantID, fakeoutlook.DemoClientID)
	l := w.save(contacts.List{Name: "Staff", Source: contacts.Spec{Kind: contacts.KindEveryone},
		Target: contacts.Spec{Kind: contacts.KindEveryone}, Folder: contacts.FolderList, Interval: time.Hour})
	if runs := w.cycle(); runs[0].Failed != 2 {
		t.Fatalf("without consent: %+v", runs[0])
	}
	ts, _ := w.store.Targets(context.Background(), l.ID)
	for _, tg := range ts {
		if !strings.HasPrefix(tg.LastError, contacts.ConsentMissing) {
			t.Fatalf("target error %q", tg.LastError)
		}
	}
	if err := w.fake.GrantAdminConsent(fakeoutlook.DemoTenantID, fakeoutlook.DemoClientID, "Contacts.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	if err := w.pusher.SyncNow(context.Background(), l.ID); err != nil {
		t.Fatal(err)
	}
	if runs := w.cycle(); runs[0].Failed != 0 || runs[0].Created != 4 {
		t.Fatalf("after consent: %+v", runs[0])
	}
}

// TestContactListOneInstanceAtATime: two instances running the lists at the same moment check
// each list once between them, and no contact is made twice.
func TestContactListOneInstanceAtATime(t *testing.T) {
	w := newContactsWorld(t, dbtest.SQLite(t), 4)
	l := w.save(contacts.List{Name: "Staff", Source: contacts.Spec{Kind: contacts.KindEveryone},
		Target: contacts.Spec{Kind: contacts.KindEveryone}, Folder: contacts.FolderList, Interval: time.Hour})
	other := contacts.NewPusher(w.store, w.dir, w.mailboxesOf(), w.pusher.Log(), w.clock.Now, "other")
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, p := range []*contacts.Pusher{w.pusher, other} {
		wg.Go(func() {
			runs, err := p.Cycle(context.Background())
			if err != nil {
				t.Error(err)
			}
			for _, r := range runs {
				if r.Kind == "check" { // a changes run after the other's check is fine: it finds nothing
					counts[i]++
				}
			}
		})
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 {
		t.Fatalf("checks %v, want one in all", counts)
	}
	for i := 1; i <= 4; i++ {
		if d := w.differences(w.email(i), "Staff", l); len(d) != 0 { // differences fails on a contact made twice
			t.Fatalf("%s: %v", w.email(i), d)
		}
	}
}
