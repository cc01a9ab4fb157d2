// Package publish writes a space's calendar into each member's Outlook mailbox, one way, as
// CiraSync publishes shared calendars: the app signs in as itself (client credentials, the
// tenant's admin consent for the application permission Calendars.ReadWrite) and keeps, in a
// calendar named after the space in every member's mailbox, copies of the space's events.
// A member's change or deletion of a copy is undone on the next cycle; a member who leaves,
// or a space no longer published, loses the copies.
//
// The Graph adapter (outlooksync/graph) implements Mailbox; this package does not import the
// Graph SDK.
package publish

// ConsentMissing starts a target's last error when Graph refused the app's own sign-in or
// its calls for want of the tenant's admin consent: the Control Panel shows the setup steps
// then (docs/outlook-setup.md).
const ConsentMissing = "The site's app registration has no admin consent for the application permission Calendars.ReadWrite"
