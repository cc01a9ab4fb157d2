package calendar_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// weekly30 stores a public weekly event of 30 instances organized by alice and returns it with
// its instances' original starts.
func weekly30(t *testing.T, st *calendar.Store, privacy calendar.Privacy) (*calendar.Event, []time.Time) {
	t.Helper()
	e := create(t, st, alice, calendar.EventInput{Title: "Weekly", Start: "2026-03-02T09:00:00", End: "2026-03-02T10:00:00",
		RRule: "FREQ=WEEKLY;COUNT=30", Privacy: privacy})
	var origs []time.Time
	for _, oc := range e.Instances(alice, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"), false) {
		origs = append(origs, oc.OriginalStart)
	}
	if len(origs) != 30 {
		t.Fatalf("%d instances, want 30", len(origs))
	}
	return e, origs
}

// answersOf returns the stored answers of one user, as "scope instance response", in the
// order they were written.
func answersOf(t *testing.T, st *calendar.Store, id, userID int64) []string {
	t.Helper()
	e, err := st.GetFull(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range e.RSVPs {
		if r.UserID == userID {
			out = append(out, describeRSVP(r))
		}
	}
	return out
}

func describeRSVP(r calendar.RSVP) string {
	inst := "-"
	if r.Instance != nil {
		inst = r.Instance.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s %s %s", r.Scope, inst, r.Response)
}

// rowIDs returns the ids of the rows of table that belong to the event and match where.
func rowIDs(t *testing.T, db *gorm.DB, table string, eventID int64, where string, args ...any) []int64 {
	t.Helper()
	var ids []int64
	q := db.Table(table).Where("event_id = ?", eventID)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestStoreConcurrentAnswersOfTwoPeopleAllSucceed is issue 12 item 5: Bob and Carol answer
// each of the 30 instances of one event at the same time, with no version. Every answer
// succeeds (none is refused as a conflict) and every answer is stored.
func TestStoreConcurrentAnswersOfTwoPeopleAllSucceed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e, origs := weekly30(t, st, calendar.Public)
		var wg sync.WaitGroup
		errs := make(chan error, 2*len(origs))
		start := make(chan struct{})
		for _, who := range []calendar.Viewer{bob, carol} {
			for k, orig := range origs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					resp := calendar.Yes
					if (int(who.UserID)+k)%2 == 0 {
						resp = calendar.No
					}
					if _, err := st.SetRSVP(ctx, who, e.ID, calendar.ScopeInstance, orig, resp); err != nil {
						errs <- fmt.Errorf("user %d, instance %d: %w", who.UserID, k, err)
					}
				}()
			}
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		full, err := st.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []calendar.Viewer{bob, carol} {
			for k, orig := range origs {
				want := calendar.Yes
				if (int(who.UserID)+k)%2 == 0 {
					want = calendar.No
				}
				if got := full.EffectiveRSVP(who.UserID, orig); got != want {
					t.Errorf("user %d, instance %d: stored answer %q, want %q", who.UserID, k, got, want)
				}
			}
		}
		if len(full.RSVPs) != 2*len(origs) {
			t.Errorf("%d answers stored, want %d", len(full.RSVPs), 2*len(origs))
		}
	})
}

// TestStoreConcurrentAnswersOfOnePersonStayConsistent: one person answering many times at
// once ends with one consistent set of answers, as if the answers had been given one after
// the other: replaying the stored answers in the order they were written changes nothing.
func TestStoreConcurrentAnswersOfOnePersonStayConsistent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e, origs := weekly30(t, st, calendar.Public)
		type answer struct {
			scope calendar.Scope
			at    time.Time
			resp  calendar.Response
		}
		var answers []answer
		for k := 0; k < 8; k++ {
			answers = append(answers, answer{calendar.ScopeAll, time.Time{}, []calendar.Response{calendar.Yes, calendar.No}[k%2]},
				answer{calendar.ScopeFollowing, origs[3*k], calendar.Maybe},
				answer{calendar.ScopeInstance, origs[3*k+1], calendar.No},
				answer{calendar.ScopeInstance, origs[3*k+1], calendar.Yes})
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(answers))
		start := make(chan struct{})
		for _, a := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if _, err := st.SetRSVP(ctx, bob, e.ID, a.scope, a.at, a.resp); err != nil {
					errs <- fmt.Errorf("%s %v %s: %w", a.scope, a.at, a.resp, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		stored := answersOf(t, st, e.ID, bob.UserID)
		// Replay in the order written (GetFull orders answers by id) on a fresh copy.
		full, err := st.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		replay := full.Clone()
		replay.RSVPs = nil
		for _, r := range full.RSVPs {
			at := time.Time{}
			if r.Instance != nil {
				at = *r.Instance
			}
			if err := replay.SetRSVP(r.UserID, r.Scope, at, r.Response, r.UpdatedAt); err != nil {
				t.Fatal(err)
			}
		}
		var replayed []string
		for _, r := range replay.RSVPs {
			replayed = append(replayed, describeRSVP(r))
		}
		slices.Sort(replayed)
		sorted := slices.Clone(stored)
		slices.Sort(sorted)
		if !slices.Equal(sorted, replayed) {
			t.Fatalf("bob's stored answers are not one consistent set:\nstored   %q\nreplayed %q", sorted, replayed)
		}
	})
}

// TestStoreAnswerWritesOnlyTheAnswerersRows: an answer leaves every row of other people and
// every invitation as it was (same row ids): it does not rewrite the event.
func TestStoreAnswerWritesOnlyTheAnswerersRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e, origs := weekly30(t, st, calendar.Public)
		if _, err := st.Invite(ctx, alice, e.ID, []int64{bob.UserID, carol.UserID, 4, 5}, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRSVP(ctx, carol, e.ID, calendar.ScopeAll, time.Time{}, calendar.Yes); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRSVP(ctx, bob, e.ID, calendar.ScopeInstance, origs[2], calendar.No); err != nil {
			t.Fatal(err)
		}
		others := rowIDs(t, db, "rsvps", e.ID, "user_id <> ?", bob.UserID)
		invitations := rowIDs(t, db, "invitations", e.ID, "")
		segments := rowIDs(t, db, "segments", e.ID, "")
		before, err := st.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRSVP(ctx, bob, e.ID, calendar.ScopeFollowing, origs[1], calendar.Maybe); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what        string
			got, before []int64
		}{
			{"other people's answers", rowIDs(t, db, "rsvps", e.ID, "user_id <> ?", bob.UserID), others},
			{"invitations", rowIDs(t, db, "invitations", e.ID, ""), invitations},
			{"segments", rowIDs(t, db, "segments", e.ID, ""), segments},
		} {
			if !slices.Equal(c.got, c.before) {
				t.Errorf("%s were rewritten by bob's answer: row ids %v, were %v", c.what, c.got, c.before)
			}
		}
		if got, want := answersOf(t, st, e.ID, bob.UserID), []string{"following " + origs[1].Format(time.RFC3339) + " maybe"}; !slices.Equal(got, want) {
			t.Errorf("bob's answers = %q, want %q (the following answer replaces his later ones)", got, want)
		}
		after, err := st.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Version != before.Version || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("an answer changed the event's version %d -> %d or updated_at %v -> %v: it is no change of content",
				before.Version, after.Version, before.UpdatedAt, after.UpdatedAt)
		}
	})
}

// TestStoreAnswerNormalisesAsTheEventDoes: answers through the store end as the same answers
// as Event.SetRSVP gives in memory, step by step, and leave other people's answers alone.
func TestStoreAnswerNormalisesAsTheEventDoes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e, origs := weekly30(t, st, calendar.Public)
		if _, err := st.SetRSVP(ctx, carol, e.ID, calendar.ScopeFollowing, origs[5], calendar.Maybe); err != nil {
			t.Fatal(err)
		}
		mem, err := st.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			scope calendar.Scope
			at    time.Time
			resp  calendar.Response
		}{
			{calendar.ScopeAll, time.Time{}, calendar.Yes},
			{calendar.ScopeInstance, origs[1], calendar.No},
			{calendar.ScopeInstance, origs[9], calendar.No},
			{calendar.ScopeFollowing, origs[4], calendar.Maybe},
			{calendar.ScopeInstance, origs[6], calendar.Yes},
			{calendar.ScopeInstance, origs[6], calendar.No},
			{calendar.ScopeFollowing, origs[2], calendar.No},
			{calendar.ScopeFollowing, origs[8], calendar.Yes},
			{calendar.ScopeAll, time.Time{}, calendar.Maybe},
		}
		for i, s := range steps {
			if _, err := st.SetRSVP(ctx, bob, e.ID, s.scope, s.at, s.resp); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if err := mem.SetRSVP(bob.UserID, s.scope, s.at, s.resp, time.Now()); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, r := range mem.RSVPs {
				if r.UserID == bob.UserID {
					want = append(want, describeRSVP(r))
				}
			}
			got := answersOf(t, st, e.ID, bob.UserID)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("step %d (%s %v %s): stored %q, in memory %q", i, s.scope, s.at, s.resp, got, want)
			}
		}
		if got := answersOf(t, st, e.ID, carol.UserID); len(got) != 1 || got[0] != "following "+origs[5].Format(time.RFC3339)+" maybe" {
			t.Fatalf("carol's answers = %q: bob's answers touched them", got)
		}
		for _, bad := range []struct {
			scope calendar.Scope
			at    time.Time
			resp  calendar.Response
			field string
		}{
			{calendar.ScopeAll, time.Time{}, "sure", "response"},
			{calendar.ScopeInstance, at("2026-03-03T08:00:00Z"), calendar.Yes, "instance"},
			{"sometimes", time.Time{}, calendar.Yes, "scope"},
		} {
			_, err := st.SetRSVP(ctx, bob, e.ID, bad.scope, bad.at, bad.resp)
			var ve *calendar.ValidationError
			if !errors.As(err, &ve) || ve.Fields[bad.field] == "" {
				t.Errorf("answer %s %v %q: %v, want a validation error on %s", bad.scope, bad.at, bad.resp, err, bad.field)
			}
		}
	})
}

// TestStoreAnswerChecksAsTheEventDoes: a private event is answered only by its invitees, an
// invitee of one instance only for that instance; a deleted event not at all.
func TestStoreAnswerChecksAsTheEventDoes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e, origs := weekly30(t, st, calendar.Private)
		if _, err := st.Invite(ctx, alice, e.ID, []int64{carol.UserID}, calendar.ScopeInstance, origs[3]); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRSVP(ctx, bob, e.ID, calendar.ScopeInstance, origs[3], calendar.Yes); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("bob, not invited, answers a private event: %v, want not found", err)
		}
		for _, s := range []struct {
			scope calendar.Scope
			at    time.Time
		}{{calendar.ScopeAll, time.Time{}}, {calendar.ScopeFollowing, origs[3]}, {calendar.ScopeInstance, origs[4]}} {
			if _, err := st.SetRSVP(ctx, carol, e.ID, s.scope, s.at, calendar.Yes); !errors.Is(err, calendar.ErrForbidden) {
				t.Errorf("carol, invited to one instance, answers %s %v: %v, want forbidden", s.scope, s.at, err)
			}
		}
		view, err := st.SetRSVP(ctx, carol, e.ID, calendar.ScopeInstance, origs[3], calendar.Yes)
		if err != nil {
			t.Fatalf("carol answers her instance: %v", err)
		}
		if len(view.RSVPs) != 1 || view.RSVPs[0].Response != calendar.Yes || !view.InstanceOnly(carol) {
			t.Errorf("carol's view after answering: %d answers, instance only %v", len(view.RSVPs), view.InstanceOnly(carol))
		}
		if _, err := st.Delete(ctx, alice, e.ID, nil, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRSVP(ctx, carol, e.ID, calendar.ScopeInstance, origs[3], calendar.No); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("carol answers a deleted event: %v, want not found", err)
		}
		if _, err := st.SetRSVP(ctx, carol, e.ID+1000, calendar.ScopeAll, time.Time{}, calendar.No); !errors.Is(err, calendar.ErrNotFound) {
			t.Errorf("carol answers an event that does not exist: %v, want not found", err)
		}
	})
}

// TestStoreOrganizerEditSucceedsAfterSomeoneAnswered: the version is the organizer's
// optimistic lock; an answer given since the organizer read the event is no conflict, and
// the edit keeps it.
func TestStoreOrganizerEditSucceedsAfterSomeoneAnswered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e, origs := weekly30(t, st, calendar.Public)
		read, err := st.Get(ctx, alice, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRSVP(ctx, bob, e.ID, calendar.ScopeInstance, origs[0], calendar.Yes); err != nil {
			t.Fatal(err)
		}
		v := read.Version
		edited, _, err := st.Edit(ctx, alice, e.ID, &v, calendar.ScopeAll, time.Time{}, calendar.Change{Title: sp("Renamed")})
		if err != nil {
			t.Fatalf("alice's edit with the version she read, after bob answered: %v", err)
		}
		if edited.Version != v+1 {
			t.Errorf("version after the edit = %d, want %d", edited.Version, v+1)
		}
		if got := answersOf(t, st, e.ID, bob.UserID); len(got) != 1 {
			t.Errorf("bob's answers after alice's edit = %q, want his one answer", got)
		}
	})
}

// TestStoreReplaceKeepsAnswersGivenMeanwhile is the Outlook sync's path: it loads the whole
// event, changes it (here its title and, as Outlook reported, Carol's answer) and saves it
// with Replace. Bob's answer, given in between, is neither lost nor a conflict; Dave, who
// answered in between too, keeps his own later answer rather than the one the sync carried.
func TestStoreReplaceKeepsAnswersGivenMeanwhile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		dave := calendar.Viewer{UserID: 4}
		e, origs := weekly30(t, st, calendar.Public)
		if _, err := st.SetRSVP(ctx, dave, e.ID, calendar.ScopeAll, time.Time{}, calendar.Maybe); err != nil {
			t.Fatal(err)
		}
		full, err := st.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRSVP(ctx, bob, e.ID, calendar.ScopeInstance, origs[0], calendar.Yes); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRSVP(ctx, dave, e.ID, calendar.ScopeInstance, origs[2], calendar.No); err != nil {
			t.Fatal(err)
		}
		full.Segments[0].Title = "Synced"
		now := time.Now()
		if err := full.SetRSVP(carol.UserID, calendar.ScopeAll, time.Time{}, calendar.No, now); err != nil {
			t.Fatal(err)
		}
		if err := full.SetRSVP(dave.UserID, calendar.ScopeAll, time.Time{}, calendar.Yes, now); err != nil {
			t.Fatal(err)
		}
		if err := st.Replace(ctx, full); err != nil {
			t.Fatalf("replace after bob answered: %v", err)
		}
		got, err := st.GetFull(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Segments[0].Title != "Synced" {
			t.Errorf("title = %q, the sync's change was lost", got.Segments[0].Title)
		}
		for _, c := range []struct {
			who  calendar.Viewer
			want []string
		}{
			{bob, []string{"instance " + origs[0].Format(time.RFC3339) + " yes"}},
			{carol, []string{"all - no"}},
			{dave, []string{"all - maybe", "instance " + origs[2].Format(time.RFC3339) + " no"}},
		} {
			if a := answersOf(t, st, e.ID, c.who.UserID); !slices.Equal(a, c.want) {
				t.Errorf("user %d's answers = %q, want %q", c.who.UserID, a, c.want)
			}
		}
		// The event saved is what is stored: saving it again changes no answer.
		if err := st.Replace(ctx, full); err != nil {
			t.Fatal(err)
		}
		if a := answersOf(t, st, e.ID, dave.UserID); len(a) != 2 {
			t.Errorf("dave's answers after a second save = %q", a)
		}
	})
}

// TestStoreListingsSeeAnswersWithWarmCaches: an answer given through one store shows in the
// listings of every store on the database (every app instance), caches warm.
func TestStoreListingsSeeAnswersWithWarmCaches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st, other := calendar.NewStore(db), calendar.NewStore(db)
		e, origs := weekly30(t, st, calendar.Public)
		if _, err := st.Invite(ctx, alice, e.ID, []int64{bob.UserID}, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		answerIn := func(s *calendar.Store, want calendar.Response) {
			t.Helper()
			occ, _, err := s.Occurrences(ctx, bob, march)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range occ {
				if o.OriginalStart.Equal(origs[1]) {
					if o.RSVP != want {
						t.Fatalf("listing shows bob's answer %q, want %q", o.RSVP, want)
					}
					return
				}
			}
			t.Fatal("the instance is not listed")
		}
		answerIn(st, "")
		answerIn(other, "")
		for _, r := range []calendar.Response{calendar.No, calendar.Maybe} {
			if _, err := other.SetRSVP(ctx, bob, e.ID, calendar.ScopeInstance, origs[1], r); err != nil {
				t.Fatal(err)
			}
			answerIn(st, r)
			answerIn(other, r)
			sameAsFresh(t, db, st, bob, march)
		}
	})
}
