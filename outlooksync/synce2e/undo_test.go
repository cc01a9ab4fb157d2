package synce2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// An undone delete reaches Outlook as the event it was, under the same event id: undone
// before the next cycle, the links still name its parts, and Outlook's series stays as it was
// (no second one); undone after the cycle that sent the delete, the next cycle sends back what
// went: a deleted series is created anew (the undo gave its parts new UIDs, so that Outlook
// does not answer the create with the deleted item of the same transaction id), a series
// ended early gets its end back, and a cancelled occurrence comes back as a single event
// standing in for it, since Outlook cannot restore one (docs/sync.md).
func TestUndoOfADeleteReachesOutlook(t *testing.T) {
	for _, scope := range []calendar.Scope{calendar.ScopeInstance, calendar.ScopeFollowing, calendar.ScopeAll} {
		for _, synced := range []bool{false, true} {
			name := string(scope) + map[bool]string{false: "/undone before a cycle", true: "/undone after a cycle"}[synced]
			t.Run(name, func(t *testing.T) {
				dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
					w := newWorld(t, db)
					ctx := context.Background()
					e := w.create(calendar.EventInput{Title: "Standup", Location: "Room 2", Start: wall(w.at(0, 9, 0)), End: wall(w.at(0, 9, 15)),
						RRule: "FREQ=WEEKLY;COUNT=6"})
					w.sync()
					w.same()
					masters, before := w.masters(), w.local()
					now := time.Now()
					d, err := w.cal.DeleteUndoable(ctx, w.user, e.ID, nil, scope, w.at(14, 9, 0).UTC(), now)
					if err != nil {
						t.Fatal(err)
					}
					if synced {
						w.sync()
						w.same()
						if len(w.outlook()) == len(before) {
							t.Fatal("the cycle after the delete did not reach Outlook")
						}
					}
					if _, err := w.cal.WithPartCopies(w.store).Undo(ctx, w.user, d.Token, now.Add(time.Second)); err != nil {
						t.Fatalf("undo: %v", err)
					}
					w.sync()
					w.same()
					if got := w.local(); strings.Join(got, "|") != strings.Join(before, "|") {
						t.Fatalf("My Calendar after the undo: %q, want %q", got, before)
					}
					if n := w.events(); n != 1 {
						t.Fatalf("%d local events after the undo, want the one", n)
					}
					if !synced && w.masters() != masters {
						t.Errorf("Outlook holds %d items after an undo it never saw the delete of, want %d", w.masters(), masters)
					}
					// A stand-in for an occurrence is read back once more; then nothing moves.
					settled := false
					for i := 0; i < 2 && !settled; i++ {
						res := w.sync()
						w.same()
						settled = res.Pushed == 0 && res.Pulled == 0
					}
					if !settled {
						t.Error("the sync did not settle after the undo")
					}
					if got := w.local(); strings.Join(got, "|") != strings.Join(before, "|") {
						t.Fatalf("My Calendar once the sync settled: %q, want %q", got, before)
					}
				})
			})
		}
	}
}
