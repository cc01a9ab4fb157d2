// Package app is the web-app shell around the calendar: New builds the stores and the
// handler packages (api, pages, controlpanel, outlook) on them, routes.go registers every
// route with its permission in one table, Serve runs the HTTP server with its background
// work (the Outlook sync) and stops them in order, and one error handler turns what the
// handlers return into answers. The subcommands that open the database and call New are in
// app/cli.
//
// Handlers get the signed-in person from accounts.CurrentViewer(c). Every request is
// authenticated by the session cookie or an Authorization: Bearer API token
// (accounts.Authenticator); a state-changing request that came with the cookie must also
// carry the session's CSRF token (X-CSRF-Token header or csrf_token form field). Errors from
// handlers, including the calendar's own (ErrNotFound, ErrForbidden, ErrConflict,
// *ValidationError), are turned into status codes and safe messages in one place, the error
// handler of errors.go, which asks httpkit.Classify what the client may be told; anything
// else is logged and answered with a generic 500. docs/architecture.md has the map.
package app
