package controlpanel

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
	"intracal/calendar"
	"intracal/outlooksync"
	"intracal/outlooksync/publish"
)

// Control Panel > Spaces: every space with how its publication into the members' Outlook
// stands, and each space's page (space.go) with its members' state, the recent history and
// Publish now. Private spaces are listed too, since publishing is looked after for the whole
// site; what happened to their events stays hidden (space.go).

// Spaces is Spaces > Spaces: the list and each space's page and form.
type Spaces struct {
	frame
	cal     *calendar.Store
	people  *accounts.Directory
	publish *publish.Store
	sync    *outlooksync.Store // the push modes of the members' calendars
	props   *properties.Store
	now     func() time.Time
}

// NewSpaces is the Spaces pages on the calendar store (every space, its members), the people
// directory, the publishing store and the System Properties (whether the site has its
// Outlook app registration).
func NewSpaces(pages *view.Renderer, fr view.Frame, cal *calendar.Store, people *accounts.Directory, pub *publish.Store,
	sync *outlooksync.Store, props *properties.Store, now func() time.Time) *Spaces {
	return &Spaces{frame: frame{pages, fr}, cal: cal, people: people, publish: pub, sync: sync, props: props, now: now}
}

// spacesPage is the data of cp_spaces.html.
type spacesPage struct {
	page
	Setup  *publishSetup // nil when publishing needs nothing of the administrator
	Spaces []spaceRow
}

// publishSetup is what a site administrator must still do before spaces can be published.
type publishSetup struct {
	Missing        []string // of the Outlook app registration's properties, as Connect lists them
	ConsentMissing bool     // Graph refused a run for want of the tenant's admin consent
}

type spaceRow struct {
	Name             string
	URL              string
	Private          bool
	Members          int
	Published        bool
	MembersPublished int
	Failing          int
	ConsentMissing   bool
}

func newSpaceRow(sp calendar.Space, sum publish.Summary) spaceRow {
	return spaceRow{Name: sp.Name, URL: "/cp/spaces/" + strconv.FormatInt(sp.ID, 10), Private: sp.Visibility == calendar.SpacePrivate,
		Members: sp.Members, Published: sum.Published, MembersPublished: sum.Members, Failing: sum.Failing, ConsentMissing: sum.ConsentMissing}
}

// setupFor says what is missing for publishing: the app registration's settings, or the
// admin consent a member's run was refused for; nil when nothing is.
func (h *Spaces) setupFor(ctx context.Context, consentMissing bool) (*publishSetup, error) {
	settings, err := h.props.OutlookSettings(ctx)
	if err != nil {
		return nil, err
	}
	if settings.Ready() && !consentMissing {
		return nil, nil
	}
	return &publishSetup{Missing: settings.Missing(), ConsentMissing: consentMissing}, nil
}

// List is GET /cp/spaces: every space, by name, with its publication.
func (h *Spaces) List(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := h.cal.SiteSpaces(ctx, accounts.CurrentViewer(c).CalendarViewer())
	if err != nil {
		return err
	}
	sums, err := h.publish.Summaries(ctx)
	if err != nil {
		return err
	}
	p := spacesPage{page: h.pageFor(c, "Spaces", "/cp/spaces")}
	consent := false
	for _, sp := range list {
		row := newSpaceRow(sp, sums[sp.ID])
		consent = consent || row.ConsentMissing
		p.Spaces = append(p.Spaces, row)
	}
	if p.Setup, err = h.setupFor(ctx, consent); err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "cp_spaces.html", p)
}
