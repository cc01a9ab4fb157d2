package pages

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/properties"
	"intracal/app/view"
	"intracal/calendar"
	"intracal/outlooksync"
	"intracal/outlooksync/publish"
)

// Spaces is the spaces' pages: the list, a space's calendar (the views of Calendar with the
// space as their calendar), its members and settings, and the forms to create, join, leave
// and show a space in My Calendar. Who sees what is the calendar store's to say.
type Spaces struct {
	frame
	cal      *calendar.Store
	calendar *Calendar
	people   *accounts.Directory
	users    *accounts.Users
	props    *properties.Store
	publish  *publish.Store
	sync     *outlooksync.Store // the push modes of the members' calendars
	// feed gives a space's calendar feed addresses (app/feeds).
	feed func(ctx context.Context, spaceID int64) (view.FeedLinks, error)
	now  func() time.Time
}

// NewSpaces is the spaces' pages on the calendar store, the accounts (the members form reads
// names and addresses), the System Properties (who may create spaces, whether the site is
// set up for Outlook) and the publishing store (the settings' Outlook section).
func NewSpaces(pages *view.Renderer, fr view.Frame, cal *calendar.Store, users *accounts.Users, people *accounts.Directory,
	props *properties.Store, pub *publish.Store, sync *outlooksync.Store, feed func(ctx context.Context, spaceID int64) (view.FeedLinks, error),
	now func() time.Time) *Spaces {
	return &Spaces{frame: frame{pages, fr}, cal: cal, calendar: NewCalendar(pages, fr, cal, now), people: people, users: users,
		props: props, publish: pub, sync: sync, feed: feed, now: now}
}

// spaceBanner is the head of a space's pages: what it is and what the viewer may do there.
type spaceBanner struct {
	ID             int64
	Name           string
	Description    string
	Private        bool
	Members        int
	Role           string // "admin", "member", "" for none
	CanManage      bool
	CanJoin        bool
	ShowInCalendar bool
	URL            string
	MembersURL     string
	SettingsURL    string
	CalendarID     int64
	// Feed is the space's calendar feed, for the banner's subscribe link.
	Feed view.FeedLinks
}

func bannerOf(sp calendar.Space, v calendar.Viewer) *spaceBanner {
	base := "/spaces/" + strconv.FormatInt(sp.ID, 10)
	return &spaceBanner{ID: sp.ID, Name: sp.Name, Description: sp.Description, Private: sp.Visibility == calendar.SpacePrivate,
		Members: sp.Members, Role: string(sp.Role), CanManage: sp.CanManage(v), CanJoin: sp.Role == "" && sp.Visibility == calendar.SpacePublic,
		ShowInCalendar: sp.ShowInCalendar, URL: base, MembersURL: base + "/members", SettingsURL: base + "/settings", CalendarID: sp.CalendarID}
}

// spacesPage is the data of spaces.html.
type spacesPage struct {
	view.Page
	Mine      []*spaceBanner
	Others    []*spaceBanner // public spaces to join
	CanCreate bool
}

// List is GET /spaces: the viewer's spaces and the public ones they may join.
func (h *Spaces) List(c echo.Context) error {
	ctx, av := c.Request().Context(), accounts.CurrentViewer(c)
	v := av.CalendarViewer()
	list, err := h.cal.Spaces(ctx, v)
	if err != nil {
		return err
	}
	p := spacesPage{Page: h.pageWithFlash(c, "Spaces")}
	if p.CanCreate, err = h.props.MayCreateSpaces(ctx, av); err != nil {
		return err
	}
	for _, sp := range list {
		if sp.Role != "" {
			p.Mine = append(p.Mine, bannerOf(sp, v))
		} else {
			p.Others = append(p.Others, bannerOf(sp, v))
		}
	}
	return h.pages.Render(c, http.StatusOK, "spaces.html", p)
}

// spaceFormPage is the data of space_form.html: a new space, or a space's settings.
type spaceFormPage struct {
	view.Page
	Space       *spaceBanner // nil for a new space
	Action      string
	Name        string
	Description string
	Private     bool
	Errors      map[string]string
	// Outlook is the settings' section on publishing into the members' Outlook; nil for a new space.
	Outlook *publishSection
	// Feed is the space's calendar feed; nil for a new space.
	Feed *view.FeedLinks
}

// New is GET /spaces/new: the form for a new space.
func (h *Spaces) New(c echo.Context) error {
	if err := h.mayCreate(c); err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "space_form.html", spaceFormPage{Page: h.page(c, "New space"), Action: "/spaces/new"})
}

// Create is POST /spaces/new: the space is made, its creator its administrator, and opened;
// a form with mistakes comes back with them.
func (h *Spaces) Create(c echo.Context) error {
	if err := h.mayCreate(c); err != nil {
		return err
	}
	in, err := readSpaceForm(c)
	if err != nil {
		return err
	}
	sp, err := h.cal.CreateSpace(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), in)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		p := spaceFormPage{Page: h.page(c, "New space"), Action: "/spaces/new", Name: in.Name, Description: in.Description,
			Private: in.Visibility == calendar.SpacePrivate, Errors: invalid.Fields}
		return h.pages.Render(c, http.StatusUnprocessableEntity, "space_form.html", p)
	}
	if err != nil {
		return err
	}
	h.flash(c, "Space created. Add its members on the Members page.")
	return c.Redirect(http.StatusSeeOther, "/spaces/"+strconv.FormatInt(sp.ID, 10))
}

func (h *Spaces) mayCreate(c echo.Context) error {
	ok, err := h.props.MayCreateSpaces(c.Request().Context(), accounts.CurrentViewer(c))
	if err != nil {
		return err
	}
	if !ok {
		return &calendar.ForbiddenError{Message: "Only site administrators can create spaces on this site."}
	}
	return nil
}

// readSpaceForm reads name, description and visibility ("public" or "private").
func readSpaceForm(c echo.Context) (calendar.SpaceInput, error) {
	in := calendar.SpaceInput{Name: c.FormValue("name"), Description: strings.ReplaceAll(c.FormValue("description"), "\r\n", "\n"),
		Visibility: calendar.SpaceVisibility(c.FormValue("visibility"))}
	if in.Visibility != calendar.SpacePublic && in.Visibility != calendar.SpacePrivate {
		return in, echo.NewHTTPError(http.StatusBadRequest, "Choose whether the space is public or private.")
	}
	return in, nil
}

// load reads the space of the :id path parameter as the viewer sees it (404 for a private
// space they are not a member of).
func (h *Spaces) load(c echo.Context) (calendar.Space, error) {
	id, err := httpkit.PathIDOf(c, "id", "space id")
	if err != nil {
		return calendar.Space{}, err
	}
	return h.cal.Space(c.Request().Context(), accounts.CurrentViewer(c).CalendarViewer(), id)
}

// Show is GET /spaces/:id: the space's calendar in the view the query names, as My
// Calendar's (Calendar.Show), with the space's head.
func (h *Spaces) Show(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	cc := calContextAt(c, h.now())
	b := bannerOf(sp, cc.viewer.CalendarViewer())
	if b.Feed, err = h.feed(c.Request().Context(), sp.ID); err != nil {
		return err
	}
	cc.calTarget = calTarget{calendarID: sp.CalendarID, base: b.URL, space: b}
	return h.calendar.show(c, cc)
}

// Settings is GET /spaces/:id/settings: the form of name, description and visibility, and
// the switch of publishing into the members' Outlook.
func (h *Spaces) Settings(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	b := bannerOf(sp, accounts.CurrentViewer(c).CalendarViewer())
	if !b.CanManage {
		return &calendar.ForbiddenError{Message: "Only the space's administrators can change its settings."}
	}
	p := spaceFormPage{Page: h.pageWithFlash(c, sp.Name+" · Settings"), Space: b, Action: b.SettingsURL, Name: sp.Name,
		Description: sp.Description, Private: b.Private}
	if p.Outlook, err = h.publishSection(c, sp); err != nil {
		return err
	}
	feed, err := h.feed(c.Request().Context(), sp.ID)
	if err != nil {
		return err
	}
	p.Feed = &feed
	return h.pages.Render(c, http.StatusOK, "space_form.html", p)
}

// SaveSettings is POST /spaces/:id/settings.
func (h *Spaces) SaveSettings(c echo.Context) error {
	sp, err := h.load(c)
	if err != nil {
		return err
	}
	in, err := readSpaceForm(c)
	if err != nil {
		return err
	}
	v := accounts.CurrentViewer(c).CalendarViewer()
	_, err = h.cal.UpdateSpace(c.Request().Context(), v, sp.ID, in)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		b := bannerOf(sp, v)
		p := spaceFormPage{Page: h.page(c, sp.Name+" · Settings"), Space: b, Action: b.SettingsURL, Name: in.Name,
			Description: in.Description, Private: in.Visibility == calendar.SpacePrivate, Errors: invalid.Fields}
		if p.Outlook, err = h.publishSection(c, sp); err != nil {
			return err
		}
		return h.pages.Render(c, http.StatusUnprocessableEntity, "space_form.html", p)
	}
	if err != nil {
		return err
	}
	h.flash(c, "Space settings saved.")
	return c.Redirect(http.StatusSeeOther, "/spaces/"+strconv.FormatInt(sp.ID, 10))
}
