package calendar_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// richSeries is Alice's private weekly series of ten Mondays from 2 March 2026 with all an
// event can hold: two parts (a "this and following" change from 13 April), a moved and a
// retitled instance, a cancelled one, Bob invited to all and Carol to 20 April only, answers
// of both (one of Bob's for one date), categories and a reminder.
func richSeries(t *testing.T, st *calendar.Store) *calendar.Event {
	t.Helper()
	ctx := context.Background()
	rem := calendar.Reminder{On: true, Minutes: 30}
	e := create(t, st, alice, calendar.EventInput{Title: "Standup", Location: "Room 2", Description: "Daily things.",
		Start: "2026-03-02T09:00:00", End: "2026-03-02T09:15:00", RRule: "FREQ=WEEKLY;COUNT=10", Privacy: calendar.Private,
		Categories: []string{"Blue category", "Team"}, Reminder: &rem})
	step := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := st.Edit(ctx, alice, e.ID, nil, calendar.ScopeFollowing, at("2026-04-13T07:00:00Z"), calendar.Change{Title: sp("Standup B")})
	step(err)
	_, _, err = st.Edit(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-03-16T08:00:00Z"), calendar.Change{Location: sp("Room 9")})
	step(err)
	_, _, err = st.Edit(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-04-27T07:00:00Z"),
		calendar.Change{Title: sp("Standup late"), Start: wallp("2026-04-27T11:00:00")})
	step(err)
	_, err = st.Delete(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-03-23T08:00:00Z"))
	step(err)
	_, err = st.Invite(ctx, alice, e.ID, []int64{bob.UserID}, calendar.ScopeAll, time.Time{})
	step(err)
	_, err = st.Invite(ctx, alice, e.ID, []int64{carol.UserID}, calendar.ScopeInstance, at("2026-04-20T07:00:00Z"))
	step(err)
	step(st.Answer(ctx, bob, e.ID, calendar.ScopeAll, time.Time{}, calendar.Yes))
	step(st.Answer(ctx, bob, e.ID, calendar.ScopeInstance, at("2026-05-04T07:00:00Z"), calendar.No))
	step(st.Answer(ctx, carol, e.ID, calendar.ScopeInstance, at("2026-04-20T07:00:00Z"), calendar.Maybe))
	got, err := st.GetFull(ctx, e.ID)
	step(err)
	return got
}

func wallp(s string) *calendar.WallInput { w := calendar.ParseWallInput(s); return &w }

// aggregate describes everything an event holds but its row ids and version, one line each.
func aggregate(e *calendar.Event) []string {
	out := []string{fmt.Sprintf("event %d calendar %d organizer %d %s categories %q reminder %+v deleted %v",
		e.ID, e.CalendarID, e.OrganizerID, e.Privacy, e.Categories, e.Reminder, e.DeletedAt != nil)}
	for _, s := range e.Segments {
		out = append(out, fmt.Sprintf("segment %s %s %s %s %v rule %q %q %q %q", s.UID, s.Start.Format(time.RFC3339), s.TimeZone, s.Duration, s.AllDay,
			s.Rule.String(), s.Title, s.Location, s.Description))
	}
	str := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	tm := func(p *time.Time) string {
		if p == nil {
			return "-"
		}
		return p.UTC().Format(time.RFC3339)
	}
	for _, o := range e.Overrides {
		out = append(out, fmt.Sprintf("override %s cancelled %v %s %s %s %s %s", tm(&o.OriginalStart), o.Cancelled, str(o.Title), str(o.Location),
			str(o.Description), tm(o.Start), tm(o.End)))
	}
	var rest []string
	for _, in := range e.Invitations {
		rest = append(rest, fmt.Sprintf("invitation %d %s", in.UserID, tm(in.Instance)))
	}
	for _, r := range e.RSVPs {
		rest = append(rest, fmt.Sprintf("answer %d %s at %s", r.UserID, describeRSVP(r), r.UpdatedAt.UTC().Format(time.RFC3339Nano)))
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// everyonesInstances lists what Alice, Bob and Carol see of My Calendar from February to June.
func everyonesInstances(t *testing.T, st *calendar.Store) []string {
	t.Helper()
	var out []string
	for _, v := range []calendar.Viewer{alice, bob, carol} {
		occ, _, err := st.Occurrences(context.Background(), v, calendar.Query{From: at("2026-02-01T00:00:00Z"), To: at("2026-07-01T00:00:00Z")})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range occ {
			out = append(out, fmt.Sprintf("user %d: %s %s @%s answer %q", v.UserID, o.Start.Format(time.RFC3339), o.Title, o.Location, o.RSVP))
		}
	}
	return out
}

func TestUndoRestoresTheEventAsItWasForEachScope(t *testing.T) {
	for _, tt := range []struct {
		scope    calendar.Scope
		instance string
		whole    bool
	}{
		{calendar.ScopeInstance, "2026-04-06T07:00:00Z", false},
		{calendar.ScopeFollowing, "2026-03-30T07:00:00Z", false}, // inside the first part: a split, the second part and Carol's date go
		{calendar.ScopeAll, "2026-03-16T08:00:00Z", true},
	} {
		t.Run(string(tt.scope), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				st := calendar.NewStore(db)
				ctx := context.Background()
				e := richSeries(t, st)
				before, seen := aggregate(e), everyonesInstances(t, st)
				now := time.Now()
				d, err := st.DeleteUndoable(ctx, alice, e.ID, &e.Version, tt.scope, at(tt.instance), now)
				if err != nil {
					t.Fatal(err)
				}
				if d.Whole != tt.whole || d.Token == "" || !d.Until.Equal(now.Add(calendar.UndoWindow).UTC()) {
					t.Fatalf("delete: %+v", d)
				}
				if slices.Equal(everyonesInstances(t, st), seen) {
					t.Fatal("the delete changed nothing anyone sees")
				}
				u, err := st.Undo(ctx, alice, d.Token, now.Add(calendar.UndoWindow-time.Second))
				if err != nil {
					t.Fatalf("undo: %v", err)
				}
				if u.Event.ID != e.ID || u.Scope != tt.scope || !u.Instance.Equal(at(tt.instance)) {
					t.Errorf("undone %d %s %s, want event %d %s %s", u.Event.ID, u.Scope, u.Instance, e.ID, tt.scope, tt.instance)
				}
				got, err := st.GetFull(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				if after := aggregate(got); !slices.Equal(after, before) {
					t.Errorf("restored event differs:\n got %s\nwant %s", strings.Join(after, "\n     "), strings.Join(before, "\n     "))
				}
				if after := everyonesInstances(t, st); !slices.Equal(after, seen) {
					t.Errorf("instances differ after the undo:\n got %s\nwant %s", strings.Join(after, "\n     "), strings.Join(seen, "\n     "))
				}
				if got.Version != e.Version+2 {
					t.Errorf("version %d after delete and undo of version %d: the undo must be a change the sync sees", got.Version, e.Version)
				}
				if _, err := st.Undo(ctx, alice, d.Token, now.Add(time.Second)); !isUndo(err, calendar.UndoUnknown) {
					t.Errorf("a second undo: %v", err)
				}
			})
		})
	}
}

func isUndo(err error, reason string) bool {
	var ue *calendar.UndoError
	return errors.As(err, &ue) && ue.Reason == reason && ue.Message != ""
}

func TestUndoIsRefusedLateToOthersAndAfterAChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		now := time.Now()
		del := func(e *calendar.Event, scope calendar.Scope, instance string) calendar.Deleted {
			t.Helper()
			d, err := st.DeleteUndoable(ctx, alice, e.ID, nil, scope, at(instance), now)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		e := richSeries(t, st)

		d := del(e, calendar.ScopeInstance, "2026-04-06T07:00:00Z")
		if _, err := st.Undo(ctx, alice, d.Token, now.Add(calendar.UndoWindow)); !isUndo(err, calendar.UndoExpired) {
			t.Errorf("undo at the end of its time: %v, want expired", err)
		}
		if _, err := st.Undo(ctx, bob, d.Token, now); !isUndo(err, calendar.UndoUnknown) || !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("undo by an invitee: %v, want unknown (not found)", err)
		}
		if _, err := st.Undo(ctx, calendar.Viewer{UserID: 9, IsAdmin: true}, d.Token, now); !isUndo(err, calendar.UndoUnknown) {
			t.Errorf("undo by an administrator who did not delete: %v, want unknown", err)
		}
		if _, err := st.Undo(ctx, alice, "NO-SUCH-TOKEN", now); !isUndo(err, calendar.UndoUnknown) {
			t.Errorf("undo of an unknown token: %v", err)
		}

		// A later edit, or a later answer, of what the delete left.
		d = del(e, calendar.ScopeInstance, "2026-04-06T07:00:00Z")
		if _, _, err := st.Edit(ctx, alice, e.ID, nil, calendar.ScopeAll, time.Time{}, calendar.Change{Location: sp("Room 5")}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Undo(ctx, alice, d.Token, now); !isUndo(err, calendar.UndoChanged) || !errors.Is(err, calendar.ErrConflict) {
			t.Errorf("undo after an edit: %v, want changed", err)
		}
		d = del(e, calendar.ScopeInstance, "2026-04-13T07:00:00Z")
		if err := st.Answer(ctx, bob, e.ID, calendar.ScopeInstance, at("2026-04-20T07:00:00Z"), calendar.No); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Undo(ctx, alice, d.Token, now); !isUndo(err, calendar.UndoChanged) {
			t.Errorf("undo after an answer: %v, want changed", err)
		}

		// Of two deletes in a row, the later can be undone, then no longer the earlier.
		first := del(e, calendar.ScopeInstance, "2026-04-20T07:00:00Z")
		second := del(e, calendar.ScopeInstance, "2026-05-04T07:00:00Z")
		if _, err := st.Undo(ctx, alice, second.Token, now); err != nil {
			t.Errorf("undo of the later delete: %v", err)
		}
		if _, err := st.Undo(ctx, alice, first.Token, now); !isUndo(err, calendar.UndoChanged) {
			t.Errorf("undo of the earlier delete after the later's: %v, want changed", err)
		}
		got, err := st.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if oc, cancelled, err := got.Instance(alice, at("2026-05-04T07:00:00Z")); err != nil || cancelled || oc.Title != "Standup B" {
			t.Errorf("the instance whose delete was undone: %+v cancelled %v %v", oc, cancelled, err)
		}
		if _, cancelled, _ := got.Instance(alice, at("2026-04-20T07:00:00Z")); !cancelled {
			t.Error("the instance whose undo was refused came back")
		}
	})
}

// A whole event deleted and undone is one the listing shows again, and another delete of it
// can be undone too.
func TestUndoOfAWholeEventCanBeRepeated(t *testing.T) {
	st := calendar.NewStore(dbtest.SQLite(t))
	ctx := context.Background()
	e := create(t, st, alice, calendar.EventInput{Title: "Lunch", Start: "2026-03-12T12:00:00", End: "2026-03-12T13:00:00"})
	now := time.Now()
	for i := 0; i < 2; i++ {
		d, err := st.DeleteUndoable(ctx, alice, e.ID, nil, calendar.ScopeAll, time.Time{}, now)
		if err != nil || !d.Whole {
			t.Fatalf("delete %d: %+v %v", i, d, err)
		}
		if got := titles(t, st, alice, march); len(got) != 0 {
			t.Fatalf("after delete %d: %q", i, got)
		}
		if _, err := st.Undo(ctx, alice, d.Token, now); err != nil {
			t.Fatalf("undo %d: %v", i, err)
		}
		if got := titles(t, st, alice, march); len(got) != 1 {
			t.Fatalf("after undo %d: %q", i, got)
		}
	}
}

// keptCopies is a PartCopies that keeps a fixed set of UIDs.
type keptCopies map[string]bool

func (k keptCopies) KeptParts(*gorm.DB, int64) (map[string]bool, error) { return k, nil }

// A part the undo puts back that the delete had removed keeps its UID while a copy of it is
// kept elsewhere (the sync's link still names its Outlook series), and gets a new one when
// none is; a part the delete only shortened keeps its UID whatever the copies.
func TestUndoRenewsTheUIDsOfRemovedPartsThatNoCopyKeeps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		now := time.Now()
		uids := func(e *calendar.Event) []string {
			got, err := st.GetFull(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range got.Segments {
				out = append(out, s.UID)
			}
			return out
		}
		undo := func(e *calendar.Event, kept keptCopies, scope calendar.Scope, instance string) []string {
			t.Helper()
			d, err := st.DeleteUndoable(ctx, alice, e.ID, nil, scope, at(instance), now)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.WithPartCopies(kept).Undo(ctx, alice, d.Token, now); err != nil {
				t.Fatal(err)
			}
			return uids(e)
		}
		e := richSeries(t, st)
		parts := uids(e) // two: the second from 13 April
		if got := undo(e, keptCopies{parts[0]: true, parts[1]: true}, calendar.ScopeAll, "2026-03-02T08:00:00Z"); !slices.Equal(got, parts) {
			t.Errorf("every part kept elsewhere: UIDs %q, want %q", got, parts)
		}
		got := undo(e, keptCopies{parts[0]: true}, calendar.ScopeAll, "2026-03-02T08:00:00Z")
		if got[0] != parts[0] || got[1] == parts[1] || got[1] == "" {
			t.Errorf("the second part kept nowhere: UIDs %q, were %q: want the first kept, the second new", got, parts)
		}
		parts = got
		got = undo(e, keptCopies{}, calendar.ScopeFollowing, "2026-03-30T07:00:00Z")
		if got[0] != parts[0] || got[1] == parts[1] {
			t.Errorf("from 30 March on, nothing kept: UIDs %q, were %q: want the shortened first part's kept, the removed second's new", got, parts)
		}
	})
}
