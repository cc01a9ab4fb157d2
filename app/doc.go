// Package app is the community web-app shell around the calendar: the login page, the HTTP
// server with its one route table and error handler, the program's subcommands, and the
// wiring of the account stores (package accounts), the calendar store and background work.
//
// Handlers get the signed-in person from accounts.CurrentViewer(c). Every request is
// authenticated by the session cookie or an Authorization: Bearer API token
// (accounts.Authenticator); a state-changing request that came with the cookie must also carry
// the session's CSRF token (X-CSRF-Token header or csrf_token form field). Errors from handlers, including the calendar's own (ErrNotFound, ErrForbidden,
// ErrConflict, *ValidationError), are turned into status codes and safe messages in one place,
// the error handler of errors.go, which asks httpkit.Classify what the client may be told;
// anything else is logged and answered with a generic 500. docs/architecture.md has the map.
package app
