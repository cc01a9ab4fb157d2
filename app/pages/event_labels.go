package pages

import (
	"slices"
	"strconv"

	"intracal/calendar"
)

// The event form's colour and reminder: the event's categories and reminder as a person picks
// them (calendar/labels.go). The colour is one of Outlook's preset colour categories; the
// event's other categories (named in Outlook) are kept as they are and shown beside it.

// labelsForm is what the form holds of them, as typed.
type labelsForm struct {
	Colour   string   // "" or red, orange, yellow, green, blue, purple
	Reminder string   // "none", or minutes before the start
	Others   []string // the categories that name no colour, kept
}

// newLabels is what a new event's form starts with: no colour, Outlook's default reminder.
func newLabels() labelsForm {
	return labelsForm{Reminder: strconv.Itoa(calendar.DefaultReminder.Minutes)}
}

// labelsOf is the form of an event's categories and reminder.
func labelsOf(e *calendar.Event) labelsForm {
	f := labelsForm{Colour: calendar.Colour(e.Categories), Reminder: "none"}
	if e.Reminder.On {
		f.Reminder = strconv.Itoa(e.Reminder.Minutes)
	}
	for _, c := range e.Categories {
		if !slices.Contains(calendar.ColourCategories, c) {
			f.Others = append(f.Others, c)
		}
	}
	return f
}

// categories are the event's categories with the form's colour.
func (f labelsForm) categories() []string { return calendar.WithColour(f.Others, f.Colour) }

// reminder reads the reminder field; a value that is not a number of minutes is reported
// under "reminder".
func (f labelsForm) reminder() (calendar.Reminder, map[string]string) {
	if f.Reminder == "none" || f.Reminder == "" {
		return calendar.Reminder{}, nil
	}
	m, err := strconv.Atoi(f.Reminder)
	if err != nil {
		return calendar.Reminder{}, map[string]string{"reminder": "Choose when to be reminded."}
	}
	return calendar.Reminder{On: true, Minutes: m}, nil
}

// colourChoices are the colours the form offers, the form's selected.
func colourChoices(selected string) []option {
	out := []option{{Value: "", Label: "None"}}
	for _, c := range calendar.ColourCategories {
		v := calendar.Colour([]string{c})
		out = append(out, option{Value: v, Label: c[:len(c)-len(" category")]})
	}
	for i := range out {
		out[i].Selected = out[i].Value == selected
	}
	return out
}

// reminderChoices are the reminders Outlook offers, with the form's own if it is another.
func reminderChoices(selected string) []option {
	out := []option{{Value: "none", Label: "None"}, {Value: "0", Label: "At the start"}, {Value: "5", Label: "5 minutes before"},
		{Value: "15", Label: "15 minutes before"}, {Value: "30", Label: "30 minutes before"}, {Value: "60", Label: "1 hour before"},
		{Value: "120", Label: "2 hours before"}, {Value: "1440", Label: "1 day before"}, {Value: "10080", Label: "1 week before"}}
	found := false
	for i := range out {
		out[i].Selected = out[i].Value == selected
		found = found || out[i].Selected
	}
	if !found && selected != "" {
		out = append(out, option{Value: selected, Label: selected + " minutes before", Selected: true})
	}
	return out
}

// reminderText is a reminder in words, as the details page shows it.
func reminderText(r calendar.Reminder) string {
	if !r.On {
		return "None"
	}
	for _, o := range reminderChoices("") {
		if o.Value == strconv.Itoa(r.Minutes) {
			return o.Label
		}
	}
	return strconv.Itoa(r.Minutes) + " minutes before"
}
