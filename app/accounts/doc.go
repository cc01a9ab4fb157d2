// Package accounts is the people of the site: users and their stores (users, browser
// sessions, personal API tokens, the sign-in throttle, the account audit), the one directory
// that the API, the pages and the Outlook sync resolve people through, the audited lifecycle
// of accounts and tokens (Lifecycle), the check of a password at sign-in (SignIn), the Viewer
// of a request and the middleware that authenticates it (Authenticator, RequireUser,
// RequireAdmin).
//
// It imports calendar and the HTTP toolkit, never app: every SQL statement about accounts is
// a method of one of its stores.
package accounts
