package app

import (
	"context"
	"strings"

	"intracal/calendar"
	"intracal/outlooksync"
)

// directory is the one directory of site users: the event API and the pages resolve the
// invitees they are given by e-mail address and show organizers and attendees by id; the
// Outlook sync matches meeting attendees to accounts by address, ignoring case.
type directory struct {
	users *userStore
}

var _ outlooksync.Directory = (*directory)(nil)

// idsByEmail finds the accounts with the addresses, in their order, in a few queries
// whatever their number; a blank or unknown address is a 422 on field(i), the first one's.
func (d *directory) idsByEmail(ctx context.Context, emails []string, field func(i int) string) ([]int64, error) {
	for i, m := range emails {
		if strings.TrimSpace(m) == "" {
			return nil, &calendar.ValidationError{Fields: map[string]string{field(i): "Give an e-mail address."}}
		}
	}
	found, err := d.users.idsByEmail(ctx, emails)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(emails))
	for i, m := range emails {
		id, ok := found[normalizeEmail(m)]
		if !ok {
			return nil, &calendar.ValidationError{Fields: map[string]string{field(i): "Nobody on this site has the address " + strings.TrimSpace(m) + "."}}
		}
		ids[i] = id
	}
	return ids, nil
}

// byIDs returns the people with the ids, keyed by id.
func (d *directory) byIDs(ctx context.Context, ids []int64) (map[int64]personJSON, error) {
	seen := map[int64]bool{}
	uniq := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	us, err := d.users.listByIDs(ctx, uniq)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]personJSON, len(us))
	for _, u := range us {
		out[u.ID] = personJSON{ID: u.ID, Email: u.Email, Name: u.Name}
	}
	for _, id := range uniq {
		if _, ok := out[id]; !ok {
			out[id] = personJSON{ID: id, Name: "(deleted user)"}
		}
	}
	return out, nil
}

// UserIDs maps the addresses that belong to accounts to their ids.
func (d *directory) UserIDs(ctx context.Context, emails []string) (map[string]int64, error) {
	return d.users.idsByEmail(ctx, emails)
}

// Emails maps account ids to their addresses.
func (d *directory) Emails(ctx context.Context, ids []int64) (map[int64]string, error) {
	us, err := d.users.listByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(us))
	for _, u := range us {
		out[u.ID] = normalizeEmail(u.Email)
	}
	return out, nil
}
