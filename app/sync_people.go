package app

import (
	"context"
	"fmt"

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
	out := map[string]int64{}
	norm := make([]string, 0, len(emails))
	for _, m := range emails {
		if m = normalizeEmail(m); m != "" {
			norm = append(norm, m)
		}
	}
	const chunk = 500
	for start := 0; start < len(norm); start += chunk {
		var us []User
		err := p.users.db.WithContext(ctx).Select("id", "email").Where("email IN ?", norm[start:min(start+chunk, len(norm))]).Find(&us).Error
		if err != nil {
			return nil, fmt.Errorf("find users by address: %w", err)
		}
		for _, u := range us {
			out[normalizeEmail(u.Email)] = u.ID
		}
	}
	return out, nil
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
