package app

import (
	"context"
	"errors"
	"strings"

	"intracal/calendar"
)

// directory resolves the people the event API names: invitees by e-mail address, organizers
// and attendees by id.
type directory struct {
	users *userStore
}

// idByEmail finds the account with the address; an unknown address is a 422 on field.
func (d *directory) idByEmail(ctx context.Context, email, field string) (int64, error) {
	if strings.TrimSpace(email) == "" {
		return 0, &calendar.ValidationError{Fields: map[string]string{field: "Give an e-mail address."}}
	}
	u, err := d.users.byEmail(ctx, email)
	if errors.Is(err, calendar.ErrNotFound) {
		return 0, &calendar.ValidationError{Fields: map[string]string{field: "Nobody on this site has the address " + strings.TrimSpace(email) + "."}}
	}
	if err != nil {
		return 0, err
	}
	return u.ID, nil
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
