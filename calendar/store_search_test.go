package calendar_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// searchNow is when the searches below are made: Wednesday 11 March 2026, noon UTC.
var searchNow = at("2026-03-11T12:00:00Z")

// found lists what a search finds as "title @start" (the shown instance's start, UTC),
// with "(past)" for an instance that is over.
func found(t *testing.T, st *calendar.Store, v calendar.Viewer, q string) []string {
	t.Helper()
	res, err := st.Search(context.Background(), v, calendar.SearchQuery{Text: q, Now: searchNow})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		s := h.Title + " @" + h.Start.UTC().Format("01-02T15:04")
		if !h.Upcoming {
			s += " (past)"
		}
		out = append(out, s)
	}
	return out
}

func sameList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("%s: found %q, want %q", what, got, want)
	}
}

func TestSearchMatchesTitleLocationAndDescriptionIgnoringCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		create(t, st, alice, calendar.EventInput{Title: "Budget review", Location: "Room 4", Description: "Bring the Q2 numbers.",
			Start: "2026-03-12T10:00:00", End: "2026-03-12T11:00:00"})
		create(t, st, alice, calendar.EventInput{Title: "Lunch", Location: "Kantine Nord", Start: "2026-03-13T12:00:00", End: "2026-03-13T13:00:00"})
		sameList(t, "title", found(t, st, alice, "BUDGET"), "Budget review @03-12T09:00")
		sameList(t, "location", found(t, st, alice, "kantine"), "Lunch @03-13T11:00")
		sameList(t, "description", found(t, st, alice, "q2 Numbers"), "Budget review @03-12T09:00")
		sameList(t, "words over two fields", found(t, st, alice, "room budget"), "Budget review @03-12T09:00")
		sameList(t, "a word nowhere", found(t, st, alice, "budget kantine"))
	})
}

// A series is shown by its next instance that matches; an event that is over by its last;
// upcoming first (soonest first), then past ones (latest first). Cancelled instances and
// instances whose own change took the word away are passed over; a word in one instance's
// change finds that instance.
func TestSearchShowsTheNextMatchingInstanceOrTheLast(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "Standup", Start: "2026-03-02T09:00:00", End: "2026-03-02T09:15:00",
			RRule: "FREQ=WEEKLY;BYDAY=MO;COUNT=6"})
		if _, err := st.Delete(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-03-16T08:00:00Z")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Edit(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-03-23T08:00:00Z"), calendar.Change{Title: sp("Demo day")}); err != nil {
			t.Fatal(err)
		}
		create(t, st, alice, calendar.EventInput{Title: "Standup retro", Start: "2026-02-20T15:00:00", End: "2026-02-20T16:00:00"})
		create(t, st, alice, calendar.EventInput{Title: "Old standup notes", Start: "2026-01-05T15:00:00", End: "2026-01-05T16:00:00"})
		create(t, st, alice, calendar.EventInput{Title: "Standup party", Start: "2026-04-01T18:00:00", End: "2026-04-01T20:00:00"})
		sameList(t, "standup", found(t, st, alice, "standup"),
			"Standup @03-30T07:00", "Standup party @04-01T16:00", "Standup retro @02-20T14:00 (past)", "Old standup notes @01-05T14:00 (past)")
		sameList(t, "a word of one instance's change", found(t, st, alice, "demo"), "Demo day @03-23T08:00")
	})
}

// Another person's private event never matches, whatever it holds; a public one matches once
// it is in My Calendar (invited, or answered yes or maybe), as the listing shows it.
func TestSearchDoesNotFindOtherPeoplesPrivateEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		create(t, st, bob, calendar.EventInput{Title: "Merger talks", Location: "Merger room", Description: "merger", Privacy: calendar.Private,
			Start: "2026-03-12T10:00:00", End: "2026-03-12T11:00:00"})
		pub := create(t, st, bob, calendar.EventInput{Title: "Merger town hall", Start: "2026-03-13T10:00:00", End: "2026-03-13T11:00:00"})
		sameList(t, "another's events, not in My Calendar", found(t, st, alice, "merger"))
		sameList(t, "the organizer", found(t, st, bob, "merger"), "Merger talks @03-12T09:00", "Merger town hall @03-13T09:00")
		if err := st.Answer(ctx, alice, pub.ID, calendar.ScopeAll, time.Time{}, calendar.Yes); err != nil {
			t.Fatal(err)
		}
		sameList(t, "after saying yes to the public one", found(t, st, alice, "merger"), "Merger town hall @03-13T09:00")
		if err := st.Answer(ctx, alice, pub.ID, calendar.ScopeAll, time.Time{}, calendar.No); err != nil {
			t.Fatal(err)
		}
		sameList(t, "after declining it", found(t, st, alice, "merger"))
	})
}

// An invitee finds a private event; someone not invited does not. An invitee of one instance
// finds it only by what that instance holds, never by another date's change.
func TestSearchFindsWhatInviteesSee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "Board meeting", Privacy: calendar.Private,
			Start: "2026-03-12T10:00:00", End: "2026-03-12T11:00:00", RRule: "FREQ=WEEKLY;COUNT=4"})
		if _, _, err := st.Edit(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-03-26T09:00:00Z"), calendar.Change{Description: sp("Layoffs")}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Invite(ctx, alice, e.ID, []int64{bob.UserID}, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Invite(ctx, alice, e.ID, []int64{carol.UserID}, calendar.ScopeInstance, at("2026-03-19T09:00:00Z")); err != nil {
			t.Fatal(err)
		}
		dave := calendar.Viewer{UserID: 4}
		sameList(t, "an invitee of all", found(t, st, bob, "board"), "Board meeting @03-12T09:00")
		sameList(t, "an invitee of all, a word of one date", found(t, st, bob, "layoffs"), "Board meeting @03-26T09:00")
		sameList(t, "an invitee of one date", found(t, st, carol, "board"), "Board meeting @03-19T09:00")
		sameList(t, "an invitee of one date, a word of another", found(t, st, carol, "layoffs"))
		sameList(t, "someone not invited", found(t, st, dave, "board"))
		// Even an administrator finds no private event they are not invited to.
		sameList(t, "an administrator", found(t, st, calendar.Viewer{UserID: 5, IsAdmin: true}, "board"))
	})
}

// %, _, \, ! and [ are matched as themselves, not as LIKE's wildcards or escapes.
func TestSearchMatchesWildcardCharactersLiterally(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		for i, title := range []string{"Goal 100% done", "Goal 1000 done", "a_b sync", "axb sync", `C:\temp cleanup`, "C:temp cleanup",
			"Wow! party", "Wowx party", "[draft] plan", "d plan"} {
			day := time.Date(2026, 3, 12+i, 10, 0, 0, 0, time.UTC).Format("2006-01-02")
			create(t, st, alice, calendar.EventInput{Title: title, Start: day + "T10:00:00", End: day + "T11:00:00"})
		}
		sameList(t, "%", found(t, st, alice, "100%"), "Goal 100% done @03-12T09:00")
		sameList(t, "_", found(t, st, alice, "a_b"), "a_b sync @03-14T09:00")
		sameList(t, `\`, found(t, st, alice, `c:\t`), `C:\temp cleanup @03-16T09:00`)
		sameList(t, "!", found(t, st, alice, "wow!"), "Wow! party @03-18T09:00")
		sameList(t, "[", found(t, st, alice, "[d"), "[draft] plan @03-20T09:00")
		sameList(t, "% alone", found(t, st, alice, "%%"))
	})
}

func TestSearchRefusesTooShortAndTooLongQueries(t *testing.T) {
	st := calendar.NewStore(dbtest.SQLite(t))
	for _, q := range []string{"", " a ", strings.Repeat("x", calendar.MaxSearchLength+1)} {
		_, err := st.Search(context.Background(), alice, calendar.SearchQuery{Text: q, Now: searchNow})
		var invalid *calendar.ValidationError
		if !errors.As(err, &invalid) || invalid.Fields["q"] == "" {
			t.Errorf("search %q: %v, want a validation error on q", q, err)
		}
	}
	if _, err := st.Search(context.Background(), alice, calendar.SearchQuery{Text: strings.Repeat("é", calendar.MaxSearchLength), Now: searchNow}); err != nil {
		t.Errorf("a query of 200 characters (400 bytes): %v", err)
	}
}

// A search stops at the cap and says there is more.
func TestSearchIsCappedAndSaysSo(t *testing.T) {
	st := calendar.NewStore(dbtest.SQLite(t))
	for i := 0; i < 4; i++ {
		create(t, st, alice, calendar.EventInput{Title: "Review", Start: "2026-03-12T10:00:00", End: "2026-03-12T11:00:00"})
	}
	res, err := st.Search(context.Background(), alice, calendar.SearchQuery{Text: "review", Now: searchNow, Max: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 3 || !res.More {
		t.Errorf("%d hits, more %v; want 3 and more", len(res.Hits), res.More)
	}
}

// Letters beyond A to Z match ignoring case on every database, though SQLite's LOWER folds
// A to Z alone.
func TestSearchIgnoresTheCaseOfEveryLetter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		create(t, st, alice, calendar.EventInput{Title: "Über-Planung", Start: "2026-03-12T10:00:00", End: "2026-03-12T11:00:00"})
		create(t, st, alice, calendar.EventInput{Title: "Café", Location: "ÉTAGE 3", Start: "2026-03-13T10:00:00", End: "2026-03-13T11:00:00"})
		sameList(t, "über", found(t, st, alice, "über"), "Über-Planung @03-12T09:00")
		sameList(t, "ÜBER", found(t, st, alice, "ÜBER-planung"), "Über-Planung @03-12T09:00")
		sameList(t, "CAFÉ étage", found(t, st, alice, "CAFÉ étage"), "Café @03-13T09:00")
		sameList(t, "éé", found(t, st, alice, "éé"))
	})
}
