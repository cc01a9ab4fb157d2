package pages

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/view"
	"intracal/calendar"
)

// eventFormPage is the data of event_form.html, the full-page form that creates an event or
// edits one with a scope.
type eventFormPage struct {
	view.Page
	Heading   string
	Action    string // where the form posts
	CancelURL string
	IsNew     bool

	// Edits only.
	Version       int
	Instance      string // original start of the instance the edit starts from (RFC 3339)
	InstanceLabel string // "Monday 16 March 2026 at 09:00"
	Recurring     bool   // offer the three scopes
	Scope         string
	Scopes        []scopeChoice
	ScopeSwitch   string // the page the scope form reloads
	RepeatLocked  bool   // an instance edit cannot change the repeat rule
	RepeatSummary string
	// Parts, for "all instances" of an event with several parts (made by "this and
	// following" here or in Outlook), says what each part holds.
	Parts []string

	Form      eventForm
	Errors    map[string]string
	FormError string

	// Choices for the inputs, with the form's values selected.
	Zones         []string
	WeekdayBoxes  []option
	Frequencies   []option
	MonthOrdinals []option
	MonthWeekdays []option
	YearOrdinals  []option
	YearWeekdays  []option
	Months        []option
	Colours       []option
	Reminders     []option
}

// scopeChoice is one of the three radio buttons at the top of an edit.
type scopeChoice struct {
	Value   string
	Label   string
	Checked bool
}

// option is one choice of a select or a checkbox list.
type option struct {
	Value    string
	Label    string
	Selected bool
}

// scopeChoices are the edit scopes in the order the seed product shows them.
func scopeChoices(selected calendar.Scope) []scopeChoice {
	out := []scopeChoice{
		{Value: string(calendar.ScopeInstance), Label: "This instance"},
		{Value: string(calendar.ScopeFollowing), Label: "This and following"},
		{Value: string(calendar.ScopeAll), Label: "All instances"},
	}
	for i := range out {
		out[i].Checked = out[i].Value == string(selected)
	}
	return out
}

// renderEventForm fills the choice lists from the form and renders the page.
func (h *Events) renderEventForm(c echo.Context, status int, p eventFormPage) error {
	f := p.Form
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	p.Zones = zoneChoices(f.TimeZone, accounts.CurrentViewer(c).TimeZone)
	for _, d := range builderWeekdays() {
		p.WeekdayBoxes = append(p.WeekdayBoxes, option{Value: d.Code, Label: d.Long, Selected: slices.Contains(f.Repeat.Weekdays, d.Code)})
		p.MonthWeekdays = append(p.MonthWeekdays, option{Value: d.Code, Label: d.Long, Selected: d.Code == f.Repeat.MonthWeekday})
		p.YearWeekdays = append(p.YearWeekdays, option{Value: d.Code, Label: d.Long, Selected: d.Code == f.Repeat.YearWeekday})
	}
	for _, fr := range []option{{"", "Does not repeat", false}, {"daily", "Daily", false}, {"weekly", "Weekly", false}, {"monthly", "Monthly", false}, {"yearly", "Yearly", false}} {
		fr.Selected = fr.Value == f.Repeat.Freq
		p.Frequencies = append(p.Frequencies, fr)
	}
	for _, o := range ordinalChoices() {
		p.MonthOrdinals = append(p.MonthOrdinals, option{Value: o.Value, Label: o.Label, Selected: o.Value == f.Repeat.MonthOrdinal})
		p.YearOrdinals = append(p.YearOrdinals, option{Value: o.Value, Label: o.Label, Selected: o.Value == f.Repeat.YearOrdinal})
	}
	for m := time.January; m <= time.December; m++ {
		v := strconv.Itoa(int(m))
		p.Months = append(p.Months, option{Value: v, Label: m.String(), Selected: v == f.Repeat.YearMonth})
	}
	p.Colours, p.Reminders = colourChoices(f.Labels.Colour), reminderChoices(f.Labels.Reminder)
	return h.pages.Render(c, status, "event_form.html", p)
}

// commonZones are offered in the time zone field; any other IANA name may be typed.
func commonZones() []string {
	return []string{
		"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
		"Europe/Amsterdam", "Europe/Brussels", "Europe/Zurich", "Europe/Vienna", "Europe/Madrid",
		"Europe/Rome", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Helsinki",
		"Europe/Warsaw", "Europe/Prague", "Europe/Athens", "Europe/Istanbul", "Europe/Kyiv",
		"Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi", "Asia/Dubai",
		"Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Tokyo",
		"Asia/Seoul", "Australia/Perth", "Australia/Sydney", "Pacific/Auckland",
		"America/St_Johns", "America/Halifax", "America/New_York", "America/Toronto",
		"America/Chicago", "America/Mexico_City", "America/Denver", "America/Phoenix",
		"America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Sao_Paulo",
		"America/Buenos_Aires", "America/Bogota", "America/Lima",
	}
}

// zoneChoices are the common zones plus the ones in use, each once.
func zoneChoices(extra ...string) []string {
	out := commonZones()
	for _, z := range extra {
		if z != "" && !slices.Contains(out, z) {
			out = append(out, z)
		}
	}
	return out
}

// formStatus is the status a form that comes back with messages is answered with.
func formStatus(err error) int {
	if httpkit.Classify(err).Status == http.StatusConflict {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}
