// Package synce2e holds the end-to-end tests of the Outlook sync: My Calendar on a real
// database, the sync engine, the Graph adapter with the real SDK client, and the fake
// Outlook acting as Microsoft Graph and as an Outlook user.
package synce2e
