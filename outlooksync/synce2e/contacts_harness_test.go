package synce2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/outlooksync/contacts"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/graph"
	"intracal/outlooksync/publish"
)

// contactsWorld is a directory of people, some with mailboxes at the fake, contact lists
// pushed into them by the app signed in as itself through the real Graph adapter.
type contactsWorld struct {
	t      reporter
	db     *gorm.DB
	fake   *fakeoutlook.Server
	srv    *httptest.Server
	clock  *fakeoutlook.Clock
	store  *contacts.Store
	pusher *contacts.Pusher
	dir    *testDirectory
	users  *accounts.Users
	// mailboxes reaches a mailbox as the app itself.
	mailboxes contacts.MailboxFactory
}

// testDirectory is the people as the site knows them, changed by the test.
type testDirectory struct {
	mu     sync.Mutex
	people map[int64]contacts.Person
	groups map[string][]int64 // department or "space:N" -> members
	active map[int64]bool
}

func (d *testDirectory) Members(_ context.Context, s contacts.Spec) ([]int64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var ids []int64
	switch s.Kind {
	case contacts.KindEveryone:
		for id := range d.people {
			ids = append(ids, id)
		}
	case contacts.KindDepartment:
		for id, p := range d.people {
			if strings.EqualFold(p.Values[contacts.FieldDepartment], s.Value) {
				ids = append(ids, id)
			}
		}
	case contacts.KindSpace:
		ids = slices.Clone(d.groups["space:"+s.Value])
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return !d.active[id] })
	slices.Sort(ids)
	return ids, nil
}

func (d *testDirectory) People(_ context.Context, ids []int64) (map[int64]contacts.Person, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[int64]contacts.Person{}
	for _, id := range ids {
		if p, ok := d.people[id]; ok && d.active[id] {
			vals := map[string]string{}
			for k, v := range p.Values {
				vals[k] = v
			}
			p.Values = vals
			out[id] = p
		}
	}
	return out, nil
}

func (d *testDirectory) Mailboxes(_ context.Context, ids []int64) (map[int64]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[int64]string{}
	for _, id := range ids {
		if p, ok := d.people[id]; ok {
			out[id] = p.Email
		}
	}
	return out, nil
}

// set changes a person's field in the directory.
func (d *testDirectory) set(id int64, field, value string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.people[id].Values[field] = value
}

func newContactsWorld(t testing.TB, db *gorm.DB, people int) *contactsWorld {
	t.Helper()
	clock := fakeoutlook.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	fake := fakeoutlook.New(fakeoutlook.Options{Now: clock.Now})
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	if err := fake.GrantAdminConsent(fakeoutlook.DemoTenantID, fakeoutlook.DemoClientID, "Contacts.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	w := &contactsWorld{t: t, db: db, fake: fake, srv: srv, clock: clock, store: contacts.NewStore(db),
		dir:   &testDirectory{people: map[int64]contacts.Person{}, groups: map[string][]int64{}, active: map[int64]bool{}},
		users: accounts.NewUsers(db, clock.Now)}
	w.users.Cost = bcrypt.MinCost
	deps := []string{"Sales", "Finance", "IT"}
	for i := range people {
		email := fmt.Sprintf("p%03d@example.com", i+1)
		u, err := w.users.Create(context.Background(), accounts.NewUser{Email: email, Name: fmt.Sprintf("Person %03d", i+1)})
		if err != nil {
			t.Fatal(err)
		}
		w.dir.people[u.ID] = contacts.Person{ID: u.ID, Name: u.Name, Email: u.Email, Values: map[string]string{
			contacts.FieldJobTitle: "Title " + fmt.Sprint(i+1), contacts.FieldDepartment: deps[i%len(deps)],
			contacts.FieldOfficeLocation: "Floor " + fmt.Sprint(i%4), contacts.FieldOfficePhone: fmt.Sprintf("+49 30 %04d", i+1),
			contacts.FieldMobilePhone: ""}}
		w.dir.active[u.ID] = true
		if _, err := fake.AddMailboxInTenant(fakeoutlook.DemoTenantID, email, u.Name); err != nil {
			t.Fatal(err)
		}
	}
	cc := &clientcredentials.Config{ClientID: fakeoutlook.DemoClientID, ClientSecret: fakeoutlook.DemoClientSecret,
		TokenURL: srv.URL + "/" + fakeoutlook.DemoTenantID + "/oauth2/v2.0/token", Scopes: []string{"https://graph.microsoft.com/.default"}}
	tokens := publish.NewAppTokens(context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client()), cc)
	w.mailboxes = func(_ context.Context, address string) (contacts.Mailbox, error) {
		return graph.NewForUser(srv.URL, tokens, srv.Client(), graph.Options{MaxRetryWait: 10 * time.Second}, address)
	}
	w.pusher = contacts.NewPusher(w.store, w.dir, w.mailboxes, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now, "test")
	return w
}

// mailboxesOf is how the world's pushers reach the mailboxes.
func (w *contactsWorld) mailboxesOf() contacts.MailboxFactory { return w.mailboxes }

// id is the user id of the n-th person (from 1).
func (w *contactsWorld) id(n int) int64 {
	w.t.Helper()
	u, err := w.users.ByEmail(context.Background(), w.email(n))
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return u.ID
}

func (w *contactsWorld) email(n int) string { return fmt.Sprintf("p%03d@example.com", n) }

// save stores a list.
func (w *contactsWorld) save(l contacts.List) contacts.List {
	w.t.Helper()
	l, err := w.store.Save(context.Background(), l, w.clock.Now())
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return l
}

// cycle runs the lists once and fails on a failed run unless allowed.
func (w *contactsWorld) cycle() []contacts.Run {
	w.t.Helper()
	runs, err := w.pusher.Cycle(context.Background())
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return runs
}

// folder is the contacts of a mailbox's folder by name ("" the default), as name -> fields.
func (w *contactsWorld) folder(email, name string) map[string]fakeoutlook.ContactInfo {
	w.t.Helper()
	id := ""
	if name != "" {
		folders, err := w.fake.ContactFolders(email)
		if err != nil {
			w.t.Fatalf("%v", err)
		}
		if id = folders[name]; id == "" {
			return nil
		}
	}
	cs, err := w.fake.Contacts(email, id)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	out := map[string]fakeoutlook.ContactInfo{}
	for _, c := range cs {
		key, _ := c.Fields["displayName"].(string)
		if _, dup := out[key]; dup {
			w.t.Fatalf("%s has %q twice in %q", email, key, name)
		}
		out[key] = c
	}
	return out
}

// matches reports how a mailbox's folder differs from what the list says it holds: the
// managed contacts of exactly the source's people, with the overwritten fields as the
// directory has them; hand-made ones (no mark) are left out of the comparison.
func (w *contactsWorld) differences(email, folder string, l contacts.List) []string {
	w.t.Helper()
	src, err := w.dir.Members(context.Background(), l.Source)
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	src = append(src, l.Added...)
	src = slices.DeleteFunc(src, func(id int64) bool { return slices.Contains(l.Excluded, id) })
	people, _ := w.dir.People(context.Background(), src)
	got := w.folder(email, folder)
	var diffs []string
	seen := map[string]bool{}
	for _, c := range got {
		if c.ExtProps[contacts.ListProperty] != fmt.Sprint(l.ID) {
			continue
		}
		name, _ := c.Fields["displayName"].(string)
		seen[name] = true
		var person *contacts.Person
		for _, p := range people {
			if p.Name == name {
				person = &p
			}
		}
		if person == nil {
			diffs = append(diffs, "extra "+name)
			continue
		}
		for _, f := range l.Overwrite {
			if have, want := contactValue(c, f), person.Values[f]; have != want {
				diffs = append(diffs, fmt.Sprintf("%s %s=%q want %q", name, f, have, want))
			}
		}
	}
	for _, p := range people {
		if !seen[p.Name] {
			diffs = append(diffs, "missing "+p.Name)
		}
	}
	slices.Sort(diffs)
	return diffs
}

// contactValue reads a field of a contact as the fake holds it.
func contactValue(c fakeoutlook.ContactInfo, field string) string {
	if field == contacts.FieldOfficePhone {
		if ps, ok := c.Fields["businessPhones"].([]string); ok && len(ps) > 0 {
			return ps[0]
		}
		return ""
	}
	s, _ := c.Fields[field].(string)
	return s
}
