package app

import (
	"context"

	"intracal/outlooksync"
)

// syncPeople is the Outlook sync's directory of site users: meeting attendees are matched to
// accounts by e-mail address, ignoring case.
type syncPeople struct {
	users *userStore
}

var _ outlooksync.Directory = syncPeople{}

// UserIDs maps the addresses that belong to accounts to their ids.
func (p syncPeople) UserIDs(ctx context.Context, emails []string) (map[string]int64, error) {
	return p.users.idsByEmail(ctx, emails)
}

// Emails maps account ids to their addresses.
func (p syncPeople) Emails(ctx context.Context, ids []int64) (map[int64]string, error) {
	us, err := p.users.listByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(us))
	for _, u := range us {
		out[u.ID] = normalizeEmail(u.Email)
	}
	return out, nil
}
