package app

import (
	"context"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/api"
	"intracal/app/controlpanel"
	"intracal/app/feeds"
	"intracal/app/httpkit"
	"intracal/app/outlook"
	"intracal/app/pages"
	"intracal/app/properties"
	"intracal/app/signin"
)

// routes is the one route table of the web app. Permissions are applied here, where each
// route is registered: accounts.RequireUser, accounts.RequireAdmin.
func (a *App) routes(e *echo.Echo) {
	e.GET("/static/*", a.pages.ServeStatic)
	e.GET("/healthz", a.health)

	login := pages.NewLogin(a.pages, a.frame, a.signIn, a.sessions, a.auth, a.signInOptions)
	e.GET("/login", login.Form)
	e.POST("/login", login.SignIn)
	e.POST("/logout", login.SignOut, accounts.RequireUser)
	// Sign in with Microsoft: the callback needs no session, its state is bound to the browser.
	e.GET(signin.StartPath, a.microsoft.Start)
	e.GET(signin.CallbackPath, a.microsoft.Callback)

	cal := pages.NewCalendar(a.pages, a.frame, a.store, a.now)
	e.GET("/", cal.Show, accounts.RequireUser)

	// My Calendar, the event pages and the settings: forms POST with the CSRF token.
	e.GET("/calendar", cal.Show, accounts.RequireUser, a.limitListings)
	// The event pages and API undo deletes knowing which parts the Outlook sync still links.
	undoable := a.store.WithPartCopies(a.syncStore)
	events := pages.NewEvents(a.pages, a.frame, undoable, a.users, a.people, a.now)
	e.GET("/events/new", events.New, accounts.RequireUser)
	e.GET("/events/new/card", events.NewCard, accounts.RequireUser)
	e.POST("/events/new", events.Create, accounts.RequireUser)
	e.GET("/events/:id", events.Show, accounts.RequireUser)
	e.GET("/events/:id/card", events.Card, accounts.RequireUser)
	e.GET("/events/:id/edit", events.Edit, accounts.RequireUser)
	e.POST("/events/:id/edit", events.Save, accounts.RequireUser)
	e.POST("/events/:id/rsvp", events.RSVP, accounts.RequireUser)
	e.POST("/events/:id/delete", events.Delete, accounts.RequireUser)
	e.POST("/events/:id/move", events.Move, accounts.RequireUser)
	e.POST("/events/:id/invite", events.Invite, accounts.RequireUser)
	e.POST("/undo", events.Undo, accounts.RequireUser)
	// Spaces: a space's page is its calendar's views; visibility is the calendar store's.
	feedHandlers := feeds.NewHandlers(a.feeds, a.store, a.people, a.users, a.cfg.SiteURL, a.now)
	spaces := pages.NewSpaces(a.pages, a.frame, a.store, a.users, a.people, a.props, a.publish, a.syncStore, feedHandlers.SpaceLinks, a.now)
	e.GET("/spaces", spaces.List, accounts.RequireUser)
	e.GET("/spaces/new", spaces.New, accounts.RequireUser)
	e.POST("/spaces/new", spaces.Create, accounts.RequireUser)
	e.GET("/spaces/:id", spaces.Show, accounts.RequireUser, a.limitListings)
	e.GET("/spaces/:id/settings", spaces.Settings, accounts.RequireUser)
	e.POST("/spaces/:id/settings", spaces.SaveSettings, accounts.RequireUser)
	e.POST("/spaces/:id/outlook", spaces.SavePublishing, accounts.RequireUser)
	e.GET("/spaces/:id/members", spaces.Members, accounts.RequireUser)
	e.POST("/spaces/:id/members", spaces.AddMembers, accounts.RequireUser)
	e.POST("/spaces/:id/members/:userId/remove", spaces.RemoveMember, accounts.RequireUser)
	e.POST("/spaces/:id/join", spaces.Join, accounts.RequireUser)
	e.POST("/spaces/:id/leave", spaces.Leave, accounts.RequireUser)
	e.POST("/spaces/:id/show", spaces.ShowInCalendar, accounts.RequireUser)
	search := pages.NewSearch(a.pages, a.frame, a.store, a.now)
	e.GET("/search", search.Show, accounts.RequireUser, a.limitListings)
	settings := pages.NewSettings(a.pages, a.frame, a.users, a.profiles, a.tokens, a.accounts, feedHandlers.Links, a.now)
	e.GET("/settings", settings.Show, accounts.RequireUser)
	e.POST("/settings", settings.Save, accounts.RequireUser)
	e.POST("/settings/profile", settings.SaveProfile, accounts.RequireUser)
	people := pages.NewPeople(a.pages, a.frame, a.profiles)
	e.GET("/people", people.List, accounts.RequireUser)
	e.POST("/settings/password", settings.ChangePassword, accounts.RequireUser)
	e.POST("/settings/tokens", settings.CreateToken, accounts.RequireUser)
	e.POST("/settings/tokens/:id/revoke", settings.RevokeToken, accounts.RequireUser)
	// iCalendar: a person's feed (its address is its secret: no session), its settings, and
	// the download of one event.
	feedForms := feeds.NewForms(feedHandlers, a.frame.Flash)
	e.POST("/settings/feed", feedForms.Regenerate, accounts.RequireUser)
	e.POST("/settings/feed/off", feedForms.TurnOff, accounts.RequireUser)
	e.POST("/settings/feed/private", feedForms.SetPrivate, accounts.RequireUser)
	e.POST("/spaces/:id/feed", feedForms.RegenerateSpace, accounts.RequireUser)
	e.POST("/spaces/:id/feed/off", feedForms.TurnOffSpace, accounts.RequireUser)
	e.GET(feeds.Path+":token", feedHandlers.Serve)
	e.GET("/events/:id/ics", feedHandlers.Download, accounts.RequireUser)
	importPages := feeds.NewImportPages(feedHandlers, a.pages, a.frame)
	e.GET(httpkit.ImportPagePath, importPages.Form, accounts.RequireUser)
	e.POST(httpkit.ImportPagePath, importPages.Submit, accounts.RequireUser)

	// Control Panel: site administrators only, pages and forms alike.
	cp := e.Group("/cp", accounts.RequireAdmin)
	cp.GET("", controlpanel.Home)
	general := controlpanel.NewGeneral(a.pages, a.frame, a.props)
	cp.GET("/general", general.Show)
	cp.POST("/general", general.Save)
	signInCP := controlpanel.NewSignIn(a.pages, a.frame, a.props, a.cfg.SiteURL.String()+signin.CallbackPath)
	cp.GET("/signin", signInCP.Show)
	cp.POST("/signin", signInCP.Save)
	props := controlpanel.NewProperties(a.pages, a.frame, a.props)
	cp.GET("/properties", props.List)
	cp.POST("/properties/:name", props.Save)
	conns := controlpanel.NewConnections(a.pages, a.frame, a.outlook.Connections(), a.syncStore, a.users, a.props)
	cp.GET("/connections", conns.List)
	cpPeople := controlpanel.NewPeople(a.pages, a.frame, a.users, a.profiles, a.tokens, a.audit, a.accounts, a.now).
		ShowMicrosoftAccounts(a.microsoft.Identities().Account)
	cp.GET("/people", cpPeople.List)
	cp.GET("/people/:id", cpPeople.Show)
	cp.POST("/people/:id/disable", cpPeople.Disable)
	cp.POST("/people/:id/enable", cpPeople.Enable)
	cp.POST("/people/:id/password", cpPeople.ResetPassword)
	cp.POST("/people/:id/profile", cpPeople.SaveProfile)
	cp.POST("/people/:id/delete", cpPeople.Delete)
	cp.POST("/people/:id/tokens/:token/revoke", cpPeople.RevokeToken)
	cpContacts := controlpanel.NewContactLists(a.pages, a.frame, a.contactLists, a.contactPusher, a.store, a.users, a.profiles, a.props, a.now)
	cp.GET("/contacts", cpContacts.List)
	cp.GET("/contacts/new", cpContacts.New)
	cp.POST("/contacts/new", cpContacts.Create)
	cp.GET("/contacts/:id", cpContacts.Show)
	cp.POST("/contacts/:id", cpContacts.Save)
	cp.POST("/contacts/:id/run", cpContacts.Run)
	cp.POST("/contacts/:id/delete", cpContacts.Delete)
	cpSpaces := controlpanel.NewSpaces(a.pages, a.frame, a.store, a.people, a.publish, a.syncStore, a.props, a.now)
	cp.GET("/spaces", cpSpaces.List)
	cp.GET("/spaces/:id", cpSpaces.Show)
	cp.POST("/spaces/:id/publish-now", cpSpaces.PublishNow)

	// Connect to Outlook and the sync page. The callback needs the session that started the
	// sign-in; /metrics has its own bearer token (CALENDAR_METRICS_TOKEN), not a person's.
	outlookPages := outlook.NewPages(a.pages, a.frame, a.outlook, a.sync)
	e.GET(outlook.ConnectPath, outlookPages.Connect, accounts.RequireUser)
	e.GET(outlook.CallbackPath, outlookPages.Callback, accounts.RequireUser)
	e.POST("/outlook/disconnect", outlookPages.Disconnect, accounts.RequireUser)
	e.GET("/outlook/sync", outlookPages.SyncPage, accounts.RequireUser)
	e.POST("/outlook/sync", outlookPages.SyncNow, accounts.RequireUser)
	e.GET(outlook.MetricsPath, a.sync.Metrics(a.cfg.MetricsToken))
	// Graph's change notifications: no session and no CSRF token, authenticated by the
	// subscription's clientState (app/outlook/push.go).
	if n := a.sync.Notifications(); n != nil {
		e.POST(outlook.NotificationPath, n.Receive)
		e.POST(outlook.LifecyclePath, n.Receive)
	}

	// The JSON API (docs/api.md): a session with its CSRF token, or a personal API token.
	v1 := e.Group("/api/v1", accounts.RequireUser)
	v1.GET("/me", api.Me)
	v1.GET("/me/feed", feedHandlers.GetMine)
	v1.POST("/me/feed", feedHandlers.Regenerate)
	v1.PUT("/me/feed", feedHandlers.SetPrivate)
	v1.DELETE("/me/feed", feedHandlers.TurnOff)
	v1.POST("/imports", feedHandlers.Import)
	peopleAPI := api.NewPeople(a.profiles, a.users)
	v1.GET("/people", peopleAPI.List)
	v1.GET("/me/profile", peopleAPI.Mine)
	v1.PATCH("/me/profile", peopleAPI.SetMine)
	tokenAPI := api.NewTokens(a.tokens, a.accounts, a.now)
	v1.GET("/tokens", tokenAPI.List)
	v1.POST("/tokens", tokenAPI.Create)
	v1.DELETE("/tokens/:id", tokenAPI.Revoke)

	eventAPI := api.NewEvents(undoable, a.people, a.now)
	v1.POST("/events", eventAPI.Create)
	v1.GET("/events/:id", eventAPI.Get)
	v1.PATCH("/events/:id", eventAPI.Edit)
	v1.DELETE("/events/:id", eventAPI.Delete)
	v1.POST("/undo/:token", eventAPI.Undo)
	v1.PUT("/events/:id/rsvp", eventAPI.RSVP)
	v1.POST("/events/:id/invitations", eventAPI.Invite)
	v1.GET("/occurrences", eventAPI.Occurrences, a.limitListings)
	v1.GET("/search", eventAPI.Search, a.limitListings)

	spaceAPI := api.NewSpaces(a.store, a.people, a.props)
	v1.POST("/spaces", spaceAPI.Create)
	v1.GET("/spaces", spaceAPI.List)
	v1.GET("/spaces/:id", spaceAPI.Get)
	v1.PUT("/spaces/:id", spaceAPI.Update)
	v1.POST("/spaces/:id/members", spaceAPI.AddMembers)
	v1.DELETE("/spaces/:id/members/:userId", spaceAPI.RemoveMember)
	v1.POST("/spaces/:id/join", spaceAPI.Join)
	v1.GET("/spaces/:id/feed", feedHandlers.GetSpace)
	v1.POST("/spaces/:id/feed", feedHandlers.RegenerateSpace)
	v1.DELETE("/spaces/:id/feed", feedHandlers.TurnOffSpace)
	v1.PUT("/spaces/:id/show", spaceAPI.ShowInMyCalendar)
	// Publishing a space into its members' Outlook: space and site administrators.
	spaceOutlookAPI := api.NewSpaceOutlook(a.store, a.people, a.publish, a.now)
	v1.GET("/spaces/:id/outlook", spaceOutlookAPI.Get)
	v1.PUT("/spaces/:id/outlook", spaceOutlookAPI.Put)
	v1.POST("/spaces/:id/outlook/run", spaceOutlookAPI.Run)

	outlookAPI := outlook.NewAPI(a.outlook, a.sync)
	v1.GET("/outlook/status", outlookAPI.Status)
	v1.POST("/outlook/disconnect", outlookAPI.Disconnect)
	v1.POST("/outlook/sync", outlookAPI.Sync)
	v1.GET("/outlook/sync", outlookAPI.SyncStatus)

	// The admin API: site administrators only.
	admin := v1.Group("/admin", accounts.RequireAdmin)
	adminAPI := api.NewAdmin(a.props, a.audit)
	admin.GET("/properties", adminAPI.Properties)
	admin.GET("/properties/:name", adminAPI.Property)
	admin.PUT("/properties/:name", adminAPI.PutProperty)
	admin.GET("/audit/properties", adminAPI.PropertyAudit)
	admin.GET("/audit/accounts", adminAPI.AccountAudit)
	admin.GET("/outlook/connections", outlookAPI.Connections)
}

// signInOptions are how people may sign in (the login page's pages.SignInOptions).
func (a *App) signInOptions(ctx context.Context) (properties.SignInSettings, bool, error) {
	s, err := a.props.SignInSettings(ctx)
	if err != nil {
		return s, false, err
	}
	outlook, err := a.outlook.ConnectReady(ctx)
	return s, outlook, err
}

// newEcho builds the server: middleware in the order each request meets it, then the routes.
func (a *App) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	e.IPExtractor = a.ipExtractor()
	e.Use(
		a.logRequests,
		a.recoverPanics,
		httpkit.SecurityHeaders,
		httpkit.LimitBody,
		a.crossOrigin,
		a.auth.Authenticate,
		a.auth.CheckCSRF,
	)
	a.routes(e)
	return e
}

// ipExtractor finds the client's address: the peer's, unless it is a trusted proxy, whose
// X-Forwarded-For is then believed.
func (a *App) ipExtractor() echo.IPExtractor {
	if len(a.cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range a.cfg.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
