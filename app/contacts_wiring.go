package app

import (
	"context"
	"fmt"
	"os"

	"intracal/outlooksync/contacts"
)

// The app's side of contact lists (outlooksync/contacts): the option main passes, the
// directory the lists read, and the background pusher.

// WithContactMailbox gives the app the constructor of a mailbox's contacts reached as the
// app itself (outlooksync/graph.NewForUser).
func WithContactMailbox(f contacts.AppMailboxFactory) Option {
	return func(a *App) { a.contactMailbox = f }
}

// ContactPusher is the contact lists' pusher, nil when the program cannot reach Graph.
func (a *App) ContactPusher() *contacts.Pusher { return a.contactPusher }

// setupContacts builds the pusher, when main gave a Graph adapter, and makes it background
// work.
func (a *App) setupContacts() {
	a.contactLists = contacts.NewStore(a.db)
	if a.contactMailbox == nil {
		return
	}
	mailboxes := func(ctx context.Context, address string) (contacts.Mailbox, error) {
		ts, err := a.outlook.AppTokenSource(ctx)
		if err != nil {
			return nil, err
		}
		return a.contactMailbox(a.outlook.GraphURL(), ts, a.outlook.HTTPClient(), address)
	}
	host, _ := os.Hostname()
	a.contactPusher = contacts.NewPusher(a.contactLists, &directory{a: a}, mailboxes,
		a.log.With("component", "contact lists"), a.now, fmt.Sprintf("%s-%d", host, os.Getpid()))
	a.profiles.OnChange = a.contactPusher.Kick
	a.Background("contact lists", a.contactPusher.Run)
}

// directory is what contact lists read of the site's people.
type directory struct{ a *App }

// Members lists the active people of everyone, a department or a space.
func (d *directory) Members(ctx context.Context, s contacts.Spec) ([]int64, error) {
	switch s.Kind {
	case contacts.KindEveryone:
		return d.a.users.AllActiveIDs(ctx)
	case contacts.KindDepartment:
		return d.a.profiles.InDepartment(ctx, s.Value)
	case contacts.KindSpace:
		var id int64
		if _, err := fmt.Sscan(s.Value, &id); err != nil {
			return nil, nil
		}
		ids, err := d.a.store.SpaceMemberIDs(ctx, id)
		if err != nil {
			return nil, err
		}
		return d.a.users.ActiveIDs(ctx, ids)
	}
	return nil, nil
}

// Mailboxes returns the addresses of the accounts among ids that are not deleted.
func (d *directory) Mailboxes(ctx context.Context, ids []int64) (map[int64]string, error) {
	us, err := d.a.users.ListByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(us))
	for _, u := range us {
		if u.DeletedAt == nil {
			out[u.ID] = u.Email
		}
	}
	return out, nil
}

// People returns the active people among ids with their directory fields.
func (d *directory) People(ctx context.Context, ids []int64) (map[int64]contacts.Person, error) {
	us, err := d.a.users.ListByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	profiles, err := d.a.profiles.ByUsers(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]contacts.Person, len(us))
	for _, u := range us {
		if !u.Active() {
			continue
		}
		p := profiles[u.ID]
		out[u.ID] = contacts.Person{ID: u.ID, Name: u.Name, Email: u.Email, Values: map[string]string{
			contacts.FieldJobTitle: p.JobTitle, contacts.FieldDepartment: p.Department, contacts.FieldOfficeLocation: p.OfficeLocation,
			contacts.FieldOfficePhone: p.OfficePhone, contacts.FieldMobilePhone: p.MobilePhone}}
	}
	return out, nil
}
