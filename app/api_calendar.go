package app

import "github.com/labstack/echo/v4"

// registerCalendarAPI adds the event API to the /api/v1 group (docs/api.md).
func (a *App) registerCalendarAPI(g *echo.Group) {
	h := &eventAPI{cal: a.store, people: &directory{users: a.users}}
	g.POST("/events", h.create)
	g.GET("/events/:id", h.get)
	g.PATCH("/events/:id", h.edit)
	g.DELETE("/events/:id", h.delete)
	g.PUT("/events/:id/rsvp", h.rsvp)
	g.POST("/events/:id/invitations", h.invite)
	g.GET("/occurrences", h.occurrences, a.limitListings)
}
