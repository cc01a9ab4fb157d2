package view

import (
	"strings"
	"testing"
	"time"

	"intracal/app/accounts"
	"intracal/outlooksync"
	"intracal/outlooksync/publish"
)

// TestPublishRowsSayHowMembersEditsArrive: a member's calendar with a live subscription is
// "Push", one whose subscription failed says why, one without a row is checked every interval.
func TestPublishRowsSayHowMembersEditsArrive(t *testing.T) {
	later := time.Now().Add(time.Hour)
	roster := []publish.Target{{ID: 1, UserID: 10}, {ID: 2, UserID: 11}, {ID: 3, UserID: 12}}
	modes := map[int64]outlooksync.WatchState{
		1: {Mode: outlooksync.ModePush, Expires: &later},
		2: {Mode: outlooksync.ModePolling, Reason: "Microsoft Graph could not reach this site"},
	}
	rows := PublishRows(roster, map[int64]accounts.Person{}, time.UTC, modes)
	if !strings.HasPrefix(rows[0].Changes, "Push") || !strings.Contains(rows[1].Changes, "could not reach") || rows[2].Changes != "Checked every interval" {
		t.Fatalf("rows: %+v", rows)
	}
}
