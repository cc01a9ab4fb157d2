package controlpanel

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
	"intracal/calendar"
	"intracal/outlooksync/contacts"
)

// Control Panel > Users > Contact lists: lists of people pushed into target mailboxes'
// Outlook contacts (outlooksync/contacts), each with its source, targets, fields, folder,
// schedule, Sync now, its target mailboxes' state and a history of its runs.

// ContactLists is the Contact lists pages and forms.
type ContactLists struct {
	frame
	store    *contacts.Store
	pusher   *contacts.Pusher // nil without Graph: lists are kept, not pushed
	cal      *calendar.Store
	users    *accounts.Users
	profiles *accounts.Profiles
	props    *properties.Store
	now      func() time.Time
}

// NewContactLists is the pages on the lists' store and pusher, the spaces and people the
// forms choose from, and the System Properties (whether the app registration is set up).
func NewContactLists(pages *view.Renderer, fr view.Frame, store *contacts.Store, pusher *contacts.Pusher, cal *calendar.Store,
	users *accounts.Users, profiles *accounts.Profiles, props *properties.Store, now func() time.Time) *ContactLists {
	return &ContactLists{frame: frame{pages, fr}, store: store, pusher: pusher, cal: cal, users: users, profiles: profiles, props: props, now: now}
}

type contactListsPage struct {
	page
	Setup  []string // what the app registration still lacks
	NoSync bool     // the program pushes nothing (no Graph adapter)
	Lists  []contactListRow
}

type contactListRow struct {
	Name, URL, Source, Targets, Folder, LastRun string
	Mailboxes, Failing                          int
	RunURL                                      string
}

type contactListPage struct {
	page
	New    bool
	Action string
	Form   contactListForm
	Errors map[string]string
	// Choices of the form.
	Departments []string
	Spaces      []option
	Fields      []fieldRow
	Intervals   []option
	// The list's state (an existing list).
	Targets []contactTargetRow
	Runs    []contactRunRow
	RunURL  string
	Delete  string
	NoSync  bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type fieldRow struct {
	Name, Label      string
	Write, Overwrite bool
}

type contactListForm struct {
	Name                                      string
	SourceKind, SourceDepartment, SourceSpace string
	TargetKind, TargetDepartment, TargetSpace string
	Folder                                    string
	Added, Excluded                           string // addresses, one per line
	IntervalMinutes                           int
	FolderFixed                               bool // an existing list: folder (and in a list folder, name) cannot change
}

type contactTargetRow struct {
	Mailbox, LastRun, LastError string
	Leaving                     bool
}

type contactRunRow struct {
	When, Kind                                           string
	Targets, Created, Updated, Restored, Removed, Failed int
	Detail                                               string
}

// List is GET /cp/contacts.
func (h *ContactLists) List(c echo.Context) error {
	ctx := c.Request().Context()
	lists, err := h.store.Lists(ctx)
	if err != nil {
		return err
	}
	p := contactListsPage{page: h.pageFor(c, "Contact lists", "/cp/contacts"), NoSync: h.pusher == nil}
	settings, err := h.props.OutlookSettings(ctx)
	if err != nil {
		return err
	}
	p.Setup = settings.Missing()
	loc := accounts.CurrentViewer(c).Location()
	spaces, err := h.spaceNames(c)
	if err != nil {
		return err
	}
	for _, l := range lists {
		if l.Deleting {
			continue
		}
		ts, err := h.store.Targets(ctx, l.ID)
		if err != nil {
			return err
		}
		row := contactListRow{Name: l.Name, URL: listURL(l.ID), RunURL: listURL(l.ID) + "/run",
			Source: specText(l.Source, spaces), Targets: specText(l.Target, spaces), Folder: folderText(l)}
		for _, t := range ts {
			if !t.Leaving {
				row.Mailboxes++
			}
			if t.LastError != "" {
				row.Failing++
			}
		}
		if l.LastRunAt != nil {
			row.LastRun = l.LastRunAt.In(loc).Format("2 Jan 2006 15:04")
		}
		p.Lists = append(p.Lists, row)
	}
	return h.pages.Render(c, http.StatusOK, "cp_contacts.html", p)
}

func listURL(id int64) string { return "/cp/contacts/" + strconv.FormatInt(id, 10) }

func folderText(l contacts.List) string {
	if l.Folder == contacts.FolderDefault {
		return "Default Contacts folder"
	}
	return "Folder “" + l.Name + "”"
}

func specText(s contacts.Spec, spaces map[string]string) string {
	switch s.Kind {
	case contacts.KindEveryone:
		return "Everyone"
	case contacts.KindDepartment:
		return "Department " + s.Value
	case contacts.KindSpace:
		if n, ok := spaces[s.Value]; ok {
			return "Members of " + n
		}
		return "Members of a space that is gone"
	}
	return "People picked by hand"
}

// spaceNames are the site's spaces by id.
func (h *ContactLists) spaceNames(c echo.Context) (map[string]string, error) {
	sps, err := h.cal.SiteSpaces(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer())
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, sp := range sps {
		out[strconv.FormatInt(sp.ID, 10)] = sp.Name
	}
	return out, nil
}

// New is GET /cp/contacts/new.
func (h *ContactLists) New(c echo.Context) error {
	f := contactListForm{SourceKind: contacts.KindEveryone, TargetKind: contacts.KindEveryone, Folder: contacts.FolderList, IntervalMinutes: 60}
	return h.render(c, http.StatusOK, contacts.List{Write: contacts.Fields(), Overwrite: contacts.Fields()}, f, nil, true)
}

// Show is GET /cp/contacts/{id}.
func (h *ContactLists) Show(c echo.Context) error {
	l, err := h.listParam(c)
	if err != nil {
		return err
	}
	f, err := h.formOf(c.Request().Context(), l)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, l, f, nil, false)
}

func (h *ContactLists) listParam(c echo.Context) (contacts.List, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return contacts.List{}, calendar.ErrNotFound
	}
	return h.store.List(c.Request().Context(), id)
}

// formOf is the form of a stored list.
func (h *ContactLists) formOf(ctx context.Context, l contacts.List) (contactListForm, error) {
	f := contactListForm{Name: l.Name, SourceKind: l.Source.Kind, TargetKind: l.Target.Kind, Folder: l.Folder,
		IntervalMinutes: int(l.Interval / time.Minute), FolderFixed: true}
	switch l.Source.Kind {
	case contacts.KindDepartment:
		f.SourceDepartment = l.Source.Value
	case contacts.KindSpace:
		f.SourceSpace = l.Source.Value
	}
	switch l.Target.Kind {
	case contacts.KindDepartment:
		f.TargetDepartment = l.Target.Value
	case contacts.KindSpace:
		f.TargetSpace = l.Target.Value
	}
	emails := func(ids []int64) (string, error) {
		us, err := h.users.ListByIDs(ctx, ids)
		if err != nil {
			return "", err
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Email)
		}
		return strings.Join(out, "\n"), nil
	}
	var err error
	if f.Added, err = emails(l.Added); err != nil {
		return f, err
	}
	f.Excluded, err = emails(l.Excluded)
	return f, err
}

func (h *ContactLists) render(c echo.Context, status int, l contacts.List, f contactListForm, errs map[string]string, isNew bool) error {
	ctx := c.Request().Context()
	p := contactListPage{page: h.pageFor(c, "Contact list", "/cp/contacts"), New: isNew, Form: f, Errors: errs, NoSync: h.pusher == nil}
	p.Action = "/cp/contacts/new"
	if !isNew {
		p.Action, p.RunURL, p.Delete = listURL(l.ID), listURL(l.ID)+"/run", listURL(l.ID)+"/delete"
	}
	var err error
	if p.Departments, err = h.profiles.Departments(ctx); err != nil {
		return err
	}
	spaces, err := h.cal.SiteSpaces(ctx, accounts.CurrentViewer(c).CalendarViewer())
	if err != nil {
		return err
	}
	for _, sp := range spaces {
		id := strconv.FormatInt(sp.ID, 10)
		p.Spaces = append(p.Spaces, option{Value: id, Label: sp.Name})
	}
	for _, name := range contacts.Fields() {
		p.Fields = append(p.Fields, fieldRow{Name: name, Label: contacts.FieldLabel(name),
			Write: slices.Contains(l.Write, name), Overwrite: slices.Contains(l.Overwrite, name)})
	}
	for _, m := range []struct {
		min   int
		label string
	}{{15, "every 15 minutes"}, {60, "every hour"}, {240, "every 4 hours"}, {1440, "every day"}, {10080, "every week"}} {
		p.Intervals = append(p.Intervals, option{Value: strconv.Itoa(m.min), Label: m.label, Selected: m.min == f.IntervalMinutes})
	}
	if !isNew {
		loc := accounts.CurrentViewer(c).Location()
		ts, err := h.store.Targets(ctx, l.ID)
		if err != nil {
			return err
		}
		owners, err := h.users.ByIDs(ctx, userIDs(ts))
		if err != nil {
			return err
		}
		for _, t := range ts {
			row := contactTargetRow{Mailbox: owners[t.UserID].Email, LastError: t.LastError, Leaving: t.Leaving}
			if t.LastRunAt != nil {
				row.LastRun = t.LastRunAt.In(loc).Format("2 Jan 15:04")
			}
			p.Targets = append(p.Targets, row)
		}
		runs, err := h.store.Runs(ctx, l.ID, 20)
		if err != nil {
			return err
		}
		for _, r := range runs {
			p.Runs = append(p.Runs, contactRunRow{When: r.StartedAt.In(loc).Format("2 Jan 15:04"), Kind: r.Kind, Targets: r.Targets,
				Created: r.Created, Updated: r.Updated, Restored: r.Restored, Removed: r.Removed, Failed: r.Failed, Detail: r.Detail})
		}
	}
	return h.pages.Render(c, status, "cp_contact_list.html", p)
}

func userIDs(ts []contacts.Target) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.UserID
	}
	return out
}

// Create is POST /cp/contacts/new.
func (h *ContactLists) Create(c echo.Context) error { return h.save(c, contacts.List{}, true) }

// Save is POST /cp/contacts/{id}.
func (h *ContactLists) Save(c echo.Context) error {
	l, err := h.listParam(c)
	if err != nil {
		return err
	}
	return h.save(c, l, false)
}

func (h *ContactLists) save(c echo.Context, cur contacts.List, isNew bool) error {
	ctx := c.Request().Context()
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	form := c.Request().Form
	f := contactListForm{Name: form.Get("name"), SourceKind: form.Get("sourceKind"), SourceDepartment: form.Get("sourceDepartment"),
		SourceSpace: form.Get("sourceSpace"), TargetKind: form.Get("targetKind"), TargetDepartment: form.Get("targetDepartment"),
		TargetSpace: form.Get("targetSpace"), Folder: form.Get("folder"), Added: form.Get("added"), Excluded: form.Get("excluded"),
		FolderFixed: !isNew}
	f.IntervalMinutes, _ = strconv.Atoi(form.Get("interval"))
	l := contacts.List{ID: cur.ID, Name: f.Name, Folder: f.Folder, Interval: time.Duration(f.IntervalMinutes) * time.Minute,
		Source: spec(f.SourceKind, f.SourceDepartment, f.SourceSpace), Target: spec(f.TargetKind, f.TargetDepartment, f.TargetSpace)}
	if !isNew {
		l.Folder = cur.Folder
		if cur.Folder == contacts.FolderList {
			l.Name = cur.Name
		}
		f.Folder, f.Name = l.Folder, l.Name
	}
	for _, name := range contacts.Fields() {
		if slices.Contains(form["write"], name) {
			l.Write = append(l.Write, name)
		}
		if slices.Contains(form["overwrite"], name) {
			l.Overwrite = append(l.Overwrite, name)
		}
	}
	errs := map[string]string{}
	var err error
	if l.Added, err = h.peopleOf(ctx, f.Added, "added", errs); err != nil {
		return err
	}
	if l.Excluded, err = h.peopleOf(ctx, f.Excluded, "excluded", errs); err != nil {
		return err
	}
	if len(errs) == 0 {
		saved, err := h.store.Save(ctx, l, h.now())
		var ve *calendar.ValidationError
		switch {
		case errors.As(err, &ve):
			errs = ve.Fields
		case err != nil:
			return err
		default:
			if h.pusher != nil {
				h.pusher.Kick()
			}
			h.flash(c, "Contact list "+saved.Name+" saved; it is pushed to its mailboxes now.")
			return c.Redirect(http.StatusSeeOther, listURL(saved.ID))
		}
	}
	return h.render(c, http.StatusUnprocessableEntity, l, f, errs, isNew)
}

func spec(kind, department, space string) contacts.Spec {
	switch kind {
	case contacts.KindDepartment:
		return contacts.Spec{Kind: kind, Value: strings.TrimSpace(department)}
	case contacts.KindSpace:
		return contacts.Spec{Kind: kind, Value: space}
	}
	return contacts.Spec{Kind: kind}
}

// peopleOf reads addresses (one per line, or separated by commas) as accounts; an unknown
// address is an error of field.
func (h *ContactLists) peopleOf(ctx context.Context, text, field string, errs map[string]string) ([]int64, error) {
	addrs := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' || r == ' ' || r == '\t' })
	if len(addrs) > 5000 {
		errs[field] = "At most 5,000 people."
		return nil, nil
	}
	ids, err := h.users.IDsByEmail(ctx, addrs)
	if err != nil {
		return nil, err
	}
	var out []int64
	var unknown []string
	for _, a := range addrs {
		id, ok := ids[accounts.NormalizeEmail(a)]
		if !ok {
			unknown = append(unknown, a)
			continue
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(unknown) > 0 {
		errs[field] = "No account has the address " + strings.Join(unknown, ", ") + "."
	}
	return out, nil
}

// Run is POST /cp/contacts/{id}/run: Sync now, a check of every target mailbox.
func (h *ContactLists) Run(c echo.Context) error {
	l, err := h.listParam(c)
	if err != nil {
		return err
	}
	if h.pusher == nil {
		if err := h.store.RunNow(c.Request().Context(), l.ID, h.now()); err != nil {
			return err
		}
		h.flash(c, "This program pushes no contacts (it has no Graph client); the list runs when the site does.")
	} else {
		if err := h.pusher.SyncNow(c.Request().Context(), l.ID); err != nil {
			return err
		}
		h.flash(c, "Contact list "+l.Name+" is checked in every target mailbox now.")
	}
	return c.Redirect(http.StatusSeeOther, listURL(l.ID))
}

// Delete is POST /cp/contacts/{id}/delete: the list's contacts are removed from every
// mailbox, then the list.
func (h *ContactLists) Delete(c echo.Context) error {
	l, err := h.listParam(c)
	if err != nil {
		return err
	}
	if err := h.store.Delete(c.Request().Context(), l.ID, h.now()); err != nil {
		return err
	}
	if h.pusher != nil {
		h.pusher.Kick()
	}
	h.flash(c, "Contact list "+l.Name+" deleted: its contacts are removed from every mailbox.")
	return c.Redirect(http.StatusSeeOther, "/cp/contacts")
}
