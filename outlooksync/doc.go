// Package outlooksync keeps a user's My Calendar and Outlook calendar the same, both ways.
//
// It declares what it needs of Microsoft Graph (the Graph interface, over its own RemoteEvent
// type) and of the calendar store; the adapter in outlooksync/graph, the only code that
// imports the Graph SDK, implements Graph, and app wires the two together. Reconciliation is
// a pure function from (My Calendar, Outlook, the last synced base) to a plan; an executor
// applies a plan and can run dry.
package outlooksync
