// Package fakeoutlook is an in-memory fake of the Microsoft identity platform
// (v2 endpoints) and of the Microsoft Graph v1.0 calendar API, faithful enough
// that the Outlook sync engine can be tested and demonstrated without a
// Microsoft account. For the demo it also keeps its state in a file across
// restarts (statefile.go) and serves pages where a person acts as the Outlook
// user of a mailbox (web.go).
//
// Fidelity is the point: a fake that is kinder than Outlook makes a sync engine
// that fails in production. The fake therefore reproduces Outlook's quirks as
// documented by Microsoft and as reported by people who met them: occurrences
// deleted from a series are simply missing, a change of pattern drops every
// exception, "this and all following" leaves two unlinked series, the first
// delta page is empty, items outside the delta window come back as deleted,
// more than four concurrent requests for one mailbox are throttled, and so on.
// Where sources disagree the behaviour is a field of [Quirks].
//
// Use it in-process with httptest:
//
//	fake := fakeoutlook.New(fakeoutlook.Options{})
//	srv := httptest.NewServer(fake.Handler())
//
// or standalone through [Main]. Identity endpoints live at
// /{tenant}/oauth2/v2.0/{authorize,token} and Graph at /v1.0 under the same
// base URL. Exported methods on [Server] act as the Outlook user interface and
// as Microsoft (revoking grants, expiring tokens, injecting faults) and expose
// the request log, so tests can assert what a sync did.
package fakeoutlook
