package app

import (
	"testing"
	"time"

	"intracal/outlooksync/publish"
)

// What the tests of the publication's API and pages share: runs of the cycle simulated in the
// publishing store, since the cycle itself is not what they test.

// publishRun records a run of a member's target as the cycle would: a success when reason is
// empty, else a failure with that reason, one more in a row. The target is made if need be.
func publishRun(t *testing.T, st *publish.Store, spaceID, userID int64, at time.Time, reason string, history ...publish.HistoryEntry) {
	t.Helper()
	ctx := t.Context()
	if err := st.EnsureTarget(ctx, spaceID, userID, at); err != nil {
		t.Fatal(err)
	}
	targets, err := st.Targets(ctx, spaceID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range targets {
		if tg.UserID != userID {
			continue
		}
		tg.Mailbox, tg.LastRunAt, tg.LastError = "mailbox-"+itoa64(userID)+"@example.com", &at, reason
		if reason == "" {
			tg.CalendarID, tg.LastOKAt, tg.Failures = "CAL-"+itoa64(userID), &at, 0
		} else {
			tg.Failures++
		}
		if err := st.Finish(ctx, tg, nil, history, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("no target of user %d in space %d", userID, spaceID)
}
