package view

import (
	"strconv"
	"time"

	"intracal/app/accounts"
)

// TokenRow is a personal API token as the settings page and the Control Panel list it.
type TokenRow struct {
	ID       int64
	Name     string
	Prefix   string
	Created  string
	LastUsed string // "never" when unused
	Expires  string // "never" when it does not expire
	Expired  bool
	// RevokeURL is where its Revoke form posts.
	RevokeURL string
}

// TokenRows turns tokens into rows in the viewer's zone, expired as of now. base is the path
// the tokens' revoke forms post under (base/ID/revoke).
func TokenRows(rows []accounts.Token, loc *time.Location, now time.Time, base string) []TokenRow {
	const layout = "2 Jan 2006 15:04"
	out := make([]TokenRow, len(rows))
	for i, r := range rows {
		t := TokenRow{ID: r.ID, Name: r.Name, Prefix: r.Shown(), Created: r.CreatedAt.In(loc).Format(layout),
			LastUsed: "never", Expires: "never", Expired: r.Expired(now),
			RevokeURL: base + "/" + strconv.FormatInt(r.ID, 10) + "/revoke"}
		if r.LastUsedAt != nil {
			t.LastUsed = r.LastUsedAt.In(loc).Format(layout)
		}
		if r.ExpiresAt != nil {
			t.Expires = r.ExpiresAt.In(loc).Format(layout)
		}
		out[i] = t
	}
	return out
}
