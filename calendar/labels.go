package calendar

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// What the organizer files an event under and when they are reminded of it: Outlook's
// categories and reminder, kept here so that they survive the sync both ways. Both belong to
// the event, as its privacy does, and are the organizer's own: others never see them.

// Reminder says whether, and how many minutes before an instance starts, the organizer is
// reminded. The zero Reminder is no reminder.
type Reminder struct {
	On      bool
	Minutes int
}

// DefaultReminder is Outlook's: 15 minutes before.
var DefaultReminder = Reminder{On: true, Minutes: 15}

// MaxReminderMinutes is four weeks, the longest Outlook offers.
const MaxReminderMinutes = 4 * 7 * 24 * 60

// Limits of the categories an event may carry.
const (
	MaxCategories     = 25
	MaxCategoryLength = 255
)

// ColourCategories are Outlook's preset categories, each named for its colour: the ones the
// calendar offers and shows in colour. An event may carry others (made in Outlook); they are
// kept and shown by name.
var ColourCategories = []string{"Red category", "Orange category", "Yellow category", "Green category", "Blue category", "Purple category"}

// Colour is the first of the event's categories that names a colour ("red", "blue", ...), or
// "" when none does.
func Colour(categories []string) string {
	for _, c := range categories {
		if slices.Contains(ColourCategories, c) {
			return strings.ToLower(strings.TrimSuffix(c, " category"))
		}
	}
	return ""
}

// WithColour returns categories with its colour category replaced by the one of colour
// ("" for none), first, and the others kept in their order.
func WithColour(categories []string, colour string) []string {
	var out []string
	if colour != "" {
		out = append(out, strings.ToUpper(colour[:1])+colour[1:]+" category")
	}
	for _, c := range categories {
		if !slices.Contains(ColourCategories, c) {
			out = append(out, c)
		}
	}
	return out
}

// checkCategories validates and tidies categories into v: names trimmed, empty ones and
// repeats dropped.
func checkCategories(v *ValidationError, categories []string) []string {
	var out []string
	for _, c := range categories {
		c = strings.TrimSpace(c)
		if c == "" || slices.Contains(out, c) {
			continue
		}
		if utf8.RuneCountInString(c) > MaxCategoryLength || !utf8.ValidString(c) || strings.ContainsAny(c, "\r\n") {
			v.Add("categories", "A category is a line of at most "+strconv.Itoa(MaxCategoryLength)+" characters.")
			return nil
		}
		out = append(out, c)
	}
	if len(out) > MaxCategories {
		v.Add("categories", "An event has at most "+strconv.Itoa(MaxCategories)+" categories.")
		return nil
	}
	return out
}

// checkReminder validates r into v.
func checkReminder(v *ValidationError, r Reminder) Reminder {
	if !r.On {
		return Reminder{}
	}
	if r.Minutes < 0 || r.Minutes > MaxReminderMinutes {
		v.Add("reminder", "A reminder is between 0 minutes and four weeks before the start.")
	}
	return r
}

// labelColumns are the stored forms of e's categories and reminder.
func labelColumns(e *Event) (string, *int) {
	var rem *int
	if e.Reminder.On {
		m := e.Reminder.Minutes
		rem = &m
	}
	return strings.Join(e.Categories, "\n"), rem
}

// categoriesOf reads the stored categories.
func categoriesOf(col string) []string {
	if col == "" {
		return nil
	}
	return strings.Split(col, "\n")
}

// reminderOf reads the stored reminder.
func reminderOf(minutes *int) Reminder {
	if minutes == nil {
		return Reminder{}
	}
	return Reminder{On: true, Minutes: *minutes}
}
