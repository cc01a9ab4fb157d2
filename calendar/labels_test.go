package calendar_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

// An event's categories and reminder are stored, changed by an edit, listed with its
// instances, and seen by its organizer only: an invitee's listing and view carry neither.
func TestCategoriesAndReminderAreTheOrganizers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := calendar.NewStore(db)
		ctx := context.Background()
		e := create(t, st, alice, calendar.EventInput{Title: "Review", Start: "2026-03-02T09:00:00", End: "2026-03-02T10:00:00", RRule: "FREQ=WEEKLY;COUNT=3",
			Categories: []string{" Blue category", "Project X", "Project X", ""}})
		got, err := st.Get(ctx, alice, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"Blue category", "Project X"}; !slices.Equal(got.Categories, want) {
			t.Errorf("stored categories %q, want %q (trimmed, repeats and empty names dropped)", got.Categories, want)
		}
		if got.Reminder != calendar.DefaultReminder {
			t.Errorf("a new event's reminder is %+v, want Outlook's default %+v", got.Reminder, calendar.DefaultReminder)
		}
		if calendar.Colour(got.Categories) != "blue" {
			t.Errorf("colour %q, want blue", calendar.Colour(got.Categories))
		}
		cats := calendar.WithColour(got.Categories, "green")
		off := calendar.Reminder{}
		if _, _, err := st.Edit(ctx, alice, e.ID, nil, calendar.ScopeInstance, at("2026-03-09T08:00:00Z"), calendar.Change{Categories: &cats, Reminder: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Invite(ctx, alice, e.ID, []int64{bob.UserID}, calendar.ScopeAll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		got, err = st.Get(ctx, alice, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"Green category", "Project X"}; !slices.Equal(got.Categories, want) || got.Reminder.On {
			t.Errorf("after the edit: categories %q reminder %+v, want %q and none (the event's, whatever the scope)", got.Categories, got.Reminder, want)
		}
		for _, who := range []struct {
			v    calendar.Viewer
			want []string
		}{{alice, []string{"Green category", "Project X"}}, {bob, nil}} {
			occ, _, err := st.Occurrences(ctx, who.v, march)
			if err != nil {
				t.Fatal(err)
			}
			if len(occ) != 3 {
				t.Fatalf("user %d lists %d instances, want 3", who.v.UserID, len(occ))
			}
			for _, o := range occ {
				if !slices.Equal(o.Categories, who.want) {
					t.Errorf("user %d sees categories %q on %s, want %q", who.v.UserID, o.Categories, o.Start, who.want)
				}
			}
		}
		asBob, err := st.Get(ctx, bob, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if asBob.Categories != nil || asBob.Reminder != (calendar.Reminder{}) {
			t.Errorf("the invitee sees the organizer's categories %q and reminder %+v", asBob.Categories, asBob.Reminder)
		}
	})
}

func TestCategoriesAndReminderAreChecked(t *testing.T) {
	long := string(make([]rune, calendar.MaxCategoryLength+1))
	for _, tc := range []struct {
		name string
		in   calendar.EventInput
	}{
		{"a reminder a year before", calendar.EventInput{Reminder: &calendar.Reminder{On: true, Minutes: 365 * 24 * 60}}},
		{"a negative reminder", calendar.EventInput{Reminder: &calendar.Reminder{On: true, Minutes: -5}}},
		{"a category on two lines", calendar.EventInput{Categories: []string{"a\nb"}}},
		{"a category too long", calendar.EventInput{Categories: []string{long}}},
		{"too many categories", calendar.EventInput{Categories: func() []string {
			var out []string
			for i := range calendar.MaxCategories + 1 {
				out = append(out, string(rune('A'+i)))
			}
			return out
		}()}},
	} {
		in := tc.in
		in.Title, in.Start, in.End, in.TimeZone = "x", "2026-03-02T09:00:00", "2026-03-02T10:00:00", "UTC"
		_, err := calendar.NewEvent(1, 1, in)
		var ve *calendar.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: got %v, want a validation error", tc.name, err)
		}
	}
}
