package accounts

import (
	"context"
	"strings"

	"intracal/calendar"
	"intracal/outlooksync"
)

// Directory is the one directory of site users: the event API and the pages resolve the
// invitees they are given by e-mail address and show organizers and attendees by id; the
// Outlook sync matches meeting attendees to accounts by address, ignoring case.
type Directory struct {
	users *Users
}

// NewDirectory is the directory over the account store.
func NewDirectory(users *Users) *Directory { return &Directory{users: users} }

var _ outlooksync.Directory = (*Directory)(nil)

// Person is someone as other people see them: in invitations, answers and as organizer.
type Person struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// IDsByEmail finds the accounts with the addresses, in their order, in a few queries
// whatever their number; a blank or unknown address is a 422 on field(i), the first one's.
func (d *Directory) IDsByEmail(ctx context.Context, emails []string, field func(i int) string) ([]int64, error) {
	for i, m := range emails {
		if strings.TrimSpace(m) == "" {
			return nil, &calendar.ValidationError{Fields: map[string]string{field(i): "Give an e-mail address."}}
		}
	}
	found, err := d.users.IDsByEmail(ctx, emails)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(emails))
	for i, m := range emails {
		id, ok := found[NormalizeEmail(m)]
		if !ok {
			return nil, &calendar.ValidationError{Fields: map[string]string{field(i): "Nobody on this site has the address " + strings.TrimSpace(m) + "."}}
		}
		ids[i] = id
	}
	return ids, nil
}

// ByIDs returns the people with the ids, keyed by id.
func (d *Directory) ByIDs(ctx context.Context, ids []int64) (map[int64]Person, error) {
	seen := map[int64]bool{}
	uniq := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	us, err := d.users.ListByIDs(ctx, uniq)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Person, len(us))
	for _, u := range us {
		out[u.ID] = Person{ID: u.ID, Email: u.Email, Name: u.Name}
	}
	for _, id := range uniq {
		if _, ok := out[id]; !ok {
			out[id] = Person{ID: id, Name: "(deleted user)"}
		}
	}
	return out, nil
}

// UserIDs maps the addresses that belong to accounts to their ids.
func (d *Directory) UserIDs(ctx context.Context, emails []string) (map[string]int64, error) {
	return d.users.IDsByEmail(ctx, emails)
}

// Emails maps account ids to their addresses.
func (d *Directory) Emails(ctx context.Context, ids []int64) (map[int64]string, error) {
	us, err := d.users.ListByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(us))
	for _, u := range us {
		out[u.ID] = NormalizeEmail(u.Email)
	}
	return out, nil
}
