package pages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
)

// cardPage is the data of event_card.html: the quick card the calendar views open in place
// when an instance is clicked, with the answers and deletes of the details page.
type cardPage struct {
	eventPage
	// Back is the calendar page the card's forms return to.
	Back string
	// DetailsURL opens the full details page of the instance.
	DetailsURL string
	// DownloadURL is the event, with its series, as an .ics file.
	DownloadURL string
	// DeleteScopes are the dates a delete may cover (none for a single event).
	DeleteScopes []scopeChoice
}

// Card is GET /events/:id/card?instance=...&back=...: the quick card of one instance, a
// fragment of HTML the calendar's script shows in a dialog. Without JavaScript the calendar's
// links open the details page instead, which offers the same.
func (h *Events) Card(c echo.Context) error {
	le, err := h.loadEvent(c, c.QueryParam("instance"))
	if err != nil {
		return err
	}
	p, err := h.eventPage(c, le, h.page(c, le.instance.Title))
	if err != nil {
		return err
	}
	first, _ := daySpan(le.instance, accounts.CurrentViewer(c).Location())
	card := cardPage{eventPage: p, Back: backTo(c.QueryParam("back"), calendarURL(viewMonth, first)),
		DetailsURL: instanceURL(le.full.ID, le.orig), DownloadURL: eventURL(le.full.ID) + "/ics"}
	if p.CanEdit && p.Recurring {
		card.DeleteScopes = scopeChoices("instance")
	}
	return h.pages.Render(c, http.StatusOK, "fragment_event_card.html", card)
}

// backTo is where a form returns after its change: the calendar page it was sent from, when
// back names one of this site's calendar pages (My Calendar's, or a space's /spaces/N),
// else fallback. Anything else (another site, a scheme, a path elsewhere) is ignored, so the
// parameter cannot redirect off the site.
func backTo(back, fallback string) string {
	u, err := url.Parse(back)
	if back == "" || err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !calendarPath(u.Path) ||
		strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
		return fallback
	}
	return u.Path + "?" + u.Query().Encode()
}

// calendarPath reports whether p is the path of a calendar page: /calendar or /spaces/N.
func calendarPath(p string) bool {
	if p == "/calendar" {
		return true
	}
	id, ok := strings.CutPrefix(p, "/spaces/")
	if !ok || id == "" || len(id) > 18 {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
